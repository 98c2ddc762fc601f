package render

// What earlier runs saw, as the index and the server pages show it.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

// The sizes of the history parts.
const (
	ChangesShown   = 10 // rows of "Recent changes": the newest; the day pages have them all
	FeedChangeRuns = 20 // runs with changes that feed.xml carries
)

// StaleAfter is the age of the last run past which the page, with a
// history, warns that the hourly job may have stopped.
const StaleAfter = 3 * time.Hour

// History is what earlier runs saw, as of the run shown; the per-cell and
// per-row parts are [Cell.History] and [Row.Timeline].
type History struct {
	Start    time.Time   // the history's first line; zero when it has none
	From, To time.Time   // the first and the last day of the timelines (00:00 UTC)
	Days     int         // days in a timeline
	Changes  []Change    // the newest ChangesShown changes, newest first
	Runs     []ChangeRun // the newest FeedChangeRuns runs that changed something, newest first
}

// Change is one transition of one cell.
type Change struct {
	T       time.Time
	Group   string // the group's title (its name when the config no longer has it)
	Address string
	Check   string // the check's label (its key when the config no longer has it)
	From    probe.State
	To      probe.State
	Detail  string
	Server  string // the server's page from the site's root; "" when the config no longer has it
	Day     string // the run's changes on the day's page, from the site's root
}

// ChangeRun is the changes one run made: one entry of the feed.
type ChangeRun struct {
	T       time.Time
	Changes []Change // in the history's order
}

// runID is the id of the changes of the run at t: "changes-20261125T100003Z",
// the anchor of the run on its day's page.
func runID(t time.Time) string { return "changes-" + t.UTC().Format("20060102T150405Z") }

// Title is the feed entry's title: the change, or the first and a count.
func (r ChangeRun) Title() string {
	first := r.Changes[0].Sentence()
	if len(r.Changes) == 1 {
		return first
	}
	return strconv.Itoa(len(r.Changes)) + " changes: " + first + ", and " + plural(len(r.Changes)-1, "more", "more")
}

// Sentence is the change in a line: "bn2 127.0.2.1 MSNP21: timeout → up".
func (c Change) Sentence() string {
	return c.Group + " " + c.Address + " " + c.Check + ": " + stateName(c.From) + " → " + stateName(c.To)
}

// stateName is a state in words: "not scanned" for skipped.
func stateName(s probe.State) string {
	switch s {
	case probe.Skipped:
		return "not scanned"
	case "":
		return "no data"
	}
	return string(s)
}

