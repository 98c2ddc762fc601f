package probe

import (
	"context"
	"fmt"
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
	case MSNP:
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

// Run asks every server of cfg every check of its group and returns one
// Result per (group, server, check), in config order. Checks with Scan false
// are not asked: they get state skipped and 0 attempts.
//
// At most cfg.Concurrency servers are asked at once, by as many workers;
// one worker asks one server its checks one after the other, so that a
// server never sees more than one connection from a run. Each attempt may
// take cfg.Timeout; a check is tried again, up to cfg.Attempts times, while
// it is not up (after a short pause when it failed at once), and the last
// attempt's result is kept with the number of attempts made. Zero or negative settings take the package defaults.
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
	report := func(n int) {
		if o.progress == nil {
			return
		}
		mu.Lock()
		done += n
		o.progress(done, total)
		mu.Unlock()
	}
	report(0)

	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(cfg.Concurrency, len(plan.servers)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(plan.servers) {
					return
				}
				for _, c := range plan.servers[i] {
					if ctx.Err() != nil {
						return
					}
					plan.results[c.slot] = ask(ctx, c, cfg)
					report(1)
				}
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

// ask tries one check up to cfg.Attempts times, while it is not up. An
// attempt that failed in less than a tenth of the timeout (at most
// [maxRetryGap]) is followed by a pause of that length: a refusal or a
// reset comes back at once, and what caused it (a server that restarts, a
// middlebox that lost its state) needs a moment to pass. After a slower
// attempt the next goes on at once.
func ask(ctx context.Context, c job, cfg Config) Result {
	var r Result
	gap := min(cfg.Timeout/10, maxRetryGap)
	var took time.Duration
	for n := 1; n <= cfg.Attempts; n++ {
		if n > 1 && took < gap && sleep(ctx, gap) != nil {
			break
		}
		began := time.Now()
		actx, cancel := withAttemptTimeout(ctx, cfg.Timeout)
		r = c.check(actx, c.target)
		cancel()
		took = time.Since(began)
		r.Group, r.Address, r.Check = c.target.Group, c.target.Address, c.target.Check.Key
		r.Attempts = n
		if r.State == Up || ctx.Err() != nil {
			break
		}
	}
	return r
}

// job is one check of one server, and where its Result goes.
type job struct {
	target Target
	check  CheckFunc
	slot   int
}

type runPlan struct {
	results []Result // in config order; skipped ones filled in already
	servers [][]job  // the checks to ask, by server
	toAsk   int
}

// planRun lays out the results in config order and groups the checks to
// ask by server.
func planRun(cfg Config, override CheckFunc) (runPlan, error) {
	p := runPlan{results: []Result{}}
	for _, g := range cfg.Groups {
		for _, s := range g.Servers {
			var jobs []job
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
				jobs = append(jobs, job{target: t, check: f, slot: slot})
			}
			if len(jobs) > 0 {
				p.servers = append(p.servers, jobs)
				p.toAsk += len(jobs)
			}
		}
	}
	return p, nil
}

// checkTarget reports what would make every target of c fail the same way.
func checkTarget(c Check) error {
	if p := c.EffectivePort(); p < 1 || p > 65535 {
		return fmt.Errorf("check %q: port %d outside 1-65535", c.Key, p)
	}
	if c.Kind == MSNP && !ValidVersion(c.Version) {
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
