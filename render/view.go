package render

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/render/news"
)

// Verdict is the page's answer: is MSN dead yet?
type Verdict string

// The verdicts. They are also the status.json "verdict" values.
const (
	Dead    Verdict = "dead"    // no server answers any scanned MSNP version
	Alive   Verdict = "alive"   // a main server answers one
	Partial Verdict = "partial" // in between: only servers that are not main answer one
	Unknown Verdict = "unknown" // no main server has data (no server, in a config without main servers): a result missing is not death
)

// Options is everything a render needs.
type Options struct {
	Config  probe.Config
	Page    Page             // the page text; [Page.WithDefaults] is applied
	Results probe.Results    // the run to show; results not in Config are ignored
	News    []news.Entry     // in any order; shown newest first
	History *history.History // what earlier runs saw; nil: the page shows none (it is only read)

	Templates fs.FS // the *.html templates; nil: the embedded [templates.FS]
	Static    fs.FS // style.css, pages.css and favicon.svg; nil: the embedded [static.FS]
}

// NewsShown is how many news entries the page shows before "older news".
const NewsShown = 10

// View is the page as the templates see it.
type View struct {
	Page     Page    // with defaults
	Verdict  Verdict // dead, alive, partial or unknown
	Answer   string  // the verdict's word from Page.Verdict
	Headline string  // one line under the answer
	Missing  int     // cells of scanned checks that the results hold no result for: shown as no data
	Run      Run
	News     []news.Entry // the newest NewsShown entries, newest first
	Older    []news.Entry // the rest, newest first
	Tables   []Table      // one per group, in config order
	Checks   []CheckInfo  // the Reference legend: every check the tables use, in first-use order
	History  *History     // nil without a history
	Disagree bool         // some cell's vantage points disagree: the legend explains the mark
	Base     string       // the URL's path ("/repo/"): 404.html is served at any path
	Root     string       // what links to the site's files start with: "" in index.html, Base in 404.html
	FAQ      []FAQItem
	Script   bool // the page loads stale.js, its one script (with a history only)

	config   probe.Config
	chron    *chronicle // with a history: the history day by day
	exec     func(string, any) ([]byte, error)
	dayRows  *sync.Map                                // a day table's rendered rows, by their table, server and cells
	changeOf func(l history.Line, root string) Change // with a history: a line as a page at root shows it
}

// allNews is every news entry, newest first.
func (v *View) allNews() []news.Entry {
	return append(append([]news.Entry(nil), v.News...), v.Older...)
}

// FAQItem is one question of the FAQ, with its anchor.
type FAQItem struct {
	ID string // "faq-<slug of the question>"
	FAQ
}

// Run is when and where the results were taken.
type Run struct {
	Started, Finished time.Time
	Vantage           string
}

// Table is one group: a row per server, a column per check.
type Table struct {
	ID      string // the anchor, "group-<slug of the name>", made unique with "-2", "-3", …
	Name    string
	Title   string // heading; Name when the group has none
	About   string // Markdown
	AddrCol string // "IP" when every address is one, else "Host"
	Notes   bool   // some server has a Note: show the "What it was for" column
	HasMain bool   // some server is a main server
	Apart   bool   // verdict = false: shown after the others, never counted in the verdict
	Columns []Column
	Rows    []Row

	Timeline string // with a history: what the rows' timelines follow, "the best of MSNP21 and MSNP22 each day"
}

// Column is one check of a table, with its counts; status.json's checks.
type Column struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Anchor  string `json:"-"` // the id of the check's line on a server page: "check-<slug of the key>", unique in the group
	Scanned bool   `json:"scanned"`
	Up      int    `json:"up"`    // servers up
	Total   int    `json:"total"` // servers with a result

	seen colSeen // for the verdict
}

// Row is one server of a table.
type Row struct {
	Address  string
	Main     bool
	Note     string
	Page     string    // the server's page, from the site's root: "server/bn2/65.52.108.75/index.html"
	Cells    []Cell    // one per column
	Timeline *Timeline // with a history: the last days
}

// Cell is what one check found at one server.
type Cell struct {
	State    probe.State // "" when the results hold none for it: no data
	Symbol   string      // what the cell shows
	Text     string      // the state in words, for screen readers
	Class    string      // "up", "down", "rejected", "foreign", "skipped" or "none" (no data)
	Href     string      // the check's line on the server's page, from the site's root
	MS       int64
	Attempts int
	Detail   string
	Disagree bool // the vantage points saw different states; Detail says which

	// With a history: what it says of the cell, shown on the server's
	// page; nil without one, or for a cell not scanned.
	History *CellHistory
}

// CheckInfo is one entry of the Reference legend.
type CheckInfo struct {
	Label   string
	Scanned bool
	About   string // Markdown
}

