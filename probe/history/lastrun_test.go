package history_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

// TestQuietRunIsTheLastRun: a quiet run writes not a byte of history.jsonl
// but its time to last-run, and a run older than it is then refused with a
// *StaleError that leaves both files as they were. (Before last-run, the
// older run was recorded: only the history's last line counted.)
func TestQuietRunIsTheLastRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, history.FileName)
	if _, _, err := appendRun(dir, run("2026-11-25 10:00", k21+"=up")); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := appendRun(dir, run("2026-11-25 11:00", k21+"=up")); err != nil || len(added) != 0 {
		t.Fatalf("quiet run: %v, added %q", err, shorts(added))
	}
	files := readAll(t, dir)
	if files[history.FileName] != string(before) {
		t.Errorf("a quiet run changed history.jsonl:\n%s", files[history.FileName])
	}
	if got, want := files[history.LastRunFile], "2026-11-25T11:00:00Z\n"; got != want {
		t.Errorf("last-run = %q, want %q", got, want)
	}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := at("2026-11-25 11:00"); !h.LastRun().Equal(want) {
		t.Errorf("LastRun() = %v, want %v", h.LastRun(), want)
	}

	_, err = h.Record(run("2026-11-25 10:30", k21+"=timeout"))
	var se *history.StaleError
	if !errors.As(err, &se) || !se.Run.Equal(at("2026-11-25 10:30")) || !se.Last.Equal(at("2026-11-25 11:00")) {
		t.Fatalf("Record of an older run: got %v, want a *history.StaleError", err)
	}
	if want := "results of 2026-11-25T10:30:00Z are older than the last run recorded, 2026-11-25T11:00:00Z"; err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	if after := readAll(t, dir); after[history.FileName] != files[history.FileName] || after[history.LastRunFile] != files[history.LastRunFile] || len(after) != 2 {
		t.Errorf("a refused run changed the folder: %q", after)
	}
}

// TestRunsInEitherOrder: two runs recorded in either order leave the history
// in the state of the later, and the earlier, when it comes second, is
// refused. Either run may be the quiet one.
func TestRunsInEitherOrder(t *testing.T) {
	tests := []struct {
		name         string
		early, later probe.State
	}{{"the later run changes a state", probe.Up, probe.Timeout}, {"the later run is quiet", probe.Timeout, probe.Up}}
	key := probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, early, later := run("2026-11-25 10:00", k21+"=up"), run("2026-11-25 11:00", k21+"="+string(tt.early)), run("2026-11-25 12:00", k21+"="+string(tt.later))
			inOrder, reversed := t.TempDir(), t.TempDir()
			for _, step := range []struct {
				dir string
				r   probe.Results
			}{{inOrder, first}, {inOrder, early}, {inOrder, later}, {reversed, first}, {reversed, later}} {
				if _, _, err := appendRun(step.dir, step.r); err != nil {
					t.Fatal(err)
				}
			}
			var se *history.StaleError
			if _, _, err := appendRun(reversed, early); !errors.As(err, &se) {
				t.Fatalf("the earlier run recorded second: got %v, want a *history.StaleError", err)
			}
			for _, dir := range []string{inOrder, reversed} {
				h, err := history.Read(dir)
				if err != nil {
					t.Fatal(err)
				}
				if got := h.Stats(later.Finished)[key].State; got != tt.later || !h.LastRun().Equal(later.Finished) {
					t.Errorf("%s: the history ends in state %q at %v, want the later run's %q at %v", dir, got, h.LastRun(), tt.later, later.Finished)
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
			writeTestFile(t, dir, history.FileName, tt.history)
			writeTestFile(t, dir, history.LastRunFile, tt.last)
			h, err := history.Read(dir)
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
	long := strings.Repeat("x", 1000)
	for _, data := range []string{"\n", "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z\n\n", "2026-11-25T10:00:00+01:00\n", "2026-11-25 10:00:00Z\n", "yesterday\n", long} {
		t.Run(data[:min(len(data), 20)], func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, dir, history.LastRunFile, data)
			_, err := history.Read(dir)
			shown := strings.Replace(data, long, long[:40]+"…", 1)
			want := fmt.Sprintf("%s:1: bad last run %q: want one line, UTC to the second, like 2026-11-25T10:00:03Z", filepath.Join(dir, history.LastRunFile), shown)
			var pe *history.ParseError
			if !errors.As(err, &pe) || err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
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
	if _, _, err := appendRun(dir, run("2026-11-25 10:00", k21+"=up")); err != nil {
		t.Fatal(err)
	}
	var got []string
	for name := range readAll(t, dir) {
		got = append(got, name)
	}
	slices.Sort(got)
	sameStrings(t, "files", got, []string{".history.jsonl.789.tmp", ".results.json.1.tmp", history.FileName, history.LastRunFile})
}
