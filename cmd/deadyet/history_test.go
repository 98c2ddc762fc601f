package main

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe/history"
)

// clockAt sets the clock of the checks of results' times for the test.
func clockAt(t *testing.T, at time.Time) {
	old := clock
	clock = func() time.Time { return at }
	t.Cleanup(func() { clock = old })
}

func TestHistoryTrim(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	floor, soon := history.Floor, now.Add(10*time.Minute)
	file := filepath.Join(dir, history.FileName)
	type call struct{ from, to time.Time }
	for _, tt := range []struct {
		name   string
		opts   HistoryTrimOptions
		trim   error // what trim returns
		code   int
		called *call
		want   string // stdout, or the error
	}{
		{"now", HistoryTrimOptions{History: dir, After: "now"}, nil, 0, &call{floor, now},
			"history: " + file + ", 3 lines removed (stamped before 2000-01-01T00:00:00Z or after 2026-11-25T10:00:00Z)\n"},
		{"a time", HistoryTrimOptions{History: dir, After: "2026-11-24T09:00:03+01:00"}, nil, 0, &call{floor, time.Date(2026, 11, 24, 8, 0, 3, 0, time.UTC)},
			"history: " + file + ", 3 lines removed (stamped before 2000-01-01T00:00:00Z or after 2026-11-24T08:00:03Z)\n"},
		{"after the clock: the clock", HistoryTrimOptions{History: dir, After: "9999-01-01T00:00:00Z"}, nil, 0, &call{floor, soon},
			"history: " + file + ", 3 lines removed (stamped before 2000-01-01T00:00:00Z or after 2026-11-25T10:10:00Z)\n"},
		{"before", HistoryTrimOptions{History: dir, Before: "2026-11-01T00:00:00Z"}, nil, 0, &call{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), soon},
			"history: " + file + ", 3 lines removed (stamped before 2026-11-01T00:00:00Z or after 2026-11-25T10:10:00Z)\n"},
		{"before the floor: the floor", HistoryTrimOptions{History: dir, Before: "1970-01-01T00:00:00Z", After: "now"}, nil, 0, &call{floor, now},
			"history: " + file + ", 3 lines removed (stamped before 2000-01-01T00:00:00Z or after 2026-11-25T10:00:00Z)\n"},
		{"bad time", HistoryTrimOptions{History: dir, After: "yesterday"}, nil, 2, nil,
			`--after "yesterday": want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"a date alone", HistoryTrimOptions{History: dir, Before: "2026-11-24"}, nil, 2, nil,
			`--before "2026-11-24": want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"no time", HistoryTrimOptions{History: dir}, nil, 2, nil,
			`history trim needs --after TIME: an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`},
		{"no folder", HistoryTrimOptions{After: "now"}, nil, 2, nil,
			`history trim needs --history DIR, the history's folder (see "deadyet history trim --help")`},
		{"missing folder", HistoryTrimOptions{History: filepath.Join(dir, "nope"), After: "now"}, nil, 2, nil,
			`history folder "` + filepath.Join(dir, "nope") + `": no such folder`},
		{"a bad line", HistoryTrimOptions{History: dir, After: "now"}, &history.ParseError{File: "h.jsonl", Line: 3, Msg: "bad"}, 2, &call{floor, now},
			"h.jsonl:3: bad"},
		{"a failed write", HistoryTrimOptions{History: dir, After: "now"}, errors.New("disk full"), 1, &call{floor, now},
			"disk full"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, stdout, _ := testIO()
			opts := tt.opts
			opts.IO = ios
			var got *call
			err := historyTrim(context.Background(), &opts, now, func(_ context.Context, d string, from, to time.Time) (history.Trimmed, error) {
				got = &call{from, to}
				return history.Trimmed{Removed: 3}, tt.trim
			})
			if code := exitCode(err); code != tt.code {
				t.Errorf("exit %d (%v), want %d", code, err, tt.code)
			}
			if err != nil && err.Error() != tt.want || err == nil && stdout.String() != tt.want {
				t.Errorf("err %v, stdout %q; want %q", err, stdout, tt.want)
			}
			if (got == nil) != (tt.called == nil) || got != nil && (!got.from.Equal(tt.called.from) || !got.to.Equal(tt.called.to)) {
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
	unlock := holdLock(t, filepath.Join(dir, historyLockName))
	ios, _, stderr := testIO()
	err := historyTrim(context.Background(), &HistoryTrimOptions{IO: ios, History: dir, After: "now"}, time.Now(),
		func(context.Context, string, time.Time, time.Time) (history.Trimmed, error) {
			t.Error("trimmed a locked history")
			return history.Trimmed{}, nil
		})
	unlock()
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
	cmd.SetArgs([]string{"trim", "--history", "data", "--after", "now", "--before", "2000-01-01T00:00:00Z", "--lock-wait", "5s"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.History != "data" || got.After != "now" || got.Before != "2000-01-01T00:00:00Z" || got.LockWait != 5*time.Second || got.IO != quiet {
		t.Errorf("options %+v", got)
	}
}

// TestHistoryTrimStops: a trim interrupted while it reads stops at once,
// and the folder is as it was.
func TestHistoryTrimStops(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for d := range 20000 {
		b.WriteString(`{"t":"` + history.Floor.AddDate(0, 0, d).Format(time.RFC3339) + `","heartbeat":true}` + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, history.FileName), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	before := filesOf(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	var took time.Duration
	err := historyTrim(ctx, &HistoryTrimOptions{IO: quiet, History: dir, After: "2026-01-01T00:00:00Z"}, time.Now(),
		func(ctx context.Context, dir string, from, to time.Time) (history.Trimmed, error) {
			cancel() // Ctrl-C, while trimming
			defer func(t0 time.Time) { took = time.Since(t0) }(time.Now())
			return history.Trim(ctx, dir, from, to)
		})
	if !errors.Is(err, context.Canceled) || took > time.Second {
		t.Errorf("got %v after %v, want context.Canceled within a second", err, took)
	}
	after := filesOf(t, dir)
	delete(after, historyLockName)
	if !maps.Equal(before, after) {
		t.Errorf("an interrupted trim changed the folder: %d files, history %d bytes", len(after), len(after[history.FileName]))
	}
}

// TestRepairYear0001: results stamped in year 1 are refused, and a history
// that took them before is refused too, naming the repair; the repair named
// gives the history a build from nothing gives.
func TestRepairYear0001(t *testing.T) {
	dir := t.TempDir()
	data, clean := filepath.Join(dir, "data"), filepath.Join(dir, "clean")
	for _, d := range []string{data, clean} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	build := func(hist string, results string) error {
		return buildRun(context.Background(), &BuildOptions{Config: "../../site.toml", News: "../../news", Out: filepath.Join(dir, "public-"+filepath.Base(hist)),
			History: hist, Results: []string{results}, IO: quiet})
	}
	// What a build of results of year 1 wrote before there was a floor.
	earlier := time.Now().Add(-time.Minute)
	if err := build(clean, fixtureResults(t, dir, earlier)); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(filepath.Join(clean, history.FileName))
	poisoned := strings.ReplaceAll(string(good), earlier.UTC().Format(time.RFC3339), "0001-01-01T00:00:05Z")
	if err := os.WriteFile(filepath.Join(data, history.FileName), []byte(poisoned), 0o644); err != nil {
		t.Fatal(err)
	}

	old := fixtureResults(t, dir, time.Date(1, 1, 1, 0, 0, 5, 0, time.UTC))
	before := filesOf(t, dir)
	err := build(data, old)
	if msg := errorText(err); exitCode(err) != 2 || strings.Contains(msg, "\n") || !strings.HasSuffix(msg, ": a clock is wrong") ||
		!strings.HasPrefix(msg, old+": started 0001-01-01T00:00:02Z, more than a day before this machine's clock, ") {
		t.Errorf("results of year 1: exit %d, %v", exitCode(err), err)
	}
	if after := filesOf(t, dir); !maps.Equal(before, after) {
		t.Error("refused results changed the folder")
	}

	now := fixtureResults(t, dir, time.Now())
	err = build(data, now)
	_, repair, ok := strings.Cut(errorText(err), "with: deadyet ")
	if exitCode(err) != 2 || !ok || !strings.HasPrefix(err.Error(), filepath.Join(data, history.FileName)+":1: time 0001-01-01T00:00:05Z is before 2000-01-01") {
		t.Fatalf("the poisoned history: exit %d, %v", exitCode(err), err)
	}
	ios, stdout, _ := testIO()
	if code := run(context.Background(), strings.Fields(repair), ios); code != 0 {
		t.Fatalf("%s: exit %d", repair, code)
	}
	t.Logf("%s:\n%s", repair, stdout)
	if err := build(data, now); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(clean, history.FileName)); err != nil {
		t.Fatal(err)
	}
	if err := build(clean, now); err != nil {
		t.Fatal(err)
	}
	repaired, _ := os.ReadFile(filepath.Join(data, history.FileName))
	fresh, _ := os.ReadFile(filepath.Join(clean, history.FileName))
	if string(repaired) != string(fresh) {
		t.Errorf("repaired history:\n%.300s\nwant what a build from nothing writes:\n%.300s", repaired, fresh)
	}
	a, b := dirSize(t, filepath.Join(dir, "public-data")), dirSize(t, filepath.Join(dir, "public-clean"))
	if a > b+b/100 {
		t.Errorf("the site of the repaired history is %d bytes, a fresh one %d", a, b)
	}
}

func dirSize(t *testing.T, dir string) (n int) {
	t.Helper()
	for _, data := range filesOf(t, dir) {
		n += len(data)
	}
	return n
}
