package config

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"deadyet/probe"
	"deadyet/render"
)

// The tables of site.toml, each a struct that toml.Decode fills and a
// validate method that holds its rules.

type siteFile struct {
	Title  value[string]         `toml:"title"`
	URL    value[string]         `toml:"url"`
	Probe  probeTable            `toml:"probe"`
	Checks map[string]checkTable `toml:"checks"`
	Group  []groupTable          `toml:"group"`
	Page   pageTable             `toml:"page"`
}

func (f *siteFile) validate(ps *problems) *Site {
	top := place{}
	s := &Site{Probe: f.Probe.validate(top.key("probe"), ps)}
	if len(f.Checks) == 0 {
		ps.add("", "no [checks.*] table: define at least one check")
	}
	s.Probe.Checks = make(map[string]probe.Check, len(f.Checks))
	for _, k := range slices.Sorted(maps.Keys(f.Checks)) {
		if c, ok := f.Checks[k].validate(k, top.key("checks").key(k), ps); ok {
			s.Probe.Checks[k] = c
		}
	}
	if len(f.Group) == 0 {
		ps.add("", "no [[group]] table: define at least one group of servers")
	}
	names := map[string]string{} // group name → path of its name
	for i, g := range f.Group {
		s.Probe.Groups = append(s.Probe.Groups, g.validate(i, f.Checks, names, ps))
	}
	s.Page = f.Page.validate(top.key("page"), ps)
	s.Page.Title = plain(f.Title, top.key("title"), ps)
	if u, ok := f.URL.get(top.key("url"), ps); ok {
		if absoluteHTTP(u) {
			s.Page.URL = u
		} else {
			ps.add("url", "url %q is not an absolute http(s) address", u)
		}
	}
	return s
}

// absoluteHTTP reports whether s is an absolute http or https URL.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// validName matches a check or group name, a key of results.json and of
// the history.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`).MatchString

// probeTable is [probe].
type probeTable struct {
	Timeout     value[string] `toml:"timeout"`
	Attempts    value[int64]  `toml:"attempts"`
	Concurrency value[int64]  `toml:"concurrency"`
	Account     value[string] `toml:"account"`
}

// validate returns the run's settings, the defaults where a key is missing
// or wrong.
func (t probeTable) validate(p place, ps *problems) probe.Config {
	c := probe.Config{Timeout: probe.DefaultTimeout, Attempts: probe.DefaultAttempts, Concurrency: probe.DefaultConcurrency, Account: probe.DefaultAccount}
	if s, ok := t.Timeout.get(p.key("timeout"), ps); ok {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil:
			ps.add("probe.timeout", "probe.timeout: %q is not a duration (write it like \"3s\" or \"500ms\")", s)
		case !probe.ValidTimeout(d):
			ps.add("probe.timeout", "probe.timeout: %q is outside %s", s, probe.TimeoutBounds())
		default:
			c.Timeout = d
		}
	}
	c.Attempts = bounded(t.Attempts, p.key("attempts"), probe.MaxAttempts, c.Attempts, ps)
	c.Concurrency = bounded(t.Concurrency, p.key("concurrency"), probe.MaxConcurrency, c.Concurrency, ps)
	if a, ok := t.Account.get(p.key("account"), ps); ok {
		if probe.ValidAccount(a) {
			c.Account = a
		} else {
			ps.add(p.key("account").at, "probe.account: %q is not an address like %q (no spaces or control characters)", a, probe.DefaultAccount)
		}
	}
	return c
}

// bounded is the integer x at p when it is within 1–most, else def.
func bounded(x value[int64], p place, most, def int, ps *problems) int {
	n, ok := x.get(p, ps)
	if ok && (n < 1 || n > int64(most)) {
		ps.add(p.at, "%s: %d is outside 1–%d", p.name, n, most)
	} else if ok {
		return int(n)
	}
	return def
}

// checkTable is one [checks.KEY]: a column of the tables.
type checkTable struct {
	Label   value[string] `toml:"label"`
	Kind    value[string] `toml:"kind"`
	Port    value[int64]  `toml:"port"`
	Version value[string] `toml:"version"`
	Via     value[string] `toml:"via"`
	Scan    value[bool]   `toml:"scan"`
	About   value[string] `toml:"about"`
}

