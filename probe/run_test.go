package probe_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

func startFleet(t *testing.T, base string, specs ...msntest.Spec) *msntest.Fleet {
	t.Helper()
	f, err := msntest.StartFleet(base, msntest.Ports{}, specs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func servers(addrs ...string) []probe.Server {
	var out []probe.Server
	for _, a := range addrs {
		out = append(out, probe.Server{Address: a})
	}
	return out
}

// fleetChecks are the checks of a config over a fleet's ports.
func fleetChecks(p msntest.Ports) map[string]probe.Check {
	return map[string]probe.Check{
		"tcp":    {Kind: probe.TCP, Port: p.Direct, Scan: true},
		"direct": {Kind: probe.MSNP, Version: "MSNP21", Via: probe.Direct, Port: p.Direct, Scan: true},
		"http":   {Kind: probe.MSNP, Version: "MSNP18", Via: probe.HTTP, Port: p.HTTP, Scan: true},
		"https":  {Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTPS, Port: p.HTTPS, Scan: true},
		"off":    {Kind: probe.MSNP, Version: "MSNP22", Via: probe.HTTPS, Port: p.HTTPS, Scan: false},
	}
}

func TestRun(t *testing.T) {
	t.Parallel() // it waits on timeouts and pauses, on servers of its own
	ns := msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}
	f := startFleet(t, "127.0.77.1",
		msntest.Spec{Group: "bay", Behavior: ns},
		msntest.Spec{Group: "bay", Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP18"}}},
		msntest.Spec{Group: "quiet", Behavior: msntest.Behavior{Kind: msntest.Silent}},
		msntest.Spec{Group: "db3", Behavior: msntest.Behavior{Kind: msntest.Echo}},
		msntest.Spec{Group: "db3", Behavior: ns},
	)
	a := f.Addresses()
	cfg := probe.Config{
		Timeout:     slow, // the silent server's check waits it out; the others need less, even under -race on a loaded machine
		Attempts:    1,
		Concurrency: 2,
		Checks:      fleetChecks(f.Ports),
		Groups: []probe.Group{
			{Name: "bay", Checks: []string{"tcp", "direct", "http", "https", "off"}, Servers: servers(a[0], a[1])},
			{Name: "quiet", Checks: []string{"tcp", "direct"}, Servers: servers(a[2])},
			{Name: "db3", Checks: []string{"direct", "tcp"}, Servers: servers(a[3], a[4])},
		},
	}
	var calls [][2]int
	res, err := probe.Run(context.Background(), cfg, probe.WithVantage("test"), probe.WithProgress(func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"bay " + a[0] + " tcp up 1", "bay " + a[0] + " direct up 1", "bay " + a[0] + " http up 1", "bay " + a[0] + " https up 1", "bay " + a[0] + " off skipped 0",
		"bay " + a[1] + " tcp up 1", "bay " + a[1] + " direct rejected 1", "bay " + a[1] + " http up 1", "bay " + a[1] + " https rejected 1", "bay " + a[1] + " off skipped 0",
		"quiet " + a[2] + " tcp up 1", "quiet " + a[2] + " direct timeout 1",
		"db3 " + a[3] + " direct foreign 1", "db3 " + a[3] + " tcp up 1",
		"db3 " + a[4] + " direct up 1", "db3 " + a[4] + " tcp up 1",
	}
	var got []string
	for _, r := range res.Results {
		got = append(got, fmt.Sprintf("%s %s %s %s %d", r.Group, r.Address, r.Check, r.State, r.Attempts))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A timeout names the configured timeout, however late the check began.
	if r := res.Results[11]; r.Detail != "no VER reply within 1s" {
		t.Errorf("%s: detail %q, want %q", r, r.Detail, "no VER reply within 1s")
	}
	if res.Version != probe.ResultsVersion || res.Vantage != "test" || res.Started.IsZero() || res.Finished.Before(res.Started) {
		t.Errorf("header: version %d, vantage %q, %s – %s", res.Version, res.Vantage, res.Started, res.Finished)
	}
	if res.Started.Location() != time.UTC || res.Started.Nanosecond() != 0 {
		t.Errorf("started %s: want UTC to the second", res.Started)
	}
	// Progress: skipped results count from the first call; done only grows.
	if len(calls) != 1+14 || calls[0] != [2]int{2, 16} || calls[len(calls)-1] != [2]int{16, 16} {
		t.Errorf("progress calls %v", calls)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] != calls[i-1][0]+1 {
			t.Errorf("progress went from %v to %v", calls[i-1], calls[i])
		}
	}
}

func TestRunRetries(t *testing.T) {
	t.Parallel() // it waits on timeouts and pauses, on servers of its own
	f := startFleet(t, "127.0.77.11",
		msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, FailFirst: 1}},
		msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, FailFirst: 5}},
		msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS}},
	)
	a := f.Addresses()
	cfg := probe.Config{
		Timeout:     ample,
		Attempts:    3,
		Concurrency: 3,
		Checks:      fleetChecks(f.Ports),
		Groups:      []probe.Group{{Name: "g", Checks: []string{"direct"}, Servers: servers(a...)}},
	}
	res, err := probe.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		state    probe.State
		attempts int
	}{
		{probe.Up, 2},       // reset once, then answers
		{probe.Refused, 3},  // reset every time: the last attempt's state
		{probe.Rejected, 3}, // retried too: only up stops the retries
	}
	for i, w := range want {
		r := res.Results[i]
		if r.State != w.state || r.Attempts != w.attempts {
			t.Errorf("%s: got %s after %d attempts, want %s after %d", r.Address, r.State, r.Attempts, w.state, w.attempts)
		}
	}
	if n := f.Servers[1].Accepted(); n != 3 {
		t.Errorf("the resetting server saw %d connections, want 3", n)
	}
}

