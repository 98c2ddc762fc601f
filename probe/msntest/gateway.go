package msntest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// maxSessions bounds the sessions a server remembers.
const maxSessions = 1024

// gatewaySessions are the open sessions of a server's HTTP gateways.
type gatewaySessions struct {
	mu   sync.Mutex
	next int
	m    map[string]*gatewaySession
}

type gatewaySession struct {
	mu      sync.Mutex
	e       engine
	pending strings.Builder // answers not yet sent (PollFirst)
	ended   bool
}

func (g *gatewaySessions) open(s *Server) (string, *gatewaySession) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]*gatewaySession{}
	}
	if len(g.m) >= maxSessions {
		for old := range g.m { // forget one: clients that never came back
			delete(g.m, old)
			break
		}
	}
	g.next++
	id := strconv.Itoa(g.next) + ".1"
	gs := &gatewaySession{e: engine{b: &s.Behavior, self: s.DirectAddr()}}
	g.m[id] = gs
	return id, gs
}

func (g *gatewaySessions) get(id string) *gatewaySession {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.m[id]
}

func (g *gatewaySessions) end(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, id)
}

// gatewayAnswer reads one request on a gateway port (TLS is done) and
// answers it; keep is false when the server closes the connection after.
func (s *Server) gatewayAnswer(c net.Conn, br *bufio.Reader) (answer []byte, keep bool, err error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		if !errors.Is(err, io.EOF) && !isTimeout(err) {
			// As web servers do: this is how a TLS client learns that the
			// port speaks plain HTTP.
			return httpAnswer(400, "", "text/plain", "bad request\n", false), false, nil
		}
		return nil, false, err
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, maxRequestBody))
	if err != nil {
		return nil, false, err
	}
	answer, keep = s.gatewayReply(req, string(body))
	return answer, keep && !s.Behavior.QuietClose, nil
}

// maxRequestBody bounds the body of a gateway request a server reads.
const maxRequestBody = 64 << 10

// gatewayReply is the whole HTTP answer to one gateway request, and
// whether the connection stays open after it.
func (s *Server) gatewayReply(req *http.Request, body string) ([]byte, bool) {
	if req.Method != http.MethodPost || req.URL.Path != "/gateway/gateway.dll" {
		return httpAnswer(404, "", "text/plain", "not found\n", false), false
	}
	q := req.URL.Query()
	var id string
	var gs *gatewaySession
	switch {
	case q.Get("Action") == "open":
		id, gs = s.sessions.open(s)
	case q.Get("SessionID") != "":
		id = q.Get("SessionID")
		gs = s.sessions.get(id)
	}
	if gs == nil {
		return httpAnswer(400, "", "text/plain", "no such session\n", false), false
	}
	gs.mu.Lock()
	defer gs.mu.Unlock()
	for line := range strings.SplitSeq(body, "\r\n") {
		if line == "" || gs.ended {
			continue
		}
		if s.Behavior.Kind == EchoGateway {
			gs.pending.WriteString(line + "\r\n")
			continue
		}
		reply, hangUp := gs.e.answer(line)
		gs.pending.WriteString(reply)
		gs.ended = gs.ended || hangUp
	}
	out := ""
	if !s.Behavior.PollFirst || q.Get("Action") == "poll" {
		out = gs.pending.String()
		gs.pending.Reset()
	}
	hdr := "SessionID=" + id + "; GW-IP=" + s.Addr
	if gs.ended && gs.pending.Len() == 0 {
		hdr += "; Session=close"
		s.sessions.end(id)
	}
	keep := !s.Behavior.CloseAfterAnswer
	code := http.StatusOK
	if s.Behavior.GatewayStatus != 0 {
		code = s.Behavior.GatewayStatus
	}
	return httpAnswer(code, hdr, "application/x-msn-messenger", out, keep), keep
}

// httpAnswer is an HTTP/1.1 answer; msn is its X-MSN-Messenger, if any.
func httpAnswer(code int, msn, ctype, body string, keep bool) []byte {
	h := http.Header{"Server": {"msntest"}, "Content-Type": {ctype}}
	if msn != "" {
		h["X-MSN-Messenger"] = []string{msn}
	}
	resp := http.Response{StatusCode: code, ProtoMajor: 1, ProtoMinor: 1, Header: h, Close: !keep,
		ContentLength: int64(len(body)), Body: io.NopCloser(strings.NewReader(body))}
	var b bytes.Buffer
	resp.Write(&b)
	return b.Bytes()
}

// webPage is a WebPage server's answer: a page that names the versions
// (the text a careless prober would look for) but is no MSN server.
func (s *Server) webPage() []byte {
	versions := s.Behavior.Versions
	if len(versions) == 0 {
		versions = DefaultVersions
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<title>Messenger</title>\n<h1>Welcome</h1>\n<ul>\n")
	for _, v := range versions {
		fmt.Fprintf(&b, "<li>VER 1 %s CVR0</li>\n", html.EscapeString(v))
	}
	b.WriteString("</ul>\n")
	return httpAnswer(200, "", "text/html; charset=utf-8", b.String(), false)
}
