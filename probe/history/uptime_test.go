package history_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

// recordAll records runs into a new history, not written.
func recordAll(t testing.TB, runs []probe.Results) *history.History {
	t.Helper()
	h, err := history.Read(t.TempDir())
	for _, r := range runs {
		if err == nil {
			_, err = h.Record(r)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// daily is one run a day at 00:00 from the first date for n days, each with
// the cells cells(i) gives for day i.
func daily(first string, n int, cells func(i int) []string) []probe.Results {
	d0, _ := time.Parse(time.DateOnly, first)
	var out []probe.Results
	for i := 0; i < n; i++ {
		out = append(out, run(d0.AddDate(0, 0, i).Format("2006-01-02 15:04"), cells(i)...))
	}
	return out
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

type dayWant struct {
	back      int // 0 is now's day, 1 the day before, …
	up, known float64
}

// wholeDays is every day of the timeline from back days ago on, known for
// 24 hours and up for up of them.
func wholeDays(back int, up float64) []dayWant {
	var d []dayWant
	for i := back; i < history.TimelineDays; i++ {
		d = append(d, dayWant{i, up, 24})
	}
	return d
}

func TestStats(t *testing.T) {
	tests := []struct {
		name         string
		runs         []probe.Results
		now          string
		state        probe.State
		since, first string
		lastUp       string // "now", "" for never, or a time
		month, year  history.Ratio
		days         []dayWant // the days not listed have no data
		changes      []string
		missing      bool // the key is not in the stats
	}{{
		name: "up on three covered days",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-02 00:00", k21+"=up"),
			run("2026-01-03 00:00", k21+"=up"),
		},
		now:   "2026-01-03 12:00",
		state: probe.Up, since: "2026-01-01 00:00", first: "2026-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(60), hours(60)}, year: history.Ratio{hours(60), hours(60)},
		days: []dayWant{{0, 12, 12}, {1, 24, 24}, {2, 24, 24}},
	}, {
		name: "a day without a run is no data",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-03 00:00", k21+"=up"),
		},
		now:   "2026-01-03 12:00",
		state: probe.Up, since: "2026-01-01 00:00", first: "2026-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(36), hours(36)}, year: history.Ratio{hours(36), hours(36)},
		days: []dayWant{{0, 12, 12}, {2, 24, 24}},
	}, {
		name: "flips within a day",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-01 06:00", k21+"=timeout"),
			run("2026-01-01 18:00", k21+"=up"),
			run("2026-01-02 00:00", k21+"=up"),
		},
		now:   "2026-01-02 00:00",
		state: probe.Up, since: "2026-01-01 18:00", first: "2026-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(12), hours(24)}, year: history.Ratio{hours(12), hours(24)},
		days:    []dayWant{{1, 12, 24}},
		changes: []string{"01-01 18:00 bn2 127.0.2.1 msnp21 timeout→up", "01-01 06:00 bn2 127.0.2.1 msnp21 up→timeout"},
	}, {
		name: "down now: last up is the run that first saw it down",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-01 12:00", k21+"=timeout: no answer"),
		},
		now:   "2026-01-01 18:00",
		state: probe.Timeout, since: "2026-01-01 12:00", first: "2026-01-01 00:00", lastUp: "2026-01-01 12:00",
		month: history.Ratio{hours(12), hours(18)}, year: history.Ratio{hours(12), hours(18)},
		days:    []dayWant{{0, 12, 18}},
		changes: []string{"01-01 12:00 bn2 127.0.2.1 msnp21 up→timeout: no answer"},
	}, {
		name: "never up",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=rejected"),
			run("2026-01-01 12:00", k21+"=timeout"),
		},
		now:   "2026-01-01 18:00",
		state: probe.Timeout, since: "2026-01-01 12:00", first: "2026-01-01 00:00",
		month: history.Ratio{0, hours(18)}, year: history.Ratio{0, hours(18)},
		days:    []dayWant{{0, 0, 18}},
		changes: []string{"01-01 12:00 bn2 127.0.2.1 msnp21 rejected→timeout"},
	}, {
		name: "skipped time is no data",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-01 12:00", k21+"=skipped"),
		},
		now:   "2026-01-01 18:00",
		state: probe.Skipped, since: "2026-01-01 12:00", first: "2026-01-01 00:00", lastUp: "2026-01-01 12:00",
		month: history.Ratio{hours(12), hours(12)}, year: history.Ratio{hours(12), hours(12)},
		days:    []dayWant{{0, 12, 12}},
		changes: []string{"01-01 12:00 bn2 127.0.2.1 msnp21 up→skipped"},
	}, {
		name: "before the first sighting is no data",
		runs: []probe.Results{
			run("2026-01-01 00:00", k2+"=up"),
			run("2026-01-01 12:00", k2+"=up", k21+"=up"),
		},
		now:   "2026-01-01 18:00",
		state: probe.Up, since: "2026-01-01 12:00", first: "2026-01-01 12:00", lastUp: "now",
		month: history.Ratio{hours(6), hours(6)}, year: history.Ratio{hours(6), hours(6)},
		days: []dayWant{{0, 6, 6}},
	}, {
		name: "lines after now are ignored",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-01 12:00", k21+"=timeout"),
			run("2026-01-02 01:00", k21+"=refused"),
		},
		now:   "2026-01-01 06:00",
		state: probe.Up, since: "2026-01-01 00:00", first: "2026-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(6), hours(6)}, year: history.Ratio{hours(6), hours(6)},
		days: []dayWant{{0, 6, 6}},
	}, {
		name: "today is not covered by a heartbeat later today",
		runs: []probe.Results{
			run("2026-01-01 00:00", k21+"=up"),
			run("2026-01-02 12:00", k21+"=up"),
		},
		now:   "2026-01-02 06:00",
		state: probe.Up, since: "2026-01-01 00:00", first: "2026-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(24), hours(24)}, year: history.Ratio{hours(24), hours(24)},
		days: []dayWant{{1, 24, 24}},
	}, {
		name: "not seen by now",
		runs: []probe.Results{
			run("2026-01-01 00:00", k2+"=up"),
			run("2026-01-01 12:00", k2+"=up", k21+"=up"),
		},
		now:     "2026-01-01 06:00",
		missing: true,
	}, {
		name: "month and year windows",
		runs: daily("2026-01-01", 201, func(i int) []string {
			if i < 100 {
				return []string{k21 + "=up"}
			}
			return []string{k21 + "=timeout"}
		}),
		now:   "2026-07-20 00:00", // day 200
		state: probe.Timeout, since: "2026-04-11 00:00", first: "2026-01-01 00:00", lastUp: "2026-04-11 00:00",
		month: history.Ratio{0, hours(30 * 24)}, year: history.Ratio{hours(100 * 24), hours(200 * 24)},
		days:    wholeDays(1, 0),
		changes: []string{"04-11 00:00 bn2 127.0.2.1 msnp21 up→timeout"},
	}, {
		name: "the year window starts mid-day",
		runs: daily("2025-01-01", 400, func(i int) []string { return []string{k21 + "=up"} }),
		now:  "2026-02-04 06:00", // day 399
		// The window starts at 2025-02-04 06:00: 365 days exactly, all covered.
		state: probe.Up, since: "2025-01-01 00:00", first: "2025-01-01 00:00", lastUp: "now",
		month: history.Ratio{hours(30 * 24), hours(30 * 24)}, year: history.Ratio{hours(365 * 24), hours(365 * 24)},
		days: append(wholeDays(1, 24), dayWant{0, 6, 6}),
	}, {
		name:  "nothing known in the windows",
		runs:  []probe.Results{run("2024-01-01 00:00", k21+"=timeout")},
		now:   "2026-01-01 00:00",
		state: probe.Timeout, since: "2024-01-01 00:00", first: "2024-01-01 00:00",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := recordAll(t, tt.runs)
			now := at(tt.now)
			stats := h.Stats(now)
			u, ok := stats[probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}]
			if tt.missing {
				if ok {
					t.Fatalf("stats for a key not seen by now: %+v", u)
				}
				return
			}
			if !ok {
				t.Fatalf("no stats for the key; have %v", stats)
			}
			tm := func(s string) time.Time {
				switch s {
				case "":
					return time.Time{}
				case "now":
					return now
				}
				return at(s)
			}
			if u.State != tt.state || !u.Since.Equal(tm(tt.since)) || !u.First.Equal(tm(tt.first)) || !u.LastUp.Equal(tm(tt.lastUp)) {
				t.Errorf("state %q since %v first %v last up %v;\nwant %q since %v first %v last up %v",
					u.State, u.Since, u.First, u.LastUp, tt.state, tm(tt.since), tm(tt.first), tm(tt.lastUp))
			}
			if u.Month != tt.month || u.Year != tt.year {
				t.Errorf("month %v year %v, want %v %v", u.Month, u.Year, tt.month, tt.year)
			}
			if len(u.Days) != history.TimelineDays {
				t.Fatalf("%d days, want %d", len(u.Days), history.TimelineDays)
			}
			want := make([]history.Ratio, history.TimelineDays)
			for _, d := range tt.days {
				want[history.TimelineDays-1-d.back] = history.Ratio{hours(d.up), hours(d.known)}
			}
			today := now.Truncate(24 * time.Hour)
			for i, d := range u.Days {
				if wantStart := today.AddDate(0, 0, i-history.TimelineDays+1); !d.Start.Equal(wantStart) {
					t.Errorf("day %d starts %v, want %v", i, d.Start, wantStart)
				}
				if d.Ratio != want[i] {
					t.Errorf("day %s: %v, want %v", d.Start.Format(time.DateOnly), d.Ratio, want[i])
				}
			}
			sameStrings(t, "changes", shorts(u.Changes), tt.changes)
		})
	}
}

