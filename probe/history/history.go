package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
	"unicode/utf8"

	"deadyet/probe"
	"deadyet/probe/internal/atomicfile"
)

// FileName is the name of the history inside its folder.
const FileName = "history.jsonl"

// LastRunFile is the name, inside the history's folder, of the file that
// holds the time of the newest run recorded: one line, UTC to the second,
// like "2026-11-25T10:00:03Z". [History.Write] replaces it on every run, so
// that a quiet run, which adds nothing to history.jsonl, still counts when
// [History.Record] refuses a run older than the last one.
const LastRunFile = "last-run"

// noLongerProbed is the detail of a transition to Skipped for a key that is
// missing from a run's results.
const noLongerProbed = "no longer probed"

// Line is one line of the history: a heartbeat, or a transition of Key from
// one state to another ("" for the first sighting).
type Line struct {
	T         time.Time // UTC, whole seconds
	Heartbeat bool      // a heartbeat has only T
	probe.Key
	From   probe.State
	To     probe.State
	Detail string
}

// ParseError is a line of the history that cannot be read.
type ParseError struct {
	File string // the path of history.jsonl, or of last-run
	Line int    // 1-based
	Msg  string
	Err  error // what Msg says, when it is an error of its own, like a [*probe.FutureError]; or nil
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func (e *ParseError) Unwrap() error { return e.Err }

// StaleError is a run that [History.Record] refuses because it is older than
// the last run recorded: recording it would put the history back in an
// older state than one it was already in.
type StaleError struct {
	Run  time.Time // the run's time, UTC to the second
	Last time.Time // [History.LastRun]
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("results of %s are older than the last run recorded, %s",
		e.Run.UTC().Format(time.RFC3339), e.Last.UTC().Format(time.RFC3339))
}

// stateCode numbers the states compactly: 0 is "" (no state yet), i+1 is
// probe.States[i].
type stateCode uint8

const (
	noState   stateCode = 0
	heartbeat int32     = -1 // entry.key of a heartbeat
)

var (
	upCode, _   = codeOf(probe.Up)
	skipCode, _ = codeOf(probe.Skipped)
)

func codeOf(s probe.State) (stateCode, bool) {
	if s == "" {
		return noState, true
	}
	for i, v := range probe.States {
		if s == v {
			return stateCode(i + 1), true
		}
	}
	return 0, false
}

func (c stateCode) state() probe.State {
	if c == noState {
		return ""
	}
	return probe.States[c-1]
}

// entry is a Line as the History stores it: a few words each, so that ten
// years of hourly runs fit in little memory.
type entry struct {
	t        int64 // Unix seconds
	key      int32 // index into History.keys, or heartbeat
	from, to stateCode
	detail   string
}

// History is the log of transitions, read from a folder and appended to by
// [History.Record]. Its zero value is not usable; use [Read].
type History struct {
	file    string
	data    []byte // the file as read, then the lines Record added
	written int    // len(data) on disk

	entries  []entry     // in file order, so in time order
	keys     []probe.Key // in order of first sighting
	keyIndex map[string]int32
	byKey    [][]int32   // entry indices of each key's transitions
	state    []stateCode // each key's last state
	days     []int64     // UTC days (Unix days) with a line, ascending
	lastBeat int64       // UTC day of the last heartbeat, or -1<<62
	details  map[string]string

	stamp    time.Time // the time in LastRunFile as read or last written; zero if none
	recorded time.Time // the newest run Record accepted; zero if none
	opened   time.Time // when Read read it: Write removes older temporary files
}

func newHistory(file string) *History {
	return &History{file: file, keyIndex: map[string]int32{}, lastBeat: -1 << 62, details: map[string]string{}}
}

// Read reads dir/history.jsonl and dir/last-run ([LastRunFile]). A missing
// file (or folder) is an empty history; a line that does not parse is a
// [*ParseError].
func Read(dir string) (*History, error) {
	return readFile(filepath.Join(dir, FileName))
}

func readFile(file string) (*History, error) {
	h := newHistory(file)
	h.opened = time.Now()
	data, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read history: %w", err)
	default:
		// About one line per 100 bytes: allocate once.
		h.entries = make([]entry, 0, len(data)/100+16)
		if err := h.parse(data); err != nil {
			return nil, err
		}
		h.data, h.written = data, len(data)
	}
	if h.stamp, err = readStamp(h.stampFile()); err != nil {
		return nil, err
	}
	return h, nil
}

