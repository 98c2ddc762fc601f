package main

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/msntest"
)

func TestSeedHistory(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	res := probe.Results{Version: 1, Started: now, Finished: now, Results: []probe.Result{
		{Group: "bn2", Address: "127.0.2.1", Check: "msnp21", State: probe.Up},
		{Group: "bn2", Address: "127.0.2.2", Check: "msnp21", State: probe.Timeout},
		{Group: "bn2", Address: "127.0.2.2", Check: "tcp80", State: probe.Skipped},
	}}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedHistory(h, res); err != nil {
		t.Fatal(err)
	}
	stats := h.Stats(now)
	gone := stats[probe.Key{Group: "bn2", Address: "127.0.2.2", Check: "msnp21"}]
	if gone.State != probe.Timeout || gone.LastUp.IsZero() || !gone.LastUp.Before(now.Add(-24*time.Hour)) {
		t.Errorf("a cell down today: state %s, last up %v; want timeout, up some days ago", gone.State, gone.LastUp)
	}
	if _, ok := stats[probe.Key{Group: "bn2", Address: "127.0.2.2", Check: "tcp80"}]; ok {
		t.Error("a skipped check got a history")
	}
	if s := stats[probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}]; s.State != probe.Up {
		t.Errorf("a cell up today ends the past %s", s.State)
	}

	// A history with lines is the record of earlier demos: left alone.
	n := h.Len()
	if err := seedHistory(h, res); err != nil {
		t.Fatal(err)
	}
	if h.Len() != n {
		t.Errorf("seeding a history of %d lines made it %d", n, h.Len())
	}
}

// TestShippedSiteCopy: the demo's built-in site.toml is the shipped one.
func TestShippedSiteCopy(t *testing.T) {
	shipped, err := os.ReadFile("../../site.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, shippedSiteTOML) {
		t.Fatal("cmd/deadyet/shipped-site.toml, the demo's copy of site.toml, differs from site.toml: run go generate ./cmd/deadyet and commit the copy")
	}
}

// TestDemoSiteFollowsShipped: the demo's config is site.toml with the
// servers and ports moved to the simulated fleet, and nothing else changed
// but the page's title, address and a line of fine print.
func TestDemoSiteFollowsShipped(t *testing.T) {
	s, err := loadConfig("../../site.toml")
	if err != nil {
		t.Fatal(err)
	}
	fleet, err := msntest.StartFleet("127.0.90.1", msntest.Ports{}, demoFleetSpecs(s))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	d, err := demoSite(s, fleet, 700*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if d.Probe.Timeout != 700*time.Millisecond || d.Probe.Attempts != s.Probe.Attempts || d.Probe.Concurrency != s.Probe.Concurrency {
		t.Errorf("probe settings %v %d %d", d.Probe.Timeout, d.Probe.Attempts, d.Probe.Concurrency)
	}
	if len(d.Probe.Checks) != len(s.Probe.Checks) || len(s.Probe.Checks) < 7 {
		t.Errorf("%d checks, site.toml has %d", len(d.Probe.Checks), len(s.Probe.Checks))
	}
	ports := []int{fleet.Ports.Direct, fleet.Ports.HTTP, fleet.Ports.HTTPS}
	for key, c := range s.Probe.Checks {
		got := d.Probe.Checks[key]
		if !slices.Contains(ports, got.Port) {
			t.Errorf("check %s on port %d, not the fleet's %v", key, got.Port, ports)
		}
		got.Port = c.Port
		if got != c {
			t.Errorf("check %s:\n%+v\nsite.toml has\n%+v", key, got, c)
		}
	}
	if c := d.Probe.Checks["msnp18"]; c.Via != probe.HTTPS || c.Scan || c.Port != fleet.Ports.HTTPS {
		t.Errorf("msnp18 %+v: want it through the HTTPS gateway, unscanned, as site.toml has it", c)
	}
	if len(d.Probe.Groups) != len(s.Probe.Groups) {
		t.Fatalf("%d groups, site.toml has %d", len(d.Probe.Groups), len(s.Probe.Groups))
	}
	addrs := fleet.Addresses()
	i := 0
	for gi, g := range s.Probe.Groups {
		dg := d.Probe.Groups[gi]
		if dg.Name != g.Name || dg.Title != g.Title || dg.About != g.About || !slices.Equal(dg.Checks, g.Checks) || len(dg.Servers) != len(g.Servers) {
			t.Errorf("group %d: %+v\nsite.toml has\n%+v", gi, dg, g)
			continue
		}
		for j, srv := range g.Servers {
			got := dg.Servers[j]
			if got.Address != addrs[i] || got.Main != srv.Main || got.Note != srv.Note {
				t.Errorf("group %s server %d: %+v, want %s for %+v", g.Name, j, got, addrs[i], srv)
			}
			i++
		}
	}
	page, want := d.Page, s.Page
	if page.Title != "Is MSN dead yet? (demo)" || page.URL != "http://127.0.0.1:8080/" || !strings.HasSuffix(page.FinePrint, "\n\n"+want.FinePrint) ||
		page.Repository != "https://github.com/example/deadyet" {
		t.Errorf("title %q, url %q, repository %q, fine print %q", page.Title, page.URL, page.Repository, page.FinePrint)
	}
	page.Title, page.URL, page.FinePrint, page.Repository = want.Title, want.URL, want.FinePrint, want.Repository
	if !reflect.DeepEqual(page, want) {
		t.Errorf("the demo's page text differs from site.toml's [page]:\n%+v\n%+v", page, want)
	}
}
