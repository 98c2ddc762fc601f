package config

import (
	"context"
	"net/url"
	"sort"
	"time"

	"deadyet/probe"
	"deadyet/render"
)

// The tables of site.toml, each read out of the tree by its read function
// and checked by its validate method.

var siteKeys = []string{"title", "url", "probe", "checks", "group", "page"}

// readSite reads the whole file. It returns an error only when ctx ends.
func readSite(ctx context.Context, root table, ps *problems) (*Site, error) {
	root.only(siteKeys, ps)
	s := &Site{}
	var pt probeTable
	if t, ok := root.sub("probe", ps); ok {
		pt = readProbe(t, ps)
	}
	s.Probe = pt.validate(ps)

	checks, ok := root.sub("checks", ps)
	keys := make([]string, 0, len(checks.m))
	for k := range checks.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if _, there := root.m["checks"]; len(keys) == 0 && (ok || !there) { // of another type: said already
		ps.add("", "no [checks.*] table: define at least one check")
	}
	s.Probe.Checks = make(map[string]probe.Check, len(keys))
	for _, k := range keys {
		t, ok := checks.sub(k, ps)
		if !ok {
			continue
		}
		if c, ok := readCheck(k, t, ps).validate(ps); ok {
			s.Probe.Checks[k] = c
		}
	}
	defined := func(k string) bool { _, ok := checks.m[k]; return ok }

	groups, _ := root.subs("group", ps)
	if raw, ok := root.m["group"]; !ok || emptyArray(raw) {
		ps.add("", "no [[group]] table: define at least one group of servers")
	}
	names := map[string]string{} // group name → path of its name
	for t := range groups.all(ps) {
		g := readGroup(t, ps)
		grp, err := g.validate(ctx, len(keys) > 0, defined, names, ps)
		if err != nil {
			return nil, err
		}
		s.Probe.Groups = append(s.Probe.Groups, grp)
	}

	page := pageTable{}
	if t, ok := root.sub("page", ps); ok {
		page = readPage(t, ps)
	}
	s.Page = page.validate(ps)
	s.Page.Title = root.plain("title", ps)
	if u, ok := root.str("url", ps); ok {
		if absoluteHTTP(u) {
			s.Page.URL = u
		} else {
			ps.add("url", "url %q is not an absolute http(s) address", u)
		}
	}
	return s, nil
}

// absoluteHTTP reports whether s is an absolute http or https URL.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// validName reports whether a check or group name is lower-case letters,
// digits, '-' and '_', starting with a letter or digit: it is a key of
// results.json and of the history.
func validName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && (c == '-' || c == '_')) {
			return false
		}
	}
	return s != ""
}

// probeTable is [probe].
type probeTable struct {
	timeout               *string
	attempts, concurrency *int64
}

var probeKeys = []string{"timeout", "attempts", "concurrency"}

func readProbe(t table, ps *problems) probeTable {
	t.only(probeKeys, ps)
	var p probeTable
	if v, ok := t.str("timeout", ps); ok {
		p.timeout = &v
	}
	if v, ok := t.integer("attempts", ps); ok {
		p.attempts = &v
	}
	if v, ok := t.integer("concurrency", ps); ok {
		p.concurrency = &v
	}
	return p
}

// validate returns the run's settings, the defaults where a key is missing
// or wrong.
func (p probeTable) validate(ps *problems) probe.Config {
	c := probe.Config{Timeout: probe.DefaultTimeout, Attempts: probe.DefaultAttempts, Concurrency: probe.DefaultConcurrency}
	if p.timeout != nil {
		d, err := time.ParseDuration(*p.timeout)
		switch {
		case err != nil:
			ps.add("probe.timeout", "probe.timeout: %q is not a duration (write it like \"3s\" or \"500ms\")", *p.timeout)
		case !probe.ValidTimeout(d):
			ps.add("probe.timeout", "probe.timeout: %q is outside %s", *p.timeout, probe.TimeoutBounds())
		default:
			c.Timeout = d
		}
	}
	if p.attempts != nil {
		if n := *p.attempts; n < 1 || n > probe.MaxAttempts {
			ps.add("probe.attempts", "probe.attempts: %d is outside 1–%d", n, probe.MaxAttempts)
		} else {
			c.Attempts = int(n)
		}
	}
	if p.concurrency != nil {
		if n := *p.concurrency; n < 1 || n > probe.MaxConcurrency {
			ps.add("probe.concurrency", "probe.concurrency: %d is outside 1–%d", n, probe.MaxConcurrency)
		} else {
			c.Concurrency = int(n)
		}
	}
	return c
}

// checkTable is one [checks.KEY]: a column of the tables.
type checkTable struct {
	key  string
	at   string // "checks.KEY", its name and path
	c    probe.Check
	port *int64
	scan *bool
	has  map[string]any // the table as written: which keys are there, of any type
}

var checkKeys = []string{"label", "kind", "port", "version", "via", "scan", "about"}

