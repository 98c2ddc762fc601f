package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The HTTP gateway carries MSNP in POST bodies, for clients behind
// firewalls that allow only web traffic. The first request opens a session
// with the notification server named by IP=; the answer's X-MSN-Messenger
// header carries the session id that every later request names:
//
//	POST /gateway/gateway.dll?Action=open&Server=NS&IP=<address> HTTP/1.1
//	Content-Type: application/x-msn-messenger
//
//	VER 1 MSNP21 CVR0
//
//	HTTP/1.1 200 OK
//	X-MSN-Messenger: SessionID=<id>; GW-IP=<address>
//	Content-Type: application/x-msn-messenger
//
//	VER 1 MSNP21 CVR0
//
// then POST /gateway/gateway.dll?SessionID=<id> with the CVR line. An answer
// with an empty body means the server has not spoken yet: the client polls
// with Action=poll until it does.

const (
	gatewayPath = "/gateway/gateway.dll"
	pollEvery   = 100 * time.Millisecond // pause between polls of a silent session
)

// gatewayTLS is the TLS set-up of the HTTPS gateway check. Certificates are
// not verified: the gateways' expired years ago, and the check asks whether
// MSNP still answers, not whether the certificate is good. The detail shows
// the certificate's name and expiry instead. Old protocol versions and
// cipher suites are allowed for the same reason. Sessions are resumed, so
// that a connection made again (the server closed the kept one) skips the
// certificate and the key exchange.
var gatewayTLS = &tls.Config{
	InsecureSkipVerify: true,
	MinVersion:         tls.VersionTLS10,
	CipherSuites:       allCipherSuites(),
	CurvePreferences:   []tls.CurveID{tls.CurveP256, tls.CurveP384},
	ClientSessionCache: tls.NewLRUClientSessionCache(4096),
}

