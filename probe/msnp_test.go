package probe

import (
	"bufio"
	"errors"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		line string
		want string // Command/TrID/Params joined by "|"; "" for an error
	}{
		{"VER 1 MSNP21 CVR0", "VER|1|MSNP21|CVR0"},
		{"VER 1 0", "VER|1|0"},
		{"500 1", "500|1"},
		{"CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/", "CVR|2|14.0.8117|14.0.8117|14.0.8117|http://a/|http://b/"},
		{"XFR 3 NS 127.0.0.2:1863 0 127.0.0.1:1863", "XFR|3|NS|127.0.0.2:1863|0|127.0.0.1:1863"},
		{"OUT 4294967295", "OUT|4294967295"},
		{"", ""},
		{"VER", ""},
		{"VER 1  MSNP21", ""},    // two spaces
		{" VER 1 MSNP21", ""},    // leading space
		{"VER 1 MSNP21 ", ""},    // trailing space
		{"VER 01 MSNP21", ""},    // leading zero
		{"VER -1 MSNP21", ""},    // sign
		{"VER 4294967296 x", ""}, // over 32 bits
		{"ver 1 MSNP21", ""},     // lower case
		{"VERS 1 MSNP21", ""},    // four letters
		{"50 1", ""},             // two digits
		{"V3R 1", ""},            // mixed
		{"VER 1 MSNP21\r", ""},   // control byte
		{"VER 1 MSNP21\tCVR0", ""},
		{"VER 1 MSNP21 CVR0\xff", ""},
		{"VER 1 ü", ""},
		{"HTTP/1.1 200 OK", ""},
		{"VER 1 " + strings.Repeat("x", maxLine), ""},
	}
	for _, tt := range tests {
		r, err := parseReply(tt.line)
		got := strings.Join(append([]string{r.Command, strconv.FormatUint(uint64(r.TrID), 10)}, r.Params...), "|")
		if err != nil {
			got = ""
		}
		if got != tt.want || err == nil && replyLine(r) != tt.line {
			t.Errorf("parseReply(%q) = %q, %v; want %q", tt.line, got, err, tt.want)
		}
	}
}

// replyLine is the line r says: its fields joined by single spaces.
func replyLine(r reply) string {
	return strings.Join(append([]string{r.Command, strconv.FormatUint(uint64(r.TrID), 10)}, r.Params...), " ")
}