// stampFile is the path of [LastRunFile], next to the history file.
func (h *History) stampFile() string { return filepath.Join(filepath.Dir(h.file), LastRunFile) }

// readStamp reads a [LastRunFile]: zero when there is none.
func readStamp(file string) (time.Time, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read history: %w", err)
	}
	line, ok := bytes.CutSuffix(data, []byte("\n"))
	t, tok := parseTime(line)
	if !ok || !tok {
		if len(data) > 40 {
			data = append(data[:40:40], "…"...)
		}
		return time.Time{}, &ParseError{File: file, Line: 1, Msg: fmt.Sprintf(
			"bad last run %q: want one line, UTC to the second, like 2026-11-25T10:00:03Z", data)}
	}
	return unixUTC(t), nil
}

// LastRun is the time of the newest run recorded: the later of the time in
// [LastRunFile] and that of the history's last line, or of a run [History.Record]
// accepted since. It is zero for a history that has recorded nothing.
func (h *History) LastRun() time.Time {
	last := h.stamp
	if n := len(h.entries); n > 0 {
		if t := unixUTC(h.entries[n-1].t); t.After(last) {
			last = t
		}
	}
	if h.recorded.After(last) {
		last = h.recorded
	}
	return last
}

// ReadAt is [Read] by a machine whose clock says now. A history holding a
// time more than [probe.MaxClockSkew] after now, in a line or in last-run,
// was recorded by a machine with a wrong clock, and every later run would be
// refused as older than it: that is a [*ParseError] naming the first such
// line, wrapping a [*probe.FutureError], and saying how to drop it with
// "deadyet history trim" ([Trim]).
func ReadAt(dir string, now time.Time) (*History, error) {
	h, err := Read(dir)
	if err != nil {
		return nil, err
	}
	limit := now.Add(probe.MaxClockSkew).Unix()
	i := sort.Search(len(h.entries), func(i int) bool { return h.entries[i].t > limit })
	file, line, t := h.file, h.lineNumber(int32(i)), time.Time{}
	switch {
	case i < len(h.entries):
		t = unixUTC(h.entries[i].t)
	case h.stamp.Unix() > limit:
		file, line, t = h.stampFile(), 1, h.stamp
	default:
		return h, nil
	}
	fe := probe.CheckTime(t, now)
	return nil, &ParseError{File: file, Line: line, Err: fe, Msg: fmt.Sprintf(
		"%v; drop the times after now with: deadyet history trim --history %s --after now", fe, filepath.Dir(h.file))}
}

// Trim removes from the history in dir every line stamped after the time
// after, and the time in last-run if it is after it too; it returns the
// number of lines removed. It is the repair of a history that a machine with
// a wrong clock wrote into the future ([ReadAt]). The history is read as
// strictly as by [Read], and replaced atomically (a temporary file, synced,
// renamed over it); last-run is removed after that, in one step. A crash
// leaves either the old history or the trimmed one, and at worst last-run
// not yet removed, which [ReadAt] reports as it did before: running Trim
// again finishes the work, as Trim removes nothing the second time.
func Trim(dir string, after time.Time) (removed int, err error) {
	h, err := Read(dir)
	if err != nil {
		return 0, err
	}
	a := after.Unix() // the lines are to the second: t > after is t > a
	i := sort.Search(len(h.entries), func(i int) bool { return h.entries[i].t > a })
	if removed = len(h.entries) - i; removed > 0 {
		off := 0
		for range i {
			off += bytes.IndexByte(h.data[off:], '\n') + 1
		}
		if err := atomicfile.WriteFile(h.file, h.data[:off], 0o644); err != nil {
			return 0, fmt.Errorf("trim history: %w", err)
		}
	}
	if !h.stamp.IsZero() && h.stamp.Unix() > a {
		if err := os.Remove(h.stampFile()); err != nil {
			return removed, fmt.Errorf("trim history: %w", err)
		}
		atomicfile.SyncDir(dir)
	}
	return removed, nil
}

// File is the path of the history file.
func (h *History) File() string { return h.file }

// Len is the number of lines.
func (h *History) Len() int { return len(h.entries) }

