package main

import (
	"context"
	"errors"
	"strings"
)

// inputError marks an error as the user's: bad usage or bad input. The
// command exits with status 2 instead of 1.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// badInput marks err as bad usage or bad input (exit status 2).
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &inputError{err}
}

// exitCode maps a run's error to the exit status of DESIGN.md.
func exitCode(err error) int {
	var ie *inputError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ie):
		return 2
	case strings.HasPrefix(err.Error(), "unknown command "), strings.HasPrefix(err.Error(), "unknown flag"):
		return 2 // cobra's own usage errors
	}
	return 1
}

// errorText is what the user sees for err: interruptions are said plainly.
func errorText(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted: nothing was written"
	}
	return err.Error()
}
