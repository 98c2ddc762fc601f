package config

import (
	"strconv"
	"strings"
)

// Paths name a place in site.toml for its line: the keys from the top
// joined by ".", with the index of an element of an array, or of a table of
// an array of tables, in brackets: "group[2].servers[0].main" is the main
// key of the first server of the third [[group]]. A key that is not bare is
// quoted, as TOML writes it.

// join adds key to the path parent.
func join(parent, key string) string {
	if !bareKey(key) {
		key = strconv.Quote(key)
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// index adds an array index to the path p.
func index(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }

func bareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parent is p without its last key or index; "" at the top.
func parent(p string) string {
	cut, quoted := 0, false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '.' || c == '['):
			cut = i
		}
	}
	return p[:cut]
}

// lineIndex finds, in one pass over a file that BurntSushi/toml has already
// parsed without error, the line of each path asked for: that of its key
// (or table header), or, for an array element, the line the element starts
// on. The file's positions are needed only for error messages, so the index
// is built only when there is a problem to report, and only for the paths
// the problems name (and their parents, the fall-backs of a path that the
// file does not spell out); each lookup is then one map access. The path of
// what is being read is built in one buffer, so the scan allocates nothing
// but the lines it finds.
type lineIndex struct {
	data  []byte
	i     int
	line  int
	path  []byte          // the path of the key or element being read
	table []byte          // the path of the table the last header opened
	want  map[string]int  // path → line; 0 until found
	aot   map[string]*int // path of an array of tables → tables seen
}

// lines returns the line of every path in paths that the file holds; a path
// missing from the file gets the line of its nearest parent that is there,
// or 0.
func lines(data []byte, paths []string) map[string]int {
	x := &lineIndex{data: data, line: 1, want: map[string]int{}, aot: map[string]*int{}}
	for _, p := range paths {
		for ; p != ""; p = parent(p) {
			x.want[p] = 0
		}
	}
	x.scan()
	out := make(map[string]int, len(paths))
	for _, p := range paths {
		for q := p; q != ""; q = parent(q) {
			if l := x.want[q]; l != 0 {
				out[p] = l
				break
			}
		}
	}
	return out
}

// record sets the line of x.path, if it is wanted and not found yet.
func (x *lineIndex) record(line int) {
	if l, ok := x.want[string(x.path)]; ok && l == 0 { // string(x.path): a lookup, no copy
		x.want[string(x.path)] = line
	}
}

func (x *lineIndex) peek() byte {
	if x.i < len(x.data) {
		return x.data[x.i]
	}
	return 0
}

func (x *lineIndex) scan() {
	for {
		x.skip(true)
		switch x.peek() {
		case 0:
			return
		case '[':
			line := x.line
			array := x.i+1 < len(x.data) && x.data[x.i+1] == '['
			x.i++
			if array {
				x.i++
			}
			x.header(array, line)
			for x.peek() == ']' {
				x.i++
			}
		default:
			x.path = append(x.path[:0], x.table...)
			if !x.key(x.line) || x.peek() != '=' {
				x.skipLine() // cannot happen in a file the parser accepted
				continue
			}
			x.i++
			x.value()
		}
	}
}

// header reads the keys of the table header [keys] or [[keys]], records
// them, and makes the table's path x.table.
func (x *lineIndex) header(array bool, line int) {
	x.path = x.path[:0]
	for x.keyPart() {
		x.skip(false)
		last := x.peek() != '.'
		n := x.aot[string(x.path)]
		if last && array {
			if n == nil {
				n = new(int)
				x.aot[string(x.path)] = n
			}
			*n++
			x.record(line)
			x.path = appendIndex(x.path, *n-1)
		} else if n != nil {
			x.path = appendIndex(x.path, *n-1) // a table inside the last one of the array
		}
		x.record(line)
		if last {
			break
		}
		x.i++
	}
	x.table = append(x.table[:0], x.path...)
}

// key reads a dotted key, up to "=", adding it to x.path and recording each
// of its prefixes on line; false when there is no key.
func (x *lineIndex) key(line int) bool {
	read := false
	for x.keyPart() {
		read = true
		x.record(line)
		x.skip(false)
		if x.peek() != '.' {
			break
		}
		x.i++
	}
	return read
}

