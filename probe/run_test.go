package probe_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// startFleet starts a fleet that fails the test if it ever receives a
// second stage of sign-in.
func startFleet(t *testing.T, base string, specs ...msntest.Spec) *msntest.Fleet {
	t.Helper()
	f, err := msntest.StartFleet(base, msntest.Ports{}, specs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	return f
}

// TestRunSignIn runs signin checks on every transport against chains of
// dispatch servers, and checks that the run leaves no session open.
func TestRunSignIn(t *testing.T) {
	t.Parallel()
	dispatch := func(to string) msntest.Spec {
		return msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: msntest.DefaultVersions, Redirect: to}}
	}
	f := startFleet(t, "127.0.79.1",
		dispatch(""), // to the next: 127.0.79.2
		msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.Revival}},
		dispatch("127.0.79.4"), dispatch("127.0.79.3"), // a loop
		dispatch("127.0.79.6"), msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.Closed}},
		dispatch("127.0.79.8"), dispatch("127.0.79.9"), dispatch("127.0.79.10"), msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}},
	)
	a, port := f.Addresses(), ":"+strconv.Itoa(f.Ports.Direct)
	checks := map[string]probe.Check{}
	for _, via := range []probe.Via{probe.Direct, probe.HTTP, probe.HTTPS} {
		checks[string(via)] = probe.Check{Kind: probe.SignIn, Version: "MSNP21", Via: via, Port: map[probe.Via]int{probe.Direct: f.Ports.Direct, probe.HTTP: f.Ports.HTTP, probe.HTTPS: f.Ports.HTTPS}[via], Scan: true}
	}
	cfg := probe.Config{Timeout: ample, Attempts: 1, Checks: checks,
		Groups: []probe.Group{{Name: "g", Checks: []string{"direct", "http", "https"}, Servers: servers(a[0], a[1], a[2], a[4], a[6])}}}
	res, err := probe.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // address/via: state and detail
		a[0] + "/direct": "up via XFR to " + a[1] + port + ": VER 1 MSNP21; CVR 2 15.4.3508.1109; USR SSO S MBI_KEY_OLD",
		a[0] + "/http":   "up via XFR to " + a[1] + port + ": VER 1 MSNP21; CVR 2 15.4.3508.1109; USR SSO S MBI_KEY_OLD",
		a[0] + "/https":  "up via XFR to " + a[1] + port + ": VER 1 MSNP21; CVR 2 15.4.3508.1109; USR SSO S MBI_KEY_OLD; cert CN=msntest",
		a[1] + "/direct": "up VER 1 MSNP21; CVR 2 15.4.3508.1109; USR SSO S MBI_KEY_OLD",
		a[2] + "/direct": "error via XFR to " + a[3] + port + ", then " + a[2] + port + ": redirect loop",
		a[2] + "/https":  "error via XFR to " + a[3] + port + ", then " + a[2] + port + ", then " + a[3] + port + ": redirect loop",
		a[4] + "/direct": "refused via XFR to " + a[5] + port + ": connection refused",
		a[4] + "/http":   "rejected via XFR to " + a[5] + port + ": gateway answered HTTP 502",
		a[6] + "/direct": "error via XFR to " + a[7] + port + ", then " + a[8] + port + ", then " + a[9] + port + ": too many redirects",
		a[6] + "/https":  "error via XFR to " + a[7] + port + ", then " + a[8] + port + ", then " + a[9] + port + ": too many redirects",
	}
	for _, r := range res.Results {
		if w, ok := want[r.Address+"/"+r.Check]; ok && !strings.HasPrefix(string(r.State)+" "+r.Detail, w) {
			t.Errorf("%s: got %s %q, want %q", r.Address+"/"+r.Check, r.State, r.Detail, w)
		}
	}
	for _, s := range f.Servers {
		if n := s.OpenSessions(); n != 0 {
			t.Errorf("%s: %d sessions left open", s.Addr, n)
		}
	}
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
	if n := f.OpenSessions(); n != 0 {
		t.Errorf("%d sessions left open: a conversation did not end with OUT", n)
	}
	// A timeout names the configured timeout, however late the check began.
	if r := res.Results[11]; r.Detail != "no VER reply within 1s" {
		t.Errorf("%s: detail %q, want %q", r, r.Detail, "no VER reply within 1s")
	}
	if res.Version != probe.ResultsVersion || res.Vantage != "test" || res.Finished.Before(res.Started) ||
		res.Started.IsZero() || res.Started.Location() != time.UTC || res.Started.Nanosecond() != 0 {
		t.Errorf("header: version %d, vantage %q, %s – %s (UTC to the second)", res.Version, res.Vantage, res.Started, res.Finished)
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

// TestRunConcurrency checks that Concurrency servers are asked at once and
// PerServer checks of one server (an address two groups list is one), no
// more, and that the gateway checks of a server on one port never overlap:
// they take turns on one connection.
func TestRunConcurrency(t *testing.T) {
	const limit, nServers = 3, 30
	var addrs []string
	for i := range nServers {
		addrs = append(addrs, fmt.Sprintf("127.0.88.%d", i+1)) // never dialled: the check is fake
	}
	var (
		mu             sync.Mutex
		inFlight, peak int
		byServer       = map[string]int{}
		peakServer     int
		peakServers    int
		onPort         = map[string]bool{} // address and gateway port in use
		overlap        []string
		full           = make(chan struct{})
		fullOnce       sync.Once
	)
	check := func(ctx context.Context, tg probe.Target) probe.Result {
		gw := tg.Check.Via == probe.HTTP || tg.Check.Via == probe.HTTPS
		port := tg.HostPort()
		mu.Lock()
		if gw && onPort[port] {
			overlap = append(overlap, port)
		}
		onPort[port] = gw
		inFlight++
		byServer[tg.Address]++
		peak = max(peak, inFlight)
		peakServer = max(peakServer, byServer[tg.Address])
		peakServers = max(peakServers, len(byServer))
		if inFlight == limit*probe.PerServer {
			fullOnce.Do(func() { close(full) })
		}
		mu.Unlock()
		select { // hold every check until both limits have been reached once
		case <-full:
		case <-ctx.Done():
		}
		mu.Lock()
		inFlight--
		onPort[port] = false
		if byServer[tg.Address]--; byServer[tg.Address] == 0 {
			delete(byServer, tg.Address)
		}
		mu.Unlock()
		return probe.Result{State: probe.Up}
	}
	checks := map[string]probe.Check{
		"g1": {Kind: probe.MSNP, Version: "MSNP18", Via: probe.HTTPS, Scan: true},
		"g2": {Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTPS, Scan: true},
		"g3": {Kind: probe.MSNP, Version: "MSNP22", Via: probe.HTTPS, Scan: true},
		"h1": {Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTP, Scan: true},
		"h2": {Kind: probe.MSNP, Version: "MSNP22", Via: probe.HTTP, Scan: true},
	}
	keys := []string{"g1", "h1", "g2", "h2", "g3"}
	for p := 1; p <= 4; p++ {
		k := fmt.Sprintf("tcp%d", p)
		checks[k] = probe.Check{Kind: probe.TCP, Port: p, Scan: true}
		keys = append(keys, k)
	}
	cfg := probe.Config{
		Timeout:     ample,
		Attempts:    1,
		Concurrency: limit,
		Checks:      checks,
		Groups: []probe.Group{
			{Name: "g", Checks: keys, Servers: servers(addrs...)},
			{Name: "again", Checks: keys, Servers: servers(addrs...)},
		},
	}
	res, err := probe.Run(context.Background(), cfg, probe.WithCheckFunc(check))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 2*len(keys)*nServers {
		t.Fatalf("%d results, want %d", len(res.Results), 2*len(keys)*nServers)
	}
	for _, r := range res.Results {
		if r.State != probe.Up || r.Attempts != 1 {
			t.Fatalf("result %s after %d attempts", r, r.Attempts)
		}
	}
	if peak != limit*probe.PerServer || peakServer != probe.PerServer || peakServers != limit {
		t.Errorf("at most %d checks at once, %d of one server, %d servers; want %d, %d, %d",
			peak, peakServer, peakServers, limit*probe.PerServer, probe.PerServer, limit)
	}
	if len(overlap) > 0 {
		t.Errorf("gateway checks on one port overlapped at %q", overlap)
	}
}

// TestRunSharesGatewayConnections counts what the servers see: a server's
// gateway checks keep one connection (one TLS handshake) per port through
// the run, retries included, and a server that closes a kept connection
// after every answer is connected to again, without a failed attempt.
func TestRunSharesGatewayConnections(t *testing.T) {
	t.Parallel()
	keep := startFleet(t, "127.0.78.1",
		msntest.Spec{Count: 3, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}},
		msntest.Spec{Count: 2, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP18"}}}, // the others are retried
	)
	quiet := startFleet(t, "127.0.78.11", msntest.Spec{Count: 2, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, QuietClose: true}})
	config := func(f *msntest.Fleet) probe.Config {
		checks := map[string]probe.Check{}
		var keys []string
		for _, v := range msntest.DefaultVersions {
			for via, port := range map[probe.Via]int{probe.HTTP: f.Ports.HTTP, probe.HTTPS: f.Ports.HTTPS} {
				k := strings.ToLower(v) + string(via)
				checks[k] = probe.Check{Kind: probe.MSNP, Version: v, Via: via, Port: port, Scan: true}
				keys = append(keys, k)
			}
		}
		return probe.Config{Timeout: ample, Attempts: 2, Concurrency: 8, Checks: checks,
			Groups: []probe.Group{{Name: "g", Checks: keys, Servers: servers(f.Addresses()...)}}}
	}

	res, err := probe.Run(context.Background(), config(keep))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		want, attempts := probe.Up, 1
		if r.Address >= keep.Servers[3].Addr && !strings.HasPrefix(r.Check, "msnp18") {
			want, attempts = probe.Rejected, 2
		}
		if r.State != want || r.Attempts != attempts {
			t.Errorf("%s after %d attempts, want %s after %d", r, r.Attempts, want, attempts)
		}
	}
	for _, s := range keep.Servers {
		// 6 checks (3 versions × 2 gateways), 2 of the servers asked 4 of
		// them twice: 10 or 6 sessions, on one connection per port.
		if a, h := s.Accepted(), s.Handshakes(); a != 2 || h != 1 {
			t.Errorf("%s saw %d connections and %d TLS handshakes in a run, want 2 (a gateway port each) and 1", s.Addr, a, h)
		}
	}

	res, err = probe.Run(context.Background(), config(quiet))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.State != probe.Up || r.Attempts != 1 {
			t.Errorf("%s after %d attempts: a connection closed under it is no failed attempt", r, r.Attempts)
		}
	}
	for _, s := range quiet.Servers {
		// Closed after every answer: each of the 18 requests (VER, CVR
		// and OUT of 6 checks) needs a connection of its own.
		if a := s.Accepted(); a != 18 {
			t.Errorf("%s saw %d connections, want 18: one per request", s.Addr, a)
		}
	}
}