// cellLooks is the symbol, class and screen-reader text of each state.
var cellLooks = map[probe.State]struct{ symbol, class, text string }{
	probe.Up:       {"✔", "up", "up"},
	probe.Rejected: {"⊘", "rejected", "rejected: MSN server refused this version"},
	probe.Foreign:  {"not MSN", "foreign", "answered, but not an MSN server"},
	probe.Refused:  {"✘", "down", "down: connection refused"},
	probe.Timeout:  {"✘", "down", "down: timed out"},
	probe.Error:    {"✘", "down", "down: error"},
	probe.Skipped:  {"–", "skipped", "not scanned"},
	"":             {"no data", "none", "no data: the results hold no result for this check"},
}

// Build makes the view model of the page. It fails when the config names a
// check it does not define or the results hold two results for one cell.
func Build(opts Options) (*View, error) {
	page := opts.Page.WithDefaults()
	v := &View{
		Page:   page,
		Run:    Run{Started: opts.Results.Started, Finished: opts.Results.Finished, Vantage: opts.Results.Vantage},
		Base:   basePath(page.URL),
		config: opts.Config,
	}

	entries := slices.Clone(opts.News)
	news.Sort(entries)
	v.News, v.Older = entries[:min(len(entries), NewsShown)], entries[min(len(entries), NewsShown):]

	results := make(map[probe.Key]probe.Result, len(opts.Results.Results))
	for _, r := range opts.Results.Results {
		k := probe.Key{Group: r.Group, Address: r.Address, Check: r.Check}
		if _, dup := results[k]; dup {
			return nil, fmt.Errorf("results hold two results for group %q, address %q, check %q", r.Group, r.Address, r.Check)
		}
		results[k] = r
	}

	seen := map[string]bool{}
	groupIDs := map[string]bool{}
	groupSegs := map[string]bool{}
	for _, g := range opts.Config.Groups {
		gseg := uniqueID(groupSegs, pathSegment(g.Name))
		addrSegs := map[string]bool{}
		anchors := map[string]bool{}
		t := Table{
			ID:      uniqueID(groupIDs, "group-"+news.Slug(g.Name)),
			Name:    g.Name,
			Title:   cmp.Or(g.Title, g.Name),
			About:   g.About,
			AddrCol: "IP",
			Apart:   g.Apart,
		}
		for _, ck := range g.Checks {
			c, ok := opts.Config.Checks[ck]
			if !ok {
				return nil, fmt.Errorf("group %q names check %q, which the config does not define", g.Name, ck)
			}
			t.Columns = append(t.Columns, Column{Key: ck, Label: c.Label, Scanned: c.Scan, Anchor: uniqueID(anchors, "check-"+news.Slug(ck))})
			if !seen[ck] {
				seen[ck] = true
				v.Checks = append(v.Checks, CheckInfo{Label: c.Label, Scanned: c.Scan, About: c.About})
			}
		}
		for _, s := range g.Servers {
			if !isIP(s.Address) {
				t.AddrCol = "Host"
			}
			t.Notes = t.Notes || s.Note != ""
			t.HasMain = t.HasMain || s.Main
			row := Row{Address: s.Address, Main: s.Main, Note: s.Note,
				Page: serverPage(gseg, uniqueID(addrSegs, pathSegment(s.Address)))}
			for i, col := range t.Columns {
				r, ok := results[probe.Key{Group: g.Name, Address: s.Address, Check: col.Key}]
				var cell Cell
				switch {
				case !col.Scanned && r.State != probe.Skipped:
					// A result for a check no longer scanned is stale: say so, never
					// "up"; none is needed to know that it is not scanned.
					cell = newCell(probe.Result{State: probe.Skipped})
				case ok:
					cell = newCell(r)
				default:
					// No data is not death: shown as such, counted neither up nor down.
					cell = newCell(probe.Result{State: ""})
					v.Missing++
				}
				cell.Href = row.Page + "#" + col.Anchor
				if cell.State != "" && cell.State != probe.Skipped {
					t.Columns[i].Total++
				}
				if cell.State == probe.Up {
					t.Columns[i].Up++
				}
				t.Columns[i].seen.see(cell.State != "" && cell.State != probe.Skipped, cell.State == probe.Up, s.Main)
				v.Disagree = v.Disagree || cell.Disagree
				row.Cells = append(row.Cells, cell)
			}
			t.Rows = append(t.Rows, row)
		}
		v.Tables = append(v.Tables, t)
	}
	slices.SortStableFunc(v.Tables, func(a, b Table) int {
		if a.Apart == b.Apart {
			return 0
		} else if a.Apart {
			return 1
		}
		return -1
	})

	faqIDs := map[string]bool{}
	for _, f := range page.FAQ {
		v.FAQ = append(v.FAQ, FAQItem{uniqueID(faqIDs, "faq-"+news.Slug(f.Question)), f})
	}

	if opts.History != nil {
		now := opts.Results.Finished
		if now.IsZero() {
			now = opts.Results.Started
		}
		if now.IsZero() {
			return nil, fmt.Errorf("the results have no time, so the history cannot be shown as of it")
		}
		buildHistory(v, opts.Config, opts.History, now)
	}

	v.Verdict, v.Headline = verdictOf(opts.Config, v.Tables, func(ti, ci int) colSeen { return v.Tables[ti].Columns[ci].seen })
	v.Answer = page.Verdict.Of(v.Verdict)
	if strings.TrimSpace(page.Headline) != "" {
		v.Headline = strings.TrimSpace(page.Headline)
	}
	return v, nil
}

