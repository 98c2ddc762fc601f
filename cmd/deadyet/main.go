// Command deadyet generates the static status page "Is MSN dead yet?".
//
// It probes the MSN Messenger servers listed in site.toml, keeps a history
// of what changed, and renders the results with the news log into a static
// site. Run "deadyet --help" for the commands.
//
// Exit status: 0 done; 1 the run failed; 2 bad usage or bad input (config,
// news, history), with one line per problem naming the file and line; 130
// or 143 stopped by SIGINT or SIGTERM before writing anything.
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
