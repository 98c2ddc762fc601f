package history_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/history/historytest"
)

const (
	k21 = "bn2 127.0.2.1 msnp21"
	k22 = "bn2 127.0.2.1 msnp22"
	k2  = "bn2 127.0.2.2 tcp443"
)

var run, at = historytest.Results, historytest.At

// appendRun records r in dir's history the way deadyet build does: Read,
// Record, Write. It returns the history and the lines added.
func appendRun(dir string, r probe.Results) (*history.History, []history.Line, error) {
	h, err := history.Read(dir)
	if err != nil {
		return nil, nil, err
	}
	added, err := h.Record(r)
	if err != nil {
		return nil, nil, err
	}
	return h, added, h.Write()
}

func shorts(ls []history.Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = historytest.Short(l)
	}
	return out
}

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// writeTestFile writes dir/name, or nothing when data is "".
func writeTestFile(t *testing.T, dir, name, data string) {
	t.Helper()
	if data == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readAll is the content of every file in dir, by name.
func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[de.Name()] = string(b)
	}
	return out
}

func TestRecord(t *testing.T) {
	tests := []struct {
		name string
		runs []probe.Results
		want [][]string // lines each run adds
	}{{
		name: "first run: heartbeat and first sightings",
		runs: []probe.Results{run("2026-11-25 10:00", k21+"=up: CVR answered", k2+"=timeout")},
		want: [][]string{{
			"11-25 10:00 heartbeat",
			"11-25 10:00 bn2 127.0.2.1 msnp21 →up: CVR answered",
			"11-25 10:00 bn2 127.0.2.2 tcp443 →timeout",
		}},
	}, {
		name: "quiet runs write nothing, a new day a heartbeat",
		runs: []probe.Results{
			run("2026-11-25 10:00", k21+"=up"),
			run("2026-11-25 11:00", k21+"=up: another detail"),
			run("2026-11-25 23:59", k21+"=up"),
			run("2026-11-26 00:00", k21+"=up"),
			run("2026-11-26 01:00", k21+"=up"),
			run("2026-11-28 07:00", k21+"=up"),
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
		runs: []probe.Results{
			run("2026-11-25 10:00", k21+"=up", k2+"=up"),
			run("2026-11-25 11:00", k21+"=timeout: no answer in 3s", k2+"=up"),
			run("2026-11-25 12:00", k21+"=timeout: no answer in 3s", k2+"=refused"),
			run("2026-11-25 13:00", k21+"=up", k2+"=refused"),
			run("2026-11-25 14:00", k21+"=up", k2+"=refused"),
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
		runs: []probe.Results{
			run("2026-11-25 10:00", k21+"=skipped", k22+"=up"),
			run("2026-11-25 11:00", k21+"=skipped", k22+"=skipped: not scanned"),
			run("2026-11-25 12:00", k21+"=skipped", k22+"=skipped"),
			run("2026-11-25 13:00", k21+"=rejected: VER 1 0", k22+"=up"),
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp22 →up"},
			{"11-25 11:00 bn2 127.0.2.1 msnp22 up→skipped: not scanned"},
			nil,
			{"11-25 13:00 bn2 127.0.2.1 msnp21 →rejected: VER 1 0", "11-25 13:00 bn2 127.0.2.1 msnp22 skipped→up"},
		},
	}, {
		name: "a key that leaves the results becomes skipped, once",
		runs: []probe.Results{
			run("2026-11-25 10:00", k21+"=up", k2+"=error: no such host"),
			run("2026-11-25 11:00", k21+"=up"),
			run("2026-11-25 12:00", k21+"=up"),
			run("2026-11-25 13:00", k21+"=up", k2+"=error: no such host"),
		},
		want: [][]string{
			{"11-25 10:00 heartbeat", "11-25 10:00 bn2 127.0.2.1 msnp21 →up", "11-25 10:00 bn2 127.0.2.2 tcp443 →error: no such host"},
			{"11-25 11:00 bn2 127.0.2.2 tcp443 error→skipped: no longer probed"},
			nil,
			{"11-25 13:00 bn2 127.0.2.2 tcp443 skipped→error: no such host"},
		},
	}, {
		name: "same second as the last line is fine",
		runs: []probe.Results{run("2026-11-25 10:00", k21+"=up"), run("2026-11-25 10:00", k21+"=foreign: HTTP/1.1 200 OK")},
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
				h, added, err := appendRun(dir, r)
				if err != nil {
					t.Fatalf("run %d: %v", i, err)
				}
				sameStrings(t, fmt.Sprintf("run %d added", i), shorts(added), tt.want[i])
				all = append(all, tt.want[i]...)
				if h.Changed() {
					t.Errorf("run %d: history still has unwritten lines", i)
				}
			}
			// What is on disk reads back as the same lines.
			h, err := history.Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			sameStrings(t, "read back", shorts(h.Lines()), all)
		})
	}
}

