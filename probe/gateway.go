package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// The HTTP gateway carries MSNP in POST bodies. ?Action=open&Server=NS&IP=<host>
// opens a session; later requests name its SessionID (from X-MSN-Messenger).
// An empty body means "not yet": the client polls (Action=poll).

const (
	gatewayPath = "/gateway/gateway.dll"
	pollEvery   = 100 * time.Millisecond // pause between polls of a silent session
)

// gatewayTLS verifies no certificate (the gateways' expired years ago; the
// detail names it instead) and allows the versions and suites of their time.
var gatewayTLS = &tls.Config{
	InsecureSkipVerify: true,
	MinVersion:         tls.VersionTLS10,
	CipherSuites:       allCipherSuites(),
	CurvePreferences:   []tls.CurveID{tls.CurveP256, tls.CurveP384},
	ClientSessionCache: tls.NewLRUClientSessionCache(1024),
}

// allCipherSuites are Go's suites and the RSA key exchange ones with AES,
// which Go no longer offers by default.
func allCipherSuites() (ids []uint16) {
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if !s.Insecure || strings.HasPrefix(s.Name, "TLS_RSA_WITH_AES_") {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// probeGateway holds probeMSNP's conversation through the HTTP(S) gateway.
// An HTTP error with X-MSN-Messenger is rejected, an answer without it
// foreign; over TLS the detail ends with the certificate's name and expiry.
func probeGateway(ctx context.Context, t Target) Result {
	var l gatewayLine
	defer l.hangUp()
	return l.probe(ctx, t)
}

// gatewayLine is the connection (one TLS handshake) that the gateway checks
// of a server and port take turns on, and its check's session; when it cannot
// be made or stays mute, the round's later checks take that outcome (failed).
type gatewayLine struct {
	conn    net.Conn // nil when there is none
	m       meter
	br      *bufio.Reader
	reuse   bool   // the last answer left conn ready for another request
	answers int    // answers read on conn
	cert    string // "cert CN=…, expires …" once a TLS handshake is done
	failed  *Result

	a       *attempt // the check on the line
	ctx     context.Context
	t       Target
	stop    func() bool // releases the watch of ctx on the connection
	ip      string      // the session's IP=: the target's address, or an XFR's
	session string      // from X-MSN-Messenger; "" before the session is open
	closed  bool        // the server ended the session (Session=close)
	mute    bool        // a new connection got no answer at all
}

func (l *gatewayLine) probe(ctx context.Context, t Target) Result {
	a := begin(ctx)
	if l.failed != nil {
		return *l.failed
	}
	l.a, l.ctx, l.t, l.ip, l.session, l.closed, l.mute = a, ctx, t, t.Address, "", false, false
	defer l.release()
	if err := l.take(); err != nil {
		r := a.done(a.outcome(err, "connection"))
		l.failed = &r
		return r
	}
	s, detail := a.converse(l, t, remote(l.conn, 1863))
	if !l.mute && l.cert != "" {
		detail += "; " + l.cert
	}
	r := a.done(s, detail)
	if l.mute {
		l.failed = &r
	}
	return r
}

func (l *gatewayLine) hangUp() {
	if l.conn != nil {
		l.conn.Close()
	}
	l.conn, l.reuse = nil, false
}

// take readies the line's connection for this check: a kept one gets the
// check's deadline and the watch of its context, else a new one is made.
func (l *gatewayLine) take() error {
	if !l.reuse || l.conn.SetDeadline(l.a.deadline) != nil {
		return l.connect()
	}
	conn := l.conn
	l.stop = context.AfterFunc(l.ctx, func() { conn.SetDeadline(time.Now()) })
	return nil
}

// release gives the connection back to the line, or closes it when the
// last answer did not leave it ready for another request.
func (l *gatewayLine) release() {
	if l.stop != nil && !l.stop() {
		l.reuse = false // ctx ended: its watch moved the deadline
	}
	l.stop = nil
	if !l.reuse {
		l.hangUp()
	}
}

// connect opens a new connection, with the TLS handshake for https. Its
// errors are *verdicts that say which step failed.
func (l *gatewayLine) connect() error {
	if l.stop != nil {
		l.stop()
		l.stop = nil
	}
	l.hangUp()
	raw, stop, err := l.a.dial(l.ctx, l.t)
	if err != nil {
		s, d := l.a.outcome(err, "connection")
		return &verdict{s, d}
	}
	l.conn, l.stop = raw, stop
	if l.t.Check.Via == HTTPS {
		cfg := gatewayTLS
		if _, err := netip.ParseAddr(l.t.Address); err != nil {
			cfg = cfg.Clone()
			cfg.ServerName = l.t.Address
		}
		tc := tls.Client(raw, cfg)
		if err := tc.Handshake(); err != nil {
			s, d := l.a.outcome(err, "TLS handshake")
			switch {
			case s == Refused || s == Timeout:
				return &verdict{s, d}
			case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
				return &verdict{Error, "TLS handshake: closed by the server"}
			}
			return &verdict{Error, "TLS: " + strings.TrimPrefix(shortError(err), "tls: ")}
		}
		l.cert = certSummary(tc.ConnectionState())
		l.conn = tc
	}
	l.m.r = l.conn
	l.br = bufio.NewReaderSize(&l.m, maxLine)
	l.reuse, l.answers = true, 0
	return nil
}

func (l *gatewayLine) exchange(cmd string) ([]byte, error) {
	query := "Action=open&Server=NS&IP=" + url.QueryEscape(l.ip)
	if l.session != "" {
		query = "SessionID=" + l.session
	}
	body, err := l.send(query, cmd)
	for err == nil {
		line, ok, bad := firstReply(body)
		if bad != nil || ok {
			return line, bad
		}
		if time.Now().Add(pollEvery).After(l.a.deadline) {
			err = os.ErrDeadlineExceeded
		} else if err = sleep(l.ctx, pollEvery); err == nil {
			body, err = l.send("Action=poll&SessionID="+l.session, "")
		}
	}
	// Not a byte on a new connection in time: the port says nothing, whatever is asked.
	l.mute = l.answers == 0 && l.m.n == 0 && isTimeout(err)
	return nil, err
}

// firstReply is the first line of a gateway body that is not a payload
// command; ok is false when there is none.
func firstReply(body []byte) (line []byte, ok bool, err error) {
	for len(body) > 0 {
		line, rest, found := bytes.Cut(body, []byte("\r\n"))
		if !found {
			return nil, false, foreign("gateway body not MSNP: %s", quote(body))
		}
		n, payload := payloadLength(line)
		if !payload {
			return line, true, nil
		}
		if n > len(rest) {
			return nil, false, foreign("gateway body cut short in a payload: %s", quote(line))
		}
		body = rest[n:]
	}
	return nil, false, nil
}

func (l *gatewayLine) redirect(to netip.AddrPort) error {
	l.ip, l.session, l.closed = to.Addr().String(), "", false
	return nil
}

// bye ends the session with OUT, on a new connection within a second when
// the deadline cut it off (it would stay open); a stopped run sends nothing.
func (l *gatewayLine) bye() {
	if l.session == "" || l.closed || errors.Is(l.ctx.Err(), context.Canceled) {
		return
	}
	if !time.Now().Before(l.a.deadline) { // the context may not know yet
		grace, a := *l.a, l.a
		grace.deadline = time.Now().Add(time.Second)
		ctx, cancel := context.WithDeadline(context.WithoutCancel(l.ctx), grace.deadline)
		defer func() { cancel(); l.a = a }()
		l.a, l.ctx, l.reuse = &grace, ctx, false
	}
	l.send("SessionID="+l.session, "OUT\r\n")
}

// send posts one request, on a new connection when the last answer did not
// leave one open. When a kept one fails before a byte of the answer, the
// server closed it as idle: the request goes again, on a new connection.
func (l *gatewayLine) send(query, body string) ([]byte, error) {
	if !l.reuse {
		if err := l.connect(); err != nil {
			return nil, err
		}
	}
	kept := l.answers > 0
	data, err := l.post(query, body)
	if err != nil && kept && l.m.n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
		if err := l.connect(); err != nil {
			return nil, err
		}
		data, err = l.post(query, body)
	}
	return data, err
}

// post sends one request and reads the body of a gateway's answer (HTTP/1,
// 200, X-MSN-Messenger with a session id), at most maxBody bytes.
func (l *gatewayLine) post(query, body string) ([]byte, error) {
	u := &url.URL{Scheme: "http", Host: l.t.Address, Path: gatewayPath, RawQuery: query}
	if strings.Contains(l.t.Address, ":") {
		u.Host = "[" + l.t.Address + "]"
	}
	req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "MSMSGS")
	req.Header.Set("Content-Type", "application/x-msn-messenger")
	l.reuse = false // until the answer is read whole
	l.m.start(maxHTTP)
	if err := req.Write(l.conn); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(l.br, req)
	if err != nil {
		return nil, l.readError(err, "not HTTP")
	}
	hdr := resp.Header.Get("X-MSN-Messenger")
	switch {
	case resp.ProtoMajor != 1:
		return nil, foreign("not HTTP/1: %s", quote([]byte(resp.Proto)))
	case hdr == "":
		return nil, foreign("HTTP %d without X-MSN-Messenger", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, rejected("gateway answered HTTP %d", resp.StatusCode)
	}
	id := sessionRE.FindStringSubmatch(hdr)
	if id == nil {
		return nil, foreign("X-MSN-Messenger without a session id: %s", quote([]byte(hdr)))
	}
	l.session, l.closed = id[1], strings.Contains(hdr, "Session=close")
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, l.readError(err, "gateway body cut short")
	}
	if len(data) > maxBody {
		return nil, foreign("gateway body longer than %d bytes", maxBody)
	}
	l.reuse = !resp.Close
	l.answers++
	return data, nil
}

