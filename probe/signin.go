package probe

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// A signin check goes on from msnp's conversation to the first stage of
// sign-in, with a placeholder account, and never further:
//
//	>>> USR 3 SSO I probe@example.com        (TWN before MSNP15)
//	<<< USR 3 SSO S MBI_KEY_OLD <nonce>       up: the challenge
//	<<< XFR 3 NS 10.1.2.3:1863 0 …            a dispatch server: go on at 10.1.2.3
//	<<< 911 3                                 rejected

// maxRedirects is how many XFRs a signin check follows.
const maxRedirects = 2

// mayRedirect reports whether an XFR from a server at from may send the
// check to to: never from a public address to a loopback, private or
// link-local one.
func mayRedirect(from, to netip.Addr) bool {
	internal := func(a netip.Addr) bool {
		a = a.Unmap()
		return !a.IsGlobalUnicast() || a.IsPrivate() || slices.ContainsFunc(notPublic, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	return internal(from) || !internal(to)
}

// notPublic are ranges netip does not name that no public server is in:
// 0/8, carrier-grade NAT, benchmarking, and IPv6's old site-local one.
var notPublic = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("fec0::/10")}

// usrCommand starts signing in: SSO from MSNP15 on, TWN before.
func usrCommand(version, account string) string {
	if versionNumber(version) >= 15 {
		return "USR 3 SSO I " + account + "\r\n"
	}
	return "USR 3 TWN I " + account + "\r\n"
}

var base64RE = regexp.MustCompile(`^[A-Za-z0-9+/]+={0,2}$`)

// judgeUSR reads the answer to usr: the challenge in its shape (got sums it
// up), or an XFR to the notification server to sign in at (to).
func judgeUSR(line []byte, usr string) (got string, to netip.AddrPort, err error) {
	if string(line)+"\r\n" == usr {
		return "", to, foreign("USR echoed back")
	}
	r, err := parseReply(string(line))
	method := strings.Fields(usr)[2]
	switch {
	case err != nil:
		return "", to, foreign("not MSNP: %s", quote(line))
	case r.isError() && len(r.Params) <= 1 && r.TrID == 3:
		return "", to, rejected("USR refused: %s", line)
	case r.TrID != 3 || r.Command != "USR" && r.Command != "XFR":
		return "", to, foreign("not a USR reply: %s", quote(line))
	case r.Command == "XFR":
		if len(r.Params) >= 2 && r.Params[0] == "NS" {
			if to, err := netip.ParseAddrPort(r.Params[1]); err == nil && to.Port() != 0 {
				return "", to, nil
			}
		}
		return "", to, foreign("XFR not to a notification server: %s", quote(line))
	case method == "SSO" && len(r.Params) == 4 && r.Params[0] == "SSO" && r.Params[1] == "S" && base64RE.MatchString(r.Params[3]),
		method == "TWN" && len(r.Params) == 3 && r.Params[0] == "TWN" && r.Params[1] == "S":
		return "USR " + method + " S " + r.Params[2], to, nil
	}
	return "", to, foreign("USR reply not a challenge: %s", quote(line))
}
