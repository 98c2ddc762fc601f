package historytest_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/history/historytest"
)

// file is the history.jsonl that recording into a new history gives.
func file(t *testing.T, record func(h *history.History) error) []byte {
	t.Helper()
	dir := t.TempDir()
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := record(h); err != nil {
		t.Fatal(err)
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, history.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRecordSkipsOnlyQuietRuns: the runs Record leaves out would have
// added nothing. Recording every run, one by one, gives the same bytes.
func TestRecordSkipsOnlyQuietRuns(t *testing.T) {
	base := probe.Results{Version: probe.ResultsVersion, Vantage: "test", Results: []probe.Result{
		{Group: "g", Address: "127.0.0.1", Check: "msnp21", State: probe.Up},
		{Group: "g", Address: "127.0.0.2", Check: "msnp21", State: probe.Timeout},
		{Group: "g", Address: "127.0.0.2", Check: "tcp80", State: probe.Skipped},
	}}
	states := []probe.State{probe.Up, probe.Timeout, probe.Refused, probe.Skipped}
	first := time.Date(2026, 11, 1, 0, 0, 3, 0, time.UTC)
	for _, tt := range []struct {
		name string
		step time.Duration
		flip float64
	}{{"hourly, rare changes", time.Hour, 0.02}, {"every 7 hours, many changes", 7 * time.Hour, 0.5}} {
		t.Run(tt.name, func(t *testing.T) {
			// see is a random walk with days off and a server that leaves;
			// it depends on t only, so both recordings see the same runs.
			see := func(at time.Time, rs []probe.Result) ([]probe.Result, bool) {
				rng := rand.New(rand.NewPCG(uint64(at.Unix()), 1))
				if at.Day()%9 == 0 {
					return nil, false
				}
				for i := range rs {
					if rng.Float64() < tt.flip {
						rs[i].State = states[rng.IntN(len(states))]
					}
				}
				if at.Day() > 20 {
					rs = rs[1:] // the first server leaves, up
				} else if rs[0].State == probe.Skipped {
					rs[0].State = probe.Up
				}
				return rs, true
			}
			runs := historytest.Runs{Base: base, First: first, Until: first.AddDate(0, 0, 30), Step: tt.step, See: see}
			got := file(t, runs.Record)
			want := file(t, func(h *history.History) error {
				n := 0
				for at := runs.First; at.Before(runs.Until); at = at.Add(runs.Step) {
					rs, ok := see(at, slices.Clone(base.Results))
					if !ok {
						continue
					}
					n++
					r := base
					r.Started, r.Finished, r.Results = at, at, rs
					if _, err := h.Record(r); err != nil {
						return err
					}
				}
				t.Logf("%d runs, %d lines", n, bytes.Count(got, []byte("\n")))
				return nil
			})
			if !bytes.Equal(got, want) {
				t.Errorf("Record:\n%s\nrecording every run:\n%s", got, want)
			}
			if !bytes.Contains(got, []byte(`"to":"skipped","detail":"no longer probed"`)) {
				t.Error("the server that left is not in the history")
			}
		})
	}
}

// TestRecordNilSee: every run sees Base; a failed run stops Record and
// leaves the history as it was.
func TestRecordNilSee(t *testing.T) {
	base := probe.Results{Version: probe.ResultsVersion, Results: []probe.Result{{Group: "g", Address: "127.0.0.1", Check: "tcp443", State: probe.Up}}}
	first := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	got := string(file(t, historytest.Runs{Base: base, First: first, Until: first.AddDate(0, 0, 3), Step: time.Hour}.Record))
	want := `{"t":"2026-11-01T10:00:00Z","heartbeat":true}
{"t":"2026-11-01T10:00:00Z","group":"g","address":"127.0.0.1","check":"tcp443","from":"","to":"up"}
{"t":"2026-11-02T00:00:00Z","heartbeat":true}
{"t":"2026-11-03T00:00:00Z","heartbeat":true}
{"t":"2026-11-04T00:00:00Z","heartbeat":true}
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	h, err := history.Read(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base.Results[0].State = "dead"
	err = historytest.Runs{Base: base, First: first, Until: first.Add(time.Hour), Step: time.Minute}.Record(h)
	if want := `record history: "g 127.0.0.1 tcp443" has unknown state "dead"`; err == nil || err.Error() != want || h.Changed() {
		t.Errorf("got %v, changed %v; want %s", err, h.Changed(), want)
	}
}
