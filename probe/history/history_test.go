package history

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

// at parses a test time like "2026-11-25 10:00".
func at(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// run is a simulated probe run: its time and, per key "group address
// check", the state and detail it found, like "up" or "timeout: no answer".
type run struct {
	at    string
	cells []string // "bn2 127.0.2.1 msnp21=up: CVR answered"
}

// results turns a run into the Results a probe would have written.
func (r run) results(t testing.TB) probe.Results {
	t.Helper()
	fin := at(t, r.at)
	res := probe.Results{Version: probe.ResultsVersion, Started: fin.Add(-3 * time.Second), Finished: fin, Vantage: "test"}
	for _, c := range r.cells {
		key, st, ok := strings.Cut(c, "=")
		f := strings.Fields(key)
		if !ok || len(f) != 3 {
			t.Fatalf("bad cell %q", c)
		}
		st, detail, _ := strings.Cut(st, ": ")
		res.Results = append(res.Results, probe.Result{Group: f[0], Address: f[1], Check: f[2], State: probe.State(st), Detail: detail})
	}
	return res
}

// short prints a line compactly for comparisons.
func short(l Line) string {
	if l.Heartbeat {
		return l.T.Format("01-02 15:04") + " heartbeat"
	}
	s := fmt.Sprintf("%s %s %s→%s", l.T.Format("01-02 15:04"), l.Key, l.From, l.To)
	if l.Detail != "" {
		s += ": " + l.Detail
	}
	return s
}

// appendRun records the run r in dir's history the way deadyet build does:
// Read, Record, Write. It returns the history and the lines added.
func appendRun(dir string, r probe.Results) (*History, []Line, error) {
	h, err := Read(dir)
	if err != nil {
		return nil, nil, err
	}
	added, err := h.Record(r)
	if err != nil {
		return nil, nil, err
	}
	if err := h.Write(); err != nil {
		return nil, nil, err
	}
	return h, added, nil
}

// allLines is every line of h, oldest first.
func allLines(h *History) []Line {
	out := make([]Line, len(h.entries))
	for i := range h.entries {
		out[i] = h.line(i)
	}
	return out
}

func shorts(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = short(l)
	}
	return out
}

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

const (
	k21 = "bn2 127.0.2.1 msnp21"
	k22 = "bn2 127.0.2.1 msnp22"
	k2  = "bn2 127.0.2.2 tcp443"
)

