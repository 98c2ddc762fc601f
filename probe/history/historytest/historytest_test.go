package historytest_test

import (
	"os"
	"path/filepath"
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
