package probe

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	versionRE = regexp.MustCompile(`^MSNP[1-9][0-9]?$`)
	labelRE   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
)

// ValidVersion reports whether v is "MSNP" and a number from 1 to 99
// without a leading zero, as site.toml and results.json write it.
func ValidVersion(v string) bool { return versionRE.MatchString(v) }

// ValidHost reports whether h can be dialled: an IP address, or a host name
// of letters, digits and inner hyphens with at least one letter. Nothing
// else reaches a resolver or an HTTP header.
func ValidHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if len(h) > 253 || !strings.ContainsFunc(h, unicode.IsLetter) {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if !labelRE.MatchString(label) {
			return false
		}
	}
	return true
}

// ValidAccount reports whether a is an address a signin check may name in
// USR: printable ASCII without spaces, local@host, the host a [ValidHost]
// of two labels or more, 254 bytes at most.
func ValidAccount(a string) bool {
	local, domain, ok := strings.Cut(a, "@")
	for i := 0; i < len(a); i++ {
		ok = ok && a[i] > ' ' && a[i] < 0x7f
	}
	return ok && len(a) <= 254 && local != "" && !strings.Contains(domain, "@") && strings.Contains(strings.Trim(domain, "."), ".") && ValidHost(domain)
}

// PrintableLine reports whether s is one line of printable text, as a
// Detail and a Vantage must be: no control character, no invalid UTF-8,
// no U+FFFD.
func PrintableLine(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// Control returns the index of the first control character in s (C0, DEL,
// C1), but "\n" and "\t" when multiline; -1 for none. Text of site.toml and
// of the news refuses them, and [Invisible].
func Control(s string, multiline bool) int {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) })
}

// Invisible returns the index of the first character in s that can make
// text read other than it is ("Trojan Source"): a bidirectional or
// zero-width control, but a joiner inside an emoji sequence; -1 for none.
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
// joins two emoji (👩🏽‍💻, 🏳️‍🌈).
func joinsEmoji(prev rune, next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	return (unicode.Is(unicode.So, prev) || prev == 0xFE0F || prev >= 0x1F3FB && prev <= 0x1F3FF) && unicode.Is(unicode.So, r) && r != utf8.RuneError
}

// MaxDetail bounds a Detail in bytes: what a check writes and what
// results.json and history.jsonl keep, so that no file makes a page grow.
const MaxDetail = 200

// ClipDetail shortens s to at most [MaxDetail] bytes, on a rune boundary,
// ended with "…" when cut.
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

// visibleText is s with every character [PrintableLine] refuses written as
// a Go escape: "\x1b" for a control byte or one that is not UTF-8, "\u2028"
// or "\U000e0001" for others, "\ufffd" for U+FFFD.
func visibleText(s string) string {
	var b strings.Builder
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

// CleanDetail is s made fit to be a Detail: one printable line (control
// characters escaped as Go does) within [MaxDetail] bytes. Its work is
// bounded by MaxDetail, whatever the length of s.
func CleanDetail(s string) string {
	s = ClipDetail(s)
	if PrintableLine(s) {
		return s
	}
	return ClipDetail(visibleText(s))
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

// shortDuration is d without a zero count of seconds: "5m", not "5m0s".
func shortDuration(d time.Duration) string { return strings.Replace(d.String(), "m0s", "m", 1) }

// CanonicalHost is the one spelling of the server h that every way of
// writing it shares: a host name in lower case without a trailing dot, an
// IP address in [netip]'s form, unmapped. It refuses what [ValidHost] does,
// and the unspecified, multicast and broadcast addresses.
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

// MaxClockSkew is how far after this machine's clock a run's time may be;
// a later one comes from a wrong clock ([CheckTime]).
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
// after now. A command calls it on a run's Finished time before it records
// or writes anything.
func CheckTime(t, now time.Time) error {
	if t.Sub(now) > MaxClockSkew {
		return &FutureError{Time: t, Now: now}
	}
	return nil
}
