package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
	"deadyet/render"
)

// BuildOptions are the inputs of "deadyet build".
type BuildOptions struct {
	Config  string   // site.toml
	History string   // folder of history.jsonl; "" keeps no history
	News    string   // folder of news entries
	Out     string   // the site folder, replaced as a whole
	Results []string // results.json files to merge instead of probing
	Vantage string   // recorded in the results when probing

	streams
	onProgress func(done, total int) // tests: called as checks finish
	probed     *probe.Results        // the demo: results of a probe already run
}

func newCmdBuild(runF func(context.Context, *BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{}
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
status 2, before probing.`,
		Example: `  deadyet build --config site.toml --history data --news news --out public
  deadyet build --config site.toml --history data --news news --out public \
      --results results/eu.json --results results/us.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.streams = streamsOf(cmd)
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
	f.StringVar(&opts.Out, "out", "public", "`folder` to write the site into (replaced whole: new, empty or an earlier site)")
	f.StringArrayVar(&opts.Results, "results", nil, "results.json `file` to use instead of probing (repeat to merge vantage points)")
	f.StringVar(&opts.Vantage, "vantage", defaultVantage(), "`name` of the place the probe runs from, when probing ($DEADYET_VANTAGE sets the default)")
	return cmd
}

func buildRun(ctx context.Context, opts *BuildOptions) error {
	s, err := loadSite(ctx, opts.Config)
	if err != nil {
		return err
	}
	return build(ctx, s, opts)
}

// build runs a build for a loaded config.
func build(ctx context.Context, s *site, opts *BuildOptions) error {
	// Read and check every input first: nothing is probed or written when
	// one of them is bad.
	var refused *render.SiteDirError
	if err := render.CheckSiteDir(opts.Out); errors.As(err, &refused) {
		return badInput(err)
	} else if err != nil {
		return err
	}
	news, err := loadNewsDir(opts.News)
	if err != nil {
		return badInput(err)
	}
	hist, err := readHistoryDir(opts.History)
	if err != nil {
		return badInput(err)
	}
	if err := makeParent("site folder", opts.Out); err != nil {
		return err
	}
	var res probe.Results
	if opts.probed != nil {
		res = *opts.probed
	} else if len(opts.Results) > 0 {
		if res, err = readResults(opts.Results, s.Probe); err != nil {
			return badInput(err)
		}
	} else if res, err = runProbe(ctx, s.Probe, opts.Vantage, opts.Stderr, opts.Progress, opts.onProgress); err != nil {
		return err
	}

	var added []history.Line
	if hist != nil {
		if added, err = hist.Record(res); err != nil {
			return badInput(err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	v, n, err := writeSite(siteInputs{Site: s, Results: res, News: news, History: hist}, opts.Out, "", "")
	if err != nil {
		return err
	}
	warnMissing(opts.Stderr, v)
	// The site is in place; now the history. Should this fail, the next run
	// records the same changes again.
	if hist != nil {
		if err := hist.Write(); err != nil {
			return fmt.Errorf("writing history: %w", err)
		}
	}
	fmt.Fprintf(opts.Stdout, "%s: %s\n", v.Verdict, v.Headline)
	if err := results.WriteSummary(opts.Stdout, res); err != nil {
		return err
	}
	if hist != nil {
		fmt.Fprintf(opts.Stdout, "history: %s, %s\n", hist.File(), plural(len(added), "line")+" added")
	}
	fmt.Fprintf(opts.Stdout, "wrote %s to %s\n", plural(n, "file"), filepath.Clean(opts.Out))
	return nil
}

// readResults reads results.json files and merges them. Results that are
// for none of cfg's cells were written for another config: an error, not a
// page of "no result".
func readResults(paths []string, cfg probe.Config) (probe.Results, error) {
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
// is not there is a mistake.
func readHistoryDir(dir string) (*history.History, error) {
	if dir == "" {
		return nil, nil
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("history folder %q: no such folder", dir)
	}
	return history.Read(dir)
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
// input; a failed write is not.
func writeSite(in siteInputs, dir, templatesDir, staticDir string) (*render.View, int, error) {
	ro := render.Options{Config: in.Site.Probe, Page: in.Site.Page, Results: in.Results, News: in.News, History: in.History}
	if templatesDir != "" {
		ro.Templates = os.DirFS(templatesDir)
	}
	if staticDir != "" {
		ro.Static = os.DirFS(staticDir)
	}
	v, n, err := render.WriteSite(dir, ro)
	if we := (*render.WriteError)(nil); errors.As(err, &we) {
		return nil, 0, err
	} else if err != nil {
		return nil, 0, badInput(err)
	}
	return v, n, nil
}

// warnMissing says on w how many results the site shows as no data: the
// results lack them, which is no verdict of death.
func warnMissing(w io.Writer, v *render.View) {
	if w != nil && v.Missing > 0 {
		fmt.Fprintf(w, "%s missing: shown as no data\n", plural(v.Missing, "result"))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
