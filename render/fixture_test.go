package render

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/history/historytest"
	"deadyet/render/news"
)

// The fixture is shaped like the shipped site.toml: three regions (bn2 11
// servers, co4 7, db5 11), six checks of which three are not scanned, and a
// Services group of host names with notes. Its addresses are loopback ones
// and its host names end in .example: nothing here is a real server.

var fixtureChecks = map[string]probe.Check{
	"tcp80":   {Key: "tcp80", Label: ":80", Kind: probe.TCP, Port: 80, About: "HTTP port open: what old clients used with their HTTP option."},
	"tcp443":  {Key: "tcp443", Label: ":443", Kind: probe.TCP, Port: 443, Scan: true, About: "HTTPS port open. Newer official clients use it."},
	"tcp1863": {Key: "tcp1863", Label: ":1863", Kind: probe.TCP, Port: 1863, About: "The MSNP port itself."},
	"msnp18":  {Key: "msnp18", Label: "MSNP18", Kind: probe.MSNP, Version: "MSNP18", Via: probe.HTTPS, About: "Sends `VER 1 MSNP18` through the HTTPS gateway."},
	"msnp21":  {Key: "msnp21", Label: "MSNP21", Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTPS, Scan: true, About: "The same with MSNP21 (Windows Live Messenger 2012)."},
	"msnp22":  {Key: "msnp22", Label: "MSNP22", Kind: probe.MSNP, Version: "MSNP22", Via: probe.HTTPS, Scan: true, About: "The same with MSNP22 (the Windows 8 messaging app)."},
}

var regionChecks = []string{"tcp80", "tcp443", "tcp1863", "msnp18", "msnp21", "msnp22"}

var fixtureServices = []probe.Server{
	{Address: "login.live.example", Note: "Windows Live ID sign-in"},
	{Address: "contacts.msn.example", Note: "The contact list"},
	{Address: "storage.msn.example", Note: "Display pictures, names and personal messages"},
	{Address: "messenger.hotmail.example", Note: "The notification server, MSNP on port 1863"},
	{Address: "gateway.messenger.hotmail.example", Note: "The HTTP gateway for clients behind firewalls"},
	{Address: "config.messenger.msn.example", Note: "Client configuration"},
	{Address: "ows.messenger.msn.example", Note: "Sending offline messages"},
	{Address: "rsi.hotmail.example", Note: "Receiving offline messages"},
	{Address: "relay.voice.messenger.msn.example", Note: "Voice relay"},
	{Address: "appdirectory.messenger.msn.example", Note: "Activities and games"},
}

// fixtureConfig returns a config of groups of the given sizes named bn2,
// co4, db5, … with one main server each, plus the Services group.
func fixtureConfig(sizes ...int) probe.Config {
	names := []string{"bn2", "co4", "db5"}
	cfg := probe.Config{Checks: fixtureChecks}
	for i, n := range sizes {
		name := fmt.Sprintf("r%d", i)
		if i < len(names) {
			name = names[i]
		}
		g := probe.Group{Name: name, Checks: regionChecks}
		if i == 0 {
			g.About = "Region **bn2**: the first letters of its servers' host names."
		}
		for j := range n {
			g.Servers = append(g.Servers, probe.Server{
				Address: fmt.Sprintf("127.%d.%d.%d", 2+i, j/250, 1+j%250),
				Main:    j == 0,
			})
		}
		cfg.Groups = append(cfg.Groups, g)
	}
	cfg.Groups = append(cfg.Groups, probe.Group{
		Name: "services", Title: "Services", About: "Host names the official client used besides the servers above.",
		Checks: []string{"tcp443"}, Servers: fixtureServices,
	})
	return cfg
}

