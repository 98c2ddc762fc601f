package render

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

func TestPathSegment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"127.0.2.1", "127.0.2.1"},
		{"bn2", "bn2"},
		{"a_b-c", "a_b-c"},
		{"Login.Live.example", "login.live.example"},
		{"2001:db8::1", "2001-db8--1"},
		{"fe80::1%eth0", "fe80--1-eth0"},
		{"::ffff:127.0.0.1", "--ffff-127.0.0.1"},
		{"..", "_.."},
		{".", "_."},
		{"", "_"},
		{`"><script>alert(1)</script>`, "---script-alert-1---script-"},
		{"a/b\\c d?e#f", "a-b-c-d-e-f"},
		{"é", "--"},
		{strings.Repeat("x", 300), strings.Repeat("x", maxSegment)},
	}
	for _, tt := range tests {
		if got := pathSegment(tt.in); got != tt.want {
			t.Errorf("pathSegment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestServerPagePaths: every server has a page of its own, even when
// addresses (IPv6 ones, names in other cases) or group names make the
// same folder name, and every link to one works.
func TestServerPagePaths(t *testing.T) {
	cfg := fixtureConfig(1)
	cfg.Groups[0].Servers = append(cfg.Groups[0].Servers,
		probe.Server{Address: "2001:db8::1"}, probe.Server{Address: "2001-db8--1.example"},
		probe.Server{Address: "Host.example"}, probe.Server{Address: "host.example"},
		probe.Server{Address: "fe80::1%eth0"})
	g := cfg.Groups[0]
	g.Name = "BN2"
	cfg.Groups = append(cfg.Groups, g)
	opts := Options{Config: cfg, Results: fixtureResults(cfg, nil), Page: Page{URL: "https://someone.github.io/deadyet/"}}
	v := mustBuild(t, opts)
	pages := map[string]string{}
	for _, tb := range v.Tables {
		for _, r := range tb.Rows {
			if other, dup := pages[r.Page]; dup {
				t.Errorf("%s %s and %s share the page %s", tb.Name, r.Address, other, r.Page)
			}
			pages[r.Page] = tb.Name + " " + r.Address
		}
	}
	for page, want := range map[string]string{
		"server/bn2/2001-db8--1/index.html":             "bn2 2001:db8::1",
		"server/bn2/2001-db8--1.example/index.html":     "bn2 2001-db8--1.example",
		"server/bn2/host.example/index.html":            "bn2 Host.example",
		"server/bn2/host.example-2/index.html":          "bn2 host.example",
		"server/bn2/fe80--1-eth0/index.html":            "bn2 fe80::1%eth0",
		"server/bn2-2/127.2.0.1/index.html":             "BN2 127.2.0.1",
		"server/services/login.live.example/index.html": "services login.live.example",
	} {
		if pages[page] != want {
			t.Errorf("%s is the page of %q, want %q", page, pages[page], want)
		}
	}
	dir := filepath.Join(t.TempDir(), "site")
	if _, _, err := writeSite(dir, opts); err != nil {
		t.Fatal(err)
	}
	checkLinks(t, dir, "/deadyet/")
	page, err := os.ReadFile(filepath.Join(dir, "server", "bn2", "2001-db8--1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`<h1 class="addr-h">2001:db8::1</h1>`)) {
		t.Errorf("the page of 2001:db8::1 does not name it")
	}
}

// TestChronicleMatchesStats: the one pass over the history draws the days
// as probe's Stats counts them: the last 90 days of every row's calendar
// are its index timeline's.
func TestChronicleMatchesStats(t *testing.T) {
	opts := fixtureHistoryOptions(t)
	v := mustBuild(t, opts)
	ch := v.chron
	stats := opts.History.Stats(opts.Results.Finished)
	from := unixDay(v.History.From)
	for ti, tb := range v.Tables {
		cols, _ := timelineChecks(opts.Config, &v.Tables[ti])
		for ri, r := range tb.Rows {
			var days [][]history.Day
			for _, ci := range cols {
				if u, ok := stats[probe.Key{Group: tb.Name, Address: r.Address, Check: tb.Columns[ci].Key}]; ok {
					days = append(days, u.Days)
				}
			}
			want := bestDays(days, history.TimelineDays)
			rc := &ch.rows[ti][ri]
			got := make([]dayClass, history.TimelineDays)
			for i := range got {
				got[i] = noData
				if d := from + int64(i) - ch.first; d >= 0 {
					got[i] = cmp.Or(rc.class[d], noData)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: the calendar's last 90 days\n%s\nStats'\n%s", tb.Name, r.Address, dayClassBytes(got), dayClassBytes(want))
			}
		}
	}
	// Days without a run are known as such.
	for _, d := range []string{"2026-10-10", "2026-10-13", "2026-11-02"} {
		day, _ := time.Parse(time.DateOnly, d)
		if ch.covered[unixDay(day)-ch.first] {
			t.Errorf("%s had no run, but is covered", d)
		}
	}
}

// dayPages renders the history fixture's site and returns its files by name.
func historySite(t *testing.T) map[string]string {
	t.Helper()
	files := mustRender(t, fixtureHistoryOptions(t))
	out := map[string]string{}
	for _, f := range files {
		out[f.Name] = string(f.Data)
	}
	return out
}

// TestDayPages checks the day pages against the fixture's story.
func TestDayPages(t *testing.T) {
	site := historySite(t)
	var days []string
	for name := range site {
		if d, ok := strings.CutPrefix(name, "day/"); ok {
			days = append(days, strings.TrimSuffix(d, "/index.html"))
		}
	}
	slices.Sort(days)
	want := []string{"2015-01-01", "2015-01-04", "2015-01-07", "2015-01-10", "2015-01-13", "2015-01-16", "2015-01-19",
		"2015-01-22", "2015-01-25", "2015-01-28", "2015-01-31", "2017-05-19", // news
		"2026-08-01",                             // the first checks
		"2026-09-01", "2026-09-15", "2026-10-01", // bn2's main server up and down again; 127.2.0.99 leaves
		"2026-11-10", "2026-11-20", "2026-11-22", "2026-11-24"}
	if !slices.Equal(days, want) {
		t.Errorf("day pages\n%v\nwant\n%v", days, want)
	}
	tests := []struct {
		day       string
		want, not []string
	}{
		{"2017-05-19", []string{"The history starts on 2026-08-01", "All servers gone", `<li id="news-2017-05-19-gone"><a class="date" href="#news-2017-05-19-gone">`,
			`<a href="../2015-01-31/index.html" rel=prev>← 2015-01-31</a>`, `<a href="../2026-08-01/index.html" rel=next>2026-08-01 →</a>`},
			[]string{`class="verdict`, `<table class=day>`}},
		{"2026-08-01", []string{"At the end of the day, the page would have said:", `<h3 id="first">First checked this day</h3>`,
			`<li>bn2 <span class=addr>127.2.0.99</span></li>`, `<li>bn2 <a href="../../server/bn2/127.2.0.1/index.html">127.2.0.1</a></li>`,
			"No change of state this day, only first checks."},
			[]string{`<tr id=changes-`}},
		// bn2's main server answers MSNP21 from 06:00: alive.
		{"2026-09-01", []string{`<section class="verdict alive"`, `<p class="answer">No.</p>`, "MSNP21 and MSNP22 still answer in bn2 and db5</p>",
			`<tr id=changes-20260901T060003Z><td>06:00<td>bn2 <a href=../../server/bn2/127.2.0.1/index.html>127.2.0.1</a><td>MSNP21<td><b class=r>rejected</b> to <b class=u>up</b><td>VER 1 MSNP21 CVR0` + "\n",
			// The server that left the config is still in its group's table.
			"<tr class=gone>\n<th scope=row>127.2.0.99 <small>no longer listed</small><td class=n>–<td>rejected<td class=n>–</table>"},
			nil},
		{"2026-09-15", []string{`<section class="verdict partial"`, "MSNP22 still answers in db5, but no main server does"}, nil},
		// It left: no row, and its change is listed, unlinked.
		{"2026-10-01", []string{`bn2 <span class=addr>127.2.0.99</span><td>MSNP21<td><b class=r>rejected</b> to <b class=s>not scanned</b><td>no longer probed` + "\n"},
			[]string{`<tr class=gone>`}},
		// At the end of the day: :443 up, MSNP21 down (an empty cell; it was
		// refused, as the server's page says), MSNP22 not MSN since 08:00.
		{"2026-11-24", []string{"MSNP21 still answers in bn2, but no main server does", `<tr id=changes-20261124T080003Z>`,
			"<tr>\n<th scope=row>127.4.0.2<td class=u>up<td><td>not MSN<tr>",
			`db5 <a href=../../server/db5/127.4.0.2/index.html>127.4.0.2</a><td>MSNP22<td><b class=u>up</b> to <b class=f>foreign</b>`},
			nil},
	}
	for _, tt := range tests {
		page := site["day/"+tt.day+"/index.html"]
		for _, w := range tt.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %s", tt.day, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(page, w) {
				t.Errorf("%s has %s", tt.day, w)
			}
		}
	}
	// Skipped columns are left out of the tables: nothing checked them.
	if page := site["day/2026-11-24/index.html"]; strings.Contains(page, `<th scope=col>:80<`) || !strings.Contains(page, `<thead><tr><th scope=col>IP<th scope=col>:443<th scope=col>MSNP21<th scope=col>MSNP22<tbody>`) {
		t.Error("the day tables show the columns not scanned, or not the scanned ones")
	}
}

// TestServerPage checks a server page against the fixture's story.
func TestServerPage(t *testing.T) {
	site := historySite(t)
	page := site["server/bn2/127.2.0.4/index.html"]
	hasAll(t, "the page", page, `<title>127.2.0.4 · bn2 · Is MSN dead yet?</title>`,
		`<p class="sub">A server of <a href="../../../index.html#group-bn2">bn2</a>.</p>`,
		`<section id=check-msnp21 class=check`,
		`<dt>In this state<dd>since 2026-11-20 14:00 UTC<dt>`,
		`<dt>Uptime<dd>up 17% of the time checked in the last 30 days, 4% in the last 365<dt>`,
		`<dt>Answer<dd class=detail>no answer within 3s<dt>Took<dd>107 ms, 2 attempts<dt>`,
		`<dt>Last up<dd>never seen up<dt>`,
		"Every day from 2026-08-01 to 2026-11-25, newest month first (weeks start on Monday), coloured by the best of MSNP21 and MSNP22 each day.",
		// November starts on a Sunday, down (the month's class: dd); the
		// days without a change are one cell to the end of their week.
		`<h4>2026-11</h4><p class=vh>up 5 days, partly up 1 day, down 18 days, no run 1 day; changes on 1 day, linked</p><ol class="cal w6 dd">`+
			`<li>1<li class=x>2<li class=s6>3–8<li class=s7>9–15<li class=s4>16–19<li class=p><a href=../../../day/2026-11-20/index.html>20</a><li class="u s2">21–22<li class="u s3">23–25</ol>`,
		// October's four days without a run, a cell a week, then down to
		// the end of the week.
		`<li class="x s2">10–11<li class="x s2">12–13<li class=s5>14–18`,
		`<h4>2026-08</h4>`)
	// Its calendar links the days it changed, and only those.
	links := regexp.MustCompile(`<li(?: class=[a-z])?><a href=([^>]*)>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, l := range links {
		got = append(got, l[1])
	}
	if want := []string{"../../../day/2026-11-20/index.html", "../../../day/2026-08-01/index.html"}; !slices.Equal(got, want) {
		t.Errorf("calendar links %v, want %v", got, want)
	}
	// Its changes, newest first: the one change, then the first checks.
	rows := regexp.MustCompile(`(?s)<caption id=changes-t class=vh>Changes of state of this server, newest first</caption>.*?<tbody>(.*)</table>`).FindStringSubmatch(page)
	if rows == nil || !strings.HasPrefix(rows[1], "\n<tr><td><a href=../../../day/2026-11-20/index.html#changes-20261120T140003Z>2026-11-20 14:00</a><td>MSNP21<td><b class=d>timeout</b> to <b class=u>up</b><td>VER 1 MSNP21 CVR0\n") ||
		strings.Count(rows[1], "first check: ") != 3 || strings.Count(rows[1], "<tr>") != 4 {
		t.Errorf("changes: %v", rows)
	}
	// A main server, with a note.
	main := site["server/bn2/127.2.0.1/index.html"]
	if !strings.Contains(main, `and its <strong class="main">main server</strong>`) {
		t.Error("the main server's page does not say it is one")
	}
	if s := site["server/services/login.live.example/index.html"]; !strings.Contains(s, `<p class="sub">What it was for: Windows Live ID sign-in</p>`) ||
		!strings.Contains(s, `<h1 class="addr-h">login.<wbr>live.<wbr>example</h1>`) {
		t.Error("a service's page lacks its note or its name")
	}
}

// TestArchive: the archive lists every day page by month, newest first,
// the news days marked.
func TestArchive(t *testing.T) {
	site := historySite(t)
	page := site["archive/index.html"]
	var days []string
	for _, m := range regexp.MustCompile(`<a href="\.\./day/([0-9-]+)/index.html">`).FindAllStringSubmatch(page, -1) {
		days = append(days, m[1])
	}
	if len(days) != 20 || days[0] != "2026-11-24" || days[len(days)-1] != "2015-01-01" || !slices.IsSortedFunc(days, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("archive days %v", days)
	}
	hasAll(t, "the archive", page, `<h2 id="y-2026">2026</h2>`, `<h3 id="m-2026-11">November 2026</h3>`, `<h3 id="m-2017-05">May 2017</h3>`,
		`<li class="news"><a href="../day/2017-05-19/index.html">19</a><span class="vh"> (news)</span></li>`, "20 days have a page")
	if strings.Contains(page, `<h3 id="m-2016`) {
		t.Error("the archive lists a month without a day page")
	}
}

// TestQuietRunKeepsPages: a run that changes nothing leaves the bytes of
// every day page and of the archive as they were; the same inputs give the
// same bytes (TestGoldenHistory renders twice).
func TestQuietRunKeepsPages(t *testing.T) {
	opts := fixtureHistoryOptions(t)
	h := fixtureHistory(t)
	opts.History = h
	before := mustRender(t, opts)
	quiet := opts.Results
	quiet.Started, quiet.Finished = quiet.Started.Add(time.Hour), quiet.Finished.Add(time.Hour)
	for i := range quiet.Results {
		quiet.Results[i].Disagree = false // as recorded: the history keeps states only
	}
	added, err := h.Record(quiet)
	if err != nil || len(added) != 0 {
		t.Fatalf("the quiet run added %v (%v)", added, err)
	}
	opts.Results = quiet
	after := mustRender(t, opts)
	if len(before) != len(after) {
		t.Fatalf("%d files, then %d", len(before), len(after))
	}
	same := 0
	for i := range before {
		name := before[i].Name
		if name != after[i].Name {
			t.Fatalf("file %d: %s, then %s", i, name, after[i].Name)
		}
		if strings.HasPrefix(name, "day/") || strings.HasPrefix(name, "archive/") {
			same++
			if !bytes.Equal(before[i].Data, after[i].Data) {
				t.Errorf("%s changed with a quiet run", name)
			}
		}
	}
	if same != 21 {
		t.Errorf("compared %d day pages and archive, want 21", same)
	}
}
