package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// streams are where a command writes, and whether it may draw progress.
type streams struct {
	Stdout, Stderr io.Writer
	Progress       bool // Stderr is a terminal: show progress there
}

func streamsOf(cmd *cobra.Command) streams {
	s := streams{Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
	s.Progress = isTerminal(s.Stderr)
	return s
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressLine redraws one status line on a terminal, at most ten times a
// second. A nil *progressLine does nothing, so callers need not check.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	what  string
	start time.Time
	last  time.Time
	shown bool
}

func newProgressLine(w io.Writer, what string) *progressLine {
	return &progressLine{w: w, what: what, start: time.Now()}
}

// update reports that done of total steps are finished. Safe for concurrent use.
func (p *progressLine) update(done, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	pct := 100
	if total > 0 {
		pct = done * 100 / total
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s: %d/%d checks (%d%%), %s", p.what, done, total, pct, now.Sub(p.start).Round(100*time.Millisecond))
	p.shown = true
}

// done clears the line.
func (p *progressLine) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
