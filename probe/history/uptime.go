package history

// Stats, spans and recent changes: the history read as of a time. See the
// package documentation, "Uptime", for what is counted.

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

// Day is one UTC day of a timeline.
type Day struct {
	Start time.Time // 00:00 UTC
	Ratio           // Known is 0 on a day with no data
}

// Fraction is the part of the day's known time that was up, from 0 to 1; ok
// is false on a day with no data.
func (d Day) Fraction() (f float64, ok bool) {
	pct, ok := d.Percent()
	return pct / 100, ok
}

// Uptime is the history of one key as of a time "now".
type Uptime struct {
	probe.Key
	State  probe.State // the state at now ("" if not seen yet)
	Since  time.Time   // the time of the run that first saw State
	First  time.Time   // the first sighting
	LastUp time.Time   // now if up at now; else the time of the first run that no longer saw it up; zero if never up
	Month  Ratio       // the last 30 days: [now-30×24h, now)
	Year   Ratio       // the last 365 days: [now-365×24h, now)
	Days   []Day       // the last TimelineDays UTC days, oldest first; the last is now's (partial) day
	// Changes are the key's last transitions (first sighting excluded),
	// newest first, at most MaxChanges.
	Changes []Line
}

// Stats computes the [Uptime] of every key the history has seen by now.
// Its cost grows with the transitions of the last year, not with the whole
// history.
func (h *History) Stats(now time.Time) map[probe.Key]Uptime {
	nowS := now.Unix()
	// Lines at or before now.
	n := sort.Search(len(h.entries), func(i int) bool { return h.entries[i].t > nowS })

	yearStart := nowS - 365*day
	monthStart := nowS - 30*day
	today := floorDiv(nowS, day)
	firstDay := floorDiv(yearStart, day)
	timelineFirst := today - TimelineDays + 1

	// covered[d-firstDay] for the days of the year window.
	covered := make([]bool, today-firstDay+1)
	for i := sort.Search(len(h.days), func(i int) bool { return h.days[i] >= firstDay }); i < len(h.days) && h.days[i] <= today; i++ {
		covered[h.days[i]-firstDay] = true
	}
	// Lines after now may have marked today: today is covered only if the
	// last line at or before now is on it.
	covered[today-firstDay] = n > 0 && floorDiv(h.entries[n-1].t, day) == today

	out := make(map[probe.Key]Uptime, len(h.keys))
	for ki, k := range h.keys {
		tr := h.byKey[ki]
		m := sort.Search(len(tr), func(i int) bool { return int(tr[i]) >= n })
		tr = tr[:m]
		if len(tr) == 0 {
			continue
		}
		u := Uptime{Key: k, Days: make([]Day, TimelineDays)}
		for i := range u.Days {
			u.Days[i].Start = time.Unix((timelineFirst+int64(i))*day, 0).UTC()
		}
		last := &h.entries[tr[len(tr)-1]]
		u.State, u.Since = last.to.state(), unixUTC(last.t)
		u.First = unixUTC(h.entries[tr[0]].t)
		if last.to == upCode {
			u.LastUp = now
		} else {
			for i := len(tr) - 1; i >= 0; i-- {
				if e := &h.entries[tr[i]]; e.from == upCode {
					u.LastUp = unixUTC(e.t)
					break
				}
			}
		}
		for i := len(tr) - 1; i >= 0 && len(u.Changes) < MaxChanges; i-- {
			if h.entries[tr[i]].from != noState {
				u.Changes = append(u.Changes, h.line(int(tr[i])))
			}
		}

		// Walk the segments of constant state through the year window.
		acc := accumulator{u: &u, covered: covered, firstDay: firstDay, monthStart: monthStart, timelineFirst: timelineFirst}
		j := sort.Search(len(tr), func(i int) bool { return h.entries[tr[i]].t > yearStart })
		from, st := yearStart, noState
		if j > 0 {
			st = h.entries[tr[j-1]].to
		}
		for ; j < len(tr); j++ {
			e := &h.entries[tr[j]]
			acc.add(from, e.t, st)
			from, st = e.t, e.to
		}
		acc.add(from, nowS, st)
		out[k] = u
	}
	return out
}

// Recent returns the last n transitions of any key at or before now, newest
// first, first sightings excluded.
func (h *History) Recent(now time.Time, n int) []Line {
	nowS := now.Unix()
	i := sort.Search(len(h.entries), func(i int) bool { return h.entries[i].t > nowS })
	var out []Line
	for i--; i >= 0 && len(out) < n; i-- {
		if e := &h.entries[i]; e.key != heartbeat && e.from != noState {
			out = append(out, h.line(i))
		}
	}
	return out
}

// Span is the time of the first and the last line at or before now; ok is
// false when there is none.
func (h *History) Span(now time.Time) (first, last time.Time, ok bool) {
	nowS := now.Unix()
	n := sort.Search(len(h.entries), func(i int) bool { return h.entries[i].t > nowS })
	if n == 0 {
		return time.Time{}, time.Time{}, false
	}
	return unixUTC(h.entries[0].t), unixUTC(h.entries[n-1].t), true
}

func unixUTC(s int64) time.Time { return time.Unix(s, 0).UTC() }

// accumulator adds the segments of one key's states to its Uptime.
type accumulator struct {
	u             *Uptime
	covered       []bool // by day, from firstDay
	firstDay      int64
	monthStart    int64
	timelineFirst int64
}

// add counts [a, b) spent in state st, day by day.
func (acc *accumulator) add(a, b int64, st stateCode) {
	if st == noState || st == skipCode {
		return
	}
	up := st == upCode
	for a < b {
		d := floorDiv(a, day)
		end := min(b, (d+1)*day)
		if i := d - acc.firstDay; i >= 0 && i < int64(len(acc.covered)) && acc.covered[i] {
			secs := time.Duration(end-a) * time.Second
			acc.u.Year.Known += secs
			if up {
				acc.u.Year.Up += secs
			}
			if end > acc.monthStart {
				m := time.Duration(end-max(a, acc.monthStart)) * time.Second
				acc.u.Month.Known += m
				if up {
					acc.u.Month.Up += m
				}
			}
			if t := d - acc.timelineFirst; t >= 0 && t < int64(len(acc.u.Days)) {
				acc.u.Days[t].Known += secs
				if up {
					acc.u.Days[t].Up += secs
				}
			}
		}
		a = end
	}
}
