package probe

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// CheckFunc asks one server one thing, by ctx's deadline: the Result's
// State, Detail and MS.
type CheckFunc func(ctx context.Context, t Target) Result

// CheckFor is the CheckFunc that carries out c, or why c cannot be.
func CheckFor(c Check) (CheckFunc, error) {
	var f CheckFunc
	switch {
	case c.Kind == TCP:
		f = probeTCP
	case c.Kind != MSNP && c.Kind != SignIn:
		return nil, fmt.Errorf("check %q: unknown kind %q", c.Key, c.Kind)
	case c.Via == Direct || c.Via == "":
		f = probeMSNP
	case c.Via == HTTP || c.Via == HTTPS:
		f = probeGateway
	default:
		return nil, fmt.Errorf("check %q: unknown via %q", c.Key, c.Via)
	}
	if p := c.EffectivePort(); p < 1 || p > 65535 {
		return nil, fmt.Errorf("check %q: port %d outside 1-65535", c.Key, p)
	}
	if c.Kind != TCP && !ValidVersion(c.Version) {
		return nil, fmt.Errorf("check %q: version %q is not MSNP<n>", c.Key, c.Version)
	}
	if c.Kind == SignIn && versionNumber(c.Version) < 8 {
		return nil, fmt.Errorf("check %q: signin needs MSNP8 or later, not %s", c.Key, c.Version)
	}
	return f, nil
}

// Option changes how [Run] works.
type Option func(*runOptions)

type runOptions struct {
	progress func(done, total int)
	vantage  string
	check    CheckFunc // instead of each check's own: set by the tests (export_test.go)
}

// WithProgress has Run call f before the first check and after each result,
// with the results done (skipped ones from the start) and their total.
// Calls never overlap.
func WithProgress(f func(done, total int)) Option {
	return func(o *runOptions) { o.progress = f }
}

// WithVantage sets the results' "vantage": where the probe ran from, e.g.
// "github-ubuntu-latest". The default is "local".
func WithVantage(v string) Option {
	return func(o *runOptions) { o.vantage = v }
}

// PerServer is how many checks [Run] asks one server at once, on as many
// connections; the gateway checks of one port count as one.
const PerServer = 4

// Run asks every server of cfg every check of its group, cfg.Concurrency
// servers at once, a check not up up to cfg.Attempts times (the last
// counts), zero settings taking the defaults. A bad config or ended ctx is an error.
func Run(ctx context.Context, cfg Config, opts ...Option) (Results, error) {
	o := runOptions{vantage: "local", progress: func(int, int) {}}
	for _, opt := range opts {
		opt(&o)
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.Attempts = cmp.Or(cfg.Attempts, DefaultAttempts)
	cfg.Concurrency = cmp.Or(cfg.Concurrency, DefaultConcurrency)
	plan, err := planRun(cfg, o.check)
	if err != nil {
		return Results{}, err
	}
	if err := ctx.Err(); err != nil {
		return Results{}, err
	}
	started := time.Now()
	var mu sync.Mutex
	done, total := len(plan.results)-plan.toAsk, len(plan.results)
	o.progress(done, total)
	r := runner{cfg: cfg, results: plan.results, report: func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		o.progress(done, total)
	}}
	parallel(ctx, len(plan.servers), cfg.Concurrency, func(i int) {
		lanes := plan.servers[i]
		parallel(ctx, len(lanes), PerServer, func(j int) { r.lane(ctx, lanes[j]) })
	})
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

// parallel calls f(0) … f(n-1), at most workers at once, until ctx ends.
func parallel(ctx context.Context, n, workers int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, workers) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}

// maxRetryGap bounds the pause between two attempts of a check.
const maxRetryGap = 250 * time.Millisecond

// runner carries out a plan: it fills results, each slot once.
type runner struct {
	cfg     Config
	results []Result
	report  func() // after each result
}

// lane asks its checks in rounds of attempts, each check not yet up once a
// round. A check that failed in less than a tenth of the timeout (at most
// [maxRetryGap]) waits that long before its next: a reset needs a moment.
func (r *runner) lane(ctx context.Context, l lane) {
	var line *gatewayLine
	if l.shared {
		line = &gatewayLine{}
		defer line.hangUp()
	}
	gap := min(r.cfg.Timeout/10, maxRetryGap)
	pending := l.jobs
	for n := 1; n <= r.cfg.Attempts && len(pending) > 0; n++ {
		if line != nil {
			line.failed = nil // a new round tries the connection again
		}
		left := pending[:0]
		for _, t := range pending {
			if n > 1 && t.took < gap && sleep(ctx, time.Until(t.ended.Add(gap))) != nil {
				return
			}
			began := time.Now()
			actx, cancel := withAttemptTimeout(ctx, r.cfg.Timeout)
			check := t.check
			if line != nil {
				check = line.probe
			}
			res := check(actx, t.target)
			cancel()
			t.ended = time.Now()
			t.took = t.ended.Sub(began)
			if ctx.Err() != nil {
				return
			}
			res.Group, res.Address, res.Check, res.Attempts = t.target.Group, t.target.Address, t.target.Check.Key, n
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

// job is one check of one server, where its Result goes, and when its
// last attempt ended and how long it took.
type job struct {
	target Target
	check  CheckFunc
	slot   int
	ended  time.Time
	took   time.Duration
}

// lane is checks of one server asked one after another: one check, or the
// gateway checks of one port, which share a connection (shared).
type lane struct {
	jobs   []job
	shared bool
}

type runPlan struct {
	results []Result // in config order; skipped ones filled in already
	servers [][]lane // the checks to ask, by server (address)
	toAsk   int
}

// planRun lays out the results in config order and the checks to ask by
// server (one per address) and lane. With an override (tests), the gateway
// checks of a port still make one lane.
func planRun(cfg Config, override CheckFunc) (runPlan, error) {
	p := runPlan{results: []Result{}}
	if a := cfg.Account; a != "" && !ValidAccount(a) {
		return p, fmt.Errorf("account %q is not an address", a)
	}
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
				if err != nil {
					return runPlan{}, fmt.Errorf("group %q: %w", g.Name, err)
				}
				if override != nil {
					f = override
				}
				slot := len(p.results)
				p.results = append(p.results, Result{Group: g.Name, Address: s.Address, Check: c.Key})
				if !c.Scan {
					p.results[slot].State, p.results[slot].Detail = Skipped, "not scanned"
					continue
				}
				p.toAsk++
				j := job{target: Target{Group: g.Name, Address: s.Address, Check: c, Account: cfg.Account}, check: f, slot: slot}
				if c.Kind == TCP || c.Via != HTTP && c.Via != HTTPS {
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

// sleep waits d, or returns ctx's error as soon as ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
