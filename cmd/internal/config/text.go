package config

import (
	"strings"

	"deadyet/probe"
)

// Text values refuse control characters, which would reach the page as raw
// bytes: plain text is one line, with no control character at all;
// Markdown may span lines and hold tabs ("\r\n" counts as a newline). Both
// refuse the characters of [probe.Invisible].

// plain is the plain text x at p ("" when missing or refused).
func plain(x value[string], p place, ps *problems) string { return text(x, p, false, ps) }

// markdown is the Markdown text x at p ("" when missing or refused).
func markdown(x value[string], p place, ps *problems) string { return text(x, p, true, ps) }

func text(x value[string], p place, multiline bool, ps *problems) string {
	s, ok := x.get(p, ps)
	if !ok {
		return ""
	}
	t := s
	if multiline {
		t = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if i := probe.Control(t, multiline); i >= 0 {
		how := "plain text is one line of printable characters"
		if multiline {
			how = "only newlines and tabs are allowed"
		}
		ps.add(p.at, "%s: control character %U is not allowed (%s)", p.name, []rune(t[i:])[0], how)
		return ""
	}
	if i := probe.Invisible(s); i >= 0 {
		ps.add(p.at, "%s: invisible character %U is not allowed (bidirectional and zero-width characters can make text read other than it is)", p.name, []rune(s[i:])[0])
		return ""
	}
	return s
}