// readError judges an error met while reading an HTTP answer by the
// meter's: net/http takes a line a timeout cut short for a whole one.
func (l *gatewayLine) readError(err error, what string) error {
	m := &l.m
	if m.err != nil {
		err = m.err
	}
	var op *net.OpError
	switch {
	case m.left <= 0:
		return foreign("HTTP answer longer than %d bytes", maxHTTP)
	case isTimeout(err):
		return &incomplete{m.n, err}
	case errors.As(err, &op):
		return err // reset, …
	case m.n == 0 && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		return io.EOF // closed without a word
	}
	return foreign("%s: %s", what, quote(m.head))
}

// sessionRE finds the SessionID in an X-MSN-Messenger header. The id goes
// back into a request line, so only plain characters pass.
var sessionRE = regexp.MustCompile(`(?:^|;)\s*SessionID=([A-Za-z0-9._{}:-]{1,100})\s*(?:;|$)`)

// certSummary is "cert CN=<name>, expires <date>" for the server's leaf
// certificate.
func certSummary(cs tls.ConnectionState) string {
	c := cs.PeerCertificates[0] // a TLS server always sends one
	name := c.Subject.CommonName
	if name == "" && len(c.DNSNames) > 0 {
		name = c.DNSNames[0]
	}
	if name == "" || len(name) > quoteBytes || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r > '~' || r == ',' || r == ';' }) {
		name = quote([]byte(name))
	}
	return "cert CN=" + name + ", expires " + c.NotAfter.UTC().Format(time.DateOnly)
}

// meter bounds and counts what one HTTP answer reads from the connection,
// and keeps its first bytes and the connection's error for the detail.
type meter struct {
	r    io.Reader
	left int
	n    int
	err  error
	head []byte
}

func (m *meter) start(limit int) { m.left, m.n, m.err, m.head = limit, 0, nil, m.head[:0] }

func (m *meter) Read(p []byte) (int, error) {
	if m.left <= 0 {
		return 0, errors.New("answer too long")
	}
	n, err := m.r.Read(p[:min(len(p), m.left)])
	if err != nil && err != io.EOF {
		m.err = err
	}
	m.left -= n
	m.n += n
	m.head = append(m.head, p[:min(n, quoteBytes-len(m.head))]...)
	return n, err
}
