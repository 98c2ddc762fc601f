package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
	"deadyet/probe/history"
)

// HistoryTrimOptions are the inputs of "deadyet history trim".
type HistoryTrimOptions struct {
	IO *IOStreams

	History  string        // the history folder
	After    string        // a time, RFC 3339, or "now": lines stamped later go
	Before   string        // a time, RFC 3339: lines stamped earlier go
	LockWait time.Duration // how long to wait for another run's lock
}

// NewCmdHistory makes "deadyet history" and its subcommand "trim"; runF,
// when not nil, runs instead of historyTrimRun (tests).
func NewCmdHistory(ios *IOStreams, runF func(context.Context, *HistoryTrimOptions) error) *cobra.Command {
	return parentCommand(&cobra.Command{
		Use:   "history",
		Short: "Repair the history",
		Long: `The history is history.jsonl in the --history folder of "deadyet build": one
line per change of state, never rewritten by a build. Its subcommands repair it
when it went wrong.`,
		Example: `  deadyet history trim --history data --after now`,
	}, newCmdHistoryTrim(ios, runF))
}

func newCmdHistoryTrim(ios *IOStreams, runF func(context.Context, *HistoryTrimOptions) error) *cobra.Command {
	if runF == nil {
		runF = historyTrimRun
	}
	opts := &HistoryTrimOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "trim --history DIR [--after TIME] [--before TIME]",
		Short: "Remove the lines of the history stamped after or before a time",
		Long: `Trim removes from the history every line stamped after --after or before
--before, and the record of the last run if it is out of that window too. A
key's next line then starts from what is left. It is the repair for a history
poisoned by a runner whose clock was wrong: a run in the future refuses every
later build as older, one in the far past stretches every calendar back.

Lines before 2000-01-01, or more than 10 minutes after this machine's clock,
always go; so does a last line cut off mid-line. What is removed is kept in a
copy beside the history, history.jsonl.removed-TIME, that Trim names.

The history is rewritten whole, atomically, under the history folder's lock
(see "deadyet build --help"): a run that fails or is interrupted leaves it as
it was. TIME is an RFC 3339 time, like 2026-11-25T10:00:00Z, or "now".`,
		Example: `  # remove what a runner with a clock in the future wrote
  deadyet history trim --history data --after now

  # remove what a runner with a clock in the far past wrote
  deadyet history trim --history data --before 2000-01-01T00:00:00Z

  # go back to the state after a given run
  deadyet history trim --history data --after 2026-11-25T10:00:03Z`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.History, "history", "", "`folder` of the history (history.jsonl) to trim (required)")
	f.StringVar(&opts.After, "after", "", "remove the lines stamped after this `time`: RFC 3339, or now")
	f.StringVar(&opts.Before, "before", "", "remove the lines stamped before this `time`: RFC 3339, or now")
	f.DurationVar(&opts.LockWait, "lock-wait", defaultLockWait, "how long to wait for another run that holds the history (0: do not wait)")
	return cmd
}

func historyTrimRun(ctx context.Context, opts *HistoryTrimOptions) error {
	return historyTrim(ctx, opts, time.Now(), history.Trim)
}

// A trimFunc keeps of the history in dir the lines stamped from from to to:
// [history.Trim].
type trimFunc func(ctx context.Context, dir string, from, to time.Time) (history.Trimmed, error)

// historyTrim is historyTrimRun at the time now, trimming with trim.
func historyTrim(ctx context.Context, opts *HistoryTrimOptions, now time.Time, trim trimFunc) error {
	if opts.History == "" {
		return badInput(errors.New(`history trim needs --history DIR, the history's folder (see "deadyet history trim --help")`))
	}
	if opts.After == "" && opts.Before == "" {
		return badInput(errors.New(`history trim needs --after TIME: an RFC 3339 time, like 2026-11-25T10:00:00Z, or now`))
	}
	after, err := parseTime("--after", opts.After, now)
	if err != nil {
		return badInput(err)
	}
	before, err := parseTime("--before", opts.Before, now)
	if err != nil {
		return badInput(err)
	}
	// Out of the sane window always: before history.Floor, or after the clock.
	from, to := history.Floor, now.Add(probe.MaxClockSkew)
	if before.After(from) {
		from = before
	}
	if !after.IsZero() && after.Before(to) {
		to = after
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
	defer l.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	done, err := trim(ctx, opts.History, from, to)
	var bad *history.ParseError
	if errors.As(err, &bad) {
		return badInput(err) // a line that does not parse, named
	} else if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "history: %s, %s removed (stamped before %s or after %s)\n", filepath.Join(opts.History, history.FileName),
		plural(done.Removed, "line"), from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	if done.CutOff {
		fmt.Fprintln(opts.IO.Out, "history: the last line was cut off mid-line: removed")
	}
	if done.Copy != "" {
		fmt.Fprintf(opts.IO.Out, "history: what was removed is kept in %s\n", done.Copy)
	}
	return nil
}

// parseTime reads the time of a flag: RFC 3339, or "now"; "" is zero.
func parseTime(flag, s string, now time.Time) (time.Time, error) {
	switch s {
	case "":
		return time.Time{}, nil
	case "now":
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want an RFC 3339 time, like 2026-11-25T10:00:00Z, or now", flag, s)
	}
	return t, nil
}
