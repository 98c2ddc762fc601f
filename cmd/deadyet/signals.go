package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals are the signals that stop a run: Ctrl-C and kill's default.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// An interrupted is the cause of a run's context when a signal stopped it.
// A run that returns its context's error exits 128 + the signal's number:
// 130 for SIGINT, 143 for SIGTERM.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("interrupted by %s: nothing was written", signalName(e.sig))
}

// status is the exit status of a run the signal stopped.
func (e *interrupted) status() int { return 128 + int(e.sig.(syscall.Signal)) }

func signalName(sig os.Signal) string {
	return cmp.Or(map[os.Signal]string{os.Interrupt: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig], sig.String())
}

// withSignals returns a context that the first of stopSignals cancels with
// an *interrupted cause (signal.NotifyContext does not say which came). A
// second signal exits at once with the same status: every write being
// atomic, that leaves the old files or the new. stop releases the signals.
func withSignals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(&interrupted{sig})
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "interrupted again by %s: stopping at once\n", signalName(sig))
			os.Exit((&interrupted{sig}).status())
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// aside runs f, work that only reads and takes no context, in a goroutine
// of its own, and returns its result, or ctx's error as soon as ctx ends,
// so that no interrupt waits for a large history or news folder to be read.
// f writes nothing: what it was doing is thrown away with the process.
func aside[T any](ctx context.Context, f func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