var fixtureTime = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// fixtureResults gives every scanned cell a state, cycling through them so
// the golden page shows each; skipped checks are skipped. upAt says which
// (group index, server index) answers MSNP21: nil for none.
func fixtureResults(cfg probe.Config, upAt func(g, s int) bool) probe.Results {
	res := probe.Results{
		Version:  probe.ResultsVersion,
		Started:  fixtureTime,
		Finished: fixtureTime.Add(3*time.Second + 250*time.Millisecond),
		Vantage:  "test-vantage",
	}
	down := []struct {
		state  probe.State
		detail string
	}{
		{probe.Rejected, "VER 1 0"},
		{probe.Timeout, "no answer within 3s"},
		{probe.Refused, "connection refused"},
		{probe.Foreign, "HTTP 200 without X-MSN-Messenger"},
		{probe.Error, "tls: handshake failure"},
	}
	n := 0
	for gi, g := range cfg.Groups {
		for si, s := range g.Servers {
			for _, ck := range g.Checks {
				c := cfg.Checks[ck]
				r := probe.Result{Group: g.Name, Address: s.Address, Check: ck}
				switch {
				case !c.Scan:
					r.State = probe.Skipped
				case c.Kind == probe.TCP && (si%3 != 2):
					r.State, r.MS, r.Attempts = probe.Up, int64(20+si), 1
				case c.Kind == probe.TCP:
					r.State, r.Detail, r.MS, r.Attempts = probe.Refused, "connection refused", 1, 2
					if si%2 == 0 {
						r.State, r.Detail, r.MS = probe.Timeout, "no answer within 3s", 3000
					}
				case ck == "msnp21" && upAt != nil && upAt(gi, si):
					r.State, r.MS, r.Attempts, r.Detail = probe.Up, 41, 1, "VER 1 MSNP21 CVR0"
				default:
					d := down[n%len(down)]
					n++
					r.State, r.Detail, r.MS, r.Attempts = d.state, d.detail, int64(100+n), 2
				}
				res.Results = append(res.Results, r)
			}
		}
	}
	return res
}

// fixtureNews is a news folder of twelve entries (so two are "older"), one
// with front matter.
func fixtureNews() fstest.MapFS {
	fsys := fstest.MapFS{
		"news/2017-05-19-gone.md": {Data: []byte("+++\ntitle = \"All servers gone\"\ndate = 2017-05-19\n+++\nAfter a day of silence it is safe to say the servers are gone for good. *RIP.*\n")},
		"news/README.md":          {Data: []byte("How to write news: not an entry.\n")},
	}
	for i := range 11 {
		day := time.Date(2015, 1, 1+i*3, 0, 0, 0, 0, time.UTC)
		fsys[fmt.Sprintf("news/%s-event-%d.md", day.Format(time.DateOnly), i)] = &fstest.MapFile{
			Data: []byte(fmt.Sprintf("Event number %d: port **%d** closed. See <https://example.com/%d>.\n", i, 80+i, i)),
		}
	}
	return fsys
}

// fixtureOptions is the options of the golden site.
func fixtureOptions(t testing.TB) Options {
	t.Helper()
	entries, err := news.Load(fixtureNews(), "news")
	if err != nil {
		t.Fatal(err)
	}
	cfg := fixtureConfig(11, 7, 11)
	page := shippedPage(t)
	page.URL = "https://someone.github.io/deadyet/"
	return Options{
		Config:  cfg,
		Page:    page,
		Results: fixtureResults(cfg, fixtureUpAt),
		News:    entries,
	}
}

// The history fixture: testdata/history/history.jsonl, what hourly runs of
// the golden site's config would have recorded from 2026-08-01 to the
// golden run (2026-11-25 10:00:03). Most cells stay in the state the golden
// run shows; a few change, there are days without a run, and a server that
// left the config. TestFixtureHistoryFile keeps the file equal to what
// makeFixtureHistory records (go test -update rewrites it).
const fixtureHistoryDir = "testdata/history"

// fixtureUpAt is the golden run's MSNP21 server up: bn2's fourth.
func fixtureUpAt(g, s int) bool { return g == 0 && s == 3 }

