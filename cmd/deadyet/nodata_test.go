package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"deadyet/probe"
)

// TestMissingResultsWarn: results that lack some of the config's cells
// are shown as no data, never as death, and render and build say on
// stderr how many are missing.
func TestMissingResultsWarn(t *testing.T) {
	const warning = "2 results missing: shown as no data\n"
	t.Run("render", func(t *testing.T) {
		opts := renderInputs(t, probe.Up, "")
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
		in := renderInputs(t, probe.Up, "")
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
}
