package render

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

// withoutResults is res without the results drop says to drop.
func withoutResults(res probe.Results, drop func(r probe.Result) bool) probe.Results {
	res.Results = slices.DeleteFunc(slices.Clone(res.Results), drop)
	return res
}

// isMSNP reports whether r is of one of the fixture's MSNP checks.
func isMSNP(r probe.Result) bool { return strings.HasPrefix(r.Check, "msnp") }

// isMain reports whether r is of a main server of fixtureConfig (the first
// of each region).
func isMain(r probe.Result) bool { return strings.HasSuffix(r.Address, ".0.1") }

// TestNoDataIsNotDeath: a check the results hold nothing for is no data,
// shown as such and counted neither up nor down; the verdict and the
// headline come from the cells with data only, and are unknown where no
// main server has any.
func TestNoDataIsNotDeath(t *testing.T) {
	cfg := fixtureConfig(3, 2) // bn2: 127.2.0.1 (main), .2, .3; co4: 127.3.0.1 (main), .2
	upAt := func(g, s int) bool { return g == 0 && s == 2 }
	tests := []struct {
		name     string
		upAt     func(g, s int) bool
		drop     func(r probe.Result) bool
		verdict  Verdict
		headline string
		missing  int
	}{
		{"every result there", nil, func(probe.Result) bool { return false }, Dead, "All protocol versions up to MSNP22 are gone", 0},
		{"a main server answers", func(g, s int) bool { return g == 1 && s == 0 }, func(probe.Result) bool { return false }, Alive, "MSNP21 still answers in co4", 0},
		{"others answer", func(g, s int) bool { return s == 2 }, func(probe.Result) bool { return false }, Partial, "MSNP21 still answers in bn2, but no main server does", 0},
		{"no MSNP result", nil, isMSNP, Unknown, "No main server has data", 10},
		{"no MSNP result, even for checks not scanned", nil, func(r probe.Result) bool { return isMSNP(r) || r.Check == "tcp80" }, Unknown, "No main server has data", 10},
		{"none of the main servers' MSNP results", nil, func(r probe.Result) bool { return isMSNP(r) && isMain(r) }, Unknown, "No main server has data", 4},
		{"none of the main servers' MSNP results, another server up", upAt, func(r probe.Result) bool { return isMSNP(r) && isMain(r) },
			Unknown, "MSNP21 still answers in bn2, but no main server has data", 4},
		{"one main server's MSNP results", nil, func(r probe.Result) bool { return isMSNP(r) && r.Address != "127.2.0.1" }, Dead, "All protocol versions up to MSNP22 are gone", 8},
		{"no MSNP22 result", nil, func(r probe.Result) bool { return r.Check == "msnp22" }, Dead, "All protocol versions up to MSNP21 are gone", 5},
		{"a main server's results missing, another server up", upAt, func(r probe.Result) bool { return isMSNP(r) && r.Address == "127.3.0.1" },
			Partial, "MSNP21 still answers in bn2, but no main server does", 2},
		{"a port result missing", nil, func(r probe.Result) bool { return r.Address == "login.live.example" }, Dead, "All protocol versions up to MSNP22 are gone", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := withoutResults(fixtureResults(cfg, tt.upAt), tt.drop)
			v := mustBuild(t, Options{Config: cfg, Results: res})
			if v.Verdict != tt.verdict || v.Headline != tt.headline || v.Answer != (Page{}).WithDefaults().Verdict.Of(tt.verdict) {
				t.Errorf("verdict %q %q %q, want %q %q", v.Verdict, v.Answer, v.Headline, tt.verdict, tt.headline)
			}
			if v.Missing != tt.missing {
				t.Errorf("Missing = %d, want %d", v.Missing, tt.missing)
			}
			missing := 0
			for _, tab := range v.Tables {
				for ri, row := range tab.Rows {
					for ci, c := range row.Cells {
						col := tab.Columns[ci]
						if !col.Scanned {
							if c.State != probe.Skipped {
								t.Errorf("%s %s %s not scanned: cell %q, want skipped", tab.Name, row.Address, col.Key, c.State)
							}
							continue
						}
						if _, ok := resultOf(res, tab.Name, row.Address, col.Key); ok {
							continue
						}
						missing++
						if c.State != "" || c.Symbol != "no data" || c.Class != "none" || !strings.HasPrefix(c.Text, "no data") {
							t.Errorf("%s row %d %s without a result: %+v", tab.Name, ri, col.Key, c)
						}
					}
				}
				for _, col := range tab.Columns {
					up, total := 0, 0
					for _, r := range res.Results {
						if r.Group == tab.Name && r.Check == col.Key && col.Scanned {
							total++
							if r.State == probe.Up {
								up++
							}
						}
					}
					if col.Up != up || col.Total != total {
						t.Errorf("%s %s: %d/%d up, want %d/%d (no data counts neither up nor down)", tab.Name, col.Key, col.Up, col.Total, up, total)
					}
				}
			}
			if missing != tt.missing {
				t.Errorf("%d cells without a result, want %d", missing, tt.missing)
			}
		})
	}
}

