package main

// To regenerate the preview fixture after changing site.toml:
//
//	go test ./cmd/deadyet -run TestPreviewFixture -update-preview

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"deadyet/probe"
)

var updatePreview = flag.Bool("update-preview", false, "rewrite the preview results fixture from site.toml")

// previewFixture is the results file pr.yml's preview renders (make preview).
const previewFixture = repoRoot + "/testdata/preview-results.json"

// previewResults makes the fixture for a config. Every state appears and the
// details say it is a fixture; like the real fleet today, ports answer but
// no MSNP check is up, so the preview's verdict is the real one. One cell
// shows vantage points that disagree.
func previewResults(cfg probe.Config) probe.Results {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	r := probe.Results{Version: probe.ResultsVersion, Started: at, Finished: at.Add(4 * time.Second), Vantage: "preview-fixture"}
	cycles := map[probe.Kind][]probe.State{
		probe.TCP:  {probe.Up, probe.Timeout, probe.Up, probe.Refused, probe.Error, probe.Up, probe.Foreign},
		probe.MSNP: {probe.Timeout, probe.Rejected, probe.Refused, probe.Timeout, probe.Foreign, probe.Error, probe.Timeout},
	}
	cycles[probe.SignIn] = cycles[probe.MSNP]
	details := map[probe.State]string{
		probe.Up: "fixture: connected", probe.Rejected: "fixture: VER 1 0", probe.Foreign: "fixture: not an MSN server",
		probe.Refused: "fixture: connection refused", probe.Timeout: "fixture: no answer in 3s", probe.Error: "fixture: no such host",
	}
	n, disagree := 0, false
	for _, g := range cfg.Groups {
		for _, s := range g.Servers {
			for _, key := range g.Checks {
				c := cfg.Checks[key]
				res := probe.Result{Group: g.Name, Address: s.Address, Check: key, State: probe.Skipped}
				if c.Scan {
					cycle := cycles[c.Kind]
					res.State = cycle[n%len(cycle)]
					res.Attempts = 1
					if res.State != probe.Up {
						res.Attempts = 2
					}
					res.MS = int64(20 + n*37%900)
					res.Detail = details[res.State]
					if res.State == probe.Up && !disagree {
						res.Disagree, disagree = true, true
						res.Detail = "up from preview-eu; timeout from preview-us"
					}
					n++
				}
				r.Results = append(r.Results, res)
			}
		}
	}
	return r
}

// marshalPreview writes one result a line, for readable diffs.
func marshalPreview(r probe.Results) []byte {
	var b bytes.Buffer
	head, _ := json.Marshal(struct {
		Version  int       `json:"version"`
		Started  time.Time `json:"started"`
		Finished time.Time `json:"finished"`
		Vantage  string    `json:"vantage"`
	}{r.Version, r.Started, r.Finished, r.Vantage})
	b.Write(head[:len(head)-1])
	b.WriteString(`,"results":[`)
	for i, res := range r.Results {
		if i > 0 {
			b.WriteByte(',')
		}
		line, _ := json.Marshal(res)
		b.WriteString("\n  ")
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// TestPreviewFixture: the results the pull-request preview renders are
// previewResults of site.toml, byte for byte, and show every state.
func TestPreviewFixture(t *testing.T) {
	s, err := loadConfig(filepath.Join(repoRoot, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := marshalPreview(previewResults(s.Probe))
	if *updatePreview {
		if err := os.WriteFile(previewFixture, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(previewFixture); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s does not match site.toml (%v): regenerate it with\n\tgo test ./cmd/deadyet -run TestPreviewFixture -update-preview", previewFixture, err)
	}
	states := map[probe.State]bool{}
	for _, r := range previewResults(s.Probe).Results {
		states[r.State] = true
	}
	if len(states) != len(probe.States) {
		t.Errorf("the preview shows %d of the %d states: it should show them all", len(states), len(probe.States))
	}
}
