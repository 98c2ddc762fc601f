package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"deadyet/cmd/internal/config"
	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
	"deadyet/render"
)

// site is a decoded, validated site.toml.
type site = config.Site

// loadSite reads and validates the site.toml at path for a command: a bad
// or unreadable file is bad input (exit status 2); it stops when ctx ends.
func loadSite(ctx context.Context, path string) (*site, error) {
	s, err := config.Load(ctx, path)
	return s, inputErr(ctx, err)
}

// A siteJob is the one path of render, build and demo: every input checked
// before anything is written or probed, the locks, the run from a
// runSource, the site swapped in, then (a build) the history written.
type siteJob struct {
	ios     *IOStreams
	command string // "deadyet build", for the lock files
	site    *site

	out       string // the site folder, replaced whole
	news      string // the news folder; "": no news
	history   string // the history folder; "": none
	record    bool   // the run is recorded in the history (build), not only shown (render)
	templates string // "": the embedded templates
	static    string // "": the embedded static files
	lockWait  time.Duration
}

// A runSource gives a site job its run (results read, a probe, or the demo's
// probe with a made-up past) once every input is checked and the locks held;
// it may add earlier runs to h, the history (nil when none).
type runSource func(ctx context.Context, h *history.History) (probe.Results, error)

// A siteDone is what a site job did.
type siteDone struct {
	view    *render.View
	files   int // written
	results probe.Results
	hist    *history.History // nil: none
	added   []history.Line   // to the history, when recording
}

// run runs the job, its run from src. Bad input is exit status 2, before
// anything is written; a failed write is exit 1. When it fails or ctx ends
// before the site is in place, nothing is written and the folders it made
// are removed again.
func (j *siteJob) run(ctx context.Context, src runSource) (done *siteDone, err error) {
	if err := checkSiteOut(j.out); err != nil {
		return nil, err
	}
	for _, d := range []struct{ what, dir string }{{"templates", j.templates}, {"static", j.static}} {
		if fi, err := os.Stat(d.dir); d.dir != "" && (err != nil || !fi.IsDir()) {
			return nil, badInput(fmt.Errorf("%s folder %q: no such folder", d.what, d.dir))
		}
	}
	if err := checkLockWait(j.lockWait); err != nil {
		return nil, err
	}
	news, err := loadNews(ctx, j.news)
	if err != nil {
		return nil, err
	}
	if err := checkHistoryDir(j.history); err != nil {
		return nil, err
	}
	undo, err := makeParent("site folder", j.out, siteLockPath(j.out))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	// One writer at a time: a recorded history is read under its lock, and
	// the locks are held until the site and the history are written.
	if j.record && j.history != "" {
		l, err := takeLock(ctx, j.ios, filepath.Join(j.history, historyLockName), fmt.Sprintf("history folder %q", j.history), j.command, j.lockWait)
		if err != nil {
			return nil, err
		}
		defer l.Unlock()
	}
	l, err := takeLock(ctx, j.ios, siteLockPath(j.out), fmt.Sprintf("site folder %q", j.out), j.command, j.lockWait)
	if err != nil {
		return nil, err
	}
	defer l.Unlock()
	hist, err := readHistoryDir(ctx, j.history)
	if err != nil {
		return nil, err
	}
	res, err := src(ctx, hist)
	if err != nil {
		return nil, err
	}
	done = &siteDone{results: res, hist: hist}
	if j.record && hist != nil {
		if done.added, err = hist.Record(res); err != nil {
			return nil, badInput(err)
		}
	}
	ro := render.Options{Config: j.site.Probe, Page: j.site.Page, Results: res, News: news, History: hist}
	if done.view, done.files, err = j.write(ctx, ro); err != nil {
		return nil, err
	}
	if n := done.view.Missing; n > 0 {
		// The results lack them: no verdict of death, but worth a look.
		fmt.Fprintf(j.ios.ErrOut, "%s missing: shown as no data\n", plural(n, "result"))
	}
	// The site is in place; now the history. Should this fail, the next run
	// records the same changes again.
	if j.record && hist != nil {
		if err := hist.Write(); err != nil {
			return nil, fmt.Errorf("writing history: %w", err)
		}
	}
	return done, nil
}

// clock is the time the checks of results and history go by; tests set it.
var clock = time.Now

// readResults reads results.json files and merges them, for a command:
// what is wrong with them is bad input. A build, which records the run,
// also refuses results older than [results.MaxAge].
func readResults(ctx context.Context, paths []string, cfg probe.Config, record bool) (probe.Results, error) {
	r, err := aside(ctx, func() (probe.Results, error) { return mergeResults(paths, cfg, record) })
	return r, inputErr(ctx, err)
}

// mergeResults reads results.json files and merges them. Results that are
// for none of cfg's cells were written for another config: an error, not a
// page of "no result".
func mergeResults(paths []string, cfg probe.Config, record bool) (probe.Results, error) {
	runs := make([]probe.Results, 0, len(paths))
	for _, p := range paths {
		r, err := results.Read(p)
		if err != nil {
			return probe.Results{}, err
		}
		// A runner with a wrong clock would poison the history: every later
		// run would be older than this one, or every calendar start with it.
		err = probe.CheckTime(cmp.Or(r.Finished, r.Started), clock())
		if err == nil && record {
			err = results.CheckAge(r, clock())
		}
		if err != nil {
			return probe.Results{}, fmt.Errorf("%s: %w", p, err)
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

// readHistoryDir reads the history in dir (checkHistoryDir); nil when dir
// is "". A folder without history.jsonl is an empty history (the first run).
func readHistoryDir(ctx context.Context, dir string) (*history.History, error) {
	if dir == "" {
		return nil, ctx.Err()
	}
	h, err := aside(ctx, func() (*history.History, error) { return history.ReadAt(dir, clock()) })
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

// write renders the site and swaps it in place of j.out, and returns the
// view and the number of files. A bad template is bad input. ctx stops it
// until the swap begins, which then finishes.
func (j *siteJob) write(ctx context.Context, ro render.Options) (*render.View, int, error) {
	if j.templates != "" {
		ro.Templates = os.DirFS(j.templates)
	}
	if j.static != "" {
		ro.Static = os.DirFS(j.static)
	}
	var files []render.File // set before aside returns, when it returns v
	v, err := aside(ctx, func() (*render.View, error) {
		v, f, err := render.Render(ro)
		files = f
		return v, badInput(err)
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, 0, err
	}
	if err := render.WriteFiles(j.out, files); err != nil {
		if errors.As(err, new(*render.SiteDirError)) {
			return nil, 0, badInput(err)
		}
		return nil, 0, err
	}
	return v, len(files), nil
}