// TestRunRetryGap checks that a check that fails at once is not tried
// again at once: a server that restarts, or a reset that a middlebox sent,
// gets a moment (a tenth of the timeout, at most 250ms) to pass.
func TestRunRetryGap(t *testing.T) {
	t.Parallel() // it waits on timeouts and pauses, on servers of its own
	var mu sync.Mutex
	var calls []time.Time
	check := func(ctx context.Context, tg probe.Target) probe.Result { // fails at once
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, time.Now())
		return probe.Result{State: probe.Refused, Detail: "connection reset"}
	}
	cfg := probe.Config{
		Timeout:  time.Second,
		Attempts: 3,
		Checks:   map[string]probe.Check{"a": {Kind: probe.TCP, Port: 1, Scan: true}},
		Groups:   []probe.Group{{Name: "g", Checks: []string{"a"}, Servers: servers("127.0.88.1")}},
	}
	res, err := probe.Run(context.Background(), cfg, probe.WithCheckFunc(check))
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Results[0]; r.State != probe.Refused || r.Attempts != 3 || len(calls) != 3 {
		t.Fatalf("got %s after %d attempts (%d calls)", r, r.Attempts, len(calls))
	}
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].Sub(calls[i-1]); gap < 100*time.Millisecond {
			t.Errorf("attempt %d began %s after attempt %d ended, want at least 100ms", i+1, gap, i)
		}
	}
}

// TestRunConcurrency checks that no more than Concurrency servers are asked
// at once, that the limit is reached, and that a server is asked one check
// at a time.
func TestRunConcurrency(t *testing.T) {
	const limit, nServers = 4, 40
	var addrs []string
	for i := range nServers {
		addrs = append(addrs, fmt.Sprintf("127.0.88.%d", i+1)) // never dialled: the check is fake
	}
	var (
		inFlight, peak atomic.Int32
		full           = make(chan struct{})
		fullOnce       sync.Once
		mu             sync.Mutex
		busy           = map[string]bool{}
		overlap        bool
	)
	check := func(ctx context.Context, tg probe.Target) probe.Result {
		mu.Lock()
		if busy[tg.Address] {
			overlap = true
		}
		busy[tg.Address] = true
		mu.Unlock()
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == limit {
			fullOnce.Do(func() { close(full) })
		}
		select { // hold every check until the limit has been reached once
		case <-full:
		case <-ctx.Done():
		}
		inFlight.Add(-1)
		mu.Lock()
		busy[tg.Address] = false
		mu.Unlock()
		return probe.Result{State: probe.Up}
	}
	cfg := probe.Config{
		Timeout:     ample,
		Attempts:    1,
		Concurrency: limit,
		Checks: map[string]probe.Check{
			"a": {Kind: probe.TCP, Port: 1, Scan: true},
			"b": {Kind: probe.TCP, Port: 2, Scan: true},
		},
		Groups: []probe.Group{{Name: "g", Checks: []string{"a", "b"}, Servers: servers(addrs...)}},
	}
	res, err := probe.Run(context.Background(), cfg, probe.WithCheckFunc(check))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 2*nServers {
		t.Fatalf("%d results, want %d", len(res.Results), 2*nServers)
	}
	if p := peak.Load(); p != limit {
		t.Errorf("peak of %d checks at once, want %d", p, limit)
	}
	if overlap {
		t.Error("a server was asked two checks at once")
	}
}

