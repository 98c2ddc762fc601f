// Package msntest runs simulated MSN Messenger servers on loopback
// addresses, in the spirit of net/http/httptest: for tests, benchmarks and
// `deadyet demo`.
//
// A [Server] listens on one address (such as 127.0.2.1) on up to three
// ports: direct MSNP (1863 in real life), the HTTP gateway (80) and the
// HTTPS gateway (443), and behaves on each as its [Behavior] says: a
// notification or dispatch server that accepts some protocol versions (and
// a revival server that lists them when it refuses one), or
// one of the things a prober meets instead — silence, a closed port, an echo,
// a web page, noise, an endless stream, a reset, a slow drip, a numeric
// error.
//
//	srv, err := msntest.Start("127.0.2.1", msntest.Ports{},
//		msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions})
//	...
//	defer srv.Close()
//	// srv.Ports.Direct, srv.Ports.HTTP, srv.Ports.HTTPS are the chosen ports
//
// [StartFleet] starts many servers on consecutive addresses, all on the
// same ports, as the probe's config wants (one port per check).
//
// The HTTPS gateway speaks TLS 1.2 at most, as the real ones did, with a
// self-signed ECDSA certificate made in code at first use ([CertName],
// [CertExpiry]); it gives session tickets, so that a client's later
// connections resume.
//
// A Server counts the connections it accepts and the TLS handshakes it
// completes ([Server.Accepted], [Server.Handshakes]): how polite a client
// was.
//
// Nothing here reaches beyond the address given: the servers only listen
// (a Blackhole server connects once to itself, to fill its queue). The
// package does not import the probe, so that the probe's own tests can use
// it.
package msntest

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is what a simulated server is.
type Kind string

// The kinds of server. NS and Dispatch speak MSNP; the others are what a
// prober must not mistake for one.
const (
	// NS is a notification server: it accepts the Behavior's Versions with
	// VER ("VER 1 0" for others, then hangs up), answers CVR as MSN did, and
	// answers USR with "911" (it knows no one).
	NS Kind = "ns"
	// Dispatch is a region's main server: as NS, but it answers USR with an
	// XFR that sends the client to Behavior.Redirect, and hangs up.
	Dispatch Kind = "dispatch"
	// Revival is a notification server as the open-source revivals of the
	// service run them: as NS, but it speaks [RevivalVersions] when
	// Behavior.Versions is empty, and refuses a VER it cannot serve with the
	// versions it offers, in the order of Versions: "VER 1 0 MSNP21 MSNP20
	// … MSNP2".
	Revival Kind = "revival"
	// NumericError answers every command with the numeric error
	// Behavior.ErrorCode (500 by default), e.g. "500 1".
	NumericError Kind = "error"
	// Silent accepts connections (the kernel does; it never calls accept)
	// and never says a word.
	Silent Kind = "silent"
	// Blackhole never completes a connection: its accept queue is full, so
	// the kernel drops connection attempts, as a firewall that drops
	// packets does. Linux only.
	Blackhole Kind = "blackhole"
	// Reset resets every connection as soon as it is accepted.
	Reset Kind = "reset"
	// Closed is a server whose service is gone: nothing listens on its
	// ports, so connection attempts are refused. On Linux its ports are
	// bound all the same, so that no other program takes them while it
	// runs; elsewhere they are only likely to stay free.
	Closed Kind = "closed"
	// Echo sends back every byte it gets.
	Echo Kind = "echo"
	// EchoGateway is an HTTP gateway that does everything right (status
	// 200, X-MSN-Messenger, sessions) but echoes the MSNP it gets. On the
	// direct port it is Echo.
	EchoGateway Kind = "echo-gateway"
	// WebPage answers whatever it gets with an HTTP 200 HTML page that
	// mentions the protocol versions, without X-MSN-Messenger.
	WebPage Kind = "webpage"
	// Garbage answers with binary noise and hangs up.
	Garbage Kind = "garbage"
	// Endless answers with an endless stream: the client's first line over
	// and over on the direct port; an HTTP 200 with headers that never end
	// on the gateways.
	Endless Kind = "endless"
	// LongLine answers with one line that never ends.
	LongLine Kind = "longline"
	// Drip gives a notification server's answers one byte at a time,
	// Behavior.Drip apart.
	Drip Kind = "drip"
)

