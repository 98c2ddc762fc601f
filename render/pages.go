package render

// The pages beneath the index: one per server, one per day with a change
// or a news entry, and the archive of the days. See paths.go for where
// they are.

import (
	"html"
	"html/template"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"deadyet/probe"
	"deadyet/render/news"
)

// ServerChangesShown is how many changes a server page lists, newest
// first; the older ones are on the pages of their days, which its
// calendar links.
const ServerChangesShown = 50

// frame is what the shared head and foot of every page need.
type frame struct {
	Page    Page
	Root    string // the way from the page to the site's root: "", "../", "../../" …
	Script  bool   // always false beneath the index: no script
	Base    string
	File    string // the page's path from the root
	Run     Run
	History bool // the site shows a history: it has day pages and an archive

	// The parts every page at the same depth shares, rendered once: the
	// templates "head", "crumbs" and "subfoot".
	Head, Crumbs, Foot template.HTML
}

// ServerView is the page of one server.
type ServerView struct {
	frame
	Table      *Table // its group
	Row        *Row
	Host       bool // the address is a host name
	Checks     []ServerCheck
	ChecksHTML template.HTML // a section per check; see checksHTML
	Differ     []ServerCheck // the checks whose vantage points disagree
	Start      time.Time     // the history's first line; zero without one
	First      time.Time     // the first day of the calendar
	Last       time.Time     // the last day (the run's)
	Days       template.HTML // the calendar, newest month first
	Changes    []Change      // newest first, at most ServerChangesShown
	Older      int           // changes not listed

	ChangesHTML template.HTML // the rows of Changes' table

	rc *rowChronicle
}

// fillServer adds to a server's view what takes the time: its calendar and
// its changes.
func (v *View) fillServer(sv *ServerView) {
	ch, rc := v.chron, sv.rc
	if rc == nil {
		return
	}
	sv.Days = calendarHTML(ch, rc, sv.Root)
	for i := len(rc.lines) - 1; i >= 0 && len(sv.Changes) < ServerChangesShown; i-- {
		c := v.changeOf(ch.lines[rc.lines[i]])
		c.Day = sv.Root + c.Day
		sv.Changes = append(sv.Changes, c)
	}
	sv.Older = len(rc.lines) - len(sv.Changes)
	sv.ChangesHTML = serverChangeRowsHTML(sv.Changes)
}

// checksHTML is a server page's section per check: its state, its
// detail (or who saw what, when the vantage points disagree), the time it
// took, what the history says of it and what it checks. Written here for
// the same reason as [Row.CellsHTML]: a site has a page per server. Every
// value is escaped.
func checksHTML(checks []ServerCheck) template.HTML {
	var b strings.Builder
	dd := func(term, def string) {
		b.WriteString("<dt>")
		b.WriteString(term)
		b.WriteString("<dd>")
		b.WriteString(html.EscapeString(def))
	}
	for _, c := range checks {
		b.WriteString(`<section`)
		writeAttr(&b, "id", c.Anchor)
		b.WriteString(` class=check`)
		writeAttr(&b, "aria-labelledby", c.Anchor+"-h")
		b.WriteString(">\n<h3")
		writeAttr(&b, "id", c.Anchor+"-h")
		b.WriteString(`>`)
		b.WriteString(html.EscapeString(c.Label))
		b.WriteString(`: <span class="sym `)
		b.WriteString(html.EscapeString(c.Class))
		if name := stateName(c.State); c.Symbol == name { // "no data": the words once, read out
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(name))
			b.WriteString(`</span>`)
		} else {
			b.WriteString(`" aria-hidden="true">`)
			b.WriteString(html.EscapeString(c.Symbol))
			b.WriteString(`</span> `)
			b.WriteString(html.EscapeString(name))
		}
		b.WriteString("</h3>\n<dl class=facts>")
		switch {
		case c.State == probe.Skipped:
			dd("State", "Not scanned any more: the column is kept for the record.")
		case c.State == "":
			dd("State", noDataAbout)
		default:
			if c.Disagree {
				dd("Vantage points", "They disagree: "+c.Detail)
			} else if c.Detail != "" {
				b.WriteString(`<dt>Answer<dd class=detail>`)
				b.WriteString(html.EscapeString(c.Detail))
			}
			dd("Took", c.Time)
			if h := c.History; h != nil {
				if h.Lag != "" {
					dd("History", h.Lag)
				}
				if h.Since != "" {
					since := "since " + h.Since
					if h.First {
						since = "since its first check, " + h.Since
					}
					dd("In this state", since)
				}
				if h.NeverUp {
					dd("Last up", "never seen up")
				} else if h.LastUp != "" {
					dd("Last up", h.LastUp)
				}
				if h.Uptime != "" {
					dd("Uptime", h.Uptime)
				}
			}
		}
		if c.About != "" {
			b.WriteString("<dt>What it checks<dd>")
			b.WriteString(string(c.About))
		}
		b.WriteString("</dl>\n</section>\n")
	}
	return template.HTML(b.String())
}

