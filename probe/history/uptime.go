package history

import (
	"sort"
	"time"

	"deadyet/probe"
)

// The sizes of the views.
const (
	TimelineDays = 90 // days in [Uptime].Days
	MaxChanges   = 10 // changes in [Uptime].Changes
)

// Ratio is up time over known time in a window.
type Ratio struct {
	Up, Known time.Duration
}

// Percent is the uptime in percent; ok is false when nothing is known.
func (r Ratio) Percent() (pct float64, ok bool) {
	if r.Known <= 0 {
		return 0, false
	}
	return 100 * float64(r.Up) / float64(r.Known), true
}

// count adds secs of known time, if more than 0.
func (r *Ratio) count(secs int64, up bool) {
	if secs > 0 {
		r.Known += time.Duration(secs) * time.Second
		if up {
			r.Up += time.Duration(secs) * time.Second
		}
	}
}

// Day is one UTC day of a timeline.
type Day struct {
	Start time.Time // 00:00 UTC
	Ratio           // Known is 0 on a day with no data
}

// Uptime is the history of one key as of a time "now".
type Uptime struct {
	probe.Key
	State   probe.State // the state at now ("" if not seen yet)
	Since   time.Time   // the time of the run that first saw State
	First   time.Time   // the first sighting
	LastUp  time.Time   // now if up; else the first run that no longer saw it up; zero if never up
	Month   Ratio       // the last 30 days: [now-30×24h, now)
	Year    Ratio       // the last 365 days: [now-365×24h, now)
	Days    []Day       // the last TimelineDays UTC days, oldest first, now's (partial) day last
	Changes []Line      // the last MaxChanges transitions, newest first, first sighting left out
}

// Stats computes the [Uptime] of every key the history has seen by now, at
// a cost that grows with the last year's lines, not with the whole history.
func (h *History) Stats(now time.Time) map[probe.Key]Uptime {
	nowS := now.Unix()
	n := h.upTo(nowS)
	yearStart, monthStart := nowS-365*day, nowS-30*day
	today := floorDiv(nowS, day)
	firstDay, timelineFirst := floorDiv(yearStart, day), today-TimelineDays+1

	// covered[d-firstDay] for the days of the year window. Lines after now
	// may have marked today: it is covered if the last line by now is on it.
	covered := make([]bool, today-firstDay+1)
	for i := sort.Search(len(h.days), func(i int) bool { return h.days[i] >= firstDay }); i < len(h.days) && h.days[i] <= today; i++ {
		covered[h.days[i]-firstDay] = true
	}
	covered[today-firstDay] = n > 0 && floorDiv(h.lines[n-1].T.Unix(), day) == today

	out := make(map[probe.Key]Uptime, len(h.keys))
	for _, k := range h.keys {
		tr := h.byKey[k]
		tr = tr[:sort.Search(len(tr), func(i int) bool { return int(tr[i]) >= n })]
		if len(tr) == 0 {
			continue
		}
		u := Uptime{Key: k, Days: make([]Day, TimelineDays)}
		for i := range u.Days {
			u.Days[i].Start = time.Unix((timelineFirst+int64(i))*day, 0).UTC()
		}
		last := &h.lines[tr[len(tr)-1]]
		u.State, u.Since, u.First = last.To, last.T, h.lines[tr[0]].T
		if last.To == probe.Up {
			u.LastUp = now
		}
		for i := len(tr) - 1; i >= 0 && (u.LastUp.IsZero() || len(u.Changes) < MaxChanges); i-- {
			l := &h.lines[tr[i]]
			if l.From == probe.Up && u.LastUp.IsZero() {
				u.LastUp = l.T
			}
			if l.From != "" && len(u.Changes) < MaxChanges {
				u.Changes = append(u.Changes, *l)
			}
		}
		// add counts [a, b) spent in state st, day by day.
		add := func(a, b int64, st probe.State) {
			for up := st == probe.Up; st != "" && st != probe.Skipped && a < b; a = min(b, (floorDiv(a, day)+1)*day) {
				d := floorDiv(a, day)
				end := min(b, (d+1)*day)
				if i := d - firstDay; i >= 0 && i < int64(len(covered)) && covered[i] {
					u.Year.count(end-a, up)
					u.Month.count(end-max(a, monthStart), up)
					if t := d - timelineFirst; t >= 0 {
						u.Days[t].count(end-a, up)
					}
				}
			}
		}
		// The segments of constant state through the year window.
		j := sort.Search(len(tr), func(i int) bool { return h.lines[tr[i]].T.Unix() > yearStart })
		from, st := yearStart, probe.State("")
		if j > 0 {
			st = h.lines[tr[j-1]].To
		}
		for ; j < len(tr); j++ {
			l := &h.lines[tr[j]]
			add(from, l.T.Unix(), st)
			from, st = l.T.Unix(), l.To
		}
		add(from, nowS, st)
		out[k] = u
	}
	return out
}

// upTo is the number of lines at or before the Unix time t.
func (h *History) upTo(t int64) int {
	return sort.Search(len(h.lines), func(i int) bool { return h.lines[i].T.Unix() > t })
}
