// Package historytest makes up a past: a series of runs at a fixed step,
// each seeing what a function of its time says, recorded into a
// [history.History] as real runs would be. The tests and benchmarks build
// their histories with it, and "deadyet demo" the made-up past of its page,
// the way package msntest simulates the servers.
package historytest

import (
	"fmt"
	"slices"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

// Runs is a made-up series of runs: one every Step from First while before
// Until. Each run is Base with its time set to the run's (Started and
// Finished both) and the results See gives.
type Runs struct {
	Base  probe.Results // what every run starts from: version, vantage, results
	First time.Time     // the first run
	Until time.Time     // the end, not included
	Step  time.Duration // the time between two runs; more than 0
	// See is what the run at t saw. It gets a copy of Base.Results, its own
	// to change until the next call, and returns the run's results: that
	// copy, changed or not, or another slice. It returns false when no run
	// happened at t. It is called in time order, once for each step. Nil:
	// every run sees Base.Results.
	See func(t time.Time, rs []probe.Result) ([]probe.Result, bool)
}

// Record records the runs into h, oldest first, and stops at the first
// error [history.History.Record] returns (or at a Step that is not more
// than 0). Nothing is written to disk: see
// [history.History.Write].
//
// A run that sees the same states as the run recorded before it, on the
// same UTC day, would add no line: it is not recorded, which makes years of
// hourly runs cheap to make up.
func (r Runs) Record(h *history.History) error {
	if r.Step <= 0 {
		return fmt.Errorf("made-up runs: step %v, want more than 0", r.Step)
	}
	var buf, last []probe.Result
	var lastDay time.Time
	for t := r.First; t.Before(r.Until); t = t.Add(r.Step) {
		buf = append(buf[:0], r.Base.Results...)
		rs := buf
		if r.See != nil {
			var ok bool
			if rs, ok = r.See(t, buf); !ok {
				continue
			}
		}
		day := t.UTC().Truncate(24 * time.Hour)
		if last != nil && day.Equal(lastDay) && sameStates(last, rs) {
			continue
		}
		run := r.Base
		run.Started, run.Finished, run.Results = t, t, rs
		if _, err := h.Record(run); err != nil {
			return err
		}
		last, lastDay = append(last[:0], rs...), day
	}
	return nil
}

// sameStates reports whether a and b have the same keys, in the same order,
// in the same states: then recording b after a adds nothing.
func sameStates(a, b []probe.Result) bool {
	return slices.EqualFunc(a, b, func(x, y probe.Result) bool {
		return x.State == y.State && probe.KeyOf(x) == probe.KeyOf(y)
	})
}