// resultOf is the result of a cell in res.
func resultOf(res probe.Results, group, address, check string) (probe.Result, bool) {
	for _, r := range res.Results {
		if r.Group == group && r.Address == address && r.Check == check {
			return r, true
		}
	}
	return probe.Result{}, false
}

// TestNoDataPages: the site of results without any MSNP result says
// "unknown" everywhere the verdict shows, and "no data" in the cells, on
// the server pages, to screen readers and in status.json.
func TestNoDataPages(t *testing.T) {
	cfg := fixtureConfig(3, 2)
	res := withoutResults(fixtureResults(cfg, nil), isMSNP)
	files := mustRender(t, Options{Config: cfg, Page: Page{Verdict: VerdictWords{Unknown: "Who knows?"}}, Results: res})
	index := string(fileOf(t, files, "index.html"))
	hasAll(t, "index.html", index, `<section class="verdict unknown" aria-label="Answer">`,
		"Who knows?",
		"No main server has data",
		`<td><a href=server/bn2/127.2.0.1/index.html#check-msnp21 class=none><span class=vh>no data: the results hold no result for this check</span></a>`,
		`<dt><span class="sym none">no data</span></dt><dd>The results hold no result for this check at this server: a results file lacks it, or the server was added since. It counts neither as up nor as down.</dd>`)
	for _, dead := range []string{"Yes.", `class="verdict dead"`} {
		if strings.Contains(index, dead) {
			t.Errorf("index.html says %s", dead)
		}
	}
	server := string(fileOf(t, files, "server/bn2/127.2.0.1/index.html"))
	hasAll(t, "the server page", server, `MSNP21: <span class="sym none">no data</span></h3>`,
		`<dt>State<dd>The results hold no result for this check at this server: a results file lacks it, or the server was added since. It counts neither as up nor as down.<dt>`)
	var status Status
	if err := json.Unmarshal(fileOf(t, files, "status.json"), &status); err != nil {
		t.Fatal(err)
	}
	if status.Verdict != Unknown || status.Answer != "Who knows?" || status.Headline != "No main server has data" {
		t.Errorf("status.json: %q %q %q", status.Verdict, status.Answer, status.Headline)
	}
	if got := status.Groups[0].Servers[0].States; got["msnp21"] != NoResult || got["msnp18"] != string(probe.Skipped) || got["tcp443"] != string(probe.Up) {
		t.Errorf("status.json states of bn2's main server: %v", got)
	}
	if b := string(fileOf(t, files, "badge.svg")); !strings.Contains(b, ">unknown<") || strings.Contains(b, ">dead<") {
		t.Errorf("badge.svg: %s", b)
	}
}

// TestNoDataDays: a day page's verdict too comes from the cells with data
// that day: a day the history has only a server that is not main is
// unknown, not dead.
func TestNoDataDays(t *testing.T) {
	cfg := fixtureConfig(3)
	h := historyOf(t, nil)
	full := fixtureResults(cfg, nil)
	at := func(r probe.Results, day int) probe.Results {
		r.Started = time.Date(2026, 11, 20+day, 10, 0, 0, 0, time.UTC)
		r.Finished = r.Started.Add(3 * time.Second)
		return r
	}
	first := at(withoutResults(full, func(r probe.Result) bool { return isMain(r) && isMSNP(r) }), 0)
	if _, err := h.Record(first); err != nil {
		t.Fatal(err)
	}
	last := at(full, 1)
	if _, err := h.Record(last); err != nil {
		t.Fatal(err)
	}
	files := mustRender(t, Options{Config: cfg, Results: last, History: h})
	for day, want := range map[string]string{
		"day/2026-11-20/index.html": `<section class="verdict unknown" aria-label="Answer">`,
		"day/2026-11-21/index.html": `<section class="verdict dead" aria-label="Answer">`,
	} {
		if page := string(fileOf(t, files, day)); !strings.Contains(page, want) {
			t.Errorf("%s lacks %s", day, want)
		}
	}
}