func (h *History) line(i int) Line {
	e := &h.entries[i]
	l := Line{T: time.Unix(e.t, 0).UTC()}
	if e.key == heartbeat {
		l.Heartbeat = true
		return l
	}
	l.Key, l.From, l.To, l.Detail = h.keys[e.key], e.from.state(), e.to.state(), e.detail
	return l
}

// Record adds to the history what the run r changed, and returns the lines
// it added (none for a quiet run after the day's first). The run's time is
// r.Finished (r.Started when that is zero), to the second. A run older than
// [History.LastRun] is refused with a [*StaleError], so that whatever order
// two runs are recorded in, the history ends in the state of the later; a
// run of the same second as the last is recorded (recording the same results
// twice changes nothing). Nothing is written to disk: see [History.Write].
// On error the history is unchanged.
func (h *History) Record(r probe.Results) ([]Line, error) {
	t := r.Finished
	if t.IsZero() {
		t = r.Started
	}
	if t.IsZero() {
		return nil, errors.New("record history: the results have no time")
	}
	t = t.UTC().Truncate(time.Second)
	if last := h.LastRun(); t.Before(last) {
		return nil, &StaleError{Run: t, Last: last}
	}
	var add []Line
	if floorDiv(t.Unix(), day) != h.lastBeat {
		add = append(add, Line{T: t, Heartbeat: true})
	}
	seen := make(map[probe.Key]bool, len(r.Results))
	for _, res := range r.Results {
		k := probe.KeyOf(res)
		if k.Group == "" || k.Address == "" || k.Check == "" {
			return nil, fmt.Errorf("record history: result %q has an empty group, address or check", res.String())
		}
		if !probe.PrintableLine(k.Group) || !probe.PrintableLine(k.Address) || !probe.PrintableLine(k.Check) {
			return nil, fmt.Errorf("record history: result %q has a group, address or check that is not printable text", res.String())
		}
		if seen[k] {
			return nil, fmt.Errorf("record history: two results for %q", k.String())
		}
		seen[k] = true
		to, ok := codeOf(res.State)
		if !ok || to == noState {
			return nil, fmt.Errorf("record history: %q has unknown state %q", k.String(), res.State)
		}
		from := noState
		if i, ok := h.keyIndex[keyString(k)]; ok {
			from = h.state[i]
		}
		if from == to || (from == noState && to == skipCode) {
			continue
		}
		add = append(add, Line{T: t, Key: k, From: from.state(), To: res.State, Detail: probe.CleanDetail(res.Detail)})
	}
	for i, k := range h.keys {
		if !seen[k] && h.state[i] != skipCode {
			add = append(add, Line{T: t, Key: k, From: h.state[i].state(), To: probe.Skipped, Detail: noLongerProbed})
		}
	}
	for _, l := range add {
		h.data = appendLine(h.data, l)
		h.add(l)
	}
	h.recorded = t
	return add, nil
}

// Changed reports whether Record added lines that [History.Write] has not
// written yet.
func (h *History) Changed() bool { return len(h.data) != h.written }

// Write writes what Record added: first it removes the temporary files
// that runs killed while writing left (".history.jsonl.*.tmp" and
// ".last-run.*.tmp" older than the [Read] of h), then it writes the history
// file if Record changed it, then
// [LastRunFile] if a run newer than the time in it was recorded, so a quiet
// run writes the one line of LastRunFile and not a byte of history.jsonl.
// Each file is replaced atomically, or left as it was on error; a Write that
// fails can be tried again. Should a crash come between the two files, the
// history's last line still holds the run's time, and [History.LastRun]
// reads the later of the two. The folder is created if need be.
func (h *History) Write() error {
	writeStamp := h.recorded.After(h.stamp)
	if !h.Changed() && !writeStamp {
		return nil
	}
	// What killed runs left: their temporary files, older than this run.
	// One that cannot be removed does no harm, and the writes below will
	// say what is wrong with the folder, if anything is.
	for _, f := range []string{h.file, h.stampFile()} {
		atomicfile.RemoveLeftovers(f, h.opened)
	}
	if err := os.MkdirAll(filepath.Dir(h.file), 0o755); err != nil {
		return fmt.Errorf("write history: %w", err)
	}
	if h.Changed() {
		if err := atomicfile.WriteFile(h.file, h.data, 0o644); err != nil {
			return err
		}
		h.written = len(h.data)
	}
	if writeStamp {
		if err := atomicfile.WriteFile(h.stampFile(), []byte(h.recorded.Format(timeLayout)+"\n"), 0o644); err != nil {
			return err
		}
		h.stamp = h.recorded
	}
	return nil
}

