package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"deadyet/cmd/internal/config"
	"deadyet/render/news"
)

// CheckOptions are the inputs of "deadyet check".
type CheckOptions struct {
	IO *IOStreams

	Config string // site.toml
	News   string // folder of news entries; "" skips the news
}

// NewCmdCheck makes "deadyet check"; runF, when not nil, runs instead of
// checkRun (tests).
func NewCmdCheck(ios *IOStreams, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate site.toml and the news entries without touching the network",
		Long: `Check reads site.toml and every news entry and reports all problems at once,
one line each, "file:line: what is wrong", and exits with status 2 if there is
any. It never connects anywhere: this is what a pull request runs.`,
		Example: `  deadyet check --config site.toml --news news
  deadyet check --config my-fork.toml --news ""   # the config alone`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Config, "config", "site.toml", "site configuration `file`")
	cmd.Flags().StringVar(&opts.News, "news", "news", "`folder` of news entries (\"\" to skip)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	var errs []error
	s, err := config.Load(ctx, opts.Config)
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	if err != nil {
		errs = append(errs, err)
	}
	entries := 0
	if opts.News != "" {
		log, err := aside(ctx, func() ([]news.Entry, error) { return loadNewsDir(opts.News) })
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return err
		}
		if err != nil {
			errs = append(errs, err)
		} else if err := news.CheckDates(log, time.Now()); err != nil {
			errs = append(errs, err)
		}
		entries = len(log)
	}
	if len(errs) > 0 {
		return badInput(errors.Join(errs...))
	}
	servers := 0
	for _, g := range s.Probe.Groups {
		servers += len(g.Servers)
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "ok: %s (%s, %s, %s)", opts.Config, plural(len(s.Probe.Checks), "check"), plural(len(s.Probe.Groups), "group"), plural(servers, "server"))
	if opts.News != "" {
		if entries == 1 {
			fmt.Fprint(out, ", 1 news entry")
		} else {
			fmt.Fprintf(out, ", %d news entries", entries)
		}
	}
	fmt.Fprintln(out)
	return nil
}
