package render

// The small pieces of markup that the pages repeat thousands of times,
// written lean: a site of ten years has a page per day, each with a table
// of every server, so a byte a cell is megabytes a site. End tags that
// HTML lets a page leave out (</td>, </th>, </tr>, </li>) are left out
// where the next tag closes them, and attribute values that need no
// quotes have none. See the package documentation, "Size".

import (
	"html"
	"strings"

	"deadyet/probe"
)

// attrSafe reports whether v can stand unquoted as an attribute value,
// as it is: made only of letters, digits and "-._/#:", none of which HTML
// reads as the end of a value or the start of a character reference.
// Paths of the site (pathSegment's letters and "/") and ids are.
func attrSafe(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '.', c == '_', c == '/', c == '#', c == ':':
		default:
			return false
		}
	}
	return true
}

// writeAttr writes ` name=value`: unquoted when attrSafe, else quoted and
// escaped.
func writeAttr(b *strings.Builder, name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteByte('=')
	if attrSafe(value) {
		b.WriteString(value)
		return
	}
	b.WriteByte('"')
	b.WriteString(html.EscapeString(value))
	b.WriteByte('"')
}

// stateLetter is the short class of a state's colours in the day tables
// and the tables of changes: u up, r rejected, f foreign (not MSN), d down
// (refused, timeout, error and any other), s not scanned, n no data.
func stateLetter(s probe.State) byte {
	switch s {
	case probe.Up:
		return 'u'
	case probe.Rejected:
		return 'r'
	case probe.Foreign:
		return 'f'
	case probe.Skipped:
		return 's'
	case "":
		return 'n'
	}
	return 'd'
}

// writeState writes a state in words, coloured: <b class=u>up</b>.
func writeState(b *strings.Builder, s probe.State) {
	b.WriteString(`<b class=`)
	b.WriteByte(stateLetter(s))
	b.WriteByte('>')
	b.WriteString(html.EscapeString(stateName(s)))
	b.WriteString(`</b>`)
}

// changeStates are the from and to of every change of state, by
// stateCode: "<b class=d>timeout</b> to <b class=u>up</b>". The same on
// every page: made once.
var changeStates = func() [][]string {
	n := len(probe.States) + 1
	out := make([][]string, n)
	for f := range out {
		out[f] = make([]string, n)
		for t := range out[f] {
			var b strings.Builder
			writeState(&b, stateCode(f).state())
			b.WriteString(" to ")
			writeState(&b, stateCode(t).state())
			out[f][t] = b.String()
		}
	}
	return out
}()

// changeHTML is a change of state in words: "timeout to up", coloured;
// "first check: up" for a first sighting.
func changeHTML(from, to probe.State) string {
	if from == "" {
		var b strings.Builder
		b.WriteString("first check: ")
		writeState(&b, to)
		return b.String()
	}
	f, t := codeOf(from), codeOf(to)
	if f == 0 || t == 0 { // a state this version does not know: as it is written
		var b strings.Builder
		writeState(&b, from)
		b.WriteString(" to ")
		writeState(&b, to)
		return b.String()
	}
	return changeStates[f][t]
}
