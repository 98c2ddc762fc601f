package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// IOStreams are where every command writes: Out for its results, ErrOut
// for errors and progress. No command reads standard input.
type IOStreams struct {
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY says ErrOut is a terminal: a probe draws a progress line
	// there. Elsewhere (a pipe, a CI log) it writes one line as it starts.
	ErrTTY bool
}

// System is the IOStreams of the process: its standard output and error.
func System() *IOStreams {
	return &IOStreams{Out: os.Stdout, ErrOut: os.Stderr, ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// progressLine redraws a probe's status line on a terminal, at most ten
// times a second. A nil *progressLine does nothing, so callers need not check.
type progressLine struct {
	mu          sync.Mutex
	w           io.Writer
	start, last time.Time
	shown       bool
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
	fmt.Fprintf(p.w, "\r\x1b[Kprobing: %d/%d checks (%d%%), %s", done, total, pct, now.Sub(p.start).Round(100*time.Millisecond))
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
