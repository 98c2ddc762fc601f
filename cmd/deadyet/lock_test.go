package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
)

func skipWithoutFlock(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skipf("no file locks on %s: no lock is taken", runtime.GOOS)
	}
}

// holdLock takes the lock of path for the test, as a run would.
func holdLock(t *testing.T, path string) (unlock func() error) {
	t.Helper()
	l, err := takeLock(context.Background(), quiet, path, "test lock", "deadyet test", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Unlock() })
	return l.Unlock
}

// TestLockBusySaysWho: a run that finds the history or the site locked
// waits --lock-wait, then exits 1 with one line that says which run holds
// the lock, and writes nothing.
func TestLockBusySaysWho(t *testing.T) {
	skipWithoutFlock(t)
	opts := renderInputs(t, probe.Up)
	clockAt(t, time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)) // the results' hour
	dir := filepath.Dir(opts.Config)
	hist := filepath.Join(dir, "data")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, lock, what string
		args             []string
	}{
		{"build, history", filepath.Join(hist, ".lock"), fmt.Sprintf("history folder %q", hist),
			[]string{"build", "--config", opts.Config, "--results", opts.Results[0], "--news", opts.News, "--history", hist, "--out", opts.Out, "--lock-wait", "100ms"}},
		{"build, site", siteLockPath(opts.Out), fmt.Sprintf("site folder %q", opts.Out),
			[]string{"build", "--config", opts.Config, "--results", opts.Results[0], "--news", opts.News, "--history", hist, "--out", opts.Out, "--lock-wait", "100ms"}},
		{"render", siteLockPath(opts.Out), fmt.Sprintf("site folder %q", opts.Out),
			[]string{"render", "--config", opts.Config, "--results", opts.Results[0], "--news", opts.News, "--out", opts.Out, "--lock-wait", "0s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			unlock := holdLock(t, tt.lock)
			var holder lockHolder
			data, _ := os.ReadFile(tt.lock)
			if err := json.Unmarshal(data, &holder); err != nil || holder.PID != os.Getpid() || holder.Command != "deadyet test" || holder.Started.IsZero() {
				t.Fatalf("lock file %q (%v): want this pid, command and start", data, err)
			}
			before := filesOf(t, dir)
			ios, stdout, stderr := testIO()
			code := run(context.Background(), tt.args, ios)
			unlock()
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			who := fmt.Sprintf("pid %d (deadyet test, started %s)", os.Getpid(), holder.Started.Format(time.RFC3339))
			want := tt.what + " is locked by another run, " + who + "; gave up after "
			if code != 1 || stdout.Len() != 0 || !strings.HasPrefix(lines[len(lines)-1], want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and a last line starting %q", code, stdout, stderr, want)
			}
			if len(lines) == 2 && !strings.HasPrefix(lines[0], tt.what+" is locked by another run, "+who+"; waiting up to 100ms") {
				t.Errorf("first line %q: want it to say it waits", lines[0])
			}
			after := filesOf(t, dir)
			for name := range after {
				if isLockFile(name) {
					delete(after, name)
				}
			}
			for name := range before {
				if isLockFile(name) {
					delete(before, name)
				}
			}
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Errorf("files changed:\n%v\nwere\n%v", after, before)
			}
		})
	}

	ios, _, stderr := testIO()
	if code := run(context.Background(), []string{"render", "--config", opts.Config, "--results", opts.Results[0], "--out", opts.Out, "--lock-wait", "-1s"}, ios); code != 2 ||
		stderr.String() != "--lock-wait -1s: want 0 (do not wait) or more\n" {
		t.Errorf("a negative --lock-wait: exit %d, %q", code, stderr)
	}
}