func TestRecord(t *testing.T) {
	tests := []struct {
		name string
		runs []run
		want [][]string // lines each run adds
	}{{
		name: "first run: heartbeat and first sightings",
		runs: []run{{"2026-11-25 10:00", []string{k21 + "=up: CVR answered", k2 + "=timeout"}}},
		want: [][]string{{
			"11-25 10:00 heartbeat",
			"11-25 10:00 bn2 127.0.2.1 msnp21 →up: CVR answered",
			"11-25 10:00 bn2 127.0.2.2 tcp443 →timeout",
		}},
	}, {
		name: "quiet runs write nothing, a new day a heartbeat",
		runs: []run{
			{"2026-11-25 10:00", []string{k21 + "=up"}},
			{"2026-11-25 11:00", []string{k21 + "=up: another detail"}},
			{"2026-11-25 23:59", []string{k21 + "=up"}},
			{"2026-11-26 00:00", []string{k21 + "=up"}},
			{"2026-11-26 01:00", []string{k21 + "=up"}},
			{"2026-11-28 07:00", []string{k21 + "=up"}},
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp21 →up"},
			nil,
			nil,
			{"11-26 00:00 heartbeat"},
			nil,
			{"11-28 07:00 heartbeat"},
		},
	}, {
		name: "flips",
		runs: []run{
			{"2026-11-25 10:00", []string{k21 + "=up", k2 + "=up"}},
			{"2026-11-25 11:00", []string{k21 + "=timeout: no answer in 3s", k2 + "=up"}},
			{"2026-11-25 12:00", []string{k21 + "=timeout: no answer in 3s", k2 + "=refused"}},
			{"2026-11-25 13:00", []string{k21 + "=up", k2 + "=refused"}},
			{"2026-11-25 14:00", []string{k21 + "=up", k2 + "=refused"}},
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp21 →up", "11-25 10:00 bn2 127.0.2.2 tcp443 →up"},
			{"11-25 11:00 bn2 127.0.2.1 msnp21 up→timeout: no answer in 3s"},
			{"11-25 12:00 bn2 127.0.2.2 tcp443 up→refused"},
			{"11-25 13:00 bn2 127.0.2.1 msnp21 timeout→up"},
			nil,
		},
	}, {
		name: "skipped is not tracked until it was",
		runs: []run{
			{"2026-11-25 10:00", []string{k21 + "=skipped", k22 + "=up"}},
			{"2026-11-25 11:00", []string{k21 + "=skipped", k22 + "=skipped: not scanned"}},
			{"2026-11-25 12:00", []string{k21 + "=skipped", k22 + "=skipped"}},
			{"2026-11-25 13:00", []string{k21 + "=rejected: VER 1 0", k22 + "=up"}},
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp22 →up"},
			{"11-25 11:00 bn2 127.0.2.1 msnp22 up→skipped: not scanned"},
			nil,
			{"11-25 13:00 bn2 127.0.2.1 msnp21 →rejected: VER 1 0", "11-25 13:00 bn2 127.0.2.1 msnp22 skipped→up"},
		},
	}, {
		name: "a key that leaves the results becomes skipped, once",
		runs: []run{
			{"2026-11-25 10:00", []string{k21 + "=up", k2 + "=error: no such host"}},
			{"2026-11-25 11:00", []string{k21 + "=up"}},
			{"2026-11-25 12:00", []string{k21 + "=up"}},
			{"2026-11-25 13:00", []string{k21 + "=up", k2 + "=error: no such host"}},
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp21 →up", "11-25 10:00 bn2 127.0.2.2 tcp443 →error: no such host"},
			{"11-25 11:00 bn2 127.0.2.2 tcp443 error→skipped: no longer probed"},
			nil,
			{"11-25 13:00 bn2 127.0.2.2 tcp443 skipped→error: no such host"},
		},
	}, {
		name: "same second as the last line is fine",
		runs: []run{
			{"2026-11-25 10:00", []string{k21 + "=up"}},
			{"2026-11-25 10:00", []string{k21 + "=foreign: HTTP/1.1 200 OK"}},
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp21 →up"},
			{"11-25 10:00 bn2 127.0.2.1 msnp21 up→foreign: HTTP/1.1 200 OK"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var all []string
			for i, r := range tt.runs {
				h, added, err := appendRun(dir, r.results(t))
				if err != nil {
					t.Fatalf("run %d: %v", i, err)
				}
				sameStrings(t, fmt.Sprintf("run %d (%s) added", i, r.at), shorts(added), tt.want[i])
				all = append(all, tt.want[i]...)
				if h.Changed() {
					t.Errorf("run %d: history still has unwritten lines", i)
				}
			}
			// What is on disk reads back as the same lines.
			h, err := Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			sameStrings(t, "read back", shorts(allLines(h)), all)
		})
	}
}

func TestQuietRunIsByteIdentical(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	first := run{"2026-11-25 10:00", []string{k21 + "=up: CVR answered", k22 + "=timeout: no answer in 3s", k2 + "=skipped"}}
	if _, _, err := appendRun(dir, first.results(t)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Same states an hour later, with other details: nothing to write.
	quiet := run{"2026-11-25 11:00", []string{k21 + "=up: CVR answered again", k22 + "=timeout: no answer in 2.9s", k2 + "=skipped"}}
	_, added, err := appendRun(dir, quiet.results(t))
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 0 || !bytes.Equal(before, after) {
		t.Errorf("a quiet run changed the history: added %q;\nbefore:\n%s\nafter:\n%s", shorts(added), before, after)
	}
	t.Logf("quiet run: %d bytes added", len(after)-len(before))

	// The next day's first run adds the heartbeat only.
	nextDay := run{"2026-11-26 00:00", quiet.cells}
	if _, _, err := appendRun(dir, nextDay.results(t)); err != nil {
		t.Fatal(err)
	}
	after2, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := append(bytes.Clone(after), `{"t":"2026-11-26T00:00:00Z","heartbeat":true}`+"\n"...)
	if !bytes.Equal(after2, want) {
		t.Errorf("first run of a day:\ngot:\n%s\nwant:\n%s", after2, want)
	}
	t.Logf("first quiet run of a day: %d bytes added", len(after2)-len(after))
}

func TestLineFormat(t *testing.T) {
	tests := []struct {
		line Line
		want string
	}{{
		Line{T: time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC), Heartbeat: true},
		`{"t":"2026-11-25T10:00:03Z","heartbeat":true}`,
	}, {
		Line{T: time.Date(2026, 11, 25, 11, 0, 3, 0, time.FixedZone("x", 3600)), Key: probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}, To: probe.Up, Detail: "CVR answered"},
		`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"","to":"up","detail":"CVR answered"}`,
	}, {
		Line{T: time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC), Key: probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}, From: probe.Up, To: probe.Foreign, Detail: "said \"<b>\" & \x01"},
		`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"up","to":"foreign","detail":"said \"<b>\" & \u0001"}`,
	}, {
		Line{T: time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC), Key: probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "tcp443"}, From: probe.Up, To: probe.Timeout},
		`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"tcp443","from":"up","to":"timeout"}`,
	}}
	for _, tt := range tests {
		got := string(appendLine(nil, tt.line))
		if got != tt.want+"\n" {
			t.Errorf("appendLine(%s):\ngot  %s\nwant %s", short(tt.line), got, tt.want)
		}
		t.Logf("%d bytes: %s", len(got), got)
	}
}

