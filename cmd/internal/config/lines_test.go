package config

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestLines(t *testing.T) {
	const file = `# a comment with "quotes" and [brackets]
title = """
a "multi-line" title
with \"""escapes\""" """
url = 'https://x.example/'   # comment = 1

[probe]
timeout = "3s"
"quoted.key" = 1
inline = { a = 1, b = { c = "}" } }

[checks.tcp443]
kind = "tcp"
sub.dotted.key = true

[[group]]
name = "a"
servers = [
  { address = "127.0.0.1" },  # first
  { address = '127.0.0.2', main = true },
]

[[group]]
name = "b"
checks = [
  "x",
  """y""",
  'z',
]
servers = [{ address = "127.0.0.3" }, { address = "127.0.0.4" }]

[group.about]
text = '''
literal '' text ''
'''
date = 1979-05-27 07:32:00Z

[[group.inner]]
k = 1
[[group.inner]]
k = 2
[[group]]
name = "c"
`
	if _, err := toml.Decode(file, new(map[string]any)); err != nil {
		t.Fatalf("test file is not TOML: %v", err)
	}
	want := map[string]int{
		"title":                       2,
		"url":                         5,
		"probe":                       7,
		"probe.timeout":               8,
		`probe."quoted.key"`:          9,
		"probe.inline.b.c":            10,
		"checks":                      12,
		"checks.tcp443":               12,
		"checks.tcp443.kind":          13,
		"checks.tcp443.sub.dotted":    14,
		"group":                       16,
		"group[0]":                    16,
		"group[0].servers[0]":         19,
		"group[0].servers[1].main":    20,
		"group[0].servers[1]":         20,
		"group[1].name":               24,
		"group[1].checks":             25,
		"group[1].checks[2]":          28,
		"group[1].servers[1].address": 30,
		"group[1].about":              32,
		"group[1].about.date":         36,
		"group[1].inner[1].k":         41,
		"group[1].inner[0]":           38,
		"group[2].name":               43,
		"nowhere":                     0,
	}
	f := findLines([]byte(file))
	for p, l := range want {
		if got := f.at[p]; got != l {
			t.Errorf("line of %s = %d, want %d", p, got, l)
		}
	}
}

// FuzzLines: on any file the parser accepts, the finder ends, and finds a
// line within the file for every key the parser saw.
func FuzzLines(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.toml")
	for _, file := range append(files, "../../../site.toml") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a = [[1, 2], [3]]\nb = {c = [{d = 1}, {d = '''x\ny'''}]}\n[[e.f]]\ng.h = 1979-05-27\n[[e.f]]\n\"i\\u0041\" = \"\"\"\\\n  j\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := toml.Decode(string(data), new(map[string]any))
		if err != nil {
			return
		}
		lines, nth := findLines(data), map[string]int{}
		n := bytes.Count(data, []byte("\n")) + 1
		for _, k := range md.Keys() {
			key := name(k)
			if l := lines.at[lines.occurrence(key, nth[key])]; l < 1 || l > n {
				t.Errorf("line of %s = %d, the file has %d", key, l, n)
			}
			nth[key]++
		}
	})
}