// Kinds lists every kind.
var Kinds = []Kind{NS, Dispatch, Revival, NumericError, Silent, Blackhole, Reset, Closed, Echo, EchoGateway, WebPage, Garbage, Endless, LongLine, Drip}

// DefaultVersions are the versions the last MSN servers spoke.
var DefaultVersions = []string{"MSNP18", "MSNP21", "MSNP22"}

// RevivalVersions are the versions a [Revival] server speaks unless told
// otherwise, newest first: MSNP21 down to MSNP2.
var RevivalVersions = func() []string {
	var vs []string
	for n := 21; n >= 2; n-- {
		vs = append(vs, "MSNP"+strconv.Itoa(n))
	}
	return vs
}()

// Behavior is how a server behaves, on all its ports.
type Behavior struct {
	Kind Kind
	// Versions are the protocol versions NS, Dispatch, Revival and Drip
	// accept, e.g. DefaultVersions; none means every VER is refused with
	// "VER n 0" (a Revival server speaks RevivalVersions instead).
	Versions []string
	// ErrorCode is the error NumericError sends; 0 means 500.
	ErrorCode int
	// Redirect is the "host:port" a Dispatch server's XFR names; empty
	// means its own direct port.
	Redirect string
	// Drip is the pause between the bytes of a Drip server; 0 means 100ms.
	Drip time.Duration
	// FailFirst resets the first FailFirst connections the server accepts
	// (on any port) before it behaves as Kind: a server that comes back.
	FailFirst int
	// CloseAfterAnswer makes the gateways answer every request with
	// "Connection: close", so that a client must connect again.
	CloseAfterAnswer bool
	// QuietClose makes the gateways close the connection after every
	// answer without saying so (the answer says "Keep-Alive"), as a web
	// server does with a connection it thinks idle.
	QuietClose bool
	// PollFirst makes the gateways hold the server's answers until the
	// client polls (Action=poll): the answer to the request that carried
	// the command has an empty body.
	PollFirst bool
	// VERReply and CVRReply, when set, are the lines (without CRLF) that NS
	// and Dispatch servers answer VER and CVR with, on every transport,
	// instead of their own: an impostor that gets one thing wrong, e.g.
	// "VER 1 MSNP18 CVR0" to a client that asked for MSNP21, or a CVR
	// answer with a field missing.
	VERReply string
	CVRReply string
	// GatewayStatus, when not 0, is the HTTP status the gateways answer
	// with instead of 200, X-MSN-Messenger and the MSNP answer included.
	GatewayStatus int
	// ExpiredCert gives the HTTPS gateway a certificate that expired on
	// ExpiredCertExpiry, as the real ones had; see [CertExpiry].
	ExpiredCert bool
	// HandshakeDelay holds the HTTPS gateway's TLS handshake this long
	// before it answers, as a far or loaded server does.
	HandshakeDelay time.Duration
}

// Ports are the ports a server listens on. 0 picks a free port; [Off]
// does not listen on that transport.
type Ports struct {
	Direct int // MSNP on its own port (1863 in real life)
	HTTP   int // the HTTP gateway (80)
	HTTPS  int // the HTTPS gateway (443)
}

// Off is a port that is not listened on.
const Off = -1

// idleLimit bounds how long a server keeps a connection that says nothing.
const idleLimit = 10 * time.Second

// Server is one simulated server. Its fields are not to be changed once it
// is started.
type Server struct {
	Addr     string   // the IP address it listens on
	Ports    Ports    // the ports it listens on; Off where it does not
	Behavior Behavior // how it behaves
	Group    string   // a label, from the Spec that started it in a fleet
	Main     bool     // from the Spec: a region's main server

	accepted   atomic.Int64
	handshakes atomic.Int64
	sessions   gatewaySessions

	mu        sync.Mutex
	closed    bool
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	fillers   []net.Conn     // Blackhole: the connections that fill the queues
	bound     []func() error // Closed: release the ports it holds
	done      chan struct{}
	wg        sync.WaitGroup
}

