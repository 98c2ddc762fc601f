package tomlscan

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	deep := func(open, close string) string {
		return "x = " + strings.Repeat(open, 16) + "1" + strings.Repeat(close, 16)
	}
	brackets := strings.Repeat("[{", 40)
	for _, tt := range []struct {
		name, text string
		line       int // of the first token too deep; 0 for none
	}{
		{"flat", "a = 1\n[t]\nb.c = [1, {d = 2}]\n[[u.v]]\nw = 1979-05-27T07:32:00.5Z", 0},
		{"inline tables", "\n" + deep("{a = ", "}"), 2},
		{"arrays", deep("[", "]"), 1},
		{"arrays across lines", "a = [\n" + strings.Repeat("[\n", 16) + "1" + strings.Repeat("]", 17), 17},
		{"dotted key", strings.Repeat("a.", 16) + "a = 1", 1},
		{"dotted key with spaces", strings.Repeat("a . ", 16) + "a = 1", 1},
		{"table header", "[" + strings.Repeat("a.", 16) + "a]", 1},
		{"15 levels", "x = " + strings.Repeat("[", 15) + strings.Repeat("]", 15), 0},
		{"quoted keys", `"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q" = 1` + "\n'" + strings.Repeat("a.", 20) + "' = 2", 0},
		{"in strings", `a = "` + brackets + `"` + "\nb = '" + brackets + "'\nc = \"\"\"\n" + brackets + "\\\"\"\"\n\"\"\"\nd = '''\n" + brackets + "\n''''", 0},
		{"in comments", "a = 1 # " + brackets + "\n# " + strings.Repeat("a.", 20), 0},
		{"dotted keys in inline tables", "k" + strings.Repeat(".p", 15) + " = {a" + strings.Repeat(".b", 14) + " = 1}", 1},
		{"under a table header", "[t" + strings.Repeat(".u", 9) + "]\nx = 1\n" + "k" + strings.Repeat(".p", 6) + " = 1", 3},
		{"a shipped group", "[[group]]\nname = \"bn2\"\nservers = [{ address = \"127.0.0.1\", main = true }]\n[page.verdict]\ndead = \"x\"", 0},
		{"after a string", `a = "\"[" ` + "\n" + deep("[", "]"), 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			line, err := Check([]byte(tt.text))
			if line != tt.line || (err != nil) != (tt.line > 0) {
				t.Errorf("Check = %d, %v; want line %d", line, err, tt.line)
			}
		})
	}
}
