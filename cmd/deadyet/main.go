// Command deadyet generates the static status page "Is MSN dead yet?".
//
// It probes the MSN Messenger servers listed in site.toml, keeps a history
// of what changed, and renders the results with the news log into a static
// site. Run "deadyet --help" for the commands.
//
// Exit status: 0 done; 1 the run failed; 2 bad usage or bad input (config,
// news, history), with one line per problem naming the file and line.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], System())
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit status. Errors are
// printed here, once.
func run(ctx context.Context, args []string, ios *IOStreams) int {
	cmd := NewCmdRoot(ios)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(ios.ErrOut, errorText(err))
	return exitCode(err)
}
