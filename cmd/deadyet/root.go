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
history), with one line per problem naming the file and line; 130 or 143
stopped by SIGINT (Ctrl-C) or SIGTERM before writing anything. A run stops
within a second of the signal; one that is already putting its output in
place finishes that first, and a second signal stops it at once. serve exits 0
on either signal: that is how it stops. A crash of the Go runtime exits 2 too,
but prints "panic:" or "fatal error:" and a stack: bad input is one line.`,
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
	return parentCommand(cmd,
		NewCmdProbe(ios),
		NewCmdRender(ios, nil),
		NewCmdBuild(ios, nil),
		NewCmdDemo(ios),
		NewCmdCheck(ios),
		NewCmdServe(ios),
		NewCmdNews(ios, nil),
		NewCmdHistory(ios, nil),
	)
}
