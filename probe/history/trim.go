package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"deadyet/probe/internal/atomicfile"
)

// Trimmed is what [Trim] did.
type Trimmed struct {
	Removed int    // lines removed
	CutOff  bool   // the last line had no newline, and was removed
	Copy    string // the file that keeps the removed lines; "" when none
}

// Trim keeps of the history in dir the lines stamped from from to to, from
// no earlier than [Floor], and last-run if within; a key's next line then
// starts from what is left. The removed lines are kept beside, in a copy.
// It stops, changing nothing, when ctx ends.
func Trim(ctx context.Context, dir string, from, to time.Time) (Trimmed, error) {
	h := newHistory(filepath.Join(dir, FileName))
	data, err := atomicfile.ReadFile(h.file, MaxSize)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Trimmed{}, fmt.Errorf("trim history: %w", err)
	}
	keep := func(t time.Time) bool { return !t.Before(from) && !t.After(to) }
	stamp, err := readStamp(h.stampFile())
	var pe *ParseError
	if err != nil && !errors.As(err, &pe) {
		return Trimmed{}, err
	}
	dropStamp := err != nil || !stamp.IsZero() && !keep(stamp) // a bad one too
	var out, removed []byte
	var tr Trimmed
	prev := 0
	for n := 1; len(data) > 0; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return Trimmed{}, ctx.Err()
		}
		line, rest, ok := bytes.Cut(data, []byte("\n"))
		data = rest
		if !ok {
			tr.CutOff, removed = true, append(append(removed, line...), '\n')
			break
		}
		l, err := decode(line)
		if err != nil {
			return Trimmed{}, &ParseError{File: h.file, Line: n, Msg: err.Error()}
		}
		was := l.From
		if !l.Heartbeat {
			l.From = h.stateOf(l.Key) // the state the kept lines left it in
		}
		if !keep(l.T) || (!l.Heartbeat && l.From == l.To) {
			tr.Removed++
			removed = append(append(removed, line...), '\n')
			continue
		}
		if err := h.check(l, prev); err != nil {
			return Trimmed{}, &ParseError{File: h.file, Line: n, Msg: err.Error()}
		}
		h.add(l)
		if prev = n; l.From == was {
			out = append(append(out, line...), '\n')
		} else {
			out = appendLine(out, l)
		}
	}
	if err := ctx.Err(); err != nil {
		return Trimmed{}, err
	}
	if len(removed) > 0 {
		tr.Copy = h.file + ".removed-" + time.Now().UTC().Format("20060102T150405Z")
		if err := atomicfile.WriteFile(tr.Copy, removed, 0o644); err != nil {
			return Trimmed{}, fmt.Errorf("trim history: %w", err)
		}
		if err := atomicfile.WriteFile(h.file, out, 0o644); err != nil {
			return tr, fmt.Errorf("trim history: %w", err)
		}
	}
	if dropStamp {
		if err := os.Remove(h.stampFile()); err != nil {
			return tr, fmt.Errorf("trim history: %w", err)
		}
		atomicfile.SyncDir(dir)
	}
	return tr, nil
}
