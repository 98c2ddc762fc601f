package msntest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// What the simulated servers answer. NS and Dispatch answer CVR with the
// versions Windows Live Messenger 2011 was offered; Revival with the
// client's own version and the URL a revival server sends.
const (
	cvrVersion  = "14.0.8117.0416"
	cvrDownload = "http://download.messenger.test/wlsetup-web.exe"
	cvrInfo     = "http://messenger.test/"
	revivalURL  = "https://escargot.log1p.xyz"
	// SSONonce is the nonce of "USR 3 SSO S MBI_KEY_OLD <SSONonce>", fixed
	// as on a real revival server.
	SSONonce = "8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf"
	// TWNPolicy is the policy of "USR 3 TWN S <TWNPolicy>".
	TWNPolicy = "ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"
)

// maxLine bounds a line a server reads.
const maxLine = 4096

// engine is the MSNP side of one client session, direct or through a
// gateway: it answers one command line at a time.
type engine struct {
	s       *Server // where a second stage is reported
	ns      *Server // the server it speaks for
	b       *Behavior
	version string // the version VER settled on
}

// answer is the reply to one command line (CRLF included, "" for none),
// and whether the server hangs up after it. A Revival server answers what
// it can and ignores the rest; the others hang up on what they do not know.
func (e *engine) answer(line string) (reply string, hangUp bool) {
	f := strings.Fields(line)
	rev := e.b.Kind == Revival
	if len(f) == 1 && f[0] == "OUT" {
		return "OUT\r\n", true
	}
	if len(f) < 2 {
		return "", !rev
	}
	cmd, trid := f[0], f[1]
	if _, err := strconv.ParseUint(trid, 10, 32); err != nil {
		return "", !rev
	}
	versions := e.b.Versions
	if rev && len(versions) == 0 {
		versions = RevivalVersions
	}
	switch {
	case cmd == "USR" && len(f) > 3 && f[3] == "S":
		e.s.secondStage(line)
		return "911 " + trid + "\r\n", true
	case e.b.Kind == NumericError:
		return strconv.Itoa(cmp.Or(e.b.ErrorCode, 500)) + " " + trid + "\r\n", false
	case cmd == "VER" && e.b.VERReply != "":
		e.version = "?"
		return e.b.VERReply + "\r\n", false
	case cmd == "VER":
		for _, v := range f[2:] {
			if slices.Contains(versions, v) {
				e.version = v
				if rev {
					return "VER " + trid + " " + v + "\r\n", false
				}
				return "VER " + trid + " " + v + " CVR0\r\n", false
			}
		}
		if rev {
			return "VER " + trid + " 0 " + strings.Join(versions, " ") + "\r\n", false
		}
		return "VER " + trid + " 0\r\n", true
	case rev && cmd == "XFR":
		return "201 " + trid + "\r\n", false
	case cmd != "CVR" && cmd != "USR" && rev:
		return "", false
	case cmd != "CVR" && cmd != "USR":
		return "200 " + trid + "\r\n", true // syntax error
	case e.version == "" && !rev:
		return "715 " + trid + "\r\n", true // no version yet
	case cmd == "CVR" && e.b.CVRReply != "":
		return e.b.CVRReply + "\r\n", false
	case cmd == "CVR" && rev && len(f) > 7:
		v := f[7]
		return "CVR " + trid + " " + v + " " + v + " " + v + " " + revivalURL + " " + revivalURL + "\r\n", false
	case cmd == "CVR":
		return "CVR " + trid + " " + cvrVersion + " " + cvrVersion + " " + cvrVersion + " " + cvrDownload + " " + cvrInfo + "\r\n", false
	case e.b.USRReply != "":
		return e.b.USRReply + "\r\n", false
	case e.b.Kind == Dispatch:
		return "XFR " + trid + " NS " + e.ns.xfrTarget() + " 0 " + e.ns.DirectAddr() + "\r\n", true
	case len(f) > 3 && f[3] == "I" && f[2] == "SSO":
		return "USR " + trid + " SSO S MBI_KEY_OLD " + SSONonce + "\r\n", false
	case len(f) > 3 && f[3] == "I" && f[2] == "TWN":
		return "USR " + trid + " TWN S " + TWNPolicy + "\r\n", false
	}
	return "", false
}
