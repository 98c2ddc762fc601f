package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/render"
)

// siteFile is site.toml as written. Decoding is strict: every key must land in
// a field here (or in render.Page), and validate checks what types cannot.
type siteFile struct {
	Title  string                `toml:"title"`
	URL    string                `toml:"url"`
	Probe  probeTable            `toml:"probe"`
	Checks map[string]checkTable `toml:"checks"`
	Group  []groupTable          `toml:"group"`
	Page   toml.Primitive        `toml:"page"`
}

type probeTable struct {
	Timeout     *string `toml:"timeout"`
	Attempts    *int    `toml:"attempts"`
	Concurrency *int    `toml:"concurrency"`
}

type checkTable struct {
	Label   string `toml:"label"`
	Kind    string `toml:"kind"`
	Port    *int   `toml:"port"`
	Version string `toml:"version"`
	Via     string `toml:"via"`
	Scan    *bool  `toml:"scan"`
	About   string `toml:"about"`
}

type groupTable struct {
	Name    string        `toml:"name"`
	Title   string        `toml:"title"`
	About   string        `toml:"about"`
	Checks  []string      `toml:"checks"`
	Servers []serverTable `toml:"servers"`
}

type serverTable struct {
	Address string `toml:"address"`
	Main    bool   `toml:"main"`
	Note    string `toml:"note"`
}

// site is a decoded, validated site.toml.
type site struct {
	Probe probe.Config
	Page  render.Page
}

// loadConfig reads and validates the site.toml at path. Every problem is one
// line "path:line: what is wrong"; several are joined with newlines.
func loadConfig(path string) (*site, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %w", path, unwrapPathError(err))
	}
	return parseConfig(path, data)
}

// unwrapPathError drops the "open path:" prefix the caller already prints.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var (
	mismatchRE = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): incompatible types: TOML value has type (\S+); destination has type (.+)$`)
	keyRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

func parseConfig(path string, data []byte) (*site, error) {
	pos := newTOMLLines(data)
	var f siteFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, decodeError(path, pos, err)
	}
	page := render.Page{}
	if err := md.PrimitiveDecode(f.Page, &page); err != nil {
		return nil, decodeError(path, pos, err)
	}
	v := &validator{path: path, pos: pos}
	for _, k := range md.Undecoded() {
		v.add(pos.pathLine(k), "unknown key %q", k.String())
	}
	s := &site{Page: page}
	s.Page.Title, s.Page.URL = f.Title, f.URL
	s.Probe = v.probeConfig(f)
	if f.URL != "" && !absoluteHTTP(f.URL) {
		v.add(v.tableKeyLine("", 0, "url"), "url %q is not an absolute http(s) address", f.URL)
	}
	if r := page.Repository; r != "" && !absoluteHTTP(r) {
		v.add(v.tableKeyLine("page", 0, "repository"), "page.repository %q is not an absolute http(s) address", r)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// absoluteHTTP reports whether s is an absolute http or https URL.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// decodeError turns a toml error into "path:line: message".
func decodeError(path string, pos *tomlLines, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) && pos.keyLine(pe.Position.Line, pe.Position.Line+1, lastElem(pe.LastKey)) != 0 {
			msg = pe.LastKey + ": " + msg
		}
		return fmt.Errorf("%s:%d: %s", path, pe.Position.Line, msg)
	}
	if m := mismatchRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		if l := pos.typedLine(strings.Split(m[2], "."), m[3]); l != 0 {
			line = l
		}
		return fmt.Errorf("%s:%d: %s: want %s, found %s", path, line, m[2], tomlTypeName(m[4]), tomlTypeName(m[3]))
	}
	return fmt.Errorf("%s: %w", path, err)
}

func lastElem(key string) string {
	return key[strings.LastIndexByte(key, '.')+1:]
}

// tomlTypeName says a Go or TOML type name the way a site.toml author thinks of it.
func tomlTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "*int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string", t == "*string", strings.HasPrefix(t, "primitive (string"):
		return "a string"
	case t == "bool", t == "*bool", t == "boolean":
		return "true or false"
	case strings.HasPrefix(t, "[]"), t == "slice":
		return "an array"
	case strings.HasPrefix(t, "map"), strings.Contains(t, "Table"), strings.Contains(t, "struct"), strings.HasPrefix(t, "main."), strings.HasPrefix(t, "render."):
		return "a table"
	case strings.Contains(t, "time"):
		return "a date"
	}
	return t
}

// typedLine finds the assignment of path whose value has the TOML type the
// decoder complained of. The decoder's own line is that of the key's last
// occurrence, which is wrong for keys inside [[group]] tables.
func (t *tomlLines) typedLine(path []string, tomlType string) int {
	key := path[len(path)-1]
	want := tomlTypeName(tomlType)
	re := regexp.MustCompile(`(^|[\s{,])["']?` + regexp.QuoteMeta(key) + `["']?\s*=\s*(.)`)
	name := strings.Join(path[:len(path)-1], ".")
	for len(name) > 0 {
		for n := 0; ; n++ {
			from, to := t.block(name, n)
			if from == 0 {
				break
			}
			l := t.findLine(from, to, func(l string) bool {
				m := re.FindStringSubmatch(stripComment(l))
				return m != nil && valueType(m[2]) == want
			})
			if l != 0 {
				return l
			}
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			break
		}
		name = name[:i]
	}
	return 0
}

func valueType(first string) string {
	switch c := first[0]; {
	case c == '"' || c == '\'':
		return "a string"
	case c == '[':
		return "an array"
	case c == '{':
		return "a table"
	case c == 't' || c == 'f':
		return "true or false"
	default:
		return "an integer"
	}
}

// validator collects the problems of one file.
type validator struct {
	path     string
	pos      *tomlLines
	problems []problem
}

type problem struct {
	line int
	msg  string
}

func (v *validator) add(line int, format string, args ...any) {
	v.problems = append(v.problems, problem{line, fmt.Sprintf(format, args...)})
}

// err returns the problems sorted by line, one per line of text.
func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].line < v.problems[j].line })
	errs := make([]error, len(v.problems))
	for i, p := range v.problems {
		if p.line > 0 {
			errs[i] = fmt.Errorf("%s:%d: %s", v.path, p.line, p.msg)
		} else {
			errs[i] = fmt.Errorf("%s: %s", v.path, p.msg)
		}
	}
	return errors.Join(errs...)
}

