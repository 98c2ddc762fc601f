package msntest

import (
	"bufio"
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

// directAnswer reads one command line on the direct port and answers it;
// keep is false when the server hangs up after the answer.
func (e *engine) directAnswer(br *bufio.Reader) (answer []byte, keep bool, err error) {
	line, err := readLine(br)
	if err != nil {
		return nil, false, err
	}
	reply, hangUp := e.answer(string(line))
	return []byte(reply), !hangUp, nil
}
