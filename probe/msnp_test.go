package probe

import (
	"bufio"
	"errors"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
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
		r, err := ParseReply(tt.line)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseReply(%q) = %+v, want an error", tt.line, r)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseReply(%q): %v", tt.line, err)
			continue
		}
		got := strings.Join(append([]string{r.Command, strconv.FormatUint(uint64(r.TrID), 10)}, r.Params...), "|")
		if got != tt.want {
			t.Errorf("ParseReply(%q) = %s, want %s", tt.line, got, tt.want)
		}
		if r.String() != tt.line {
			t.Errorf("ParseReply(%q).String() = %q", tt.line, r.String())
		}
	}
}

func TestJudge(t *testing.T) {
	cvrEcho := strings.TrimSuffix(cvrCommand, "\r\n")
	tests := []struct {
		step string // VER or CVR
		line string
		want State // Up when the step passes
	}{
		{"VER", "VER 1 MSNP21 CVR0", Up},
		{"VER", "VER 1 MSNP21", Up},
		{"VER", "VER 1 0", Rejected},
		{"VER", "500 1", Rejected},
		{"VER", "715 1", Rejected},
		{"VER", "911 1 52", Rejected}, // an error with a payload length
		{"VER", "500 2", Foreign},     // another transaction's error
		{"VER", "VER 2 MSNP21 CVR0", Foreign},
		{"VER", "VER 1 MSNP18 CVR0", Foreign}, // not what was asked
		{"VER", "VER 1 MSNP21 CVR1", Foreign},
		{"VER", "VER 1 MSNP21 CVR0 MSNP18", Foreign},
		{"VER", "VER 1", Foreign},
		{"VER", "CVR 1 MSNP21", Foreign},
		{"VER", "HTTP/1.1 200 OK", Foreign},
		{"VER", "", Foreign},
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://download.example/ http://info.example/", Up},
		{"CVR", "CVR 2 8.5.1302 8.5.1302 1.0.0000 https://a/b.exe http://c", Up},
		{"CVR", cvrEcho, Foreign},
		{"CVR", "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR", Foreign},
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/", Foreign},          // one URL
		{"CVR", "CVR 2 14 14.0.8117 14.0.8117 http://a/ http://b/", Foreign},       // not dotted
		{"CVR", "CVR 2 14.0.8117 x.y 14.0.8117 http://a/ http://b/", Foreign},      // not numbers
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 ftp://a/ http://b/", Foreign}, // not http
		{"CVR", "CVR 2 14.0.8117 14.0.8117 14.0.8117 http:// http://b/", Foreign},  // empty URL
		{"CVR", "CVR 3 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/", Foreign},
		{"CVR", "VER 1 MSNP21 CVR0", Foreign},
		{"CVR", "500 2", Rejected},
		{"CVR", "500 1", Foreign},
	}
	for _, tt := range tests {
		var err error
		if tt.step == "VER" {
			err = judgeVER([]byte(tt.line), "MSNP21")
		} else {
			err = judgeCVR([]byte(tt.line))
		}
		got := Up
		var v *verdict
		if errors.As(err, &v) {
			got = v.state
		} else if err != nil {
			t.Fatalf("judge %s %q: not a verdict: %v", tt.step, tt.line, err)
		}
		if got != tt.want {
			t.Errorf("judge %s %q = %s (%v), want %s", tt.step, tt.line, got, err, tt.want)
		}
	}
}

// FuzzParseReply checks that no line makes the parser or the judges panic,
// that a line the parser accepts is given back byte for byte, and that the
// only lines judged "up" are the exact answers of an MSN server.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"VER 1 MSNP21 CVR0", "VER 1 0", "500 1", "VER 1 MSNP21",
		"CVR 2 14.0.8117 14.0.8117 14.0.8117 http://a/ http://b/",
		strings.TrimSuffix(cvrCommand, "\r\n"),
		"XFR 3 NS 127.0.0.2:1863 0 127.0.0.1:1863",
		"HTTP/1.1 200 OK", "VER 01 MSNP21 CVR0", "VER 1  MSNP21", "\x00\xff", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseReply(line)
		if err == nil && r.String() != line {
			t.Fatalf("ParseReply(%q).String() = %q", line, r.String())
		}
		if judgeVER([]byte(line), "MSNP21") == nil && line != "VER 1 MSNP21 CVR0" && line != "VER 1 MSNP21" {
			t.Fatalf("VER reply %q judged accepted", line)
		}
		if judgeCVR([]byte(line)) == nil && !cvrShape.MatchString(line) {
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
	// A read error in the middle of a line keeps the count of bytes.
	br := bufio.NewReaderSize(iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader("VER"))), maxLine)
	_, err := readLine(br)
	var cut *incomplete
	if !errors.As(err, &cut) || cut.n != 1 {
		t.Errorf("readLine after a timeout: %v", err)
	}
}

func TestCleanDetail(t *testing.T) {
	long := strings.Repeat("é", 200)
	tests := []struct{ in, want string }{
		{"connected", "connected"},
		{"a\r\nb\x00c", `a\x0d\x0ab\x00c`},
		{"\xff", `\xff`},
		{"\x1b[31mred", `\x1b[31mred`},
		{strings.Repeat("\x01", MaxDetail), strings.Repeat(`\x01`, (MaxDetail-len("…"))/4) + `\…`},
		{long, strings.Repeat("é", (MaxDetail-len("…"))/2) + "…"},
		{strings.Repeat("x", MaxDetail), strings.Repeat("x", MaxDetail)},
		{strings.Repeat("x", MaxDetail+1), strings.Repeat("x", MaxDetail-len("…")) + "…"},
	}
	for _, tt := range tests {
		if got := CleanDetail(tt.in); got != tt.want {
			t.Errorf("CleanDetail(%.20q) = %.30q, want %.30q", tt.in, got, tt.want)
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
		got, ok := sessionID(hdr)
		if got != want || ok != (want != "") {
			t.Errorf("sessionID(%q) = %q, %v; want %q", hdr, got, ok, want)
		}
	}
}
