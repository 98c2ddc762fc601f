package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe/history"
)

func TestHistoryTrim(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	type call struct {
		dir   string
		after time.Time
	}
	for _, tt := range []struct {
		name   string
		opts   HistoryTrimOptions
		trim   error // what trim returns
		code   int
		called *call
		want   string // stdout, or the error
	}{
		{"now", HistoryTrimOptions{History: dir, After: "now"}, nil, 0, &call{dir, now},
			"history: " + filepath.Join(dir, history.FileName) + ", 3 lines removed (stamped after 2026-11-25T10:00:00Z)\n"},
		{"a time", HistoryTrimOptions{History: dir, After: "2026-11-24T09:00:03+01:00"}, nil, 0, &call{dir, time.Date(2026, 11, 24, 8, 0, 3, 0, time.UTC)},
			"history: " + filepath.Join(dir, history.FileName) + ", 3 lines removed (stamped after 2026-11-24T08:00:03Z)\n"},
		{"bad time", HistoryTrimOptions{History: dir, After: "yesterday"}, nil, 2, nil,
			`--after "yesterday": want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"a date alone", HistoryTrimOptions{History: dir, After: "2026-11-24"}, nil, 2, nil,
			`--after "2026-11-24": want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"no time", HistoryTrimOptions{History: dir}, nil, 2, nil,
			`history trim needs --after TIME: an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"no folder", HistoryTrimOptions{After: "now"}, nil, 2, nil,
			`history trim needs --history DIR, the history's folder (see "deadyet history trim --help")`},
		{"missing folder", HistoryTrimOptions{History: filepath.Join(dir, "nope"), After: "now"}, nil, 2, nil,
			`history folder "` + filepath.Join(dir, "nope") + `": no such folder`},
		{"a bad line", HistoryTrimOptions{History: dir, After: "now"}, &history.ParseError{File: "h.jsonl", Line: 3, Msg: "bad"}, 2, &call{dir, now},
			"h.jsonl:3: bad"},
		{"a failed write", HistoryTrimOptions{History: dir, After: "now"}, errors.New("disk full"), 1, &call{dir, now},
			"disk full"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, stdout, _ := testIO()
			opts := tt.opts
			opts.IO = ios
			var got *call
			err := historyTrim(context.Background(), &opts, now, func(dir string, after time.Time) (int, error) {
				got = &call{dir, after}
				return 3, tt.trim
			})
			if code := exitCode(err); code != tt.code {
				t.Errorf("exit %d (%v), want %d", code, err, tt.code)
			}
			if err != nil && err.Error() != tt.want || err == nil && stdout.String() != tt.want {
				t.Errorf("err %v, stdout %q; want %q", err, stdout, tt.want)
			}
			if (got == nil) != (tt.called == nil) || got != nil && (got.dir != tt.called.dir || !got.after.Equal(tt.called.after)) {
				t.Errorf("trim called with %+v, want %+v", got, tt.called)
			}
		})
	}
}

// TestHistoryTrimLocks: trim waits for the history's lock like a build,
// and gives up saying who holds it.
func TestHistoryTrimLocks(t *testing.T) {
	skipWithoutFlock(t)
	dir := t.TempDir()
	l := holdLock(t, filepath.Join(dir, historyLockName))
	ios, _, stderr := testIO()
	err := historyTrim(context.Background(), &HistoryTrimOptions{IO: ios, History: dir, After: "now"}, time.Now(),
		func(string, time.Time) (int, error) { t.Error("trimmed a locked history"); return 0, nil })
	l.unlock()
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "is locked by another run, pid ") || stderr.Len() != 0 {
		t.Errorf("err %v, stderr %q: want exit 1 saying who holds the lock, and no wait", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, history.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("history file: %v", err)
	}
}

func TestNewCmdHistoryTrim(t *testing.T) {
	var got *HistoryTrimOptions
	cmd := NewCmdHistory(quiet, func(_ context.Context, o *HistoryTrimOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"trim", "--history", "data", "--after", "now", "--lock-wait", "5s"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.History != "data" || got.After != "now" || got.LockWait != 5*time.Second || got.IO != quiet {
		t.Errorf("options %+v", got)
	}
}