func readCheck(key string, t table, ps *problems) checkTable {
	t.only(checkKeys, ps)
	ct := checkTable{key: key, at: t.at(), c: probe.Check{Key: key, Scan: true}, has: t.m}
	ct.c.Label = t.plain("label", ps)
	kind, _ := t.str("kind", ps)
	ct.c.Kind = probe.Kind(kind)
	ct.c.Version, _ = t.str("version", ps)
	via, _ := t.str("via", ps)
	ct.c.Via = probe.Via(via)
	ct.c.About = t.markdown("about", ps)
	if v, ok := t.integer("port", ps); ok {
		ct.port = &v
	}
	if v, ok := t.boolean("scan", ps); ok {
		ct.scan = &v
	}
	return ct
}

// validate returns the check, and whether it is sound.
func (t checkTable) validate(ps *problems) (probe.Check, bool) {
	n := len(*ps)
	c, name := t.c, t.at
	at := func(k string) string { return join(t.at, k) }
	has := func(k string) bool { _, ok := t.has[k]; return ok }
	if !validName(t.key) {
		ps.add(t.at, "check name %q: use lower-case letters, digits, '-' and '_'", t.key)
	}
	if c.Label == "" {
		c.Label = t.key
	}
	if t.scan != nil {
		c.Scan = *t.scan
	}
	if t.port != nil {
		if p := *t.port; p < 1 || p > 65535 {
			ps.add(at("port"), "%s.port: %d is outside 1–65535", name, p)
		} else {
			c.Port = int(p)
		}
	}
	switch c.Kind {
	case probe.TCP:
		if !has("port") {
			ps.add(at("kind"), "%s: a tcp check needs a port", name)
		}
		if has("version") {
			ps.add(at("version"), "%s.version: only msnp checks have a version", name)
		}
		if has("via") {
			ps.add(at("via"), "%s.via: only msnp checks have a via", name)
		}
	case probe.MSNP:
		switch {
		case !has("version"):
			ps.add(at("kind"), "%s: an msnp check needs a version, like \"MSNP21\"", name)
		case c.Version != "" && !probe.ValidVersion(c.Version), c.Version == "" && isString(t.has["version"]):
			ps.add(at("version"), "%s.version: %q is not of the form MSNP<n>, like \"MSNP21\"", name, c.Version)
		}
		switch c.Via {
		case "":
			if isString(t.has["via"]) {
				ps.add(at("via"), "%s.via: %q is not one of direct, http, https", name, c.Via)
			}
			c.Via = probe.Direct
		case probe.Direct, probe.HTTP, probe.HTTPS:
		default:
			ps.add(at("via"), "%s.via: %q is not one of direct, http, https", name, c.Via)
		}
	default:
		switch {
		case !has("kind"):
			ps.add(t.at, "%s: kind is missing (tcp or msnp)", name)
		case isString(t.has["kind"]):
			ps.add(at("kind"), "%s.kind: %q is not one of tcp, msnp", name, c.Kind)
		}
	}
	return c, len(*ps) == n
}

// groupTable is one [[group]]: a table of the page.
type groupTable struct {
	t                  table
	name, title, about string
	checks             []string
	servers            tables
	badChecks          bool // checks is there, but not an array of strings
}

var groupKeys = []string{"name", "title", "about", "checks", "servers"}

func readGroup(t table, ps *problems) groupTable {
	t.only(groupKeys, ps)
	g := groupTable{t: t}
	g.name, _ = t.str("name", ps)
	g.title = t.plain("title", ps)
	g.about = t.markdown("about", ps)
	var ok bool
	g.checks, ok = t.strs("checks", ps)
	_, has := t.m["checks"]
	g.badChecks = has && !ok
	g.servers, _ = t.subs("servers", ps)
	return g
}

// checkEvery is how many servers are read between two looks at the context.
const checkEvery = 4096

// validate returns the group. hasChecks says whether the file defines any
// check (else a group's checks are not looked up), defined whether it
// defines one; names holds the groups read before, by name.
func (g groupTable) validate(ctx context.Context, hasChecks bool, defined func(string) bool, names map[string]string, ps *problems) (probe.Group, error) {
	at := func(k string) string { return join(g.t.at(), k) }
	switch {
	case g.name == "":
		if _, ok := g.t.m["name"]; !ok {
			ps.add(g.t.at(), "group %d has no name", g.t.index+1)
		}
	case !validName(g.name):
		ps.add(at("name"), "group name %q: use lower-case letters, digits, '-' and '_'", g.name)
	case names[g.name] != "":
		ps.twice(at("name"), names[g.name], "group %q is defined twice", g.name)
	default:
		names[g.name] = at("name")
	}
	if len(g.checks) == 0 && !g.badChecks {
		ps.add(g.t.at(), "group %q lists no checks", g.name)
	}
	for i, k := range g.checks {
		switch {
		case indexOf(g.checks[:i], k) >= 0:
			ps.add(index(at("checks"), i), "group %q lists check %q twice", g.name, k)
		case hasChecks && !defined(k):
			ps.add(index(at("checks"), i), "group %q names check %q, but no [checks.%s] table defines it", g.name, k, k)
		}
	}
	if raw, ok := g.t.m["servers"]; !ok || emptyArray(raw) { // of another type: said already
		ps.add(g.t.at(), "group %q lists no servers", g.name)
	}
	grp := probe.Group{Name: g.name, Title: g.title, About: g.about, Checks: g.checks, Servers: make([]probe.Server, 0, g.servers.len())}
	first := make(map[string]int, g.servers.len()) // canonical address → index in g.servers
	for t := range g.servers.all(ps) {
		if t.index%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return grp, err
			}
		}
		s := readServer(t, ps)
		if srv, ok := s.validate(g.name, g.servers, first, ps); ok {
			grp.Servers = append(grp.Servers, srv)
		}
	}
	return grp, nil
}

