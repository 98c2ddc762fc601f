package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"deadyet/probe"
	"deadyet/probe/internal/atomicfile"
	"deadyet/probe/internal/jsonobj"
)

// Marshal is the results.json form of r, the same bytes for the same
// results. It fails when r would not read back.
func Marshal(r probe.Results) ([]byte, error) {
	if err := checkHeader(r); err != nil {
		return nil, err
	}
	started, err1 := json.Marshal(r.Started.UTC())
	finished, err2 := json.Marshal(r.Finished.UTC())
	vantage, _ := json.Marshal(r.Vantage)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err // a year past 9999
	}
	b := fmt.Appendf(nil, "{\n  \"version\": %d,\n  \"started\": %s,\n  \"finished\": %s,\n  \"vantage\": %s,\n  \"results\": [",
		r.Version, started, finished, vantage)
	for i, res := range r.Results {
		if err := checkResult(res); err != nil {
			return nil, fmt.Errorf("result %d (%.80s): %w", i+1, res, err)
		}
		res.Detail = probe.ClipDetail(res.Detail)
		v, _ := json.Marshal(res) // strings, numbers and a bool
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(b, "\n    "...), v...)
	}
	if len(r.Results) > 0 {
		b = append(b, "\n  "...)
	}
	return append(b, "]\n}\n"...), nil
}

// Write replaces path with r's results.json atomically, or leaves it as it
// was. It first removes the temporary files that killed writes left.
func Write(path string, r probe.Results) error {
	data, err := Marshal(r)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	atomicfile.RemoveLeftovers(path, r.Started)
	return atomicfile.WriteFile(path, data, 0o644)
}

// MaxSize is the largest results.json read: 1,000 servers × 7 checks make
// about 1 MB, and no more than 10 MB with every detail at its longest.
const MaxSize = 32 << 20

// MaxAge is how long before the clock a run may have started to be
// recorded: an hourly build records the run of the hour.
const MaxAge = 24 * time.Hour

// Read reads a results.json, strictly (see the package documentation):
// what is wrong is one error "path:line: what is wrong".
func Read(path string) (probe.Results, error) {
	data, err := atomicfile.ReadFile(path, MaxSize)
	if err != nil {
		return probe.Results{}, fmt.Errorf("read results: %w", err)
	}
	r, err := parse(data)
	var e *jsonobj.Error
	if errors.As(err, &e) {
		return probe.Results{}, fmt.Errorf("%s:%d: %s", path, lineAt(data, e.Off), e.Msg)
	}
	return r, err
}

// lineAt is the line of the first token at or after off; -1 is the end.
func lineAt(data []byte, off int64) int {
	if off < 0 || off > int64(len(data)) {
		off = int64(len(data))
	}
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

var (
	headerNames = []string{"version", "started", "finished", "vantage", "results"}
	resultNames = []string{"group", "address", "check", "state", "ms", "attempts", "detail", "disagree"}
)

func parse(data []byte) (probe.Results, error) {
	var r probe.Results
	dec := json.NewDecoder(bytes.NewReader(data))
	fields := []any{&r.Version, &r.Started, &r.Finished, &r.Vantage}
	has, err := jsonobj.Read(dec, headerNames, func(i int) error {
		off := dec.InputOffset()
		if i == 4 {
			var err error
			r.Results, err = readResults(dec, data)
			return err
		}
		if err := dec.Decode(fields[i]); err != nil {
			return err
		}
		if i == 0 && r.Version != probe.ResultsVersion { // named where it is, before the rest is read
			return &jsonobj.Error{Off: off, Msg: fmt.Sprintf("version %d; this program reads version %d", r.Version, probe.ResultsVersion)}
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	if err := jsonobj.End(dec); err != nil {
		return r, err
	}
	for i, n := range headerNames {
		if has&(1<<i) == 0 {
			return r, &jsonobj.Error{Msg: fmt.Sprintf("field %q missing", n)}
		}
	}
	if err := checkHeader(r); err != nil {
		return r, &jsonobj.Error{Msg: err.Error()}
	}
	return r, nil
}

func readResults(dec *json.Decoder, data []byte) ([]probe.Result, error) {
	if err := jsonobj.Delim(dec, '['); err != nil {
		return nil, err
	}
	list := []probe.Result{}
	first := map[probe.Key]int64{} // the offset of each key's result
	for dec.More() {
		off := dec.InputOffset()
		var res probe.Result
		fields := []any{&res.Group, &res.Address, &res.Check, &res.State, &res.MS, &res.Attempts, &res.Detail, &res.Disagree}
		if _, err := jsonobj.Read(dec, resultNames, func(i int) error { return dec.Decode(fields[i]) }); err != nil {
			return nil, err
		}
		if err := checkResult(res); err != nil {
			return nil, &jsonobj.Error{Off: off, Msg: err.Error()}
		}
		k := probe.KeyOf(res)
		if at, dup := first[k]; dup {
			return nil, &jsonobj.Error{Off: off, Msg: fmt.Sprintf("result for %s is listed twice (first on line %d)", k, lineAt(data, at))}
		}
		first[k] = off
		res.Detail = probe.ClipDetail(res.Detail)
		list = append(list, res)
	}
	return list, jsonobj.Delim(dec, ']')
}

// CheckAge refuses results that started more than [MaxAge] before now,
// stamped by a wrong clock.
func CheckAge(r probe.Results, now time.Time) error {
	if now.Sub(r.Started) > MaxAge {
		return fmt.Errorf("started %s, more than a day before this machine's clock, %s: a clock is wrong",
			r.Started.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// CheckVantage refuses a vantage name of more than 64 bytes, or of
// characters other than ASCII letters, digits, spaces and "-_.,:()/".
func CheckVantage(v string) error {
	if len(v) > 64 || strings.TrimLeft(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:()/") != "" {
		return fmt.Errorf("vantage %.80q: want at most 64 ASCII letters, digits, spaces and -_.,:()/", v)
	}
	return nil
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
	}
	return CheckVantage(r.Vantage)
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

// WriteSummary prints the results counted by group and check, in the order
// they first appear, aligned: "bn2  msnp21  3/22 up  12 rejected, 7 timeout".
func WriteSummary(w io.Writer, r probe.Results) error {
	var rows [][2]string // group and check
	counts := map[[2]string]map[probe.State]int{}
	for _, res := range r.Results {
		row := [2]string{res.Group, res.Check}
		if counts[row] == nil {
			rows, counts[row] = append(rows, row), map[probe.State]int{}
		}
		counts[row][res.State]++
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		var others []string
		total := 0
		for _, s := range probe.States {
			n := counts[row][s]
			if total += n; n > 0 && s != probe.Up {
				others = append(others, fmt.Sprintf("%d %s", n, s))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d up\t%s\n", row[0], row[1], counts[row][probe.Up], total, strings.Join(others, ", "))
	}
	tw.Flush()
	for line := range strings.Lines(b.String()) {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " \n")); err != nil { // the padding of an empty last column
			return err
		}
	}
	return nil
}