// tableKeyLine is the line of key in table [name], or of the header itself.
func (v *validator) tableKeyLine(name string, n int, key string) int {
	from, to := v.pos.block(name, n)
	if key == "" {
		return from
	}
	if l := v.pos.keyLine(from, to, key); l != 0 {
		return l
	}
	return from
}

func (v *validator) probeConfig(f siteFile) probe.Config {
	c := probe.Config{
		Timeout:     probe.DefaultTimeout,
		Attempts:    probe.DefaultAttempts,
		Concurrency: probe.DefaultConcurrency,
		Checks:      map[string]probe.Check{},
	}
	if p := f.Probe.Timeout; p != nil {
		d, err := time.ParseDuration(*p)
		switch {
		case err != nil:
			v.add(v.tableKeyLine("probe", 0, "timeout"), "probe.timeout: %q is not a duration (write it like \"3s\" or \"500ms\")", *p)
		case d <= 0 || d > 5*time.Minute:
			v.add(v.tableKeyLine("probe", 0, "timeout"), "probe.timeout: %q is outside 1ms–5m", *p)
		default:
			c.Timeout = d
		}
	}
	if p := f.Probe.Attempts; p != nil {
		if *p < 1 || *p > 10 {
			v.add(v.tableKeyLine("probe", 0, "attempts"), "probe.attempts: %d is outside 1–10", *p)
		} else {
			c.Attempts = *p
		}
	}
	if p := f.Probe.Concurrency; p != nil {
		if *p < 1 || *p > 10000 {
			v.add(v.tableKeyLine("probe", 0, "concurrency"), "probe.concurrency: %d is outside 1–10000", *p)
		} else {
			c.Concurrency = *p
		}
	}

	if len(f.Checks) == 0 {
		v.add(0, "no [checks.*] table: define at least one check")
	}
	keys := make([]string, 0, len(f.Checks))
	for k := range f.Checks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ch, ok := v.check(k, f.Checks[k]); ok {
			c.Checks[k] = ch
		}
	}

	if len(f.Group) == 0 {
		v.add(0, "no [[group]] table: define at least one group of servers")
	}
	names := map[string]int{}
	for i, g := range f.Group {
		from, _ := v.pos.block("group", i)
		line := func(key string) int { return v.tableKeyLine("group", i, key) }
		switch {
		case g.Name == "":
			v.add(from, "group %d has no name", i+1)
		case !keyRE.MatchString(g.Name):
			v.add(line("name"), "group name %q: use lower-case letters, digits, '-' and '_'", g.Name)
		case names[g.Name] != 0:
			v.add(line("name"), "group %q is defined twice (first on line %d)", g.Name, names[g.Name])
		default:
			names[g.Name] = line("name")
		}
		if len(g.Checks) == 0 {
			v.add(from, "group %q lists no checks", g.Name)
		}
		seenCheck := map[string]bool{}
		for _, k := range g.Checks {
			switch {
			case seenCheck[k]:
				v.add(line("checks"), "group %q lists check %q twice", g.Name, k)
			case len(f.Checks) > 0 && !hasKey(f.Checks, k):
				v.add(line("checks"), "group %q names check %q, but no [checks.%s] table defines it", g.Name, k, k)
			}
			seenCheck[k] = true
		}
		if len(g.Servers) == 0 {
			v.add(from, "group %q lists no servers", g.Name)
		}
		first := map[string]int{}
		servers := make([]probe.Server, 0, len(g.Servers))
		_, to := v.pos.block("group", i)
		for _, s := range g.Servers {
			quoted := strconv.Quote(s.Address)
			l := v.pos.textLine(from, to, quoted, 0)
			if first[s.Address] != 0 {
				l = v.pos.textLine(from, to, quoted, 1)
			}
			if l == 0 {
				l = line("servers")
			}
			switch {
			case s.Address == "":
				v.add(line("servers"), "group %q has a server without an address", g.Name)
			case !validAddress(s.Address):
				v.add(l, "group %q: address %q is not an IP address or host name (no port, no scheme)", g.Name, s.Address)
			case first[s.Address] != 0:
				v.add(l, "group %q lists address %q twice (first on line %d)", g.Name, s.Address, first[s.Address])
			default:
				first[s.Address] = l
			}
			servers = append(servers, probe.Server{Address: s.Address, Main: s.Main, Note: s.Note})
		}
		c.Groups = append(c.Groups, probe.Group{Name: g.Name, Title: g.Title, About: g.About, Checks: g.Checks, Servers: servers})
	}
	return c
}