// Start starts a server on the IP address addr (a loopback address such as
// "127.0.2.1"), on the given ports, behaving as b.
func Start(addr string, ports Ports, b Behavior) (*Server, error) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, fmt.Errorf("msntest: address %q: %w", addr, err)
	}
	if !ip.IsLoopback() {
		return nil, fmt.Errorf("msntest: address %q is not a loopback address", addr)
	}
	if !validKind(b.Kind) {
		return nil, fmt.Errorf("msntest: unknown kind %q", b.Kind)
	}
	s := &Server{Addr: addr, Behavior: b, conns: map[net.Conn]struct{}{}, done: make(chan struct{})}
	var kinds []transport
	for _, l := range []struct {
		port *int
		t    transport
	}{{&ports.Direct, direct}, {&ports.HTTP, plainHTTP}, {&ports.HTTPS, secureHTTP}} {
		if *l.port == Off {
			continue
		}
		if b.Kind == Closed {
			port, release, err := boundSocket(addr, *l.port)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("msntest: %w", err)
			}
			*l.port = port
			s.bound = append(s.bound, release)
			continue
		}
		ln, err := s.listen(*l.port)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("msntest: %w", err)
		}
		*l.port = ln.Addr().(*net.TCPAddr).Port
		s.listeners = append(s.listeners, ln)
		kinds = append(kinds, l.t)
	}
	s.Ports = ports
	if b.Kind != Silent && b.Kind != Blackhole {
		for i, ln := range s.listeners {
			s.wg.Go(func() { s.acceptLoop(ln, kinds[i]) })
		}
	}
	return s, nil
}

func validKind(k Kind) bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

func (s *Server) listen(port int) (net.Listener, error) {
	hostPort := net.JoinHostPort(s.Addr, strconv.Itoa(port))
	if s.Behavior.Kind != Blackhole {
		return net.Listen("tcp", hostPort)
	}
	ln, filler, err := listenFull(s.Addr, port)
	if err != nil {
		return nil, err
	}
	s.fillers = append(s.fillers, filler)
	return ln, nil
}

// DirectAddr is the "host:port" of direct MSNP ("" when Off).
func (s *Server) DirectAddr() string { return s.hostPort(s.Ports.Direct) }

func (s *Server) hostPort(p int) string {
	if p == Off {
		return ""
	}
	return net.JoinHostPort(s.Addr, strconv.Itoa(p))
}

// Accepted is how many connections the server has accepted so far, on all
// its ports.
func (s *Server) Accepted() int64 { return s.accepted.Load() }

// Handshakes is how many TLS handshakes the HTTPS gateway has completed so
// far, full or resumed: one per connection a client kept.
func (s *Server) Handshakes() int64 { return s.handshakes.Load() }

// Close stops the server: it closes its listeners and every connection and
// waits for all its goroutines to end. Closing twice is harmless.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	var errs []error
	for _, ln := range s.listeners {
		if err := ln.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	for c := range s.conns {
		c.Close()
	}
	for _, c := range s.fillers {
		c.Close()
	}
	for _, release := range s.bound {
		if err := release(); err != nil {
			errs = append(errs, err)
		}
	}
	s.mu.Unlock()
	s.wg.Wait()
	return errors.Join(errs...)
}

// transport is the port a connection came in on.
type transport int

const (
	direct transport = iota
	plainHTTP
	secureHTTP
)

func (s *Server) acceptLoop(ln net.Listener, t transport) {
	var pause time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors, or the like: wait and try again, as
			// net/http does, rather than stop serving for good.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			if !s.sleep(pause) {
				return
			}
			continue
		}
		pause = 0
		if !s.track(c) {
			c.Close()
			return
		}
		s.wg.Go(func() {
			defer s.untrack(c)
			s.serve(c, t)
		})
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}