func TestRatio(t *testing.T) {
	for _, tt := range []struct {
		r   history.Ratio
		pct float64
		ok  bool
	}{{history.Ratio{}, 0, false}, {history.Ratio{0, time.Hour}, 0, true}, {history.Ratio{time.Hour, 4 * time.Hour}, 25, true}} {
		if pct, ok := tt.r.Percent(); pct != tt.pct || ok != tt.ok {
			t.Errorf("%v: Percent %v %v; want %v %v", tt.r, pct, ok, tt.pct, tt.ok)
		}
	}
}

// TestStatsAgainstHourlyCount checks Stats on a random history of hourly
// runs with gaps against a plain count, hour by hour, of the definition in
// the package documentation ("Uptime"), kept by a model of its own.
func TestStatsAgainstHourlyCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := []string{k21, k22, k2}
	states := []probe.State{probe.Up, probe.Up, probe.Timeout, probe.Refused, probe.Rejected, probe.Skipped}
	start := at("2025-03-01 00:00")
	const nHours = 500 * 24
	// model[i][k]: the state of key k during hour i as the history should
	// tell it ("" before its first sighting); firstRun[d]: the hour of day
	// d's first run, -1 if none.
	model := make([][3]probe.State, nHours)
	firstRun := make([]int, nHours/24)
	var cur, m [3]probe.State
	present := [3]bool{true, true, true}
	h := recordAll(t, nil)
	dayRuns := false
	for i := 0; i < nHours; i++ {
		if i%24 == 0 {
			dayRuns = rng.IntN(10) != 0 // one day in ten has no run
			firstRun[i/24] = -1
		}
		if dayRuns && rng.IntN(3) != 0 { // and some hours none either
			if firstRun[i/24] < 0 {
				firstRun[i/24] = i
			}
			var cells []string
			for k := range keys {
				if rng.IntN(20) == 0 {
					present[k] = !present[k] // leave the config, or come back
				}
				if cur[k] == "" || rng.IntN(8) == 0 {
					cur[k] = states[rng.IntN(len(states))]
				}
				switch {
				case present[k]:
					cells = append(cells, keys[k]+"="+string(cur[k]))
					if m[k] != "" || cur[k] != probe.Skipped {
						m[k] = cur[k]
					}
				case m[k] != "":
					m[k] = probe.Skipped
				}
			}
			if _, err := h.Record(run(start.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), cells...)); err != nil {
				t.Fatal(err)
			}
		}
		model[i] = m
	}
	nows := []int{nHours - 1, nHours - 24*40 + 7, 24 * 20, 13, 0}
	for d := len(firstRun) - 1; d > 0; d-- {
		if firstRun[d] >= d*24+2 { // now before the day's first run
			nows = append(nows, d*24+1)
			break
		}
	}
	for _, nowH := range nows {
		now := start.Add(time.Duration(nowH) * time.Hour)
		stats := h.Stats(now)
		for k, ks := range keys {
			var month, year history.Ratio
			days := make([]history.Ratio, history.TimelineDays)
			for i := 0; i < nowH; i++ {
				st := model[i][k]
				if fr := firstRun[i/24]; fr < 0 || fr > nowH || st == "" || st == probe.Skipped {
					continue
				}
				up := time.Duration(0)
				if st == probe.Up {
					up = time.Hour
				}
				if age := nowH - i; age <= 365*24 {
					year.Known += time.Hour
					year.Up += up
				}
				if age := nowH - i; age <= 30*24 {
					month.Known += time.Hour
					month.Up += up
				}
				if d := nowH/24 - i/24; d < history.TimelineDays {
					days[history.TimelineDays-1-d].Known += time.Hour
					days[history.TimelineDays-1-d].Up += up
				}
			}
			f := strings.Fields(ks)
			u, seen := stats[probe.Key{Group: f[0], Address: f[1], Check: f[2]}]
			if u.Month != month || u.Year != year {
				t.Errorf("now %v, %s: month %v year %v; counted %v %v", now, ks, u.Month, u.Year, month, year)
			}
			if wantSeen := model[nowH][k] != ""; seen != wantSeen {
				t.Errorf("now %v, %s: in the stats %v, want %v", now, ks, seen, wantSeen)
			}
			if !seen {
				continue
			}
			if u.State != model[nowH][k] {
				t.Errorf("now %v, %s: state %q, want %q", now, ks, u.State, model[nowH][k])
			}
			for i := range days {
				if u.Days[i].Ratio != days[i] {
					t.Errorf("now %v, %s, day %s: %v; counted %v", now, ks, u.Days[i].Start.Format(time.DateOnly), u.Days[i].Ratio, days[i])
				}
			}
		}
	}
}

