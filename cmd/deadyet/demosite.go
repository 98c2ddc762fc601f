package main

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"time"

	"deadyet/cmd/internal/config"
	"deadyet/probe"
	"deadyet/probe/msntest"
)

// shipped-site.toml is a copy of ../../site.toml, which embed cannot reach;
// TestShippedSiteCopy fails when they differ, and go generate copies it.
//
//go:generate cp ../../site.toml shipped-site.toml
//go:embed shipped-site.toml
var shippedSiteTOML []byte

// shippedSiteName names the embedded copy in errors.
const shippedSiteName = "site.toml (the copy built into deadyet demo)"

// demoBehaviors are the behaviours of each group's servers, in the order
// site.toml lists them, repeated or cut to the group's size. A group not
// named here (one a fork added) gets demoOtherBehaviors.
var demoBehaviors = map[string][]msntest.Spec{
	"bn2": { // alive: the main server and most others answer MSNP21 and MSNP22
		{Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: []string{"MSNP21", "MSNP22"}}},
		{Count: 5, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP21", "MSNP22"}}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.NS}}, // refuses every version
		{Behavior: msntest.Behavior{Kind: msntest.Silent}},
		{Behavior: msntest.Behavior{Kind: msntest.Reset}},
		{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, FailFirst: 1}}, // back on the second attempt
	},
	"co4": { // things that answer but are not MSN
		{Behavior: msntest.Behavior{Kind: msntest.NumericError}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.WebPage}},
		{Behavior: msntest.Behavior{Kind: msntest.Echo}},
		{Behavior: msntest.Behavior{Kind: msntest.EchoGateway}},
		{Behavior: msntest.Behavior{Kind: msntest.Garbage}},
		{Behavior: msntest.Behavior{Kind: msntest.Blackhole}},
	},
	"db5": { // mostly gone
		{Behavior: msntest.Behavior{Kind: msntest.Silent}},
		{Count: 4, Behavior: msntest.Behavior{Kind: msntest.Reset}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.Silent}},
		{Behavior: msntest.Behavior{Kind: msntest.Endless}},
		{Behavior: msntest.Behavior{Kind: msntest.LongLine}},
		{Behavior: msntest.Behavior{Kind: msntest.Blackhole}},
		{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP18"}}}, // MSNP18 only: not scanned
	},
	"services": { // most still take connections
		{Count: 12, Behavior: msntest.Behavior{Kind: msntest.WebPage}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.Blackhole}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.Reset}},
	},
}

// demoOtherBehaviors are the servers of a group demoBehaviors lacks.
var demoOtherBehaviors = []msntest.Spec{
	{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}},
	{Behavior: msntest.Behavior{Kind: msntest.Silent}},
	{Behavior: msntest.Behavior{Kind: msntest.WebPage}},
}

// shippedSite is the embedded copy of the shipped site.toml, read.
func shippedSite(ctx context.Context) (*site, error) {
	return config.Parse(ctx, shippedSiteName, shippedSiteTOML)
}

// demoFleetSpecs are the simulated servers of the demo of s: one per
// server of each group, in order, behaving as demoBehaviors says.
func demoFleetSpecs(s *site) []msntest.Spec {
	var specs []msntest.Spec
	for _, g := range s.Probe.Groups {
		var kinds []msntest.Behavior
		list, ok := demoBehaviors[g.Name]
		if !ok {
			list = demoOtherBehaviors
		}
		for _, sp := range list {
			for range max(sp.Count, 1) {
				kinds = append(kinds, sp.Behavior)
			}
		}
		for i, srv := range g.Servers {
			specs = append(specs, msntest.Spec{Group: g.Name, Main: srv.Main, Behavior: kinds[i%len(kinds)]})
		}
	}
	return specs
}

// demoSite is the shipped site s moved onto the fleet f that
// demoFleetSpecs(s) started: its servers' addresses and ports (demoPort),
// the demo's timeout, and a title, URL and fine print of the demo's own.
func demoSite(s *site, f *msntest.Fleet, timeout time.Duration) (*site, error) {
	d := *s
	d.Probe.Timeout = timeout
	d.Probe.Checks = map[string]probe.Check{}
	for key, c := range s.Probe.Checks {
		port, err := demoPort(c, f.Ports)
		if err != nil {
			return nil, err
		}
		c.Port = port
		d.Probe.Checks[key] = c
	}
	d.Probe.Groups = nil
	for _, g := range s.Probe.Groups {
		sim := f.Group(g.Name)
		if len(sim) != len(g.Servers) {
			return nil, fmt.Errorf("demo: group %q has %d servers, the fleet %d", g.Name, len(g.Servers), len(sim))
		}
		g.Servers = append([]probe.Server(nil), g.Servers...)
		for j := range g.Servers {
			g.Servers[j].Address = sim[j].Addr
		}
		d.Probe.Groups = append(d.Probe.Groups, g)
	}
	p := s.Page.WithDefaults()
	d.Page.Repository = p.Repository // of the shipped address, kept
	d.Page.Title = p.Title + " (demo)"
	d.Page.URL = "http://127.0.0.1:8080/"
	d.Page.FinePrint = "A **demo**: every server on this page is simulated by `deadyet demo` on this machine's loopback addresses."
	if s.Page.FinePrint != "" {
		d.Page.FinePrint += "\n\n" + s.Page.FinePrint
	}
	return &d, nil
}

// demoPort is the port of the fleet's that stands for the check c's.
func demoPort(c probe.Check, p msntest.Ports) (int, error) {
	if c.Kind == probe.MSNP {
		return cmp.Or(map[probe.Via]int{probe.HTTP: p.HTTP, probe.HTTPS: p.HTTPS}[c.Via], p.Direct), nil
	}
	if port, ok := map[int]int{80: p.HTTP, 443: p.HTTPS, 1863: p.Direct}[c.EffectivePort()]; ok {
		return port, nil
	}
	return 0, fmt.Errorf("demo: check %q is on port %d, which the simulated servers do not have (80, 443 and 1863)", c.Key, c.EffectivePort())
}
