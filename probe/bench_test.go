package probe_test

import (
	"context"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// Small benchmarks for go test -bench; the large one, 10,000 servers, is
// the benchfleet program (make bench).

func BenchmarkParseReply(b *testing.B) {
	line := "CVR 2 14.0.8117.0416 14.0.8117.0416 14.0.8117.0416 http://download.messenger.test/wlsetup-web.exe http://messenger.test/"
	for b.Loop() {
		if _, err := probe.ParseReply(line); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCheck asks one simulated server the same check b.N times.
func benchCheck(b *testing.B, kind probe.Kind, via probe.Via) {
	s, err := msntest.Start("127.0.0.1", msntest.Ports{}, msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	port := map[probe.Via]int{probe.Direct: s.Ports.Direct, probe.HTTP: s.Ports.HTTP, probe.HTTPS: s.Ports.HTTPS}[via]
	c := probe.Check{Key: "c", Kind: kind, Version: "MSNP21", Via: via, Port: port, Scan: true}
	f, err := probe.CheckFor(c)
	if err != nil {
		b.Fatal(err)
	}
	t := probe.Target{Group: "g", Address: "127.0.0.1", Check: c}
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		r := f(ctx, t)
		cancel()
		if r.State != probe.Up {
			b.Fatal(r)
		}
	}
}

func BenchmarkProbeTCP(b *testing.B)          { benchCheck(b, probe.TCP, probe.Direct) }
func BenchmarkProbeMSNP(b *testing.B)         { benchCheck(b, probe.MSNP, probe.Direct) }
func BenchmarkProbeGatewayHTTP(b *testing.B)  { benchCheck(b, probe.MSNP, probe.HTTP) }
func BenchmarkProbeGatewayHTTPS(b *testing.B) { benchCheck(b, probe.MSNP, probe.HTTPS) }

// BenchmarkRun is one run over 100 servers × 3 versions, directly.
func BenchmarkRun(b *testing.B) { benchRun(b, probe.Direct, "127.0.90.1") }

// BenchmarkRunHTTPS is the same through the HTTPS gateway: a TLS
// handshake and six requests per server. The session cache is the
// process's: after the first run, the handshakes resume.
func BenchmarkRunHTTPS(b *testing.B) { benchRun(b, probe.HTTPS, "127.0.91.1") }

func benchRun(b *testing.B, via probe.Via, base string) {
	ports := msntest.Ports{HTTP: msntest.Off, HTTPS: msntest.Off}
	if via == probe.HTTPS {
		ports = msntest.Ports{Direct: msntest.Off, HTTP: msntest.Off}
	}
	f, err := msntest.StartFleet(base, ports,
		[]msntest.Spec{{Count: 100, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	port := f.Ports.Direct
	if via == probe.HTTPS {
		port = f.Ports.HTTPS
	}
	cfg := probe.Config{Timeout: 5 * time.Second, Attempts: 1, Concurrency: 32, Checks: map[string]probe.Check{}}
	g := probe.Group{Name: "g"}
	for _, v := range []string{"MSNP18", "MSNP21", "MSNP22"} {
		cfg.Checks[v] = probe.Check{Kind: probe.MSNP, Version: v, Via: via, Port: port, Scan: true}
		g.Checks = append(g.Checks, v)
	}
	for _, a := range f.Addresses() {
		g.Servers = append(g.Servers, probe.Server{Address: a})
	}
	cfg.Groups = []probe.Group{g}
	for b.Loop() {
		res, err := probe.Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res.Results {
			if r.State != probe.Up {
				b.Fatal(r)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/300, "µs/check")
}
