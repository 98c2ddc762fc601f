// Package msntest runs simulated MSN Messenger servers on loopback
// addresses, as net/http/httptest does web servers: for tests, benchmarks
// and `deadyet demo`. A [Server] listens on up to three ports (direct MSNP,
// the HTTP and the HTTPS gateway, TLS 1.2 with a self-signed certificate)
// and behaves on each as its [Behavior] says: an MSN server of some
// [Kind], or one of the things a prober meets instead (silence, an echo, a
// web page, noise, …). [StartFleet] starts many on consecutive addresses.
package msntest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is what a simulated server is.
type Kind string

// The kinds of server. NS, Dispatch, Revival and Drip speak MSNP.
const (
	// NS is a notification server: it accepts Behavior.Versions ("VER 1 0"
	// and a hang-up for others), answers CVR as MSN did and USR … I with
	// the challenge ([SSONonce], [TWNPolicy]).
	NS Kind = "ns"
	// Dispatch is NS that answers USR … I with an XFR to Behavior.Redirect
	// and hangs up.
	Dispatch Kind = "dispatch"
	// Revival answers as a real revival server (Escargot) does: it speaks
	// [RevivalVersions] unless Versions says, lists them in a refusal and
	// goes on, answers CVR with the client's version, ignores the unknown.
	Revival      Kind = "revival"
	NumericError Kind = "error"        // answers every command with Behavior.ErrorCode (500)
	Silent       Kind = "silent"       // accepts connections and never says a word
	Blackhole    Kind = "blackhole"    // never completes a connection: its accept queue is full (Linux only)
	Reset        Kind = "reset"        // resets every connection as soon as it is accepted
	Closed       Kind = "closed"       // refuses connections: its ports are bound, not listened on
	Echo         Kind = "echo"         // sends back every byte it gets
	EchoGateway  Kind = "echo-gateway" // a right HTTP gateway that echoes the MSNP; Echo on the direct port
	WebPage      Kind = "webpage"      // answers with an HTML page that names the versions
	Garbage      Kind = "garbage"      // answers with binary noise and hangs up
	Endless      Kind = "endless"      // repeats the first line (direct) or a header (gateways) for ever
	LongLine     Kind = "longline"     // answers with one line that never ends
	Drip         Kind = "drip"         // NS that sends a byte every Behavior.Drip
)

// DefaultVersions are the versions the last MSN servers spoke.
var DefaultVersions = []string{"MSNP18", "MSNP21", "MSNP22"}

// RevivalVersions are MSNP21 down to MSNP2, newest first.
var RevivalVersions = strings.Fields("MSNP21 MSNP20 MSNP19 MSNP18 MSNP17 MSNP16 MSNP15 MSNP14 MSNP13 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2")

// Behavior is how a server behaves, on all its ports.
type Behavior struct {
	Kind      Kind
	Versions  []string // the versions the MSNP kinds accept; none: every VER is refused (Revival: RevivalVersions)
	ErrorCode int      // the error NumericError sends; 0 means 500
	// Redirect is the "host:port" (or host, on the direct port) that a
	// Dispatch server's XFR names. Empty: in a fleet, the next NS or
	// Revival server after it, else itself.
	Redirect         string
	Drip             time.Duration // the pause between the bytes of a Drip server; 0 means 100ms
	FailFirst        int           // reset the first FailFirst connections: a server that comes back
	CloseAfterAnswer bool          // the gateways answer "Connection: close"
	QuietClose       bool          // the gateways close after every answer without saying so
	PollFirst        bool          // the gateways hold the answers until the client polls
	// VERReply, CVRReply and USRReply, when set, are the lines (without
	// CRLF) that the MSNP kinds answer VER, CVR and USR … I with: an
	// impostor that gets one thing wrong.
	VERReply, CVRReply, USRReply string
	HangCVR                      bool          // the gateways never answer a request that holds CVR
	GatewayStatus                int           // when not 0, the gateways' HTTP status instead of 200
	ExpiredCert                  bool          // the HTTPS certificate expired in 2017, as the real ones had
	HandshakeDelay               time.Duration // holds the HTTPS gateway's TLS handshake this long
}

