package results

import (
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history/historytest"
)

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

const (
	k21 = "bn2 127.0.2.1 msnp21"
	k22 = "bn2 127.0.2.1 msnp22"
	k2  = "bn2 127.0.2.2 tcp443"
)

// vantage builds one vantage point's results from cells "group address
// check=state: detail", with ms the index of the cell plus base.
func vantage(name string, started string, base int64, cells ...string) probe.Results {
	r := historytest.Results(started, cells...)
	r.Vantage = name
	r.Started = historytest.At(started)
	r.Finished = r.Started.Add(time.Duration(base) * time.Second)
	for i := range r.Results {
		r.Results[i].MS = base + int64(i)
		r.Results[i].Attempts = 1
	}
	return r
}

func TestMergeResults(t *testing.T) {
	tests := []struct {
		name string
		in   []probe.Results
		want []string // Result.String() of each merged result, "!" appended when Disagree
	}{{
		name: "agree",
		in: []probe.Results{
			vantage("eu", "2026-11-25 10:00", 100, k21+"=up: CVR answered", k2+"=timeout: no answer in 3s"),
			vantage("us", "2026-11-25 10:00", 200, k21+"=up: CVR answered", k2+"=timeout: no answer in 3.1s"),
		},
		want: []string{"bn2 127.0.2.1 msnp21: up (CVR answered) 100ms", "bn2 127.0.2.2 tcp443: timeout (no answer in 3s) 101ms"},
	}, {
		name: "up anywhere is up",
		in: []probe.Results{
			vantage("github-us", "2026-11-25 10:00", 100, k21+"=timeout: no answer in 3s"),
			vantage("github-eu", "2026-11-25 10:00", 200, k21+"=up: CVR answered"),
		},
		want: []string{"bn2 127.0.2.1 msnp21: up (up from github-eu; timeout from github-us) 200ms !"},
	}, {
		name: "rejected beats foreign beats refused beats timeout beats error",
		in: []probe.Results{
			vantage("a", "2026-11-25 10:00", 100, k21+"=error", k22+"=timeout", k2+"=refused"),
			vantage("b", "2026-11-25 10:00", 200, k21+"=timeout", k22+"=refused", k2+"=foreign"),
			vantage("c", "2026-11-25 10:00", 300, k21+"=timeout", k22+"=timeout", k2+"=rejected: VER 1 0"),
		},
		want: []string{
			"bn2 127.0.2.1 msnp21: timeout (timeout from b, c; error from a) 200ms !",
			"bn2 127.0.2.1 msnp22: refused (refused from b; timeout from a, c) 201ms !",
			"bn2 127.0.2.2 tcp443: rejected (rejected from c; foreign from b; refused from a) 302ms !",
		},
	}, {
		name: "order of the first input; the others may differ",
		in: []probe.Results{
			vantage("a", "2026-11-25 10:00", 100, k2+"=up", k21+"=skipped"),
			vantage("b", "2026-11-25 10:00", 200, k21+"=skipped", k2+"=up"),
		},
		want: []string{"bn2 127.0.2.2 tcp443: up () 100ms", "bn2 127.0.2.1 msnp21: skipped () 101ms"},
	}, {
		name: "one input is itself",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 100, k21+"=foreign: echo")},
		want: []string{"bn2 127.0.2.1 msnp21: foreign (echo) 100ms"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			got, err := Merge(in)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, r := range got.Results {
				s := r.String() + " " + time.Duration(r.MS*int64(time.Millisecond)).String()
				if r.Disagree {
					s += " !"
				}
				lines = append(lines, s)
			}
			sameStrings(t, "merged", lines, tt.want)
			var names []string
			for _, r := range in {
				names = append(names, r.Vantage)
			}
			if got.Vantage != strings.Join(names, ", ") || got.Version != probe.ResultsVersion {
				t.Errorf("vantage %q version %d", got.Vantage, got.Version)
			}
		})
	}
}

func TestMergeResultsTimes(t *testing.T) {
	a := vantage("a", "2026-11-25 10:01", 5, k21+"=up")
	b := vantage("b", "2026-11-25 10:00", 3, k21+"=up")
	got, err := Merge([]probe.Results{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Started.Equal(b.Started) || !got.Finished.Equal(a.Finished) {
		t.Errorf("started %v finished %v, want %v %v", got.Started, got.Finished, b.Started, a.Finished)
	}
}

func TestMergeResultsErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []probe.Results
		want string
	}{{
		name: "nothing",
		in:   nil,
		want: "merge results: no results",
	}, {
		name: "no vantage",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 1, k21+"=up"), vantage("", "2026-11-25 10:00", 1, k21+"=up")},
		want: "merge results: results number 2 have no vantage",
	}, {
		name: "same vantage twice",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 1, k21+"=up"), vantage("a", "2026-11-25 10:00", 1, k21+"=up")},
		want: `merge results: vantage "a" given twice`,
	}, {
		name: "a key missing",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 1, k21+"=up", k2+"=up"), vantage("b", "2026-11-25 10:00", 1, k21+"=up")},
		want: `merge results: vantage "b" has no result for "bn2 127.0.2.2 tcp443"`,
	}, {
		name: "a key more",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 1, k21+"=up"), vantage("b", "2026-11-25 10:00", 1, k21+"=up", k22+"=up")},
		want: `merge results: vantage "b" has a result for "bn2 127.0.2.1 msnp22" that vantage "a" lacks`,
	}, {
		name: "skipped by one only",
		in:   []probe.Results{vantage("a", "2026-11-25 10:00", 1, k21+"=up"), vantage("b", "2026-11-25 10:00", 1, k21+"=skipped")},
		want: `merge results: "bn2 127.0.2.1 msnp21" is skipped by vantage "b" but probed by vantage "a": the vantage points used different configs`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}
