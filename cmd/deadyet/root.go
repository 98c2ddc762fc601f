package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newRootCmd builds the deadyet command tree.
func newRootCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deadyet",
		Short: "Generate the \"Is MSN dead yet?\" status page",
		Long: `deadyet probes the MSN Messenger servers listed in site.toml, keeps a history of
what changed, and renders the results with the news log into a static site.

Exit status: 0 done; 1 the run failed; 2 bad usage or bad input (config, news,
history), with one line per problem naming the file and line.`,
		Example: `  deadyet demo                                  # simulated servers on loopback → site
  deadyet check --config site.toml --news news  # validate, as a pull request does
  deadyet probe --config site.toml --out results.json`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return badInput(fmt.Errorf("%w (see %q)", err, c.CommandPath()+" --help"))
	})
	cmd.AddCommand(
		newCmdProbe(nil),
		NewCmdRender(nil),
		newCmdBuild(nil),
		newCmdDemo(nil),
		newCmdCheck(nil),
		NewCmdServe(nil),
		NewCmdNews(nil),
	)
	return cmd
}

// noArgs rejects positional arguments as bad usage.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("%s takes no arguments, got %q (see %q)", cmd.CommandPath(), args[0], cmd.CommandPath()+" --help"))
	}
	return nil
}
