package probe

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// CheckFunc asks one server one thing. It fills every field of the Result
// but Attempts; its deadline is ctx's. [ProbeTCP], [ProbeMSNP] and
// [ProbeGateway] are the CheckFuncs of the three kinds of check.
type CheckFunc func(ctx context.Context, t Target) Result

// CheckFor is the CheckFunc that carries out c: [ProbeTCP] for kind tcp,
// [ProbeMSNP] for msnp direct, [ProbeGateway] for msnp via http or https.
func CheckFor(c Check) (CheckFunc, error) {
	switch c.Kind {
	case TCP:
		return ProbeTCP, nil
	case MSNP, SignIn: // signin: msnp's check until its own lands
		switch c.Via {
		case Direct, "":
			return ProbeMSNP, nil
		case HTTP, HTTPS:
			return ProbeGateway, nil
		}
		return nil, fmt.Errorf("check %q: unknown via %q", c.Key, c.Via)
	}
	return nil, fmt.Errorf("check %q: unknown kind %q", c.Key, c.Kind)
}

// Option changes how [Run] works.
type Option func(*runOptions)

type runOptions struct {
	progress func(done, total int)
	vantage  string
	check    CheckFunc // instead of each check's own: set by the tests (export_test.go)
}

// WithProgress has Run call f after each result, with the number of results
// done and their total (skipped ones count as done from the start; the
// first call, 0 or more done, comes before any check). Calls never overlap
// and done only grows.
func WithProgress(f func(done, total int)) Option {
	return func(o *runOptions) { o.progress = f }
}

// WithVantage sets the results' "vantage": where the probe ran from, e.g.
// "github-ubuntu-latest". The default is "local".
func WithVantage(v string) Option {
	return func(o *runOptions) { o.vantage = v }
}

// PerServer is how many checks [Run] asks one server at once, on as many
// connections. The gateway checks of a server on one port count as one:
// they take turns on one kept-alive connection.
const PerServer = 4

