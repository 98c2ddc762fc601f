package msntest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
)

// CVR answer of the simulated servers: the versions Windows Live Messenger
// 2011 was offered, and links that lead nowhere real.
const (
	cvrVersion  = "14.0.8117.0416"
	cvrDownload = "http://download.messenger.test/wlsetup-web.exe"
	cvrInfo     = "http://messenger.test/"
)

// maxLine bounds a line a server reads.
const maxLine = 4096

// engine is the MSNP side of one client session: it answers one command
// line at a time.
type engine struct {
	b       *Behavior
	self    string // "host:port" the server is reached at, for XFR
	version string // the version VER settled on
}

// answer is the server's reply to one command line (CRLF included), and
// whether it hangs up after it.
func (e *engine) answer(line string) (reply string, hangUp bool) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return "", true
	}
	cmd, trid := f[0], f[1]
	if _, err := strconv.ParseUint(trid, 10, 32); err != nil {
		return "", true
	}
	if e.b.Kind == NumericError {
		code := e.b.ErrorCode
		if code == 0 {
			code = 500
		}
		return strconv.Itoa(code) + " " + trid + "\r\n", false
	}
	switch cmd {
	case "VER":
		if e.b.VERReply != "" {
			e.version = "?"
			return e.b.VERReply + "\r\n", false
		}
		speaks := e.b.Versions
		if e.b.Kind == Revival && len(speaks) == 0 {
			speaks = RevivalVersions
		}
		for _, v := range f[2:] {
			if slices.Contains(speaks, v) {
				e.version = v
				return "VER " + trid + " " + v + " CVR0\r\n", false
			}
		}
		if e.b.Kind == Revival && len(speaks) > 0 {
			return "VER " + trid + " 0 " + strings.Join(speaks, " ") + "\r\n", true
		}
		return "VER " + trid + " 0\r\n", true
	case "CVR":
		if e.version == "" {
			return "715 " + trid + "\r\n", true // no version yet
		}
		if e.b.CVRReply != "" {
			return e.b.CVRReply + "\r\n", false
		}
		return "CVR " + trid + " " + cvrVersion + " " + cvrVersion + " " + cvrVersion + " " + cvrDownload + " " + cvrInfo + "\r\n", false
	case "USR":
		if e.version == "" {
			return "715 " + trid + "\r\n", true
		}
		if e.b.Kind == Dispatch {
			to := e.b.Redirect
			if to == "" {
				to = e.self
			}
			return "XFR " + trid + " NS " + to + " 0 " + e.self + "\r\n", true
		}
		return "911 " + trid + "\r\n", true // authentication failed: it knows no one
	case "OUT":
		return "", true
	}
	return "200 " + trid + "\r\n", true // syntax error
}

// serveDirect speaks on the direct MSNP port.
func (s *Server) serveDirect(c net.Conn) {
	br := bufio.NewReaderSize(c, maxLine)
	switch s.Behavior.Kind {
	case Echo, EchoGateway:
		io.Copy(c, io.LimitReader(c, 1<<20))
		return
	case Garbage:
		readLine(br)
		c.Write(garbage)
		return
	case LongLine:
		s.stream(c, nil, []byte("A"))
		return
	case WebPage:
		readLine(br)
		c.Write(s.webPage())
		return
	case Endless:
		line, err := readLine(br)
		if err != nil {
			return
		}
		s.stream(c, nil, append(line, '\r', '\n'))
		return
	}
	e := &engine{b: &s.Behavior, self: s.DirectAddr()}
	for {
		line, err := readLine(br)
		if err != nil {
			return
		}
		reply, hangUp := e.answer(string(line))
		if s.Behavior.Kind == Drip {
			s.drip(c, []byte(reply))
		} else if _, err := io.WriteString(c, reply); err != nil {
			return
		}
		if hangUp {
			return
		}
	}
}

// readLine reads a line, without its line end.
func readLine(br *bufio.Reader) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(b, "\r\n"), nil
}
