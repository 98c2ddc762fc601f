package probe_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// The probe's figures of make bench, each beside its goal:
//
//	go test ./probe -run '^$' -bench . -benchtime 3x

// BenchmarkRun runs 100 and 1,000 servers × 3 versions, directly and
// through the HTTPS gateway, each run with a cold TLS session cache as a
// new process has. Goal: x_growth, the time of 1,000 over that of 100, ≤ 11.
func BenchmarkRun(b *testing.B) {
	f, err := msntest.StartFleet("127.0.200.1", msntest.Ports{HTTP: msntest.Off},
		[]msntest.Spec{{Count: 1000, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, via := range []probe.Via{probe.Direct, probe.HTTPS} {
		b.Run(string(via), func(b *testing.B) {
			port := f.Ports.Direct
			if via == probe.HTTPS {
				port = f.Ports.HTTPS
			}
			cfg := func(n int) probe.Config {
				c := probe.Config{Timeout: 10 * time.Second, Attempts: 1, Checks: map[string]probe.Check{}}
				g := probe.Group{Name: "g"}
				for _, v := range msntest.DefaultVersions {
					c.Checks[v] = probe.Check{Kind: probe.MSNP, Version: v, Via: via, Port: port, Scan: true}
					g.Checks = append(g.Checks, v)
				}
				for _, a := range f.Addresses()[:n] {
					g.Servers = append(g.Servers, probe.Server{Address: a})
				}
				c.Groups = []probe.Group{g}
				return c
			}
			small, large := cfg(100), cfg(1000)
			var t100, t1000 time.Duration
			for b.Loop() {
				t100 += timeRun(b, small, probe.Up)
				t1000 += timeRun(b, large, probe.Up)
			}
			n := time.Duration(b.N)
			b.ReportMetric((t100 / n).Seconds(), "s/100-servers")
			b.ReportMetric((t1000 / n).Seconds(), "s/1000-servers")
			b.ReportMetric(float64(t1000)/float64(t100), "x_growth")
			b.Logf("%s: x_growth %.1f, goal ≤ 11 (linear)", via, float64(t1000)/float64(t100))
		})
	}
}

// BenchmarkShippedSilent runs site.toml's [probe] settings and scanned
// checks against 200 silent servers (the fleet's addresses, never the
// config's). Goal: timeout × attempts + 1 s.
func BenchmarkShippedSilent(b *testing.B) {
	var site struct {
		Probe struct {
			Timeout     string
			Attempts    int
			Concurrency int
		}
		Checks map[string]struct {
			Kind, Version, Via string
			Port               int
			Scan               *bool
		}
	}
	if _, err := toml.DecodeFile("../site.toml", &site); err != nil {
		b.Fatal(err)
	}
	timeout, err := time.ParseDuration(site.Probe.Timeout)
	if err != nil {
		b.Fatal(err)
	}
	f, err := msntest.StartFleet("127.0.210.1", msntest.Ports{}, []msntest.Spec{{Count: 200, Behavior: msntest.Behavior{Kind: msntest.Silent}}})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	cfg := probe.Config{Timeout: timeout, Attempts: site.Probe.Attempts, Concurrency: site.Probe.Concurrency, Checks: map[string]probe.Check{}}
	g := probe.Group{Name: "g"}
	for key, c := range site.Checks {
		if c.Scan != nil && !*c.Scan {
			continue
		}
		pc := probe.Check{Kind: probe.Kind(c.Kind), Version: c.Version, Via: probe.Via(c.Via), Port: c.Port, Scan: true}
		switch pc.EffectivePort() {
		case 80:
			pc.Port = f.Ports.HTTP
		case 443:
			pc.Port = f.Ports.HTTPS
		default:
			pc.Port = f.Ports.Direct
		}
		cfg.Checks[key] = pc
		g.Checks = append(g.Checks, key)
	}
	for _, a := range f.Addresses() {
		g.Servers = append(g.Servers, probe.Server{Address: a})
	}
	cfg.Groups = []probe.Group{g}
	var took time.Duration
	for b.Loop() {
		took += timeRun(b, cfg, "")
	}
	goal := timeout*time.Duration(max(cfg.Attempts, 1)) + time.Second
	b.ReportMetric((took / time.Duration(b.N)).Seconds(), "s/run")
	b.ReportMetric(goal.Seconds(), "goal-s")
	b.Logf("%d checks × 200 silent servers, timeout %s × %d attempts: %s a run, goal ≤ %s",
		len(g.Checks), timeout, cfg.Attempts, took/time.Duration(b.N), goal)
}

// timeRun is the time of one run of cfg, whose every result must be want
// (any state but skipped when want is "").
func timeRun(b *testing.B, cfg probe.Config, want probe.State) time.Duration {
	b.Helper()
	probe.ForgetTLSSessions()
	start := time.Now()
	res, err := probe.Run(context.Background(), cfg)
	took := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res.Results {
		if want != "" && r.State != want || r.State == probe.Skipped {
			b.Fatal(fmt.Sprint(r))
		}
	}
	return took
}
