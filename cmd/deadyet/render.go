package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"deadyet/render"
)

// RenderOptions are the inputs of `deadyet render`.
type RenderOptions struct {
	ConfigPath   string   // site.toml
	ResultsPaths []string // results.json of one or more vantage points, merged
	NewsDir      string   // the news folder
	HistoryDir   string   // folder of history.jsonl, only read; "": no history shown
	OutDir       string   // the site folder, replaced as a whole
	TemplatesDir string   // "": the embedded templates
	StaticDir    string   // "": the embedded static files

	Out io.Writer // where the one-line summary goes
	Err io.Writer // where warnings go
}

// NewCmdRender makes `deadyet render`. runF replaces renderRun in tests.
func NewCmdRender(runF func(*RenderOptions) error) *cobra.Command {
	opts := &RenderOptions{}
	cmd := &cobra.Command{
		Use:   "render --config FILE --results FILE [--history DIR] --news DIR --out DIR",
		Short: "Render the site from a results.json, without probing",
		Long: `Render reads site.toml, one or more results.json files (several are merged:
a server is as alive as the best any vantage point saw) and the news folder,
and writes the static site into --out: index.html, 404.html, status.json,
feed.xml, badge.svg, style.css, pages.css and favicon.svg, a page per server
(server/<group>/<address>/index.html), a page per day with news
(day/YYYY-MM-DD/index.html) and archive/index.html.

With --history the pages also show what earlier runs saw (since when each
cell is in its state, its uptime, a 90-day timeline per server on the index
and a calendar of every day on its page, the recent changes, a page per day
with a change), as of the time of the results. The history is only read, never
written: "deadyet build" records runs in it.

The site is written to a new folder next to --out and renamed into place, so
a failed render leaves the previous site as it was. Since it replaces the
whole folder, --out must be a new or empty folder or a site deadyet wrote,
holding nothing else: a folder with other files in it (a CNAME, a .git), or
the current folder, is refused with exit status 2.`,
		Example: `  # the pull-request preview: a fixed results file, no probing
  deadyet render --config site.toml --results testdata/preview-results.json --news news --out public

  # two vantage points merged, with the history the hourly job keeps
  deadyet render --config site.toml --results eu.json --results us.json --history data --news news --out public

  # try changes to the page's templates and style sheet
  deadyet render --config site.toml --results results.json --news news --out public --templates templates --static static`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Out, opts.Err = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if runF != nil {
				return runF(opts)
			}
			return renderRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.ConfigPath, "config", "site.toml", "site configuration `file`")
	f.StringArrayVar(&opts.ResultsPaths, "results", nil, "results.json `file` written by deadyet probe (required; repeat to merge vantage points)")
	f.StringVar(&opts.NewsDir, "news", "news", "`folder` of news entries")
	f.StringVar(&opts.HistoryDir, "history", "", "existing `folder` of the history (history.jsonl) to show, only read; empty: show none")
	f.StringVar(&opts.OutDir, "out", "public", "`folder` to write the site into (replaced whole: new, empty or an earlier site)")
	f.StringVar(&opts.TemplatesDir, "templates", "", "`folder` of html templates to use instead of the built-in ones")
	f.StringVar(&opts.StaticDir, "static", "", "`folder` with style.css, pages.css and favicon.svg to use instead of the built-in ones")
	return cmd
}

// renderRun renders the site. Bad config, results, news or templates are
// bad input (exit 2); failing to write the site is a failed run (exit 1).
func renderRun(opts *RenderOptions) error {
	if len(opts.ResultsPaths) == 0 {
		return badInput(fmt.Errorf("render needs --results: a results.json written by %q", "deadyet probe"))
	}
	// The site replaces --out whole: never a folder of the user's files.
	for _, d := range []struct{ what, dir string }{{"templates", opts.TemplatesDir}, {"static", opts.StaticDir}} {
		if fi, err := os.Stat(d.dir); d.dir != "" && (err != nil || !fi.IsDir()) {
			return badInput(fmt.Errorf("%s folder %q: no such folder", d.what, d.dir))
		}
	}
	var refused *render.SiteDirError
	if err := render.CheckSiteDir(opts.OutDir); errors.As(err, &refused) {
		return badInput(err)
	} else if err != nil {
		return err
	}
	s, err := loadSite(context.Background(), opts.ConfigPath) // renderRun takes no context yet
	if err != nil {
		return err
	}
	results, err := readResults(opts.ResultsPaths, s.Probe)
	if err != nil {
		return badInput(err)
	}
	news, err := loadNewsDir(opts.NewsDir)
	if err != nil {
		return badInput(err)
	}
	hist, err := readHistoryDir(opts.HistoryDir)
	if err != nil {
		return badInput(err)
	}
	if err := makeParent("site folder", opts.OutDir); err != nil {
		return err
	}
	v, n, err := writeSite(siteInputs{Site: s, Results: results, News: news, History: hist}, opts.OutDir, opts.TemplatesDir, opts.StaticDir)
	if err != nil {
		return err
	}
	warnMissing(opts.Err, v)
	if opts.Out != nil {
		fmt.Fprintf(opts.Out, "wrote %s to %s: %s (%s)\n", plural(n, "file"), filepath.Clean(opts.OutDir), v.Verdict, v.Headline)
	}
	return nil
}
