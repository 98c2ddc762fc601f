// Package historytest makes up a past for tests, benchmarks and "deadyet
// demo": [Runs] is a series of runs recorded into a [history.History] as real
// runs would be, and [Results] and [Short] write runs and lines compactly.
package historytest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

// Runs is a made-up series of runs: one every Step from First while before
// Until, each Base at the run's time with the results See gives.
type Runs struct {
	Base  probe.Results // what every run starts from: version, vantage, results
	First time.Time     // the first run
	Until time.Time     // the end, not included
	Step  time.Duration // the time between two runs, more than 0
	// See is what the run at t saw, called in time order: it may change and
	// return rs, a copy of Base.Results, or return false for no run at t.
	// Nil: every run sees Base.Results.
	See func(t time.Time, rs []probe.Result) ([]probe.Result, bool)
}

// Record records the runs into h, oldest first, up to the first error.
// Nothing is written to disk.
func (r Runs) Record(h *history.History) error {
	for t := r.First; t.Before(r.Until); t = t.Add(r.Step) {
		rs := slices.Clone(r.Base.Results)
		if r.See != nil {
			var ok bool
			if rs, ok = r.See(t, rs); !ok {
				continue
			}
		}
		run := r.Base
		run.Started, run.Finished, run.Results = t, t, rs
		if _, err := h.Record(run); err != nil {
			return err
		}
	}
	return nil
}

// At is a time written "2026-11-25 10:00", UTC; it panics on another form.
func At(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Results is a run finished at [At](at), 3 seconds long, by vantage "test",
// one result per cell "group address check=state: detail" (": detail" may
// be left out). It panics on a cell of another form.
func Results(at string, cells ...string) probe.Results {
	fin := At(at)
	r := probe.Results{Version: probe.ResultsVersion, Started: fin.Add(-3 * time.Second), Finished: fin, Vantage: "test"}
	for _, c := range cells {
		key, st, ok := strings.Cut(c, "=")
		f := strings.Fields(key)
		if !ok || len(f) != 3 {
			panic(fmt.Sprintf("historytest: bad cell %q", c))
		}
		st, detail, _ := strings.Cut(st, ": ")
		r.Results = append(r.Results, probe.Result{Group: f[0], Address: f[1], Check: f[2], State: probe.State(st), Detail: detail})
	}
	return r
}

// Short is l in one short line, like "11-25 10:00 bn2 127.0.2.1 msnp21 up→timeout: no answer".
func Short(l history.Line) string {
	if l.Heartbeat {
		return l.T.Format("01-02 15:04") + " heartbeat"
	}
	s := fmt.Sprintf("%s %s %s→%s", l.T.Format("01-02 15:04"), l.Key, l.From, l.To)
	if l.Detail != "" {
		s += ": " + l.Detail
	}
	return s
}