// serverChangeRowsHTML is the rows of a server page's table of changes:
// when (UTC, a link to the run on its day's page), the check, the change
// ("first check: …" for a first sighting) and its detail. Written here for the
// same reason as [Row.CellsHTML]; every value is escaped.
func serverChangeRowsHTML(changes []Change) template.HTML {
	var b strings.Builder
	for _, c := range changes {
		b.WriteString(`<tr><td><a`)
		writeAttr(&b, "href", c.Day)
		b.WriteString(`>`)
		b.WriteString(c.T.UTC().Format("2006-01-02 15:04"))
		b.WriteString(`</a><td>`)
		b.WriteString(html.EscapeString(c.Check))
		b.WriteString(`<td>`)
		b.WriteString(changeHTML(c.From, c.To))
		b.WriteString(`<td>`)
		b.WriteString(html.EscapeString(c.Detail))
		b.WriteString("\n")
	}
	return template.HTML(b.String())
}

// ServerCheck is one check of a server as its page shows it. Its fields
// are its own, not embedded: the template engine looks fields of embedded
// structs up the slow way, and a site has a page per server.
type ServerCheck struct {
	Anchor   string // the id of its section, Column.Anchor
	Label    string
	Class    string // as Cell.Class
	Symbol   string
	State    probe.State
	Detail   string
	Disagree bool
	Time     string        // "41 ms, 2 attempts"; "" when not checked
	History  *CellHistory  // nil without a history, or not scanned
	About    template.HTML // from the config's Markdown, made once per check
}

// DayView is the page of one UTC day.
type DayView struct {
	frame
	Date        time.Time // 00:00 UTC
	Open        bool      // the day of the run shown: not over yet
	Prev, Next  string    // the neighbouring day pages, from the root; "" at the ends
	Start       time.Time // the history's first line; zero when it has none
	HasTables   bool      // the history knows the day's states
	Verdict     Verdict
	Answer      string
	Headline    string
	Tables      template.HTML
	Changes     int           // that day's changes of state: the rows of ChangesHTML
	ChangesHTML template.HTML // its table's rows
	FirstSeen   []Change      // first checks of that day, one per server
	News        []news.Entry

	dc *dayChronicle
}

// ArchiveView is the archive page.
type ArchiveView struct {
	frame
	Start time.Time // the history's first line; zero when it has none
	Years []ArchiveYear
	Count int          // days with a page
	News  []news.Entry // every news entry, newest first: the index shows the newest NewsShown
}

// ArchiveYear is a year of the archive, newest first.
type ArchiveYear struct {
	Year   int
	Months []ArchiveMonth
}

// ArchiveMonth is a month with day pages.
type ArchiveMonth struct {
	ID   string // "m-2026-11"
	Name string // "November 2026"
	Days []ArchiveDay
}

// ArchiveDay is one day page in the archive.
type ArchiveDay struct {
	Day  int
	Href string // from the archive page
	News int    // news entries
}

func (v *View) frameFor(file string) frame {
	return frame{Page: v.Page, Root: rootOf(file), Base: v.Base, File: file, Run: v.Run, History: v.History != nil}
}

