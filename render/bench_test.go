package render

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/render/news"
)

// gzipSize is the size of data compressed as a web server would (level 9).
func gzipSize(t testing.TB, data []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// benchChecks are the seven checks of the ten-year site, every one scanned.
var benchChecks = []string{"tcp80", "tcp443", "tcp1863", "msnp18", "msnp21", "msnp22", "msnp21http"}

// tenYearsOptions is a site of 100 servers (four groups of 25) × 7
// checks, all scanned, with ten years of hourly runs in a history written
// into dir: each cell changes state in a run with probability flip (1/720:
// about once a month), one UTC day in 50 has no run, and the site's news
// holds an entry a month. The results are the last run.
func tenYearsOptions(tb testing.TB, dir string, flip float64) Options {
	tb.Helper()
	checks := maps.Clone(fixtureChecks)
	checks["msnp21http"] = probe.Check{Key: "msnp21http", Label: "MSNP21 (HTTP)", Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTP, About: "MSNP21 through the HTTP gateway."}
	for k, c := range checks {
		c.Scan = true
		checks[k] = c
	}
	cfg := probe.Config{Checks: checks}
	for g := range 4 {
		grp := probe.Group{Name: fmt.Sprintf("r%d", g), Checks: benchChecks}
		for s := range 25 {
			grp.Servers = append(grp.Servers, probe.Server{Address: fmt.Sprintf("127.%d.0.%d", 10+g, 1+s), Main: s == 0})
		}
		cfg.Groups = append(cfg.Groups, grp)
	}
	states := []probe.State{probe.Up, probe.Rejected, probe.Foreign, probe.Refused, probe.Timeout, probe.Error}
	details := map[probe.State]string{probe.Up: "VER 1 MSNP21 CVR0", probe.Rejected: "VER 1 0", probe.Foreign: "HTTP 200 without X-MSN-Messenger",
		probe.Refused: "connection refused", probe.Timeout: "no answer within 3s", probe.Error: "tls: handshake failure"}
	type cell struct {
		group, address, check string
		state                 probe.State
	}
	var cells []cell
	for _, g := range cfg.Groups {
		for _, s := range g.Servers {
			for _, c := range g.Checks {
				cells = append(cells, cell{g.Name, s.Address, c, ""})
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	end := time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC)
	hours := 10 * 365 * 24
	start := end.Add(-time.Duration(hours-1) * time.Hour)
	var buf bytes.Buffer
	line := func(t time.Time, c cell, from, to probe.State) {
		fmt.Fprintf(&buf, `{"t":"%s","group":"%s","address":"%s","check":"%s","from":"%s","to":"%s","detail":"%s"}`+"\n",
			t.Format(time.RFC3339), c.group, c.address, c.check, from, to, details[to])
	}
	gap := false
	for h := range hours {
		at := start.Add(time.Duration(h) * time.Hour)
		if h == 0 || at.Hour() == 0 {
			gap = h > 0 && rng.IntN(50) == 0
			if !gap {
				fmt.Fprintf(&buf, `{"t":"%s","heartbeat":true}`+"\n", at.Format(time.RFC3339))
			}
		}
		for i := range cells {
			c := &cells[i]
			to := c.state
			switch {
			case to == "":
				to = states[rng.IntN(len(states))]
			case rng.Float64() < flip:
				for to == c.state {
					to = states[rng.IntN(len(states))]
				}
			}
			if to != c.state && !gap {
				line(at, *c, c.state, to)
				c.state = to
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, history.FileName), buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	res := probe.Results{Version: probe.ResultsVersion, Started: end.Add(-3 * time.Second), Finished: end, Vantage: "bench"}
	for _, c := range cells {
		res.Results = append(res.Results, probe.Result{Group: c.group, Address: c.address, Check: c.check, State: c.state, Detail: details[c.state], MS: 40, Attempts: 1})
	}
	var entries []news.Entry
	for m := range 120 {
		d := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, m, 0)
		entries = append(entries, news.Entry{Date: d, Slug: "month", Title: "A month passed", Body: "Nothing much, as usual. See [the FAQ](#faq)."})
	}
	// The news links to the FAQ, so the page has one.
	page := Page{URL: "https://someone.github.io/deadyet/", FAQ: []FAQ{{Question: "Is it dead?", Answer: "See above."}}}
	return Options{Config: cfg, Page: page, Results: res, News: entries}
}

// cpuTime is the CPU time the process has used, user and system: a
// measure that other work on a shared machine does not inflate.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSiteTenYears builds the whole site of tenYearsOptions: reading
// the history, the view and every page, and writing the folder. It
// reports the number of files, their bytes, the gzipped size of the
// largest page, and the time of each step; it walks the site's links too.
//
//	go test ./render -run '^$' -bench SiteTenYears -benchtime 3x
func BenchmarkSiteTenYears(b *testing.B) {
	for _, sc := range []struct {
		name string
		flip float64
	}{{"monthly", 1.0 / 720}, {"yearly", 1.0 / 8760}, {"decade", 1.0 / 87600}} {
		b.Run(sc.name, func(b *testing.B) {
			hist := b.TempDir()
			opts := tenYearsOptions(b, hist, sc.flip)
			out := filepath.Join(b.TempDir(), "site")
			var read, render, write, cpu time.Duration
			var files []File
			var lines int
			for b.Loop() {
				t0 := time.Now()
				h, err := history.Read(hist)
				if err != nil {
					b.Fatal(err)
				}
				lines = h.Len()
				t1, c1 := time.Now(), cpuTime(b)
				o := opts
				o.History = h
				if _, files, err = Render(o); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				cpu += cpuTime(b) - c1
				if err := WriteFiles(out, files); err != nil {
					b.Fatal(err)
				}
				read, render, write = read+t1.Sub(t0), render+t2.Sub(t1), write+time.Since(t2)
			}
			total, largest, largestName := 0, 0, ""
			kinds := map[string]int{} // the largest gzipped page of each kind
			type share struct{ files, bytes int }
			shares := map[string]*share{} // the files and bytes of each kind: where the site's bytes go
			for _, f := range files {
				total += len(f.Data)
				kind, _, _ := strings.Cut(f.Name, "/")
				if shares[kind] == nil {
					shares[kind] = &share{}
				}
				shares[kind].files++
				shares[kind].bytes += len(f.Data)
				if strings.HasSuffix(f.Name, ".html") {
					g := gzipSize(b, f.Data)
					if g > largest {
						largest, largestName = g, f.Name
					}
					kinds[kind] = max(kinds[kind], g)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(lines), "lines")
			b.ReportMetric(float64(len(files)), "files")
			b.ReportMetric(float64(total)/1e6, "site-MB")
			b.ReportMetric(float64(largest), "largest-page-gz-bytes")
			b.ReportMetric(read.Seconds()*1000/n, "read-ms")
			b.ReportMetric(render.Seconds()*1000/n, "render-ms")
			b.ReportMetric(cpu.Seconds()*1000/n, "render-cpu-ms")
			b.ReportMetric(write.Seconds()*1000/n, "write-ms")
			b.Logf("largest page gzipped: %s; largest of each kind: index.html %d, server %d, day %d, archive %d bytes gzipped (style.css %d, pages.css %d)",
				largestName, kinds["index.html"], kinds["server"], kinds["day"], kinds["archive"],
				gzipSize(b, fileOf(b, files, "style.css")), gzipSize(b, fileOf(b, files, "pages.css")))
			var where []string
			for _, kind := range slices.Sorted(maps.Keys(shares)) {
				sh := shares[kind]
				where = append(where, fmt.Sprintf("%s %d files %.1f MB (%.1f KB each)", kind, sh.files, float64(sh.bytes)/1e6, float64(sh.bytes)/1e3/float64(sh.files)))
			}
			b.Logf("bytes by kind: %s", strings.Join(where, "; "))
			rep := checkLinks(b, out, "/deadyet/")
			b.Logf("link walk: %d pages, %d internal links, none broken", rep.Pages, rep.Links)
			b.Logf("%s: render %.2f s (goal < 2 s), largest page %.1f KB gzipped (goal < 15 KB), site %.1f MB (goal < 50 MB; the goals are the yearly site's)",
				sc.name, render.Seconds()/n, float64(largest)/1e3, float64(total)/1e6)
		})
	}
}
