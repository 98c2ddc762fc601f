package render

// The pages beneath the index: one per server, one per day with a change
// or a news entry, and the archive of the days. Links are relative and
// name index.html, so that the site works from any path and from disk.

import (
	"cmp"
	"html/template"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"deadyet/probe"
	"deadyet/render/news"
)

// ServerChangesShown is how many changes a server page lists, newest
// first; the older ones are on the pages of their days.
const ServerChangesShown = 50

// frame is what the shared head and foot of every page need: the view's
// page, run and history, seen from the page's File.
type frame struct {
	*View
	Root   string    // the way from the page to the site's root: "", "../", "../../" …
	File   string    // the page's path from the root
	Script bool      // always false beneath the index: no script
	Start  time.Time // the history's first line; zero without one
}

// ServerView is the page of one server.
type ServerView struct {
	frame
	Table   *Table // its group
	Row     *Row
	Checks  []ServerCheck
	Differ  []ServerCheck // the checks whose vantage points disagree
	First   time.Time     // the first day of the calendar
	Last    time.Time     // the last day (the run's)
	Years   []CalYear     // the calendar, newest first
	Changes []Change      // newest first, at most ServerChangesShown
	Older   int           // changes not listed

	rc *rowChronicle
}

// CalYear is a year of a server's calendar: its months, newest first.
type CalYear struct {
	Year   int
	Months []CalMonth
}

// CalMonth is a month of a server's calendar. Def is the class most of
// its cells have, which they leave to the list.
type CalMonth struct {
	Name  string // "2026-11"
	Said  string // the month in words: "up 5 days, …; changes on 1 day, linked"
	Week  int    // the weekday of its first day, Monday 0
	Def   string
	Cells []CalCell
}

// CalCell is a day, or days in a row of one class without a change.
type CalCell struct {
	Class    string // u, p, d, n or x (no run); "" for the month's Def
	Span     int64  // days
	From, To int    // their days of the month
	Href     string // the day's page, for a day the server changed
}

// ServerCheck is one check of a server as its page shows it: its cell,
// the column's anchor and label, and what it checks.
type ServerCheck struct {
	*Cell
	Anchor, Label string
	About         template.HTML // from the config's Markdown
	Hops          string        // a signin's redirects: "10.1.2.3:1863, then 10.1.2.4:1863"; "" without
	Answered      string        // with Hops: what the last hop answered
}

// fillServer adds to a server's view what takes the time: its calendar and
// its changes.
func (v *View) fillServer(sv *ServerView) {
	ch, rc := v.chron, sv.rc
	if rc == nil {
		return
	}
	sv.Years = calendar(ch, rc, sv.Root)
	for i := len(rc.lines) - 1; i >= 0 && len(sv.Changes) < ServerChangesShown; i-- {
		sv.Changes = append(sv.Changes, v.changeOf(ch.lines[rc.lines[i]], sv.Root))
	}
	sv.Older = len(rc.lines) - len(sv.Changes)
}

// DayView is the page of one UTC day.
type DayView struct {
	frame
	Date       time.Time // 00:00 UTC
	Open       bool      // the day of the run shown: not over yet
	Prev, Next string    // the neighbouring day pages, from the root; "" at the ends
	HasTables  bool      // the history knows the day's states
	Verdict    Verdict
	Answer     string // the verdict's word, and the headline, as of the end of the day
	Headline   string
	Tables     []DayTable
	Changes    []DayChange // that day's changes of state, run by run
	FirstSeen  []Change    // first checks of that day, one per server
	News       []news.Entry

	dc *dayChronicle
}

// DayTable is a group's table as it stood at the end of a day: the
// columns anything checked that day, and its rows, each rendered once for
// all the days it is the same (the template "day-row").
type DayTable struct {
	ID, Title, AddrCol string
	Cols               []string
	Rows               []template.HTML
}

// DayRow is a server's row of a day table; Gone: the config no longer
// lists it.
type DayRow struct {
	Address    string
	Main, Gone bool
	Cells      []probe.State
}

// DayChange is a row of a day's changes: ID is set on a run's first.
type DayChange struct {
	Change
	ID string
}