// TestRunSilentServer checks that a server that takes connections and
// never answers costs one timeout per attempt, not one per check: its
// gateway checks on one port wait for one connection a round, and its
// other checks wait at the same time.
func TestRunSilentServer(t *testing.T) {
	t.Parallel() // it waits on timeouts
	f := startFleet(t, "127.0.78.21", msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.Silent}})
	p := f.Ports
	const timeout = 300 * time.Millisecond
	checks := map[string]probe.Check{"tcp": {Kind: probe.TCP, Port: p.Direct, Scan: true}}
	keys := []string{"tcp"}
	for _, v := range msntest.DefaultVersions {
		checks["https"+v] = probe.Check{Kind: probe.MSNP, Version: v, Via: probe.HTTPS, Port: p.HTTPS, Scan: true}
		checks["http"+v] = probe.Check{Kind: probe.MSNP, Version: v, Via: probe.HTTP, Port: p.HTTP, Scan: true}
		checks["direct"+v] = probe.Check{Kind: probe.MSNP, Version: v, Via: probe.Direct, Port: p.Direct, Scan: true}
		keys = append(keys, "https"+v, "http"+v, "direct"+v)
	}
	cfg := probe.Config{Timeout: timeout, Attempts: 2, Concurrency: 1, Checks: checks,
		Groups: []probe.Group{{Name: "g", Checks: keys, Servers: servers("127.0.78.21")}}}
	start := time.Now()
	res, err := probe.Run(context.Background(), cfg)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		want, attempts, detail := probe.Timeout, 2, "no VER reply within 300ms"
		switch {
		case r.Check == "tcp":
			want, attempts, detail = probe.Up, 1, "connected"
		case strings.HasPrefix(r.Check, "https"):
			detail = "no TLS handshake within 300ms"
		}
		if r.State != want || r.Attempts != attempts || r.Detail != detail {
			t.Errorf("%s after %d attempts, want %s %q after %d", r, r.Attempts, want, detail, attempts)
		}
	}
	// 1 (tcp) + 2 rounds × (a shared connection per gateway + 3 direct
	// ones).
	if n := f.Servers[0].Accepted(); n != 11 {
		t.Errorf("the silent server saw %d connections, want 11", n)
	}
	// Asked one after another, its 10 checks would take 18 timeouts; 4 at
	// once, but each gateway check on its own, 6.
	if limit := 3 * 2 * timeout; took > limit {
		t.Errorf("the run took %s, more than the %s that three attempts in a row would", took, limit)
	}
}

