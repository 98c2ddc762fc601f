package probe

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValid(t *testing.T) {
	rules := map[string]func(string) bool{"ValidHost": ValidHost, "ValidVersion": ValidVersion, "PrintableLine": PrintableLine, "ValidAccount": ValidAccount}
	for name, cases := range map[string]map[string]bool{
		"ValidHost": {
			"127.0.0.1": true, "::1": true, "messenger.hotmail.com": true, "a-b.example.": true, "MSN.COM": true,
			"": false, "bad host!": false, "a..b": false, "-a.example": false, "a\r\nHost: x": false,
			strings.Repeat("a", 64) + ".example": false, "a/b": false, "a:80": false, "a_b.example": false,
			"1.2.3": false, "123": false,
		},
		"ValidVersion": {
			"MSNP2": true, "MSNP21": true, "MSNP99": true,
			"": false, "MSNP": false, "MSNP0": false, "MSNP021": false, "MSNP100": false, "msnp21": false, "MSNP2a": false, "MSNP-1": false,
		},
		"PrintableLine": {
			"": true, "VER 1 0": true, `not MSNP: "<html>é"`: true, "café ☃ …": true,
			"a\nb": false, "a\rb": false, "tab\t": false, "\x1b[31m": false, "\x00": false, "\x7f": false,
			"bad \xff byte": false, "\ufffd": false, "\u2028": false,
		},
		"ValidAccount": {
			"probe@example.com": true, "a.b+c@mail.example.org": true, "x@127.0.0.1": true,
			"": false, "probe": false, "@example.com": false, "probe@": false, "probe@localhost": false,
			"pro be@example.com": false, "probe@exa mple.com": false, "a@b@example.com": false,
			"probe\r\nOUT@example.com": false, "prøbe@example.com": false, "probe@-x.example": false,
		},
	} {
		for in, want := range cases {
			if got := rules[name](in); got != want {
				t.Errorf("%s(%q) = %v, want %v", name, in, got, want)
			}
		}
	}
}

func TestInvisible(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"plain text, é, 日本語", -1},
		{"up\u202etxt.exe", 2},
		{"a\u200bb", 1},
		{"\ufeffbom", 0},
		{"x\u2066y\u2069", 1},
		{"\u061c", 0},
		{"family 👨\u200d👩\u200d👧, coder 👩🏽\u200d💻, flag 🏳️\u200d🌈", -1},
		{"no emoji a\u200db", 10},
		{"dangling 👨\u200d", len("dangling 👨")},
	} {
		if got := Invisible(tt.s); got != tt.want {
			t.Errorf("Invisible(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestCanonicalHost(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"127.0.0.1", "127.0.0.1", ""},
		{"::ffff:127.0.0.1", "127.0.0.1", ""},
		{"0:0:0:0:0:0:0:1", "::1", ""},
		{"::1", "::1", ""},
		{"2001:DB8::1", "2001:db8::1", ""},
		{"LOCALHOST", "localhost", ""},
		{"Messenger.Hotmail.COM.", "messenger.hotmail.com", ""},
		{"0.0.0.0", "", `address "0.0.0.0" is the unspecified address, which no server has`},
		{"::", "", `address "::" is the unspecified address, which no server has`},
		{"::ffff:0.0.0.0", "", `address "::ffff:0.0.0.0" is the unspecified address, which no server has`},
		{"224.0.0.1", "", `address "224.0.0.1" is a multicast address, which no server has`},
		{"ff02::1", "", `address "ff02::1" is a multicast address, which no server has`},
		{"255.255.255.255", "", `address "255.255.255.255" is the broadcast address, which no server has`},
		{"a:80", "", `address "a:80" is not an IP address or host name (no port, no scheme)`},
		{"", "", `address "" is not an IP address or host name (no port, no scheme)`},
	}
	for _, tt := range tests {
		got, err := CanonicalHost(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestTimeoutBounds(t *testing.T) {
	if got := TimeoutBounds(); got != "1ms–5m" {
		t.Errorf("TimeoutBounds() = %q", got)
	}
	for d, want := range map[time.Duration]bool{
		time.Nanosecond: false, 999 * time.Microsecond: false, time.Millisecond: true, 3 * time.Second: true,
		5 * time.Minute: true, 5*time.Minute + 1: false, -time.Second: false, 0: false,
	} {
		if got := ValidTimeout(d); got != want {
			t.Errorf("ValidTimeout(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestCheckTime(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{now, ""},
		{now.Add(-365 * 24 * time.Hour), ""},
		{now.Add(MaxClockSkew), ""},
		{now.Add(MaxClockSkew + time.Second), "time 2026-12-03T10:10:01Z is more than 10m after this machine's clock, 2026-12-03T10:00:00Z: a clock is wrong"},
		{time.Date(9999, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)), "time 9998-12-31T23:00:00Z is more than 10m after this machine's clock, 2026-12-03T10:00:00Z: a clock is wrong"},
	} {
		err := CheckTime(tt.t, now)
		got := ""
		if err != nil {
			got = err.Error()
			var fe *FutureError
			if !errors.As(err, &fe) || !fe.Time.Equal(tt.t) || !fe.Now.Equal(now) {
				t.Errorf("CheckTime(%v): %#v is not a *FutureError with the times", tt.t, err)
			}
		}
		if got != tt.want {
			t.Errorf("CheckTime(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestCleanDetail(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "",
		`not MSNP: "<html>é" ☃ …`:         `not MSNP: "<html>é" ☃ …`,
		"\x1b[31mred\x1b[0m":              `\x1b[31mred\x1b[0m`,
		"a\r\nb\tc\x00d\x7f":              `a\x0d\x0ab\x09c\x00d\x7f`,
		"bad \xff\xfe bytes":              `bad \xff\xfe bytes`,
		"c1 \u0085 \u009b":                `c1 \u0085 \u009b`,
		"\ufffd \u2028 \u202e":            `\ufffd \u2028 \u202e`,
		"tag \U000e0041":                  `tag \U000e0041`,
		"nbsp\u00a0":                      `nbsp\u00a0`,
		strings.Repeat("\x01", MaxDetail): strings.Repeat(`\x01`, (MaxDetail-len("…"))/4) + `\…`,
		strings.Repeat("é", 200):          strings.Repeat("é", (MaxDetail-len("…"))/2) + "…",
		strings.Repeat("x", MaxDetail):    strings.Repeat("x", MaxDetail),
		strings.Repeat("x", MaxDetail+1):  strings.Repeat("x", MaxDetail-len("…")) + "…",
	} {
		if got := CleanDetail(in); got != want {
			t.Errorf("CleanDetail(%.20q) = %.30q, want %.30q", in, got, want)
		}
	}
}

// FuzzVisibleText: whatever the input, visibleText is a printable line that
// leaves printable lines alone, and CleanDetail stays within MaxDetail.
func FuzzVisibleText(f *testing.F) {
	for _, s := range []string{"", "VER 1 0", "\x1b[31m", "\xff\xfe", "\u2028", strings.Repeat("é\x01", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := visibleText(s)
		if !PrintableLine(v) {
			t.Fatalf("visibleText(%q) = %q is not printable", s, v)
		}
		if PrintableLine(s) != (v == s) {
			t.Fatalf("visibleText(%q) = %q: a printable line must stay, any other change", s, v)
		}
		if d := CleanDetail(s); len(d) > MaxDetail || !PrintableLine(d) || (len(s) <= MaxDetail && PrintableLine(s) && d != s) {
			t.Fatalf("CleanDetail(%q) = %q", s, d)
		}
	})
}
