// Command deadyet probes the MSN Messenger servers of site.toml, keeps a
// history of what changed and renders the status page "Is MSN dead yet?".
// Run "deadyet --help" for the commands and the exit statuses.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
)

func main() {
	ctx, stop := withSignals(context.Background())
	code := run(ctx, os.Args[1:], System())
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit status. Errors are
// printed here, once. A run that ctx stopped, and whose cause is a signal
// (see withSignals), exits with that signal's status.
func run(ctx context.Context, args []string, ios *IOStreams) int {
	cmd := NewCmdRoot(ios)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var sig *interrupted
	if errors.Is(err, context.Canceled) && errors.As(context.Cause(ctx), &sig) {
		err = sig
	}
	fmt.Fprintln(ios.ErrOut, errorText(err))
	return exitCode(err)
}
