package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
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

// exitCode maps a run's error to the exit status the README documents.
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

// errorText is what the user sees for err: interruptions are said plainly,
// and cobra's unknown command is one line, like every other error.
func errorText(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted: nothing was written"
	}
	return unknownCommandText(err.Error())
}

// cobraUnknown is cobra's error for a mistyped command; its suggestions
// follow on lines of their own ("\n\nDid you mean this?\n\trender\n").
var cobraUnknown = regexp.MustCompile(`^(unknown command "(?:[^"\\]|\\.)*" for ("(?:[^"\\]|\\.)*"))(?:\n\nDid you mean this\?\n((?:\t.*\n?)*))?$`)

// unknownCommandText puts cobra's unknown-command error on one line:
// unknown command "rendr" for "deadyet" (did you mean "render"? see "deadyet --help").
func unknownCommandText(msg string) string {
	m := cobraUnknown.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	path, err := strconv.Unquote(m[2])
	if err != nil {
		return msg
	}
	var names []string
	for _, l := range strings.Split(m[3], "\n") {
		if l = strings.TrimSpace(l); l != "" {
			names = append(names, strconv.Quote(l))
		}
	}
	hint := fmt.Sprintf("see %q", path+" --help")
	if len(names) > 0 {
		hint = "did you mean " + strings.Join(names, " or ") + "? " + hint
	}
	return m[1] + " (" + hint + ")"
}
