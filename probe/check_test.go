package probe_test

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

// The checks against simulated servers: every state the README lists, on every
// transport, from a server that really behaves that way.

const (
	short = 200 * time.Millisecond // for the cases that must time out
	slow  = time.Second            // for those whose detail says how far the check got: under -race on a loaded machine, a connection or a TLS handshake may take 200ms
	ample = 10 * time.Second       // for the others: never reached
)

// startServers starts one server of each behaviour, on all three
// transports of 127.0.0.1, closed (and failing the test on a second stage
// of sign-in) when the test ends.
func startServers(t *testing.T) map[string]*msntest.Server {
	m := map[string]*msntest.Server{}
	for name, b := range behaviours {
		s, err := msntest.Start("127.0.0.1", msntest.Ports{}, b)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = s
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	return m
}

// behaviours are the servers the cases name.
var behaviours = map[string]msntest.Behavior{
	"ns":           {Kind: msntest.NS, Versions: msntest.DefaultVersions},
	"ns-msnp18":    {Kind: msntest.NS, Versions: []string{"MSNP18"}},
	"dispatch":     {Kind: msntest.Dispatch, Versions: msntest.DefaultVersions},
	"ns-close":     {Kind: msntest.NS, Versions: msntest.DefaultVersions, CloseAfterAnswer: true},
	"ns-poll":      {Kind: msntest.NS, Versions: msntest.DefaultVersions, PollFirst: true},
	"ns-quiet":     {Kind: msntest.NS, Versions: msntest.DefaultVersions, QuietClose: true},
	"ns-expired":   {Kind: msntest.NS, Versions: msntest.DefaultVersions, ExpiredCert: true},
	"error-500":    {Kind: msntest.NumericError},
	"error-715":    {Kind: msntest.NumericError, ErrorCode: 715},
	"silent":       {Kind: msntest.Silent},
	"blackhole":    {Kind: msntest.Blackhole},
	"reset":        {Kind: msntest.Reset},
	"echo":         {Kind: msntest.Echo},
	"echo-gateway": {Kind: msntest.EchoGateway},
	"webpage":      {Kind: msntest.WebPage},
	"garbage":      {Kind: msntest.Garbage},
	"endless":      {Kind: msntest.Endless},
	"longline":     {Kind: msntest.LongLine},
	"drip":         {Kind: msntest.Drip, Versions: msntest.DefaultVersions},
	"drip-fast":    {Kind: msntest.Drip, Versions: msntest.DefaultVersions, Drip: time.Millisecond}, // every answer in pieces, in time
	"gateway-503":  {Kind: msntest.NS, Versions: msntest.DefaultVersions, GatewayStatus: 503},
	"revival":      {Kind: msntest.Revival}, // MSNP21 down to MSNP2; a refusal lists them
	"closed":       {Kind: msntest.Closed},
	"usr-911":      {Kind: msntest.NS, Versions: msntest.DefaultVersions, USRReply: "911 3"},
	"usr-echo":     {Kind: msntest.NS, Versions: msntest.DefaultVersions, USRReply: "USR 3 SSO I probe@example.com"},
	"usr-shape":    {Kind: msntest.Revival, USRReply: "USR 3 SSO S MBI_KEY_OLD not*base64"},
	"usr-xfr-sb":   {Kind: msntest.NS, Versions: msntest.DefaultVersions, USRReply: "XFR 3 SB 127.0.0.1:1863 CKI 1"},
	"usr-payload":  {Kind: msntest.NS, Versions: msntest.DefaultVersions, USRReply: "GCF 0 6\r\nabcd\r\nUSR 3 SSO S MBI_KEY_OLD " + msntest.SSONonce},
}

// signinCases are the states of a signin check, on every transport.
var signinCases = []checkCase{
	{server: "revival", want: probe.Up, detail: "VER 1 MSNP21; CVR 2 15.4.3508.1109; USR SSO S MBI_KEY_OLD"},
	{server: "revival", version: "MSNP8", want: probe.Up, detail: "VER 1 MSNP8; CVR 2 15.4.3508.1109; USR TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"},
	{server: "revival", version: "MSNP22", want: probe.Rejected, detail: "VER 1 0: offers MSNP21…MSNP2"},
	{server: "ns", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; USR SSO S MBI_KEY_OLD"},
	{server: "usr-payload", want: probe.Up, detail: "; USR SSO S MBI_KEY_OLD"},
	{server: "usr-911", want: probe.Rejected, detail: "CVR 2 14.0.8117.0416; USR refused: 911 3"},
	{server: "usr-echo", want: probe.Foreign, detail: "USR echoed back"},
	{server: "garbage", want: probe.Foreign, detail: "not "},
	{server: "echo-gateway", want: probe.Foreign, detail: "CVR echoed back"},
	{server: "usr-shape", want: probe.Foreign, detail: `USR reply not a challenge: "USR 3 SSO S MBI_KEY_OLD not*base64"`},
	{server: "usr-xfr-sb", want: probe.Foreign, detail: "XFR not to a notification server"},
	{server: "dispatch", want: probe.Error, detail: ": redirect loop"}, // its XFR names itself
	{server: "closed", want: probe.Refused, detail: "connection refused"},
	{server: "silent", want: probe.Timeout, detail: "no ", slow: true},
}

// impostors answer VER or CVR almost as MSN does, but not quite: none may
// pass for an MSN server on any transport.
var impostors = []struct {
	name   string
	b      msntest.Behavior
	detail string
}{
	{"ver-other-version", msntest.Behavior{VERReply: "VER 1 MSNP18 CVR0"}, `VER reply offers what was not asked: "VER 1 MSNP18 CVR0"`},
	{"ver-more-versions", msntest.Behavior{VERReply: "VER 1 MSNP21 MSNP18 CVR0"}, `VER reply offers what was not asked: "VER 1 MSNP21 MSNP18 CVR0"`},
	{"ver-other-trid", msntest.Behavior{VERReply: "VER 2 MSNP21 CVR0"}, `VER reply for transaction 2, not 1`},
	{"ver-error-other-trid", msntest.Behavior{VERReply: "500 2"}, `not a VER reply: "500 2"`},
	{"cvr-fewer-fields", msntest.Behavior{CVRReply: "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/"}, `VER 1 MSNP21 CVR0; CVR reply not from MSN: "CVR 2 14.0.8117`},
	{"cvr-more-fields", msntest.Behavior{CVRReply: "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/ x"}, `VER 1 MSNP21 CVR0; CVR reply not from MSN`},
	{"cvr-not-versions", msntest.Behavior{CVRReply: "CVR 2 a.b c.d e.f http://a/ http://b/"}, `VER 1 MSNP21 CVR0; CVR reply not from MSN`},
	{"cvr-garbage", msntest.Behavior{CVRReply: "\x7f\x00garbage"}, `VER 1 MSNP21 CVR0; not MSNP: "\x7f\x00garbage"`},
	{"cvr-other-trid", msntest.Behavior{CVRReply: "CVR 3 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/"}, `VER 1 MSNP21 CVR0; CVR reply for transaction 3, not 2`},
	{"cvr-ver-again", msntest.Behavior{CVRReply: "VER 2 MSNP21 CVR0"}, `VER 1 MSNP21 CVR0; not a CVR reply: "VER 2 MSNP21 CVR0"`},
}

func init() {
	for _, c := range signinCases {
		for _, via := range []string{"direct", "http", "https"} {
			c.via, c.signin = via, true
			checkCases = append(checkCases, c)
		}
	}
	for _, imp := range impostors {
		b := imp.b
		b.Kind, b.Versions = msntest.NS, msntest.DefaultVersions
		behaviours[imp.name] = b
		for _, via := range []string{"direct", "http", "https"} {
			checkCases = append(checkCases, checkCase{server: imp.name, via: via, want: probe.Foreign, detail: imp.detail})
		}
	}
}

type checkCase struct {
	server  string // a key of behaviours; "bad host" for an invalid name
	via     string // tcp, direct, http, https
	version string // default MSNP21
	port    string // the server's port to use instead of via's: "http" (TLS to a plain port)
	want    probe.State
	detail  string // a part of the detail
	slow    bool   // time out after slow, not short: the detail says how far the check got
	signin  bool   // kind signin instead of msnp
}

var checkCases = []checkCase{
	// tcp
	{server: "ns", via: "tcp", want: probe.Up, detail: "connected"},
	{server: "closed", via: "tcp", want: probe.Refused, detail: "connection refused"},
	{server: "blackhole", via: "tcp", want: probe.Timeout, detail: "no connection within 200ms"},
	{server: "bad host", via: "tcp", want: probe.Error, detail: `invalid host name "bad host!"`},

	// MSNP on its own port
	{server: "ns", via: "direct", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"},
	{server: "ns", via: "direct", version: "MSNP18", want: probe.Up, detail: "VER 1 MSNP18 CVR0"},
	{server: "dispatch", via: "direct", want: probe.Up, detail: "VER 1 MSNP21 CVR0"},
	{server: "ns-msnp18", via: "direct", want: probe.Rejected, detail: "VER 1 0"},
	{server: "error-500", via: "direct", want: probe.Rejected, detail: "500 1"},
	{server: "revival", via: "direct", version: "MSNP22", want: probe.Rejected, detail: "VER 1 0: offers MSNP21…MSNP2"},
	{server: "revival", via: "direct", want: probe.Up, detail: "VER 1 MSNP21; CVR 2 15.4.3508.1109"},
	{server: "error-715", via: "direct", want: probe.Rejected, detail: "715 1"},
	{server: "echo", via: "direct", want: probe.Foreign, detail: "VER 1 MSNP21 CVR0; CVR echoed back"},
	{server: "webpage", via: "direct", want: probe.Foreign, detail: `not MSNP: "HTTP/1.1 200 OK"`},
	{server: "garbage", via: "direct", want: probe.Foreign, detail: `not MSNP: "\x15\x03\x01`},
	{server: "endless", via: "direct", want: probe.Foreign, detail: `VER 1 MSNP21 CVR0; not a CVR reply: "VER 1 MSNP21 CVR0"`},
	{server: "longline", via: "direct", want: probe.Foreign, detail: `line longer than 4096 bytes: "AAAA`},
	{server: "reset", via: "direct", want: probe.Refused, detail: "connection reset"},
	{server: "closed", via: "direct", want: probe.Refused, detail: "connection refused"},
	{server: "silent", via: "direct", want: probe.Timeout, detail: "no VER reply within 1s", slow: true},
	{server: "drip", via: "direct", want: probe.Timeout, detail: "incomplete VER reply within 1s", slow: true},
	{server: "drip-fast", via: "direct", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"},
	{server: "blackhole", via: "direct", want: probe.Timeout, detail: "no connection within 200ms"},
	{server: "bad host", via: "direct", want: probe.Error, detail: "invalid host name"},

	// MSNP through the HTTP gateway
	{server: "ns", via: "http", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"},
	{server: "ns", via: "http", version: "MSNP22", want: probe.Up, detail: "VER 1 MSNP22 CVR0"},
	{server: "ns-close", via: "http", want: probe.Up, detail: "VER 1 MSNP21 CVR0"},
	{server: "ns-poll", via: "http", want: probe.Up, detail: "VER 1 MSNP21 CVR0"},
	{server: "ns-quiet", via: "http", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"},
	{server: "ns-msnp18", via: "http", want: probe.Rejected, detail: "VER 1 0"},
	{server: "error-500", via: "http", want: probe.Rejected, detail: "500 1"},
	{server: "revival", via: "http", version: "MSNP22", want: probe.Rejected, detail: "VER 1 0: offers MSNP21…MSNP2"},
	{server: "revival", via: "http", version: "MSNP18", want: probe.Up, detail: "VER 1 MSNP18; CVR 2 15.4.3508.1109"},
	{server: "gateway-503", via: "http", want: probe.Rejected, detail: "gateway answered HTTP 503"},
	{server: "echo", via: "http", want: probe.Foreign, detail: `not HTTP: "POST /gateway/gateway.dll?Action=open`},
	{server: "echo-gateway", via: "http", want: probe.Foreign, detail: "VER 1 MSNP21 CVR0; CVR echoed back"},
	{server: "webpage", via: "http", want: probe.Foreign, detail: "HTTP 200 without X-MSN-Messenger"},
	{server: "garbage", via: "http", want: probe.Foreign, detail: `not HTTP: "\x15\x03`},
	{server: "endless", via: "http", want: probe.Foreign, detail: "HTTP answer longer than 16384 bytes"},
	{server: "longline", via: "http", want: probe.Foreign, detail: "HTTP answer longer than 16384 bytes"},
	{server: "direct-port", via: "http", want: probe.Foreign, detail: "closed without VER reply"},
	{server: "reset", via: "http", want: probe.Refused, detail: "connection reset"},
	{server: "closed", via: "http", want: probe.Refused, detail: "connection refused"},
	{server: "silent", via: "http", want: probe.Timeout, detail: "no VER reply within 1s", slow: true},
	{server: "drip", via: "http", want: probe.Timeout, detail: "incomplete VER reply within 1s", slow: true},
	{server: "drip-fast", via: "http", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416"},
	{server: "blackhole", via: "http", want: probe.Timeout, detail: "no connection within 200ms"},
	{server: "bad host", via: "http", want: probe.Error, detail: "invalid host name"},

	// MSNP through the HTTPS gateway
	{server: "ns", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; cert CN=msntest, expires 2039-12-31"},
	{server: "ns-close", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; cert CN=msntest"},
	{server: "ns-poll", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0"},
	{server: "ns-quiet", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; cert CN=msntest"},
	{server: "ns-expired", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; cert CN=msntest, expires 2017-05-19"},
	{server: "ns-msnp18", via: "https", want: probe.Rejected, detail: "VER 1 0; cert CN=msntest"},
	{server: "error-715", via: "https", want: probe.Rejected, detail: "715 1"},
	{server: "revival", via: "https", version: "MSNP22", want: probe.Rejected, detail: "VER 1 0: offers MSNP21…MSNP2; cert CN=msntest"},
	{server: "revival", via: "https", want: probe.Up, detail: "VER 1 MSNP21; CVR 2 15.4.3508.1109; cert CN=msntest"},
	{server: "gateway-503", via: "https", want: probe.Rejected, detail: "gateway answered HTTP 503; cert CN=msntest"},
	{server: "echo", via: "https", want: probe.Foreign, detail: `not HTTP: "POST /gateway/gateway.dll?Action=open`},
	{server: "longline", via: "https", want: probe.Foreign, detail: "HTTP answer longer than 16384 bytes"},
	{server: "echo-gateway", via: "https", want: probe.Foreign, detail: "CVR echoed back; cert CN=msntest"},
	{server: "webpage", via: "https", want: probe.Foreign, detail: "HTTP 200 without X-MSN-Messenger"},
	{server: "garbage", via: "https", want: probe.Foreign, detail: "not HTTP"},
	{server: "endless", via: "https", want: probe.Foreign, detail: "HTTP answer longer than"},
	{server: "reset", via: "https", want: probe.Refused, detail: "connection reset"},
	{server: "closed", via: "https", want: probe.Refused, detail: "connection refused"},
	{server: "silent", via: "https", want: probe.Timeout, detail: "no TLS handshake within 1s", slow: true},
	{server: "drip", via: "https", want: probe.Timeout, detail: "incomplete VER reply within 1s", slow: true},
	{server: "drip-fast", via: "https", want: probe.Up, detail: "VER 1 MSNP21 CVR0; CVR 2 14.0.8117.0416; cert CN=msntest"},
	{server: "blackhole", via: "https", want: probe.Timeout, detail: "no connection within 200ms"},
	{server: "ns", via: "https", port: "http", want: probe.Error, detail: "TLS: first record does not look like a TLS handshake"},
	{server: "bad host", via: "https", want: probe.Error, detail: "invalid host name"},
}

// TestChecks asks every case at once (the timeouts overlap, so the whole
// table takes little more than one), then judges each in a subtest.
func TestChecks(t *testing.T) {
	t.Parallel() // it waits on timeouts and pauses, on servers of its own
	f := startServers(t)
	type outcome struct {
		r             probe.Result
		took, timeout time.Duration
	}
	out := make([]outcome, len(checkCases))
	var wg sync.WaitGroup
	for i, c := range checkCases {
		target, check := caseTarget(t, f, c)
		timeout := ample
		if c.want == probe.Timeout {
			timeout = short
		}
		if c.slow {
			timeout = slow
		}
		out[i].timeout = timeout
		wg.Go(func() {
			ctx, cancel := probe.WithAttemptTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			out[i].r = check(ctx, target)
			out[i].took = time.Since(start)
		})
	}
	wg.Wait()
	for i, c := range checkCases {
		name := c.via + "/" + c.server
		if c.signin {
			name = "signin-" + name
		}
		if c.version != "" {
			name += "/" + c.version
		}
		if c.port != "" {
			name += "/on-" + c.port + "-port"
		}
		t.Run(name, func(t *testing.T) {
			o := out[i]
			r := o.r
			t.Logf("%s in %s", r, o.took.Round(time.Millisecond))
			if r.State != c.want || !strings.Contains(r.Detail, c.detail) {
				t.Errorf("got %s %q, want %s with %q", r.State, r.Detail, c.want, c.detail)
			}
			if len(r.Detail) > probe.MaxDetail || strings.ContainsAny(r.Detail, "\r\n\x00") {
				t.Errorf("detail %q is not short and single-line", r.Detail)
			}
			if o.took > o.timeout+time.Second {
				t.Errorf("check took %s with a timeout of %s", o.took, o.timeout)
			}
		})
	}
}

// caseTarget builds the target and picks the check function for c.
func caseTarget(t *testing.T, f map[string]*msntest.Server, c checkCase) (probe.Target, probe.CheckFunc) {
	t.Helper()
	addr, port := "127.0.0.1", 0
	switch c.server {
	case "bad host":
		addr, port = "bad host!", 1863
	case "direct-port":
		port = f["ns"].Ports.Direct // a gateway check on the MSNP port
	default:
		s, ok := f[c.server]
		if !ok {
			t.Fatalf("no behaviour %q", c.server)
		}
		switch {
		case c.port == "http" || c.via == "http":
			port = s.Ports.HTTP
		case c.via == "https":
			port = s.Ports.HTTPS
		default:
			port = s.Ports.Direct
		}
	}
	check := probe.Check{Key: "k-" + c.via, Label: c.via, Kind: probe.MSNP, Version: cmp.Or(c.version, "MSNP21"), Via: probe.Via(c.via), Port: port, Scan: true}
	switch {
	case c.via == "tcp":
		check = probe.Check{Key: "tcp", Kind: probe.TCP, Port: port, Scan: true}
	case c.signin:
		check.Kind = probe.SignIn
	}
	fn, err := probe.CheckFor(check)
	if err != nil {
		t.Fatal(err)
	}
	return probe.Target{Group: "g", Address: addr, Check: check}, fn
}
