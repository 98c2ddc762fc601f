package config

import (
	"cmp"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/BurntSushi/toml"
)

// value is one key's value as the file holds it. Every key of siteFile comes
// through one, so that a value of the wrong type is a problem of its own:
// toml.Decode would stop at the first, in an error that names no file line.
type value[T any] struct {
	raw any // nil when the key is missing
	v   T
	ok  bool // raw is a T
}

func (x *value[T]) UnmarshalTOML(raw any) error {
	x.raw = raw
	x.v, x.ok = raw.(T)
	return nil
}

// get is the value, and whether it is there and a T; one of another type is
// reported at p.
func (x value[T]) get(p place, ps *problems) (T, bool) {
	if x.raw != nil && !x.ok {
		ps.mistyped(p, "%s: want %s, found %s", p.name, typeName(*new(T)), typeName(x.raw))
	}
	return x.v, x.ok
}

// strs is an array of strings.
func strs(x value[[]any], p place, ps *problems) ([]string, bool) {
	if x.raw != nil && !x.ok {
		ps.mistyped(p, "%s: want an array of strings, found %s", p.name, typeName(x.raw))
	}
	out := make([]string, 0, len(x.v))
	for i, v := range x.v {
		s, ok := v.(string)
		if !ok {
			ps.mistyped(p.elem(i), "%s: want an array of strings, found %s in it", p.name, typeName(v))
			return nil, false
		}
		out = append(out, s)
	}
	return out, x.ok
}

// place is where a value is: at for its line, "group[2].servers[0].main"
// (see lines.go), and name for messages, "group.servers.main".
type place struct{ at, name string }

func (p place) key(k string) place { return place{join(p.at, k), join(p.name, k)} }
func (p place) elem(i int) place   { return place{p.at + "[" + strconv.Itoa(i) + "]", p.name} }

// shapes are the tables (and arrays of tables) of site.toml, by name; "*"
// stands for any key.
var shapes = map[string]string{
	"probe": "a table", "checks": "a table", "checks.*": "a table", "page": "a table", "page.verdict": "a table",
	"group": "an array of tables", "group.servers": "an array of tables", "page.faq": "an array of tables",
}

// shape reports each table of tree, the table at p, that shapes says is a
// table or an array of tables and is not one. toml.Decode would stop at
// the first, in an error that names no file line; so siteFile is decoded
// only when shape has found nothing.
func shape(tree map[string]any, p place, ps *problems) {
	for k, v := range tree {
		q := p.key(k)
		want := cmp.Or(shapes[q.name], shapes[join(p.name, "*")])
		elems, isArray := v.([]any)
		if aot, ok := v.([]map[string]any); ok {
			elems, isArray = make([]any, len(aot)), true
			for i, t := range aot {
				elems[i] = t
			}
		}
		t, isTable := v.(map[string]any)
		switch {
		case want == "":
		case want == "a table" && isTable:
			shape(t, q, ps)
		case want == "an array of tables" && isArray:
			for i, e := range elems {
				if t, ok := e.(map[string]any); ok {
					shape(t, q.elem(i), ps)
				} else {
					ps.add(q.elem(i).at, "%s: want an array of tables, found %s in it", q.name, typeName(e))
				}
			}
		default:
			ps.add(q.at, "%s: want %s, found %s", q.name, want, typeName(v))
		}
	}
}

// typeName says the type of a decoded value the way a site.toml author
// thinks of it.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	case time.Time: // every kind of TOML date and time
		return "a date"
	}
	return fmt.Sprintf("a %T", v)
}

// problem is one thing wrong, placed by the path of what it is about.
type problem struct {
	at    string // path whose line it is on; "" for the file as a whole
	msg   string
	first string // path of the first definition of a duplicate, said as " (first on line N)"
}

// problems are a file's problems, and what places them on their lines.
type problems struct {
	list  []problem
	data  []byte
	lines *finder         // made at the first need
	wrong map[string]bool // names of the values of a wrong type, whose keys are not looked into
}

func (ps *problems) add(at, format string, args ...any) {
	ps.list = append(ps.list, problem{at: at, msg: fmt.Sprintf(format, args...)})
}

// twice adds a duplicate: at repeats what first defined.
func (ps *problems) twice(at, first, format string, args ...any) {
	ps.list = append(ps.list, problem{at: at, msg: fmt.Sprintf(format, args...), first: first})
}

func (ps *problems) mistyped(p place, format string, args ...any) {
	if ps.wrong == nil {
		ps.wrong = map[string]bool{}
	}
	ps.wrong[p.name] = true
	ps.add(p.at, format, args...)
}

func (ps *problems) finder() *finder {
	if ps.lines == nil {
		ps.lines = findLines(ps.data)
	}
	return ps.lines
}

// unknown reports the keys that no field of siteFile took, but those
// inside one it reports, or inside a value of the wrong type. toml.Decode
// also matches a key to a field case-insensitively; every key of
// site.toml is lower case, so one that is not is unknown too.
func (ps *problems) unknown(md toml.MetaData) {
	bad := map[string]bool{}
	for _, k := range md.Undecoded() {
		bad[name(k)] = true
	}
	nth, said := map[string]int{}, map[string]bool{}
next:
	for _, k := range md.Keys() {
		full := name(k)
		if !bad[full] && !folded(k) {
			continue
		}
		bad[full] = true
		for i := 1; i < len(k); i++ {
			if bad[name(k[:i])] || ps.wrong[name(k[:i])] {
				continue next
			}
		}
		at := ps.finder().occurrence(full, nth[full])
		if nth[full]++; !said[at] {
			said[at] = true
			ps.add(at, "unknown key %q", full)
		}
	}
}

// name is k as a path of keys.
func name(k toml.Key) string {
	p := ""
	for _, part := range k {
		p = join(p, part)
	}
	return p
}

// folded reports whether k holds a part that only a case-insensitive match
// can have given to a field: one with an upper-case or non-ASCII letter,
// but for the name of a check, which validName judges.
func folded(k toml.Key) bool {
	for i, part := range k {
		if i == 1 && k[0] == "checks" {
			continue
		}
		for j := 0; j < len(part); j++ {
			if c := part[j]; c >= 'A' && c <= 'Z' || c >= 0x80 {
				return true
			}
		}
	}
	return false
}

// err places the problems on their lines and joins them sorted by line,
// one a line.
func (ps *problems) err(file string) error {
	if len(ps.list) == 0 {
		return nil
	}
	errs := make([]error, len(ps.list))
	for i, p := range ps.list {
		msg := p.msg
		if p.first != "" {
			msg += fmt.Sprintf(" (first on line %d)", ps.finder().at[p.first])
		}
		errs[i] = &Error{File: file, Line: ps.finder().at[p.at], Msg: msg}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].(*Error).Line < errs[j].(*Error).Line })
	return errors.Join(errs...)
}