// ArchiveView is the archive page.
type ArchiveView struct {
	frame
	Years []ArchiveYear
	Count int          // days with a page
	News  []news.Entry // every news entry, newest first
}

// ArchiveYear is a year of the archive, newest first.
type ArchiveYear struct {
	Year   int
	Months []ArchiveMonth
}

// ArchiveMonth is a month with day pages, newest first.
type ArchiveMonth struct {
	Month time.Time // its first day
	Days  []*DayView
}

func (v *View) frameFor(file string) frame {
	f := frame{View: v, Root: rootOf(file), File: file}
	if v.History != nil {
		f.Start = v.History.Start
	}
	return f
}

// serverViews makes the page of every server of the config.
func (v *View) serverViews() []*ServerView {
	var out []*ServerView
	for ti := range v.Tables {
		t := &v.Tables[ti]
		for ri := range t.Rows {
			r := &t.Rows[ri]
			sv := &ServerView{frame: v.frameFor(r.Page), Table: t, Row: r}
			for ci, col := range t.Columns {
				c := &r.Cells[ci]
				about := MarkdownInline(v.config.Checks[col.Key].About, rootOf(r.Page))
				sc := ServerCheck{Cell: c, Anchor: col.Anchor, Label: col.Label, About: about}
				if hops, last := probe.Hops(c.Detail); len(hops) > 0 && !c.Disagree {
					sc.Hops, sc.Answered = strings.Join(hops, ", then "), last
				}
				sv.Checks = append(sv.Checks, sc)
				if c.Disagree {
					sv.Differ = append(sv.Differ, sc)
				}
			}
			if ch := v.chron; ch != nil {
				sv.rc = &ch.rows[ti][ri]
				sv.First, sv.Last = dayTime(ch.first), dayTime(ch.today)
			}
			out = append(out, sv)
		}
	}
	return out
}

// calendar is a server's days by month, newest first, weeks from Monday.
// A day it changed is a cell of its own, linked; the days between, of one
// class, are one cell to the end of their week at most.
func calendar(ch *chronicle, rc *rowChronicle, root string) []CalYear {
	var years []CalYear
	first, last := dayTime(ch.first), dayTime(ch.today)
	for m := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC); !m.Before(time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, -1, 0) {
		if len(years) == 0 || years[len(years)-1].Year != m.Year() {
			years = append(years, CalYear{Year: m.Year()})
		}
		from, to := max(unixDay(m), ch.first), min(unixDay(m.AddDate(0, 1, -1)), ch.today)
		var count, cellsOf [256]int
		changes := 0
		var cells []CalCell
		for d := from; d <= to; d++ {
			l, link := dayLetter(ch, rc, d), rc.changed[d-ch.first]
			count[l]++
			if link {
				changes++
			}
			// A new cell: a change, a Monday, another class, or after a change.
			if n := len(cells); n == 0 || link || cells[n-1].Href != "" || cells[n-1].Class != string(l) || dayTime(d).Weekday() == time.Monday {
				c := CalCell{Class: string(l), Span: 1, From: dayTime(d).Day(), To: dayTime(d).Day()}
				if link {
					c.Href = root + dayPage(dayTime(d))
				}
				cells = append(cells, c)
				cellsOf[l]++
				continue
			}
			cells[len(cells)-1].Span++
			cells[len(cells)-1].To = dayTime(d).Day()
		}
		def := byte('d')
		for _, l := range []byte("upnx") {
			if cellsOf[l] > cellsOf[def] {
				def = l
			}
		}
		for i := range cells {
			if cells[i].Class == string(def) {
				cells[i].Class = ""
			}
		}
		s := daysSaid(count) + "; no change"
		if changes > 0 {
			s = daysSaid(count) + "; changes on " + plural(changes, "day", "days") + ", linked"
		}
		y := &years[len(years)-1]
		y.Months = append(y.Months, CalMonth{Name: m.Format("2006-01"), Said: s, Week: (int(dayTime(from).Weekday()) + 6) % 7, Def: string(def), Cells: cells})
	}
	return years
}

