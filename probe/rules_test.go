package probe

import (
	"strings"
	"testing"
)

func TestValidHost(t *testing.T) {
	for h, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "messenger.hotmail.com": true, "a-b.example.": true, "MSN.COM": true,
		"": false, "bad host!": false, "a..b": false, "-a.example": false, "a\r\nHost: x": false,
		strings.Repeat("a", 64) + ".example": false, "a/b": false, "a:80": false, "a_b.example": false,
		"1.2.3": false, "123": false,
	} {
		if got := ValidHost(h); got != want {
			t.Errorf("ValidHost(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestValidVersion(t *testing.T) {
	for v, want := range map[string]bool{
		"MSNP2": true, "MSNP21": true, "MSNP99": true,
		"": false, "MSNP": false, "MSNP0": false, "MSNP021": false, "MSNP100": false, "msnp21": false, "MSNP2a": false, "MSNP-1": false,
	} {
		if got := ValidVersion(v); got != want {
			t.Errorf("ValidVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestPrintableLine(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, "VER 1 0": true, `not MSNP: "<html>é"`: true, "café ☃ …": true,
		"a\nb": false, "a\rb": false, "tab\t": false, "\x1b[31m": false, "\x00": false, "\x7f": false,
		"bad \xff byte": false, "\ufffd": false, "\u2028": false,
	} {
		if got := PrintableLine(s); got != want {
			t.Errorf("PrintableLine(%q) = %v, want %v", s, got, want)
		}
	}
}
