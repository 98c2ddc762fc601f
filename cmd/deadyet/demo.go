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
	"deadyet/render"
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

// NewCmdDemo makes "deadyet demo"; runF, when not nil, runs instead of
// demoRun (tests).
func NewCmdDemo(ios *IOStreams, runF func(context.Context, *DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a site from a simulated MSN fleet on loopback",
		Long: `Demo starts a fleet of simulated MSN servers on loopback addresses (from
127.0.2.1 on, on unprivileged ports), modelled on the last three regions of the
real fleet: servers that answer, refuse a version, are not MSN at all, stay
silent or hang up. It then runs "deadyet build" against it, writes the site
into --out and tells where it is; with --serve it serves the site until
interrupted. It connects to nothing outside 127.0.0.0/8, needs no privileges,
and stops its servers on exit.

The demo keeps its history next to the site (demo-site-history/ for the
default --out), so running it again shows what changed between runs.`,
		Example: `  deadyet demo
  deadyet demo --out /tmp/site --serve 127.0.0.1:8080`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return demoRun(cmd.Context(), opts)
		},
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

// demoGroups is the simulated fleet: per group, the servers' behaviours in
// order, the first being the region's main server.
var demoGroups = []struct {
	name  string
	specs []msntest.Spec
}{
	{"bn2", []msntest.Spec{ // alive: the main server and most others answer MSNP21 and MSNP22
		{Main: true, Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: []string{"MSNP21", "MSNP22"}}},
		{Count: 5, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP21", "MSNP22"}}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.NS}}, // refuses every version
		{Behavior: msntest.Behavior{Kind: msntest.Silent}},
		{Behavior: msntest.Behavior{Kind: msntest.Reset}},
		{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, FailFirst: 1}}, // back on the second attempt
	}},
	{"co4", []msntest.Spec{ // things that answer but are not MSN
		{Main: true, Behavior: msntest.Behavior{Kind: msntest.NumericError}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.WebPage}},
		{Behavior: msntest.Behavior{Kind: msntest.Echo}},
		{Behavior: msntest.Behavior{Kind: msntest.EchoGateway}},
		{Behavior: msntest.Behavior{Kind: msntest.Garbage}},
		{Behavior: msntest.Behavior{Kind: msntest.Blackhole}},
	}},
	{"db5", []msntest.Spec{ // mostly gone
		{Main: true, Behavior: msntest.Behavior{Kind: msntest.Silent}},
		{Count: 2, Behavior: msntest.Behavior{Kind: msntest.Reset}},
		{Behavior: msntest.Behavior{Kind: msntest.Endless}},
		{Behavior: msntest.Behavior{Kind: msntest.LongLine}},
		{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP18"}}},
	}},
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
	if err := ctx.Err(); err != nil {
		return err
	}
	var specs []msntest.Spec
	for _, g := range demoGroups {
		for _, sp := range g.specs {
			sp.Group = g.name
			specs = append(specs, sp)
		}
	}
	fleet, err := msntest.StartFleet(opts.Base, msntest.Ports{}, specs)
	if err != nil {
		return fmt.Errorf("starting the simulated fleet: %w", err)
	}
	defer fleet.Close()
	fmt.Fprintf(opts.IO.Out, "simulated fleet: %d servers on %s… (MSNP port %d, HTTP gateway %d, HTTPS gateway %d)\n",
		len(fleet.Servers), opts.Base, fleet.Ports.Direct, fleet.Ports.HTTP, fleet.Ports.HTTPS)

	s := demoSite(fleet, opts.Timeout)
	news := opts.News
	if fi, err := os.Stat(news); err != nil || !fi.IsDir() {
		news = ""
	}
	hist := opts.History
	if hist == "" {
		hist = filepath.Clean(opts.Out) + "-history"
	}
	undo, err := makeFolder(hist)
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
	return serveRun(ctx, &ServeOptions{IO: opts.IO, Dir: opts.Out, Addr: opts.Serve})
}

// demoSite is the config of the demo: the checks of site.toml, on the
// fleet's ports.
func demoSite(f *msntest.Fleet, timeout time.Duration) *site {
	p := f.Ports
	checks := []probe.Check{
		{Key: "tcp443", Label: ":443", Kind: probe.TCP, Port: p.HTTPS, Scan: true,
			About: fmt.Sprintf("The HTTPS gateway's port open (the demo's servers use port %d for 443).", p.HTTPS)},
		{Key: "tcp80", Label: ":80", Kind: probe.TCP, Port: p.HTTP, Scan: false,
			About: "HTTP port open. *Not scanned*, as on the historic page."},
		{Key: "msnp18", Label: "MSNP18", Kind: probe.MSNP, Version: "MSNP18", Via: probe.Direct, Port: p.Direct, Scan: true,
			About: fmt.Sprintf("Sends `VER 1 MSNP18` on the MSNP port itself (1863; here %d), then `CVR`.", p.Direct)},
		{Key: "msnp21", Label: "MSNP21", Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTPS, Port: p.HTTPS, Scan: true,
			About: "Sends `VER 1 MSNP21` through the HTTPS gateway, then `CVR`."},
		{Key: "msnp22", Label: "MSNP22", Kind: probe.MSNP, Version: "MSNP22", Via: probe.HTTPS, Port: p.HTTPS, Scan: true,
			About: "Sends `VER 1 MSNP22` through the HTTPS gateway, then `CVR`."},
		{Key: "msnp21http", Label: "MSNP21 (HTTP)", Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTP, Port: p.HTTP, Scan: true,
			About: "Sends `VER 1 MSNP21` through the plain HTTP gateway, then `CVR`."},
	}
	cfg := probe.Config{Timeout: timeout, Attempts: 2, Concurrency: 64, Checks: map[string]probe.Check{}}
	var keys []string
	for _, c := range checks {
		cfg.Checks[c.Key] = c
		keys = append(keys, c.Key)
	}
	for _, g := range demoGroups {
		grp := probe.Group{Name: g.name, Checks: keys}
		for _, srv := range f.Group(g.name) {
			grp.Servers = append(grp.Servers, probe.Server{Address: srv.Addr, Main: srv.Main})
		}
		cfg.Groups = append(cfg.Groups, grp)
	}
	return &site{Probe: cfg, Page: render.Page{
		Title:     "Is MSN dead yet? (demo)",
		URL:       "http://127.0.0.1:8080/",
		FinePrint: "A **demo**: every server on this page is simulated by `deadyet demo` on this machine's loopback addresses.",
	}}
}

// seedHistory gives an empty demo history h a made-up past, so that the
// page's timelines, uptimes and recent changes have something to show: 90
// daily runs up to yesterday in which every cell was up until a day of its
// own and has been in today's state since, some cells that are up now had
// an outage, and three days had no run at all. A history that has lines
// already is left alone: it is the record of earlier demos. Nothing is
// written: h is the build's, written with its run.
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
