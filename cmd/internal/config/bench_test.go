package config

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkLoadConfig loads and validates a site.toml of 10,000 servers with
// one check (make bench), and reports the time of one load against its
// goal, 1 s.
func BenchmarkLoadConfig(b *testing.B) {
	const n, goal = 10000, time.Second
	path := filepath.Join(b.TempDir(), "site.toml")
	if err := os.WriteFile(path, bigSite(n), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		s, err := Load(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(s.Probe.Groups[0].Servers); got != n {
			b.Fatalf("%d servers, want %d", got, n)
		}
	}
	per := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "s/check")
	b.Logf("check of a %d-server site.toml: %v (goal < %v)", n, per.Round(time.Millisecond), goal)
}