func TestDetailIsClipped(t *testing.T) {
	h := newHistory(filepath.Join(t.TempDir(), FileName))
	long := strings.Repeat("é", 300) // 600 bytes
	r := run{"2026-11-25 10:00", []string{k21 + "=foreign: " + long}}.results(t)
	added, err := h.Record(r)
	if err != nil {
		t.Fatal(err)
	}
	d := added[1].Detail
	if len(d) > probe.MaxDetail || !strings.HasSuffix(d, "é…") || !strings.HasPrefix(long, strings.TrimSuffix(d, "…")) {
		t.Errorf("detail of %d bytes clipped to %d bytes: %q", len(long), len(d), d)
	}
}

// TestReadClipsDetail: a detail longer than probe.MaxDetail in the file,
// 10 MB here, is clipped on reading, so that the page and the feed do not
// grow with it; the file itself is left as it is.
func TestReadClipsDetail(t *testing.T) {
	dir := t.TempDir()
	huge := strings.Repeat("é", 5<<20)
	data := "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n" +
		"{\"t\":\"2026-11-25T10:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"\",\"to\":\"up\"}\n" +
		"{\"t\":\"2026-11-25T11:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"up\",\"to\":\"foreign\",\"detail\":\"" + huge + "\"}\n"
	writeTestFile(t, dir, FileName, data)
	h, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	recent := h.Recent(at(t, "2026-11-26 00:00"), 1)
	if len(recent) != 1 {
		t.Fatalf("Recent: %q", shorts(recent))
	}
	d := recent[0].Detail
	if len(d) > probe.MaxDetail || !strings.HasSuffix(d, "é…") || !strings.HasPrefix(huge, strings.TrimSuffix(d, "…")) {
		t.Errorf("a detail of %d bytes read as %d bytes: %.40q", len(huge), len(d), d)
	}
	if _, err := h.Record(run{"2026-11-25 12:00", []string{k21 + "=foreign"}}.results(t)); err != nil || h.Changed() {
		t.Fatalf("quiet run: %v, changed %v", err, h.Changed())
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	if back, _ := os.ReadFile(filepath.Join(dir, FileName)); string(back) != data {
		t.Error("reading rewrote the file")
	}
}

// TestControlCharactersShown: a control character in a detail, written
// escaped in the file or given to Record, is read and recorded visibly.
func TestControlCharactersShown(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, dir, FileName, "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n"+
		"{\"t\":\"2026-11-25T10:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"\",\"to\":\"up\"}\n"+
		"{\"t\":\"2026-11-25T11:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"up\",\"to\":\"foreign\",\"detail\":\"\\u001b[31m\\u0007\\u2028\"}\n")
	h, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Recent(at(t, "2026-11-26 00:00"), 1); len(got) != 1 || got[0].Detail != `\x1b[31m\x07\u2028` {
		t.Errorf("read: %q", shorts(got))
	}
	added, err := h.Record(run{"2026-11-25 12:00", []string{k21 + "=error: bell \a and \x1b[0m"}}.results(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 1 || added[0].Detail != `bell \x07 and \x1b[0m` {
		t.Errorf("recorded: %q", shorts(added))
	}
}

func TestReadValidHistory(t *testing.T) {
	h, err := readFile("testdata/valid.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sameStrings(t, "lines", shorts(allLines(h)), []string{
		"11-25 10:00 heartbeat",
		"11-25 10:00 bn2 127.0.2.1 msnp21 →up: CVR answered",
		"11-25 11:00 bn2 127.0.2.1 msnp21 up→timeout: no answer in 3s",
		"11-26 00:00 heartbeat",
		`11-26 00:00 services msn.example tcp443 →foreign: said "HTTP/1.1 200 OK" <html> & café ☃`,
		"11-26 00:00 bn2 127.0.2.1 msnp21 timeout→up",
	})
	// Recording onto a history read from disk appends after its bytes.
	data, _ := os.ReadFile("testdata/valid.jsonl")
	if _, err := h.Record(run{"2026-11-26 01:00", []string{k21 + "=up", "services msn.example tcp443=foreign"}}.results(t)); err != nil {
		t.Fatal(err)
	}
	if h.Changed() || !bytes.Equal(h.data, data) {
		t.Errorf("a quiet run changed a history read from disk")
	}
}

func TestReadHistoryErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"empty-line", "2: empty line"},
		{"truncated-file", "2: no newline at the end of the line (truncated?)"},
		{"truncated-line", "2: unexpected end of line (truncated?)"},
		{"not-object", "2: not a JSON object"},
		{"bad-json", "1: bad JSON at column 6: want ':'"},
		{"text-after", "2: text after the object at column 127"},
		{"unknown-field", `2: unknown field "vantage"`},
		{"field-case", `1: unknown field "T"`},
		{"duplicate-field", `2: field "to" given twice`},
		{"missing-field", `2: missing field "to"`},
		{"missing-time", `1: missing field "t"`},
		{"empty-group", `2: empty "group"`},
		{"not-string", `2: field "group" is not a string`},
		{"control-char", "2: control character in the string at column 37"},
		{"bad-utf8", "2: invalid UTF-8 in the string at column 37"},
		{"control-key", `2: "group" "bn2\x1b[2J" is not printable text`},
		{"bad-state", `2: unknown state "Up" in "to"`},
		{"bad-from", `3: unknown state "down" in "from"`},
		{"same-state", `3: "from" and "to" are both "up"`},
		{"from-mismatch", `4: "from" is "up" but line 3 left bn2 127.0.2.1 msnp21 "timeout"`},
		{"first-from", `2: "from" is "up" but this is the first line for bn2 127.0.2.1 msnp21 (want "from":"")`},
		{"first-twice", `3: "from" is "" but line 2 left bn2 127.0.2.1 msnp21 "up"`},
		{"bad-time", `1: bad time "2026-11-25T11:00:03+01:00": want UTC to the second, like 2026-11-25T10:00:03Z`},
		{"fractional-time", `1: bad time "2026-11-25T10:00:03.5Z": want UTC to the second, like 2026-11-25T10:00:03Z`},
		{"time-backwards", "3: time goes backwards: 2026-11-25T10:59:59Z is before 2026-11-25T11:00:02Z on line 2"},
		{"heartbeat-false", `1: "heartbeat" must be true`},
		{"heartbeat-extra", `1: a heartbeat line has only "t" and "heartbeat", not "group"`},
		{"two-heartbeats", "2: a second heartbeat on 2026-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join("testdata", tt.file+".jsonl")
			_, err := readFile(file)
			var he *ParseError
			if !errors.As(err, &he) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if want := file + ":" + tt.want; err.Error() != want {
				t.Errorf("got  %s\nwant %s", err, want)
			}
		})
	}
}

