package msntest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// The answers of the simulated servers. NS and Dispatch answer CVR with
// the versions Windows Live Messenger 2011 was offered; Revival with the
// client's own version and the URL a revival server sends.
const (
	cvrVersion  = "14.0.8117.0416"
	cvrDownload = "http://download.messenger.test/wlsetup-web.exe"
	cvrInfo     = "http://messenger.test/"
	revivalURL  = "https://escargot.log1p.xyz"
	// SSONonce is the nonce of the SSO challenge, a constant as on a real
	// revival server: "USR 3 SSO S MBI_KEY_OLD <SSONonce>".
	SSONonce = "8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf"
	// TWNPolicy is the policy of the TWN challenge: "USR 3 TWN S <TWNPolicy>".
	TWNPolicy = "ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"
)

// maxLine bounds a line a server reads.
const maxLine = 4096

// engine is the MSNP side of one client session: it answers one command
// line at a time.
type engine struct {
	s       *Server   // where a second stage is reported
	ns      *Server   // the server it speaks for
	b       *Behavior // ns's
	version string    // the version VER settled on
}

// answer is the server's reply to one command line (CRLF included, "" for
// none), and whether it hangs up after it.
func (e *engine) answer(line string) (reply string, hangUp bool) {
	f := strings.Fields(line)
	if len(f) == 1 && f[0] == "OUT" {
		return "OUT\r\n", true
	}
	if len(f) < 2 {
		return "", e.b.Kind != Revival
	}
	cmd, trid := f[0], f[1]
	if _, err := strconv.ParseUint(trid, 10, 32); err != nil {
		return "", e.b.Kind != Revival
	}
	if cmd == "USR" && len(f) > 3 && f[3] == "S" {
		e.s.secondStage(line)
		return "911 " + trid + "\r\n", true
	}
	switch {
	case e.b.Kind == Revival:
		return e.revival(f), false
	case e.b.Kind == NumericError:
		return strconv.Itoa(cmp.Or(e.b.ErrorCode, 500)) + " " + trid + "\r\n", false
	case cmd == "VER" && e.b.VERReply != "":
		e.version = "?"
		return e.b.VERReply + "\r\n", false
	case cmd == "VER":
		for _, v := range f[2:] {
			if slices.Contains(e.b.Versions, v) {
				e.version = v
				return "VER " + trid + " " + v + " CVR0\r\n", false
			}
		}
		return "VER " + trid + " 0\r\n", true
	case cmd != "CVR" && cmd != "USR":
		return "200 " + trid + "\r\n", true // syntax error
	case e.version == "":
		return "715 " + trid + "\r\n", true // no version yet
	case cmd == "CVR" && e.b.CVRReply != "":
		return e.b.CVRReply + "\r\n", false
	case cmd == "CVR":
		return "CVR " + trid + " " + cvrVersion + " " + cvrVersion + " " + cvrVersion + " " + cvrDownload + " " + cvrInfo + "\r\n", false
	case e.b.USRReply != "":
		return e.b.USRReply + "\r\n", false
	case e.b.Kind == Dispatch:
		return "XFR " + trid + " NS " + e.ns.xfrTarget() + " 0 " + e.ns.DirectAddr() + "\r\n", true
	}
	return challenge(f), false
}

// challenge answers "USR <trid> SSO|TWN I <account>" ("" for other forms).
func challenge(f []string) string {
	if len(f) < 4 || f[3] != "I" {
		return ""
	}
	switch f[2] {
	case "SSO":
		return "USR " + f[1] + " SSO S MBI_KEY_OLD " + SSONonce + "\r\n"
	case "TWN":
		return "USR " + f[1] + " TWN S " + TWNPolicy + "\r\n"
	}
	return ""
}

// revival answers as a revival server does: a refused VER lists what it
// speaks and keeps the connection, CVR repeats the client's version,
// unknown commands get nothing.
func (e *engine) revival(f []string) string {
	cmd, trid := f[0], f[1]
	speaks := e.b.Versions
	if len(speaks) == 0 {
		speaks = RevivalVersions
	}
	switch {
	case cmd == "VER":
		for _, v := range f[2:] {
			if slices.Contains(speaks, v) {
				return "VER " + trid + " " + v + "\r\n"
			}
		}
		return "VER " + trid + " 0 " + strings.Join(speaks, " ") + "\r\n"
	case cmd == "CVR" && len(f) > 7:
		v := f[7]
		return "CVR " + trid + " " + v + " " + v + " " + v + " " + revivalURL + " " + revivalURL + "\r\n"
	case cmd == "USR" && e.b.USRReply != "":
		return e.b.USRReply + "\r\n"
	case cmd == "USR":
		return challenge(f)
	case cmd == "XFR":
		return "201 " + trid + "\r\n"
	}
	return ""
}
