package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// inputError marks an error as the user's: bad usage or bad input. The
// command exits with status 2 instead of 1.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// badInput marks err as bad usage or bad input (exit status 2).
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &inputError{err}
}

// inputErr is err marked as bad input (see badInput), unless it is ctx's
// own: the error of a step that reads the user's files, stopped by ctx.
func inputErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return err
	}
	return badInput(err)
}

// exitCode maps a run's error to the exit status the README documents.
func exitCode(err error) int {
	var ie *inputError
	var sig *interrupted
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ie):
		return 2
	case errors.As(err, &sig):
		return sig.status()
	}
	return 1
}

// errorText is what the user sees for err: interruptions are said plainly.
func errorText(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted: nothing was written"
	}
	return err.Error()
}

// noArgs rejects positional arguments as bad usage.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("%s takes no arguments, got %q (see %q)", cmd.CommandPath(), args[0], cmd.CommandPath()+" --help"))
	}
	return nil
}

// parentCommand makes cmd a command that only holds children: alone it
// prints its help, and an argument is a mistyped command (subcommandArgs).
func parentCommand(cmd *cobra.Command, children ...*cobra.Command) *cobra.Command {
	cmd.Args = subcommandArgs
	cmd.SuggestionsMinimumDistance = 2 // for subcommandArgs's suggestions
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
	cmd.AddCommand(children...)
	return cmd
}

// subcommandArgs is the Args of a command that only holds others: an
// argument is a mistyped command, said in one line with cobra's suggestions
// (unknown command "rendr" for "deadyet" (did you mean "render"? …)).
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := fmt.Sprintf("see %q", cmd.CommandPath()+" --help")
	if names := cmd.SuggestionsFor(args[0]); len(names) > 0 {
		for i, n := range names {
			names[i] = strconv.Quote(n)
		}
		hint = "did you mean " + strings.Join(names, " or ") + "? " + hint
	}
	return badInput(fmt.Errorf("unknown command %q for %q (%s)", args[0], cmd.CommandPath(), hint))
}
