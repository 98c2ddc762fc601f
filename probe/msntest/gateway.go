package msntest

import (
	"bufio"
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
// answers it; keep is false when the server closes the connection after
// the answer.
func (s *Server) gatewayAnswer(c net.Conn, br *bufio.Reader) (answer []byte, keep bool, err error) {
	req, err := readGatewayRequest(br)
	if err != nil {
		if !errors.Is(err, io.EOF) && !isTimeout(err) {
			// As web servers do, say so: this is how a TLS client
			// learns that the port speaks plain HTTP.
			return httpAnswer(400, "Bad Request", "", "text/plain", "bad request\n", false), false, nil
		}
		return nil, false, err
	}
	answer, keep = s.gatewayReply(req)
	return answer, keep && !s.Behavior.QuietClose, nil
}

// gatewayReply is the whole HTTP answer to one gateway request, and
// whether the connection stays open after it.
func (s *Server) gatewayReply(req gatewayRequest) ([]byte, bool) {
	if req.method != http.MethodPost || req.path != "/gateway/gateway.dll" {
		return httpAnswer(404, "Not Found", "", "text/plain", "not found\n", false), false
	}
	var id string
	var gs *gatewaySession
	switch {
	case req.action == "open":
		id, gs = s.sessions.open(s)
	case req.sessionID != "":
		id = req.sessionID
		gs = s.sessions.get(id)
	}
	if gs == nil {
		return httpAnswer(400, "Bad Request", "", "text/plain", "no such session\n", false), false
	}
	gs.mu.Lock()
	defer gs.mu.Unlock()
	for line := range strings.SplitSeq(string(req.body), "\r\n") {
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
	if !s.Behavior.PollFirst || req.action == "poll" {
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
	return httpAnswer(code, http.StatusText(code), hdr, "application/x-msn-messenger", out, keep), keep
}

// httpAnswer formats an HTTP/1.1 answer.
func httpAnswer(code int, status, msn, ctype, body string, keep bool) []byte {
	b := make([]byte, 0, 160+len(msn)+len(body))
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	b = append(b, status...)
	b = append(b, "\r\nServer: msntest\r\n"...)
	if msn != "" {
		b = append(b, "X-MSN-Messenger: "...)
		b = append(b, msn...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "Content-Type: "...)
	b = append(b, ctype...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	if keep {
		b = append(b, "\r\nConnection: Keep-Alive\r\n\r\n"...)
	} else {
		b = append(b, "\r\nConnection: close\r\n\r\n"...)
	}
	return append(b, body...)
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
	return httpAnswer(200, "OK", "", "text/html; charset=utf-8", b.String(), false)
}