func TestReadHistoryFolder(t *testing.T) {
	// A missing file, or folder, is an empty history.
	h, err := Read(filepath.Join(t.TempDir(), "nothing-here"))
	if err != nil || h.Len() != 0 {
		t.Fatalf("missing folder: %v, %d lines", err, h.Len())
	}
	// The error names the file inside the folder.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Read(dir)
	if want := filepath.Join(dir, FileName) + `:1: missing field "t"`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	// A history that cannot be read is not recorded onto.
	if _, _, err := appendRun(dir, run{"2026-11-25 10:00", []string{k21 + "=up"}}.results(t)); err == nil {
		t.Error("recorded onto a corrupt history")
	}
	if data, _ := os.ReadFile(filepath.Join(dir, FileName)); string(data) != "{}\n" {
		t.Errorf("a corrupt history was rewritten: %q", data)
	}
}

func TestRecordErrors(t *testing.T) {
	base := run{"2026-11-25 10:00", []string{k21 + "=up"}}
	tests := []struct {
		name string
		r    func(t *testing.T) probe.Results
		want string
	}{{
		name: "older run",
		r: func(t *testing.T) probe.Results {
			return run{"2026-11-25 09:59", []string{k21 + "=timeout"}}.results(t)
		},
		want: "results of 2026-11-25T09:59:00Z are older than the last run recorded, 2026-11-25T10:00:00Z",
	}, {
		name: "no time",
		r: func(t *testing.T) probe.Results {
			return probe.Results{Results: []probe.Result{{Group: "bn2", Address: "127.0.2.1", Check: "x", State: probe.Up}}}
		},
		want: "record history: the results have no time",
	}, {
		name: "two results for a key",
		r: func(t *testing.T) probe.Results {
			return run{"2026-11-26 10:00", []string{k21 + "=timeout", k21 + "=up"}}.results(t)
		},
		want: `record history: two results for "bn2 127.0.2.1 msnp21"`,
	}, {
		name: "control character in a key",
		r: func(t *testing.T) probe.Results {
			return run{"2026-11-26 10:00", []string{"bn2\x1b[2J 127.0.2.1 msnp21=up"}}.results(t)
		},
		want: `record history: result "bn2\x1b[2J 127.0.2.1 msnp21: up ()" has a group, address or check that is not printable text`,
	}, {
		name: "unknown state",
		r:    func(t *testing.T) probe.Results { return run{"2026-11-26 10:00", []string{k21 + "=dead"}}.results(t) },
		want: `record history: "bn2 127.0.2.1 msnp21" has unknown state "dead"`,
	}, {
		name: "empty state",
		r:    func(t *testing.T) probe.Results { return run{"2026-11-26 10:00", []string{k21 + "="}}.results(t) },
		want: `record history: "bn2 127.0.2.1 msnp21" has unknown state ""`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			h, _, err := appendRun(dir, base.results(t))
			if err != nil {
				t.Fatal(err)
			}
			lines := shorts(allLines(h))
			_, err = h.Record(tt.r(t))
			want := strings.ReplaceAll(tt.want, "HISTORY", h.File())
			if err == nil || err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, want)
			}
			if h.Changed() {
				t.Error("a failed Record changed the history")
			}
			sameStrings(t, "lines after a failed Record", shorts(allLines(h)), lines)
		})
	}
}

