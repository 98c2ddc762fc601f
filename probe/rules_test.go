package probe

import (
	"strings"
	"testing"
	"time"
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
