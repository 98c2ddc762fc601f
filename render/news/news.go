// Package news reads the news log: news/YYYY-MM-DD-slug.md files of Markdown,
// each optionally after TOML front matter (title, date) between two lines
// "+++". Every problem is one error "file:line: message"; names that are not
// printable are quoted (%q). [NewFile] and [Slug] make a new entry.
package news

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/render/tomlscan"
)

// Entry is one file of the news log.
type Entry struct {
	File  string    // the path it was read from, e.g. "news/2017-05-19-all-gone.md"
	Date  time.Time // midnight UTC of its day
	Slug  string    // the file name between the date and ".md"
	Title string    // from the front matter; "" when it has none
	Body  string    // Markdown, without the front matter
}

// ID is the entry's anchor on the page, e.g. "news-2017-05-19-all-gone".
func (e Entry) ID() string {
	return "news-" + e.Date.Format(time.DateOnly) + "-" + e.Slug
}

// Heading is the entry's title, or its slug as words ("All gone").
func (e Entry) Heading() string {
	if e.Title != "" {
		return e.Title
	}
	s := strings.ReplaceAll(e.Slug, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// MaxSize is the largest news file Load reads: a news entry is a few
// paragraphs, and the largest of news/ is under 2 KB.
const MaxSize = 64 << 10

// newsName is the name of a news file: the date, a slug of lower-case
// letters and digits in words joined by "-", and ".md"; datedName one that
// starts like it.
var (
	newsName  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)
	datedName = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)
	nonSlug   = regexp.MustCompile(`[^a-z0-9]+`) // what a slug has none of
)

// Slug makes a file-name slug of a title: lower-case ASCII letters and
// digits, words joined by "-", at most 60 characters; "news" if nothing is
// left.
func Slug(title string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	return cmp.Or(strings.TrimRight(s[:min(len(s), 60)], "-"), "news")
}

// Load reads every entry in dir of fsys, newest first, and reports every
// problem of every file at once (errors.Join). README.md, hidden files and
// backups are skipped; what would never show (a dated name not ending in
// .md, a folder of .md files) and symbolic links are errors.
func Load(fsys fs.FS, dir string) ([]Entry, error) {
	des, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read news: %w", err)
	}
	var news []Entry
	var errs []error
	for _, de := range des {
		name := de.Name()
		file := path.Join(dir, name)
		switch {
		case strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.EqualFold(name, "README.md"):
			continue
		case de.IsDir():
			if holdsMarkdown(fsys, file) {
				errs = append(errs, fmt.Errorf("%s: folder holds .md files, which would never show: news entries go in %s itself", shownPath(file), shownPath(dir)))
			}
			continue
		case !strings.HasSuffix(name, ".md"):
			if datedName.MatchString(name) {
				errs = append(errs, fmt.Errorf("%s:1: file name %q starts with a date but does not end in .md, so it would never show; name it YYYY-MM-DD-slug.md", shownPath(file), name))
			}
			continue
		case !utf8.ValidString(name):
			// fs.FS cannot open it: say what is wrong with it, not "invalid argument".
			errs = append(errs, fmt.Errorf("%s:1: file name %q is not valid UTF-8; name it YYYY-MM-DD-slug.md", shownPath(file), name))
			continue
		case !de.Type().IsRegular():
			what := "not a regular file"
			if de.Type()&fs.ModeSymlink != 0 {
				what = "a symbolic link"
			}
			errs = append(errs, fmt.Errorf("%s:1: is %s; a news entry must be a file of its own", shownPath(file), what))
			continue
		}
		data, err := readAtMost(fsys, file, MaxSize+1) // Parse says when it is too large
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:1: %w", shownPath(file), err))
			continue
		}
		e, ferrs := Parse(file, data)
		errs = append(errs, ferrs...)
		if len(ferrs) == 0 {
			news = append(news, e)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	Sort(news)
	return news, nil
}

