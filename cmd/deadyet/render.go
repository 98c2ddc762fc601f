package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
)

// RenderOptions are the inputs of "deadyet render".
type RenderOptions struct {
	IO *IOStreams

	Config    string   // site.toml
	Results   []string // results.json of one or more vantage points, merged
	News      string   // the news folder
	History   string   // folder of history.jsonl, only read; "": no history shown
	Out       string   // the site folder, replaced as a whole
	Templates string   // "": the embedded templates
	Static    string   // "": the embedded static files

	LockWait time.Duration // how long to wait for another run's lock of Out
}

// NewCmdRender makes "deadyet render"; runF, when not nil, runs instead of
// renderRun (tests).
func NewCmdRender(ios *IOStreams, runF func(context.Context, *RenderOptions) error) *cobra.Command {
	if runF == nil {
		runF = renderRun
	}
	opts := &RenderOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "render --config FILE --results FILE [--history DIR] --news DIR --out DIR",
		Short: "Render the site from a results.json, without probing",
		Long: `Render reads site.toml, one or more results.json files (merged: a server is
as alive as the best any vantage point saw) and the news folder, and writes the
static site into --out. With --history the pages also show what earlier runs
saw, as of the results' time; the history is only read ("deadyet build" records).

The site is written beside --out and swapped in whole, so a failed or killed
render leaves the previous site. A second run that writes the same site waits
for the first, up to --lock-wait, then exits 1 saying which run holds the lock.`,
		Example: `  deadyet render --config site.toml --results testdata/preview-results.json --news news --out public
  deadyet render --config site.toml --results eu.json --results us.json --history data --news news --out public
  deadyet render --config site.toml --results results.json --news news --out public --templates templates --static static`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Config, "config", "site.toml", "site configuration `file`")
	f.StringArrayVar(&opts.Results, "results", nil, "results.json `file` written by deadyet probe (required; repeat to merge vantage points)")
	f.StringVar(&opts.News, "news", "news", "`folder` of news entries")
	f.StringVar(&opts.History, "history", "", "existing `folder` of the history (history.jsonl) to show, only read; empty: show none")
	f.StringVar(&opts.Out, "out", "public", "`folder` to write the site into (replaced whole: new, empty or an earlier site; not a symbolic link)")
	f.StringVar(&opts.Templates, "templates", "", "`folder` of html templates to use instead of the built-in ones")
	f.StringVar(&opts.Static, "static", "", "`folder` with style.css, pages.css and favicon.svg to use instead of the built-in ones")
	f.DurationVar(&opts.LockWait, "lock-wait", defaultLockWait, "how long to wait for another run that writes the site (0: do not wait)")
	return cmd
}

// renderRun renders the site. Bad config, results, news or templates are
// bad input (exit 2); failing to write the site is a failed run (exit 1).
func renderRun(ctx context.Context, opts *RenderOptions) error {
	if len(opts.Results) == 0 {
		return badInput(fmt.Errorf("render needs --results: a results.json written by %q", "deadyet probe"))
	}
	s, err := loadSite(ctx, opts.Config)
	if err != nil {
		return err
	}
	res, err := readResults(ctx, opts.Results, s.Probe, false)
	if err != nil {
		return err
	}
	job := &siteJob{ios: opts.IO, command: "deadyet render", site: s, out: opts.Out, news: opts.News,
		history: opts.History, templates: opts.Templates, static: opts.Static, lockWait: opts.LockWait}
	done, err := job.run(ctx, func(context.Context, *history.History) (probe.Results, error) { return res, nil })
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s to %s: %s (%s)\n", plural(done.files, "file"), filepath.Clean(opts.Out), done.view.Verdict, done.view.Headline)
	return nil
}
