package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"deadyet/probe/history"
)

// TestServerTextShownVisibly: a history whose details hold control
// characters (escaped in its JSON, as a server's bytes would be) renders
// them visibly, as \x1b and the like, and no control character reaches
// index.html or feed.xml raw. The cleaning is history.Read's
// (probe.CleanDetail); this checks that the page shows what it gets.
func TestServerTextShownVisibly(t *testing.T) {
	dir := t.TempDir()
	lines := `{"t":"2026-11-24T00:00:03Z","heartbeat":true}
{"t":"2026-11-24T00:00:03Z","group":"bn2","address":"127.2.0.4","check":"msnp21","from":"","to":"up"}
{"t":"2026-11-24T01:00:03Z","group":"bn2","address":"127.2.0.4","check":"msnp21","from":"up","to":"foreign","detail":"said \u001b[31mred\u001b[0m \u0001 \u0085 \u2028 end"}
`
	if err := os.WriteFile(filepath.Join(dir, history.FileName), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions(t)
	opts.History = h
	files := mustRender(t, opts)
	for _, name := range []string{"index.html", "feed.xml"} {
		data := fileOf(t, files, name)
		if !bytes.Contains(data, []byte(`said \x1b[31mred\x1b[0m \x01 \u0085 \u2028 end`)) {
			t.Errorf("%s does not show the detail visibly", name)
		}
		for _, r := range string(data) {
			if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || (r >= 0x7f && r <= 0x9f) || r == 0x2028 {
				t.Errorf("%s holds the control character %U raw", name, r)
				break
			}
		}
	}
}
