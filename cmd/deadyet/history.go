package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe/history"
)

// HistoryTrimOptions are the inputs of "deadyet history trim".
type HistoryTrimOptions struct {
	IO *IOStreams

	History  string        // the history folder
	After    string        // a time, RFC 3339, or "now": lines stamped later go
	LockWait time.Duration // how long to wait for another run's lock
}

// NewCmdHistory makes "deadyet history" and its subcommand "trim"; runF,
// when not nil, runs instead of historyTrimRun (tests).
func NewCmdHistory(ios *IOStreams, runF func(context.Context, *HistoryTrimOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Repair the history",
		Long: `The history is history.jsonl in the --history folder of "deadyet build": one
line per change of state, never rewritten by a build. Its subcommands repair it
when it went wrong.`,
		Example:                    `  deadyet history trim --history data --after now`,
		Args:                       subcommandArgs,
		SuggestionsMinimumDistance: 2,
		RunE:                       func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdHistoryTrim(ios, runF))
	return cmd
}

func newCmdHistoryTrim(ios *IOStreams, runF func(context.Context, *HistoryTrimOptions) error) *cobra.Command {
	opts := &HistoryTrimOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "trim --history DIR --after TIME",
		Short: "Remove the lines of the history stamped after a time",
		Long: `Trim removes from the history every line stamped after --after, and with them
the record of the last run, so that the next build records again from there.
It is the repair for a history poisoned by a run stamped in the future (a
runner whose clock was wrong), which refuses every later build as older.

TIME is an RFC 3339 time, like 2026-11-25T10:00:00Z, or "now". The history is
rewritten whole, atomically, under the history folder's lock (see "deadyet
build --help"): a run that fails leaves it as it was. A bad TIME or a
--history that is not a folder is bad usage (exit status 2).`,
		Example: `  # remove what a runner with a clock in the future wrote
  deadyet history trim --history data --after now

  # go back to the state after a given run
  deadyet history trim --history data --after 2026-11-25T10:00:03Z`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return historyTrimRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.History, "history", "", "`folder` of the history (history.jsonl) to trim (required)")
	f.StringVar(&opts.After, "after", "", "remove the lines stamped after this `time`: RFC 3339, or now (required)")
	f.DurationVar(&opts.LockWait, "lock-wait", defaultLockWait, "how long to wait for another run that holds the history (0: do not wait)")
	return cmd
}

func historyTrimRun(ctx context.Context, opts *HistoryTrimOptions) error {
	return historyTrim(ctx, opts, time.Now(), history.Trim)
}

// A trimFunc removes from the history in dir the lines stamped after t
// and says how many it removed: [history.Trim].
type trimFunc func(dir string, after time.Time) (removed int, err error)

// historyTrim is historyTrimRun at the time now, trimming with trim.
func historyTrim(ctx context.Context, opts *HistoryTrimOptions, now time.Time, trim trimFunc) error {
	if opts.History == "" {
		return badInput(errors.New(`history trim needs --history DIR, the history's folder (see "deadyet history trim --help")`))
	}
	after, err := parseTime(opts.After, now)
	if err != nil {
		return badInput(err)
	}
	if err := checkHistoryDir(opts.History); err != nil {
		return err
	}
	if err := checkLockWait(opts.LockWait); err != nil {
		return err
	}
	l, err := takeLock(ctx, opts.IO, filepath.Join(opts.History, historyLockName), fmt.Sprintf("history folder %q", opts.History), "deadyet history trim", opts.LockWait)
	if err != nil {
		return err
	}
	defer l.unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := trim(opts.History, after)
	var bad *history.ParseError
	if errors.As(err, &bad) {
		return badInput(err) // a line that does not parse, named
	} else if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "history: %s, %s removed (stamped after %s)\n",
		filepath.Join(opts.History, history.FileName), plural(n, "line"), after.UTC().Format(time.RFC3339))
	return nil
}

// parseTime reads --after: an RFC 3339 time, or "now".
func parseTime(s string, now time.Time) (time.Time, error) {
	switch s {
	case "":
		return time.Time{}, errors.New(`history trim needs --after TIME: an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`)
	case "now":
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--after %q: want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now", s)
	}
	return t, nil
}