// keyPart reads one part of a dotted key (bare or quoted) and adds it to
// x.path as [join] would; false when there is none.
func (x *lineIndex) keyPart() bool {
	x.skip(false)
	start := x.i
	var k []byte
	switch c := x.peek(); {
	case c == '"' || c == '\'':
		x.str()
		if q := unquote(string(x.data[start:x.i])); bareKey(q) {
			k = []byte(q)
		} else {
			k = strconv.AppendQuote(nil, q)
		}
	default:
		for c := x.peek(); c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'; c = x.peek() {
			x.i++
		}
		if x.i == start {
			return false
		}
		k = x.data[start:x.i] // bare: as it is
	}
	if len(x.path) > 0 {
		x.path = append(x.path, '.')
	}
	x.path = append(x.path, k...)
	return true
}

// appendIndex adds an array index to the path p, as [index] does.
func appendIndex(p []byte, i int) []byte {
	p = append(p, '[')
	p = strconv.AppendInt(p, int64(i), 10)
	return append(p, ']')
}

// value skips the value after "=" of the key at x.path, recording the
// elements and keys inside it; x.path is as it was when it returns.
func (x *lineIndex) value() {
	x.skip(false)
	switch c := x.peek(); c {
	case '"', '\'':
		x.str()
	case '[':
		x.i++
		p := len(x.path)
		for n := 0; ; n++ {
			x.skip(true)
			if c := x.peek(); c == ']' || c == 0 {
				x.i++
				return
			}
			start := x.i
			x.path = appendIndex(x.path, n)
			x.record(x.line)
			x.value()
			x.path = x.path[:p]
			x.skip(true)
			if x.peek() == ',' || x.i == start { // x.i == start: cannot happen in TOML
				x.i++
			}
		}
	case '{':
		x.i++
		p := len(x.path)
		for {
			x.skip(true)
			if c := x.peek(); c == '}' || c == 0 {
				x.i++
				return
			}
			start := x.i
			if !x.key(x.line) || x.peek() != '=' || x.i == start {
				x.path = x.path[:p]
				x.i++
				continue
			}
			x.i++
			x.value()
			x.path = x.path[:p]
			x.skip(true)
			if x.peek() == ',' {
				x.i++
			}
		}
	default: // a number, a boolean, a date: up to what ends a value
		for {
			switch x.peek() {
			case 0, ',', ']', '}', '\n', '\r', '#':
				return
			}
			x.i++
		}
	}
}

// skip passes spaces and tabs, and with newlines also line ends and comments.
func (x *lineIndex) skip(newlines bool) {
	for {
		switch x.peek() {
		case ' ', '\t':
			x.i++
		case '\r':
			if !newlines {
				return
			}
			x.i++
		case '\n':
			if !newlines {
				return
			}
			x.i++
			x.line++
		case '#':
			if !newlines {
				return
			}
			x.skipComment()
		default:
			return
		}
	}
}

func (x *lineIndex) skipComment() {
	for c := x.peek(); c != 0 && c != '\n'; c = x.peek() {
		x.i++
	}
}

func (x *lineIndex) skipLine() {
	x.skipComment()
	if x.peek() == '\n' {
		x.i++
		x.line++
	}
}

// str passes a string of any of TOML's four kinds, counting its lines.
func (x *lineIndex) str() {
	q := x.data[x.i]
	triple := x.i+2 < len(x.data) && x.data[x.i+1] == q && x.data[x.i+2] == q
	if triple {
		x.i += 3
	} else {
		x.i++
	}
	for x.i < len(x.data) {
		c := x.data[x.i]
		switch {
		case c == '\n':
			x.line++
		case c == '\\' && q == '"':
			x.i++
			if x.peek() == '\n' {
				x.line++
			}
		case c == q && !triple:
			x.i++
			return
		case c == q && x.i+2 < len(x.data) && x.data[x.i+1] == q && x.data[x.i+2] == q:
			x.i += 3
			for n := 0; n < 2 && x.peek() == q; n++ { // """a"""" ends in a quote
				x.i++
			}
			return
		}
		x.i++
	}
}

// unquote is the key a quoted TOML key names.
func unquote(s string) string {
	if len(s) < 2 {
		return s
	}
	if s[0] == '\'' {
		return s[1 : len(s)-1]
	}
	s = s[1 : len(s)-1]
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case 'u', 'U', 'x':
			n := 4
			if c == 'U' {
				n = 8
			} else if c == 'x' {
				n = 2
			}
			if i+1+n <= len(s) {
				if r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += n
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
