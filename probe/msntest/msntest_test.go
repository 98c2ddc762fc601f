package msntest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func start(t *testing.T, addr string, ports Ports, b Behavior) *Server {
	t.Helper()
	s, err := Start(addr, ports, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// converse sends lines to addr and returns the lines answered, until the
// server hangs up or all lines are answered; a line ending in "!" is sent
// without waiting for an answer. A connection reset before the dial
// returns (as a Reset server may do) answers nothing.
func converse(t *testing.T, addr string, lines ...string) []string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if errors.Is(err, syscall.ECONNRESET) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	var got []string
	for _, l := range lines {
		l, noAnswer := strings.CutSuffix(l, "!")
		io.WriteString(c, l+"\r\n")
		if noAnswer {
			continue
		}
		reply, err := br.ReadString('\n')
		if err != nil {
			break
		}
		got = append(got, strings.TrimRight(reply, "\r\n"))
	}
	return got
}

func TestDirect(t *testing.T) {
	tests := []struct {
		name  string
		b     Behavior
		lines []string
		want  []string
	}{
		{"ns accepts", Behavior{Kind: NS, Versions: DefaultVersions},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR a@example.com", "USR 3 SSO I a@example.com"},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 14.0.8117.0416 14.0.8117.0416 14.0.8117.0416 http://download.messenger.test/wlsetup-web.exe http://messenger.test/", "USR 3 SSO S MBI_KEY_OLD " + SSONonce}},
		{"ns twn", Behavior{Kind: NS, Versions: []string{"MSNP8"}},
			[]string{"VER 1 MSNP8 CVR0", "USR 2 TWN I a@example.com", "OUT"}, []string{"VER 1 MSNP8 CVR0", "USR 2 TWN S " + TWNPolicy, "OUT"}},
		{"usr reply", Behavior{Kind: NS, Versions: DefaultVersions, USRReply: "911 2"},
			[]string{"VER 1 MSNP21 CVR0", "USR 2 SSO I a@example.com"}, []string{"VER 1 MSNP21 CVR0", "911 2"}},
		{"ns picks the first it knows", Behavior{Kind: NS, Versions: []string{"MSNP18"}},
			[]string{"VER 7 MSNP22 MSNP18 CVR0"}, []string{"VER 7 MSNP18 CVR0"}},
		{"ns refuses", Behavior{Kind: NS, Versions: []string{"MSNP18"}},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 x"}, []string{"VER 1 0"}},
		{"revival with versions of its own", Behavior{Kind: Revival, Versions: []string{"MSNP18", "MSNP15"}},
			[]string{"VER 3 MSNP21 CVR0"}, []string{"VER 3 0 MSNP18 MSNP15"}},
		{"cvr before ver", Behavior{Kind: NS, Versions: DefaultVersions},
			[]string{"CVR 2 x"}, []string{"715 2"}},
		{"dispatch redirects", Behavior{Kind: Dispatch, Versions: DefaultVersions, Redirect: "127.0.0.9:1863"},
			[]string{"VER 1 MSNP21 CVR0", "USR 2 SSO I a@example.com", "VER 3 MSNP21"},
			[]string{"VER 1 MSNP21 CVR0", "XFR 2 NS 127.0.0.9:1863 0 127.0.0.1:"}},
		{"numeric error", Behavior{Kind: NumericError, ErrorCode: 715},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 x"}, []string{"715 1", "715 2"}},
		{"echo", Behavior{Kind: Echo}, []string{"VER 1 MSNP21 CVR0"}, []string{"VER 1 MSNP21 CVR0"}},
		{"endless", Behavior{Kind: Endless}, []string{"VER 1 MSNP21 CVR0", "CVR 2 x"}, []string{"VER 1 MSNP21 CVR0", "VER 1 MSNP21 CVR0"}},
		{"webpage", Behavior{Kind: WebPage}, []string{"VER 1 MSNP21 CVR0"}, []string{"HTTP/1.1 200 OK"}},
		{"impostor ver", Behavior{Kind: NS, Versions: DefaultVersions, VERReply: "VER 1 MSNP18 CVR0"},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 x"}, []string{"VER 1 MSNP18 CVR0", "CVR 2 14.0.8117.0416 "}},
		{"impostor cvr", Behavior{Kind: Dispatch, Versions: DefaultVersions, CVRReply: "CVR 2 1.0 http://a/"},
			[]string{"VER 1 MSNP21 CVR0", "CVR 2 x"}, []string{"VER 1 MSNP21 CVR0", "CVR 2 1.0 http://a/"}},
		{"reset", Behavior{Kind: Reset}, []string{"VER 1 MSNP21 CVR0"}, nil},
		{"fail first", Behavior{Kind: NS, Versions: DefaultVersions, FailFirst: 1}, []string{"VER 1 MSNP21 CVR0"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, "127.0.0.1", Ports{HTTP: Off, HTTPS: Off}, tt.b)
			got := converse(t, s.DirectAddr(), tt.lines...)
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("line %d: got %q, want %q", i+1, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestGateway holds sessions with the HTTP gateway of each kind: an answer
// is "<status> <body>", and {id} is the session the first request opened.
func TestGateway(t *testing.T) {
	const (
		open     = "Action=open&Server=NS&IP=127.0.0.1"
		cvr      = "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR a@example.com\r\n"
		nsCVR    = "CVR 2 14.0.8117.0416 14.0.8117.0416 14.0.8117.0416 http://download.messenger.test/wlsetup-web.exe http://messenger.test/\r\n"
		noneOpen = "400 no such session\n"
	)
	ns := Behavior{Kind: NS, Versions: DefaultVersions}
	closing, polled, failing := ns, ns, ns
	closing.CloseAfterAnswer, polled.PollFirst, failing.GatewayStatus = true, true, 503
	type step struct{ method, query, body, want string }
	tests := []struct {
		name  string
		b     Behavior
		steps []step
		open  int // sessions left open
	}{
		{"ns", ns, []step{
			{"POST", open, "VER 1 MSNP22 CVR0\r\n", "200 VER 1 MSNP22 CVR0\r\n"},
			{"POST", "SessionID={id}", cvr, "200 " + nsCVR},
			{"POST", "SessionID={id}", "OUT\r\n", "200 OUT\r\n"},
			{"POST", "SessionID={id}", "VER 1 MSNP18 CVR0\r\n", noneOpen},
		}, 0},
		{"close after answer", closing, []step{
			{"POST", open, "VER 1 MSNP22 CVR0\r\n", "200 VER 1 MSNP22 CVR0\r\n"},
			{"POST", "SessionID={id}", cvr, "200 " + nsCVR},
		}, 1},
		{"poll first", polled, []step{
			{"POST", open, "VER 1 MSNP22 CVR0\r\n", "200 "},
			{"POST", "Action=poll&SessionID={id}", "", "200 VER 1 MSNP22 CVR0\r\n"},
			{"POST", "SessionID={id}", cvr, "200 "},
			{"POST", "Action=poll&SessionID={id}", "", "200 " + nsCVR},
		}, 1},
		{"status", failing, []step{{"POST", open, "VER 1 MSNP21 CVR0\r\n", "503 VER 1 MSNP21 CVR0\r\n"}}, 1},
		{"revival", Behavior{Kind: Revival}, []step{
			{"POST", open, "VER 1 MSNP18 CVR0\r\n", "200 VER 1 MSNP18\r\n"},
			{"POST", "SessionID={id}", revivalCVR + "\r\n", "200 " + revivalCVRAnswer + "\r\n"},
			{"POST", "SessionID={id}", "USR 3 SSO I someone@example.com\r\n", "200 " + revivalSSO + "\r\n"},
			{"POST", "Action=poll&SessionID={id}", "", "200 "},
			{"GET", "SessionID={id}", "", "404 not found\n"},
			{"POST", "Action=open&IP=127.0.0.1", "VER 1 MSNP18 CVR0\r\n", "200 "}, // a switchboard session
			{"POST", "SessionID={id}", "OUT\r\n", "200 OUT\r\n"},
			{"POST", "SessionID={id}", "VER 1 MSNP18 CVR0\r\n", noneOpen},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, "127.0.0.1", Ports{Direct: Off, HTTPS: Off}, tt.b)
			client := &http.Client{Timeout: 5 * time.Second}
			defer client.CloseIdleConnections()
			id := ""
			for _, st := range tt.steps {
				url := "http://" + s.hostPort(s.Ports.HTTP) + "/gateway/gateway.dll?" + strings.ReplaceAll(st.query, "{id}", id)
				req, _ := http.NewRequest(st.method, url, strings.NewReader(st.body))
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				hdr := resp.Header.Get("X-MSN-Messenger")
				if id == "" {
					id = strings.TrimPrefix(strings.Split(hdr, ";")[0], "SessionID=")
				}
				session := resp.StatusCode == 200 || resp.StatusCode == 503
				if got := fmt.Sprint(resp.StatusCode, " ", string(data)); got != st.want || session != strings.Contains(hdr, "; GW-IP=127.0.0.1") {
					t.Errorf("%s %s %q: %s %q, want %q", st.method, st.query, st.body, hdr, got, st.want)
				}
			}
			if n := s.OpenSessions(); n != tt.open {
				t.Errorf("%d sessions open, want %d", n, tt.open)
			}
			for _, gs := range s.sessions {
				gs.last = gs.last.Add(-SessionLife - time.Second) // as if 31 s had passed
			}
			if n := s.OpenSessions(); n != 0 {
				t.Errorf("%d sessions open after %s, want 0", n, SessionLife)
			}
		})
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"192.0.2.1", "0.0.0.0", "localhost", ""} {
		if s, err := Start(addr, Ports{}, Behavior{Kind: NS}); err == nil {
			s.Close()
			t.Errorf("Start(%q) did not fail", addr)
		}
	}
}

func TestFleet(t *testing.T) {
	before := runtime.NumGoroutine()
	f, err := StartFleet("127.0.103.254", Ports{}, []Spec{
		{Group: "bay", Count: 2, Main: true, Behavior: Behavior{Kind: Dispatch, Versions: DefaultVersions}},
		{Group: "bay", Count: 1, Behavior: Behavior{Kind: Silent}},
		{Group: "db3", Count: 2, Behavior: Behavior{Kind: Blackhole}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.103.254", "127.0.104.1", "127.0.104.2", "127.0.104.3", "127.0.104.4"}
	if got := f.Addresses(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("addresses %q, want %q", got, want)
	}
	if n := len(f.Group("bay")); n != 3 {
		t.Errorf("%d servers in bay, want 3", n)
	}
	for _, s := range f.Servers {
		if s.Ports != f.Ports {
			t.Errorf("%s listens on %+v, fleet on %+v", s.Addr, s.Ports, f.Ports)
		}
	}
	if !f.Servers[0].Main || f.Servers[2].Main {
		t.Error("Main labels wrong")
	}
	if got := converse(t, f.Servers[1].DirectAddr(), "VER 1 MSNP18 CVR0"); len(got) != 1 || got[0] != "VER 1 MSNP18 CVR0" {
		t.Errorf("second server answered %q", got)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	// Close waited for every goroutine; allow for the runtime's own.
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("%d goroutines before the fleet, %d after Close", before, after)
	}
	if _, err := net.DialTimeout("tcp", f.Servers[0].DirectAddr(), time.Second); err == nil {
		t.Error("a closed fleet still accepts connections")
	}
}

func TestFleetPortClash(t *testing.T) {
	a := start(t, "127.0.103.10", Ports{HTTP: Off, HTTPS: Off}, Behavior{Kind: Silent})
	_, err := StartFleet("127.0.103.9", Ports{Direct: a.Ports.Direct, HTTP: Off, HTTPS: Off}, []Spec{{Count: 2, Behavior: Behavior{Kind: Silent}}})
	if err == nil {
		t.Fatal("a fleet onto a taken port did not fail")
	}
	// The first server it started was closed again: its address is free.
	b := start(t, "127.0.103.9", Ports{Direct: a.Ports.Direct, HTTP: Off, HTTPS: Off}, Behavior{Kind: Silent})
	b.Close()
}

// TestClosed checks that a fleet of Closed servers holds the same ports on
// every address (the check table shows that they refuse connections), and
// gives them back when closed.
func TestClosed(t *testing.T) {
	f, err := StartFleet("127.0.103.20", Ports{}, []Spec{{Count: 2, Behavior: Behavior{Kind: Closed}}})
	if err != nil {
		t.Fatal(err)
	}
	addr := f.Servers[1].hostPort(f.Ports.Direct)
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		if runtime.GOOS == "linux" {
			t.Errorf("another listener took the closed port of %s", addr)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the port of a closed server that was stopped: %v", err)
	}
	ln.Close()
}

func TestCloseStopsDrip(t *testing.T) {
	s := start(t, "127.0.0.1", Ports{HTTP: Off, HTTPS: Off}, Behavior{Kind: Drip, Versions: DefaultVersions, Drip: time.Hour})
	c, err := net.Dial("tcp", s.DirectAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "VER 1 MSNP21 CVR0\r\n")
	b := make([]byte, 1)
	if _, err := io.ReadFull(c, b); err != nil || b[0] != 'V' {
		t.Fatalf("first byte %q, %v", b, err)
	}
	begin := time.Now()
	s.Close()
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("Close took %s to stop a dripping connection", took)
	}
}

// revivalCVR is what the probe sends, and a revival server's answer to it.
const (
	revivalCVR       = "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com"
	revivalCVRAnswer = "CVR 2 15.4.3508.1109 15.4.3508.1109 15.4.3508.1109 https://escargot.log1p.xyz https://escargot.log1p.xyz"
	revivalRefusal   = "VER 1 0 MSNP21 MSNP20 MSNP19 MSNP18 MSNP17 MSNP16 MSNP15 MSNP14 MSNP13 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2"
	revivalSSO       = "USR 3 SSO S MBI_KEY_OLD 8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf"
)

// TestRevivalTranscripts replays what a real revival server (Escargot)
// answered on its direct port, line by line ("!": no answer).
func TestRevivalTranscripts(t *testing.T) {
	tests := []struct {
		name        string
		lines, want []string
	}{
		{"MSNP18", []string{"VER 1 MSNP18 CVR0", revivalCVR, "USR 3 SSO I someone@example.com"}, []string{"VER 1 MSNP18", revivalCVRAnswer, revivalSSO}},
		{"unknown account", []string{"VER 1 MSNP18 CVR0", "USR 3 SSO I nobody.at.all@example.invalid"}, []string{"VER 1 MSNP18", revivalSSO}},
		{"TWN", []string{"VER 1 MSNP18 CVR0", "USR 3 TWN I someone@example.com"}, []string{"VER 1 MSNP18", "USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"}},
		{"MSNP8", []string{"VER 1 MSNP8 CVR0", "USR 3 TWN I someone@example.com"}, []string{"VER 1 MSNP8", "USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"}},
		{"MSNP21", []string{"VER 1 MSNP21 CVR0", revivalCVR, "USR 3 SSO I someone@example.com"}, []string{"VER 1 MSNP21", revivalCVRAnswer, revivalSSO}},
		{"MSNP22 refused, the rest answered", []string{"VER 1 MSNP22 CVR0", revivalCVR, "USR 3 SSO I someone@example.com"}, []string{revivalRefusal, revivalCVRAnswer, revivalSSO}},
		{"XFR", []string{"VER 1 MSNP18 CVR0", "XFR 3 NS"}, []string{"VER 1 MSNP18", "201 3"}},
		{"unknown commands ignored", []string{"VER 1 MSNP18 CVR0", "FOO 2!", "BAR 3 x!", revivalCVR}, []string{"VER 1 MSNP18", revivalCVRAnswer}},
		{"CVR before VER", []string{revivalCVR}, []string{revivalCVRAnswer}},
	}
	s := start(t, "127.0.0.1", Ports{HTTP: Off, HTTPS: Off}, Behavior{Kind: Revival})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := converse(t, s.DirectAddr(), tt.lines...); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSecondStage checks that a second stage of sign-in gets 911 and makes
// Close fail: no test may send one.
func TestSecondStage(t *testing.T) {
	s := start(t, "127.0.0.1", Ports{HTTP: Off, HTTPS: Off}, Behavior{Kind: Revival})
	got := converse(t, s.DirectAddr(), "VER 1 MSNP18 CVR0", "USR 3 SSO I someone@example.com", "USR 4 SSO S t=bogus0000000000000000 AAAA")
	if len(got) != 3 || got[2] != "911 4" {
		t.Errorf("got %q, want 911 4 last", got)
	}
	if err := s.Close(); err == nil || !strings.Contains(err.Error(), "second stage") {
		t.Errorf("Close: %v, want the second stage named", err)
	}
}
