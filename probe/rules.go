package probe

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ValidVersion reports whether v names a protocol version the way site.toml
// and results.json write it: "MSNP" and a number from 1 to 99, without a
// leading zero ("MSNP21"; not "MSNP0", "MSNP021" or "msnp21").
func ValidVersion(v string) bool {
	n, ok := strings.CutPrefix(v, "MSNP")
	if !ok || n == "" || len(n) > 2 || n[0] == '0' {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// ValidHost reports whether h can be dialled: an IP address, or a host name
// of dot-separated labels of letters, digits and inner hyphens (at most 63
// bytes a label, 253 in all), with at least one letter. Anything else is
// refused before any lookup, so that no odd string from a config reaches a
// resolver or an HTTP header.
func ValidHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "" || len(h) > 253 || !strings.ContainsAny(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// ValidAccount reports whether a is an address a signin check may name
// in USR: printable ASCII without spaces, one "@", a local part and a
// host name of at least two labels ([ValidHost]), 254 bytes at most.
func ValidAccount(a string) bool {
	local, domain, ok := strings.Cut(a, "@")
	for i := 0; i < len(a); i++ {
		ok = ok && a[i] > ' ' && a[i] < 0x7f
	}
	return ok && len(a) <= 254 && local != "" && !strings.Contains(domain, "@") && strings.Contains(strings.Trim(domain, "."), ".") && ValidHost(domain)
}

// PrintableLine reports whether s is one line of printable text, as a
// result's Detail and a run's Vantage must be: no control character (so no
// line break), no invalid UTF-8 and no U+FFFD. results.json refuses anything
// else.
func PrintableLine(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// Invisible returns the index in s of the first character that can make
// text read other than it is ("Trojan Source"): a bidirectional control
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) or a zero-width
// one (U+200B–U+200D, U+2060, U+FEFF), but a joiner inside an emoji sequence; -1 for none.
func Invisible(s string) int {
	prev := rune(0)
	for i, r := range s {
		switch {
		case r == 0x200D && joinsEmoji(prev, s[i+len("\u200d"):]):
		case r == 0x061C, r == 0x200E, r == 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
			r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
			return i
		}
		prev = r
	}
	return -1
}

// joinsEmoji reports whether a zero-width joiner between prev and next
// joins two emoji: a symbol, or its variation selector or skin tone, then a
// symbol (👩🏽‍💻, 🏳️‍🌈).
func joinsEmoji(prev rune, next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	return (unicode.Is(unicode.So, prev) || prev == 0xFE0F || prev >= 0x1F3FB && prev <= 0x1F3FF) && unicode.Is(unicode.So, r) && r != utf8.RuneError
}

// MaxDetail bounds a result's Detail, in bytes: what a check writes, what
// results.json and history.jsonl keep, and what reading either of them keeps
// of a longer one, so that no file can make a page or a feed grow with it.
// [ClipDetail] cuts to it.
const MaxDetail = 200

// ClipDetail shortens s to at most [MaxDetail] bytes, cut on a rune boundary
// and ended with "…" when cut.
func ClipDetail(s string) string {
	if len(s) <= MaxDetail {
		return s
	}
	i := MaxDetail - len("…")
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// VisibleText is s with every character that [PrintableLine] refuses shown
// as a Go escape: a control character or a byte that is not UTF-8 as "\x1b",
// others as "\u2028" or "\U000e0001", U+FFFD as "\ufffd". Text that a server
// sent, or a file holds, is shown through it, so that no control character
// reaches a page, a feed or a terminal raw, and none is hidden either.
// PrintableLine(VisibleText(s)) always holds; a printable line is returned
// as it is.
func VisibleText(s string) string {
	if PrintableLine(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < utf8.RuneSelf && !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == unicode.ReplacementChar || !unicode.IsPrint(r):
			if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// CleanDetail is s made fit to be a Detail: [VisibleText], within
// [MaxDetail] bytes ([ClipDetail]). The checks make their details with it,
// and reading the history shows what it holds through it. Its work is
// bounded by MaxDetail, whatever the length of s.
func CleanDetail(s string) string {
	s = ClipDetail(s)
	if PrintableLine(s) {
		return s
	}
	return ClipDetail(VisibleText(s))
}

// Bounds of a run's settings: the [probe] table of site.toml, and what a
// results file may claim.
const (
	MinTimeout     = time.Millisecond // per attempt
	MaxTimeout     = 5 * time.Minute
	MaxAttempts    = 10
	MaxConcurrency = 10000
)

// ValidTimeout reports whether d is within [MinTimeout] and [MaxTimeout].
func ValidTimeout(d time.Duration) bool { return d >= MinTimeout && d <= MaxTimeout }

// TimeoutBounds is the range of [ValidTimeout] as people write it: "1ms–5m".
func TimeoutBounds() string { return shortDuration(MinTimeout) + "–" + shortDuration(MaxTimeout) }

// shortDuration is d without the zero units time.Duration.String adds: "5m", not "5m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// CanonicalHost returns the one spelling that every way of writing the
// server h shares, so that two entries of a config can be compared: a host
// name in lower case without a trailing dot, an IP address in [netip]'s
// canonical form (zeros compressed, lower-case hex), an IPv4-mapped IPv6
// address as the IPv4 address it maps. It returns an error for what
// [ValidHost] refuses, and for addresses no server has: the unspecified
// (0.0.0.0, ::), multicast and broadcast (255.255.255.255) ones.
func CanonicalHost(h string) (string, error) {
	if a, err := netip.ParseAddr(h); err == nil {
		a = a.Unmap()
		switch {
		case a.IsUnspecified():
			return "", fmt.Errorf("address %q is the unspecified address, which no server has", h)
		case a.IsMulticast():
			return "", fmt.Errorf("address %q is a multicast address, which no server has", h)
		case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
			return "", fmt.Errorf("address %q is the broadcast address, which no server has", h)
		}
		return a.String(), nil
	}
	if !ValidHost(h) {
		return "", fmt.Errorf("address %q is not an IP address or host name (no port, no scheme)", h)
	}
	return strings.ToLower(strings.TrimSuffix(h, ".")), nil
}

// MaxClockSkew is how far after this machine's clock a run's time may be:
// clocks drift, but results stamped later than this come from a clock that
// is wrong, and recording them would make every later run look older than
// the last ([CheckTime]).
const MaxClockSkew = 10 * time.Minute

// FutureError is a time more than [MaxClockSkew] after now.
type FutureError struct {
	Time time.Time // the time checked
	Now  time.Time // this machine's clock
}

func (e *FutureError) Error() string {
	return fmt.Sprintf("time %s is more than %s after this machine's clock, %s: a clock is wrong",
		e.Time.UTC().Format(time.RFC3339), shortDuration(MaxClockSkew), e.Now.UTC().Format(time.RFC3339))
}

// CheckTime returns a [*FutureError] when t is more than [MaxClockSkew]
// after now, and nil otherwise. Reading results needs no clock; a command
// calls CheckTime on a run's Finished time with time.Now() before it records
// or writes anything.
func CheckTime(t, now time.Time) error {
	if t.Sub(now) > MaxClockSkew {
		return &FutureError{Time: t, Now: now}
	}
	return nil
}
