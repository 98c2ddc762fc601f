package msntest

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SessionLife is how long a gateway session lasts after its last request.
const SessionLife = 30 * time.Second

// gatewaySession is a gateway session, open until OUT, a hang-up or SessionLife.
type gatewaySession struct {
	e       engine
	ip      string          // the IP= it was opened with
	sb      bool            // opened without Server=NS: a switchboard session, which ignores MSNP
	pending strings.Builder // answers not yet sent (PollFirst)
	ended   bool
	last    time.Time // of the last request
}

// gatewayAnswer reads one request on a gateway port and answers it; keep
// is false when the server closes the connection after.
func (s *Server) gatewayAnswer(c net.Conn, br *bufio.Reader) (answer []byte, keep bool, err error) {
	req, err := http.ReadRequest(br)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrDeadlineExceeded) {
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
	if s.Behavior.HangCVR && strings.HasPrefix(string(body), "CVR ") {
		_, err := io.Copy(io.Discard, br) // until the client hangs up
		return nil, false, cmp.Or(err, io.EOF)
	}
	answer, keep = s.gatewayReply(req, string(body))
	return answer, keep && !s.Behavior.QuietClose, nil
}

// maxRequestBody bounds the body of a gateway request a server reads.
const maxRequestBody = 64 << 10

// gatewayReply is the HTTP answer to one gateway request, and whether the
// connection stays open after it.
func (s *Server) gatewayReply(req *http.Request, body string) ([]byte, bool) {
	if req.Method != http.MethodPost || req.URL.Path != "/gateway/gateway.dll" {
		return httpAnswer(404, "", "text/plain", "not found\n", false), false
	}
	q := req.URL.Query()
	s.smu.Lock()
	defer s.smu.Unlock()
	id := q.Get("SessionID")
	gs := s.sessions[id]
	if gs != nil && time.Since(gs.last) > SessionLife {
		delete(s.sessions, id)
		gs = nil
	}
	if q.Get("Action") == "open" {
		ns := s.peer(q.Get("IP"))
		if ns == nil || !slices.Contains([]Kind{NS, Dispatch, Revival, NumericError, Drip, EchoGateway}, ns.Behavior.Kind) {
			return httpAnswer(502, "GW-IP="+q.Get("IP"), "text/plain", "no server at that IP\n", true), true
		}
		s.nextID++
		id = strconv.Itoa(s.nextID) + ".1"
		gs = &gatewaySession{e: engine{s: s, ns: ns, b: &ns.Behavior}, ip: q.Get("IP"), sb: q.Get("Server") != "NS"}
		s.sessions[id] = gs
	}
	if gs == nil {
		return httpAnswer(400, "", "text/plain", "no such session\n", false), false
	}
	gs.last = time.Now()
	for line := range strings.SplitSeq(body, "\r\n") {
		switch {
		case line == "" || gs.ended || gs.sb && line != "OUT":
		case s.Behavior.Kind == EchoGateway:
			gs.pending.WriteString(line + "\r\n")
		default:
			reply, hangUp := gs.e.answer(line)
			gs.pending.WriteString(reply)
			gs.ended = gs.ended || hangUp
		}
	}
	out := ""
	if !s.Behavior.PollFirst || q.Get("Action") == "poll" {
		out = gs.pending.String()
		gs.pending.Reset()
	}
	hdr := "SessionID=" + id + "; GW-IP=" + gs.ip
	if gs.ended && gs.pending.Len() == 0 {
		hdr += "; Session=close"
		delete(s.sessions, id)
	}
	keep := !s.Behavior.CloseAfterAnswer
	return httpAnswer(cmp.Or(s.Behavior.GatewayStatus, http.StatusOK), hdr, "application/x-msn-messenger", out, keep), keep
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

// webPage is a WebPage server's page: it names the versions (the text a
// careless prober would look for) but is no MSN server.
const webPage = "<!doctype html>\n<title>Messenger</title>\n<h1>Welcome</h1>\n<ul>\n" +
	"<li>VER 1 MSNP18 CVR0</li>\n<li>VER 1 MSNP21 CVR0</li>\n<li>VER 1 MSNP22 CVR0</li>\n</ul>\n"

// The HTTPS gateways' certificates: one that expires in the future, so that
// Go's TLS client resumes sessions, and the one of Behavior.ExpiredCert.
var (
	validTLS   = sync.OnceValue(func() *tls.Config { return gatewayTLS(time.Date(2039, time.December, 31, 0, 0, 0, 0, time.UTC)) })
	expiredTLS = sync.OnceValue(func() *tls.Config { return gatewayTLS(time.Date(2017, time.May, 19, 0, 0, 0, 0, time.UTC)) })
)

// gatewayTLS is a TLS 1.2 server, as the real gateways were, with an ECDSA
// certificate that expires at notAfter.
func gatewayTLS(notAfter time.Time) *tls.Config {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "msntest"},
		NotBefore:             time.Date(2014, time.May, 19, 0, 0, 0, 0, time.UTC),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var der []byte
	if err == nil {
		der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	}
	if err != nil {
		panic("msntest: " + err.Error()) // the system's random source failed
	}
	return &tls.Config{
		MaxVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	}
}