func hasKey(m map[string]checkTable, k string) bool {
	_, ok := m[k]
	return ok
}

func validAddress(a string) bool { return probe.ValidHost(a) }

// check validates one [checks.key] table.
func (v *validator) check(key string, t checkTable) (probe.Check, bool) {
	name := "checks." + key
	line := func(k string) int { return v.tableKeyLine(name, 0, k) }
	n := len(v.problems)
	c := probe.Check{Key: key, Label: t.Label, Kind: probe.Kind(t.Kind), Version: t.Version, Via: probe.Via(t.Via), Scan: true, About: t.About}
	if !keyRE.MatchString(key) {
		v.add(line(""), "check name %q: use lower-case letters, digits, '-' and '_'", key)
	}
	if c.Label == "" {
		c.Label = key
	}
	if t.Scan != nil {
		c.Scan = *t.Scan
	}
	if t.Port != nil {
		if *t.Port < 1 || *t.Port > 65535 {
			v.add(line("port"), "%s.port: %d is outside 1–65535", name, *t.Port)
		}
		c.Port = *t.Port
	}
	switch c.Kind {
	case probe.TCP:
		if t.Port == nil {
			v.add(line("kind"), "%s: a tcp check needs a port", name)
		}
		if t.Version != "" {
			v.add(line("version"), "%s.version: only msnp checks have a version", name)
		}
		if t.Via != "" {
			v.add(line("via"), "%s.via: only msnp checks have a via", name)
		}
	case probe.MSNP:
		switch {
		case t.Version == "":
			v.add(line("kind"), "%s: an msnp check needs a version, like \"MSNP21\"", name)
		case !probe.ValidVersion(t.Version):
			v.add(line("version"), "%s.version: %q is not of the form MSNP<n>, like \"MSNP21\"", name, t.Version)
		}
		switch c.Via {
		case "":
			c.Via = probe.Direct
		case probe.Direct, probe.HTTP, probe.HTTPS:
		default:
			v.add(line("via"), "%s.via: %q is not one of direct, http, https", name, t.Via)
		}
	case "":
		v.add(line(""), "%s: kind is missing (tcp or msnp)", name)
	default:
		v.add(line("kind"), "%s.kind: %q is not one of tcp, msnp", name, t.Kind)
	}
	return c, len(v.problems) == n
}
