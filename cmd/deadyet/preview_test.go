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
	"slices"
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

// TestPreviewFixture: the results the pull-request preview renders have one
// result per (group, server, check) of site.toml, in config order, skipped
// exactly where the check is not scanned.
func TestPreviewFixture(t *testing.T) {
	s, err := loadConfig(filepath.Join(repoRoot, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	file := previewFixture
	if *updatePreview {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, marshalPreview(previewResults(s.Probe)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/deadyet -run TestPreviewFixture -update-preview writes it)", err)
	}
	var got probe.Results
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if got.Version != probe.ResultsVersion || got.Vantage == "" || got.Started.IsZero() || got.Finished.Before(got.Started) {
		t.Errorf("%s: bad header: version %d vantage %q started %v finished %v", file, got.Version, got.Vantage, got.Started, got.Finished)
	}
	var want []string
	for _, g := range s.Probe.Groups {
		for _, sv := range g.Servers {
			for _, key := range g.Checks {
				w := g.Name + " " + sv.Address + " " + key
				if !s.Probe.Checks[key].Scan {
					w += " skipped"
				}
				want = append(want, w)
			}
		}
	}
	var have []string
	states := map[probe.State]bool{}
	for _, r := range got.Results {
		if !r.State.Valid() {
			t.Errorf("%s: %s: unknown state %q", file, r, r.State)
		}
		states[r.State] = true
		h := r.Group + " " + r.Address + " " + r.Check
		if r.State == probe.Skipped {
			h += " skipped"
		}
		have = append(have, h)
	}
	if !slices.Equal(have, want) {
		t.Errorf("%s does not match site.toml: regenerate it with\n\tgo test ./cmd/deadyet -run TestPreviewFixture -update-preview", file)
	}
	if len(states) != len(probe.States) {
		t.Errorf("%s shows %d of the %d states: a preview should show them all", file, len(states), len(probe.States))
	}
}
