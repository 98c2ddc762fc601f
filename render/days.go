package render

// The history day by day, as the server pages, the day pages and the
// archive show it: computed in one pass over the history's lines, so that
// its cost grows with the lines and the days, never with their product
// beyond one state per cell and day.

import (
	"maps"
	"slices"
	"sort"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/render/news"
)

// stateCode numbers the states in a byte: 0 is none (not seen yet), i+1 is
// probe.States[i].
type stateCode uint8

func codeOf(s probe.State) stateCode { return stateCode(slices.Index(probe.States, s) + 1) }

func (c stateCode) state() probe.State {
	if c == 0 {
		return ""
	}
	return probe.States[c-1]
}

var (
	upCode   = codeOf(probe.Up)
	skipCode = codeOf(probe.Skipped)
)

// live reports whether the state is one a run saw (not none, not skipped).
func (c stateCode) live() bool { return c != 0 && c != skipCode }

const secondsPerDay = 24 * 60 * 60

// unixDay is the UTC day of t, in days since 1970-01-01.
func unixDay(t time.Time) int64 { return dayOf(t).Unix() / secondsPerDay }

// dayTime is 00:00 UTC of a unixDay.
func dayTime(d int64) time.Time { return time.Unix(d*secondsPerDay, 0).UTC() }

// chronicle is the history as of now, day by day.
type chronicle struct {
	lines []history.Line // the history's lines up to now, oldest first
	first int64          // the day of the first line
	today int64          // now's day
	// covered[d-first]: the day had a run (a line of the history).
	covered []bool

	keys   []probe.Key // the config's cells, table by table, row by row, column by column; then the history's others
	keyIdx map[probe.Key]int32
	extra  [][]extraRow // per table: servers the history has in the group but the config no longer does

	rows [][]rowChronicle // per table, per row
	days []dayChronicle   // the days with a page, ascending
}

// rowChronicle is the history of one server of the config.
type rowChronicle struct {
	class   []dayClass // by day from first: its timeline checks' best class; 0: no data
	changed []bool     // by day from first: one of its checks has a line that day
	lines   []int32    // its lines (every check), indices into chronicle.lines, oldest first
	keys    []int32    // the keys of its cells, by column
}

// extraRow is a server the history holds in a group of the config that
// the config does not list (any more): shown on the days it was checked.
type extraRow struct {
	address string
	keys    []int32 // by column of the table; -1 where the history has no such cell
}

// dayChronicle is one day with a page.
type dayChronicle struct {
	day    int64
	lo, hi int          // its lines: chronicle.lines[lo:hi]
	states []stateCode  // every key's state at the end of the day (keys seen later are missing: none); nil when the history has none then
	news   []news.Entry // its news, in page order
}

