package history_test

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe/history"
)

// TestQuietRunIsTheLastRun: a quiet run writes not a byte of history.jsonl
// but its time to last-run, and a run older than it is then refused with a
// *StaleError that leaves both files as they were.
func TestQuietRunIsTheLastRun(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := appendRun(dir, run("2026-11-25 10:00", k21+"=up")); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, dir)
	if _, added, err := appendRun(dir, run("2026-11-25 11:00", k21+"=up")); err != nil || len(added) != 0 {
		t.Fatalf("quiet run: %v, added %q", err, shorts(added))
	}
	files := readAll(t, dir)
	if files[history.FileName] != before[history.FileName] || files[history.LastRunFile] != "2026-11-25T11:00:00Z\n" {
		t.Errorf("after a quiet run: %q", files)
	}
	_, _, err := appendRun(dir, run("2026-11-25 10:30", k21+"=timeout"))
	if want := "results of 2026-11-25T10:30:00Z are older than the last run recorded, 2026-11-25T11:00:00Z"; err == nil || err.Error() != want {
		t.Fatalf("Record of an older run: got %v, want %s", err, want)
	}
	if after := readAll(t, dir); !maps.Equal(after, files) {
		t.Errorf("a refused run changed the folder: %q", after)
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