func readAtMost(fsys fs.FS, name string, n int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// shownPath is p, quoted (%q) unless it is printable text.
func shownPath(p string) string {
	if probe.PrintableLine(p) {
		return p
	}
	return strconv.Quote(p)
}

// MaxAhead is how far after now an entry may be dated: today anywhere.
const MaxAhead = 24 * time.Hour

// CheckDates refuses entries dated more than [MaxAhead] after now, which
// would stay on top of the page for years: one "file:1: …" each.
func CheckDates(news []Entry, now time.Time) error {
	var errs []error
	for _, e := range news {
		if e.Date.After(now.Add(MaxAhead)) {
			errs = append(errs, fmt.Errorf("%s:1: the entry is dated %s, more than a day after today (%s UTC): date it the day it happened",
				shownPath(e.File), e.Date.Format(time.DateOnly), now.UTC().Format(time.DateOnly)))
		}
	}
	return errors.Join(errs...)
}

// holdsMarkdown reports whether the folder dir of fsys has a .md file in it.
func holdsMarkdown(fsys fs.FS, dir string) bool {
	des, _ := fs.ReadDir(fsys, dir)
	for _, de := range des {
		if !de.IsDir() && strings.HasSuffix(strings.ToLower(de.Name()), ".md") {
			return true
		}
	}
	return false
}

// Sort sorts news newest first; entries of the same day by slug.
func Sort(news []Entry) {
	slices.SortStableFunc(news, func(a, b Entry) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
}

// Parse parses one news file; file is its path, which gives the date and
// slug. Control characters but tab and LF, and [probe.Invisible], are refused.
func Parse(file string, data []byte) (Entry, []error) {
	e := Entry{File: file}
	var errs []error
	shown := shownPath(file)
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", shown, line, fmt.Sprintf(format, args...)))
	}

	m := newsName.FindStringSubmatch(path.Base(file))
	if m == nil {
		fail(1, "file name %q is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)", path.Base(file))
	} else {
		d, err := time.Parse(time.DateOnly, m[1])
		if err != nil {
			fail(1, "file name %q has no such date %q", path.Base(file), m[1])
		} else {
			e.Date = d
		}
		e.Slug = m[2]
	}
	if len(data) > MaxSize {
		fail(1, "file is larger than %d KiB", MaxSize>>10)
		return e, errs
	}
	if !utf8.Valid(data) {
		fail(1, "file is not valid UTF-8")
		return e, errs
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")
	if i := probe.Control(text, true); i >= 0 {
		r, _ := utf8.DecodeRuneInString(text[i:])
		fail(1+strings.Count(text[:i], "\n"), "control character %U in the text", r)
		return e, errs
	}
	if i := probe.Invisible(text); i >= 0 {
		r, _ := utf8.DecodeRuneInString(text[i:])
		fail(1+strings.Count(text[:i], "\n"), "invisible character %U in the text (bidirectional and zero-width characters can make text read other than it is)", r)
		return e, errs
	}

	bodyLine := 1
	lines := strings.SplitAfter(text, "\n")
	fence := func(l string) string { return strings.TrimRight(l, " \t\n") }
	if fence(lines[0]) == "---" {
		fail(1, "a first line --- starts front matter in YAML, which news files do not use: write it in TOML between two lines +++ (title = \"…\", date = YYYY-MM-DD), as news/README.md shows")
		return e, errs
	}
	if fence(lines[0]) == "+++" {
		end := 1 + slices.IndexFunc(lines[1:], func(l string) bool { return fence(l) == "+++" })
		if end == 0 {
			fail(1, "front matter opened with +++ is not closed by a line +++")
			return e, errs
		}
		front := strings.Join(lines[1:end], "")
		e.frontMatter(front, fail)
		text = strings.Join(lines[end+1:], "")
		bodyLine = end + 2
	}
	e.Body = strings.TrimSpace(text)
	switch {
	case e.Body == Placeholder:
		fail(bodyLine, "the entry still has the placeholder text of \"deadyet news new\": write the news")
	case e.Body != "":
	case bodyLine == 1:
		fail(1, "the entry has no text")
	default:
		fail(bodyLine, "the entry has no text after its front matter")
	}
	return e, errs
}

// frontMatter decodes the TOML between the +++ lines (the file's lines from
// 2 on) into e. A map, not a struct: toml.Decode matches fields regardless
// of case, and "Title" is an unknown key.
func (e *Entry) frontMatter(front string, fail func(line int, format string, args ...any)) {
	if line, err := tomlscan.Check([]byte(front)); err != nil {
		fail(line+1, "front matter: %v", err)
		return
	}
	var raw map[string]any
	if _, err := toml.Decode(front, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			fail(pe.Position.Line+1, "front matter: %s", pe.Message)
		} else {
			fail(2, "front matter: %v", err)
		}
		return
	}
	keys := slices.SortedFunc(maps.Keys(raw), func(a, b string) int { return keyLine(front, a) - keyLine(front, b) })
	for _, k := range keys {
		line := keyLine(front, k) + 1
		switch k {
		case "title":
			v, ok := raw[k].(string)
			i := probe.Control(v, false)
			switch {
			case !ok:
				fail(line, "front matter title must be a string, like title = \"Servers gone\"")
			case strings.TrimSpace(v) == "":
				fail(line, "front matter title is empty")
			case strings.ContainsAny(v, "\n\r"):
				fail(line, "front matter title must be one line")
			case i >= 0:
				fail(line, "front matter title has a control character %U", []rune(v[i:])[0])
			default:
				e.Title = strings.TrimSpace(v)
			}
		case "date":
			v, ok := raw[k].(time.Time)
			if !ok {
				fail(line, "front matter date must be a TOML date, like date = 2017-05-19")
				continue
			}
			d := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
			if !e.Date.IsZero() && !d.Equal(e.Date) {
				fail(line, "front matter date %s is not the file name's date %s", d.Format(time.DateOnly), e.Date.Format(time.DateOnly))
			}
			e.Date = d
		default:
			fail(line, "unknown front matter key %q (known: title, date)", k)
		}
	}
}

// keyLine is the line (from 1, in the front matter) that sets key; 1 when
// no line obviously does.
func keyLine(front, key string) int {
	for i, l := range strings.Split(front, "\n") {
		l = strings.TrimSpace(l)
		for _, k := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if rest, ok := strings.CutPrefix(l, k); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
	}
	return 1
}

// Placeholder is the body [NewFile] leaves for the author to replace;
// [Parse] refuses an entry that still has it.
const Placeholder = "What happened, in a sentence or two of Markdown."

// NewFile is the text `deadyet news new` writes for a new entry: front
// matter with the title and date, and a line to replace.
func NewFile(title string, date time.Time) []byte {
	var b bytes.Buffer
	b.WriteString("+++\n")
	// toml's encoder quotes the string the way TOML wants.
	_ = toml.NewEncoder(&b).Encode(struct {
		Title string `toml:"title"`
	}{title})
	fmt.Fprintf(&b, "date = %s\n", date.Format(time.DateOnly))
	b.WriteString("+++\n")
	b.WriteString(Placeholder + "\n")
	return b.Bytes()
}