func TestJudge(t *testing.T) {
	usr := func(method string) func(string) (string, error) {
		return func(l string) (string, error) {
			got, to, err := judgeUSR([]byte(l), "USR 3 "+method+" I "+DefaultAccount+"\r\n")
			if to.IsValid() {
				got = "to " + to.String()
			}
			return got, err
		}
	}
	judges := map[string]func(string) (string, error){
		"VER": func(l string) (string, error) { return "", judgeVER([]byte(l), "MSNP21") },
		"CVR": func(l string) (string, error) { return "", judgeCVR([]byte(l), cvrCommand(DefaultAccount)) },
		"SSO": usr("SSO"),
		"TWN": usr("TWN"),
	}
	tests := []struct {
		step, line string
		want       State
		detail     string
	}{
		{"VER", "VER 1 MSNP21 CVR0", Up, ""},
		{"VER", "VER 1 MSNP21", Up, ""},
		{"VER", "500 1", Rejected, "500 1"},
		{"VER", "911 1 52", Rejected, "911 1 52"}, // an error with a payload length
		{"VER", "500 2", Foreign, `not a VER reply: "500 2"`},
		{"VER", "VER 2 MSNP21 CVR0", Foreign, "VER reply for transaction 2, not 1"},
		{"VER", "VER 1 MSNP18 CVR0", Foreign, `VER reply offers what was not asked: "VER 1 MSNP18 CVR0"`},
		{"VER", "VER 1 MSNP21 CVR1", Foreign, "offers what was not asked"},
		{"VER", "VER 1 MSNP21 CVR0 MSNP18", Foreign, "offers what was not asked"},
		{"VER", "VER 1", Foreign, "not a VER reply"},
		{"VER", "VER 2 0 MSNP18", Foreign, "transaction 2"},
		{"VER", "CVR 1 MSNP21", Foreign, "not a VER reply"},
		{"VER", "HTTP/1.1 200 OK", Foreign, `not MSNP: "HTTP/1.1 200 OK"`},
		{"VER", "", Foreign, "not MSNP"},
		// "VER 1 0" ("none of those"), and the versions revival servers list after it
		{"VER", "VER 1 0", Rejected, "VER 1 0"},
		{"VER", "VER 1 0 MSNP20 MSNP19 MSNP18 MSNP17 MSNP16 MSNP15 MSNP14 MSNP13 MSNP12 MSNP11 MSNP10 MSNP9 MSNP8 MSNP7 MSNP6 MSNP5 MSNP4 MSNP3 MSNP2",
			Rejected, "VER 1 0: offers MSNP20…MSNP2"},
		{"VER", "VER 1 0 MSNP18", Rejected, "VER 1 0: offers MSNP18"},
		{"VER", "VER 1 0 MSNP22 MSNP18 MSNP17", Rejected, "VER 1 0: offers MSNP22, MSNP18, MSNP17"},
		{"VER", "VER 1 0 MSNP22 MSNP20 MSNP19 MSNP18 MSNP8", Rejected, "VER 1 0: offers MSNP22, MSNP20…MSNP18, MSNP8"},
		{"VER", "VER 1 0 MSNP2 MSNP3 MSNP4", Rejected, "VER 1 0: offers MSNP2…MSNP4"},
		{"VER", "VER 1 0 MSNP1 MSNP3 MSNP5 MSNP7 MSNP9 MSNP11 MSNP13 MSNP15 MSNP17 MSNP19", Rejected,
			"VER 1 0: offers MSNP1, MSNP3, MSNP5, MSNP7, MSNP9, MSNP11, …"}, // cut: short like every detail
		{"VER", "VER 1 0 MSNP22 MSNP21 MSNP20", Foreign, `VER reply refuses MSNP21 and offers it: "VER 1 0 MSNP22 MSNP21 MSNP20"`},
		{"VER", "VER 1 0 MSNP21", Foreign, "refuses MSNP21 and offers it"},
		{"VER", "VER 1 0 junk", Foreign, `VER 1 0 with a list that is not versions: "VER 1 0 junk"`},
		{"VER", "VER 1 0 MSNP18 CVR0", Foreign, "not versions"},
		{"VER", "VER 1 0 MSNP18 msnp17", Foreign, "not versions"},
		{"VER", "VER 1 0 MSNP0", Foreign, "not versions"},
		{"VER", "VER 1 0 0", Foreign, "not versions"},

		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://download.example/ http://info.example/", Up, ""},
		{"CVR", "CVR 2 8.5.1302 8.5.1302 1.0.0000 https://a/b.exe http://c", Up, ""},
		{"CVR", strings.TrimSuffix(cvrCommand(DefaultAccount), "\r\n"), Foreign, "CVR echoed back"},
		{"CVR", "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR", Foreign, "CVR reply not from MSN"},
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/", Foreign, "not from MSN"},          // one URL
		{"CVR", "CVR 2 14 14.0.8117 14.0.8117 http://a/ http://b/", Foreign, "not from MSN"},       // not dotted
		{"CVR", "CVR 2 14.0.8117 x.y 14.0.8117 http://a/ http://b/", Foreign, "not from MSN"},      // not numbers
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 ftp://a/ http://b/", Foreign, "not from MSN"}, // not http
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http:// http://b/", Foreign, "not from MSN"},  // empty URL
		{"CVR", "CVR 3 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/", Foreign, "CVR reply for transaction 3, not 2"},
		{"CVR", "VER 1 MSNP21 CVR0", Foreign, "not a CVR reply"},
		{"CVR", "500 2", Rejected, "CVR refused: 500 2"},
		{"CVR", "500 1", Foreign, "not a CVR reply"},

		{"SSO", "USR 3 SSO S MBI_KEY_OLD 8CLhG/xfgYZ7TyRQ/jIAWyDmd/w4R4GF2yKLS6tYrnjzi4cFag/Nr+hxsfg5zlCf", Up, "USR SSO S MBI_KEY_OLD"},
		{"TWN", "USR 3 TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1", Up, "USR TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1"},
		{"SSO", "XFR 3 NS 10.1.2.3:1863 0 10.1.2.1:1863", Up, "to 10.1.2.3:1863"},
		{"SSO", "911 3", Rejected, "USR refused: 911 3"},
		{"SSO", "911 4", Foreign, "not a USR reply"},
		{"SSO", "USR 3 SSO I " + DefaultAccount, Foreign, "USR echoed back"},
		{"SSO", "USR 3 TWN S ct=1", Foreign, "not a challenge"},
		{"TWN", "USR 3 SSO S MBI_KEY_OLD AAAA", Foreign, "not a challenge"},
		{"SSO", "USR 3 SSO S MBI_KEY_OLD", Foreign, "not a challenge"},
		{"SSO", "USR 3 SSO S MBI_KEY_OLD not-base64!", Foreign, "not a challenge"},
		{"SSO", "USR 2 SSO S MBI_KEY_OLD AAAA", Foreign, "not a USR reply"},
		{"SSO", "XFR 3 SB 10.1.2.3:1863 CKI x", Foreign, "XFR not to a notification server"},
		{"SSO", "XFR 3 NS 10.1.2.3 0 x", Foreign, "XFR not to a notification server"},
		{"SSO", "hello", Foreign, "not MSNP"},
	}
	for _, tt := range tests {
		got, d := Up, ""
		summary, err := judges[tt.step](tt.line)
		var v *verdict
		if errors.As(err, &v) {
			got, d = v.state, v.detail
		} else if err != nil {
			t.Fatalf("%s %q: not a verdict: %v", tt.step, tt.line, err)
		} else {
			d = summary
		}
		if got != tt.want || !strings.Contains(d, tt.detail) {
			t.Errorf("%s %q: got %s %q, want %s with %q", tt.step, tt.line, got, d, tt.want, tt.detail)
		}
	}
}