// TestRunOwnTiming checks that a gateway check that found its connection
// made keeps its own time: its exchange, not the handshake of the check
// before it.
func TestRunOwnTiming(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	f := startFleet(t, "127.0.78.31", msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, HandshakeDelay: delay}})
	checks := map[string]probe.Check{}
	var keys []string
	for _, v := range msntest.DefaultVersions {
		checks[v] = probe.Check{Kind: probe.MSNP, Version: v, Via: probe.HTTPS, Port: f.Ports.HTTPS, Scan: true}
		keys = append(keys, v)
	}
	cfg := probe.Config{Timeout: ample, Attempts: 1, Checks: checks,
		Groups: []probe.Group{{Name: "g", Checks: keys, Servers: servers(f.Addresses()...)}}}
	res, err := probe.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Results {
		if r.State != probe.Up {
			t.Fatalf("%s", r)
		}
		d := time.Duration(r.MS) * time.Millisecond
		if i == 0 && d < delay {
			t.Errorf("%s took %s: the check that made the connection counts its handshake of %s", r, d, delay)
		}
		if i > 0 && d >= delay/2 {
			t.Errorf("%s took %s: it counts the handshake of the check before it", r, d)
		}
	}
}

// TestRunCancel checks that cancelling the context stops a run in the
// middle of a check, promptly, with the context's error: the server cancels
// as it accepts the connection.
func TestRunCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := probe.Config{
		Timeout:  time.Minute,
		Attempts: 3,
		Checks:   map[string]probe.Check{"d": {Kind: probe.MSNP, Version: "MSNP21", Port: ln.Addr().(*net.TCPAddr).Port, Scan: true}},
		Groups:   []probe.Group{{Name: "g", Checks: []string{"d"}, Servers: servers("127.0.0.1")}},
	}
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	go func() {
		c, err := ln.Accept()
		if err == nil {
			t.Cleanup(func() { c.Close() }) // never a word
			cancelled = time.Now()
			cancel()
		}
	}()
	res, err := probe.Run(ctx, cfg)
	if !errors.Is(err, context.Canceled) || len(res.Results) != 0 {
		t.Errorf("cancelled run: %d results, error %v; want none and context.Canceled", len(res.Results), err)
	}
	if took := time.Since(cancelled); took > time.Second {
		t.Errorf("the run took %s to stop", took)
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
		"old":   {Kind: probe.SignIn, Version: "MSNP7", Scan: true},
	}
	for key, want := range map[string]string{
		"missing": `group "g": unknown check "missing"`,
		"kind":    `check "kind": unknown kind "udp"`,
		"via":     `check "via": unknown via "smtp"`,
		"skips":   `check "skips": unknown kind "udp"`,
		"port":    `check "port": port 0 outside 1-65535`,
		"high":    `check "high": port 70000 outside 1-65535`,
		"ver":     `check "ver": version "MSNP 21\r\n" is not MSNP<n>`,
		"old":     `check "old": signin needs MSNP8 or later, not MSNP7`,
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
	cfg := probe.Config{Account: "probe @example.com", Checks: checks, Groups: []probe.Group{{Name: "g", Checks: []string{"ok"}, Servers: servers("127.0.0.1")}}}
	if _, err := probe.Run(context.Background(), cfg); err == nil || err.Error() != `account "probe @example.com" is not an address` {
		t.Errorf("a bad account: %v", err)
	}
}

func TestRunEmpty(t *testing.T) {
	res, err := probe.Run(context.Background(), probe.Config{})
	if err != nil || len(res.Results) != 0 || res.Results == nil {
		t.Errorf("empty config: %v, %#v", err, res.Results)
	}
}

// TestRunTimeoutSaysGoodbye: a gateway session that the deadline cuts off
// (the gateway never answers the CVR request) still ends with OUT, so none
// stays open. (A direct one ends with its connection.)
func TestRunTimeoutSaysGoodbye(t *testing.T) {
	t.Parallel()
	f := startFleet(t, "127.0.78.1", msntest.Spec{Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions, HangCVR: true}})
	cfg := probe.Config{Timeout: 300 * time.Millisecond, Attempts: 1, Checks: fleetChecks(f.Ports),
		Groups: []probe.Group{{Name: "g", Checks: []string{"http", "https"}, Servers: servers(f.Addresses()...)}}}
	res, err := probe.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.State != probe.Timeout {
			t.Errorf("%s: want timeout", r)
		}
	}
	if n := f.OpenSessions(); n != 0 {
		t.Errorf("%d sessions left open after a timeout: no OUT", n)
	}
}