// TestLockWaitsForHolder: a second build waits for the first to release
// the history's lock, then runs.
func TestLockWaitsForHolder(t *testing.T) {
	skipWithoutFlock(t)
	opts := renderInputs(t, probe.Up)
	clockAt(t, time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)) // the results' hour
	hist := filepath.Join(filepath.Dir(opts.Config), "data")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock := holdLock(t, filepath.Join(hist, historyLockName))
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- buildRun(context.Background(), &BuildOptions{IO: &IOStreams{Out: io.Discard, ErrOut: w}, Config: opts.Config,
			Results: opts.Results, News: opts.News, History: hist, Out: opts.Out, LockWait: time.Minute})
		w.Close()
	}()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || !strings.Contains(line, "waiting up to 1m0s") {
		t.Fatalf("stderr %q (%v): want it to say it waits", line, err)
	}
	unlock()
	go io.Copy(io.Discard, r)
	if err := <-done; err != nil {
		t.Fatalf("the waiting build: %v", err)
	}
	if _, err := os.Stat(filepath.Join(opts.Out, "index.html")); err != nil {
		t.Error(err)
	}
}

// TestConcurrentBuilds: ten pairs of builds at once on one history and
// site, from results an hour apart that both change it. The history and
// the site end in the newer run's state; the older run ran first or was
// refused (exit 2).
func TestConcurrentBuilds(t *testing.T) {
	skipWithoutFlock(t)
	opts := renderInputs(t, probe.Up)
	dir := filepath.Dir(opts.Config)
	hist := filepath.Join(dir, "data")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	base, err := results.Read(opts.Results[0])
	if err != nil {
		t.Fatal(err)
	}
	// A cell's state cycles through three, so that each run of a pair
	// changes it from the state the pair starts with, and from each other.
	cycle := []probe.State{probe.Up, probe.Timeout, probe.Refused}
	cell := probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "tcp443"}
	write := func(name string, at time.Time, s probe.State) string {
		r := base
		r.Started, r.Finished = at.Add(-time.Second), at
		r.Results = append([]probe.Result(nil), base.Results...)
		for i := range r.Results {
			if probe.KeyOf(r.Results[i]) == cell {
				r.Results[i].State = s
			}
		}
		path := filepath.Join(dir, name)
		if err := results.Write(path, r); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// The child processes go by the real clock: results of the last day.
	start := time.Now().Add(-20 * time.Hour).Truncate(time.Second)
	last := 0 // the cycle's state the history ends in
	ran := map[string]int{}
	for pair := range 10 {
		older, newer := start.Add(time.Duration(2*pair)*time.Hour), start.Add(time.Duration(2*pair+1)*time.Hour)
		a := write(fmt.Sprintf("older-%d.json", pair), older, cycle[(last+1)%3])
		b := write(fmt.Sprintf("newer-%d.json", pair), newer, cycle[(last+2)%3])
		last = (last + 2) % 3
		var wg sync.WaitGroup
		codes := make([]int, 2)
		outs := make([]string, 2)
		for i, res := range []string{a, b} {
			cmd := deadyetChild(t, dir, "build", "--config", opts.Config, "--results", res, "--news", opts.News, "--history", hist, "--out", opts.Out)
			wg.Go(func() {
				out, err := cmd.CombinedOutput()
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					codes[i] = ee.ExitCode()
				} else if err != nil {
					codes[i] = -1
				}
				outs[i] = string(out)
			})
		}
		wg.Wait()
		if codes[1] != 0 || (codes[0] != 0 && codes[0] != 2) {
			t.Fatalf("pair %d: exit %v, want the newer 0 and the older 0 or 2 (refused as older)\nolder: %s\nnewer: %s", pair, codes, outs[0], outs[1])
		}
		if codes[0] == 0 {
			ran["older first"]++
		} else {
			ran["older refused"]++
		}
		h, err := history.Read(hist)
		if err != nil {
			t.Fatal(err)
		}
		st := h.Stats(newer)[cell]
		if st.State != cycle[last] {
			t.Fatalf("pair %d: the history ends with %s in state %s, want the newer run's %s (exits %v)", pair, cell, st.State, cycle[last], codes)
		}
		var status struct {
			Started time.Time `json:"started"`
		}
		data, err := os.ReadFile(filepath.Join(opts.Out, "status.json"))
		if err != nil || json.Unmarshal(data, &status) != nil || !status.Started.Equal(newer.Add(-time.Second)) {
			t.Fatalf("pair %d: the site shows the run started %v (%v), want the newer, %v", pair, status.Started, err, newer.Add(-time.Second))
		}
	}
	t.Logf("orders seen: %v", ran)
}
