package results_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/results"
)

// BenchmarkResults writes and reads a results.json of 10,000 results.
func BenchmarkResults(b *testing.B) {
	r := probe.Results{Version: 1, Started: time.Unix(0, 0).UTC(), Finished: time.Unix(3, 0).UTC(), Vantage: "bench"}
	for i := range 10000 {
		r.Results = append(r.Results, probe.Result{Group: "g", Address: fmt.Sprintf("127.1.%d.%d", i/250, i%250+1),
			Check: "msnp21", State: probe.Up, MS: 3, Attempts: 1, Detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"})
	}
	path := filepath.Join(b.TempDir(), "results.json")
	for b.Loop() {
		if err := results.Write(path, r); err != nil {
			b.Fatal(err)
		}
		if _, err := results.Read(path); err != nil {
			b.Fatal(err)
		}
	}
}