// serverViews makes the page of every server of the config.
func (v *View) serverViews() []*ServerView {
	var out []*ServerView
	abouts := map[string]template.HTML{} // by check: the same on every server page
	for ti := range v.Tables {
		t := &v.Tables[ti]
		for ri := range t.Rows {
			r := &t.Rows[ri]
			sv := &ServerView{frame: v.frameFor(r.Page), Table: t, Row: r, Host: !isIP(r.Address)}
			for ci, col := range t.Columns {
				c := r.Cells[ci]
				about, ok := abouts[col.Key]
				if !ok {
					about = MarkdownInlineAt(v.config.Checks[col.Key].About, rootOf(r.Page))
					abouts[col.Key] = about
				}
				sc := ServerCheck{Anchor: col.Anchor, Label: col.Label, Class: c.Class, Symbol: c.Symbol, State: c.State,
					Detail: c.Detail, Disagree: c.Disagree, History: c.History, About: about}
				if c.State != "" && c.State != probe.Skipped {
					sc.Time = strconv.FormatInt(c.MS, 10) + " ms"
					if c.Attempts > 1 {
						sc.Time += ", " + strconv.Itoa(c.Attempts) + " attempts"
					}
				}
				sv.Checks = append(sv.Checks, sc)
				if c.Disagree {
					sv.Differ = append(sv.Differ, sc)
				}
			}
			sv.ChecksHTML = checksHTML(sv.Checks)
			if ch := v.chron; ch != nil {
				sv.rc = &ch.rows[ti][ri]
				sv.Start = v.History.Start
				sv.First, sv.Last = dayTime(ch.first), dayTime(ch.today)
			}
			out = append(out, sv)
		}
	}
	return out
}

// calendarHTML draws a server's days as month calendars, newest month
// first, weeks from Monday, coloured by each day's class (up, partly up,
// down, no data; hatched when no run was made that day). A day on which
// the server changed is a cell of its own, its number a link to the day's
// page; the days between, of one class and without a change, are one
// cell as wide as they are (at most to the end of their week), numbered
// with the first and the last: "3–9". The class a month has most cells
// of is its list's (dd: down), and its cells of that class carry none.
// Each month says in words, for screen readers, how many days it had of
// each class, and on how many the server changed (those are linked).
func calendarHTML(ch *chronicle, rc *rowChronicle, root string) template.HTML {
	type cell struct {
		from, to int64 // days
		letter   byte
		link     bool
	}
	var b strings.Builder
	b.Grow(int(ch.today-ch.first+1) * 8)
	first, last := dayTime(ch.first), dayTime(ch.today)
	year := -1
	var cells []cell
	for m := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC); !m.Before(time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, -1, 0) {
		if m.Year() != year {
			if year != -1 {
				b.WriteString("</div>\n")
			}
			year = m.Year()
			b.WriteString(`<h3>`)
			b.WriteString(strconv.Itoa(year))
			b.WriteString("</h3>\n<div class=cals>")
		}
		from, to := unixDay(m), unixDay(m.AddDate(0, 1, -1))
		from, to = max(from, ch.first), min(to, ch.today)
		var count, cellsOf [256]int
		changes := 0
		cells = cells[:0]
		for d := from; d <= to; d++ {
			l, link := dayLetter(ch, rc, d), rc.changed[d-ch.first]
			count[l]++
			if link {
				changes++
			}
			// A new cell: a change, the first day of a week, another class, or after a change.
			if n := len(cells); n == 0 || link || cells[n-1].link || cells[n-1].letter != l || dayTime(d).Weekday() == time.Monday {
				cells = append(cells, cell{d, d, l, link})
				cellsOf[l]++
				continue
			}
			cells[len(cells)-1].to = d
		}
		def := byte('d')
		for _, l := range []byte("upnx") {
			if cellsOf[l] > cellsOf[def] {
				def = l
			}
		}
		b.WriteString(`<div class=mo><h4>`)
		b.WriteString(m.Format("2006-01"))
		b.WriteString(`</h4><p class=vh>`)
		var said []string
		for _, k := range []struct {
			c    byte
			name string
		}{{'u', "up"}, {'p', "partly up"}, {'d', "down"}, {'n', "no data"}, {'x', "no run"}} {
			if n := count[k.c]; n > 0 {
				said = append(said, k.name+" "+plural(n, "day", "days"))
			}
		}
		b.WriteString(strings.Join(said, ", "))
		switch changes {
		case 0:
			b.WriteString("; no change")
		default:
			b.WriteString("; changes on " + plural(changes, "day", "days") + ", linked")
		}
		b.WriteString(`</p><ol class="cal w`)
		b.WriteString(strconv.Itoa((int(dayTime(from).Weekday()) + 6) % 7))
		b.WriteString(` d`)
		b.WriteByte(def)
		b.WriteString(`">`)
		for _, c := range cells {
			span := c.to - c.from + 1
			switch {
			case c.letter != def && span > 1:
				b.WriteString(`<li class="`)
				b.WriteByte(c.letter)
				b.WriteString(` s`)
				b.WriteString(strconv.FormatInt(span, 10))
				b.WriteString(`">`)
			case c.letter != def:
				b.WriteString(`<li class=`)
				b.WriteByte(c.letter)
				b.WriteString(`>`)
			case span > 1:
				b.WriteString(`<li class=s`)
				b.WriteString(strconv.FormatInt(span, 10))
				b.WriteString(`>`)
			default:
				b.WriteString(`<li>`)
			}
			num := strconv.Itoa(dayTime(c.from).Day())
			switch {
			case c.link:
				b.WriteString(`<a href=`)
				b.WriteString(root)
				b.WriteString(dayPage(dayTime(c.from)))
				b.WriteString(`>`)
				b.WriteString(num)
				b.WriteString(`</a>`)
			case span > 1:
				b.WriteString(num)
				b.WriteString("–")
				b.WriteString(strconv.Itoa(dayTime(c.to).Day()))
			default:
				b.WriteString(num)
			}
		}
		b.WriteString("</ol></div>")
	}
	if year != -1 {
		b.WriteString("</div>")
	}
	return template.HTML(b.String())
}