// newChronicle reads lines (the whole history, oldest first) as of now, for
// the view's tables: config keys are those of the tables, the timeline
// checks of a row those of cols[table]. news are the entries that get a
// day page even without a change.
func newChronicle(lines []history.Line, now time.Time, tables []Table, cols [][]int, entries []news.Entry) *chronicle {
	n := sort.Search(len(lines), func(i int) bool { return lines[i].T.After(now) })
	ch := &chronicle{lines: lines[:n], today: unixDay(now), first: unixDay(now), keyIdx: map[probe.Key]int32{}}
	if n > 0 {
		ch.first = unixDay(ch.lines[0].T)
	}
	span := int(ch.today-ch.first) + 1
	ch.covered = make([]bool, span)

	// The keys: the config's first.
	type owner struct{ table, row int32 }
	var owners []owner // by key, for config keys
	var timeline []bool
	ch.rows = make([][]rowChronicle, len(tables))
	groupOf := map[string]int{}
	for ti, t := range tables {
		if _, dup := groupOf[t.Name]; !dup {
			groupOf[t.Name] = ti
		}
		ch.rows[ti] = make([]rowChronicle, len(t.Rows))
		for ri, r := range t.Rows {
			rc := &ch.rows[ti][ri]
			rc.class = make([]dayClass, span)
			rc.changed = make([]bool, span)
			for ci, c := range t.Columns {
				k := probe.Key{Group: t.Name, Address: r.Address, Check: c.Key}
				idx := int32(len(ch.keys))
				ch.keys = append(ch.keys, k)
				ch.keyIdx[k] = idx
				owners = append(owners, owner{int32(ti), int32(ri)})
				timeline = append(timeline, slices.Contains(cols[ti], ci))
				rc.keys = append(rc.keys, idx)
			}
		}
	}
	nConfig := len(ch.keys)

	// What each key is doing, and the day whose time it is adding up.
	type keyState struct {
		cur      stateCode
		since    int64 // Unix seconds of the current state's line
		pend     int64 // the day being added up; -1: none
		up, seen int64 // seconds of it up, and known
	}
	var ks []keyState
	grow := func() { ks = append(ks, keyState{pend: -1}) }
	for range ch.keys {
		grow()
	}
	finish := func(k int32) {
		s := &ks[k]
		if s.pend < 0 {
			return
		}
		cls := downDay
		switch {
		case s.seen > 0 && s.up >= s.seen:
			cls = upDay
		case s.up > 0:
			cls = partDay
		}
		o := owners[k]
		rc := &ch.rows[o.table][o.row]
		if i := s.pend - ch.first; cls.rank() > rc.class[i].rank() {
			rc.class[i] = cls
		}
		s.pend, s.up, s.seen = -1, 0, 0
	}
	// add counts the key's current state from its since to end (seconds),
	// day by day, on the days that had a run.
	add := func(k int32, end int64) {
		if int(k) >= nConfig || !timeline[k] {
			return
		}
		s := &ks[k]
		if !s.cur.live() {
			return
		}
		for a := s.since; a < end; {
			d := unixDay(time.Unix(a, 0))
			b := min(end, (d+1)*secondsPerDay)
			if i := d - ch.first; i >= 0 && i < int64(span) && ch.covered[i] {
				if s.pend != d {
					finish(k)
					s.pend = d
				}
				s.seen += b - a
				if s.cur == upCode {
					s.up += b - a
				}
			}
			a = b
		}
	}

	// The news days, ascending, with their entries.
	newsDays := map[int64][]news.Entry{}
	for _, e := range entries {
		newsDays[unixDay(e.Date)] = append(newsDays[unixDay(e.Date)], e)
	}
	newsOrder := slices.Sorted(maps.Keys(newsDays))
	ni := 0

	states := make([]stateCode, len(ch.keys))
	emit := func(d int64, lo, hi int, withStates bool) {
		dc := dayChronicle{day: d, lo: lo, hi: hi, news: newsDays[d]}
		if withStates {
			dc.states = slices.Clone(states)
		}
		ch.days = append(ch.days, dc)
	}
	// takeNews makes the pages of the news days before day upTo that have
	// none yet: with the states as they are, which are those of the end
	// of those days, or none (before the history, after now).
	takeNews := func(upTo int64, withStates bool) {
		for ni < len(newsOrder) && newsOrder[ni] < upTo {
			emit(newsOrder[ni], 0, 0, withStates)
			ni++
		}
	}
	const never = -1 << 62
	if n > 0 {
		takeNews(ch.first, false)
	}
	cur, lo, changed := int64(never), 0, false
	// finishDay makes the page of the day cur, over at line hi, if it
	// changed something or has news.
	finishDay := func(hi int) {
		if cur == never {
			return
		}
		isNews := ni < len(newsOrder) && newsOrder[ni] == cur
		if changed || isNews {
			emit(cur, lo, hi, true)
		}
		if isNews {
			ni++
		}
	}
	for i := range ch.lines {
		l := &ch.lines[i]
		d := unixDay(l.T)
		if d != cur {
			finishDay(i)
			takeNews(d, true)
			cur, lo, changed = d, i, false
		}
		ch.covered[d-ch.first] = true
		if l.Heartbeat {
			continue
		}
		changed = true
		k, ok := ch.keyIdx[l.Key]
		if !ok {
			k = int32(len(ch.keys))
			ch.keys = append(ch.keys, l.Key)
			ch.keyIdx[l.Key] = k
			states = append(states, 0)
			grow()
		}
		add(k, l.T.Unix())
		s := &ks[k]
		s.cur, s.since = codeOf(l.To), l.T.Unix()
		states[k] = s.cur
		if int(k) < nConfig {
			o := owners[k]
			rc := &ch.rows[o.table][o.row]
			rc.lines = append(rc.lines, int32(i))
			rc.changed[d-ch.first] = true
		}
	}
	finishDay(len(ch.lines))
	takeNews(ch.today+1, n > 0)
	takeNews(1<<62, false)
	end := now.Unix()
	for k := range ch.keys {
		add(int32(k), end)
		if k < nConfig && timeline[k] {
			finish(int32(k))
		}
	}

	// The servers of the history in a group of the config it does not list.
	ch.extra = make([][]extraRow, len(tables))
	at := map[[2]string]int{}
	for k := nConfig; k < len(ch.keys); k++ {
		key := ch.keys[k]
		ti, ok := groupOf[key.Group]
		if !ok {
			continue
		}
		ci := slices.IndexFunc(tables[ti].Columns, func(c Column) bool { return c.Key == key.Check })
		if ci < 0 {
			continue
		}
		id := [2]string{key.Group, key.Address}
		ri, ok := at[id]
		if !ok {
			ri = len(ch.extra[ti])
			at[id] = ri
			keys := make([]int32, len(tables[ti].Columns))
			for i := range keys {
				keys[i] = -1
			}
			ch.extra[ti] = append(ch.extra[ti], extraRow{address: key.Address, keys: keys})
		}
		ch.extra[ti][ri].keys[ci] = int32(k)
	}
	return ch
}