// uniqueID returns id, or the first free of id-2, id-3, …, and adds it to
// ids: the slugs of two names can be equal ("a_b" and "a-b"), anchors not.
func uniqueID(ids map[string]bool, id string) string {
	out := id
	for n := 2; ids[out]; n++ {
		out = id + "-" + strconv.Itoa(n)
	}
	ids[out] = true
	return out
}

func newCell(r probe.Result) Cell {
	look := cellLooks[r.State] // the readers of results refuse unknown states
	c := Cell{State: r.State, Symbol: look.symbol, Text: look.text, Class: look.class, MS: r.MS, Attempts: r.Attempts, Detail: r.Detail,
		Disagree: r.Disagree && r.State != probe.Skipped && r.State != ""}
	if c.Disagree {
		// The mark: the symbol starred, the places named in words.
		c.Symbol += "*"
		c.Text += "; the vantage points disagree: " + r.Detail
	}
	return c
}

// isIP reports whether an address is an IP address rather than a host name.
func isIP(address string) bool {
	_, err := netip.ParseAddr(address)
	return err == nil
}

// colSeen is what the servers of one MSNP column show: whether any of them
// has data, whether a main one has, whether any is up, whether a main one
// is.
type colSeen struct{ data, mainData, up, mainUp bool }

// see adds a cell, with data (live) or not, up or not, to its column's.
func (s *colSeen) see(live, up, main bool) {
	s.data, s.mainData = s.data || live, s.mainData || live && main
	s.up, s.mainUp = s.up || up, s.mainUp || up && main
}

// verdictOf is the verdict and headline from what each MSNP column shows
// (seen), groups apart left out: alive when a main server is up; unknown
// when no main server has data; else partial when a server is up, or dead.
func verdictOf(cfg probe.Config, tables []Table, seen func(table, column int) colSeen) (Verdict, string) {
	var versions, groups, known []string // up; the groups up; with data
	mainUp, mainData, anyData, hasMain, msnp := false, false, false, false, false
	for ti, t := range tables {
		if t.Apart {
			continue
		}
		groupUp := false
		hasMain = hasMain || t.HasMain
		for i, col := range t.Columns {
			c := cfg.Checks[col.Key]
			if c.Kind != probe.MSNP {
				continue
			}
			s := seen(ti, i)
			if !col.Scanned && !s.data {
				continue
			}
			msnp = true
			if s.data && !slices.Contains(known, c.Version) {
				known = append(known, c.Version)
			}
			anyData, mainData = anyData || s.data, mainData || s.mainData
			if !s.up {
				continue
			}
			groupUp = true
			mainUp = mainUp || s.mainUp
			if !slices.Contains(versions, c.Version) {
				versions = append(versions, c.Version)
			}
		}
		if groupUp && !slices.Contains(groups, t.Title) {
			groups = append(groups, t.Title)
		}
	}
	if !msnp {
		return Unknown, "No MSNP version is checked"
	}
	head := ""
	if len(versions) > 0 {
		sortVersions(versions)
		verb := "still answers"
		if len(versions) > 1 {
			verb = "still answer"
		}
		head = englishList(versions) + " " + verb + " in " + englishList(groups)
	}
	switch {
	case mainUp:
		return Alive, head
	case hasMain && !mainData && head != "":
		return Unknown, head + ", but no main server has data"
	case hasMain && !mainData:
		return Unknown, "No main server has data"
	case !anyData:
		return Unknown, "No server has data"
	case head != "":
		return Partial, head + ", but no main server does"
	}
	sortVersions(known)
	return Dead, "All protocol versions up to " + known[len(known)-1] + " are gone"
}

// sortVersions sorts "MSNP<n>" by n, then as text.
func sortVersions(vs []string) {
	num := func(v string) int {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "MSNP"))
		if err != nil {
			return -1
		}
		return n
	}
	slices.SortFunc(vs, func(a, b string) int {
		if c := num(a) - num(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}

// englishList joins words as English does: "a", "a and b", "a, b and c".
func englishList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// basePath is the path of the site's URL, "/" when it has none.
func basePath(site string) string {
	_, rest, ok := strings.Cut(site, "://")
	if !ok {
		return "/"
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	p := rest[i:]
	if j := strings.IndexAny(p, "?#"); j >= 0 {
		p = p[:j]
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}
