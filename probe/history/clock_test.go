package history_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

const (
	pastLines = "{\"t\":\"2026-11-25T10:00:00Z\",\"heartbeat\":true}\n" +
		"{\"t\":\"2026-11-25T10:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"\",\"to\":\"up\"}\n" +
		"{\"t\":\"2026-11-25T11:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"up\",\"to\":\"timeout\"}\n"
	futureLines = "{\"t\":\"9999-01-01T00:00:00Z\",\"heartbeat\":true}\n" +
		"{\"t\":\"9999-01-01T00:00:00Z\",\"group\":\"bn2\",\"address\":\"127.0.2.1\",\"check\":\"msnp21\",\"from\":\"timeout\",\"to\":\"up\"}\n"
)

// TestReadAtFuture: a history holding a time after the clock (and its
// skew) is refused by history.ReadAt with the file, the first such line and the
// repair; history.Read, which has no clock, reads it.
func TestReadAtFuture(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, history, last string
		want                string // "" for no error; FILE is the file named
	}{
		{"the past", pastLines, "2026-12-03T11:00:00Z\n", ""},
		{"within the skew", pastLines + "{\"t\":\"2026-12-03T12:10:00Z\",\"heartbeat\":true}\n", "2026-12-03T12:10:00Z\n", ""},
		{"a future line", pastLines + futureLines, "",
			"HISTORY:4: time 9999-01-01T00:00:00Z is more than 10m after this machine's clock, 2026-12-03T12:00:00Z: a clock is wrong; drop the times after now with: deadyet history trim --history DIR --after now"},
		{"just past the skew", pastLines + "{\"t\":\"2026-12-03T12:10:01Z\",\"heartbeat\":true}\n", "",
			"HISTORY:4: time 2026-12-03T12:10:01Z is more than 10m after this machine's clock, 2026-12-03T12:00:00Z: a clock is wrong; drop the times after now with: deadyet history trim --history DIR --after now"},
		{"a future last run", pastLines, "9999-01-01T00:00:00Z\n",
			"LASTRUN:1: time 9999-01-01T00:00:00Z is more than 10m after this machine's clock, 2026-12-03T12:00:00Z: a clock is wrong; drop the times after now with: deadyet history trim --history DIR --after now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, dir, history.FileName, tt.history)
			writeTestFile(t, dir, history.LastRunFile, tt.last)
			if _, err := history.Read(dir); err != nil {
				t.Fatalf("Read: %v", err)
			}
			h, err := history.ReadAt(dir, now)
			if tt.want == "" {
				if err != nil || h == nil {
					t.Fatalf("ReadAt: %v", err)
				}
				return
			}
			want := strings.NewReplacer("HISTORY", filepath.Join(dir, history.FileName), "LASTRUN", filepath.Join(dir, history.LastRunFile), "DIR", dir).Replace(tt.want)
			var pe *history.ParseError
			var fe *probe.FutureError
			if !errors.As(err, &pe) || !errors.As(err, &fe) || h != nil {
				t.Fatalf("got %v, want a *history.ParseError wrapping a *probe.FutureError", err)
			}
			if err.Error() != want {
				t.Errorf("got  %s\nwant %s", err, want)
			}
		})
	}
}

// TestTrim: the lines and the last run after the time go, those at or
// before it stay byte for byte, and the history then reads and records
// again. A second history.Trim removes nothing, which is what makes it safe to run
// again after a crash.
func TestTrim(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, history, last string
		after               time.Time
		removed             int
		wantHistory         string
		wantLast            string // "" for no file
	}{
		{"future lines and last run", pastLines + futureLines, "9999-01-01T00:00:00Z\n", now, 2, pastLines, ""},
		{"future last run only", pastLines, "9999-01-01T00:00:00Z\n", now, 0, pastLines, ""},
		{"nothing after", pastLines, "2026-11-25T11:00:00Z\n", now, 0, pastLines, "2026-11-25T11:00:00Z\n"},
		{"a line at the time stays", pastLines, "", time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC), 0, pastLines, ""},
		{"to the second", pastLines, "2026-11-25T11:00:00Z\n", time.Date(2026, 11, 25, 10, 59, 59, 999, time.UTC), 1,
			strings.Join(strings.SplitAfter(pastLines, "\n")[:2], ""), ""},
		{"everything", pastLines, "", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 3, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, dir, history.FileName, tt.history)
			writeTestFile(t, dir, history.LastRunFile, tt.last)
			n, err := history.Trim(dir, tt.after)
			if err != nil || n != tt.removed {
				t.Fatalf("history.Trim = %d, %v; want %d removed", n, err, tt.removed)
			}
			files := readAll(t, dir)
			if files[history.FileName] != tt.wantHistory || files[history.LastRunFile] != tt.wantLast {
				t.Errorf("after Trim: %q\nwant history %q, last-run %q", files, tt.wantHistory, tt.wantLast)
			}
			if len(files) != 1+min(len(tt.wantLast), 1) {
				t.Errorf("files in the folder: %q", files)
			}
			if n, err := history.Trim(dir, tt.after); n != 0 || err != nil {
				t.Errorf("a second Trim: %d, %v", n, err)
			}
			if again := readAll(t, dir); again[history.FileName] != files[history.FileName] || len(again) != len(files) {
				t.Errorf("a second history.Trim changed the folder: %q", again)
			}
			// The repaired history reads and takes a run of now.
			if _, _, err := appendRun(dir, run("2026-12-03 12:00", k21+"=up")); err != nil {
				t.Fatalf("recording after Trim: %v", err)
			}
			if _, err := history.ReadAt(dir, now); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestTrimAfterCrash: a crash between history.Trim's two steps leaves the history
// trimmed and last-run in the future. history.ReadAt reports last-run, and history.Trim
// run again finishes the repair.
func TestTrimAfterCrash(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	writeTestFile(t, dir, history.FileName, pastLines) // trimmed already
	writeTestFile(t, dir, history.LastRunFile, "9999-01-01T00:00:00Z\n")
	_, err := history.ReadAt(dir, now)
	var pe *history.ParseError
	if !errors.As(err, &pe) || pe.File != filepath.Join(dir, history.LastRunFile) {
		t.Fatalf("got %v, want the future last-run named", err)
	}
	if n, err := history.Trim(dir, now); n != 0 || err != nil {
		t.Fatalf("history.Trim = %d, %v", n, err)
	}
	if _, err := history.ReadAt(dir, now); err != nil {
		t.Fatal(err)
	}
}

// TestTrimRefusesBadHistory: history.Trim reads as strictly as history.Read and changes
// nothing of a history it cannot read.
func TestTrimRefusesBadHistory(t *testing.T) {
	dir := t.TempDir()
	bad := pastLines + "{\"t\":\"9999-01-01T00:00:00Z\"\n"
	writeTestFile(t, dir, history.FileName, bad)
	_, err := history.Trim(dir, time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	var pe *history.ParseError
	if !errors.As(err, &pe) || pe.Line != 4 {
		t.Fatalf("got %v, want a *history.ParseError on line 4", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, history.FileName)); string(data) != bad {
		t.Errorf("history.Trim changed a history it could not read")
	}
}
