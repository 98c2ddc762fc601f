package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"
	"unicode/utf8"

	"deadyet/probe"
	"deadyet/probe/internal/jsonobj"
)

// timeLayout is the only form "t" takes.
const timeLayout = "2006-01-02T15:04:05Z"

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(timeLayout, s)
	return t, err == nil && len(s) == len(timeLayout)
}

// appendLine appends l as one line of JSON, the form decode reads back.
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
	var v any = struct {
		T         string `json:"t"`
		Heartbeat bool   `json:"heartbeat"`
	}{l.T.UTC().Format(timeLayout), true}
	if !l.Heartbeat {
		v = transition{l.T.UTC().Format(timeLayout), l.Group, l.Address, l.Check, l.From, l.To, l.Detail}
	}
	w := bytes.NewBuffer(b)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings and bools always encode
	}
	return w.Bytes()
}

func (h *History) parse(data []byte) error {
	for n := 1; len(data) > 0; n++ {
		line, rest, ok := bytes.Cut(data, []byte("\n"))
		data = rest
		l, err := decode(line)
		if !ok {
			err = fmt.Errorf("no newline at the end of the line (cut off?); drop it with: deadyet history trim --history %s --after now", filepath.Dir(h.file))
		}
		if err == nil {
			err = h.check(l, n-1)
		}
		if err != nil {
			return &ParseError{File: h.file, Line: n, Msg: err.Error()}
		}
		h.add(l)
	}
	return nil
}

// The names of a line's fields, in the order of decode's values.
var fieldNames = []string{"t", "heartbeat", "group", "address", "check", "from", "to", "detail"}

// decode reads one line: its JSON and each field, not its place in the file.
func decode(b []byte) (Line, error) {
	var l Line
	if len(bytes.TrimSpace(b)) == 0 {
		return l, errors.New("empty line")
	}
	if !utf8.Valid(b) {
		return l, errors.New("invalid UTF-8")
	}
	var f [8]string
	dec := json.NewDecoder(bytes.NewReader(b))
	has, err := jsonobj.Read(dec, fieldNames, func(i int) error {
		if i == 1 {
			return dec.Decode(&l.Heartbeat)
		}
		return dec.Decode(&f[i])
	})
	if err == nil {
		err = jsonobj.End(dec)
	}
	switch {
	case err != nil:
		return l, err
	case has&1 == 0:
		return l, errors.New(`missing field "t"`)
	case has&2 != 0 && !l.Heartbeat:
		return l, errors.New(`"heartbeat" must be true`)
	}
	var ok bool
	if l.T, ok = parseTime(f[0]); !ok {
		return l, fmt.Errorf("bad time %q: want UTC to the second, like 2026-11-25T10:00:03Z", f[0])
	}
	if l.Heartbeat {
		for i := 2; i < len(f); i++ {
			if has&(1<<i) != 0 {
				return l, fmt.Errorf("a heartbeat line has only \"t\" and \"heartbeat\", not %q", fieldNames[i])
			}
		}
		return l, nil
	}
	for i := 2; i < 7; i++ {
		if has&(1<<i) == 0 {
			return l, fmt.Errorf("missing field %q", fieldNames[i])
		}
		if v := f[i]; i < 5 && v == "" {
			return l, fmt.Errorf("empty %q", fieldNames[i])
		} else if i < 5 && !probe.PrintableLine(v) {
			return l, fmt.Errorf("%q %.40q is not printable text", fieldNames[i], v)
		}
	}
	l.Key = probe.Key{Group: f[2], Address: f[3], Check: f[4]}
	l.From, l.To, l.Detail = probe.State(f[5]), probe.State(f[6]), f[7]
	switch {
	case l.From != "" && !l.From.Valid():
		return l, fmt.Errorf("unknown state %q in \"from\"", l.From)
	case !l.To.Valid():
		return l, fmt.Errorf("unknown state %q in \"to\"", l.To)
	case l.From == l.To:
		return l, fmt.Errorf("\"from\" and \"to\" are both %q", l.To)
	}
	return l, nil
}

// check says what is wrong with l as the next line of h, after line prev:
// its time, a second heartbeat in a day, or a "from" that is not the key's
// last state.
func (h *History) check(l Line, prev int) error {
	if l.T.Before(Floor) {
		return fmt.Errorf("time %s is before %s: a clock was wrong; drop the lines before then with: deadyet history trim --history %s --before %s",
			l.T.Format(timeLayout), Floor.Format(time.DateOnly), filepath.Dir(h.file), Floor.Format(timeLayout))
	}
	if n := len(h.lines); n > 0 && l.T.Before(h.lines[n-1].T) {
		return fmt.Errorf("time goes backwards: %s is before %s on line %d",
			l.T.Format(timeLayout), h.lines[n-1].T.Format(timeLayout), prev)
	}
	if l.Heartbeat {
		if h.lastBeat == floorDiv(l.T.Unix(), day) {
			return fmt.Errorf("a second heartbeat on %s", l.T.Format(time.DateOnly))
		}
		return nil
	}
	tr := h.byKey[l.Key]
	switch last := h.stateOf(l.Key); {
	case last == l.From:
		return nil
	case len(tr) == 0:
		return fmt.Errorf("\"from\" is %q but this is the first line for %s (want \"from\":\"\")", l.From, l.Key)
	default:
		return fmt.Errorf("\"from\" is %q but line %d left %s %q", l.From, tr[len(tr)-1]+1, l.Key, last)
	}
}
