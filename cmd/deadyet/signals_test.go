package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// childEnv makes TestMain run main instead of the tests: the test binary
// re-executed is deadyet, with its own signals.
const childEnv = "DEADYET_TEST_CHILD"

// deadyetChild is the command deadyet args, run by this test binary.
func deadyetChild(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	// Under -race, a process otherwise sleeps a second as it exits, to
	// let other goroutines report.
	cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE=atexit_sleep_ms=0")
	return cmd
}

// TestSignalStopsRun: SIGINT and SIGTERM stop a build or a probe in the
// middle of its probe (the servers are silent and the timeout 30s) within
// a second, with exit status 130 or 143 and one line saying so; the site,
// the history and results.json stay byte for byte as they were.
func TestSignalStopsRun(t *testing.T) {
	fleet, err := msntest.StartFleet("127.0.90.1", msntest.Ports{}, []msntest.Spec{
		{Group: "g", Count: 4, Behavior: msntest.Behavior{Kind: msntest.Silent}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFleet(t, fleet) })
	var servers strings.Builder
	for _, s := range fleet.Servers {
		fmt.Fprintf(&servers, "  { address = %q },\n", s.Addr)
	}
	config := fmt.Sprintf(`[probe]
timeout = "30s"
attempts = 1

[checks.msnp21]
kind = "msnp"
version = "MSNP21"
port = %d

[[group]]
name = "g"
checks = ["msnp21"]
servers = [
%s]
`, fleet.Ports.Direct, servers.String())

	for _, tt := range []struct {
		sig    syscall.Signal
		status int
		args   []string
	}{
		{syscall.SIGINT, 130, []string{"build", "--config", "site.toml", "--news", "", "--history", "data", "--out", "public"}},
		// a folder to make for --out is made before the probe, and removed again
		{syscall.SIGTERM, 143, []string{"build", "--config", "site.toml", "--news", "", "--history", "data", "--out", "new/site"}},
		{syscall.SIGTERM, 143, []string{"probe", "--config", "site.toml", "--out", "results.json"}},
		{syscall.SIGINT, 130, []string{"probe", "--config", "site.toml", "--out", "new/results.json"}},
	} {
		t.Run(fmt.Sprintf("%s %v", tt.args[0], tt.sig), func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"site.toml":          config,
				"public/index.html":  "<p>the previous site</p>\n",
				"public/status.json": `{"schema":1}`,
				"data/history.jsonl": `{"t":"2026-11-25T10:00:03Z","heartbeat":true}` + "\n",
				"results.json":       "the previous results\n",
				"data/README.md":     "kept\n",
			})
			before := filesOf(t, dir)

			cmd := deadyetChild(t, dir, tt.args...)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until it probes: its first line on stderr says so.
			lines := bufio.NewScanner(stderr)
			if !lines.Scan() || !strings.HasPrefix(lines.Text(), "probing ") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("first line on stderr %q, want \"probing …\" (%v)", lines.Text(), lines.Err())
			}
			sent := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(stderr)
			err = cmd.Wait()
			took := time.Since(sent)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tt.status {
				t.Fatalf("exit %v, want status %d; stderr %q", err, tt.status, rest)
			}
			if took > time.Second {
				t.Errorf("stopped %v after the signal, want under 1s", took)
			}
			t.Logf("exited %d, %v after the signal", tt.status, took.Round(time.Millisecond))
			name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tt.sig]
			if want := "interrupted by " + name + ": nothing was written\n"; string(rest) != want {
				t.Errorf("stderr after the probing line %q, want %q", rest, want)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout %q", stdout.String())
			}
			after := filesOf(t, dir)
			for name := range after {
				if isLockFile(name) {
					delete(after, name) // the locks a build takes stay
				}
			}
			if !maps.Equal(before, after) {
				t.Errorf("files changed:\n%v\nwere\n%v", after, before)
			}
		})
	}
}

// isLockFile reports whether name, a path below a test's folder, is one of
// the lock files a run leaves (lock.go).
func isLockFile(name string) bool {
	return strings.HasSuffix(name, ".lock")
}

// filesOf maps every file and folder under dir, by its path relative to
// dir, to its content ("/" for a folder).
func filesOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			files[rel] = "/"
			return nil
		}
		b, err := os.ReadFile(p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// signalled is a context that sig has stopped, as withSignals makes it.
func signalled(sig os.Signal) context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(&interrupted{sig})
	return ctx
}

// TestInterruptedCommands: every command stopped by a signal before it
// writes anything exits 128 + the signal's number with one line, and
// writes nothing.
func TestInterruptedCommands(t *testing.T) {
	opts := renderInputs(t, probe.Up)
	dir := filepath.Dir(opts.Config)
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"check", "--config", "site.toml", "--news", "news"},
		{"probe", "--config", "site.toml", "--out", "out/results.json"},
		{"render", "--config", "site.toml", "--results", "results.json", "--news", "news", "--out", "out/site"},
		{"build", "--config", "site.toml", "--results", "results.json", "--news", "news", "--history", "data", "--out", "out/site"},
		{"demo", "--out", "out/demo", "--base", "127.0.90.100", "--news", ""},
		{"news", "new", "--dir", "news", "Gone"},
		{"history", "trim", "--history", "data", "--after", "now"},
	} {
		for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
			before := filesOf(t, dir)
			ios, stdout, stderr := testIO()
			code := run(signalled(sig), args, ios)
			want := (&interrupted{sig}).Error() + "\n"
			if st := (&interrupted{sig}).status(); code != st || stderr.String() != want || stdout.Len() != 0 {
				t.Errorf("%s, %s: exit %d, stdout %q, stderr %q; want %d and %q", args[0], signalName(sig), code, stdout, stderr, st, want)
			}
			if after := filesOf(t, dir); !maps.Equal(before, after) {
				t.Errorf("%s, %s: files changed:\n%v\nwere\n%v", args[0], signalName(sig), after, before)
			}
		}
	}
}

// TestSignalStopsServe: serve stops on SIGINT or SIGTERM within a second
// and exits 0, as its help says: that is how it stops.
func TestSignalStopsServe(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		cmd := deadyetChild(t, dir, "serve", "--dir", ".", "--addr", "127.0.90.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() || !strings.HasPrefix(lines.Text(), "serving ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("first line %q, want \"serving …\" (stderr %q)", lines.Text(), stderr.String())
		}
		sent := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, stdout)
		if err := cmd.Wait(); err != nil {
			t.Errorf("%v: serve ended with %v, stderr %q; want exit 0", sig, err, stderr.String())
		}
		if took := time.Since(sent); took > time.Second {
			t.Errorf("%v: stopped %v after the signal, want under 1s", sig, took)
		}
	}
}
