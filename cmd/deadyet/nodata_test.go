package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

// dropResults rewrites the results file of opts without the results of
// check.
func dropResults(t *testing.T, opts *RenderOptions, check string) {
	t.Helper()
	path := opts.Results[0]
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res probe.Results
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	var kept []probe.Result
	for _, r := range res.Results {
		if r.Check != check {
			kept = append(kept, r)
		}
	}
	res.Results = kept
	if data, err = json.Marshal(res); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMissingResultsWarn: results that lack some of the config's cells
// are shown as no data, never as death, and render and build say on
// stderr how many are missing.
func TestMissingResultsWarn(t *testing.T) {
	const warning = "2 results missing: shown as no data\n"
	t.Run("render", func(t *testing.T) {
		opts := renderInputs(t, probe.Up, probe.Rejected)
		dropResults(t, opts, "msnp21")
		stderr := opts.IO.ErrOut.(*bytes.Buffer)
		if err := renderRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if got, want := opts.IO.Out.(*bytes.Buffer).String(), "wrote 12 files to "+opts.Out+": unknown (No main server has data)\n"; got != want {
			t.Errorf("stdout %q, want %q", got, want)
		}
		if got := stderr.String(); got != warning {
			t.Errorf("stderr %q, want %q", got, warning)
		}
	})
	t.Run("build", func(t *testing.T) {
		in := renderInputs(t, probe.Up, probe.Rejected)
		clockAt(t, time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)) // the results' hour
		dropResults(t, in, "msnp21")
		ios, stdout, stderr := testIO()
		opts := &BuildOptions{IO: ios, Config: in.Config, News: in.News, Out: in.Out, Results: in.Results}
		if err := buildRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stdout.String(), "unknown: No main server has data\n") {
			t.Errorf("stdout %q, want the verdict unknown first", stdout.String())
		}
		if got := stderr.String(); got != warning {
			t.Errorf("stderr %q, want %q", got, warning)
		}
	})
	t.Run("every result there", func(t *testing.T) {
		opts := renderInputs(t, probe.Up, probe.Rejected)
		stderr := opts.IO.ErrOut.(*bytes.Buffer)
		if err := renderRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if stderr.Len() != 0 {
			t.Errorf("stderr %q, want nothing", stderr.String())
		}
	})
}