const day = 24 * 60 * 60 // seconds

// floorDiv is a/b rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func keyString(k probe.Key) string { return k.Group + "\x00" + k.Address + "\x00" + k.Check }

// add appends a valid line to the in-memory history.
func (h *History) add(l Line) {
	e := entry{t: l.T.Unix(), key: heartbeat}
	if l.Heartbeat {
		h.lastBeat = floorDiv(e.t, day)
	} else {
		e.key = h.intern(l.Key)
		e.from, _ = codeOf(l.From)
		e.to, _ = codeOf(l.To)
		e.detail = l.Detail
		h.state[e.key] = e.to
		h.byKey[e.key] = append(h.byKey[e.key], int32(len(h.entries)))
	}
	h.noteDay(e.t)
	h.entries = append(h.entries, e)
}

func (h *History) intern(k probe.Key) int32 {
	ks := keyString(k)
	if i, ok := h.keyIndex[ks]; ok {
		return i
	}
	i := int32(len(h.keys))
	h.keyIndex[ks] = i
	h.keys = append(h.keys, k)
	h.byKey = append(h.byKey, nil)
	h.state = append(h.state, noState)
	return i
}

func (h *History) noteDay(t int64) {
	d := floorDiv(t, day)
	if n := len(h.days); n == 0 || h.days[n-1] != d {
		h.days = append(h.days, d)
	}
}

// timeLayout is the only form "t" takes.
const timeLayout = "2006-01-02T15:04:05Z"

// appendLine appends l as one line of JSON, the form parse reads back.
func appendLine(b []byte, l Line) []byte {
	type transition struct {
		T       string      `json:"t"`
		Group   string      `json:"group"`
		Address string      `json:"address"`
		Check   string      `json:"check"`
		From    probe.State `json:"from"`
		To      probe.State `json:"to"`
		Detail  string      `json:"detail,omitempty"`
	}
	type beat struct {
		T         string `json:"t"`
		Heartbeat bool   `json:"heartbeat"`
	}
	var v any = beat{l.T.UTC().Format(timeLayout), true}
	if !l.Heartbeat {
		v = transition{l.T.UTC().Format(timeLayout), l.Group, l.Address, l.Check, l.From, l.To, l.Detail}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings and bools always encode
	}
	return append(b, buf.Bytes()...)
}

// Stats and the timeline are in uptime.go; parsing follows.

// parse reads the whole file into h.
func (h *History) parse(data []byte) error {
	var (
		p    lineParser
		kbuf []byte
		last int64 = -1 << 62
		n    int
	)
	fail := func(format string, args ...any) error {
		return &ParseError{File: h.file, Line: n, Msg: fmt.Sprintf(format, args...)}
	}
	for len(data) > 0 {
		n++
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return fail("no newline at the end of the line (truncated?)")
		}
		line := data[:i]
		data = data[i+1:]
		f, err := p.parse(line)
		if err != nil {
			return fail("%s", err)
		}
		t, ok := parseTime(f.t)
		if !ok {
			return fail("bad time %q: want UTC to the second, like 2026-11-25T10:00:03Z", f.t)
		}
		e := entry{t: t, key: heartbeat}
		if e.t < last {
			return fail("time goes backwards: %s is before %s on line %d",
				f.t, time.Unix(last, 0).UTC().Format(timeLayout), n-1)
		}
		last = e.t
		if f.has&fHeartbeat != 0 {
			if h.lastBeat == floorDiv(e.t, day) {
				// Harmless, but the writer never does it: the file was edited.
				return fail("a second heartbeat on %s", f.t[:len(time.DateOnly)])
			}
			h.lastBeat = floorDiv(e.t, day)
			h.noteDay(e.t)
			h.entries = append(h.entries, e)
			continue
		}
		if e.from, ok = codeOf(probe.State(f.from)); !ok {
			return fail("unknown state %q in \"from\"", f.from)
		}
		if e.to, ok = codeOf(probe.State(f.to)); !ok || e.to == noState {
			return fail("unknown state %q in \"to\"", f.to)
		}
		if e.from == e.to {
			return fail("\"from\" and \"to\" are both %q", f.to)
		}
		kbuf = append(append(append(append(append(kbuf[:0], f.group...), 0), f.address...), 0), f.check...)
		idx, seen := h.keyIndex[string(kbuf)]
		prev := noState
		if seen {
			prev = h.state[idx]
		}
		if e.from != prev {
			k := probe.Key{Group: string(f.group), Address: string(f.address), Check: string(f.check)}
			if !seen {
				return fail("\"from\" is %q but this is the first line for %s (want \"from\":\"\")", f.from, k)
			}
			at := h.byKey[idx][len(h.byKey[idx])-1]
			return fail("\"from\" is %q but line %d left %s %q", f.from, h.lineNumber(at), k, prev.state())
		}
		if !seen {
			idx = h.intern(probe.Key{Group: string(f.group), Address: string(f.address), Check: string(f.check)})
		}
		e.key = idx
		e.detail = h.detail(f.detail)
		h.state[idx] = e.to
		h.byKey[idx] = append(h.byKey[idx], int32(len(h.entries)))
		h.noteDay(e.t)
		h.entries = append(h.entries, e)
	}
	return nil
}

