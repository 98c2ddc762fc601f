package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
	"deadyet/render"
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
	opts := &BuildOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "build --config FILE [--history DIR] --news DIR --out DIR [--results FILE ...]",
		Short: "Probe, record the history and render the site, in one run",
		Long: `Build does what the hourly job needs: it probes every server of site.toml (or,
with --results, merges the results.json files that probe runs elsewhere wrote),
records what changed in the history, and renders the site into --out.

Everything is read and checked before anything is written: bad config, news or
history stop the run with exit status 2 before a single probe. The site and the
history are each written to a temporary file or folder and renamed into place;
a failed run leaves the previous ones as they were. A quiet run (nothing
changed) leaves the history byte for byte the same, except for one heartbeat
line on the first run of each UTC day.

The --history folder must exist; history.jsonl in it is made on the first run.
Since the site replaces --out whole, --out must be a new or empty folder or a
site deadyet wrote, holding nothing else; any other folder is refused with exit
status 2, before probing, and so is a symbolic link, which the new folder would
replace: give the folder it points to.

One run at a time writes a history or a site: build locks the history folder
(its file .lock) and the site folder (.NAME.lock next to it, .public.lock for
public) from before it reads the history until it has written both. A second
run waits for the first, up to --lock-wait, then gives up with exit status 1
and a line saying which run holds the lock. (The locks are flock(2)'s, on
Linux, macOS and the BSDs; elsewhere none is taken.)`,
		Example: `  deadyet build --config site.toml --history data --news news --out public
  deadyet build --config site.toml --history data --news news --out public \
      --results results/eu.json --results results/us.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return buildRun(cmd.Context(), opts)
		},
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
	var files *probe.Results
	if len(opts.Results) > 0 {
		res, err := readResults(ctx, opts.Results, s.Probe)
		if err != nil {
			return err
		}
		files = &res
	}
	return build(ctx, opts, s, func(ctx context.Context, h *history.History) (probe.Results, error) {
		if files != nil {
			return *files, nil
		}
		return runProbe(ctx, s.Probe, opts.Vantage, opts.IO, nil)
	})
}

// A runSource gives a build its run: a probe, the results files, or (the
// demo) a probe already made. It is called once every input is read and
// checked; h is the history (nil when none is kept), to which it may add
// earlier runs (the demo's made-up past) before the run is recorded.
type runSource func(ctx context.Context, h *history.History) (probe.Results, error)

// build runs a build for a loaded config, its run from src.
func build(ctx context.Context, opts *BuildOptions, s *site, src runSource) (err error) {
	// Read and check every input first: nothing is probed or written when
	// one of them is bad.
	if err := checkSiteOut(opts.Out); err != nil {
		return err
	}
	if err := checkLockWait(opts.LockWait); err != nil {
		return err
	}
	news, err := loadNews(ctx, opts.News)
	if err != nil {
		return err
	}
	if err := checkHistoryDir(opts.History); err != nil {
		return err
	}
	undo, err := makeParent("site folder", opts.Out, siteLockPath(opts.Out))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	// One writer at a time: the history is read under its lock, and both
	// locks are held until the site and the history are written.
	if opts.History != "" {
		hl, err := takeLock(ctx, opts.IO, filepath.Join(opts.History, historyLockName), fmt.Sprintf("history folder %q", opts.History), "deadyet build", opts.LockWait)
		if err != nil {
			return err
		}
		defer hl.unlock()
	}
	sl, err := takeLock(ctx, opts.IO, siteLockPath(opts.Out), fmt.Sprintf("site folder %q", opts.Out), "deadyet build", opts.LockWait)
	if err != nil {
		return err
	}
	defer sl.unlock()
	hist, err := readHistoryDir(ctx, opts.History)
	if err != nil {
		return err
	}
	res, err := src(ctx, hist)
	if err != nil {
		return err
	}

	var added []history.Line
	if hist != nil {
		if added, err = hist.Record(res); err != nil {
			return badInput(err)
		}
	}
	v, n, err := writeSite(ctx, siteInputs{Site: s, Results: res, News: news, History: hist}, opts.Out, "", "")
	if err != nil {
		return err
	}
	// The site is in place; now the history. Should this fail, the next run
	// records the same changes again.
	if hist != nil {
		if err := hist.Write(); err != nil {
			return fmt.Errorf("writing history: %w", err)
		}
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "%s: %s\n", v.Verdict, v.Headline)
	if err := results.WriteSummary(out, res); err != nil {
		return err
	}
	if hist != nil {
		fmt.Fprintf(out, "history: %s, %s\n", hist.File(), plural(len(added), "line")+" added")
	}
	fmt.Fprintf(out, "wrote %s to %s\n", plural(n, "file"), filepath.Clean(opts.Out))
	return nil
}

// readResults reads results.json files and merges them, for a command:
// what is wrong with them is bad input; it stops when ctx ends.
func readResults(ctx context.Context, paths []string, cfg probe.Config) (probe.Results, error) {
	r, err := aside(ctx, func() (probe.Results, error) { return mergeResults(paths, cfg) })
	return r, inputErr(ctx, err)
}

// mergeResults reads results.json files and merges them. Results that are
// for none of cfg's cells were written for another config: an error, not a
// page of "no result".
func mergeResults(paths []string, cfg probe.Config) (probe.Results, error) {
	runs := make([]probe.Results, 0, len(paths))
	for _, p := range paths {
		r, err := results.Read(p)
		if err != nil {
			return probe.Results{}, err
		}
		runs = append(runs, r)
	}
	merged, err := results.Merge(runs)
	if err != nil {
		return probe.Results{}, fmt.Errorf("merging %d results files: %w", len(paths), err)
	}
	cells := map[probe.Key]bool{}
	for _, g := range cfg.Groups {
		for _, srv := range g.Servers {
			for _, c := range g.Checks {
				cells[probe.Key{Group: g.Name, Address: srv.Address, Check: c}] = true
			}
		}
	}
	for _, r := range merged.Results {
		if cells[probe.KeyOf(r)] {
			return merged, nil
		}
	}
	return probe.Results{}, fmt.Errorf("%s: none of its %d results is for a server and check of the config (written for another site.toml?)", strings.Join(paths, ", "), len(merged.Results))
}

// readHistoryDir reads the history in dir; nil when dir is "". A folder
// without history.jsonl is an empty history (the first run); a folder that
// is not there is a mistake. Its errors are bad input; it stops when ctx
// ends.
func readHistoryDir(ctx context.Context, dir string) (*history.History, error) {
	if dir == "" {
		return nil, ctx.Err()
	}
	if err := checkHistoryDir(dir); err != nil {
		return nil, err
	}
	h, err := aside(ctx, func() (*history.History, error) { return history.Read(dir) })
	return h, inputErr(ctx, err)
}

// checkHistoryDir checks that the history folder dir, when not "", is
// there: a folder that is not is bad input.
func checkHistoryDir(dir string) error {
	if fi, err := os.Stat(dir); dir != "" && (err != nil || !fi.IsDir()) {
		return badInput(fmt.Errorf("history folder %q: no such folder", dir))
	}
	return nil
}

// siteInputs is everything a site is made of.
type siteInputs struct {
	Site    *site
	Results probe.Results
	News    []render.NewsEntry
	History *history.History // nil: no history shown
}

// writeSite renders the site and puts it in place of dir, atomically. The
// templates and static files come from the given folders, or are the
// embedded ones when those are "". With a history, the page shows it as of
// the results' time (so the history should hold the run already). It
// returns the view and the number of files written. A bad template is bad
// input; a failed write is not. When ctx ends before the site is put in
// place, nothing is written and the error is ctx's; once it is being put in
// place, it is finished.
func writeSite(ctx context.Context, in siteInputs, dir, templatesDir, staticDir string) (*render.View, int, error) {
	ro := render.Options{Config: in.Site.Probe, Page: in.Site.Page, Results: in.Results, News: in.News, History: in.History}
	if templatesDir != "" {
		ro.Templates = os.DirFS(templatesDir)
	}
	if staticDir != "" {
		ro.Static = os.DirFS(staticDir)
	}
	type site struct {
		v     *render.View
		files []render.File
	}
	rendered, err := aside(ctx, func() (site, error) {
		v, err := render.Build(ro)
		if err != nil {
			return site{}, badInput(err)
		}
		files, err := v.Files(ro.Templates, ro.Static)
		if err != nil {
			return site{}, badInput(err)
		}
		return site{v, files}, nil
	})
	if err != nil {
		return nil, 0, err
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	v, files := rendered.v, rendered.files
	if err := render.WriteFiles(dir, files); err != nil {
		var sde *render.SiteDirError
		if errors.As(err, &sde) {
			return nil, 0, badInput(err)
		}
		return nil, 0, err
	}
	return v, len(files), nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
