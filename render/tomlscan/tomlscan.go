// Package tomlscan splits TOML text into tokens, and bounds how deeply it
// nests before a parser sees it: site.toml and the news front matter come
// from pull requests, and BurntSushi/toml v1.6.0 is super-linear in
// nesting (a 60 KB x = {a = {a = … 1}} costs it 33 s and 4 GB), with no
// limit of its own to set.
package tomlscan

import (
	"bytes"
	"fmt"
	"regexp"
)

// Token is one token of TOML text, and the line (from 1) it starts on.
type Token struct {
	Text string
	Line int
}

// token matches a string of any of TOML's four kinds, a comment, a line end,
// one of "[]{}=,." or a word (a key, a number, …), in linear time.
var token = regexp.MustCompile(`"""(?:[^\\]|\\[\s\S])*?"""("{0,2})|'''[\s\S]*?'''('{0,2})|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|\n|[\[\]{}=,.]|[^\s\[\]{}=,.#"']+`)

// Tokens are the tokens of data but its comments: TOML's own as far as
// data is TOML.
func Tokens(data []byte) []Token {
	var toks []Token
	line, last := 1, 0
	for _, m := range token.FindAllIndex(data, -1) {
		line += bytes.Count(data[last:m[0]], []byte("\n"))
		if last = m[0]; data[m[0]] != '#' {
			toks = append(toks, Token{string(data[m[0]:m[1]]), line})
		}
	}
	return toks
}

// MaxDepth bounds the nesting of TOML text: each part of a key's path,
// from its table header through the dotted keys of every inline table
// around it, and each array, counts a level.
const MaxDepth = 16

// Check returns the line of the first token of data nested deeper than
// [MaxDepth] levels, and an error that says so; 0 and nil when none is.
func Check(data []byte) (int, error) {
	var open []int              // the level at which each open [ or { began
	hdr, base, parts := 0, 0, 0 // the table header's parts; the level of the key or value at hand and its parts
	lineStart, header, dotted := true, false, false
	for _, t := range Tokens(data) {
		atStart := lineStart
		lineStart = t.Text == "\n"
		switch {
		case t.Text == "[" && len(open) == 0 && (atStart || header && parts == 0): // [table] or [[array.of.tables]]
			header, base, parts = true, 0, 0
		case t.Text == "]" && header:
			if parts > 0 {
				hdr = parts
			}
			base, parts = hdr, 0
		case t.Text == "[" || t.Text == "{":
			open = append(open, base)
			base, parts = base+1, 0
		case t.Text == "]" || t.Text == "}":
			if n := len(open); n > 0 {
				base, open = open[n-1], open[:n-1]
			}
			parts = 0
		case t.Text == "=":
			base, parts = base+max(parts-1, 0), 0 // a value sits at its key's level
		case t.Text == ",":
			if n := len(open); n > 0 {
				base = open[n-1] + 1
			}
			parts = 0
		case t.Text == "\n":
			if len(open) == 0 {
				base, parts, header = hdr, 0, false
			}
		case t.Text == ".":
			dotted = true
			continue
		default:
			if !dotted {
				parts = 0
			}
			parts++
		}
		dotted = false
		if base+parts > MaxDepth {
			return t.Line, fmt.Errorf("nested deeper than %d levels (arrays, tables and the parts of dotted keys count one each)", MaxDepth)
		}
	}
	return 0, nil
}