// detail returns b as a string, the same string for the same bytes: the
// details of a history repeat ("no answer in 3s"), and sharing them saves
// an allocation a line. The detail is [probe.CleanDetail]: whatever wrote
// the file, a control character in it (written escaped, "\u001b") is shown
// visibly ("\x1b") and a detail longer than [probe.MaxDetail] is clipped.
// The file stays as it is; the page and the feed show what this returns.
func (h *History) detail(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > probe.MaxDetail {
		return probe.CleanDetail(string(b[:probe.MaxDetail+utf8.UTFMax]))
	}
	if s, ok := h.details[string(b)]; ok {
		return s
	}
	s := probe.CleanDetail(string(b))
	if len(h.details) < 1<<16 {
		h.details[s] = s
	}
	return s
}

// parseTime reads "YYYY-MM-DDTHH:MM:SSZ" into Unix seconds: the one form the
// history writes, and faster than time.Parse.
func parseTime(b []byte) (int64, bool) {
	if len(b) != len(timeLayout) || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[19] != 'Z' {
		return 0, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, hh, mm, ss := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 {
		return 0, false
	}
	t := time.Date(y, time.Month(mo), d, hh, mm, ss, 0, time.UTC)
	if t.Day() != d { // February 30th and the like
		return 0, false
	}
	return t.Unix(), true
}

// lineNumber is the 1-based line of entry i: while parsing, entries and lines
// are one to one.
func (h *History) lineNumber(i int32) int { return int(i) + 1 }

// The fields of a line, as bits of lineFields.has.
const (
	fT = 1 << iota
	fHeartbeat
	fGroup
	fAddress
	fCheck
	fFrom
	fTo
	fDetail
)

var fieldNames = []struct {
	name string
	bit  int
}{
	{"t", fT}, {"heartbeat", fHeartbeat}, {"group", fGroup}, {"address", fAddress},
	{"check", fCheck}, {"from", fFrom}, {"to", fTo}, {"detail", fDetail},
}

// lineFields is one parsed line. The byte slices point into the line or into
// the parser's scratch buffer: valid until the next parse.
type lineFields struct {
	has                                     int
	t                                       []byte
	group, address, check, from, to, detail []byte
}

// lineParser reads the flat JSON objects of the history: string members and
// "heartbeat":true, nothing else. It is exact where encoding/json is lenient
// (field names match case-sensitively; a repeated field is an error) and
// allocates nothing for the common line.
type lineParser struct {
	b       []byte
	i       int
	scratch []byte
}

func (p *lineParser) parse(line []byte) (lineFields, error) {
	var f lineFields
	p.b, p.i, p.scratch = line, 0, p.scratch[:0]
	if len(bytes.TrimSpace(line)) == 0 {
		return f, errors.New("empty line")
	}
	p.ws()
	if p.peek() != '{' {
		return f, errors.New("not a JSON object")
	}
	p.i++
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			p.ws()
			if p.peek() != '"' {
				return f, p.want("a field name")
			}
			name, err := p.str()
			if err != nil {
				return f, err
			}
			bit := 0
			for _, fn := range fieldNames {
				if string(name) == fn.name {
					bit = fn.bit
					break
				}
			}
			if bit == 0 {
				return f, fmt.Errorf("unknown field %q", name)
			}
			if f.has&bit != 0 {
				return f, fmt.Errorf("field %q given twice", name)
			}
			f.has |= bit
			p.ws()
			if p.peek() != ':' {
				return f, p.want("':'")
			}
			p.i++
			p.ws()
			if bit == fHeartbeat {
				if rest := p.b[p.i:]; !bytes.HasPrefix(rest, []byte("true")) {
					if bytes.HasPrefix([]byte("true"), rest) {
						return f, errTruncated
					}
					return f, errors.New("\"heartbeat\" must be true")
				}
				p.i += len("true")
			} else {
				if p.peek() != '"' {
					if p.i >= len(p.b) {
						return f, errTruncated
					}
					return f, fmt.Errorf("field %q is not a string", name)
				}
				v, err := p.str()
				if err != nil {
					return f, err
				}
				switch bit {
				case fT:
					f.t = v
				case fGroup:
					f.group = v
				case fAddress:
					f.address = v
				case fCheck:
					f.check = v
				case fFrom:
					f.from = v
				case fTo:
					f.to = v
				case fDetail:
					f.detail = v
				}
			}
			p.ws()
			if p.peek() == ',' {
				p.i++
				continue
			}
			if p.peek() == '}' {
				p.i++
				break
			}
			return f, p.want("',' or '}'")
		}
	}
	p.ws()
	if p.i < len(p.b) {
		return f, fmt.Errorf("text after the object at column %d", p.i+1)
	}
	if f.has&fT == 0 {
		return f, errors.New("missing field \"t\"")
	}
	if f.has&fHeartbeat != 0 {
		for _, fn := range fieldNames[2:] {
			if f.has&fn.bit != 0 {
				return f, fmt.Errorf("a heartbeat line has only \"t\" and \"heartbeat\", not %q", fn.name)
			}
		}
		return f, nil
	}
	for _, fn := range fieldNames[2:7] {
		if f.has&fn.bit == 0 {
			return f, fmt.Errorf("missing field %q", fn.name)
		}
	}
	for _, v := range []struct {
		name string
		v    []byte
	}{{"group", f.group}, {"address", f.address}, {"check", f.check}} {
		if len(v.v) == 0 {
			return f, fmt.Errorf("empty %q", v.name)
		}
		if !probe.PrintableLine(string(v.v)) {
			return f, fmt.Errorf("%q %.40q is not printable text", v.name, v.v)
		}
	}
	return f, nil
}

