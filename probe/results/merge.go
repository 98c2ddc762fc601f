package results

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"deadyet/probe"
)

// Merge merges the results, as [Read] gives them, of vantage points with
// distinct names and the same keys, in the first one's order: Started is the
// earliest, Finished the latest, Vantage the names joined by ", ".
func Merge(rs []probe.Results) (probe.Results, error) {
	if len(rs) == 0 {
		return probe.Results{}, errors.New("merge results: no results")
	}
	names := make([]string, len(rs))
	index := make([]map[probe.Key]int, len(rs))
	for i, r := range rs {
		if r.Vantage == "" {
			return probe.Results{}, fmt.Errorf("merge results: results number %d have no vantage", i+1)
		}
		if slices.Contains(names[:i], r.Vantage) {
			return probe.Results{}, fmt.Errorf("merge results: vantage %q given twice", r.Vantage)
		}
		names[i] = r.Vantage
		index[i] = make(map[probe.Key]int, len(r.Results))
		for j, res := range r.Results {
			index[i][probe.KeyOf(res)] = j
		}
	}
	if len(rs) == 1 {
		return rs[0], nil
	}
	out := probe.Results{Version: probe.ResultsVersion, Started: rs[0].Started, Finished: rs[0].Finished,
		Vantage: strings.Join(names, ", "), Results: make([]probe.Result, 0, len(rs[0].Results))}
	for i, r := range rs[1:] {
		for _, res := range r.Results {
			if _, ok := index[0][probe.KeyOf(res)]; !ok {
				return probe.Results{}, fmt.Errorf("merge results: vantage %q has a result for %q that vantage %q lacks", names[i+1], probe.KeyOf(res).String(), names[0])
			}
		}
		if r.Started.Before(out.Started) {
			out.Started = r.Started
		}
		if r.Finished.After(out.Finished) {
			out.Finished = r.Finished
		}
	}
	seen := make([]probe.Result, len(rs))
	for _, first := range rs[0].Results {
		k := probe.KeyOf(first)
		for i := range rs {
			j, ok := index[i][k]
			if !ok {
				return probe.Results{}, fmt.Errorf("merge results: vantage %q has no result for %q", names[i], k.String())
			}
			seen[i] = rs[i].Results[j]
		}
		m, err := mergeOne(names, seen)
		if err != nil {
			return probe.Results{}, err
		}
		out.Results = append(out.Results, m)
	}
	return out, nil
}

// mergeOne merges what each vantage point (names[i]) saw of one key.
func mergeOne(names []string, seen []probe.Result) (probe.Result, error) {
	best := 0
	for i, r := range seen {
		if (r.State == probe.Skipped) != (seen[0].State == probe.Skipped) {
			s, p := i, 0
			if seen[0].State == probe.Skipped {
				s, p = 0, i
			}
			return probe.Result{}, fmt.Errorf("merge results: %q is skipped by vantage %q but probed by vantage %q: the vantage points used different configs",
				probe.KeyOf(r).String(), names[s], names[p])
		}
		if slices.Index(probe.States, r.State) < slices.Index(probe.States, seen[best].State) {
			best = i // the states are in order, best first
		}
	}
	m := seen[best]
	m.Disagree = slices.ContainsFunc(seen, func(r probe.Result) bool { return r.State != m.State })
	if !m.Disagree {
		return m, nil
	}
	var parts []string
	for _, s := range probe.States {
		var who []string
		for i, r := range seen {
			if r.State == s {
				who = append(who, names[i])
			}
		}
		if len(who) > 0 {
			parts = append(parts, string(s)+" from "+strings.Join(who, ", "))
		}
	}
	m.Detail = probe.ClipDetail(strings.Join(parts, "; "))
	return m, nil
}