// Ports are the ports a server listens on: 0 picks a free one, [Off] none.
type Ports struct {
	Direct int // MSNP on its own port (1863 in real life)
	HTTP   int // the HTTP gateway (80)
	HTTPS  int // the HTTPS gateway (443)
}

// Off is a port that is not listened on.
const Off = -1

// idleLimit bounds how long a server keeps a connection that says nothing.
const idleLimit = 10 * time.Second

// Server is one simulated server. Its fields are not to be changed.
type Server struct {
	Addr     string   // the IP address it listens on
	Ports    Ports    // the ports it listens on; Off where it does not
	Behavior Behavior // how it behaves
	Group    string   // a label, from the Spec that started it in a fleet
	Main     bool     // from the Spec: a region's main server

	accepted   atomic.Int64
	handshakes atomic.Int64
	direct     atomic.Int64 // direct sessions open
	smu        sync.Mutex   // held for a gateway request's whole answer
	sessions   map[string]*gatewaySession
	nextID     int
	fleet      atomic.Pointer[Fleet]
	stages     []string // second stages received (under mu)

	mu        sync.Mutex
	closed    bool
	listeners [3]net.Listener // by transport; nil where Off
	conns     map[net.Conn]struct{}
	closers   []io.Closer // the listeners, Blackhole's fillers, Closed's bound sockets
	done      chan struct{}
	wg        sync.WaitGroup
}

// Start starts a server on the loopback address addr, behaving as b.
func Start(addr string, ports Ports, b Behavior) (*Server, error) {
	if ip, err := netip.ParseAddr(addr); err != nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("msntest: address %q is not a loopback address", addr)
	}
	s := &Server{Addr: addr, Behavior: b, conns: map[net.Conn]struct{}{}, done: make(chan struct{}),
		sessions: map[string]*gatewaySession{}}
	for t, port := range []*int{&ports.Direct, &ports.HTTP, &ports.HTTPS} {
		if *port == Off {
			continue
		}
		if b.Kind == Closed {
			p, bound, err := boundSocket(addr, *port)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("msntest: %w", err)
			}
			*port, s.closers = p, append(s.closers, bound)
			continue
		}
		ln, err := s.listen(*port)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("msntest: %w", err)
		}
		*port, s.listeners[t], s.closers = ln.Addr().(*net.TCPAddr).Port, ln, append(s.closers, ln)
	}
	s.Ports = ports
	for t, ln := range s.listeners {
		if ln != nil && b.Kind != Blackhole {
			s.wg.Go(func() { s.acceptLoop(ln, transport(t)) })
		}
	}
	return s, nil
}

func (s *Server) listen(port int) (net.Listener, error) {
	if s.Behavior.Kind != Blackhole {
		return net.Listen("tcp", s.hostPort(port))
	}
	ln, filler, err := listenFull(s.Addr, port)
	if err == nil {
		s.closers = append(s.closers, filler)
	}
	return ln, err
}

// DirectAddr is the "host:port" of direct MSNP.
func (s *Server) DirectAddr() string { return s.hostPort(s.Ports.Direct) }

func (s *Server) hostPort(p int) string { return net.JoinHostPort(s.Addr, strconv.Itoa(p)) }

// Accepted is how many connections the server has accepted, on all ports.
func (s *Server) Accepted() int64 { return s.accepted.Load() }

// Handshakes is how many TLS handshakes the HTTPS gateway has completed.
func (s *Server) Handshakes() int64 { return s.handshakes.Load() }

// OpenSessions is how many sessions are open: direct connections not yet
// ended, gateway sessions not ended by OUT (or a hang-up) nor expired.
func (s *Server) OpenSessions() int {
	s.smu.Lock()
	defer s.smu.Unlock()
	n := int(s.direct.Load())
	for _, gs := range s.sessions {
		if time.Since(gs.last) <= SessionLife {
			n++
		}
	}
	return n
}