func TestLineFormat(t *testing.T) {
	key := probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}
	t0 := time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC)
	tests := []struct {
		name string
		line history.Line
		want string
	}{
		{"heartbeat", history.Line{T: t0, Heartbeat: true}, `{"t":"2026-11-25T10:00:03Z","heartbeat":true}`},
		{"in UTC", history.Line{T: t0.In(time.FixedZone("x", 3600)), Key: key, To: probe.Up, Detail: "CVR answered"},
			`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"","to":"up","detail":"CVR answered"}`},
		{"escaped", history.Line{T: t0, Key: key, From: probe.Up, To: probe.Foreign, Detail: "said \"<b>\" & \x01"},
			`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"up","to":"foreign","detail":"said \"<b>\" & \u0001"}`},
		{"no detail", history.Line{T: t0, Key: key, From: probe.Up, To: probe.Timeout},
			`{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"up","to":"timeout"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(history.AppendLine(nil, tt.line)); got != tt.want+"\n" {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestDetails: a detail is clipped to probe.MaxDetail and a control
// character in it is shown visibly, whether it comes from a run or from the
// file (10 MB there); reading leaves the file as it is.
func TestDetails(t *testing.T) {
	long := strings.Repeat("é", 5<<20)
	clipped := func(d string) bool {
		return len(d) <= probe.MaxDetail && strings.HasSuffix(d, "é…") && strings.HasPrefix(long, strings.TrimSuffix(d, "…"))
	}
	dir := t.TempDir()
	data := "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n" +
		"{\"t\":\"2026-11-25T10:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"\",\"to\":\"up\",\"detail\":\"\\u001b[31m\\u0007\\u2028\"}\n" +
		"{\"t\":\"2026-11-25T11:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"up\",\"to\":\"foreign\",\"detail\":\"" + long + "\"}\n"
	writeTestFile(t, dir, history.FileName, data)
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if l := h.Lines(); l[1].Detail != `\x1b[31m\x07\u2028` || !clipped(l[2].Detail) {
		t.Errorf("read: %.60q", shorts(l))
	}
	added, err := h.Record(run("2026-11-25 12:00", k21+"=error: bell \a and \x1b[0m", k2+"=foreign: "+long))
	if err != nil || len(added) != 2 || added[0].Detail != `bell \x07 and \x1b[0m` || !clipped(added[1].Detail) {
		t.Errorf("recorded: %v, %.60q", err, shorts(added))
	}
	if back, _ := os.ReadFile(filepath.Join(dir, history.FileName)); string(back) != data {
		t.Error("reading rewrote the file")
	}
}

func TestReadValidHistory(t *testing.T) {
	h, err := history.ReadFile("testdata/valid.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sameStrings(t, "lines", shorts(h.Lines()), []string{
		"11-25 10:00 heartbeat",
		"11-25 10:00 bn2 127.0.2.1 msnp21 →up: CVR answered",
		"11-25 11:00 bn2 127.0.2.1 msnp21 up→timeout: no answer in 3s",
		"11-26 00:00 heartbeat",
		`11-26 00:00 services msn.example tcp443 →foreign: said "HTTP/1.1 200 OK" <html> & café ☃`,
		"11-26 00:00 bn2 127.0.2.1 msnp21 timeout→up",
	})
}

func TestReadHistoryErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"empty-line", "2: empty line"},
		{"truncated-file", "2: no newline at the end of the line (cut off?); drop it with: deadyet history trim --history testdata --after now"},
		{"truncated-line", "2: unexpected end (truncated?)"},
		{"not-object", `2: found [ where "{" is wanted`},
		{"bad-json", "1: bad JSON: expected colon after object key"},
		{"text-after", "2: text after the end of the object"},
		{"unknown-field", `2: unknown field "vantage"`},
		{"field-case", `1: unknown field "T"`},
		{"duplicate-field", `2: field "to" given twice`},
		{"missing-field", `2: missing field "to"`},
		{"missing-time", `1: missing field "t"`},
		{"empty-group", `2: empty "group"`},
		{"not-string", `2: "group": number where string is wanted`},
		{"control-char", `2: bad JSON: invalid character '\x01' in string literal`},
		{"bad-utf8", "2: invalid UTF-8"},
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
		{"year-0001", "1: time 0001-01-01T00:00:05Z is before 2000-01-01: a clock was wrong; drop the lines before then with: deadyet history trim --history testdata --before 2000-01-01T00:00:00Z"},
		{"year-0000", "2: time 0000-01-01T00:00:00Z is before 2000-01-01: a clock was wrong; drop the lines before then with: deadyet history trim --history testdata --before 2000-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join("testdata", tt.file+".jsonl")
			_, err := history.ReadFile(file)
			var pe *history.ParseError
			if !errors.As(err, &pe) || err.Error() != file+":"+tt.want {
				t.Errorf("got  %v\nwant %s:%s", err, file, tt.want)
			}
		})
	}
}

func TestReadHistoryFolder(t *testing.T) {
	// A missing file, or folder, is an empty history.
	h, err := history.Read(filepath.Join(t.TempDir(), "nothing-here"))
	if err != nil || h.Len() != 0 {
		t.Fatalf("missing folder: %v, %d lines", err, h.Len())
	}
	// The error names the file inside the folder, and nothing is recorded.
	dir := t.TempDir()
	writeTestFile(t, dir, history.FileName, "{}\n")
	_, _, err = appendRun(dir, run("2026-11-25 10:00", k21+"=up"))
	if want := filepath.Join(dir, history.FileName) + `:1: missing field "t"`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if files := readAll(t, dir); len(files) != 1 || files[history.FileName] != "{}\n" {
		t.Errorf("a corrupt history was written to: %q", files)
	}
	// A symbolic link is refused: a write would replace it by a file.
	link := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, history.FileName), filepath.Join(link, history.FileName)); err != nil {
		t.Skip(err)
	}
	if _, err := history.Read(link); err == nil || !strings.HasSuffix(err.Error(), history.FileName+": a symbolic link, not a regular file") {
		t.Errorf("a symbolic link: %v", err)
	}
}

func TestRecordErrors(t *testing.T) {
	tests := []struct {
		name string
		r    probe.Results
		want string
	}{
		{"older run", run("2026-11-25 09:59", k21+"=timeout"),
			"results of 2026-11-25T09:59:00Z are older than the last run recorded, 2026-11-25T10:00:00Z"},
		{"two results for a key", run("2026-11-26 10:00", k21+"=timeout", k21+"=up"), `record history: two results for "bn2 127.0.2.1 msnp21"`},
		{"control character in a key", run("2026-11-26 10:00", "bn2\x1b[2J 127.0.2.1 msnp21=up"),
			`record history: "bn2\x1b[2J 127.0.2.1 msnp21": "group" "bn2\x1b[2J" is not printable text`},
		{"an empty address", probe.Results{Finished: at("2026-11-26 10:00"), Results: []probe.Result{{Group: "bn2", Check: "msnp21", State: probe.Up}}}, `record history: "bn2  msnp21": empty "address"`},
		{"unknown state", run("2026-11-26 10:00", k21+"=dead"), `record history: "bn2 127.0.2.1 msnp21" has unknown state "dead"`},
		{"empty state", run("2026-11-26 10:00", k21+"="), `record history: "bn2 127.0.2.1 msnp21" has unknown state ""`},
		{"before the floor", run("1970-01-01 00:00", k21+"=up"), "record history: results of 1970-01-01T00:00:00Z are before 2000-01-01: a clock is wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, err := appendRun(t.TempDir(), run("2026-11-25 10:00", k21+"=up"))
			if err != nil {
				t.Fatal(err)
			}
			lines := shorts(h.Lines())
			if _, err = h.Record(tt.r); err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
			if h.Changed() {
				t.Error("a failed Record changed the history")
			}
			sameStrings(t, "lines after a failed Record", shorts(h.Lines()), lines)
		})
	}
}

// TestFailedWrite: Write creates the folder; one that fails keeps the lines
// Record added, so that the next Write puts them on disk, removing what
// killed writes left before the Read (atomicfile says which names count).
func TestFailedWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "deeper")
	file := filepath.Join(dir, history.FileName)
	h, _, err := appendRun(dir, run("2026-11-25 10:00", k21+"=up"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Record(run("2026-11-25 11:00", k21+"=timeout")); err != nil {
		t.Fatal(err)
	}
	// A folder in the file's place: the write fails.
	if err := os.Rename(file, file+".bak"); err != nil || os.Mkdir(file, 0o755) != nil {
		t.Fatal(err)
	}
	if err := h.Write(); err == nil || !strings.HasPrefix(err.Error(), "write "+file+": ") || !h.Changed() {
		t.Errorf("Write: got %v, changed %v; want \"write %s: …\"", err, h.Changed(), file)
	}
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{".history.jsonl.1.tmp", ".last-run.2.tmp"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil || os.Chtimes(filepath.Join(dir, name), old, old) != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(file); err != nil || os.Rename(file+".bak", file) != nil {
		t.Fatal(err)
	}
	if err := h.Write(); err != nil || h.Changed() {
		t.Fatalf("second Write: %v, changed %v", err, h.Changed())
	}
	files := readAll(t, dir)
	if len(files) != 2 || !strings.HasSuffix(files[history.FileName], `"from":"up","to":"timeout"}`+"\n") {
		t.Errorf("files after the second Write, want the history with the 11:00 line and last-run: %q", files)
	}
}