// genHistory is the history of the envelope history.jsonl is sized for:
// ten years of daily heartbeats for nKeys keys, each changing about once a
// year. It returns the file's bytes and the time of its last line.
func genHistory(nKeys int) ([]byte, time.Time) {
	rng := rand.New(rand.NewPCG(42, 42))
	states := []probe.State{probe.Up, probe.Timeout, probe.Refused, probe.Rejected, probe.Foreign, probe.Error}
	cur := make([]probe.State, nKeys)
	var b []byte
	t := time.Date(2016, 1, 1, 0, 0, 3, 0, time.UTC)
	for d := 0; d < 3650; d, t = d+1, t.Add(24*time.Hour) {
		b = history.AppendLine(b, history.Line{T: t, Heartbeat: true})
		for i := range cur {
			to := states[rng.IntN(len(states))]
			if to == cur[i] || d > 0 && rng.IntN(365) != 0 {
				continue
			}
			k := probe.Key{Group: fmt.Sprintf("g%d", i/7), Address: fmt.Sprintf("127.0.%d.%d", 2+i/7/250, 1+i/7%250), Check: fmt.Sprintf("check%d", i%7)}
			b = history.AppendLine(b, history.Line{T: t, Key: k, From: cur[i], To: to, Detail: "no answer in 3s"})
			cur[i] = to
		}
	}
	return b, t.Add(-24 * time.Hour)
}

// bigHistory is 1,000 servers × 7 checks over ten years: about 80,000 lines.
var bigHistory = sync.OnceValues(func() ([]byte, time.Time) { return genHistory(7000) })

func writeBig(b *testing.B) (dir string, now time.Time) {
	b.Helper()
	data, last := bigHistory()
	dir = b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, history.FileName), data, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, last.Add(30 * time.Minute)
}

// BenchmarkReadHistory reads the ten-year history of 1,000 servers.
func BenchmarkReadHistory(b *testing.B) {
	dir, _ := writeBig(b)
	data, _ := bigHistory()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var h *history.History
	for b.Loop() {
		var err error
		if h, err = history.Read(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(h.Len()), "lines")
}

// BenchmarkStats computes every key's stats from that history.
func BenchmarkStats(b *testing.B) {
	dir, now := writeBig(b)
	h, err := history.Read(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if s := h.Stats(now); len(s) == 0 {
			b.Fatal("no stats")
		}
	}
}
