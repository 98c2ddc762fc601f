package config

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"deadyet/render/tomlscan"
)

// BurntSushi/toml v1.6.0 shows a key's line only in a ParseError (the last,
// in an array of tables), so the finder reads the lines itself, in one pass,
// only for a file with a problem. A path is the keys from the top joined by
// ".", quoted unless bare, indices in brackets: "group[2].servers[0].main".

// join adds key to the path parent.
func join(parent, key string) string {
	if !bareKey.MatchString(key) {
		key = strconv.Quote(key)
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// finder holds the line of every path of a file: that of its key or table
// header, or, for an array element, the line the element starts on.
type finder struct {
	toks []tomlscan.Token
	i    int
	at   map[string]int      // path → line of its first mention
	occ  map[string][]string // key as [name] writes it → the path of each of its definitions
	aot  map[string]int      // path of an array of tables → its tables so far
}

func findLines(data []byte) *finder {
	f := &finder{toks: tomlscan.Tokens(data), at: map[string]int{}, occ: map[string][]string{}, aot: map[string]int{}}
	table := place{}
	for f.space(); f.i < len(f.toks); f.space() {
		if f.peek() != "[" {
			f.keyValue(table)
			continue
		}
		line := f.toks[f.i].Line
		f.i++
		array := f.peek() == "["
		if array {
			f.i++
		}
		table = place{}
		parts := f.key()
		for n, k := range parts {
			table = table.key(k)
			last := n == len(parts)-1
			if last && array {
				f.aot[table.at]++
			}
			f.record(table.at, line)
			if last {
				f.occ[table.name] = append(f.occ[table.name], table.at)
			}
			if c, ok := f.aot[table.at]; ok && (!last || array) {
				table = table.elem(c - 1)
				f.record(table.at, line)
			}
		}
		for f.peek() == "]" {
			f.i++
		}
	}
	return f
}

// occurrence is the path of the nth definition (from 0) of key, or key.
func (f *finder) occurrence(key string, n int) string {
	if occ := f.occ[key]; n < len(occ) {
		return occ[n]
	}
	return key
}

func (f *finder) record(p string, line int) {
	if _, ok := f.at[p]; !ok {
		f.at[p] = line
	}
}

func (f *finder) peek() string {
	if f.i < len(f.toks) {
		return f.toks[f.i].Text
	}
	return ""
}

// space passes line ends.
func (f *finder) space() {
	for f.peek() == "\n" {
		f.i++
	}
}

// keyValue reads "key = value" in the table at t.
func (f *finder) keyValue(t place) {
	line := f.toks[f.i].Line
	parts := f.key()
	if len(parts) == 0 { // cannot happen in a file the parser accepted
		f.i++
		return
	}
	for _, k := range parts {
		t = t.key(k)
		f.record(t.at, line)
	}
	f.occ[t.name] = append(f.occ[t.name], t.at)
	if f.peek() == "=" {
		f.i++
	}
	f.value(t)
}

// key reads a dotted key, and returns its parts as keys.
func (f *finder) key() (parts []string) {
	for {
		switch k := f.peek(); {
		case k == "" || strings.ContainsAny(k[:1], "[]{}=,.\n"):
			return parts
		case k[0] == '"' || k[0] == '\'':
			var v struct{ K string }
			toml.Decode("k = "+k, &v)
			parts = append(parts, v.K)
		default:
			parts = append(parts, k)
		}
		if f.i++; f.peek() != "." {
			return parts
		}
		f.i++
	}
}

// value reads the value at t, recording the elements and keys inside it.
func (f *finder) value(t place) {
	switch f.peek() {
	case "[", "{":
		end := map[string]string{"[": "]", "{": "}"}[f.peek()]
		f.i++
		for n := 0; ; n++ {
			if f.space(); f.peek() == end || f.peek() == "" {
				f.i++
				return
			}
			start := f.i
			if end == "}" {
				f.keyValue(t)
			} else {
				f.record(t.elem(n).at, f.toks[f.i].Line)
				f.value(t.elem(n))
			}
			if f.space(); f.peek() == "," || f.i == start { // f.i == start: cannot happen in TOML
				f.i++
			}
		}
	default: // a string, a number, a boolean, a date: up to what ends a value
		for k := f.peek(); k != "" && k != "," && k != "]" && k != "}" && k != "\n"; k = f.peek() {
			f.i++
		}
	}
}