// dayLetter is the class of a server's day in its calendar: u, p, d, n as
// in the timelines, and x for a day without a run.
func dayLetter(ch *chronicle, rc *rowChronicle, d int64) byte {
	i := d - ch.first
	if !ch.covered[i] {
		return 'x'
	}
	return byte(clsName[rc.class[i]])
}

// dayWords are a state as the day tables show it, short.
var dayWords = map[probe.State]string{
	probe.Up: "up", probe.Rejected: "rejected", probe.Foreign: "not MSN", probe.Refused: "refused",
	probe.Timeout: "timeout", probe.Error: "error", probe.Skipped: "off", "": "–",
}

// dayCells are the cells of the day tables by stateCode. A cell that is
// down (refused, timed out, failed) is empty: the style sheet draws it as
// the index draws it, a red ✘, and each table's caption says what an
// empty cell is; most servers are down most of the time, and a day page
// has a cell per server and check. Up is the word, green (class u); the
// others are their words, "off" and "–" dimmed (s, n).
var dayCells = func() []string {
	out := make([]string, len(probe.States)+1)
	for c := range out {
		s := stateCode(c).state()
		switch l := stateLetter(s); l {
		case 'd':
			out[c] = `<td>`
		case 'u', 's', 'n':
			out[c] = `<td class=` + string(l) + `>` + dayWords[s]
		default:
			out[c] = `<td>` + dayWords[s]
		}
	}
	return out
}()