// dayOf is 00:00 UTC of t's day.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// buildHistory adds the history of h, as of now, to the view: the cells'
// history, the rows' timelines, the changes and the feed's runs.
func buildHistory(v *View, cfg probe.Config, h *history.History, now time.Time) {
	stats := h.Stats(now)
	hv := &History{Days: history.TimelineDays, To: dayOf(now)}
	hv.From = hv.To.AddDate(0, 0, 1-history.TimelineDays)
	titles, pages := map[string]string{}, map[[2]string]string{}
	cols := make([][]int, len(v.Tables))
	for ti := range v.Tables {
		t := &v.Tables[ti]
		if _, ok := titles[t.Name]; !ok {
			titles[t.Name] = t.Title
		}
		cols[ti], t.Timeline = timelineChecks(cfg, t)
		for _, r := range t.Rows {
			pages[[2]string{t.Name, r.Address}] = r.Page
		}
	}
	ch := newChronicle(h.Lines(), now, v.Tables, cols, v.allNews())
	v.chron = ch
	if len(ch.lines) > 0 {
		hv.Start = ch.lines[0].T
	}
	for ti := range v.Tables {
		t := &v.Tables[ti]
		for ri := range t.Rows {
			row := &t.Rows[ri]
			for ci := range row.Cells {
				if c := &row.Cells[ci]; c.State != "" && c.State != probe.Skipped {
					u, ok := stats[probe.Key{Group: t.Name, Address: row.Address, Check: t.Columns[ci].Key}]
					annotate(c, u, ok, now)
				}
			}
			days, names := make([]dayClass, hv.Days), make([]string, hv.Days)
			rc := &ch.rows[ti][ri]
			for i := range days {
				days[i] = noData
				if d := unixDay(hv.From) + int64(i) - ch.first; d >= 0 && d < int64(len(rc.class)) {
					days[i] = cmp.Or(rc.class[d], noData)
				}
			}
			// A changed day's link is named by the day and its changes.
			said := make([][]string, hv.Days)
			for j := len(rc.lines) - 1; j >= 0; j-- {
				l := &ch.lines[rc.lines[j]]
				i := int(unixDay(l.T) - unixDay(hv.From))
				if i < 0 {
					break
				}
				if ci := slices.Index(rc.keys, ch.keyIdx[l.Key]); slices.Contains(cols[ti], ci) {
					w := stateName(l.To)
					if l.From != "" {
						w = stateName(l.From) + " to " + w
					}
					said[i] = append([]string{t.Columns[ci].Label + " " + w}, said[i]...)
				}
			}
			for i, s := range said {
				if len(s) > 3 {
					s = append(s[:2], "and "+plural(len(s)-2, "more change", "more changes"))
				}
				if len(s) > 0 {
					names[i] = hv.From.AddDate(0, 0, i).Format(time.DateOnly) + ": " + strings.Join(s, ", ")
				}
			}
			row.Timeline = timeline(days, hv.From, names)
		}
	}
	v.changeOf = func(l history.Line, root string) Change {
		c := Change{T: l.T, Group: cmp.Or(titles[l.Group], l.Group), Address: l.Address, Check: cmp.Or(cfg.Checks[l.Check].Label, l.Check),
			From: l.From, To: l.To, Detail: l.Detail, Day: root + dayPage(l.T) + "#" + runID(l.T)}
		if l.From == "" {
			c.Day = root + dayPage(l.T) + "#first"
		}
		if p := pages[[2]string{l.Group, l.Address}]; p != "" {
			c.Server = root + p
		}
		return c
	}
	// The newest changes, and the newest runs with their changes in file order.
	for i := len(ch.lines) - 1; i >= 0; i-- {
		l := ch.lines[i]
		if l.Heartbeat || l.From == "" {
			continue
		}
		if n := len(hv.Runs); n == 0 || !hv.Runs[n-1].T.Equal(l.T) {
			if n == FeedChangeRuns {
				break
			}
			hv.Runs = append(hv.Runs, ChangeRun{T: l.T})
		}
		c := v.changeOf(l, "")
		if len(hv.Changes) < ChangesShown {
			hv.Changes = append(hv.Changes, c)
		}
		r := &hv.Runs[len(hv.Runs)-1]
		r.Changes = append([]Change{c}, r.Changes...)
	}
	v.History = hv
	v.Script = true
}

