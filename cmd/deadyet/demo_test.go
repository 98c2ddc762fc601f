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
	t.Cleanup(func() { closeFleet(t, fleet) })
	d, err := demoSite(s, fleet, 700*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Probe.Checks["msnp18"]; c.Via != probe.HTTPS || c.Scan || c.Port != fleet.Ports.HTTPS {
		t.Errorf("msnp18 %+v: want it through the HTTPS gateway, unscanned, as site.toml has it", c)
	}
	page := d.Page
	if page.Title != "Is MSN dead yet? (demo)" || page.URL != "http://127.0.0.1:8080/" || !strings.HasSuffix(page.FinePrint, "\n\n"+s.Page.FinePrint) ||
		page.Repository != "https://github.com/example/deadyet" {
		t.Errorf("title %q, url %q, repository %q, fine print %q", page.Title, page.URL, page.Repository, page.FinePrint)
	}
	// Put back what the demo moves: the rest must be site.toml's.
	if d.Probe.Timeout != 700*time.Millisecond {
		t.Errorf("timeout %v", d.Probe.Timeout)
	}
	d.Probe.Timeout, d.Page = s.Probe.Timeout, s.Page
	ports := []int{fleet.Ports.Direct, fleet.Ports.HTTP, fleet.Ports.HTTPS}
	for key, c := range d.Probe.Checks {
		if !slices.Contains(ports, c.Port) {
			t.Errorf("check %s on port %d, not the fleet's %v", key, c.Port, ports)
		}
		c.Port = s.Probe.Checks[key].Port
		d.Probe.Checks[key] = c
	}
	addrs, i := fleet.Addresses(), 0
	for gi, g := range d.Probe.Groups {
		for j := range min(len(g.Servers), len(s.Probe.Groups[gi].Servers)) {
			if g.Servers[j].Address != addrs[i] {
				t.Errorf("group %s server %d on %s, want %s", g.Name, j, g.Servers[j].Address, addrs[i])
			}
			g.Servers[j].Address = s.Probe.Groups[gi].Servers[j].Address
			i++
		}
	}
	if !reflect.DeepEqual(d, s) {
		t.Errorf("the demo's site differs from site.toml in more than its servers and page:\n%+v\n%+v", d, s)
	}
}
