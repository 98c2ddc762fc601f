package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// NewCmdRoot makes the deadyet command tree, every command writing to ios.
func NewCmdRoot(ios *IOStreams) *cobra.Command {
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
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return badInput(fmt.Errorf("%w (see %q)", err, c.CommandPath()+" --help"))
	})
	cmd.AddCommand(
		NewCmdProbe(ios, nil),
		NewCmdRender(ios, nil),
		NewCmdBuild(ios, nil),
		NewCmdDemo(ios, nil),
		NewCmdCheck(ios, nil),
		NewCmdServe(ios, nil),
		NewCmdNews(ios, nil),
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

// subcommandArgs rejects the arguments of a command that only groups
// others: the first is a mistyped subcommand.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("unknown command %q for %q (see %q)", args[0], cmd.CommandPath(), cmd.CommandPath()+" --help"))
	}
	return nil
}
