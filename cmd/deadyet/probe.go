package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/results"
)

// ProbeOptions are the inputs of "deadyet probe".
type ProbeOptions struct {
	IO *IOStreams

	Config  string // site.toml
	Out     string // results.json
	Vantage string // where the probe runs, recorded in results.json
	Quiet   bool   // no summary
}

// NewCmdProbe makes "deadyet probe".
func NewCmdProbe(ios *IOStreams) *cobra.Command {
	opts := &ProbeOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Ask every configured server whether it still answers; write results.json",
		Long: `Probe runs every check of site.toml against every server of every group and
writes one result per (group, server, check) to results.json, atomically, then
prints how many servers answered. A run that finds every server dead has
succeeded: that is data. On a terminal it shows its progress on stderr.`,
		Example: `  deadyet probe --config site.toml --out results.json
  deadyet probe --config site.toml --out results/eu.json --vantage github-eu`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return probeRun(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Config, "config", "site.toml", "site configuration `file`")
	f.StringVar(&opts.Out, "out", "results.json", "results `file` to write (its folder is made if missing)")
	f.StringVar(&opts.Vantage, "vantage", defaultVantage(), "`name` of the place the probe runs from ($DEADYET_VANTAGE sets the default)")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func probeRun(ctx context.Context, opts *ProbeOptions) (err error) {
	s, err := loadSite(ctx, opts.Config)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(opts.Out); err == nil && fi.IsDir() {
		return badInput(fmt.Errorf("results file %q is a folder; name a file, like results.json", opts.Out))
	}
	undo, err := makeParent("results file", opts.Out)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	ios := opts.IO
	if opts.Quiet {
		ios = &IOStreams{Out: opts.IO.Out, ErrOut: io.Discard}
	}
	res, err := runProbe(ctx, s.Probe, opts.Vantage, ios, nil)
	if err != nil {
		return err
	}
	if err := results.Write(opts.Out, res); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	if !opts.Quiet {
		if err := results.WriteSummary(opts.IO.Out, res); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.Out, "wrote %s (%d results in %s)\n", opts.Out, len(res.Results), res.Finished.Sub(res.Started).Round(time.Millisecond))
	}
	return nil
}

// runProbe runs the probe. On a terminal it draws its progress on
// ErrOut; elsewhere it says there in one line what it probes, as it
// starts. hook, when not nil, is told as checks finish (tests).
func runProbe(ctx context.Context, cfg probe.Config, vantage string, ios *IOStreams, hook func(done, total int)) (probe.Results, error) {
	if err := results.CheckVantage(vantage); err != nil {
		return probe.Results{}, badInput(fmt.Errorf("--vantage: %w", err)) // before a probe, not after it
	}
	var p *progressLine
	if ios.ErrTTY {
		p = &progressLine{w: ios.ErrOut, start: time.Now()}
		defer p.done()
	} else {
		servers, checks := 0, 0
		for _, g := range cfg.Groups {
			servers += len(g.Servers)
			for _, c := range g.Checks {
				if cfg.Checks[c].Scan {
					checks += len(g.Servers)
				}
			}
		}
		fmt.Fprintf(ios.ErrOut, "probing %s of %s (timeout %s, %s)\n", plural(checks, "check"), plural(servers, "server"), cfg.Timeout, plural(cfg.Attempts, "attempt"))
	}
	res, err := probe.Run(ctx, cfg, probe.WithVantage(vantage), probe.WithProgress(func(done, total int) {
		p.update(done, total)
		if hook != nil {
			hook(done, total)
		}
	}))
	if err != nil && !errors.Is(err, context.Canceled) {
		err = fmt.Errorf("probe: %w", err)
	}
	return res, err
}

// defaultVantage names this machine for results.json: the GitHub runner's
// label in Actions, "local" elsewhere.
func defaultVantage() string {
	if v := os.Getenv("DEADYET_VANTAGE"); v != "" {
		return v
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		return "github-" + os.Getenv("RUNNER_OS")
	}
	return "local"
}
