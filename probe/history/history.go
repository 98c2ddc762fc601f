package history

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"deadyet/probe"
	"deadyet/probe/internal/atomicfile"
)

// FileName is the name of the history inside its folder.
const FileName = "history.jsonl"

// LastRunFile is the name, beside the history, of the file that holds the
// time of the newest run recorded, quiet ones too, like "2026-11-25T10:00:03Z".
const LastRunFile = "last-run"

// MaxSize is the largest history.jsonl read: ten years of 1,000 servers × 7
// checks changing about once a year make 10 MB.
const MaxSize = 256 << 20

// Floor is the earliest time a line may hold: before it, a clock was wrong.
var Floor = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

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

// ParseError is a line of the history, or of last-run, that cannot be read.
type ParseError struct {
	File string
	Line int // 1-based
	Msg  string
	Err  error // the error Msg tells of, like a [*probe.FutureError]; or nil
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

func (e *ParseError) Unwrap() error { return e.Err }

// History is the log of transitions, read from a folder and appended to by
// [History.Record]. Its zero value is not usable; use [Read].
type History struct {
	file    string
	data    []byte // the file as read, then the lines Record added
	written int    // len(data) on disk

	lines    []Line                // in file order, so in time order
	keys     []probe.Key           // in order of first sighting
	byKey    map[probe.Key][]int32 // indices in lines of each key's transitions
	days     []int64               // UTC days (Unix days) with a line, ascending
	lastBeat int64                 // UTC day of the last heartbeat, or -1<<62

	stamp    time.Time // the time in LastRunFile as read or last written; zero if none
	recorded time.Time // the newest run Record accepted; zero if none
	opened   time.Time // when Read read it: Write removes older temporary files
}

// Read reads dir/history.jsonl and dir/last-run. A missing file or folder is
// an empty history; a line that does not read is a [*ParseError].
func Read(dir string) (*History, error) {
	return readFile(filepath.Join(dir, FileName))
}

func newHistory(file string) *History {
	return &History{file: file, byKey: map[probe.Key][]int32{}, lastBeat: -1 << 62, opened: time.Now()}
}

func readFile(file string) (*History, error) {
	h := newHistory(file)
	data, err := atomicfile.ReadFile(file, MaxSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read history: %w", err)
	default:
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

func (h *History) stampFile() string { return filepath.Join(filepath.Dir(h.file), LastRunFile) }

// readStamp reads a [LastRunFile]: zero when there is none.
func readStamp(file string) (time.Time, error) {
	data, err := atomicfile.ReadFile(file, 4<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read history: %w", err)
	}
	line, ok := bytes.CutSuffix(data, []byte("\n"))
	t, tok := parseTime(string(line))
	if !ok || !tok {
		if len(data) > 40 {
			data = append(data[:40:40], "…"...)
		}
		return time.Time{}, &ParseError{File: file, Line: 1, Msg: fmt.Sprintf(
			"bad last run %q: want one line, UTC to the second, like 2026-11-25T10:00:03Z", data)}
	}
	return t, nil
}

// LastRun is the time of the newest run recorded: the latest of last-run,
// the last line and what [History.Record] accepted; zero if none.
func (h *History) LastRun() time.Time {
	last := h.stamp
	if n := len(h.lines); n > 0 && h.lines[n-1].T.After(last) {
		last = h.lines[n-1].T
	}
	if h.recorded.After(last) {
		last = h.recorded
	}
	return last
}

// ReadAt is [Read] by a machine whose clock says now. A time more than
// [probe.MaxClockSkew] after now, in a line or in last-run, is a
// [*ParseError] wrapping a [*probe.FutureError] that names the repair.
func ReadAt(dir string, now time.Time) (*History, error) {
	h, err := Read(dir)
	if err != nil {
		return nil, err
	}
	file, line, t := h.stampFile(), 1, h.stamp
	if i := h.upTo(now.Add(probe.MaxClockSkew).Unix()); i < len(h.lines) {
		file, line, t = h.file, i+1, h.lines[i].T
	}
	fe := probe.CheckTime(t, now)
	if fe == nil {
		return h, nil
	}
	return nil, &ParseError{File: file, Line: line, Err: fe, Msg: fmt.Sprintf(
		"%v; drop the times after now with: deadyet history trim --history %s --after now", fe, filepath.Dir(h.file))}
}

// File is the path of the history file.
func (h *History) File() string { return h.file }

// Len is the number of lines.
func (h *History) Len() int { return len(h.lines) }

// Lines returns a copy of every line, in file order.
func (h *History) Lines() []Line { return slices.Clone(h.lines) }

// Record adds what the run r, finished at r.Finished, changed and returns
// the lines added; it writes nothing to disk (see [History.Write]). A run
// older than [History.LastRun] is refused; one of the same second is
// recorded. On error the history is unchanged.
func (h *History) Record(r probe.Results) ([]Line, error) {
	t := r.Finished.UTC().Truncate(time.Second)
	if t.Before(Floor) {
		return nil, fmt.Errorf("record history: results of %s are before 2000-01-01: a clock is wrong", t.Format(time.RFC3339))
	}
	if last := h.LastRun(); t.Before(last) {
		return nil, fmt.Errorf("results of %s are older than the last run recorded, %s", t.Format(time.RFC3339), last.Format(time.RFC3339))
	}
	var add []Line
	if floorDiv(t.Unix(), day) != h.lastBeat {
		add = append(add, Line{T: t, Heartbeat: true})
	}
	seen := make(map[probe.Key]bool, len(r.Results))
	for _, res := range r.Results {
		k := probe.KeyOf(res)
		if seen[k] {
			return nil, fmt.Errorf("record history: two results for %q", k.String())
		}
		seen[k] = true
		if !res.State.Valid() {
			return nil, fmt.Errorf("record history: %q has unknown state %q", k.String(), res.State)
		}
		if from := h.stateOf(k); from != res.State && (from != "" || res.State != probe.Skipped) {
			add = append(add, Line{T: t, Key: k, From: from, To: res.State, Detail: probe.CleanDetail(res.Detail)})
		}
	}
	for _, k := range h.keys {
		if from := h.stateOf(k); !seen[k] && from != probe.Skipped {
			add = append(add, Line{T: t, Key: k, From: from, To: probe.Skipped, Detail: "no longer probed"})
		}
	}
	// What Record writes, Read must read: each line is read back.
	data := h.data
	for _, l := range add {
		data = appendLine(data, l)
		if _, err := decode(data[bytes.LastIndexByte(data[:len(data)-1], '\n')+1 : len(data)-1]); err != nil {
			return nil, fmt.Errorf("record history: %q: %w", l.Key.String(), err)
		}
	}
	for _, l := range add {
		h.add(l)
	}
	h.data, h.recorded = data, t
	return add, nil
}

// Changed reports whether Record added lines that Write did not write.
func (h *History) Changed() bool { return len(h.data) != h.written }

// Write writes what Record added: history.jsonl if it changed, then
// last-run if a newer run was recorded, each atomically (a failed Write can
// be tried again). It first removes what killed writes left; it creates the
// folder if need be.
func (h *History) Write() error {
	writeStamp := h.recorded.After(h.stamp)
	if !h.Changed() && !writeStamp {
		return nil
	}
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

// stateOf is k's last state, "" before its first line.
func (h *History) stateOf(k probe.Key) probe.State {
	if tr := h.byKey[k]; len(tr) > 0 {
		return h.lines[tr[len(tr)-1]].To
	}
	return ""
}

// add appends a line that decode and check passed.
func (h *History) add(l Line) {
	l.Detail = probe.CleanDetail(l.Detail)
	if l.Heartbeat {
		h.lastBeat = floorDiv(l.T.Unix(), day)
	} else {
		if _, ok := h.byKey[l.Key]; !ok {
			h.keys = append(h.keys, l.Key)
		}
		h.byKey[l.Key] = append(h.byKey[l.Key], int32(len(h.lines)))
	}
	if d := floorDiv(l.T.Unix(), day); len(h.days) == 0 || h.days[len(h.days)-1] != d {
		h.days = append(h.days, d)
	}
	h.lines = append(h.lines, l)
}