func TestOfferList(t *testing.T) {
	var all []string
	for n := 99; n >= 1; n-- {
		all = append(all, "MSNP"+strconv.Itoa(n))
	}
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"MSNP18"}, "MSNP18"},
		{[]string{"MSNP18", "MSNP17"}, "MSNP18, MSNP17"},
		{[]string{"MSNP18", "MSNP17", "MSNP16"}, "MSNP18…MSNP16"},
		{[]string{"MSNP18", "MSNP17", "MSNP18"}, "MSNP18, MSNP17, MSNP18"},
		{[]string{"MSNP8", "MSNP9", "MSNP10", "MSNP12"}, "MSNP8…MSNP10, MSNP12"},
		{[]string{"MSNP21", "MSNP20", "MSNP19", "MSNP20", "MSNP21"}, "MSNP21…MSNP19, MSNP20, MSNP21"},
		{all, "MSNP99…MSNP1"},
	}
	for _, tt := range tests {
		if got := offerList(tt.in); got != tt.want {
			t.Errorf("offerList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// refusalShape is a refusal "VER 1 0" with the versions offered, written
// apart from judgeRefusal.
var refusalShape = regexp.MustCompile(`^VER 1 0( MSNP[1-9][0-9]?)*$`)

// FuzzParseReply checks that no line makes the parser or the judges panic,
// that a line the parser accepts is given back byte for byte, and that the
// only lines judged "up" are the exact answers of an MSN server.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"VER 1 MSNP21 CVR0", "VER 1 0", "500 1", "VER 1 MSNP21",
		"CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/",
		strings.TrimSuffix(cvrCommand(DefaultAccount), "\r\n"),
		"XFR 3 NS 127.0.0.2:1863 0 127.0.0.1:1863",
		"VER 1 0 MSNP21 MSNP20 MSNP2", "VER 1 0 MSNP20 MSNP19 MSNP18", "VER 1 0 junk",
		"HTTP/1.1 200 OK", "VER 01 MSNP21 CVR0", "VER 1  MSNP21", "\x00\xff", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := parseReply(line)
		if err == nil && replyLine(r) != line {
			t.Fatalf("parseReply(%q) joins back to %q", line, replyLine(r))
		}
		if judgeVER([]byte(line), "MSNP21") == nil && line != "VER 1 MSNP21 CVR0" && line != "VER 1 MSNP21" {
			t.Fatalf("VER reply %q judged accepted", line)
		}
		var v *verdict
		if errors.As(judgeVER([]byte(line), "MSNP21"), &v) && v.state == Rejected && strings.HasPrefix(line, "VER") &&
			(!refusalShape.MatchString(line) || slices.Contains(strings.Fields(line), "MSNP21")) {
			t.Fatalf("VER reply %q judged a refusal (%q)", line, v.detail)
		}
		if judgeCVR([]byte(line), cvrCommand(DefaultAccount)) == nil && !cvrShape.MatchString(line) {
			t.Fatalf("CVR reply %q judged good", line)
		}
		if s := CleanDetail(line); len(s) > MaxDetail || !PrintableLine(s) {
			t.Fatalf("CleanDetail(%q) = %q", line, s)
		}
		if s := quote([]byte(line)); !PrintableLine(s) || strings.ContainsAny(s, "\r\n") {
			t.Fatalf("quote(%q) = %q", line, s)
		}
	})
}