// dayLetter is the class of a server's day in its calendar: u, p, d, n as
// in the timelines, and x for a day without a run.
func dayLetter(ch *chronicle, rc *rowChronicle, d int64) byte {
	i := d - ch.first
	if !ch.covered[i] {
		return 'x'
	}
	return byte(cmp.Or(rc.class[i], noData))
}

// fillDay adds to a day's view what takes the time: its tables, its
// verdict and its changes.
func (v *View) fillDay(dv *DayView) error {
	dc := dv.dc
	if dv.HasTables {
		var err error
		if dv.Tables, dv.Verdict, dv.Headline, err = v.dayTables(dc); err != nil {
			return err
		}
		dv.Answer = v.Page.Verdict.Of(dv.Verdict)
	}
	if v.chron == nil {
		return nil
	}
	seen := map[[2]string]bool{}
	var run time.Time
	for i := dc.lo; i < dc.hi; i++ {
		l := &v.chron.lines[i]
		switch {
		case l.Heartbeat:
			continue
		case l.From == "":
			if id := [2]string{l.Group, l.Address}; !seen[id] {
				seen[id] = true
				dv.FirstSeen = append(dv.FirstSeen, v.changeOf(*l, dv.Root))
			}
			continue
		}
		c := DayChange{Change: v.changeOf(*l, dv.Root)}
		if len(dv.Changes) == 0 || !l.T.Equal(run) {
			run, c.ID = l.T, runID(l.T)
		}
		dv.Changes = append(dv.Changes, c)
	}
	return nil
}

// subPages renders the server pages, the day pages and the archive with
// exec, on as many goroutines as there are processors.
func (v *View) subPages(exec func(name string, data any) ([]byte, error)) ([]File, error) {
	v.exec, v.dayRows = exec, &sync.Map{}
	var jobs []func() (File, error)
	servers := v.serverViews()
	days, archive := v.dayViews()
	for _, sv := range servers {
		jobs = append(jobs, func() (File, error) {
			v.fillServer(sv)
			b, err := exec("server.html", sv)
			return File{sv.File, b}, err
		})
	}
	for _, dv := range days {
		jobs = append(jobs, func() (File, error) {
			if err := v.fillDay(dv); err != nil {
				return File{}, err
			}
			b, err := exec("day.html", dv)
			dv.Tables, dv.Changes = nil, nil // done: a long history has thousands
			return File{dv.File, b}, err
		})
	}
	jobs = append(jobs, func() (File, error) {
		b, err := exec("archive.html", archive)
		return File{archive.File, b}, err
	})
	files := make([]File, len(jobs))
	err := parallel(len(jobs), runtime.GOMAXPROCS(0), func(i int) (err error) {
		files[i], err = jobs[i]()
		return err
	})
	return files, err
}

// dayViews makes the page of every day that has one, and the archive.
func (v *View) dayViews() ([]*DayView, *ArchiveView) {
	av := &ArchiveView{frame: v.frameFor(archivePage), News: v.allNews()}
	ch := v.chron
	if ch == nil {
		// Without a history, the news days have pages of their own.
		ch = newChronicle(nil, v.Run.Finished, nil, nil, v.allNews())
	}
	out := make([]*DayView, len(ch.days))
	for i := range ch.days {
		dc := &ch.days[i]
		date := dayTime(dc.day)
		dv := &DayView{frame: v.frameFor(dayPage(date)), Date: date, Open: dc.day == ch.today && v.chron != nil, News: dc.news}
		if i > 0 {
			dv.Prev = dayPage(dayTime(ch.days[i-1].day))
		}
		if i+1 < len(ch.days) {
			dv.Next = dayPage(dayTime(ch.days[i+1].day))
		}
		dv.HasTables = dc.states != nil && v.chron != nil
		dv.dc = dc
		out[i] = dv
	}
	for i := len(out) - 1; i >= 0; i-- { // the archive, newest first
		y, m, _ := out[i].Date.Date()
		if n := len(av.Years); n == 0 || av.Years[n-1].Year != y {
			av.Years = append(av.Years, ArchiveYear{Year: y})
		}
		ay := &av.Years[len(av.Years)-1]
		if n := len(ay.Months); n == 0 || ay.Months[n-1].Month.Month() != m {
			ay.Months = append(ay.Months, ArchiveMonth{Month: time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)})
		}
		am := &ay.Months[len(ay.Months)-1]
		am.Days = append(am.Days, out[i])
	}
	av.Count = len(out)
	return out, av
}