// fillDay adds to a day's view what takes the time: its tables, its
// verdict and its changes.
func (v *View) fillDay(dv *DayView) {
	dc := dv.dc
	if dv.HasTables {
		dv.Tables, dv.Verdict, dv.Headline = v.dayTablesHTML(dc, dv.Root)
		dv.Answer = v.Page.Verdict.Of(dv.Verdict)
	}
	if v.chron == nil {
		return
	}
	seen := map[[2]string]bool{}
	var rows strings.Builder
	var run time.Time
	var hm string
	for i := dc.lo; i < dc.hi; i++ {
		l := &v.chron.lines[i]
		switch {
		case l.Heartbeat:
			continue
		case l.From == "":
			if id := [2]string{l.Group, l.Address}; !seen[id] {
				seen[id] = true
				c := v.changeOf(*l)
				c.Day = "" // this page
				if c.Server != "" {
					c.Server = dv.Root + c.Server
				}
				dv.FirstSeen = append(dv.FirstSeen, c)
			}
			continue
		}
		// A row of the table of changes: the run's time (the first row of
		// each run carries its id, the anchor the feed and the other
		// pages link; the day is the page's), the server, the check, the
		// change and its detail.
		// Written here rather than in the template for the same reason as
		// [Row.CellsHTML]; every value is escaped.
		dv.Changes++
		if dv.Changes == 1 || !l.T.Equal(run) {
			run = l.T
			hm = run.UTC().Format("15:04")
			rows.WriteString(`<tr id=`)
			rows.WriteString(runID(run))
			rows.WriteString(`>`)
		} else {
			rows.WriteString(`<tr>`)
		}
		rows.WriteString(`<td>`)
		rows.WriteString(hm)
		rows.WriteString(v.dayKeys[v.chron.keyOf[i]])
		rows.WriteString(changeHTML(l.From, l.To))
		rows.WriteString(`<td>`)
		rows.WriteString(html.EscapeString(l.Detail))
		rows.WriteString("\n")
	}
	dv.ChangesHTML = template.HTML(rows.String())
}

// dayKeysHTML is, for each key of the chronicle, the cells of its rows in
// the day pages' tables of changes (at root) between the time and the
// change: the group, the server (a link to its page when the config has
// it) and the check. The same on every day: made once. Every value is
// escaped.
func (v *View) dayKeysHTML(root string) []string {
	titles, pages := map[string]string{}, map[[2]string]string{}
	for _, t := range v.Tables {
		if _, ok := titles[t.Name]; !ok {
			titles[t.Name] = t.Title
		}
		for _, r := range t.Rows {
			pages[[2]string{t.Name, r.Address}] = r.Page
		}
	}
	out := make([]string, len(v.chron.keys))
	for i, k := range v.chron.keys {
		var b strings.Builder
		g, ok := titles[k.Group]
		if !ok {
			g = k.Group
		}
		b.WriteString(`<td>`)
		b.WriteString(html.EscapeString(g))
		b.WriteString(` `)
		if page, ok := pages[[2]string{k.Group, k.Address}]; ok {
			b.WriteString(`<a`)
			writeAttr(&b, "href", root+page)
			b.WriteString(`>`)
			b.WriteString(string(addressHTML(k.Address)))
			b.WriteString(`</a>`)
		} else {
			b.WriteString(`<span class=addr>`)
			b.WriteString(string(addressHTML(k.Address)))
			b.WriteString(`</span>`)
		}
		label := k.Check
		if c, ok := v.config.Checks[k.Check]; ok && c.Label != "" {
			label = c.Label
		}
		b.WriteString(`<td>`)
		b.WriteString(html.EscapeString(label))
		b.WriteString(`<td>`)
		out[i] = b.String()
	}
	return out
}

