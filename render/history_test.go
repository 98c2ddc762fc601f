package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/static"
)

// TestFixtureHistoryFile keeps testdata/history/history.jsonl what the
// fixture's runs record; -update rewrites it.
func TestFixtureHistoryFile(t *testing.T) {
	golden(t, filepath.Join("history", history.FileName), makeFixtureHistory(t))
}

// TestGoldenHistory renders the golden site with the history fixture. The
// pages the history does not touch stay those of the site without it.
func TestGoldenHistory(t *testing.T) {
	files := mustRender(t, fixtureHistoryOptions(t))
	golden(t, "golden-history-index.html", fileOf(t, files, "index.html"))
	golden(t, "golden-history-feed.xml", fileOf(t, files, "feed.xml"))
	golden(t, "golden-history-server.html", fileOf(t, files, "server/bn2/127.2.0.4/index.html"))
	golden(t, "golden-history-day.html", fileOf(t, files, "day/2026-11-20/index.html"))
	golden(t, "golden-history-archive.html", fileOf(t, files, "archive/index.html"))
	// Still no inline style, nothing loaded from elsewhere; the one script
	// is checked in TestStaleNotice.
	index := bytes.Replace(fileOf(t, files, "index.html"), []byte(`<script src="stale.js"></script>`), nil, 1)
	for _, bad := range []string{" style=", " src=", "<iframe", "<img", "@import", "<style"} {
		if bytes.Contains(index, []byte(bad)) {
			t.Errorf("index.html contains %q", bad)
		}
	}
	plain := mustRender(t, fixtureOptions(t))
	for _, name := range []string{"404.html", "status.json", "badge.svg"} {
		if !bytes.Equal(fileOf(t, files, name), fileOf(t, plain, name)) {
			t.Errorf("%s changes with a history", name)
		}
	}
	again := mustRender(t, fixtureHistoryOptions(t))
	for i := range files {
		if !bytes.Equal(files[i].Data, again[i].Data) {
			t.Errorf("%s: two renders of the same input differ", files[i].Name)
		}
	}
}

// cellOf finds a cell of the view.
func cellOf(t *testing.T, v *View, group, address, check string) Cell {
	t.Helper()
	for _, tb := range v.Tables {
		for i, col := range tb.Columns {
			if tb.Name != group || col.Key != check {
				continue
			}
			for _, r := range tb.Rows {
				if r.Address == address {
					return r.Cells[i]
				}
			}
		}
	}
	t.Fatalf("no cell %s %s %s", group, address, check)
	return Cell{}
}

// rowOf finds a row of the view.
func rowOf(t *testing.T, v *View, group, address string) Row {
	t.Helper()
	for _, tb := range v.Tables {
		for _, r := range tb.Rows {
			if tb.Name == group && r.Address == address {
				return r
			}
		}
	}
	t.Fatalf("no row %s %s", group, address)
	return Row{}
}