func TestReadLine(t *testing.T) {
	tests := []struct {
		in   string
		want string // the line, or the verdict's detail
	}{
		{"VER 1 0\r\nrest", "VER 1 0"},
		{"VER 1 0\n", `line not ended by CRLF: "VER 1 0\n"`},
		{"VER 1", `not MSNP: "VER 1" (closed before the line ended)`},
		{strings.Repeat("A", maxLine+10), `line longer than 4096 bytes: "AAAA`},
	}
	for _, tt := range tests {
		br := bufio.NewReaderSize(strings.NewReader(tt.in), maxLine)
		line, err := readLine(br)
		got := string(line)
		var v *verdict
		if errors.As(err, &v) {
			got = v.detail
		} else if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("readLine(%.20q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSessionID(t *testing.T) {
	for hdr, want := range map[string]string{
		"SessionID=1234.5678; GW-IP=127.0.0.1": "1234.5678",
		"GW-IP=127.0.0.1; SessionID={AB-CD}.1": "{AB-CD}.1",
		"SessionID=":                           "",
		"SessionID=a b":                        "",
		"SessionID=a&Action=close":             "",
		"GW-IP=127.0.0.1":                      "",
	} {
		got := ""
		if m := sessionRE.FindStringSubmatch(hdr); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("session id of %q = %q, want %q", hdr, got, want)
		}
	}
}

// script is a conversation whose servers answer with lines, in turn.
type script struct {
	lines []string
	to    []netip.AddrPort // the redirects taken
}

func (s *script) exchange(string) ([]byte, error) {
	if len(s.lines) == 0 {
		return nil, io.EOF
	}
	line := s.lines[0]
	s.lines = s.lines[1:]
	return []byte(line), nil
}
func (s *script) redirect(to netip.AddrPort) error { s.to = append(s.to, to); return nil }
func (s *script) bye()                             {}

// TestConverseRedirects follows XFRs from a public and a private address.
func TestConverseRedirects(t *testing.T) {
	ver, cvr := "VER 1 MSNP21 CVR0", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/"
	challenge := "USR 3 SSO S MBI_KEY_OLD AAAA"
	xfr := func(to string) []string { return []string{ver, cvr, "XFR 3 NS " + to + " 0 203.0.113.1:1863"} }
	tests := []struct {
		from   string
		lines  []string
		want   State
		detail string
	}{
		{"203.0.113.1:1863", append(xfr("203.0.113.2:1863"), ver, cvr, challenge), Up, "via XFR to 203.0.113.2:1863: VER 1 MSNP21 CVR0; CVR 2 14.0.8117; USR SSO S MBI_KEY_OLD"},
		{"203.0.113.1:1863", xfr("10.1.2.3:1863"), Error, "via XFR to 10.1.2.3:1863: not followed: from a public address to a private one"},
		{"203.0.113.1:1863", xfr("127.0.0.1:1863"), Error, "not followed"},
		{"203.0.113.1:1863", xfr("[fe80::1]:1863"), Error, "not followed"},
		{"203.0.113.1:1863", xfr("100.64.0.1:1863"), Error, "not followed"},
		{"203.0.113.1:1863", xfr("224.0.0.1:1863"), Error, "not followed"},
		{"203.0.113.1:1863", xfr("0.0.0.1:1863"), Error, "not followed"},
		{"10.0.0.1:1863", append(xfr("10.1.2.3:1863"), ver, cvr, challenge), Up, "via XFR to 10.1.2.3:1863: VER"},
		{"203.0.113.1:1863", xfr("203.0.113.1:1863"), Error, "via XFR to 203.0.113.1:1863: redirect loop"},
		{"203.0.113.1:1863", slices.Concat(xfr("203.0.113.2:1863"), xfr("203.0.113.3:1863"), xfr("203.0.113.4:1863")), Error, "too many redirects"},
		{"203.0.113.1:1863", []string{ver, cvr, "XFR 3 NS nowhere:1863 0 x"}, Foreign, "XFR not to a notification server"},
	}
	for _, tt := range tests {
		a := &attempt{budget: time.Second}
		tg := Target{Check: Check{Kind: SignIn, Version: "MSNP21"}}
		if s, d := a.converse(&script{lines: tt.lines}, tg, netip.MustParseAddrPort(tt.from)); s != tt.want || !strings.Contains(d, tt.detail) {
			t.Errorf("from %s, %q: got %s %q, want %s with %q", tt.from, tt.lines, s, d, tt.want, tt.detail)
		}
	}
}

// TestHops reads back the redirects that converse wrote into a detail.
func TestHops(t *testing.T) {
	tests := []struct {
		detail string
		hops   []string
		last   string
	}{
		{"VER 1 MSNP21; CVR 2 14.0.8117", nil, "VER 1 MSNP21; CVR 2 14.0.8117"},
		{"via XFR to 10.1.2.3:1863: USR SSO S MBI_KEY_OLD", []string{"10.1.2.3:1863"}, "USR SSO S MBI_KEY_OLD"},
		{"via XFR to 127.0.0.2:1863, then 127.0.0.1:1863: redirect loop", []string{"127.0.0.2:1863", "127.0.0.1:1863"}, "redirect loop"},
	}
	for _, tt := range tests {
		if hops, last := Hops(tt.detail); !slices.Equal(hops, tt.hops) || last != tt.last {
			t.Errorf("Hops(%q) = %q, %q; want %q, %q", tt.detail, hops, last, tt.hops, tt.last)
		}
	}
}