// subPages renders the server pages, the day pages and the archive with
// exec, on as many goroutines as there are processors: the pages of a
// long history are thousands.
func (v *View) subPages(exec func(name string, data any) ([]byte, error)) ([]File, error) {
	parts := map[string][3]template.HTML{}
	shared := func(f *frame) error {
		p, ok := parts[f.Root]
		if !ok {
			for i, name := range []string{"head", "crumbs", "subfoot"} {
				b, err := exec(name, f)
				if err != nil {
					return err
				}
				p[i] = template.HTML(b)
			}
			parts[f.Root] = p
		}
		f.Head, f.Crumbs, f.Foot = p[0], p[1], p[2]
		return nil
	}
	var jobs []func() (File, error)
	servers := v.serverViews()
	days, archive := v.dayViews()
	for _, sv := range servers {
		if err := shared(&sv.frame); err != nil {
			return nil, err
		}
	}
	for _, dv := range days {
		if err := shared(&dv.frame); err != nil {
			return nil, err
		}
	}
	if err := shared(&archive.frame); err != nil {
		return nil, err
	}
	for _, sv := range servers {
		jobs = append(jobs, func() (File, error) {
			v.fillServer(sv)
			b, err := exec("server.html", sv)
			return File{sv.File, b}, err
		})
	}
	for _, dv := range days {
		jobs = append(jobs, func() (File, error) {
			v.fillDay(dv)
			b, err := exec("day.html", dv)
			return File{dv.File, b}, err
		})
	}
	jobs = append(jobs, func() (File, error) {
		b, err := exec("archive.html", archive)
		return File{archive.File, b}, err
	})
	files := make([]File, len(jobs))
	errs := make([]error, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				files[i], errs[i] = jobs[i]()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// dayViews makes the page of every day that has one, and the archive.
func (v *View) dayViews() ([]*DayView, *ArchiveView) {
	av := &ArchiveView{frame: v.frameFor(archivePage), News: v.allNews()}
	ch := v.chron
	if ch == nil {
		// Without a history, the news days have pages of their own.
		ch = newChronicle(nil, v.Run.Finished, nil, nil, v.allNews())
	} else {
		av.Start = v.History.Start
	}
	out := make([]*DayView, len(ch.days))
	v.rowHeads = rowHeadsHTML(v.Tables)
	if v.chron != nil {
		v.dayKeys = v.dayKeysHTML(rootOf(dayPage(time.Time{})))
	}
	for i := range ch.days {
		dc := &ch.days[i]
		date := dayTime(dc.day)
		dv := &DayView{frame: v.frameFor(dayPage(date)), Date: date, Open: dc.day == ch.today && v.chron != nil, News: dc.news}
		if v.History != nil {
			dv.Start = v.History.Start
		}
		if i > 0 {
			dv.Prev = dayPage(dayTime(ch.days[i-1].day))
		}
		if i+1 < len(ch.days) {
			dv.Next = dayPage(dayTime(ch.days[i+1].day))
		}
		dv.HasTables = dc.states != nil && v.chron != nil
		dv.dc = dc
		out[i] = dv

		// The archive, newest first.
		y, m, d := date.Date()
		if n := len(av.Years); n == 0 || av.Years[n-1].Year != y {
			av.Years = append(av.Years, ArchiveYear{Year: y})
		}
		ay := &av.Years[len(av.Years)-1]
		if n := len(ay.Months); n == 0 || ay.Months[n-1].ID != "m-"+date.Format("2006-01") {
			ay.Months = append(ay.Months, ArchiveMonth{ID: "m-" + date.Format("2006-01"), Name: m.String() + " " + strconv.Itoa(y)})
		}
		am := &ay.Months[len(ay.Months)-1]
		am.Days = append(am.Days, ArchiveDay{Day: d, Href: av.Root + dv.File, News: len(dc.news)})
		av.Count++
	}
	// Newest first: reverse the years, and the months and days in them.
	reverse(av.Years)
	for i := range av.Years {
		reverse(av.Years[i].Months)
		for j := range av.Years[i].Months {
			reverse(av.Years[i].Months[j].Days)
		}
	}
	return out, av
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// dayTablesHTML draws the tables as they stood at the end of a day, and
// the verdict the page would have given: a row per server of the config
// (and per server the history has in a group that the config no longer
// lists, on days it was checked), a column per check that anything was
// checked with that day, each cell the state in a word. Every value is
// escaped.
func (v *View) dayTablesHTML(dc *dayChronicle, root string) (template.HTML, Verdict, string) {
	ch := v.chron
	st := func(k int32) stateCode {
		if k < 0 || int(k) >= len(dc.states) {
			return 0
		}
		return dc.states[k]
	}
	seen := make([][]colSeen, len(v.Tables))
	var b strings.Builder
	b.Grow(len(ch.keys)*20 + len(v.rowHeads)*80)
	for ti := range v.Tables {
		t := &v.Tables[ti]
		seen[ti] = make([]colSeen, len(t.Columns))
		var extra []*extraRow
		for i := range ch.extra[ti] {
			e := &ch.extra[ti][i]
			for _, k := range e.keys {
				if st(k).live() {
					extra = append(extra, e)
					break
				}
			}
		}
		// The columns checked that day.
		var cols []int
		for ci := range t.Columns {
			live := false
			for ri := range t.Rows {
				live = live || st(ch.rows[ti][ri].keys[ci]).live()
			}
			for _, e := range extra {
				live = live || st(e.keys[ci]).live()
			}
			if live {
				cols = append(cols, ci)
			}
		}
		b.WriteString(`<h3`)
		writeAttr(&b, "id", t.ID)
		b.WriteString(`>`)
		b.WriteString(html.EscapeString(t.Title))
		b.WriteString("</h3>\n")
		if len(cols) == 0 {
			b.WriteString("<p>Nothing was checked in this group that day.</p>\n")
			continue
		}
		b.WriteString(`<div class=scroll role=region tabindex=0`)
		writeAttr(&b, "aria-labelledby", t.ID)
		b.WriteString(`><table class=day><caption class=vh>`)
		b.WriteString(html.EscapeString(t.Title))
		b.WriteString(` at the end of the day; an empty cell is down</caption><thead><tr><th>`)
		b.WriteString(t.AddrCol)
		for _, ci := range cols {
			b.WriteString(`<th>`)
			b.WriteString(html.EscapeString(t.Columns[ci].Label))
		}
		b.WriteString("<tbody>")
		cell := func(c stateCode) {
			if int(c) >= len(dayCells) {
				c = 0
			}
			b.WriteString(dayCells[c])
		}
		for ri := range t.Rows {
			r := &t.Rows[ri]
			rc := &ch.rows[ti][ri]
			b.WriteString(v.rowHeads[ti][ri])
			for _, ci := range cols {
				c := st(rc.keys[ci])
				cell(c)
				s := &seen[ti][ci]
				if c.live() {
					s.data, s.mainData = true, s.mainData || r.Main
				}
				if c == upCode {
					s.up, s.mainUp = true, s.mainUp || r.Main
				}
			}
		}
		for _, e := range extra {
			b.WriteString("<tr class=gone>\n<th>")
			b.WriteString(string(addressHTML(e.address)))
			b.WriteString(` <small>no longer listed</small>`)
			for _, ci := range cols {
				c := st(e.keys[ci])
				cell(c)
				if c.live() {
					seen[ti][ci].data = true
				}
				if c == upCode {
					seen[ti][ci].up = true
				}
			}
		}
		b.WriteString("</table></div>\n")
	}
	verdict, headline := verdictOf(v.config, v.Tables, func(ti, ci int) colSeen { return seen[ti][ci] })
	return template.HTML(b.String()), verdict, headline
}

// rowHeadsHTML is, per table and row, the start of the row in the day
// tables: its <tr> and its header, the address. It links nowhere: a day
// page has a hundred rows and thousands of days have one, and the servers
// that changed that day link their pages from its table of changes (the
// index links every server's). The same for every day: made once.
func rowHeadsHTML(tables []Table) [][]string {
	out := make([][]string, len(tables))
	for ti, t := range tables {
		for _, r := range t.Rows {
			var b strings.Builder
			// The line breaks after <tr>, not after the last cell: an
			// empty cell must stay empty (the style sheet finds it so).
			if r.Main {
				b.WriteString("<tr class=main>\n<th>")
			} else {
				b.WriteString("<tr>\n<th>")
			}
			b.WriteString(string(addressHTML(r.Address)))
			if r.Main {
				b.WriteString(`<span class=vh> (main server)</span>`)
			}
			out[ti] = append(out[ti], b.String())
		}
	}
	return out
}

// addressHTML is an address, escaped; a host name may break after its dots.
func addressHTML(a string) template.HTML {
	if isIP(a) {
		return template.HTML(html.EscapeString(a))
	}
	return wbr(a)
}
