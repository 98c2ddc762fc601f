package probe_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// The probe's figures of make bench, each beside its goal:
//
//	go test ./probe -run '^$' -bench . -benchtime 5x

// BenchmarkRun runs 100 and 1,000 servers × 3 versions, directly and
// through the HTTPS gateway, each run with a cold TLS session cache as a
// new process has. Goal: x_growth, the time of 1,000 over that of 100 (the
// fastest run of each: the one other load on the machine disturbed least), ≤ 11.
func BenchmarkRun(b *testing.B) {
	f, err := msntest.StartFleet("127.0.200.1", msntest.Ports{HTTP: msntest.Off},
		[]msntest.Spec{{Count: 1000, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, via := range []probe.Via{probe.Direct, probe.HTTPS} {
		b.Run(string(via), func(b *testing.B) {
			cfg := func(n int) probe.Config {
				c := probe.Config{Timeout: 10 * time.Second, Attempts: 1, Checks: map[string]probe.Check{}}
				g := probe.Group{Name: "g", Servers: servers(f.Addresses()[:n]...)}
				for _, v := range msntest.DefaultVersions {
					c.Checks[v] = probe.Check{Kind: probe.MSNP, Version: v, Via: via, Port: map[probe.Via]int{probe.Direct: f.Ports.Direct, probe.HTTPS: f.Ports.HTTPS}[via], Scan: true}
					g.Checks = append(g.Checks, v)
				}
				c.Groups = []probe.Group{g}
				return c
			}
			small, large := cfg(100), cfg(1000)
			var runs100, runs1000 []time.Duration
			for b.Loop() {
				runs100 = append(runs100, timeRun(b, small, probe.Up))
				runs1000 = append(runs1000, timeRun(b, large, probe.Up))
			}
			t100, t1000 := slices.Min(runs100), slices.Min(runs1000)
			growth := float64(t1000) / float64(t100)
			b.ReportMetric(t100.Seconds(), "s/100-servers")
			b.ReportMetric(t1000.Seconds(), "s/1000-servers")
			b.ReportMetric(growth, "x_growth")
			b.Logf("%s: x_growth %.1f, goal ≤ 11 (linear)", via, growth)
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
	g := probe.Group{Name: "g", Servers: servers(f.Addresses()...)}
	ports := map[int]int{80: f.Ports.HTTP, 443: f.Ports.HTTPS, 1863: f.Ports.Direct}
	for key, c := range site.Checks {
		pc := probe.Check{Kind: probe.Kind(c.Kind), Version: c.Version, Via: probe.Via(c.Via), Port: c.Port, Scan: true}
		if p, ok := ports[pc.EffectivePort()]; ok && (c.Scan == nil || *c.Scan) {
			pc.Port = p
			cfg.Checks[key], g.Checks = pc, append(g.Checks, key)
		}
	}
	cfg.Groups = []probe.Group{g}
	var took time.Duration
	for b.Loop() {
		took += timeRun(b, cfg, "")
	}
	took /= time.Duration(b.N)
	goal := timeout*time.Duration(max(cfg.Attempts, 1)) + time.Second
	b.ReportMetric(took.Seconds(), "s/run")
	b.ReportMetric(goal.Seconds(), "goal-s")
	b.Logf("%d checks × 200 silent servers, %s × %d attempts: %s a run, goal ≤ %s", len(g.Checks), timeout, cfg.Attempts, took, goal)
}

// timeRun is the time of one run of cfg, whose every result must be want
// (up or timeout when want is "").
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
		if want != "" && r.State != want || want == "" && r.State != probe.Timeout && r.State != probe.Up {
			b.Fatal(r) // silent servers: the tcp checks are up, the others time out
		}
	}
	return took
}
