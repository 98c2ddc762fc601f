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
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit status. Errors are
// printed here, once.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	io.WriteString(stderr, errorText(err)+"\n")
	return exitCode(err)
}
