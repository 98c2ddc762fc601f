package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"deadyet/probe"
	"deadyet/probe/internal/atomicfile"
)

// Marshal is the results.json form of r: the same Results give the
// same bytes. It fails when r would not read back (see [Read]).
func Marshal(r probe.Results) ([]byte, error) {
	if err := checkHeader(r); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "  \"version\": %d,\n", r.Version)
	for _, f := range []struct {
		name string
		v    any
	}{{"started", r.Started.UTC()}, {"finished", r.Finished.UTC()}, {"vantage", r.Vantage}} {
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "  %q: %s,\n", f.name, v)
	}
	b.WriteString("  \"results\": [")
	for i, res := range r.Results {
		if err := checkResult(res); err != nil {
			return nil, fmt.Errorf("result %d (%.80s): %w", i+1, res, err)
		}
		res.Detail = probe.ClipDetail(res.Detail)
		v, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(v)
	}
	if len(r.Results) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

// Write writes r to path as results.json, atomically: to a
// temporary file in the same folder, synced, then renamed over path. On any
// error the file at path is left as it was. The temporary files that
// earlier runs, killed while writing, left next to path (".NAME.*.tmp",
// older than r.Started) are removed first.
func Write(path string, r probe.Results) error {
	data, err := Marshal(r)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	atomicfile.RemoveLeftovers(path, r.Started) // one that stays does no harm
	return atomicfile.WriteFile(path, data, 0o644)
}

// Read reads a results.json. It is strict: an unknown or repeated
// field, a missing one, another version, an unknown state, more than
// [probe.MaxAttempts] attempts, a result listed twice or a detail that
// is not one printable line is an error "path:line: what is wrong". A detail
// longer than [probe.MaxDetail] is clipped to it. Read needs no clock: see
// [probe.CheckTime] for results stamped in the future.
func Read(path string) (probe.Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return probe.Results{}, fmt.Errorf("read results: %w", err)
	}
	return Parse(path, data)
}

// Parse is [Read] of data already read; name is the file
// name its errors give.
func Parse(name string, data []byte) (probe.Results, error) {
	p := resultsParser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.DisallowUnknownFields()
	r, err := p.parse()
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			return probe.Results{}, fmt.Errorf("%s:%d: %s", name, p.line(pe.off), pe.msg)
		}
		return probe.Results{}, err
	}
	return r, nil
}

type parseError struct {
	off int64
	msg string
}

func (e *parseError) Error() string { return e.msg }

type resultsParser struct {
	name string
	data []byte
	dec  *json.Decoder
}

// line is the line number of the first token at or after off.
func (p *resultsParser) line(off int64) int {
	off = min(max(off, 0), int64(len(p.data)))
	for off < int64(len(p.data)) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return 1 + bytes.Count(p.data[:off], []byte("\n"))
}

// fail turns a decoding error at off into a parseError, using the JSON
// error's own offset when it has one.
func (p *resultsParser) fail(off int64, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &parseError{syn.Offset - 1, "bad JSON: " + syn.Error()}
	case errors.As(err, &typ):
		return &parseError{off, fmt.Sprintf("%s: %s where %s is wanted", fieldName(typ), typ.Value, typ.Type)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &parseError{int64(len(p.data)), "unexpected end of file (truncated?)"}
	}
	return &parseError{off, strings.TrimPrefix(err.Error(), "json: ")}
}

func fieldName(e *json.UnmarshalTypeError) string {
	if e.Field != "" {
		return fmt.Sprintf("%q", e.Field)
	}
	return "value"
}

func (p *resultsParser) delim(want json.Delim) error {
	off := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return p.fail(off, err)
	}
	if tok != want {
		return &parseError{off, fmt.Sprintf("found %v where %q is wanted", tok, string(want))}
	}
	return nil
}

