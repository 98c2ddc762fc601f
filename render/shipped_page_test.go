package render

import (
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
)

// shippedTOML is the shipped site.toml, found before any test changes the
// working folder.
var shippedTOML, _ = filepath.Abs("../site.toml")

// shippedPage is the page text of the shipped site.toml, the text of the
// golden pages. The config loader (cmd/internal/config) owns site.toml and
// cannot be imported here, so this reads the same keys with toml's own
// decoder, and fails on a [page] key it does not read. config's TestShipped
// checks that the loader puts each text where this does.
func shippedPage(t testing.TB) Page {
	t.Helper()
	var f struct {
		Title string
		URL   string
		Page  struct {
			Description string
			FinePrint   string `toml:"fine_print"`
			Situation   string
			Related     string
			Clients     string
			StatusNote  string `toml:"status_note"`
			WhyCare     string `toml:"why_care"`
			Footer      string
			Verdict     VerdictWords
			FAQ         []FAQ `toml:"faq"`
		}
	}
	md, err := toml.DecodeFile(shippedTOML, &f)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range md.Undecoded() {
		if len(k) > 1 && k[0] == "page" {
			t.Fatalf("site.toml: page key %q is not read by this test: add it to shippedPage", k.String())
		}
	}
	p := f.Page
	return Page{
		Title: f.Title, Description: p.Description, FinePrint: p.FinePrint, Situation: p.Situation,
		Related: p.Related, Clients: p.Clients, StatusNote: p.StatusNote, WhyCare: p.WhyCare,
		Footer: p.Footer, Verdict: p.Verdict, FAQ: p.FAQ,
	}
}