// timelineChecks are the columns a row's timeline follows: the scanned
// MSNP ones, or every scanned one in a group without MSNP checks; and what
// that is in words.
func timelineChecks(cfg probe.Config, t *Table) ([]int, string) {
	var cols []int
	for i, col := range t.Columns {
		if col.Scanned && cfg.Checks[col.Key].Kind == probe.MSNP {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		for i, col := range t.Columns {
			if col.Scanned {
				cols = append(cols, i)
			}
		}
	}
	var labels []string
	for _, i := range cols {
		labels = append(labels, t.Columns[i].Label)
	}
	switch len(labels) {
	case 0:
		return cols, "nothing is scanned"
	case 1:
		return cols, labels[0]
	}
	return cols, "the best of " + englishList(labels) + " each day"
}

// CellHistory is what the history says of a cell, as of the run shown:
// the server page's text.
type CellHistory struct {
	Lag     string // "not in the history yet", "this run is not in the history yet"; "" when the history has the run
	Since   string // when it got into its state: "2026-11-20 14:00 UTC" (to the minute within a week), "2026-09-15"
	First   bool   // it has been in that state since its first check
	LastUp  string // when it was last up, as Since; "" when up, or never up
	NeverUp bool   // never seen up
	Uptime  string // "up 17% of the time checked in the last 30 days, 4% in the last 365"
}

// annotate adds what the history knows of a cell, as of now.
func annotate(c *Cell, u history.Uptime, ok bool, now time.Time) {
	h := &CellHistory{}
	switch {
	case !ok:
		h.Lag = "not in the history yet"
	case u.State != c.State:
		// The history lags the results (a render of results it has not
		// recorded): its since and last up would be about another state.
		h.Lag, h.Uptime = "this run is not in the history yet", uptime(u)
	default:
		h.Since, h.First = moment(u.Since, now), u.Since.Equal(u.First)
		h.Uptime = uptime(u)
		switch {
		case u.State == probe.Up:
		case u.LastUp.IsZero():
			h.NeverUp = true
		default:
			h.LastUp = moment(u.LastUp, now)
		}
	}
	c.History = h
}

// uptime is the share of the checked time that the cell was up, in the
// last 30 and 365 days: "up 99.5% of the time checked in the last 30 days,
// 87% in the last 365". Time without a run is not checked time.
func uptime(u history.Uptime) string {
	_, month := u.Month.Percent()
	_, year := u.Year.Percent()
	switch {
	case month:
		return "up " + percent(u.Month) + " of the time checked in the last 30 days, " + percent(u.Year) + " in the last 365"
	case year:
		return "not checked in the last 30 days; up " + percent(u.Year) + " of the time checked in the last 365"
	}
	return "no data for the last 365 days"
}

// percent is the ratio in percent: whole between 1% and 99%, to a tenth
// below and above, never rounded to 0% or 100% unless it is exactly that;
// "no data" when nothing is known.
func percent(r history.Ratio) string {
	p, ok := r.Percent()
	switch {
	case !ok:
		return "no data"
	case r.Up >= r.Known:
		return "100%"
	case r.Up <= 0:
		return "0%"
	case p >= 1 && p <= 99:
		return strconv.Itoa(int(math.Round(p))) + "%"
	}
	p = min(max(math.Round(p*10)/10, 0.1), 99.9)
	return strings.TrimSuffix(strconv.FormatFloat(p, 'f', 1, 64), ".0") + "%"
}

// moment is a time of the history as the cells say it: to the minute in
// the week before now, to the day before that.
func moment(t, now time.Time) string {
	if now.Sub(t) < 7*24*time.Hour {
		return human(t)
	}
	return t.UTC().Format(time.DateOnly)
}

// jobHelp is the address of CONTRIBUTING.md's "When the hourly job stops"
// in the repository, or "" when the repository is not an http(s) URL.
func jobHelp(repository string) string {
	if webURL(repository) == "" {
		return ""
	}
	return strings.TrimSuffix(repository, "/") + "/blob/HEAD/CONTRIBUTING.md#when-the-hourly-job-stops"
}

func human(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// dayClass is what a timeline day shows.
type dayClass byte

const (
	noData  dayClass = 'n'
	upDay   dayClass = 'u' // up all the known time
	partDay dayClass = 'p' // up part of it
	downDay dayClass = 'd' // never up
)

// rank orders the classes: the best of several checks is the greatest.
func (c dayClass) rank() int { return strings.IndexByte("ndpu", byte(c)) }

// Timeline is a row's last days, drawn by the template "timeline": a
// path per class of day, each run of equal days one segment, and a link
// to the day's page under each day the row changed.
type Timeline struct {
	Days  int
	Label string // the days in words, for screen readers
	Paths []TimelinePath
	Links []TimelineLink
}

// TimelinePath is the segments of one class of day: "M0 4h3M7 4h1".
type TimelinePath struct{ Class, D string }

// TimelineLink is the mark under day X, a link to its page named by
// the day and its changes.
type TimelineLink struct {
	X          int
	Href, Name string
}

// timeline draws days from from on, oldest first; a day with a name
// (its changes) links its page.
func timeline(days []dayClass, from time.Time, names []string) *Timeline {
	var count [256]int
	var segs [256][]byte
	for i := 0; i < len(days); {
		j := i
		for j < len(days) && days[j] == days[i] {
			j++
		}
		d := days[i]
		count[d] += j - i
		segs[d] = fmt.Appendf(segs[d], "M%d 4h%d", i, j-i)
		i = j
	}
	tl := &Timeline{Days: len(days), Label: daysSaid(count)}
	for _, k := range dayWords {
		if count[k.c] > 0 {
			tl.Paths = append(tl.Paths, TimelinePath{string(k.c), string(segs[k.c])})
		}
	}
	for i, name := range names {
		if name != "" {
			tl.Links = append(tl.Links, TimelineLink{i, dayPage(from.AddDate(0, 0, i)), name})
		}
	}
	switch len(tl.Links) {
	case 0:
		tl.Label += "; no change"
	case 1:
		tl.Label += "; a change on " + from.AddDate(0, 0, tl.Links[0].X).Format(time.DateOnly) + ", linked"
	default:
		tl.Label += "; changes on " + strconv.Itoa(len(tl.Links)) + " days, linked"
	}
	return tl
}

// dayWords are the classes of days, u, p, d, n as in the timelines and x
// (no run) in the calendars, in the order the pages name them.
var dayWords = []struct {
	c    byte
	name string
}{{'u', "up"}, {'p', "partly up"}, {'d', "down"}, {'n', "no data"}, {'x', "no run"}}

// daysSaid is how many days of each class count holds, in words: "up 5
// days, down 1 day".
func daysSaid(count [256]int) string {
	var said []string
	for _, k := range dayWords {
		if n := count[k.c]; n > 0 {
			said = append(said, k.name+" "+plural(n, "day", "days"))
		}
	}
	return strings.Join(said, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// staleScriptFile is the page's one script, a file of the static
// folder, in the site with a history only.
const staleScriptFile = "stale.js"