// TestFailedWrite: a Write that fails keeps the lines Record added, so that
// a second Write can put them on disk. (atomicfile's tests make each step of
// the write itself fail and check that the old file stays as it was.)
func TestFailedWrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	h, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Record(run{"2026-11-25 10:00", []string{k21 + "=up"}}.results(t)); err != nil {
		t.Fatal(err)
	}
	// A folder in the file's place: the rename over it fails.
	if err := os.MkdirAll(filepath.Join(file, "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	err = h.Write()
	if err == nil || !strings.HasPrefix(err.Error(), "write "+file+": ") {
		t.Errorf("Write: got %v, want \"write %s: …\"", err, file)
	}
	if !h.Changed() {
		t.Error("after a failed Write, the history says it is written")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left in the folder: %v", entries)
	}
	if err := os.RemoveAll(file); err != nil {
		t.Fatal(err)
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if want := "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n"; err != nil || !strings.HasPrefix(string(data), want) || h.Changed() {
		t.Errorf("second Write: %v, changed %v:\n%s", err, h.Changed(), data)
	}
}

func TestWriteCreatesFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "deeper")
	if _, _, err := appendRun(dir, run{"2026-11-25 10:00", []string{k21 + "=up"}}.results(t)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("history mode %v, want 0644", fi.Mode().Perm())
	}
}
