package history_test

import (
	"context"
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
// skew) is refused by ReadAt with the file, the first such line and the
// repair; Read, which has no clock, reads it.
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

// TestTrim: the lines out of the window go, into a copy, those in it stay
// byte for byte unless a key's "from" must follow what is left, and the
// history then reads and records again. A second Trim removes nothing,
// which makes it safe to run again after a crash.
func TestTrim(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	past := strings.SplitAfter(pastLines, "\n")
	line := func(at, from, to string) string {
		return `{"t":"` + at + `","group":"bn2","address":"127.0.2.1","check":"msnp21","from":"` + from + `","to":"` + to + `"}` + "\n"
	}
	year1 := "{\"t\":\"0001-01-01T00:00:05Z\",\"heartbeat\":true}\n" + line("0001-01-01T00:00:05Z", "", "up")
	tests := []struct {
		name, history, last string
		from, to            time.Time
		removed             int
		wantHistory         string
		wantLast            string // "" for no file
		wantCopy            string // "" for none
	}{
		{"future lines and last run", pastLines + futureLines, "9999-01-01T00:00:00Z\n", history.Floor, now, 2, pastLines, "", futureLines},
		{"future last run only", pastLines, "9999-01-01T00:00:00Z\n", history.Floor, now, 0, pastLines, "", ""},
		{"nothing out", pastLines, "2026-11-25T11:00:00Z\n", history.Floor, now, 0, pastLines, "2026-11-25T11:00:00Z\n", ""},
		{"a line at the time stays", pastLines, "", history.Floor, time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC), 0, pastLines, "", ""},
		{"to the second", pastLines, "2026-11-25T11:00:00Z\n", history.Floor, time.Date(2026, 11, 25, 10, 59, 59, 999, time.UTC), 1,
			past[0] + past[1], "", past[2]},
		{"everything", pastLines, "", history.Floor, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 3, "", "", pastLines},
		{"before a time", pastLines, "", time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC), now, 2,
			line("2026-11-25T11:00:00Z", "", "timeout"), "", past[0] + past[1]},
		{"year 1, before the floor", year1 + past[0] + past[2], "", history.Floor, now, 2,
			past[0] + line("2026-11-25T11:00:00Z", "", "timeout"), "", year1},
		{"a future line amid others", past[0] + past[1] + line("9999-01-01T00:00:00Z", "up", "timeout") + line("2026-11-25T12:00:00Z", "timeout", "refused"), "", history.Floor, now, 1,
			past[0] + past[1] + line("2026-11-25T12:00:00Z", "up", "refused"), "", line("9999-01-01T00:00:00Z", "up", "timeout")},
		{"a last line cut off", pastLines + `{"t":"2026-11-25T12:00:00Z","heart`, "", history.Floor, now, 0,
			pastLines, "", `{"t":"2026-11-25T12:00:00Z","heart` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, dir, history.FileName, tt.history)
			writeTestFile(t, dir, history.LastRunFile, tt.last)
			done, err := history.Trim(context.Background(), dir, tt.from, tt.to)
			if err != nil || done.Removed != tt.removed || done.CutOff != strings.HasSuffix(tt.history, "heart") {
				t.Fatalf("Trim = %+v, %v; want %d removed", done, err, tt.removed)
			}
			files := readAll(t, dir)
			copied := files[filepath.Base(done.Copy)]
			if files[history.FileName] != tt.wantHistory || files[history.LastRunFile] != tt.wantLast || copied != tt.wantCopy {
				t.Errorf("after Trim: %q\nwant history %q, last-run %q, copy %q", files, tt.wantHistory, tt.wantLast, tt.wantCopy)
			}
			if again, err := history.Trim(context.Background(), dir, tt.from, tt.to); again != (history.Trimmed{}) || err != nil || len(readAll(t, dir)) != len(files) {
				t.Errorf("a second Trim: %+v, %v", again, err)
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

// TestTrimRefusesBadHistory: Trim reads as strictly as Read and changes
// nothing of a history it cannot read.
func TestTrimRefusesBadHistory(t *testing.T) {
	dir := t.TempDir()
	bad := pastLines + "{\"t\":\"9999-01-01T00:00:00Z\"\n"
	writeTestFile(t, dir, history.FileName, bad)
	_, err := history.Trim(context.Background(), dir, history.Floor, time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC))
	var pe *history.ParseError
	if !errors.As(err, &pe) || pe.Line != 4 {
		t.Fatalf("got %v, want a *history.ParseError on line 4", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, history.FileName)); string(data) != bad {
		t.Errorf("Trim changed a history it could not read")
	}
}