// fixtureGap reports whether no run happened at t: 2026-10-10 to 10-13 and
// 2026-11-02, whole days.
func fixtureGap(t time.Time) bool {
	d := t.Format(time.DateOnly)
	return (d >= "2026-10-10" && d <= "2026-10-13") || d == "2026-11-02"
}

// fixtureChange is what a run at t saw of a cell, where it differs from the
// golden run.
func fixtureChange(k probe.Key, t time.Time) (probe.State, string, bool) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			panic(err)
		}
		return v
	}
	in := func(from, to string) bool { return !t.Before(at(from)) && t.Before(at(to)) }
	switch k {
	case probe.Key{Group: "bn2", Address: "127.2.0.4", Check: "msnp21"}: // back on 11-20
		if t.Before(at("2026-11-20 14:00")) {
			return probe.Timeout, "no answer within 3s", true
		}
	case probe.Key{Group: "bn2", Address: "127.2.0.1", Check: "msnp21"}: // up for two weeks in September
		if in("2026-09-01 06:00", "2026-09-15 12:00") {
			return probe.Up, "VER 1 MSNP21 CVR0", true
		}
	case probe.Key{Group: "db5", Address: "127.4.0.2", Check: "msnp22"}: // up until yesterday
		if t.Before(at("2026-11-24 08:00")) {
			return probe.Up, "VER 1 MSNP22 CVR0", true
		}
	case probe.Key{Group: "services", Address: "login.live.example", Check: "tcp443"}: // two outages
		if in("2026-11-10 06:00", "2026-11-10 18:00") || in("2026-11-22 02:00", "2026-11-22 05:00") {
			return probe.Refused, "connection refused", true
		}
	}
	return "", "", false
}

// makeFixtureHistory records the fixture's runs into a new history and
// returns the bytes of its file.
func makeFixtureHistory(t testing.TB) []byte {
	t.Helper()
	cfg := fixtureConfig(11, 7, 11)
	final := fixtureResults(cfg, fixtureUpAt)
	dir := t.TempDir()
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	gone := probe.Result{Group: "bn2", Address: "127.2.0.99", Check: "msnp21", State: probe.Rejected, Detail: "VER 1 0"}
	hourly := historytest.Runs{
		Base:  final,
		First: time.Date(2026, 8, 1, 0, 0, 3, 0, time.UTC),
		Until: final.Started,
		Step:  time.Hour,
		See: func(at time.Time, rs []probe.Result) ([]probe.Result, bool) {
			if fixtureGap(at) {
				return nil, false
			}
			for i, res := range rs {
				if st, detail, ok := fixtureChange(probe.KeyOf(res), at); ok {
					rs[i].State, rs[i].Detail = st, detail
				}
			}
			if at.Before(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
				rs = append(rs, gone) // a server that left the config
			}
			return rs, true
		},
	}
	if err := hourly.Record(h); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Record(final); err != nil {
		t.Fatal(err)
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// historyOf reads a history of the given lines from a new folder; nil
// lines make an empty one.
func historyOf(t testing.TB, lines []byte) *history.History {
	t.Helper()
	dir := t.TempDir()
	if lines != nil {
		if err := os.WriteFile(filepath.Join(dir, history.FileName), lines, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// fixtureHistory is a copy of the history fixture that a test may record to.
func fixtureHistory(t testing.TB) *history.History {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureHistoryDir, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return historyOf(t, data)
}

// fixtureHistoryOptions is the golden site with the history fixture, and
// one cell whose vantage points disagree.
func fixtureHistoryOptions(t testing.TB) Options {
	t.Helper()
	opts := fixtureOptions(t)
	opts.History = fixtureHistory(t)
	opts.Results.Results = slices.Clone(opts.Results.Results)
	for i, r := range opts.Results.Results {
		if r.Group == "bn2" && r.Address == "127.2.0.4" && r.Check == "msnp21" {
			opts.Results.Results[i].Disagree = true
			opts.Results.Results[i].Detail = "up from test-eu; timeout from test-us"
		}
	}
	return opts
}
