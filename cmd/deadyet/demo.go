package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/history/historytest"
	"deadyet/probe/msntest"
)

// DemoOptions are the inputs of "deadyet demo".
type DemoOptions struct {
	IO *IOStreams

	Out     string        // the site folder
	History string        // the history folder; "": Out + "-history"
	News    string        // folder of news entries; "" or missing: none
	Serve   string        // serve the site on this address after building; "" does not
	Base    string        // first loopback address of the simulated fleet
	Timeout time.Duration // per attempt
}

// NewCmdDemo makes "deadyet demo".
func NewCmdDemo(ios *IOStreams) *cobra.Command {
	opts := &DemoOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a site from a simulated MSN fleet on loopback",
		Long: `Demo builds the site of the site.toml deadyet was built with (a copy is built
in) from simulated servers: every address moved to loopback (from --base on),
every port to the simulated servers' own. They answer, refuse a version, are
not MSN, stay silent or hang up, like the last of the real fleet. Demo connects
to nothing outside 127.0.0.0/8 and needs no privileges. It keeps its history
next to the site (demo-site-history/), so a second run shows what changed.`,
		Example: `  deadyet demo
  deadyet demo --out /tmp/site --serve 127.0.0.1:8080`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return demoRun(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "demo-site", "`folder` to write the site into (replaced whole: new, empty or an earlier site; not a symbolic link)")
	f.StringVar(&opts.History, "history", "", "`folder` of the demo's history, kept between runs (default: the --out folder's name + \"-history\")")
	f.StringVar(&opts.News, "news", "news", "`folder` of news entries; none when it does not exist")
	f.StringVar(&opts.Serve, "serve", "", "after building, serve the site on this loopback `address`, e.g. 127.0.0.1:8080")
	f.StringVar(&opts.Base, "base", "127.0.2.1", "first loopback `address` of the simulated fleet")
	f.DurationVar(&opts.Timeout, "timeout", 500*time.Millisecond, "how long to wait for an answer, per attempt, like 1s")
	return cmd
}

func demoRun(ctx context.Context, opts *DemoOptions) (err error) {
	if ip := net.ParseIP(opts.Base); ip == nil || ip.To4() == nil || !ip.IsLoopback() {
		return badInput(fmt.Errorf("--base %q is not an IPv4 loopback address, like 127.0.2.1", opts.Base))
	}
	if opts.Serve != "" {
		host, _, err := net.SplitHostPort(opts.Serve)
		if err != nil {
			return badInput(fmt.Errorf("--serve %q: %w", opts.Serve, err))
		}
		if !loopbackHost(host) {
			return badInput(fmt.Errorf("--serve %q: the demo serves on a loopback address only, like 127.0.0.1:8080", opts.Serve))
		}
	}
	if err := checkSiteOut(opts.Out); err != nil {
		return err
	}
	shipped, err := shippedSite(ctx)
	if err != nil {
		return err // a test keeps the copy valid: not the user's input
	}
	fleet, err := msntest.StartFleet(opts.Base, msntest.Ports{}, demoFleetSpecs(shipped))
	if err != nil {
		return fmt.Errorf("starting the simulated fleet: %w", err)
	}
	defer fleet.Close()
	s, err := demoSite(shipped, fleet, opts.Timeout)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "simulated fleet: %d servers on %s… (MSNP port %d, HTTP gateway %d, HTTPS gateway %d)\n",
		len(fleet.Servers), opts.Base, fleet.Ports.Direct, fleet.Ports.HTTP, fleet.Ports.HTTPS)
	news := opts.News
	if fi, err := os.Stat(news); err != nil || !fi.IsDir() {
		news = ""
	}
	hist := opts.History
	if hist == "" {
		hist = filepath.Clean(opts.Out) + "-history"
	}
	undo, err := makeFolder(hist, filepath.Join(hist, historyLockName))
	if err != nil {
		return fmt.Errorf("history folder %q: %w", hist, err)
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	err = build(ctx, &BuildOptions{IO: opts.IO, History: hist, News: news, Out: opts.Out, LockWait: defaultLockWait}, s,
		func(ctx context.Context, h *history.History) (probe.Results, error) {
			res, err := runProbe(ctx, s.Probe, "demo", opts.IO, nil)
			fleet.Close()
			if err != nil {
				return res, err
			}
			return res, seedHistory(h, res)
		})
	if err != nil {
		return err
	}
	index, _ := filepath.Abs(filepath.Join(opts.Out, "index.html"))
	fmt.Fprintf(opts.IO.Out, "open file://%s\n", index)
	if opts.Serve == "" {
		fmt.Fprintf(opts.IO.Out, "or serve it: deadyet serve --dir %s\n", opts.Out)
		return nil
	}
	return serveRun(ctx, &ServeOptions{IO: opts.IO, Dir: opts.Out, Addr: opts.Serve}, nil)
}

// seedHistory gives an empty demo history h a made-up past of 90 daily
// runs, so that the page has timelines and changes to show: each cell up
// until a day of its own, a few outages, three days without a run. A
// history with lines (earlier demos) is left alone; nothing is written.
func seedHistory(h *history.History, now probe.Results) error {
	if h.Len() > 0 {
		return nil
	}
	const days = 90
	today := now.Started.UTC().Truncate(24 * time.Hour)
	past := historytest.Runs{
		Base:  probe.Results{Version: probe.ResultsVersion, Vantage: "demo (made-up past)", Results: now.Results},
		First: today.Add(-days*24*time.Hour + 12*time.Hour),
		Until: today,
		Step:  24 * time.Hour,
		See: func(t time.Time, rs []probe.Result) ([]probe.Result, bool) {
			d := int(today.Sub(t)/(24*time.Hour)) + 1 // days ago
			if d >= 40 && d < 43 {
				return nil, false // no run: no data
			}
			for i, r := range rs {
				k := fnv.New32a()
				io.WriteString(k, r.Group+" "+r.Address)
				n := int(k.Sum32())
				switch {
				case r.State == probe.Skipped:
				case r.State != probe.Up && d > 10+n%70:
					rs[i].State, rs[i].Detail = probe.Up, "answered (made-up past)"
				case r.State == probe.Up && n%5 == 0 && d%30 == n%30:
					rs[i].State, rs[i].Detail = probe.Timeout, "no answer (made-up outage)"
				}
			}
			return rs, true
		},
	}
	return past.Record(h)
}