// dayTables are the tables as they stood at the end of a day, and the
// verdict the page would have given then: a row per server of the config
// (and per server of the history a group no longer lists, on days it was
// checked), a column per check anything was checked with that day.
func (v *View) dayTables(dc *dayChronicle) ([]DayTable, Verdict, string, error) {
	ch := v.chron
	st := func(k int32) stateCode {
		if k < 0 || int(k) >= len(dc.states) {
			return 0
		}
		return dc.states[k]
	}
	seen := make([][]colSeen, len(v.Tables))
	out := make([]DayTable, len(v.Tables))
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
		dt := &out[ti]
		*dt = DayTable{ID: t.ID, Title: t.Title, AddrCol: t.AddrCol}
		if len(cols) == 0 {
			continue
		}
		for _, ci := range cols {
			dt.Cols = append(dt.Cols, t.Columns[ci].Label)
		}
		// A row is rendered once: the same table, server and cells give the same row.
		row := func(r DayRow, keys []int32) error {
			key := []byte(strconv.Itoa(ti) + "/" + r.Address + "/" + strconv.FormatBool(r.Gone))
			for _, ci := range cols {
				c := st(keys[ci])
				key = append(strconv.AppendInt(append(key, ' '), int64(ci), 10), byte(c))
				seen[ti][ci].see(c.live(), c == upCode, r.Main)
				r.Cells = append(r.Cells, c.state())
			}
			h, ok := v.dayRows.Load(string(key))
			if !ok {
				b, err := v.exec("day-row", r)
				if err != nil {
					return err
				}
				h, _ = v.dayRows.LoadOrStore(string(key), template.HTML(b))
			}
			dt.Rows = append(dt.Rows, h.(template.HTML))
			return nil
		}
		for ri, r := range t.Rows {
			if err := row(DayRow{Address: r.Address, Main: r.Main}, ch.rows[ti][ri].keys); err != nil {
				return nil, "", "", err
			}
		}
		for _, e := range extra {
			if err := row(DayRow{Address: e.address, Gone: true}, e.keys); err != nil {
				return nil, "", "", err
			}
		}
	}
	verdict, headline := verdictOf(v.config, v.Tables, func(ti, ci int) colSeen { return seen[ti][ci] })
	return out, verdict, headline, nil
}

// The folders of the sub-pages.
const (
	serverDir  = "server"
	dayDir     = "day"
	archiveDir = "archive"
)

// maxSegment bounds the length of a path segment made of a name.
const maxSegment = 100

// pathSegment makes s a path segment that needs no escaping anywhere:
// a-z, 0-9, '.', '_' and '-', the rest '-'; never empty, "." or "..", at
// most maxSegment bytes. Names can meet ("::1", "--1"): see [uniqueID].
func pathSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < maxSegment; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte('-')
		}
	}
	seg := b.String()
	if strings.Trim(seg, ".") == "" {
		seg = "_" + seg
	}
	return seg
}

// serverPage is the file of a server's page, from the site's root.
func serverPage(groupSeg, addrSeg string) string {
	return serverDir + "/" + groupSeg + "/" + addrSeg + "/index.html"
}

// dayPage is the file of a day's page, from the site's root.
func dayPage(d time.Time) string {
	return dayDir + "/" + d.UTC().Format(time.DateOnly) + "/index.html"
}

// archivePage is the file of the archive, from the site's root.
const archivePage = archiveDir + "/index.html"

// rootOf is the relative path from the folder of file (a path from the
// site's root) back to the root: "" for index.html, "../../" for
// day/2026-11-25/index.html.
func rootOf(file string) string {
	return strings.Repeat("../", strings.Count(file, "/"))
}