// validate returns the check at p, and whether it is sound.
func (t checkTable) validate(key string, p place, ps *problems) (probe.Check, bool) {
	n := len(ps.list)
	name := p.name
	c := probe.Check{Key: key, Label: plain(t.Label, p.key("label"), ps), About: markdown(t.About, p.key("about"), ps), Scan: true}
	kind, _ := t.Kind.get(p.key("kind"), ps)
	c.Kind = probe.Kind(kind)
	c.Version, _ = t.Version.get(p.key("version"), ps)
	via, _ := t.Via.get(p.key("via"), ps)
	c.Via = probe.Via(via)
	if !validName(key) {
		ps.add(p.at, "check name %q: use lower-case letters, digits, '-' and '_'", key)
	}
	if c.Label == "" {
		c.Label = key
	}
	if scan, ok := t.Scan.get(p.key("scan"), ps); ok {
		c.Scan = scan
	}
	c.Port = bounded(t.Port, p.key("port"), 65535, 0, ps)
	what := map[probe.Kind]string{probe.MSNP: "an msnp check", probe.SignIn: "a signin check"}[c.Kind]
	switch {
	case c.Kind == probe.TCP:
		if t.Port.raw == nil {
			ps.add(p.key("kind").at, "%s: a tcp check needs a port", name)
		}
		if t.Version.raw != nil {
			ps.add(p.key("version").at, "%s.version: only msnp and signin checks have a version", name)
		}
		if t.Via.raw != nil {
			ps.add(p.key("via").at, "%s.via: only msnp and signin checks have a via", name)
		}
	case what != "":
		switch n, _ := strconv.Atoi(strings.TrimPrefix(c.Version, "MSNP")); {
		case t.Version.raw == nil:
			ps.add(p.key("kind").at, "%s: %s needs a version, like \"MSNP21\"", name, what)
		case t.Version.ok && !probe.ValidVersion(c.Version):
			ps.add(p.key("version").at, "%s.version: %q is not of the form MSNP<n>, like \"MSNP21\"", name, c.Version)
		case c.Kind == probe.SignIn && t.Version.ok && n < 8:
			ps.add(p.key("version").at, "%s.version: %q has no sign-in a signin check can start: use MSNP8 or later", name, c.Version)
		}
		if !t.Via.ok {
			c.Via = probe.Direct
		}
		if c.Via != probe.Direct && c.Via != probe.HTTP && c.Via != probe.HTTPS {
			ps.add(p.key("via").at, "%s.via: %q is not one of direct, http, https", name, c.Via)
		}
	case t.Kind.raw == nil:
		ps.add(p.at, "%s: kind is missing (tcp, msnp or signin)", name)
	case t.Kind.ok:
		ps.add(p.key("kind").at, "%s.kind: %q is not one of tcp, msnp, signin", name, c.Kind)
	}
	return c, len(ps.list) == n
}

// groupTable is one [[group]]: a table of the page.
type groupTable struct {
	Name    value[string] `toml:"name"`
	Title   value[string] `toml:"title"`
	About   value[string] `toml:"about"`
	Checks  value[[]any]  `toml:"checks"`
	Servers []serverTable `toml:"servers"`
	Verdict value[bool]   `toml:"verdict"` // false: apart from the verdict
}

// validate returns group i. checks are the file's checks; names holds the
// groups read before, by name.
func (g groupTable) validate(i int, checks map[string]checkTable, names map[string]string, ps *problems) probe.Group {
	p := place{}.key("group").elem(i)
	grp := probe.Group{Title: plain(g.Title, p.key("title"), ps), About: markdown(g.About, p.key("about"), ps)}
	grp.Name, _ = g.Name.get(p.key("name"), ps)
	if v, ok := g.Verdict.get(p.key("verdict"), ps); ok {
		grp.Apart = !v
	}
	switch at := p.key("name").at; {
	case g.Name.raw == nil:
		ps.add(p.at, "group %d has no name", i+1)
	case !g.Name.ok:
	case !validName(grp.Name):
		ps.add(at, "group name %q: use lower-case letters, digits, '-' and '_'", grp.Name)
	case names[grp.Name] != "":
		ps.twice(at, names[grp.Name], "group %q is defined twice", grp.Name)
	default:
		names[grp.Name] = at
	}
	var ok bool
	if grp.Checks, ok = strs(g.Checks, p.key("checks"), ps); len(grp.Checks) == 0 && (ok || g.Checks.raw == nil) {
		ps.add(p.at, "group %q lists no checks", grp.Name)
	}
	for j, k := range grp.Checks {
		switch _, defined := checks[k]; {
		case slices.Contains(grp.Checks[:j], k):
			ps.add(p.key("checks").elem(j).at, "group %q lists check %q twice", grp.Name, k)
		case len(checks) > 0 && !defined:
			ps.add(p.key("checks").elem(j).at, "group %q names check %q, but no [checks.%s] table defines it", grp.Name, k, k)
		}
	}
	if len(g.Servers) == 0 {
		ps.add(p.at, "group %q lists no servers", grp.Name)
	}
	first := map[string]int{} // canonical address → index in g.Servers
	for j, s := range g.Servers {
		if srv, ok := s.validate(grp.Name, p.key("servers"), j, g.Servers, first, ps); ok {
			grp.Servers = append(grp.Servers, srv)
		}
	}
	return grp
}

