package render

import (
	"net/url"
	"strings"
)

// Page is the text of the page: the top-level title and url of site.toml,
// and its [page] table. Every text is Markdown unless said otherwise. An
// empty field takes its default from [Page.WithDefaults], so a site.toml
// without a [page] table still gives a complete page.
type Page struct {
	Title string `toml:"-"` // site.toml's top-level title, set by the config loader
	URL   string `toml:"-"` // site.toml's top-level url: the absolute address of the site, ending in /

	Lang        string `toml:"lang"`        // the page's language tag; "en"
	Description string `toml:"description"` // plain text for search engines and link previews

	FinePrint string       `toml:"fine_print"` // under the title: what "MSN" means here
	Verdict   VerdictWords `toml:"verdict"`    // the big answer to the title's question
	Headline  string       `toml:"headline"`   // plain text; empty: computed from the results

	Situation  string `toml:"situation"`   // "Current situation"
	Related    string `toml:"related"`     // "Related links", usually a list
	Clients    string `toml:"clients"`     // "What clients work"
	Repository string `toml:"repository"`  // URL of the source repository, for "pull requests welcome"
	StatusNote string `toml:"status_note"` // under "Needlessly detailed server status"
	WhyCare    string `toml:"why_care"`    // "Why care about MSN?"
	FAQ        []FAQ  `toml:"faq"`         // [[page.faq]]; an empty list (faq = []) hides the section
	Footer     string `toml:"footer"`      // the disclaimer at the bottom
}

// VerdictWords are the answers the page gives, by [Verdict]: [page.verdict]
// in site.toml. Plain text.
type VerdictWords struct {
	Dead    string `toml:"dead"`    // no server answers any scanned MSNP version
	Alive   string `toml:"alive"`   // a main server answers one
	Partial string `toml:"partial"` // in between: only servers that are not main answer
}

// FAQ is one question of the FAQ section. The question is plain text, the
// answer Markdown.
type FAQ struct {
	Question string `toml:"question"`
	Answer   string `toml:"answer"`
}

// WithDefaults returns p with every empty field set to the default text. The
// repository defaults to the GitHub repository of a github.io URL.
func (p Page) WithDefaults() Page {
	d := defaultPage
	set := func(v *string, def string) {
		if strings.TrimSpace(*v) == "" {
			*v = def
		}
	}
	set(&p.Title, d.Title)
	set(&p.Lang, d.Lang)
	set(&p.Description, d.Description)
	set(&p.FinePrint, d.FinePrint)
	set(&p.Verdict.Dead, d.Verdict.Dead)
	set(&p.Verdict.Alive, d.Verdict.Alive)
	set(&p.Verdict.Partial, d.Verdict.Partial)
	set(&p.Situation, d.Situation)
	set(&p.Related, d.Related)
	set(&p.Clients, d.Clients)
	set(&p.Repository, repositoryOf(p.URL))
	set(&p.StatusNote, d.StatusNote)
	set(&p.WhyCare, d.WhyCare)
	set(&p.Footer, d.Footer)
	if p.FAQ == nil {
		p.FAQ = append([]FAQ(nil), d.FAQ...)
	}
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

// defaultPage is the text a site.toml without [page] gets. The facts are
// those of the historic ismsndeadyet.com page; the wording is this
// project's own.
var defaultPage = Page{
	Title:       "Is MSN dead yet?",
	Lang:        "en",
	Description: "Does Microsoft's old MSN / Windows Live Messenger service still answer? An hourly look at its last servers.",
	FinePrint: "By *MSN* this page means Microsoft's instant messenger service, known over the years as " +
		"MSN Messenger and Windows Live Messenger — not the msn.com news portal, which is doing fine. " +
		"This page has nothing to do with Microsoft.",
	Verdict: VerdictWords{Dead: "Yes.", Alive: "No.", Partial: "Not quite."},
	Situation: `Microsoft's Messenger servers stopped answering in May 2017. The last two protocol
versions, MSNP21 and MSNP22, ran on the same machines and outlived MSNP18 and every older
version by about two years.

MSNP21 was the final version spoken by a client with the Windows Live Messenger name on it
(Windows Live Messenger 2012). MSNP22 differed from it only in details and was used by the
messaging app of Windows 8.0, a system Microsoft stopped supporting in January 2016.

MSNP24 went on working after that, but on other servers and mostly for Skype clients, so this
page counts it as Skype rather than MSN.

The checker below still knocks on the old doors every hour, just in case.`,
	Related: `- [Source of the original ismsndeadyet.com](https://github.com/dequis/ismsndeadyet.com), the page this one recreates
- [Microsoft Notification Protocol](https://en.wikipedia.org/wiki/Microsoft_Notification_Protocol) on Wikipedia
- [Windows Live Messenger](https://en.wikipedia.org/wiki/Windows_Live_Messenger) on Wikipedia`,
	Clients: `No client can sign in to Microsoft's own Messenger service any more, whatever protocol it speaks.

- **Official clients** (MSN Messenger, Windows Live Messenger up to 2012, the Windows 8 messaging app)
  need servers that are gone.
- **Third-party clients** (Pidgin, Adium, Miranda, aMSN, Empathy and friends) mostly spoke MSNP18,
  which was switched off in March 2015.
- **Skype-web based plugins** were not MSNP but came close for a while; they depended on Skype,
  which Microsoft retired in May 2025.
- **Community servers** such as [Escargot](https://escargot.chat/) let old official clients sign in
  again — to a network of their own, not to Microsoft's.`,
	StatusNote: `Every cell is one check made from one place on the internet, once an hour. A single run
can be wrong (packets get lost), so look at a few before drawing conclusions. The
[reference](#reference) under the tables explains each column; hover over a cell for the
details and the time it took.`,
	WhyCare: `- For many people it was where chatting online began: nudges, winks, display pictures and
  "now playing" status lines.
- Its protocol was taken apart and reimplemented by many free software projects; when each part
  stopped answering belongs to that story.
- Watching a large service switched off one port and one protocol version at a time shows how
  software ends, which is rarely all at once.
- And some people just want to know whether their old client could still sign in.`,
	FAQ: []FAQ{
		{
			Question: "Is this an official Microsoft page?",
			Answer:   "No. It is an independent project that reports what the servers answer, nothing more.",
		},
		{
			Question: "How is a server checked?",
			Answer: "For the port columns the checker opens a TCP connection. For the MSNP columns it sends the " +
				"protocol's version handshake (`VER`) and then `CVR`, directly or through the HTTP(S) gateway as the " +
				"column says. A cell shows ✔ only when an MSN server negotiated that version and answered as one; " +
				"an open port that answers something else is marked *not MSN*.",
		},
		{
			Question: "Something shows ✔. Is MSN back?",
			Answer: "Maybe, but look closer before celebrating: an old address may have been handed to another " +
				"service since. The MSNP columns are the ones that count; an open port alone proves little.",
		},
		{
			Question: "Can I use the data?",
			Answer: "Yes. [status.json](status.json) holds the latest run in a stable format, " +
				"[feed.xml](feed.xml) carries the news as an Atom feed, and [badge.svg](badge.svg) shows the verdict.",
		},
		{
			Question: "How do I add news or correct a server?",
			Answer: "Fork the repository, add a file under `news/` or edit `site.toml`, and open a pull request. " +
				"A check validates it before anyone merges.",
		},
	},
	Footer: "Not affiliated with Microsoft Corporation in any way. Microsoft, MSN, Windows and Skype are " +
		"trademarks of the Microsoft group of companies. The server data is what this checker saw, " +
		"and it may be wrong.",
}