func isString(v any) bool { _, ok := v.(string); return ok }

func emptyArray(v any) bool {
	switch a := v.(type) {
	case []any:
		return len(a) == 0
	case []map[string]any:
		return len(a) == 0
	}
	return false
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// serverTable is one entry of a group's servers.
type serverTable struct {
	t       table
	address string
	main    bool
	note    string
}

var serverKeys = []string{"address", "main", "note"}

func readServer(t table, ps *problems) serverTable {
	t.only(serverKeys, ps)
	s := serverTable{t: t}
	s.address, _ = t.str("address", ps)
	s.main, _ = t.boolean("main", ps)
	s.note = t.plain("note", ps)
	return s
}

// validate returns the server of group, and whether it is sound. first
// holds the canonical addresses of the servers before it (their index in
// all).
func (s serverTable) validate(group string, all tables, first map[string]int, ps *problems) (probe.Server, bool) {
	at := func(t table) string { return join(t.at(), "address") } // only for a problem: no string per server
	if s.address == "" {
		if _, ok := s.t.m["address"]; !ok {
			ps.add(s.t.at(), "group %q has a server without an address", group)
		}
		return probe.Server{}, false
	}
	canon, err := probe.CanonicalHost(s.address)
	if err != nil {
		ps.add(at(s.t), "group %q: %v", group, err)
		return probe.Server{}, false
	}
	if i, dup := first[canon]; dup {
		earlier, _ := all.get(i)
		if a := earlier.m["address"]; a == s.address {
			ps.twice(at(s.t), at(earlier), "group %q lists address %q twice", group, s.address)
		} else {
			ps.twice(at(s.t), at(earlier), "group %q lists address %q twice: it is the same as %q", group, s.address, a)
		}
		return probe.Server{}, false
	}
	if canon == s.address {
		canon = s.address // one string for both, the one the server keeps
	}
	first[canon] = s.t.index
	return probe.Server{Address: s.address, Main: s.main, Note: s.note}, true
}

// pageTable is [page]: the page's words.
type pageTable struct {
	t    table
	page render.Page
}

var (
	pageKeys    = []string{"lang", "description", "fine_print", "verdict", "headline", "situation", "related", "clients", "repository", "status_note", "why_care", "faq", "footer"}
	verdictKeys = []string{"dead", "alive", "partial", "unknown"}
	faqKeys     = []string{"question", "answer"}
)

func readPage(t table, ps *problems) pageTable {
	t.only(pageKeys, ps)
	p := pageTable{t: t}
	pg := &p.page
	pg.Lang = t.plain("lang", ps)
	pg.Description = t.plain("description", ps)
	pg.FinePrint = t.markdown("fine_print", ps)
	pg.Headline = t.plain("headline", ps)
	pg.Situation = t.markdown("situation", ps)
	pg.Related = t.markdown("related", ps)
	pg.Clients = t.markdown("clients", ps)
	pg.Repository = t.plain("repository", ps)
	pg.StatusNote = t.markdown("status_note", ps)
	pg.WhyCare = t.markdown("why_care", ps)
	pg.Footer = t.markdown("footer", ps)
	if v, ok := t.sub("verdict", ps); ok {
		v.only(verdictKeys, ps)
		pg.Verdict = render.VerdictWords{Dead: v.plain("dead", ps), Alive: v.plain("alive", ps), Partial: v.plain("partial", ps), Unknown: v.plain("unknown", ps)}
	}
	if faq, ok := t.subs("faq", ps); ok {
		pg.FAQ = make([]render.FAQ, 0, faq.len())
		for f := range faq.all(ps) {
			f.only(faqKeys, ps)
			pg.FAQ = append(pg.FAQ, render.FAQ{Question: f.plain("question", ps), Answer: f.markdown("answer", ps)})
		}
	}
	return p
}

// validate returns the page text.
func (p pageTable) validate(ps *problems) render.Page {
	pg := p.page
	if r := pg.Repository; r != "" && !absoluteHTTP(r) {
		ps.add(join(p.t.at(), "repository"), "page.repository %q is not an absolute http(s) address", r)
		pg.Repository = ""
	}
	return pg
}
