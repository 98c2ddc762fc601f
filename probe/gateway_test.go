package probe

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// scriptConn is a connection whose server side is a script: reads give
// the script's bytes and then io.EOF, writes are taken and forgotten.
type scriptConn struct {
	net.Conn // nil: only the methods below are called
	r        io.Reader
}

func (c *scriptConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *scriptConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *scriptConn) Close() error                { return nil }

// converseScript holds a gateway check's conversation, until long from
// now, with a server that sends answers whatever is asked, a byte at a time
// when slow. A second connection fails: "script!" is no host name.
func converseScript(answers string, long time.Duration, slow bool) (State, string) {
	now := time.Now()
	a := &attempt{start: now, deadline: now.Add(long), budget: time.Second}
	var r io.Reader = strings.NewReader(answers)
	if slow {
		r = iotest.OneByteReader(r)
	}
	t := Target{Address: "script!", Check: Check{Key: "k", Kind: MSNP, Via: HTTP, Version: "MSNP21"}}
	l := &gatewayLine{conn: &scriptConn{r: r}, reuse: true, a: a, ctx: context.Background(), t: t, ip: t.Address}
	l.m.r = l.conn
	l.br = bufio.NewReaderSize(&l.m, maxLine)
	defer l.hangUp()
	s, d := a.converse(l, t, netip.AddrPort{})
	return s, CleanDetail(d)
}

func gatewayAnswer(status, header, body string) string {
	if header != "" {
		header = "X-MSN-Messenger: " + header + "\r\n"
	}
	return "HTTP/1.1 " + status + "\r\n" + header + "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

var (
	goodVER = gatewayAnswer("200 OK", "SessionID=1.1; GW-IP=127.0.0.1", "VER 1 MSNP21 CVR0\r\n")
	goodCVR = gatewayAnswer("200 OK", "SessionID=1.1; GW-IP=127.0.0.1", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/\r\n")
)

func TestGatewayScript(t *testing.T) {
	tests := []struct {
		answers string
		want    State
		detail  string
		polls   bool // give the check time for a poll
	}{
		{goodVER + goodCVR, Up, "VER 1 MSNP21 CVR0; CVR 2 14.0.8117", false},
		{gatewayAnswer("200 OK", "SessionID=1.1", "") + goodVER + goodCVR, Up, "VER 1 MSNP21 CVR0; CVR 2 14.0.8117", true}, // polled
		{gatewayAnswer("200 OK", "GW-IP=127.0.0.1", "VER 1 MSNP21 CVR0\r\n"), Foreign, "X-MSN-Messenger without a session id", false},
		{gatewayAnswer("200 OK", "SessionID=1.1", "VER 1 MSNP21 CVR0\r\n") + gatewayAnswer("200 OK", "SessionID=1.1", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/\r\n"), Foreign, "CVR reply not from MSN", false},
		{gatewayAnswer("200 OK", "SessionID=1.1", "VER 1 MSNP21 CVR0"), Foreign, `gateway body not MSNP: "VER 1 MSNP21 CVR0"`, false},
		{gatewayAnswer("500 Internal Server Error", "SessionID=1.1", ""), Rejected, "gateway answered HTTP 500", false},
		{gatewayAnswer("200 OK", "SessionID=1.1", strings.Repeat("x", maxBody+1)), Foreign, "gateway body longer than 4096 bytes", false},
		{goodVER, Error, `VER 1 MSNP21 CVR0; invalid host name "script!"`, false}, // closed after VER: CVR goes on a new connection
		{goodVER + goodVER, Foreign, `VER 1 MSNP21 CVR0; not a CVR reply: "VER 1 MSNP21 CVR0"`, false},
		{gatewayAnswer("200 OK", "SessionID=1.1", ""), Timeout, "no VER reply within 1s", false}, // silent session: polls until the deadline
		{goodVER[:30], Foreign, `not HTTP: "HTTP/1.1 200 OK\r\nX-MSN-Messeng"`, false},
	}
	for _, tt := range tests {
		long := 50 * time.Millisecond
		if tt.polls {
			long = 10 * time.Second
		}
		for _, slow := range []bool{false, true} {
			if s, d := converseScript(tt.answers, long, slow); s != tt.want || !strings.Contains(d, tt.detail) {
				t.Errorf("answers %.60q (a byte at a time: %v): got %s %q, want %s with %q", tt.answers, slow, s, d, tt.want, tt.detail)
			}
		}
	}
}

// cvrShape is an MSN server's CVR answer, written apart from judgeCVR.
var cvrShape = regexp.MustCompile(`^CVR 2 [0-9]+(\.[0-9]+){1,3} [0-9]+(\.[0-9]+){1,3} [0-9]+(\.[0-9]+){1,3} https?://[!-~]+ https?://[!-~]+$`)

// FuzzGateway feeds a gateway check whatever a server might send, and
// checks that nothing panics, that the detail is one short printable line,
// and that "up" needs an HTTP 200 with X-MSN-Messenger, the exact VER
// answer and an MSN-shaped CVR answer among what was sent.
func FuzzGateway(f *testing.F) {
	f.Add(goodVER, goodCVR)
	f.Add(goodVER, goodVER)
	f.Add(gatewayAnswer("200 OK", "SessionID=1.1", "")+goodVER, goodCVR)
	f.Add(gatewayAnswer("400 Bad Request", "SessionID=1.1", "VER 1 0\r\n"), "")
	f.Add("HTTP/1.0 200 OK\r\nX-MSN-Messenger: SessionID=a\r\n\r\nVER 1 MSNP21\r\n", goodCVR)
	f.Add("HTTP/1.1 200 \nX-MSN-Messenger:SessionID=00\nContent-Length:19\n\nVER 1 MSNP21 CVR0\r\n",
		"HTTP/0.0 200 \nX-MSN-Messenger:SessionID=00\n\nCVR 2 0.0 00.0 0.0 http://0 http://0\r\n") // found by the fuzzer: HTTP/0.0
	f.Add("HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=a\r\nTransfer-Encoding: chunked\r\n\r\n13\r\nVER 1 MSNP21 CVR0\r\n\r\n0\r\n\r\n", goodCVR)
	f.Fuzz(func(t *testing.T, ver, cvr string) {
		s, d := converseScript(ver+cvr, 50*time.Millisecond, len(ver)%2 == 1)
		if !s.Valid() || s == Skipped {
			t.Fatalf("state %q", s)
		}
		if len(d) > MaxDetail || !PrintableLine(d) {
			t.Fatalf("detail %q", d)
		}
		if s != Up {
			return
		}
		all := ver + cvr
		lower := strings.ToLower(all)
		if !strings.Contains(lower, "x-msn-messenger:") || !strings.Contains(all, " 200") {
			t.Fatalf("up without HTTP 200 and X-MSN-Messenger: %q", all)
		}
		if !strings.Contains(all, "VER 1 MSNP21\r\n") && !strings.Contains(all, "VER 1 MSNP21 CVR0\r\n") {
			t.Fatalf("up without the VER answer: %q", all)
		}
		found := false
		for line := range strings.SplitSeq(all, "\n") { // HTTP lines may end in a bare \n
			found = found || cvrShape.MatchString(strings.TrimSuffix(line, "\r"))
			if strings.HasPrefix(line, "HTTP/") && !strings.HasPrefix(line, "HTTP/1.") {
				t.Fatalf("up with a status line %q", line)
			}
		}
		if !found {
			t.Fatalf("up without an MSN CVR answer: %q", all)
		}
		if !strings.HasPrefix(d, "VER 1 MSNP21") {
			t.Fatalf("up with detail %q", d)
		}
	})
}
