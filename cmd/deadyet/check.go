package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"deadyet/render/news"
)

// CheckOptions are the inputs of "deadyet check".
type CheckOptions struct {
	IO *IOStreams

	Config string // site.toml
	News   string // folder of news entries; "" skips the news
}

// NewCmdCheck makes "deadyet check".
func NewCmdCheck(ios *IOStreams) *cobra.Command {
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
		RunE: func(cmd *cobra.Command, args []string) error { return checkRun(cmd.Context(), opts) },
	}
	cmd.Flags().StringVar(&opts.Config, "config", "site.toml", "site configuration `file`")
	cmd.Flags().StringVar(&opts.News, "news", "news", "`folder` of news entries (\"\" to skip)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	s, err := loadSite(ctx, opts.Config)
	log, newsErr := loadNews(ctx, opts.News)
	if newsErr == nil {
		newsErr = badInput(news.CheckDates(log, time.Now()))
	}
	for _, err := range []error{err, newsErr} {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return err
		}
	}
	if err := errors.Join(err, newsErr); err != nil {
		return badInput(err)
	}
	servers := 0
	for _, g := range s.Probe.Groups {
		servers += len(g.Servers)
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "ok: %s (%s, %s, %s)", opts.Config, plural(len(s.Probe.Checks), "check"), plural(len(s.Probe.Groups), "group"), plural(servers, "server"))
	if opts.News != "" {
		if len(log) == 1 {
			fmt.Fprint(out, ", 1 news entry")
		} else {
			fmt.Fprintf(out, ", %d news entries", len(log))
		}
	}
	fmt.Fprintln(out)
	return nil
}
