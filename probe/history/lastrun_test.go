package history

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

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

// TestQuietRunIsTheLastRun: a quiet run writes not a byte of history.jsonl
// but its time to last-run, and a run older than it is then refused with a
// *StaleError that leaves both files as they were. (Before last-run, the
// older run was recorded: only the history's last line counted.)
func TestQuietRunIsTheLastRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	if _, _, err := appendRun(dir, run{"2026-11-25 10:00", []string{k21 + "=up"}}.results(t)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := appendRun(dir, run{"2026-11-25 11:00", []string{k21 + "=up"}}.results(t)); err != nil || len(added) != 0 {
		t.Fatalf("quiet run: %v, added %q", err, shorts(added))
	}
	files := readAll(t, dir)
	if files[FileName] != string(before) {
		t.Errorf("a quiet run changed history.jsonl:\n%s", files[FileName])
	}
	if got, want := files[LastRunFile], "2026-11-25T11:00:00Z\n"; got != want {
		t.Errorf("last-run = %q, want %q", got, want)
	}
	h, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := at(t, "2026-11-25 11:00"); !h.LastRun().Equal(want) {
		t.Errorf("LastRun() = %v, want %v", h.LastRun(), want)
	}

	_, err = h.Record(run{"2026-11-25 10:30", []string{k21 + "=timeout"}}.results(t))
	var se *StaleError
	if !errors.As(err, &se) || !se.Run.Equal(at(t, "2026-11-25 10:30")) || !se.Last.Equal(at(t, "2026-11-25 11:00")) {
		t.Fatalf("Record of an older run: got %v, want a *StaleError", err)
	}
	if want := "results of 2026-11-25T10:30:00Z are older than the last run recorded, 2026-11-25T11:00:00Z"; err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	if after := readAll(t, dir); after[FileName] != files[FileName] || after[LastRunFile] != files[LastRunFile] || len(after) != 2 {
		t.Errorf("a refused run changed the folder: %q", after)
	}
}

// TestRunsInEitherOrder: two runs recorded in either order leave the history
// in the state of the later, and the earlier, when it comes second, is
// refused. Either run may be the quiet one.
func TestRunsInEitherOrder(t *testing.T) {
	first := run{"2026-11-25 10:00", []string{k21 + "=up"}}
	tests := []struct {
		name         string
		early, later run
	}{
		{"the later run changes a state", run{"2026-11-25 11:00", []string{k21 + "=up"}}, run{"2026-11-25 12:00", []string{k21 + "=timeout"}}},
		{"the later run is quiet", run{"2026-11-25 11:00", []string{k21 + "=timeout"}}, run{"2026-11-25 12:00", []string{k21 + "=up"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inOrder, reversed := t.TempDir(), t.TempDir()
			for _, dir := range []string{inOrder, reversed} {
				if _, _, err := appendRun(dir, first.results(t)); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range []run{tt.early, tt.later} {
				if _, _, err := appendRun(inOrder, r.results(t)); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := appendRun(reversed, tt.later.results(t)); err != nil {
				t.Fatal(err)
			}
			_, _, err := appendRun(reversed, tt.early.results(t))
			var se *StaleError
			if !errors.As(err, &se) {
				t.Fatalf("the earlier run recorded second: got %v, want a *StaleError", err)
			}
			want := tt.later.cells[0][len(k21)+1:]
			for name, dir := range map[string]string{"in order": inOrder, "reversed": reversed} {
				h, err := Read(dir)
				if err != nil {
					t.Fatal(err)
				}
				got := h.state[h.keyIndex[keyString(h.keys[0])]].state()
				if string(got) != want {
					t.Errorf("%s: the history ends in state %q, want the later run's %q", name, got, want)
				}
				if !h.LastRun().Equal(at(t, tt.later.at)) {
					t.Errorf("%s: LastRun() = %v, want %s", name, h.LastRun(), tt.later.at)
				}
			}
		})
	}
}

// TestLastRun: the later of last-run and the last line, whichever file is
// missing.
func TestLastRun(t *testing.T) {
	line := "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n"
	tests := []struct {
		name          string
		history, last string // "" for no file
		want          time.Time
	}{
		{"nothing", "", "", time.Time{}},
		{"a history without last-run", line, "", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)},
		{"last-run without a history", "", "2026-11-26T09:00:00Z\n", time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)},
		{"last-run later", line, "2026-11-25T11:00:00Z\n", time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)},
		{"the last line later (a crash between the two writes)", line, "2026-11-25T09:00:00Z\n", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, dir, FileName, tt.history)
			writeTestFile(t, dir, LastRunFile, tt.last)
			h, err := Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := h.LastRun(); !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("LastRun() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBadLastRun(t *testing.T) {
	for _, data := range []string{"", "\n", "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z\n\n", "2026-11-25T10:00:00+01:00\n", "2026-11-25 10:00:00Z\n", "yesterday\n"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, LastRunFile), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(dir)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != filepath.Join(dir, LastRunFile) || pe.Line != 1 {
			t.Errorf("last-run %q: got %v, want a *ParseError on line 1", data, err)
			continue
		}
		t.Log(err)
	}
	// A long file is shown cut.
	dir := t.TempDir()
	writeTestFile(t, dir, LastRunFile, string(bytes.Repeat([]byte("x"), 1000)))
	_, err := Read(dir)
	if want := filepath.Join(dir, LastRunFile) + `:1: bad last run "` + string(bytes.Repeat([]byte("x"), 40)) + `…": want one line, UTC to the second, like 2026-11-25T10:00:03Z`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
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

// TestWriteRemovesLeftovers: Write removes the temporary files of the
// history and of last-run that killed runs left, if older than the Read;
// newer ones (a write in flight) and other files stay.
func TestWriteRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	old, newer := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	for name, mt := range map[string]time.Time{
		".history.jsonl.123.tmp": old,
		".last-run.456.tmp":      old,
		".history.jsonl.789.tmp": newer,
		".results.json.1.tmp":    old,
	} {
		writeTestFile(t, dir, name, "part")
		if err := os.Chtimes(filepath.Join(dir, name), mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := appendRun(dir, run{"2026-11-25 10:00", []string{k21 + "=up"}}.results(t)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for name := range readAll(t, dir) {
		got = append(got, name)
	}
	slices.Sort(got)
	sameStrings(t, "files", got, []string{".history.jsonl.789.tmp", ".results.json.1.tmp", FileName, LastRunFile})
}