// Run asks every server of cfg every check of its group and returns one
// Result per (group, server, check), in config order. Checks with Scan false
// are not asked: they get state skipped and 0 attempts.
//
// At most cfg.Concurrency servers are asked at once. A server is asked its
// checks [PerServer] at a time: each tcp and direct msnp check on a
// connection of its own, and its gateway checks on one port one after
// another, over one connection kept alive between them (one TLS handshake
// per server and port), each in a gateway session of its own. So a server
// sees at most PerServer connections from a run at once.
//
// Each attempt may take cfg.Timeout; a check is tried again, up to
// cfg.Attempts times, while it is not up (after a short pause when it
// failed at once), and the last attempt's result is kept with the number
// of attempts made. Gateway checks that share a connection are tried in
// rounds: when the connection cannot be made, or a new one gets no answer
// at all, the checks that wait for it in that round take that outcome, so
// that a silent server costs one timeout per attempt, not one per check. Zero or negative settings take
// the package defaults.
//
// When ctx is cancelled, Run stops the checks in flight and returns ctx's
// error and no results. An unknown check or a bad check kind is an error
// before anything is asked. Every server found dead is not an error: that
// is data.
func Run(ctx context.Context, cfg Config, opts ...Option) (Results, error) {
	o := runOptions{vantage: "local"}
	for _, opt := range opts {
		opt(&o)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = DefaultAttempts
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	plan, err := planRun(cfg, o.check)
	if err != nil {
		return Results{}, err
	}
	if err := ctx.Err(); err != nil {
		return Results{}, err
	}

	started := time.Now()
	total := len(plan.results)
	var mu sync.Mutex
	done := total - plan.toAsk
	report := func() {
		if o.progress == nil {
			return
		}
		mu.Lock()
		done++
		o.progress(done, total)
		mu.Unlock()
	}
	if o.progress != nil {
		o.progress(done, total)
	}

	r := runner{cfg: cfg, results: plan.results, report: report}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(cfg.Concurrency, len(plan.servers)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(plan.servers) {
					return
				}
				r.server(ctx, plan.servers[i])
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Results{}, err
	}
	return Results{
		Version:  ResultsVersion,
		Started:  started.UTC().Truncate(time.Second),
		Finished: time.Now().UTC().Truncate(time.Second),
		Vantage:  o.vantage,
		Results:  plan.results,
	}, nil
}

// maxRetryGap bounds the pause between two attempts of a check.
const maxRetryGap = 250 * time.Millisecond

// runner carries out a plan: it fills results, each slot once.
type runner struct {
	cfg     Config
	results []Result
	report  func() // after each result
}

// server asks one server its lanes, PerServer at a time.
func (r *runner) server(ctx context.Context, lanes []lane) {
	if len(lanes) == 1 {
		r.lane(ctx, lanes[0])
		return
	}
	var next atomic.Int64
	work := func() {
		for ctx.Err() == nil {
			i := int(next.Add(1) - 1)
			if i >= len(lanes) {
				return
			}
			r.lane(ctx, lanes[i])
		}
	}
	var wg sync.WaitGroup
	for range min(PerServer, len(lanes)) - 1 {
		wg.Go(work)
	}
	work() // this goroutine is one of the PerServer
	wg.Wait()
}

// lane asks its checks in rounds of attempts: each check not yet up is
// tried once a round, up to cfg.Attempts rounds. An attempt that failed in
// less than a tenth of the timeout (at most [maxRetryGap]) is followed by
// a pause of that length before the check's next: a refusal or a reset
// comes back at once, and what caused it (a server that restarts, a
// middlebox that lost its state) needs a moment to pass. After a slower
// attempt the next goes on at once.
func (r *runner) lane(ctx context.Context, l lane) {
	var line *gatewayLine
	if l.shared {
		line = &gatewayLine{}
		defer line.close()
	}
	gap := min(r.cfg.Timeout/10, maxRetryGap)
	type try struct {
		job
		took  time.Duration
		ended time.Time
	}
	pending := make([]try, len(l.jobs))
	for i, j := range l.jobs {
		pending[i].job = j
	}
	for n := 1; n <= r.cfg.Attempts && len(pending) > 0; n++ {
		if line != nil {
			line.newRound()
		}
		left := pending[:0]
		for _, t := range pending {
			if n > 1 && t.took < gap && sleep(ctx, time.Until(t.ended.Add(gap))) != nil {
				return
			}
			check := t.check
			if line != nil {
				check = line.probe
			}
			began := time.Now()
			actx, cancel := withAttemptTimeout(ctx, r.cfg.Timeout)
			res := check(actx, t.target)
			cancel()
			t.ended = time.Now()
			t.took = t.ended.Sub(began)
			if ctx.Err() != nil {
				return
			}
			res.Group, res.Address, res.Check = t.target.Group, t.target.Address, t.target.Check.Key
			res.Attempts = n
			r.results[t.slot] = res
			if res.State == Up || n == r.cfg.Attempts {
				r.report()
				continue
			}
			left = append(left, t)
		}
		pending = left
	}
}

// job is one check of one server, and where its Result goes.
type job struct {
	target Target
	check  CheckFunc
	slot   int
}

// lane is checks of one server asked one after another: one check, or the
// gateway checks of one port (shared), which share a connection.
type lane struct {
	jobs   []job
	shared bool // gateway checks: ask them on one gatewayLine
}

type runPlan struct {
	results []Result // in config order; skipped ones filled in already
	servers [][]lane // the checks to ask, by server (address)
	toAsk   int
}

// planRun lays out the results in config order and groups the checks to
// ask by server (an address that several groups list is one server), and
// a server's into lanes. With an override (tests), the gateway checks of a
// port still make one lane, asked with the override.
func planRun(cfg Config, override CheckFunc) (runPlan, error) {
	p := runPlan{results: []Result{}}
	type port struct {
		address string
		via     Via
		port    int
	}
	servers := map[string]int{} // address: index into p.servers
	gateways := map[port]int{}  // index into the server's lanes
	for _, g := range cfg.Groups {
		for _, s := range g.Servers {
			si, ok := servers[s.Address]
			if !ok {
				si = len(p.servers)
				servers[s.Address] = si
				p.servers = append(p.servers, nil)
			}
			lanes := p.servers[si]
			for _, key := range g.Checks {
				c, ok := cfg.Checks[key]
				if !ok {
					return runPlan{}, fmt.Errorf("group %q: unknown check %q", g.Name, key)
				}
				c.Key = key
				f, err := CheckFor(c)
				if err == nil {
					err = checkTarget(c)
				}
				if err != nil {
					return runPlan{}, fmt.Errorf("group %q: %w", g.Name, err)
				}
				if override != nil {
					f = override
				}
				t := Target{Group: g.Name, Address: s.Address, Check: c}
				slot := len(p.results)
				p.results = append(p.results, Result{Group: g.Name, Address: s.Address, Check: c.Key})
				if !c.Scan {
					p.results[slot].State = Skipped
					p.results[slot].Detail = "not scanned"
					continue
				}
				j := job{target: t, check: f, slot: slot}
				p.toAsk++
				if c.Kind != MSNP && c.Kind != SignIn || (c.Via != HTTP && c.Via != HTTPS) {
					lanes = append(lanes, lane{jobs: []job{j}})
					continue
				}
				k := port{s.Address, c.Via, c.EffectivePort()}
				i, ok := gateways[k]
				if !ok {
					i = len(lanes)
					gateways[k] = i
					lanes = append(lanes, lane{shared: override == nil})
				}
				lanes[i].jobs = append(lanes[i].jobs, j)
			}
			p.servers[si] = lanes
		}
	}
	p.servers = slices.DeleteFunc(p.servers, func(l []lane) bool { return len(l) == 0 }) // every check skipped
	return p, nil
}

// checkTarget reports what would make every target of c fail the same way.
func checkTarget(c Check) error {
	if p := c.EffectivePort(); p < 1 || p > 65535 {
		return fmt.Errorf("check %q: port %d outside 1-65535", c.Key, p)
	}
	if (c.Kind == MSNP || c.Kind == SignIn) && !ValidVersion(c.Version) {
		return fmt.Errorf("check %q: version %q is not MSNP<n>", c.Key, c.Version)
	}
	return nil
}

// sleep waits d, or returns ctx's error as soon as ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
