package render

import (
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"deadyet/probe"
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
	news, err := LoadNews(fixtureNews(), "news")
	if err != nil {
		t.Fatal(err)
	}
	cfg := fixtureConfig(11, 7, 11)
	return Options{
		Config:  cfg,
		Page:    Page{Title: "Is MSN dead yet?", URL: "https://someone.github.io/deadyet/"},
		Results: fixtureResults(cfg, func(g, s int) bool { return g == 0 && s == 3 }),
		News:    news,
	}
}