func (p *resultsParser) parse() (probe.Results, error) {
	var r probe.Results
	if err := p.delim('{'); err != nil {
		return r, err
	}
	seen := map[string]bool{}
	for p.dec.More() {
		off := p.dec.InputOffset()
		tok, err := p.dec.Token()
		if err != nil {
			return r, p.fail(off, err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return r, &parseError{off, fmt.Sprintf("field %q repeated", key)}
		}
		seen[key] = true
		valOff := p.dec.InputOffset()
		switch key {
		case "version":
			err = p.dec.Decode(&r.Version)
			if err == nil && r.Version != probe.ResultsVersion {
				return r, &parseError{valOff, fmt.Sprintf("version %d; this program reads version %d", r.Version, probe.ResultsVersion)}
			}
		case "started":
			err = p.dec.Decode(&r.Started)
		case "finished":
			err = p.dec.Decode(&r.Finished)
		case "vantage":
			err = p.dec.Decode(&r.Vantage)
		case "results":
			r.Results, err = p.results()
		default:
			return r, &parseError{off, fmt.Sprintf("unknown field %q", key)}
		}
		if err != nil {
			var pe *parseError
			if errors.As(err, &pe) {
				return r, err
			}
			return r, p.fail(valOff, fmt.Errorf("%q: %w", key, err))
		}
	}
	if err := p.delim('}'); err != nil {
		return r, err
	}
	end := p.dec.InputOffset()
	if _, err := p.dec.Token(); err != io.EOF {
		return r, &parseError{end, "text after the end of the results"}
	}
	for _, f := range []string{"version", "started", "finished", "vantage", "results"} {
		if !seen[f] {
			return r, &parseError{0, fmt.Sprintf("field %q missing", f)}
		}
	}
	if err := checkHeader(r); err != nil {
		return r, &parseError{0, err.Error()}
	}
	return r, nil
}

func (p *resultsParser) results() ([]probe.Result, error) {
	if err := p.delim('['); err != nil {
		return nil, err
	}
	list := []probe.Result{}
	first := map[probe.Key]int64{} // the offset of each key's result
	for p.dec.More() {
		off := p.dec.InputOffset()
		var res probe.Result
		if err := p.dec.Decode(&res); err != nil {
			return nil, p.fail(off, err)
		}
		if err := checkResult(res); err != nil {
			return nil, &parseError{off, err.Error()}
		}
		k := probe.KeyOf(res)
		if at, dup := first[k]; dup {
			return nil, &parseError{off, fmt.Sprintf("result for %s is listed twice (first on line %d)", k, p.line(at))}
		}
		first[k] = off
		res.Detail = probe.ClipDetail(res.Detail)
		list = append(list, res)
	}
	return list, p.delim(']')
}

// checkHeader checks the fields of r around its results.
func checkHeader(r probe.Results) error {
	switch {
	case r.Version != probe.ResultsVersion:
		return fmt.Errorf("version %d; this program reads version %d", r.Version, probe.ResultsVersion)
	case r.Started.IsZero():
		return errors.New("no start time")
	case r.Finished.Before(r.Started):
		return fmt.Errorf("finished %s before it started %s", r.Finished.Format(time.RFC3339), r.Started.Format(time.RFC3339))
	case !probe.PrintableLine(r.Vantage):
		return fmt.Errorf("vantage %.80q is not one line of printable text", r.Vantage)
	}
	return nil
}

// checkResult checks one result's fields.
func checkResult(r probe.Result) error {
	switch {
	case r.Group == "" || r.Address == "" || r.Check == "":
		return errors.New("group, address and check must not be empty")
	case !probe.PrintableLine(r.Group) || !probe.PrintableLine(r.Address) || !probe.PrintableLine(r.Check):
		return fmt.Errorf("group %.40q, address %.40q or check %.40q is not printable text", r.Group, r.Address, r.Check)
	case !r.State.Valid():
		return fmt.Errorf("unknown state %q", r.State)
	case r.MS < 0:
		return fmt.Errorf("negative ms %d", r.MS)
	case r.State == probe.Skipped && r.Attempts != 0:
		return fmt.Errorf("state skipped with %d attempts", r.Attempts)
	case r.State != probe.Skipped && r.Attempts < 1:
		return fmt.Errorf("state %s with %d attempts", r.State, r.Attempts)
	case r.Attempts > probe.MaxAttempts:
		return fmt.Errorf("%d attempts; a run makes at most %d", r.Attempts, probe.MaxAttempts)
	case !probe.PrintableLine(r.Detail):
		return fmt.Errorf("detail %.80q is not one line of printable text", r.Detail)
	}
	return nil
}

// Tally counts the states of one check across one group's servers.
type Tally struct {
	Group  string
	Check  string
	Up     int
	Total  int
	States map[probe.State]int // every state seen, Up included
}

// others counts the states but up, e.g. "12 rejected, 7 timeout".
func (t Tally) others() string {
	var parts []string
	for _, s := range probe.States {
		if n := t.States[s]; n > 0 && s != probe.Up {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, ", ")
}

// Summary counts the results by group and check, in the order in which
// they first appear (config order for the results of [probe.Run]).
func Summary(r probe.Results) []Tally {
	var out []Tally
	index := map[[2]string]int{}
	for _, res := range r.Results {
		k := [2]string{res.Group, res.Check}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Tally{Group: res.Group, Check: res.Check, States: map[probe.State]int{}})
		}
		t := &out[i]
		t.Total++
		t.States[res.State]++
		if res.State == probe.Up {
			t.Up++
		}
	}
	return out
}

// WriteSummary prints [Summary] as an aligned table, one group and check a
// line:
//
//	bn2  tcp443  22/22 up
//	bn2  msnp21  3/22 up   12 rejected, 7 timeout
func WriteSummary(w io.Writer, r probe.Results) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, t := range Summary(r) {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d up\t%s\n", t.Group, t.Check, t.Up, t.Total, t.others())
	}
	tw.Flush()
	var out strings.Builder
	for line := range strings.Lines(b.String()) {
		out.WriteString(strings.TrimRight(line, " \n") + "\n")
	}
	_, err := io.WriteString(w, out.String())
	return err
}
