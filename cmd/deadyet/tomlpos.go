package main

import (
	"regexp"
	"strings"
)

// tomlLines finds where things stand in a TOML file, for error messages.
//
// BurntSushi/toml reports positions for syntax errors but not for the keys of
// a decoded file, so the checks that run after decoding (an unknown key, a
// check nobody defines, a duplicate address) look their line up here. The
// search is textual but scoped: a key is looked for in the block of the table
// header it belongs to.
type tomlLines struct {
	lines   []string
	headers []header // in file order
}

type header struct {
	line  int    // 1-based
	name  string // "checks.tcp443", "group"
	array bool   // [[name]]
}

var headerRE = regexp.MustCompile(`^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$`)

func newTOMLLines(data []byte) *tomlLines {
	t := &tomlLines{lines: strings.Split(string(data), "\n")}
	for i, l := range t.lines {
		if m := headerRE.FindStringSubmatch(l); m != nil {
			t.headers = append(t.headers, header{line: i + 1, name: unquoteKey(m[2]), array: m[1] == "[["})
		}
	}
	return t
}

// unquoteKey turns `checks."tcp443"` into `checks.tcp443`.
func unquoteKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// block returns the line range [from, to) of the n-th (0-based) table named
// name, or of the top level (before any header) when name is "".
func (t *tomlLines) block(name string, n int) (from, to int) {
	if name == "" {
		to = len(t.lines) + 1
		if len(t.headers) > 0 {
			to = t.headers[0].line
		}
		return 1, to
	}
	seen := 0
	for i, h := range t.headers {
		if h.name != name {
			continue
		}
		if seen == n {
			to = len(t.lines) + 1
			if i+1 < len(t.headers) {
				to = t.headers[i+1].line
			}
			return h.line, to
		}
		seen++
	}
	return 0, 0
}

// keyLine is the first line in [from, to) that assigns key, or 0.
func (t *tomlLines) keyLine(from, to int, key string) int {
	re := regexp.MustCompile(`(^|[\s{,])["']?` + regexp.QuoteMeta(key) + `["']?\s*=`)
	return t.findLine(from, to, func(l string) bool { return re.MatchString(stripComment(l)) })
}

// textLine is the n-th (0-based) line in [from, to) containing s, or 0.
func (t *tomlLines) textLine(from, to int, s string, n int) int {
	return t.findLine(from, to, func(l string) bool {
		if strings.Contains(stripComment(l), s) {
			n--
			return n < 0
		}
		return false
	})
}

func (t *tomlLines) findLine(from, to int, match func(string) bool) int {
	if from < 1 {
		return 0
	}
	for i := from; i < to && i <= len(t.lines); i++ {
		if match(t.lines[i-1]) {
			return i
		}
	}
	return 0
}

// pathLine finds the line of a dotted key path such as
// "group.servers.adress": the first assignment of its last element inside a
// table whose name is a prefix of the path (or at the top level).
func (t *tomlLines) pathLine(path []string) int {
	key := path[len(path)-1]
	for plen := len(path) - 1; plen >= 0; plen-- {
		name := strings.Join(path[:plen], ".")
		for n := 0; ; n++ {
			from, to := t.block(name, n)
			if from == 0 {
				break
			}
			if l := t.keyLine(from, to, key); l != 0 {
				return l
			}
			if name == "" {
				break
			}
		}
	}
	return 0
}

// stripComment drops a trailing # comment that is not inside a string.
func stripComment(l string) string {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return l[:i]
		}
	}
	return l
}
