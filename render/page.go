package render

import (
	"net/url"
	"strings"
)

// Page is the text of the page: site.toml's top-level title and url and
// its [page] table. Texts are Markdown unless said otherwise;
// [Page.WithDefaults] gives the title, language and verdict words a
// fallback, and the page leaves out the other texts when empty.
type Page struct {
	Title string // site.toml's top-level title, set by the config loader
	URL   string // site.toml's top-level url: the absolute address of the site, ending in /

	Lang        string // the page's language tag; "en"
	Description string // plain text for search engines and link previews

	FinePrint string       // under the title: what "MSN" means here
	Verdict   VerdictWords // the big answer to the title's question
	Headline  string       // plain text; empty: computed from the results

	Situation  string // "Current situation"
	Related    string // "Related links", usually a list
	Clients    string // "What clients work"
	Repository string // URL of the source repository, for "pull requests welcome"
	StatusNote string // under "Needlessly detailed server status"
	WhyCare    string // "Why care about MSN?"
	FAQ        []FAQ  // [[page.faq]]
	Footer     string // the disclaimer at the bottom
}

// VerdictWords are the answers the page gives, by [Verdict]: [page.verdict]
// in site.toml. Plain text.
type VerdictWords struct {
	Dead    string // no server answers any scanned MSNP version
	Alive   string // a main server answers one
	Partial string // in between: only servers that are not main answer
	Unknown string // no main server has data
}

// Of is the word for the verdict v.
func (w VerdictWords) Of(v Verdict) string {
	switch v {
	case Alive:
		return w.Alive
	case Partial:
		return w.Partial
	case Unknown:
		return w.Unknown
	}
	return w.Dead
}

// FAQ is one question of the FAQ section. The question is plain text, the
// answer Markdown.
type FAQ struct {
	Question string
	Answer   string
}

// WithDefaults fills an empty title, language or verdict word with its
// fallback, and an empty repository from a github.io URL; other texts stay
// empty, and their sections are left out.
func (p Page) WithDefaults() Page {
	d := defaultPage
	set := func(v *string, def string) {
		if strings.TrimSpace(*v) == "" {
			*v = def
		}
	}
	set(&p.Title, d.Title)
	set(&p.Lang, d.Lang)
	set(&p.Verdict.Dead, d.Verdict.Dead)
	set(&p.Verdict.Alive, d.Verdict.Alive)
	set(&p.Verdict.Partial, d.Verdict.Partial)
	set(&p.Verdict.Unknown, d.Verdict.Unknown)
	set(&p.Repository, repositoryOf(p.URL))
	return p
}

// repositoryOf guesses the GitHub repository that a GitHub Pages URL
// (https://owner.github.io/repo/) is published from; "" when it cannot.
func repositoryOf(site string) string {
	u, err := url.Parse(site)
	if err != nil || u.Scheme != "https" {
		return ""
	}
	owner, ok := strings.CutSuffix(strings.ToLower(u.Hostname()), ".github.io")
	if !ok || owner == "" || strings.Contains(owner, ".") {
		return ""
	}
	repo := strings.Trim(u.Path, "/")
	if repo == "" || strings.Contains(repo, "/") {
		repo = owner + ".github.io"
	}
	return "https://github.com/" + owner + "/" + repo
}

// defaultPage holds the fallbacks of a site.toml without [page]: neutral
// words only. The page's own text is in site.toml; a section whose text is
// empty is left out of the page.
var defaultPage = Page{
	Title:   "Is MSN dead yet?",
	Lang:    "en",
	Verdict: VerdictWords{Dead: "Yes.", Alive: "No.", Partial: "Not quite.", Unknown: "We don't know."},
}
