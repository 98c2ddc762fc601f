package config

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"time"
)

// The file is decoded by BurntSushi/toml into a generic tree (tables are
// map[string]any), which fails only on bad syntax; a table reads its values
// out of it with the type checks and messages of this package, and every key
// its reader does not know is an unknown key.

// table is one TOML table of the decoded tree.
type table struct {
	m     map[string]any
	name  string // the key as TOML spells it, for messages: "group.servers"
	path  string // where it is, for its line: "group[2].servers", or "group[2]" with index -1
	index int    // its index in the array at path; -1 when path is the table's own
}

// at is the path of the table itself: "group[2].servers[0]".
func (t table) at() string {
	if t.index < 0 {
		return t.path
	}
	return index(t.path, t.index)
}

// only reports every key of t that is not one of keys, in key order.
func (t table) only(keys []string, ps *problems) {
	var unknown []string
	for k := range t.m {
		if !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		ps.add(join(t.at(), k), "unknown key %q", join(t.name, k))
	}
}

// get is the value of key, and whether it is there with type T; a value of
// another type is reported as wanting want.
func get[T any](t table, key, want string, ps *problems) (T, bool) {
	var zero T
	v, ok := t.m[key]
	if !ok {
		return zero, false
	}
	x, ok := v.(T)
	if !ok {
		ps.add(join(t.at(), key), "%s: want %s, found %s", join(t.name, key), want, typeName(v))
	}
	return x, ok
}

func (t table) str(key string, ps *problems) (string, bool) {
	return get[string](t, key, "a string", ps)
}

func (t table) integer(key string, ps *problems) (int64, bool) {
	return get[int64](t, key, "an integer", ps)
}

func (t table) boolean(key string, ps *problems) (bool, bool) {
	return get[bool](t, key, "true or false", ps)
}

// strs is an array of strings.
func (t table) strs(key string, ps *problems) ([]string, bool) {
	a, ok := get[[]any](t, key, "an array of strings", ps)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(a))
	for i, v := range a {
		s, ok := v.(string)
		if !ok {
			ps.add(index(join(t.at(), key), i), "%s: want an array of strings, found %s in it", join(t.name, key), typeName(v))
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// sub is the table at key.
func (t table) sub(key string, ps *problems) (table, bool) {
	m, ok := get[map[string]any](t, key, "a table", ps)
	return table{m: m, name: join(t.name, key), path: join(t.at(), key), index: -1}, ok
}

// subs is the array of tables at key: [[key]], or an array of inline tables.
// present says whether the key is there at all, so that "key = []" can
// mean an empty list.
func (t table) subs(key string, ps *problems) (list tables, present bool) {
	v, ok := t.m[key]
	if !ok {
		return tables{}, false
	}
	list = tables{name: join(t.name, key), path: join(t.at(), key)}
	switch a := v.(type) {
	case []map[string]any:
		list.maps = a
	case []any:
		list.elems = a
	default:
		ps.add(list.path, "%s: want an array of tables, found %s", list.name, typeName(v))
	}
	return list, true
}

// tables is an array of tables as the tree holds it. Its tables are made
// one at a time, when they are read: a group of 100,000 servers costs no
// slice of 100,000 tables, and a table's path is a string only when a
// problem names it.
type tables struct {
	maps       []map[string]any // [[key]]
	elems      []any            // key = [{…}, …]: each should be a table
	name, path string           // those of each table
}

func (l tables) len() int { return len(l.maps) + len(l.elems) }

// get is table i, and whether element i is a table.
func (l tables) get(i int) (table, bool) {
	m, ok := map[string]any(nil), true
	if l.maps != nil {
		m = l.maps[i]
	} else {
		m, ok = l.elems[i].(map[string]any)
	}
	return table{m: m, name: l.name, path: l.path, index: i}, ok
}

// all yields the tables in order, and reports each element that is not a
// table.
func (l tables) all(ps *problems) iter.Seq[table] {
	return func(yield func(table) bool) {
		for i := range l.len() {
			t, ok := l.get(i)
			if !ok {
				ps.add(index(l.path, i), "%s: want an array of tables, found %s in it", l.name, typeName(l.elems[i]))
				continue
			}
			if !yield(t) {
				return
			}
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

type problems []problem

func (ps *problems) add(at, format string, args ...any) {
	*ps = append(*ps, problem{at: at, msg: fmt.Sprintf(format, args...)})
}

// twice adds a duplicate: at repeats what first defined.
func (ps *problems) twice(at, first, format string, args ...any) {
	*ps = append(*ps, problem{at: at, msg: fmt.Sprintf(format, args...), first: first})
}

// Error is one problem of a site.toml: "file:line: what is wrong", or
// "file: what is wrong" when it is about the file as a whole (Line 0).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}

// err places the problems on their lines, in one pass over data, and
// joins them sorted by line, one a line.
func (ps problems) err(file string, data []byte) error {
	if len(ps) == 0 {
		return nil
	}
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.at, p.first)
	}
	line := lines(data, paths)
	errs := make([]*Error, len(ps))
	for i, p := range ps {
		msg := p.msg
		if p.first != "" {
			msg += fmt.Sprintf(" (first on line %d)", line[p.first])
		}
		errs[i] = &Error{File: file, Line: line[p.at], Msg: msg}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	joined := make([]error, len(errs))
	for i, e := range errs {
		joined[i] = e
	}
	return errors.Join(joined...)
}