// TestCellHistory checks what the history says of cells (the server
// pages' text), against the fixture's story.
func TestCellHistory(t *testing.T) {
	v := mustBuild(t, fixtureHistoryOptions(t))
	tests := []struct {
		group, address, check string
		want                  []string // in the history's phrases, or the cell's text
		not                   []string
	}{
		// Back up on 11-20 14:00, after timing out since the first run; seen
		// up by one vantage point of two.
		{"bn2", "127.2.0.4", "msnp21",
			[]string{"since 2026-11-20 14:00 UTC", "up 17% of the time checked in the last 30 days, 4% in the last 365" /* 116 h of 29 known days: 11-02 had no run */, "vantage points disagree: up from test-eu; timeout from test-us"},
			[]string{"last up", "never seen up"}},
		// Up from 09-01 06:00 to 09-15 12:00 only.
		{"bn2", "127.2.0.1", "msnp21",
			[]string{"since 2026-09-15;", "up 0% of the time checked in the last 30 days, 13% in the last 365", "last up 2026-09-15"},
			[]string{"never seen up", "disagree"}},
		// Up until 11-24 08:00.
		{"db5", "127.4.0.2", "msnp22",
			[]string{"since 2026-11-24 08:00 UTC", "last up 2026-11-24 08:00 UTC"},
			[]string{"up 100%", "up 0%"}},
		// Never up: the same state since the history began.
		{"co4", "127.3.0.2", "msnp22",
			[]string{"since its first check, 2026-08-01;", "up 0% of the time checked in the last 30 days, 0% in the last 365", "never seen up"},
			nil},
		// Up all along.
		{"bn2", "127.2.0.1", "tcp443",
			[]string{"since its first check, 2026-08-01;", "up 100% of the time checked in the last 30 days, 100% in the last 365"},
			[]string{"last up", "never"}},
		// Two outages.
		{"services", "login.live.example", "tcp443",
			[]string{"since 2026-11-22 05:00 UTC", "up 98% of the time checked in the last 30 days"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.group+" "+tt.address+" "+tt.check, func(t *testing.T) {
			c := cellOf(t, v, tt.group, tt.address, tt.check)
			if c.History == nil {
				t.Fatal("no history")
			}
			said := strings.Join(phrases(c.History), ";\n") + ";\n" + c.Text
			for _, w := range tt.want {
				if !strings.Contains(said, w) {
					t.Errorf("lacks %q:\n%s", w, said)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(said, w) {
					t.Errorf("says %q:\n%s", w, said)
				}
			}
		})
	}
	// Not scanned: nothing from the history.
	if c := cellOf(t, v, "bn2", "127.2.0.1", "msnp18"); c.Text != "not scanned" || c.History != nil {
		t.Errorf("skipped cell: %q / %v", c.Text, c.History)
	}
}

// TestHistoryLags: results the history has not recorded do not borrow the
// history's "since" or "last up".
func TestHistoryLags(t *testing.T) {
	opts := fixtureOptions(t)
	opts.History = fixtureHistory(t)
	opts.Results.Results = append([]probe.Result(nil), opts.Results.Results...)
	for i, r := range opts.Results.Results {
		if r.Group == "db5" && r.Address == "127.4.0.2" && r.Check == "msnp22" {
			opts.Results.Results[i].State = probe.Up
		}
	}
	opts.Config.Groups[0].Servers = append(opts.Config.Groups[0].Servers, probe.Server{Address: "127.2.9.9"})
	opts.Results.Results = append(opts.Results.Results, probe.Result{Group: "bn2", Address: "127.2.9.9", Check: "msnp21", State: probe.Timeout})
	v := mustBuild(t, opts)
	c := cellOf(t, v, "db5", "127.4.0.2", "msnp22")
	if h := c.History; h == nil || h.Lag != "this run is not in the history yet" || h.Since != "" || h.LastUp != "" || h.Uptime == "" {
		t.Errorf("lagging history: %+v", h)
	}
	c = cellOf(t, v, "bn2", "127.2.9.9", "msnp21")
	if h := c.History; h == nil || !slices.Equal(phrases(h), []string{"not in the history yet"}) {
		t.Errorf("new server: %+v", h)
	}
	if tl := execute(t, "timeline", rowOf(t, v, "bn2", "127.2.9.9").Timeline); !strings.Contains(tl, "no data 90 days") || strings.Contains(tl, `<path class="u"`) || strings.Contains(tl, `<path class="d"`) {
		t.Errorf("new server's timeline: %s", tl)
	}
}

func TestMoment(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC)
	if got := moment(now.Add(-6*24*time.Hour), now); got != "2026-11-19 10:00 UTC" {
		t.Errorf("six days ago: %q", got)
	}
	if got := moment(now.Add(-8*24*time.Hour), now); got != "2026-11-17" {
		t.Errorf("eight days ago: %q", got)
	}
}

func TestPercent(t *testing.T) {
	h := time.Hour
	tests := []struct {
		up, known time.Duration
		want      string
	}{
		{0, 0, "no data"},
		{0, h, "0%"},
		{h, h, "100%"},
		{h, 2 * h, "50%"},
		{h, 3 * h, "33%"},
		{h / 2, 100 * h, "0.5%"},
		{995 * h / 10, 100 * h, "99.5%"},
		{985 * h / 10, 100 * h, "99%"},
		{999999, 1000000, "99.9%"}, // 99.9999: never rounded up to 100%
		{1, 1000000, "0.1%"},       // never rounded down to 0%
		{2 * h, 3 * h, "67%"},
	}
	for _, tt := range tests {
		if got := percent(history.Ratio{Up: tt.up, Known: tt.known}); got != tt.want {
			t.Errorf("percent(%v of %v) = %q, want %q", tt.up, tt.known, got, tt.want)
		}
	}
}

// phrases is what the history says of a cell, a phrase each.
func phrases(h *CellHistory) []string {
	var out []string
	add := func(ok bool, s string) {
		if ok {
			out = append(out, s)
		}
	}
	add(h.Lag != "", h.Lag)
	add(h.First, "since its first check, "+h.Since)
	add(!h.First && h.Since != "", "since "+h.Since)
	add(h.Uptime != "", h.Uptime)
	add(h.NeverUp, "never seen up")
	add(h.LastUp != "", "last up "+h.LastUp)
	return out
}

// bestDays is, for each of n days, the best fraction up of any of the
// checks' days, as a class: what the chronicle must draw.
func bestDays(checks [][]history.Day, n int) []dayClass {
	out := make([]dayClass, n)
	for i := range out {
		best, known := 0.0, false
		for _, days := range checks {
			if pct, ok := days[i].Percent(); ok {
				best, known = max(best, pct/100), true
				if days[i].Up >= days[i].Known {
					best = 1
				}
			}
		}
		switch {
		case !known:
			out[i] = noData
		case best >= 1:
			out[i] = upDay
		case best > 0:
			out[i] = partDay
		default:
			out[i] = downDay
		}
	}
	return out
}

func dayClassBytes(d []dayClass) []byte {
	b := make([]byte, len(d))
	for i, c := range d {
		b[i] = byte(c)
	}
	return b
}

// TestTimeline: equal days merge into one segment of their class, the
// segments tile the days, a day with a name links its page, and the label
// says it all in words.
func TestTimeline(t *testing.T) {
	from := time.Date(2026, 8, 28, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		pattern string
		linked  []int
		segs    int
		label   string
	}{
		{strings.Repeat("n", 90), nil, 1, "no data 90 days; no change"},
		{strings.Repeat("u", 90), []int{89}, 1, "up 90 days; a change on 2026-11-25, linked"},
		{strings.Repeat("d", 40) + strings.Repeat("n", 5) + strings.Repeat("d", 44) + "p", []int{0, 3}, 4,
			"partly up 1 day, down 84 days, no data 5 days; changes on 2 days, linked"},
		{"n" + strings.Repeat("ud", 44) + "n", nil, 90, "up 44 days, down 44 days, no data 2 days; no change"},
	} {
		t.Run(tt.label, func(t *testing.T) {
			classes, names := make([]dayClass, len(tt.pattern)), make([]string, len(tt.pattern))
			for i := range tt.pattern {
				classes[i] = dayClass(tt.pattern[i])
			}
			for _, d := range tt.linked {
				names[d] = "x"
			}
			tl := timeline(classes, from, names)
			if tl.Label != tt.label {
				t.Errorf("label %q, want %q", tl.Label, tt.label)
			}
			got, segs := bytes.Repeat([]byte{'?'}, len(tt.pattern)), 0
			for _, p := range tl.Paths {
				for _, seg := range strings.Split(p.D, "M")[1:] {
					var x, w int
					if _, err := fmt.Sscanf(seg, "%d 4h%d", &x, &w); err != nil {
						t.Fatalf("path data %q: %v", p.D, err)
					}
					for i := x; i < x+w; i++ {
						if got[i] != '?' {
							t.Errorf("day %d drawn twice", i)
						}
						got[i] = p.Class[0]
					}
					segs++
				}
			}
			if segs != tt.segs || string(got) != tt.pattern {
				t.Errorf("%d segments painting\n%s\nwant %d painting\n%s", segs, got, tt.segs, tt.pattern)
			}
			if len(tl.Links) != len(tt.linked) {
				t.Fatalf("links %+v, want days %v", tl.Links, tt.linked)
			}
			for i, l := range tl.Links {
				if want := dayPage(from.AddDate(0, 0, tt.linked[i])); l.X != tt.linked[i] || l.Href != want || l.Name != "x" {
					t.Errorf("link %+v, want day %d at %s", l, tt.linked[i], want)
				}
			}
			// An img would hide its links from screen readers: with links, a group.
			role := map[bool]string{false: " role=img ", true: " role=group "}[len(tt.linked) > 0]
			if svg := execute(t, "timeline", tl); !strings.Contains(svg, role) || strings.Count(svg, "<title>x</title>") != len(tt.linked) {
				t.Errorf("want %s and a title a link: %s", role, svg)
			}
		})
	}
}

// TestTimelineStyle: the style sheet draws no-data days thin and grey, and
// the others full height in the colours of up, rejected (partly) and down.
func TestTimelineStyle(t *testing.T) {
	css, err := os.ReadFile("../static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".tl path { fill: none; stroke-width: 8; }",
		".tl .u { stroke: var(--up); }", ".tl .p { stroke: var(--rej); }", ".tl .d { stroke: var(--down); }",
		".tl .n { stroke: var(--dim); stroke-width: 1; }",
	} {
		if !bytes.Contains(css, []byte(want)) {
			t.Errorf("style.css lacks %s", want)
		}
	}
}

// TestTimelineOfRows: the rows' timelines in the fixture: the gaps are no
// data, a region row follows its MSNP checks, the Services rows their
// scanned check.
func TestTimelineOfRows(t *testing.T) {
	v := mustBuild(t, fixtureHistoryOptions(t))
	tests := []struct {
		group, address, what, label string
	}{
		// The timeline starts 2026-08-28; gaps 10-10..10-13 and 11-02.
		{"bn2", "127.2.0.4", "the best of MSNP21 and MSNP22 each day", "up 5 days, partly up 1 day, down 79 days, no data 5 days; a change on 2026-11-20, linked"},
		{"bn2", "127.2.0.1", "the best of MSNP21 and MSNP22 each day", "up 13 days, partly up 2 days, down 70 days, no data 5 days; changes on 2 days, linked"},
		{"db5", "127.4.0.2", "the best of MSNP21 and MSNP22 each day", "up 83 days, partly up 1 day, down 1 day, no data 5 days; a change on 2026-11-24, linked"},
		{"services", "login.live.example", ":443", "up 83 days, partly up 2 days, no data 5 days; changes on 2 days, linked"},
		{"co4", "127.3.0.2", "the best of MSNP21 and MSNP22 each day", "down 85 days, no data 5 days; no change"},
	}
	for _, tt := range tests {
		tl := execute(t, "timeline", rowOf(t, v, tt.group, tt.address).Timeline)
		if !strings.Contains(tl, `aria-label="`+tt.label+`"`) {
			t.Errorf("%s %s: want label %q in\n%s", tt.group, tt.address, tt.label, tl)
		}
		// What the timeline follows, and its dates, are its column's
		// header's: said once a table.
		for _, tb := range v.Tables {
			if tb.Name == tt.group && tb.Timeline != tt.what {
				t.Errorf("%s: the timelines follow %q, want %q", tt.group, tb.Timeline, tt.what)
			}
		}
	}
	files := mustRender(t, fixtureHistoryOptions(t))
	if page := string(fileOf(t, files, "index.html")); !strings.Contains(page, `<th scope=col>Last 90 days<span class=vh>, 2026-08-28 to 2026-11-25: the best of MSNP21 and MSNP22 each day</span>`) ||
		!strings.Contains(page, `<th scope=col>Last 90 days<span class=vh>, 2026-08-28 to 2026-11-25: :443</span>`) {
		t.Error("the timelines' headers do not say their dates and what they follow")
	}
	// The links are to the days of the changes.
	tl := execute(t, "timeline", rowOf(t, v, "services", "login.live.example").Timeline)
	if !strings.Contains(tl, `<a href=day/2026-11-10/index.html>`) || !strings.Contains(tl, `<a href=day/2026-11-22/index.html>`) || strings.Count(tl, "<a ") != 2 {
		t.Errorf("login.live.example's links: %s", tl)
	}
}

// TestStaleNotice: with a history the page carries the hidden notice, the
// time the script reads, and the script, stale.js of the site, which the
// CSP allows on the index only; without one it has none of them.
func TestStaleNotice(t *testing.T) {
	files := mustRender(t, fixtureHistoryOptions(t))
	page := string(fileOf(t, files, "index.html"))
	hasAll(t, "index.html", page,
		`<time id="last-run" datetime="2026-11-25T10:00:03Z">2026-11-25 10:00 UTC</time>`,
		`<p id="stale" class="stale" role="alert" hidden>The last check was <span class="age">more than three hours</span> ago: the hourly job may have stopped`,
		`<a href="https://github.com/someone/deadyet/blob/HEAD/CONTRIBUTING.md#when-the-hourly-job-stops">`)
	if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, `<script src="stale.js"></script>`) {
		t.Fatalf("want the one script stale.js, found %d scripts", n)
	}
	staleScript, err := fs.ReadFile(static.FS, staleScriptFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fileOf(t, files, "stale.js"), staleScript) {
		t.Error("the site's stale.js is not the script")
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if csp == nil || !strings.Contains(html.UnescapeString(csp[1]), "script-src 'self';") || strings.Contains(csp[1], "unsafe") {
		t.Errorf("the CSP %q does not allow the site's script, or allows more", csp)
	}
	if strings.Contains(page, " on") && regexp.MustCompile(` on[a-z]+=`).MatchString(page) {
		t.Error("the page has an inline event handler")
	}
	// The script's threshold is StaleAfter.
	if want := "min > " + strconv.Itoa(int(StaleAfter/time.Minute)); !strings.Contains(string(staleScript), want) {
		t.Errorf("the script does not test %q", want)
	}
	if nf := string(fileOf(t, files, "404.html")); strings.Contains(nf, "<script") || strings.Contains(nf, "script-src") {
		t.Error("404.html allows or has a script")
	}

	plain := mustRender(t, fixtureOptions(t))
	for _, bad := range []string{"<script", "script-src", `id="stale"`, `id="last-run"`} {
		if strings.Contains(string(fileOf(t, plain, "index.html")), bad) {
			t.Errorf("without a history, index.html has %s", bad)
		}
	}
	for _, f := range plain {
		if f.Name == "stale.js" {
			t.Error("without a history, the site has stale.js")
		}
	}
	for _, f := range files {
		if strings.Contains(f.Name, "/") && strings.Contains(string(f.Data), "script-src") {
			t.Errorf("%s allows a script", f.Name)
		}
	}
}

// TestDisagreement: a cell whose vantage points disagree is starred, says
// so in its tooltip and its screen-reader text, and the legend explains
// the star only when the page has one.
func TestDisagreement(t *testing.T) {
	for _, hist := range []bool{false, true} {
		opts := fixtureHistoryOptions(t)
		if !hist {
			opts.History = nil
		}
		files := mustRender(t, opts)
		page := string(fileOf(t, files, "index.html"))
		server := string(fileOf(t, files, "server/bn2/127.2.0.4/index.html"))
		hasAll(t, fmt.Sprintf("history %v: the server page", hist), server, `<dt>Vantage points<dd>They disagree: up from test-eu; timeout from test-us<dt>`,
			`<p class="differ">The vantage points disagree on <a href="#check-msnp21">MSNP21</a>`)
		if !strings.Contains(page, `class="up disagree"><span class=vh>up; the vantage points disagree: up from test-eu; timeout from test-us`) {
			t.Errorf("history %v: the mark or the screen-reader text lacks the disagreement", hist)
		}
		if strings.Count(page, `"up disagree"`) != 1 || strings.Count(page, "✔*") != 1 || !strings.Contains(page, "vantage points disagree</dt>") {
			t.Errorf("history %v: want the starred cell and its legend", hist)
		}
	}
	files := mustRender(t, fixtureOptions(t))
	if page := string(fileOf(t, files, "index.html")); strings.Contains(page, "✔*") || strings.Contains(page, "disagree") {
		t.Error("a page without disagreement explains it")
	}
}

// TestRecentChanges checks the section against the fixture's story.
func TestRecentChanges(t *testing.T) {
	v := mustBuild(t, fixtureHistoryOptions(t))
	h := v.History
	if h == nil {
		t.Fatal("no history in the view")
	}
	var got []string
	for _, c := range h.Changes {
		got = append(got, c.T.Format("01-02 15:04")+" "+c.Sentence())
	}
	want := []string{
		"11-24 08:00 db5 127.4.0.2 MSNP22: up → " + string(cellOf(t, v, "db5", "127.4.0.2", "msnp22").State),
		"11-22 05:00 Services login.live.example :443: refused → up",
		"11-22 02:00 Services login.live.example :443: up → refused",
		"11-20 14:00 bn2 127.2.0.4 MSNP21: timeout → up",
		"11-10 18:00 Services login.live.example :443: refused → up",
		"11-10 06:00 Services login.live.example :443: up → refused",
		"10-01 00:00 bn2 127.2.0.99 MSNP21: rejected → not scanned",
		"09-15 12:00 bn2 127.2.0.1 MSNP21: up → " + string(cellOf(t, v, "bn2", "127.2.0.1", "msnp21").State),
		"09-01 06:00 bn2 127.2.0.1 MSNP21: " + string(cellOf(t, v, "bn2", "127.2.0.1", "msnp21").State) + " → up",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !h.Start.Equal(time.Date(2026, 8, 1, 0, 0, 3, 0, time.UTC)) || h.Days != 90 ||
		h.From.Format(time.DateOnly) != "2026-08-28" || h.To.Format(time.DateOnly) != "2026-11-25" {
		t.Errorf("start %v, days %d, %v to %v", h.Start, h.Days, h.From, h.To)
	}
	if len(h.Runs) != len(want) {
		t.Errorf("%d runs, want %d (one change each)", len(h.Runs), len(want))
	}
}

// TestChangesFeed: the runs that changed something are feed entries with
// ids that do not change as the history grows.
func TestChangesFeed(t *testing.T) {
	type entry struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	}
	feedOf := func(opts Options) []entry {
		t.Helper()
		files := mustRender(t, opts)
		var f struct {
			Updated string  `xml:"updated"`
			Entries []entry `xml:"entry"`
		}
		if err := xml.Unmarshal(fileOf(t, files, "feed.xml"), &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Entries) > 0 && f.Updated != f.Entries[0].Updated {
			t.Errorf("feed updated %s, newest entry %s", f.Updated, f.Entries[0].Updated)
		}
		return f.Entries
	}
	opts := fixtureHistoryOptions(t)
	entries := feedOf(opts)
	if len(entries) != 12+9 {
		t.Fatalf("%d entries, want 12 news and 9 runs", len(entries))
	}
	e := entries[0]
	if e.ID != "https://someone.github.io/deadyet/#changes-20261124T080003Z" || e.Updated != "2026-11-24T08:00:03Z" ||
		e.Link.Href != "https://someone.github.io/deadyet/day/2026-11-24/index.html#changes-20261124T080003Z" || !strings.HasPrefix(e.Title, "db5 127.4.0.2 MSNP22: up → ") ||
		!strings.HasPrefix(e.Content, "<ul><li>db5 127.4.0.2 MSNP22: up → ") {
		t.Errorf("newest entry %+v", e)
	}
	for i := 1; i < len(entries); i++ {
		if entries[i].Updated > entries[i-1].Updated {
			t.Errorf("entry %d (%s) is newer than entry %d (%s)", i, entries[i].Updated, i-1, entries[i-1].Updated)
		}
	}
	// An hour later, one more run changed two cells: one new entry, the
	// others as they were.
	h := fixtureHistory(t)
	next := opts.Results
	next.Started, next.Finished = next.Started.Add(time.Hour), next.Finished.Add(time.Hour)
	next.Results = append([]probe.Result(nil), next.Results...)
	for i, r := range next.Results {
		if r.Address == "127.2.0.2" && (r.Check == "tcp443" || r.Check == "msnp22") {
			next.Results[i].State, next.Results[i].Detail = probe.Error, "a <b>bad</b> & odd answer"
		}
	}
	if _, err := h.Record(next); err != nil {
		t.Fatal(err)
	}
	opts.History, opts.Results = h, next
	later := feedOf(opts)
	if len(later) != len(entries)+1 {
		t.Fatalf("%d entries an hour later, want %d", len(later), len(entries)+1)
	}
	n := later[0]
	if n.ID != "https://someone.github.io/deadyet/#changes-20261125T110003Z" || !strings.HasPrefix(n.Title, "2 changes: bn2 127.2.0.2 :443: up → error, and 1 more") ||
		!strings.Contains(n.Content, "<li>bn2 127.2.0.2 MSNP22: ") || !strings.Contains(n.Content, "(a &lt;b&gt;bad&lt;/b&gt; &amp; odd answer)") {
		t.Errorf("new entry %+v", n)
	}
	for i := range entries {
		if later[i+1] != entries[i] {
			t.Errorf("entry %d changed:\n%+v\nwas\n%+v", i, later[i+1], entries[i])
		}
	}
}

// TestHistoryHostile: what a history line carries (group, address, check,
// detail) is text on the page and in the feed.
func TestHistoryHostile(t *testing.T) {
	files := mustRender(t, hostileHistoryOptions(t))
	esc := html.EscapeString(hostile)
	page := string(fileOf(t, files, "index.html"))
	if n := strings.Count(page, esc); n < 5 {
		t.Errorf("the hostile text appears escaped only %d times", n)
	}
	// The sub-pages: the server's, and the day's, with the servers the
	// config does not list.
	for file, want := range map[string][]string{
		"index.html": {`<td>` + esc + "\n"},
		"day/2026-11-24/index.html": {"<tr class=gone>\n<th scope=row>" + esc + `3 <small>no longer listed</small><td>not MSN</table>`,
			`<td>` + esc + "\n", `<li>` + esc + ` <span class=addr>` + esc + `2</span></li>`},
		"server/" + pathSegment(hostile) + "/" + pathSegment(hostile) + "/index.html": {`<h1 class="addr-h">` + esc + `</h1>`, `<dd class=detail>` + esc + `<dt>`},
	} {
		page := string(fileOf(t, files, file))
		hasNone(t, file, page, "<script>alert", "<img")
		hasAll(t, file, page, want...)
	}
	var f struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(fileOf(t, files, "feed.xml"), &f); err != nil || len(f.Entries) < 2 {
		t.Fatalf("%d feed entries, %v", len(f.Entries), err)
	}
	run := f.Entries[0]
	hasNone(t, "the feed entry's HTML", run.Content, "<script", "<img")
	hasAll(t, "the feed entry's HTML", run.Content, "&lt;script&gt;")
	if !strings.Contains(run.Title, hostile) {
		t.Errorf("the feed entry's title lost the text: %q", run.Title)
	}
}

// hostileHistoryOptions is hostileOptions with a history whose lines carry
// hostile text: a change of the hostile cell and one of a server gone
// from the config.
func hostileHistoryOptions(t *testing.T) Options {
	t.Helper()
	opts := hostileOptions(t)
	h := historyOf(t, nil)
	first := opts.Results
	first.Finished = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	first.Results = []probe.Result{{Group: hostile, Address: hostile, Check: "x", State: probe.Timeout, Detail: hostile}}
	if _, err := h.Record(first); err != nil {
		t.Fatal(err)
	}
	opts.Results.Finished = first.Finished.Add(time.Hour)
	gone := probe.Result{Group: hostile, Address: hostile + "2", Check: hostile, State: probe.Up, Detail: hostile}
	// A server the config does not list, in its group: a row of the day's table.
	unlisted := probe.Result{Group: hostile, Address: hostile + "3", Check: "x", State: probe.Foreign, Detail: hostile}
	if _, err := h.Record(probe.Results{Finished: opts.Results.Finished, Results: append(opts.Results.Results[:1:1], gone, unlisted)}); err != nil {
		t.Fatal(err)
	}
	opts.History = h
	return opts
}

// TestHistoryNeedsTime: a history is shown as of the run; a run without a
// time cannot be.
func TestHistoryNeedsTime(t *testing.T) {
	opts := fixtureHistoryOptions(t)
	opts.Results.Started, opts.Results.Finished = time.Time{}, time.Time{}
	if _, err := Build(opts); err == nil || !strings.Contains(err.Error(), "no time") {
		t.Errorf("err = %v", err)
	}
}

// TestEmptyHistory: a history with nothing in it yet (the first run of a
// new site) shows the parts, empty, and says so.
func TestEmptyHistory(t *testing.T) {
	h := historyOf(t, nil)
	opts := fixtureOptions(t)
	opts.History = h
	files := mustRender(t, opts)
	page := string(fileOf(t, files, "index.html"))
	hasAll(t, "index.html", page, "No run is recorded yet.", "No change of state recorded yet.", "no data 90 days")
	server := string(fileOf(t, files, "server/bn2/127.2.0.1/index.html"))
	hasAll(t, "the server page", server, "not in the history yet", "No change of state recorded yet.")
	for _, bad := range []string{`class="u"`, `class="d"`, `class="p"`} {
		if strings.Contains(page, "<path "+bad) {
			t.Errorf("an empty history draws %s", bad)
		}
	}
}

// TestUptimeWords: time without a run is never counted; with none in a
// window, the window has no data.
func TestUptimeWords(t *testing.T) {
	h := time.Hour
	tests := []struct {
		month, year history.Ratio
		want        string
	}{
		{history.Ratio{Up: h, Known: 4 * h}, history.Ratio{Up: 3 * h, Known: 4 * h}, "up 25% of the time checked in the last 30 days, 75% in the last 365"},
		{history.Ratio{}, history.Ratio{Known: 4 * h}, "not checked in the last 30 days; up 0% of the time checked in the last 365"},
		{history.Ratio{}, history.Ratio{}, "no data for the last 365 days"},
	}
	for _, tt := range tests {
		if got := uptime(history.Uptime{Month: tt.month, Year: tt.year}); got != tt.want {
			t.Errorf("uptime(%v, %v) = %q, want %q", tt.month, tt.year, got, tt.want)
		}
	}
}

// TestChangeRunsWhole: a feed entry has every change of its run, however
// many history lines that takes to read.
func TestChangeRunsWhole(t *testing.T) {
	h := historyOf(t, nil)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	run := func(hour int, states ...probe.State) {
		r := probe.Results{Finished: at.Add(time.Duration(hour) * time.Hour)}
		for i, s := range states {
			r.Results = append(r.Results, probe.Result{Group: "g", Address: "127.0.0." + strconv.Itoa(i+1), Check: "c", State: s})
		}
		if _, err := h.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	d, u := probe.Timeout, probe.Up
	run(0, d, d, d, d, d)
	run(1, u, u, d, d, d) // 2 changes
	run(2, d, d, d, d, d) // 2 changes
	run(3, u, u, u, u, u) // 5 changes
	cfg := probe.Config{Checks: map[string]probe.Check{"c": {Key: "c", Label: "C", Kind: probe.MSNP, Version: "MSNP21", Scan: true}}}
	runs := func(now time.Time) []string {
		t.Helper()
		v := mustBuild(t, Options{Config: cfg, Results: probe.Results{Finished: now}, History: h})
		var out []string
		for _, r := range v.History.Runs {
			out = append(out, r.T.Format("15")+":"+strconv.Itoa(len(r.Changes)))
		}
		return out
	}
	// Every run whole, newest first.
	if got, want := strings.Join(runs(at.Add(3*time.Hour)), " "), "03:5 02:2 01:2"; got != want {
		t.Errorf("runs %s, want %s", got, want)
	}
	if got, want := strings.Join(runs(at.Add(2*time.Hour)), " "), "02:2 01:2"; got != want {
		t.Errorf("runs %s, want %s", got, want)
	}
}

// TestCellSymbols: the style sheet draws each cell's symbol from its
// class, as cellLooks has them, and the star of a cell whose vantage
// points disagree; the symbols are not read out (the cell's words are).
func TestCellSymbols(t *testing.T) {
	css, err := os.ReadFile("../static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	symbols := map[string]string{"disagree::after": "*"}
	for _, look := range cellLooks {
		if s, ok := symbols[look.class+"::before"]; ok && s != look.symbol {
			t.Fatalf("class %s has symbols %q and %q", look.class, s, look.symbol)
		}
		symbols[look.class+"::before"] = look.symbol
	}
	for sel, sym := range symbols {
		want := fmt.Sprintf(`td > a.%s { content: %q; content: %q / ""; }`, sel, sym, sym)
		if !bytes.Contains(css, []byte(want)) {
			t.Errorf("style.css lacks %s", want)
		}
	}
}