var errTruncated = errors.New("unexpected end of line (truncated?)")

func (p *lineParser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *lineParser) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *lineParser) want(what string) error {
	if p.i >= len(p.b) {
		return errTruncated
	}
	return fmt.Errorf("bad JSON at column %d: want %s", p.i+1, what)
}

// str reads the JSON string at p.i. Plain strings are returned in place;
// those with escapes are decoded into the scratch buffer by encoding/json.
func (p *lineParser) str() ([]byte, error) {
	start := p.i
	p.i++
	escaped, ascii := false, true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			raw := p.b[start:p.i]
			if !ascii && !utf8.Valid(raw) {
				return nil, fmt.Errorf("invalid UTF-8 in the string at column %d", start+1)
			}
			if !escaped {
				return raw[1 : len(raw)-1], nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("bad string at column %d", start+1)
			}
			// Append: earlier fields of the line may point into scratch.
			n := len(p.scratch)
			p.scratch = append(p.scratch, s...)
			return p.scratch[n:len(p.scratch):len(p.scratch)], nil
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return nil, fmt.Errorf("control character in the string at column %d", start+1)
		default:
			ascii = ascii && c < utf8.RuneSelf
			p.i++
		}
	}
	return nil, errTruncated
}

// Lines returns every line of the history, in file order.
func (h *History) Lines() []Line {
	out := make([]Line, h.Len())
	for i := range out {
		out[i] = h.line(i)
	}
	return out
}