// allCipherSuites are Go's TLS 1.0–1.2 suites, and the RSA key exchange
// ones with AES that Go no longer offers by default but that servers of
// the gateways' time may need. TLS 1.3 suites are not configurable.
func allCipherSuites() []uint16 {
	var ids []uint16
	for _, s := range tls.CipherSuites() {
		if !slices.Equal(s.SupportedVersions, []uint16{tls.VersionTLS13}) {
			ids = append(ids, s.ID)
		}
	}
	for _, s := range tls.InsecureCipherSuites() {
		if strings.HasPrefix(s.Name, "TLS_RSA_WITH_AES_") {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// ProbeGateway speaks MSNP through the HTTP gateway on the target's port,
// in plain HTTP (check via "http", port 80 by default) or over TLS ("https",
// 443): it opens a session with VER and sends CVR in it, as [ProbeMSNP] does
// directly. The CVR request goes on the same connection when the server
// keeps it open, else on a new one. In a [Run], the gateway checks of one
// server on one port share one kept-alive connection (see [gatewayLine]);
// called alone, ProbeGateway makes its own and closes it.
//
//	up        HTTP 200 with X-MSN-Messenger, the version accepted, CVR answered
//	rejected  "VER 1 0" (with the versions offered, or not) or a numeric
//	          error in the body, or an HTTP error status that carries
//	          X-MSN-Messenger
//	foreign   not HTTP, no X-MSN-Messenger, a body that is not MSNP, …
//	refused   connection refused or reset
//	timeout   no complete answer before ctx's deadline
//	error     a TLS failure, no such host, …
//
// Over TLS the detail ends with the certificate's subject and expiry.
func ProbeGateway(ctx context.Context, t Target) Result {
	var l gatewayLine
	defer l.close()
	return l.probe(ctx, t)
}

// gatewayLine is a connection to one gateway port of one server, kept
// alive (HTTP/1.1) for the gateway checks of that server on that port,
// which take turns on it: one TLS handshake per server and port in a run.
// Each check is still its own gateway session (Action=open …), with its
// own deadline set on the connection while it holds it, and its own time:
// a check's ms counts the connection only when it made it.
//
// When the server has closed the connection since the last answer, the
// next request goes on a new one: that redial is part of the check that
// needed it, not a failed attempt. When the connection cannot be made at
// all (refused, no answer, a TLS failure), or a new one gets not a byte of
// answer before the deadline, the checks that follow in the same round of
// attempts ([gatewayLine.newRound]) take that outcome without asking
// again: they would need the very same connection, and a silent server
// must cost one timeout per attempt, not one per check.
type gatewayLine struct {
	conn    net.Conn // nil when there is none
	lim     capReader
	br      *bufio.Reader
	reuse   bool   // the last answer left conn ready for another request
	answers int    // answers read on conn
	cert    string // "cert CN=…, expires …" once a TLS handshake is done
	failed  *Result
	req     []byte // scratch space: the request being sent,
	hbuf    []byte // a folded header line,
	body    []byte // the answer's body
}

// newRound forgets that the connection could not be made: the next check
// tries again.
func (l *gatewayLine) newRound() { l.failed = nil }

// probe is ProbeGateway on l.
func (l *gatewayLine) probe(ctx context.Context, t Target) Result {
	a := begin(ctx, t)
	if !ValidVersion(t.Check.Version) {
		return a.done(Error, fmt.Sprintf("bad version %q", t.Check.Version))
	}
	if l.failed != nil {
		r := *l.failed // what this check would meet: the same connection, not made
		r.Group, r.Address, r.Check = a.r.Group, a.r.Address, a.r.Check
		return r
	}
	g := &gateway{a: a, ctx: ctx, t: t, secure: t.Check.Via == HTTPS, line: l}
	defer g.release()
	if err := g.take(); err != nil {
		return g.connectFailed(err)
	}
	s, detail := a.converse(g, t.Check.Version)
	if g.mute {
		r := a.done(s, detail)
		l.failed = &r // the next check would meet the same silence
		return r
	}
	if l.cert != "" {
		detail += "; " + l.cert
	}
	return a.done(s, detail)
}

// connectFailed is the Result of a check whose connection could not be
// made, which the line keeps for the checks after it in this round. (A
// connection made again in the middle of a check, that fails, is that
// check's outcome alone: the next check tries for itself.)
func (g *gateway) connectFailed(err error) Result {
	r := g.a.fail(err, "connection")
	g.line.failed = &r
	return r
}

// close closes the connection (without a TLS close_notify: nothing is
// left to say) and returns the reader to its pool.
func (l *gatewayLine) close() {
	l.hangUp()
	if l.br != nil {
		putReader(l.br)
		l.br = nil
	}
}

func (l *gatewayLine) hangUp() {
	if l.conn == nil {
		return
	}
	if tc, ok := l.conn.(*tls.Conn); ok {
		tc.NetConn().Close()
	} else {
		l.conn.Close()
	}
	l.conn, l.reuse = nil, false
}

// gateway is one check's session with an HTTP(S) gateway, on its line.
type gateway struct {
	a       *attempt
	ctx     context.Context
	t       Target
	secure  bool
	line    *gatewayLine
	stop    func() bool // releases the watch of ctx on the connection
	session string      // from X-MSN-Messenger; "" before the session is open
	mute    bool        // a new connection got no answer at all
}

// take readies the line's connection for this check: a kept one gets the
// check's deadline and the watch of its context, else a new one is made.
func (g *gateway) take() error {
	l := g.line
	if l.conn == nil || !l.reuse {
		return g.connect()
	}
	if err := l.conn.SetDeadline(g.a.deadline); err != nil {
		l.hangUp()
		return g.connect()
	}
	conn := l.conn
	g.stop = context.AfterFunc(g.ctx, func() { conn.SetDeadline(time.Now()) })
	return nil
}

// release gives the connection back to the line: kept when the last
// answer left it ready for another request, else closed.
func (g *gateway) release() {
	if g.stop != nil && !g.stop() {
		g.line.reuse = false // ctx ended: its watch moved the deadline
	}
	g.stop = nil
	if !g.line.reuse {
		g.line.hangUp()
	}
}

// connect opens a new connection, and does the TLS handshake for https. Its
// errors are *verdicts that say which step failed.
func (g *gateway) connect() error {
	l := g.line
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
	l.hangUp()
	raw, stop, err := g.a.dial(g.ctx, g.t)
	if err != nil {
		s, d := g.a.outcome(err, "connection")
		return &verdict{s, d}
	}
	l.conn, g.stop = raw, stop
	if g.secure {
		cfg := gatewayTLS
		if _, err := netip.ParseAddr(g.t.Address); err != nil {
			cfg = cfg.Clone()
			cfg.ServerName = g.t.Address
		}
		tc := tls.Client(raw, cfg)
		if err := tc.Handshake(); err != nil {
			return g.tlsError(err)
		}
		l.cert = certSummary(tc.ConnectionState())
		l.conn = tc
	}
	l.lim.r = l.conn
	if l.br == nil {
		l.br = getReader(&l.lim)
	} else {
		l.br.Reset(&l.lim)
	}
	l.reuse, l.answers = true, 0
	return nil
}

func (g *gateway) tlsError(err error) error {
	s, d := g.a.outcome(err, "TLS handshake")
	if s == Refused || s == Timeout {
		return &verdict{s, d}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &verdict{Error, "TLS handshake: closed by the server"}
	}
	msg := strings.TrimPrefix(shortError(err), "tls: ")
	return &verdict{Error, "TLS: " + msg}
}

func (g *gateway) exchange(cmd string) ([]byte, error) {
	target := gatewayPath + "?Action=open&Server=NS&IP=" + url.QueryEscape(g.t.Address)
	if g.session != "" {
		target = gatewayPath + "?SessionID=" + g.session
	}
	body, err := g.send(target, cmd)
	for err == nil && len(body) == 0 {
		if err = g.a.pause(g.ctx, pollEvery); err != nil {
			break
		}
		body, err = g.send(gatewayPath+"?Action=poll&SessionID="+g.session, "")
	}
	if err != nil {
		return nil, err
	}
	line, _, ok := bytes.Cut(body, []byte("\r\n"))
	if !ok {
		return nil, foreign("gateway body not MSNP: %s", quote(body))
	}
	return line, nil
}

// send posts one request, on a new connection when the last answer did
// not leave the connection open. A connection kept open after an answer
// may have been closed by the server since, as web servers close the ones
// they think idle: when it fails before a byte of the answer has come, the
// request goes once more, on a new connection.
func (g *gateway) send(target, body string) ([]byte, error) {
	l := g.line
	if !l.reuse {
		if err := g.connect(); err != nil {
			return nil, err
		}
	}
	kept := l.answers > 0
	data, err := g.post(target, body)
	if err != nil && kept && l.lim.n == 0 && closedOrReset(err) {
		if err := g.connect(); err != nil {
			return nil, err
		}
		data, err = g.post(target, body)
	}
	return data, err
}

// closedOrReset reports whether err is the end of a connection the other
// side closed.
func closedOrReset(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// post sends one request and reads the answer's body, at most maxBody
// bytes. It checks what makes the answer a gateway's: HTTP, status 200 and
// an X-MSN-Messenger header with a session id. The body is valid until
// the next post on the line.
func (g *gateway) post(target, body string) ([]byte, error) {
	l := g.line
	host := g.t.Address
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	req := append(l.req[:0], "POST "...)
	req = append(req, target...)
	req = append(req, " HTTP/1.1\r\nHost: "...)
	req = append(req, host...)
	req = append(req, "\r\n"+
		"User-Agent: MSMSGS\r\n"+
		"Accept: */*\r\n"+
		"Content-Type: application/x-msn-messenger\r\n"+
		"Content-Length: "...)
	req = strconv.AppendInt(req, int64(len(body)), 10)
	req = append(req, "\r\n"+
		"Connection: Keep-Alive\r\n"+
		"Cache-Control: no-cache\r\n"+
		"\r\n"...)
	req = append(req, body...)
	l.req = req
	l.reuse = false // until the answer is read whole
	l.lim.start(maxHTTP)
	if _, err := l.conn.Write(req); err != nil {
		return nil, err
	}
	resp, hbuf, err := readHTTPHead(l.br, l.hbuf)
	l.hbuf = hbuf
	if err != nil {
		err = g.httpError(err, "not HTTP")
		// Not a byte on a new connection before the deadline: the port
		// takes connections and says nothing, whatever is asked.
		g.mute = l.answers == 0 && l.lim.n == 0 && isTimeout(err)
		return nil, err
	}
	code := resp.code
	hdr := resp.messenger
	switch {
	case resp.major != 1:
		return nil, foreign("not HTTP/1: %s", quote([]byte(resp.proto)))
	case hdr == "":
		return nil, foreign("HTTP %d without X-MSN-Messenger", code)
	case code != 200:
		return nil, rejected("gateway answered HTTP %d", code)
	}
	id, ok := sessionID(hdr)
	if !ok {
		return nil, foreign("X-MSN-Messenger without a session id: %s", quote([]byte(hdr)))
	}
	g.session = id
	data, err := readHTTPBody(l.br, resp, l.body, maxBody)
	if err != nil {
		return nil, g.httpError(err, "gateway body cut short")
	}
	l.body = data
	if len(data) > maxBody {
		return nil, foreign("gateway body longer than %d bytes", maxBody)
	}
	l.reuse = !resp.close
	l.answers++
	return data, nil
}

// httpError judges an error met while reading an HTTP answer. The error
// of the connection itself comes from the capReader: the HTTP reader takes
// a line cut short by a timeout for a whole one, and complains of it.
func (g *gateway) httpError(err error, what string) error {
	lim := &g.line.lim
	if lim.err != nil {
		err = lim.err
	}
	var op *net.OpError
	switch {
	case lim.over:
		return foreign("HTTP answer longer than %d bytes", maxHTTP)
	case isTimeout(err):
		return &incomplete{lim.n, err}
	case errors.As(err, &op):
		return err // reset, …
	case lim.n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		return io.EOF // closed without a word
	}
	return foreign("%s: %s", what, quote(lim.head))
}

// sessionID finds SessionID=<id> in an X-MSN-Messenger header. The id goes
// back into a request line, so only plain characters pass.
func sessionID(hdr string) (string, bool) {
	for _, part := range strings.Split(hdr, ";") {
		id, ok := strings.CutPrefix(strings.TrimSpace(part), "SessionID=")
		if !ok {
			continue
		}
		if id == "" || len(id) > 100 {
			return "", false
		}
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-_{}:", c) >= 0) {
				return "", false
			}
		}
		return id, true
	}
	return "", false
}

// certSummary is "cert CN=<name>, expires <date>" for the server's leaf
// certificate.
func certSummary(cs tls.ConnectionState) string {
	if len(cs.PeerCertificates) == 0 {
		return "no certificate"
	}
	c := cs.PeerCertificates[0]
	name := c.Subject.CommonName
	if name == "" && len(c.DNSNames) > 0 {
		name = c.DNSNames[0]
	}
	if name == "" || len(name) > quoteBytes || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r > '~' || r == ',' || r == ';' }) {
		name = quote([]byte(name))
	}
	return "cert CN=" + name + ", expires " + c.NotAfter.UTC().Format(time.DateOnly)
}

// capReader bounds what one HTTP answer may read from the connection and
// keeps its first bytes, to show in a detail when it is not HTTP.
type capReader struct {
	r    io.Reader
	left int
	n    int
	over bool
	err  error // the connection's error, if any
	head []byte
	buf  [quoteBytes]byte
}

func (c *capReader) start(limit int) {
	c.left, c.n, c.over, c.err, c.head = limit, 0, false, nil, c.buf[:0]
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, errTooLong
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		c.err = err
	}
	c.left -= n
	c.n += n
	if room := cap(c.head) - len(c.head); room > 0 {
		c.head = append(c.head, p[:min(n, room)]...)
	}
	return n, err
}

var errTooLong = errors.New("answer too long")

// pause waits d, or returns a timeout when the attempt's deadline or ctx
// comes first.
func (a *attempt) pause(ctx context.Context, d time.Duration) error {
	if time.Now().Add(d).After(a.deadline) {
		return os.ErrDeadlineExceeded
	}
	return sleep(ctx, d)
}
