package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/msntest"
	"deadyet/probe/results"
)

// fixtureResults writes the preview fixture, moved to finish at t, into dir.
func fixtureResults(t *testing.T, dir string, at time.Time) string {
	t.Helper()
	r, err := results.Read("../../testdata/preview-results.json")
	if err != nil {
		t.Fatal(err)
	}
	r.Started, r.Finished = at.Add(-3*time.Second), at
	path := filepath.Join(dir, "results-"+at.Format("150405")+".json")
	if err := results.Write(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBuildFromResults(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "data")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := func(results string) *BuildOptions {
		return &BuildOptions{Config: "../../site.toml", News: "../../news", Out: filepath.Join(dir, "public"),
			History: hist, Results: []string{results}, IO: quiet}
	}
	day := time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC)

	// The first run records every state it sees, after one heartbeat.
	clockAt(t, day)
	if err := buildRun(context.Background(), opts(fixtureResults(t, dir, day))); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(hist, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first, []byte(`{"t":"2026-11-25T10:00:03Z","heartbeat":true}`+"\n")) {
		t.Errorf("history does not start with the day's heartbeat:\n%.200s", first)
	}
	for _, f := range []string{"index.html", "status.json", "feed.xml", "badge.svg", "404.html"} {
		if _, err := os.Stat(filepath.Join(dir, "public", f)); err != nil {
			t.Errorf("site: %v", err)
		}
	}

	// An hour later nothing changed: the history stays byte for byte.
	clockAt(t, day.Add(time.Hour))
	if err := buildRun(context.Background(), opts(fixtureResults(t, dir, day.Add(time.Hour)))); err != nil {
		t.Fatal(err)
	}
	second, err := os.ReadFile(filepath.Join(hist, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("a quiet run changed the history: %d bytes → %d", len(first), len(second))
	}

	// The next day's first run adds a heartbeat and nothing else.
	clockAt(t, day.Add(24*time.Hour))
	if err := buildRun(context.Background(), opts(fixtureResults(t, dir, day.Add(24*time.Hour)))); err != nil {
		t.Fatal(err)
	}
	third, err := os.ReadFile(filepath.Join(hist, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(third[len(second):]), `{"t":"2026-11-26T10:00:03Z","heartbeat":true}`+"\n"; got != want {
		t.Errorf("next day added %q, want %q", got, want)
	}
}

func TestBuildBadHistory(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "data")
	os.Mkdir(hist, 0o755)
	bad := `{"t":"2026-11-25T10:00:03Z","heartbeat":true}` + "\n" + `{"t":"2026-11-25T10:00:03Z","group":"bn2"` + "\n"
	if err := os.WriteFile(filepath.Join(hist, history.FileName), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err := buildRun(context.Background(), &BuildOptions{Config: "../../site.toml", News: "../../news", Out: filepath.Join(dir, "public"),
		History: hist, Results: []string{fixtureResults(t, dir, time.Now())}, IO: quiet})
	if code := exitCode(err); code != 2 {
		t.Fatalf("exit %d (%v), want 2", code, err)
	}
	if !strings.HasPrefix(err.Error(), filepath.Join(hist, history.FileName)+":2: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q: want one line naming the file and line 2", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a build with a bad history wrote the site: %v", err)
	}
}

// An interrupted build writes nothing: the previous site and history stay.
func TestBuildInterrupted(t *testing.T) {
	fleet, err := msntest.StartFleet("127.0.3.1", msntest.Ports{}, []msntest.Spec{
		{Group: "g", Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}},
		{Group: "g", Count: 3, Behavior: msntest.Behavior{Kind: msntest.Silent}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFleet(t, fleet) })
	var servers []probe.Server
	for _, srv := range fleet.Servers {
		servers = append(servers, probe.Server{Address: srv.Addr})
	}
	s := &site{Probe: probe.Config{Timeout: 10 * time.Second, Attempts: 1, Concurrency: 4,
		Checks: map[string]probe.Check{"msnp18": {Key: "msnp18", Kind: probe.MSNP, Version: "MSNP18", Via: probe.Direct, Port: fleet.Ports.Direct, Scan: true}},
		Groups: []probe.Group{{Name: "g", Checks: []string{"msnp18"}, Servers: servers}},
	}}

	dir := t.TempDir()
	out, hist := filepath.Join(dir, "public"), filepath.Join(dir, "data")
	for _, d := range []string{out, hist} {
		os.Mkdir(d, 0o755)
	}
	os.WriteFile(filepath.Join(out, "status.json"), []byte(`{"schema":1}`), 0o644)
	oldSite, oldHist := []byte("<p>the previous site</p>\n"), []byte(`{"t":"2026-11-25T10:00:03Z","heartbeat":true}`+"\n")
	os.WriteFile(filepath.Join(out, "index.html"), oldSite, 0o644)
	os.WriteFile(filepath.Join(hist, history.FileName), oldHist, 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	err = build(ctx, &BuildOptions{Out: out, History: hist, IO: quiet}, s, func(ctx context.Context, _ *history.History) (probe.Results, error) {
		return runProbe(ctx, s.Probe, "test", quiet, func(done, total int) { cancel() }) // Ctrl-C as soon as the answering server is done
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("interrupted build took %v; the silent servers' timeout is 10s", d)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Equal(got, oldSite) {
		t.Errorf("site changed: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(hist, history.FileName)); !bytes.Equal(got, oldHist) {
		t.Errorf("history changed: %q", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 3 || ents[0].Name() != siteLockPath(out)[len(dir)+1:] {
		t.Errorf("left behind: %v; want the site's lock file, public and data", ents)
	}
}

// build refuses, before probing, to replace a folder that is not a site.
func TestBuildRefusesUserFolder(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "todo.txt"), []byte("keep me"), 0o644)
	err := buildRun(context.Background(), &BuildOptions{Config: "../../site.toml", News: "../../news", Out: mine,
		Results: []string{fixtureResults(t, dir, time.Now())}, IO: quiet})
	if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), "notes") {
		t.Fatalf("exit %d, err %v: want 2 naming the folder", code, err)
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "todo.txt")); string(b) != "keep me" {
		t.Error("the user's file is gone")
	}
}

// TestFutureResultsRefused: results stamped in 2999 (a runner with a wrong
// clock) are refused with exit 2 and the file named, before anything is
// written: the history, its last-run and the site stay byte for byte as
// they were, and the next ordinary build records as usual.
func TestFutureResultsRefused(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "data")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	now := time.Now().UTC().Truncate(time.Second)
	build := func(res string) (int, string) {
		t.Helper()
		ios, _, stderr := testIO()
		code := run(context.Background(), []string{"build", "--config", "../../site.toml", "--news", "../../news",
			"--history", hist, "--out", out, "--results", res}, ios)
		return code, stderr.String()
	}
	if code, stderr := build(fixtureResults(t, dir, now.Add(-2*time.Hour))); code != 0 {
		t.Fatalf("the first build: exit %d: %s", code, stderr)
	}
	snapshot := func() map[string]string {
		t.Helper()
		files := map[string]string{}
		for _, p := range []string{filepath.Join(hist, history.FileName), filepath.Join(hist, history.LastRunFile), filepath.Join(out, "status.json"), filepath.Join(out, "index.html")} {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[p] = string(data)
		}
		return files
	}
	before := snapshot()

	future := fixtureResults(t, dir, time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC))
	code, stderr := build(future)
	if code != 2 || !strings.HasPrefix(stderr, future+": time 2999-01-01T00:00:00Z is more than 10m after this machine's clock") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("results from 2999: exit %d, stderr %q; want exit 2 and one line naming %s", code, stderr, future)
	}
	for p, was := range snapshot() {
		if was != before[p] {
			t.Errorf("%s changed after the refused build", p)
		}
	}

	if code, stderr := build(fixtureResults(t, dir, now.Add(-time.Hour))); code != 0 {
		t.Fatalf("the next ordinary build: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(hist, history.LastRunFile))
	if err != nil || strings.TrimSpace(string(data)) != now.Add(-time.Hour).Format(time.RFC3339) {
		t.Errorf("last-run after the next build: %q (%v), want %s", data, err, now.Add(-time.Hour).Format(time.RFC3339))
	}
}