// serverTable is one entry of a group's servers.
type serverTable struct {
	Address value[string] `toml:"address"`
	Main    value[bool]   `toml:"main"`
	Note    value[string] `toml:"note"`
}

// validate returns the server all[i] of group, and whether it is sound.
// first holds the canonical addresses of the servers before it.
func (s serverTable) validate(group string, servers place, i int, all []serverTable, first map[string]int, ps *problems) (probe.Server, bool) {
	p := servers.elem(i)
	at := func(i int) string { return servers.elem(i).key("address").at }
	srv := probe.Server{Note: plain(s.Note, p.key("note"), ps)}
	srv.Main, _ = s.Main.get(p.key("main"), ps)
	srv.Address, _ = s.Address.get(p.key("address"), ps)
	if s.Address.raw == nil {
		ps.add(p.at, "group %q has a server without an address", group)
	}
	if !s.Address.ok {
		return srv, false
	}
	canon, err := probe.CanonicalHost(srv.Address)
	if err != nil {
		ps.add(at(i), "group %q: %v", group, err)
		return srv, false
	}
	if j, dup := first[canon]; dup {
		if a := all[j].Address.v; a == srv.Address {
			ps.twice(at(i), at(j), "group %q lists address %q twice", group, a)
		} else {
			ps.twice(at(i), at(j), "group %q lists address %q twice: it is the same as %q", group, srv.Address, a)
		}
		return srv, false
	}
	first[canon] = i
	return srv, true
}

// pageTable is [page]: the page's words.
type pageTable struct {
	Lang        value[string] `toml:"lang"`
	Description value[string] `toml:"description"`
	FinePrint   value[string] `toml:"fine_print"`
	Headline    value[string] `toml:"headline"`
	Situation   value[string] `toml:"situation"`
	Related     value[string] `toml:"related"`
	Clients     value[string] `toml:"clients"`
	Repository  value[string] `toml:"repository"`
	StatusNote  value[string] `toml:"status_note"`
	WhyCare     value[string] `toml:"why_care"`
	Footer      value[string] `toml:"footer"`
	Verdict     struct {
		Dead    value[string] `toml:"dead"`
		Alive   value[string] `toml:"alive"`
		Partial value[string] `toml:"partial"`
		Unknown value[string] `toml:"unknown"`
	} `toml:"verdict"`
	FAQ []struct {
		Question value[string] `toml:"question"`
		Answer   value[string] `toml:"answer"`
	} `toml:"faq"`
}

// validate returns the page text.
func (t pageTable) validate(p place, ps *problems) render.Page {
	pg := render.Page{
		Lang:        plain(t.Lang, p.key("lang"), ps),
		Description: plain(t.Description, p.key("description"), ps),
		FinePrint:   markdown(t.FinePrint, p.key("fine_print"), ps),
		Headline:    plain(t.Headline, p.key("headline"), ps),
		Situation:   markdown(t.Situation, p.key("situation"), ps),
		Related:     markdown(t.Related, p.key("related"), ps),
		Clients:     markdown(t.Clients, p.key("clients"), ps),
		Repository:  plain(t.Repository, p.key("repository"), ps),
		StatusNote:  markdown(t.StatusNote, p.key("status_note"), ps),
		WhyCare:     markdown(t.WhyCare, p.key("why_care"), ps),
		Footer:      markdown(t.Footer, p.key("footer"), ps),
	}
	v := p.key("verdict")
	pg.Verdict = render.VerdictWords{
		Dead:    plain(t.Verdict.Dead, v.key("dead"), ps),
		Alive:   plain(t.Verdict.Alive, v.key("alive"), ps),
		Partial: plain(t.Verdict.Partial, v.key("partial"), ps),
		Unknown: plain(t.Verdict.Unknown, v.key("unknown"), ps),
	}
	for i, f := range t.FAQ {
		q := p.key("faq").elem(i)
		pg.FAQ = append(pg.FAQ, render.FAQ{Question: plain(f.Question, q.key("question"), ps), Answer: markdown(f.Answer, q.key("answer"), ps)})
	}
	if r := pg.Repository; r != "" && !absoluteHTTP(r) {
		ps.add(p.key("repository").at, "page.repository %q is not an absolute http(s) address", r)
		pg.Repository = ""
	}
	return pg
}
