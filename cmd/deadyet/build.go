package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
)

// BuildOptions are the inputs of "deadyet build".
type BuildOptions struct {
	IO *IOStreams

	Config  string   // site.toml
	History string   // folder of history.jsonl; "" keeps no history
	News    string   // folder of news entries
	Out     string   // the site folder, replaced as a whole
	Results []string // results.json files to merge instead of probing
	Vantage string   // recorded in the results when probing

	LockWait time.Duration // how long to wait for another run's locks
}

// NewCmdBuild makes "deadyet build"; runF, when not nil, runs instead of
// buildRun (tests).
func NewCmdBuild(ios *IOStreams, runF func(context.Context, *BuildOptions) error) *cobra.Command {
	if runF == nil {
		runF = buildRun
	}
	opts := &BuildOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "build --config FILE [--history DIR] --news DIR --out DIR [--results FILE ...]",
		Short: "Probe, record the history and render the site, in one run",
		Long: `Build does what the hourly job needs: it probes every server of site.toml (or,
with --results, merges the results.json files that probe runs elsewhere wrote),
records what changed in the history, and renders the site into --out.

Everything is read and checked before anything is written or probed (bad input:
exit status 2). The site and the history are each put in place in one step: a
failed or killed run leaves the previous ones. A quiet run leaves the history
as it was, but for one heartbeat line on the first run of each UTC day.

One run at a time: build locks the history folder (.lock in it) and the site
folder (.public.lock next to public). A second run waits up to --lock-wait,
then exits 1 saying which run holds the lock.`,
		Example: `  deadyet build --config site.toml --history data --news news --out public
  deadyet build --config site.toml --history data --news news --out public \
      --results results/eu.json --results results/us.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Config, "config", "site.toml", "site configuration `file`")
	f.StringVar(&opts.History, "history", "", "existing `folder` of the history (history.jsonl); empty: keep none")
	f.StringVar(&opts.News, "news", "news", "`folder` of news entries")
	f.StringVar(&opts.Out, "out", "public", "`folder` to write the site into (replaced whole: new, empty or an earlier site; not a symbolic link)")
	f.StringArrayVar(&opts.Results, "results", nil, "results.json `file` to use instead of probing (repeat to merge vantage points)")
	f.StringVar(&opts.Vantage, "vantage", defaultVantage(), "`name` of the place the probe runs from, when probing ($DEADYET_VANTAGE sets the default)")
	f.DurationVar(&opts.LockWait, "lock-wait", defaultLockWait, "how long to wait for another run that holds the history or the site (0: do not wait)")
	return cmd
}

func buildRun(ctx context.Context, opts *BuildOptions) error {
	s, err := loadSite(ctx, opts.Config)
	if err != nil {
		return err
	}
	if len(opts.Results) == 0 {
		return build(ctx, opts, s, func(ctx context.Context, _ *history.History) (probe.Results, error) {
			return runProbe(ctx, s.Probe, opts.Vantage, opts.IO, nil)
		})
	}
	res, err := readResults(ctx, opts.Results, s.Probe, true)
	if err != nil {
		return err
	}
	return build(ctx, opts, s, func(context.Context, *history.History) (probe.Results, error) { return res, nil })
}

// build runs a build for a loaded config, its run from src, and says what
// it did.
func build(ctx context.Context, opts *BuildOptions, s *site, src runSource) error {
	job := &siteJob{ios: opts.IO, command: "deadyet build", site: s, out: opts.Out, news: opts.News,
		history: opts.History, record: true, lockWait: opts.LockWait}
	done, err := job.run(ctx, src)
	if err != nil {
		return err
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "%s: %s\n", done.view.Verdict, done.view.Headline)
	if err := results.WriteSummary(out, done.results); err != nil {
		return err
	}
	if done.hist != nil {
		fmt.Fprintf(out, "history: %s, %s\n", done.hist.File(), plural(len(done.added), "line")+" added")
	}
	fmt.Fprintf(out, "wrote %s to %s\n", plural(done.files, "file"), filepath.Clean(opts.Out))
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