// TestRunCancel checks that cancelling the context stops a run in the
// middle of a check, promptly, with the context's error.
func TestRunCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c // and never answer
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	cfg := probe.Config{
		Timeout:  time.Minute,
		Attempts: 3,
		Checks:   map[string]probe.Check{"d": {Kind: probe.MSNP, Version: "MSNP21", Port: port, Scan: true}},
		Groups:   []probe.Group{{Name: "g", Checks: []string{"d"}, Servers: servers("127.0.0.1")}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	type ret struct {
		res probe.Results
		err error
	}
	done := make(chan ret, 1)
	go func() {
		res, err := probe.Run(ctx, cfg)
		done <- ret{res, err}
	}()
	var c net.Conn
	select {
	case c = <-accepted:
		defer c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the run never connected")
	}
	cancel()
	start := time.Now()
	select {
	case r := <-done:
		if !errors.Is(r.err, context.Canceled) || len(r.res.Results) != 0 {
			t.Errorf("cancelled run: %d results, error %v; want none and context.Canceled", len(r.res.Results), r.err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("the run took %s to stop", took)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not stop when cancelled")
	}

	// Cancelled before it starts: nothing is asked.
	_, err = probe.Run(ctx, cfg, probe.WithCheckFunc(func(context.Context, probe.Target) probe.Result {
		t.Error("a check ran after cancellation")
		return probe.Result{}
	}))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("run on a cancelled context: %v", err)
	}
}

func TestRunBadConfig(t *testing.T) {
	checks := map[string]probe.Check{
		"ok":    {Kind: probe.TCP, Port: 443, Scan: true},
		"kind":  {Kind: "udp", Port: 443, Scan: true},
		"via":   {Kind: probe.MSNP, Version: "MSNP21", Via: "smtp", Scan: true},
		"skips": {Kind: "udp", Scan: false},
		"port":  {Kind: probe.TCP, Port: 0, Scan: true},
		"high":  {Kind: probe.MSNP, Version: "MSNP21", Port: 70000, Scan: true},
		"ver":   {Kind: probe.MSNP, Version: "MSNP 21\r\n", Scan: true},
	}
	for key, want := range map[string]string{
		"missing": `group "g": unknown check "missing"`,
		"kind":    `check "kind": unknown kind "udp"`,
		"via":     `check "via": unknown via "smtp"`,
		"skips":   `check "skips": unknown kind "udp"`,
		"port":    `check "port": port 0 outside 1-65535`,
		"high":    `check "high": port 70000 outside 1-65535`,
		"ver":     `check "ver": version "MSNP 21\r\n" is not MSNP<n>`,
	} {
		cfg := probe.Config{Checks: checks, Groups: []probe.Group{{Name: "g", Checks: []string{"ok", key}, Servers: servers("127.0.0.1")}}}
		_, err := probe.Run(context.Background(), cfg, probe.WithCheckFunc(func(context.Context, probe.Target) probe.Result {
			t.Error("a check ran with a bad config")
			return probe.Result{}
		}))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check %q: got %v, want %q", key, err, want)
		}
	}
}

func TestRunEmpty(t *testing.T) {
	res, err := probe.Run(context.Background(), probe.Config{})
	if err != nil || len(res.Results) != 0 || res.Results == nil {
		t.Errorf("empty config: %v, %#v", err, res.Results)
	}
}
