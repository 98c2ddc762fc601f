package msntest

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"
)

// serve is one connection's life: the impostors do their one thing, the
// others answer command after command (direct) or request after request
// (a gateway) until they hang up.
func (s *Server) serve(c net.Conn, t transport) {
	n := s.accepted.Add(1)
	if n <= int64(s.Behavior.FailFirst) || s.Behavior.Kind == Reset {
		reset(c)
		return
	}
	if s.Behavior.Kind == Silent {
		<-s.done
		return
	}
	c.SetDeadline(time.Now().Add(idleLimit))
	if t == secureHTTP {
		if d := s.Behavior.HandshakeDelay; d > 0 && !s.sleep(d) {
			return
		}
		cfg := validTLS()
		if s.Behavior.ExpiredCert {
			cfg = expiredTLS()
		}
		tc := tls.Server(c, cfg)
		if err := tc.Handshake(); err != nil {
			return
		}
		s.handshakes.Add(1)
		c = tc
	}
	br := bufio.NewReaderSize(c, maxLine)
	if s.impostor(c, br, t) {
		return
	}
	next := s.gatewayAnswer
	if t == direct {
		e := &engine{s: s, ns: s, b: &s.Behavior}
		open := false // from the first command to a hang-up, which is counted before its answer goes
		defer func() {
			if open {
				s.direct.Add(-1)
			}
		}()
		next = func(c net.Conn, br *bufio.Reader) ([]byte, bool, error) {
			line, err := readLine(br)
			if err != nil {
				return nil, false, err
			}
			if !open {
				open = true
				s.direct.Add(1)
			}
			reply, hangUp := e.answer(string(line))
			if hangUp {
				open = false
				s.direct.Add(-1)
			}
			return []byte(reply), !hangUp, nil
		}
	}
	for {
		answer, keep, err := next(c, br)
		if err != nil {
			return
		}
		if s.Behavior.Kind == Drip {
			s.drip(c, answer)
		} else if _, err := c.Write(answer); err != nil {
			return
		}
		if !keep {
			return
		}
		c.SetDeadline(time.Now().Add(idleLimit)) // for the next command or request
	}
}

// impostor serves the kinds that only pretend, on any port, and reports
// whether c was one of theirs. Most read what the client sends first (a
// line, or an HTTP request) and answer it their way.
func (s *Server) impostor(c net.Conn, br *bufio.Reader, t transport) bool {
	first := func() ([]byte, error) {
		if t == direct {
			return readLine(br)
		}
		_, err := http.ReadRequest(br)
		return nil, err
	}
	switch s.Behavior.Kind {
	case EchoGateway:
		if t != direct {
			return false // a gateway that does it all right but echo
		}
		fallthrough
	case Echo:
		io.Copy(c, io.LimitReader(c, 1<<20))
	case Garbage:
		readLine(br)
		c.Write(garbage)
	case LongLine:
		stream(c, nil, []byte("A"))
	case WebPage:
		if _, err := first(); err == nil {
			c.Write(httpAnswer(200, "", "text/html; charset=utf-8", webPage, false))
		}
	case Endless:
		line, err := first()
		switch {
		case err != nil:
		case t == direct:
			stream(c, nil, append(line, '\r', '\n'))
		default:
			stream(c, []byte("HTTP/1.1 200 OK\r\n"), []byte("X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"))
		}
	default:
		return false
	}
	return true
}

// readLine reads a line, without its line end.
func readLine(br *bufio.Reader) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}

// reset closes c with a TCP RST instead of a FIN.
func reset(c net.Conn) {
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
}

// sleep waits d, or less if the server is closing; it reports whether the
// server is still running.
func (s *Server) sleep(d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-s.done:
		return false
	}
}

// drip writes b a byte at a time, Behavior.Drip apart.
func (s *Server) drip(c net.Conn, b []byte) {
	every := cmp.Or(s.Behavior.Drip, 100*time.Millisecond)
	for i := range b {
		if _, err := c.Write(b[i : i+1]); err != nil || !s.sleep(every) {
			return
		}
	}
}

// garbage is what a Garbage server sends: binary noise with a line end, as
// a confused service might.
var garbage = []byte("\x15\x03\x01\x00\x02\x02\x28\xff\xfe\x00MSN?\x07\x1b[2J\x80\x81\r\n")

// stream writes head, then unit over and over until the client goes or the
// server closes the connection.
func stream(c net.Conn, head, unit []byte) {
	buf := bytes.Repeat(unit, max(1, 4096/len(unit)))
	if _, err := c.Write(head); err != nil {
		return
	}
	for {
		c.SetWriteDeadline(time.Now().Add(idleLimit))
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}