// secondStage records a second stage of sign-in (USR … S), which no probe
// may send: Close reports it.
func (s *Server) secondStage(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stages = append(s.stages, line)
}

// peer is the server at ip in s's fleet (s itself for its own address).
func (s *Server) peer(ip string) *Server {
	if ip == s.Addr {
		return s
	}
	if f := s.fleet.Load(); f != nil {
		for _, p := range f.Servers {
			if p.Addr == ip {
				return p
			}
		}
	}
	return nil
}

// xfrTarget is the "host:port" a Dispatch server's XFR names.
func (s *Server) xfrTarget() string {
	if r := s.Behavior.Redirect; r != "" {
		if _, _, err := net.SplitHostPort(r); err != nil {
			return net.JoinHostPort(r, strconv.Itoa(s.Ports.Direct))
		}
		return r
	}
	if f := s.fleet.Load(); f != nil {
		for _, p := range f.Servers[slices.Index(f.Servers, s)+1:] {
			if p.Behavior.Kind == NS || p.Behavior.Kind == Revival {
				return p.DirectAddr()
			}
		}
	}
	return s.DirectAddr()
}

// Close stops the server and waits for its goroutines. Closing twice is
// harmless. Its error names any second stage of sign-in it received.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for _, c := range s.closers {
		c.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	var errs []error
	for _, l := range s.stages {
		errs = append(errs, fmt.Errorf("msntest: %s received a second stage of sign-in: %q", s.Addr, l))
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
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil { // out of descriptors, or the like: wait, and try again
			if !s.sleep(10 * time.Millisecond) {
				return
			}
			continue
		}
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

// Spec asks a fleet for Count servers that behave alike.
type Spec struct {
	Group    string   // a label the servers carry, e.g. a region: "bay"
	Count    int      // how many; 0 counts as 1
	Main     bool     // the servers are a region's main ones (a label too)
	Behavior Behavior // how they behave
}

// Fleet is many servers on consecutive loopback addresses, all on the same
// ports.
type Fleet struct {
	Ports   Ports     // the ports every server listens on
	Servers []*Server // in the order of the specs
}

// StartFleet starts the servers of specs, in order, on consecutive IPv4
// loopback addresses from base (skipping .0 and .255), all on the ports
// given or, for 0, those the first server got.
func StartFleet(base string, ports Ports, specs []Spec) (*Fleet, error) {
	addr, err := netip.ParseAddr(base)
	if err != nil || !addr.Is4() || !addr.IsLoopback() {
		return nil, fmt.Errorf("msntest: fleet base %q is not an IPv4 loopback address", base)
	}
	f := &Fleet{Ports: ports}
	for _, sp := range specs {
		for range max(sp.Count, 1) {
			for last := addr.As4()[3]; last == 0 || last == 255; last = addr.As4()[3] {
				addr = addr.Next()
			}
			s, err := Start(addr.String(), f.Ports, sp.Behavior)
			if err != nil {
				f.Close()
				return nil, err
			}
			s.Group, s.Main = sp.Group, sp.Main
			if len(f.Servers) == 0 {
				f.Ports = s.Ports // the ports chosen for 0
			}
			f.Servers = append(f.Servers, s)
			addr = addr.Next()
		}
	}
	for _, s := range f.Servers {
		s.fleet.Store(f)
	}
	return f, nil
}

// Addresses are the servers' addresses, in order.
func (f *Fleet) Addresses() []string {
	out := make([]string, len(f.Servers))
	for i, s := range f.Servers {
		out[i] = s.Addr
	}
	return out
}

// Group is the servers labelled g, in order.
func (f *Fleet) Group(g string) []*Server {
	var out []*Server
	for _, s := range f.Servers {
		if s.Group == g {
			out = append(out, s)
		}
	}
	return out
}

// OpenSessions is the sum of the servers' [Server.OpenSessions].
func (f *Fleet) OpenSessions() (n int) {
	for _, s := range f.Servers {
		n += s.OpenSessions()
	}
	return n
}

// Close stops every server and waits for them all.
func (f *Fleet) Close() error {
	var errs []error
	for _, s := range f.Servers {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
