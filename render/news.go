package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// NewsEntry is one file of the news log.
type NewsEntry struct {
	File  string    // the path it was read from, e.g. "news/2017-05-19-all-gone.md"
	Date  time.Time // midnight UTC of its day
	Slug  string    // the file name between the date and ".md"
	Title string    // from the front matter; "" when it has none
	Body  string    // Markdown, without the front matter
}

// ID is the entry's anchor on the page, e.g. "news-2017-05-19-all-gone".
func (e NewsEntry) ID() string {
	return "news-" + e.Date.Format(time.DateOnly) + "-" + e.Slug
}

// Heading is the entry's title, or when it has none its slug as words
// ("all-gone" is "All gone"): the feed needs a title for every entry.
func (e NewsEntry) Heading() string {
	if e.Title != "" {
		return e.Title
	}
	s := strings.ReplaceAll(e.Slug, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// MaxNewsSize is the largest news file LoadNews accepts.
const MaxNewsSize = 64 << 10

// newsName is the name of a news file: the date, a slug of lower-case
// letters and digits in words joined by "-", and ".md".
var newsName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

// Slug makes a file-name slug of a title: lower-case ASCII letters and
// digits, words joined by "-", at most 60 characters; "news" if nothing is
// left.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	s := strings.TrimRight(b.String()[:min(b.Len(), 60)], "-")
	if s == "" {
		return "news"
	}
	return s
}

// LoadNews reads every news file in dir of fsys, newest first (same day:
// by slug). A news file is named YYYY-MM-DD-slug.md and holds Markdown,
// optionally after a front matter of TOML between two lines "+++":
//
//	+++
//	title = "All servers gone"   # optional, one line
//	date = 2017-05-19            # optional, must be the file name's date
//	+++
//	After a day of silence, …
//
// Files not ending in .md, README.md and folders are ignored. The error
// lists every problem of every file, each as "file:line: message"; it
// unwraps to one error per problem (errors.Join).
func LoadNews(fsys fs.FS, dir string) ([]NewsEntry, error) {
	des, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read news: %w", err)
	}
	var news []NewsEntry
	var errs []error
	for _, de := range des {
		name := de.Name()
		if de.IsDir() || !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") {
			continue
		}
		file := path.Join(dir, name)
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:1: %w", file, err))
			continue
		}
		e, ferrs := ParseNews(file, data)
		errs = append(errs, ferrs...)
		if len(ferrs) == 0 {
			news = append(news, e)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	SortNews(news)
	return news, nil
}

// SortNews sorts news newest first; entries of the same day by slug.
func SortNews(news []NewsEntry) {
	slices.SortStableFunc(news, func(a, b NewsEntry) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
}

// ParseNews parses one news file; file is its path, used for the name's
// date and slug and in the errors, which say "file:line: message".
func ParseNews(file string, data []byte) (NewsEntry, []error) {
	e := NewsEntry{File: file}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
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
	if len(data) > MaxNewsSize {
		fail(1, "file is larger than %d KiB", MaxNewsSize>>10)
		return e, errs
	}
	if !utf8.Valid(data) {
		fail(1, "file is not valid UTF-8")
		return e, errs
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimPrefix(text, "\ufeff")

	bodyLine := 1
	lines := strings.SplitAfter(text, "\n")
	if strings.TrimRight(lines[0], " \t\n") == "+++" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimRight(lines[i], " \t\n") == "+++" {
				end = i
				break
			}
		}
		if end < 0 {
			fail(1, "front matter opened with +++ is not closed by a line +++")
			return e, errs
		}
		front := strings.Join(lines[1:end], "")
		errs = append(errs, e.frontMatter(file, front)...)
		text = strings.Join(lines[end+1:], "")
		bodyLine = end + 2
	}
	e.Body = strings.TrimSpace(text)
	switch {
	case e.Body != "":
	case bodyLine == 1:
		fail(1, "the entry has no text")
	default:
		fail(bodyLine, "the entry has no text after its front matter")
	}
	return e, errs
}

// frontMatter decodes the TOML between the +++ lines (the file's lines from
// 2 on) into e, checking keys and types by hand so that every problem gets
// its line.
func (e *NewsEntry) frontMatter(file, front string) []error {
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
	var raw map[string]any
	if _, err := toml.Decode(front, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			fail(pe.Position.Line+1, "front matter: %s", pe.Message)
		} else {
			fail(2, "front matter: %v", err)
		}
		return errs
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return keyLine(front, a) - keyLine(front, b) })
	for _, k := range keys {
		line := keyLine(front, k) + 1
		switch v := raw[k].(type) {
		case string:
			if k != "title" {
				break
			}
			switch {
			case strings.TrimSpace(v) == "":
				fail(line, "front matter title is empty")
			case strings.ContainsAny(v, "\n\r"):
				fail(line, "front matter title must be one line")
			default:
				e.Title = strings.TrimSpace(v)
			}
			continue
		case time.Time:
			if k != "date" {
				break
			}
			d := time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)
			if !e.Date.IsZero() && !d.Equal(e.Date) {
				fail(line, "front matter date %s is not the file name's date %s", d.Format(time.DateOnly), e.Date.Format(time.DateOnly))
			}
			e.Date = d
			continue
		}
		switch k {
		case "title":
			fail(line, "front matter title must be a string, like title = \"Servers gone\"")
		case "date":
			fail(line, "front matter date must be a TOML date, like date = 2017-05-19")
		default:
			fail(line, "unknown front matter key %q (known: title, date)", k)
		}
	}
	return errs
}

// keyLine finds the line (1-based, within the front matter) that sets key,
// for error messages; 1 when no line obviously does.
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

// NewsFile is the text `deadyet news new` writes for a new entry: front
// matter with the title and date, and a line to replace.
func NewsFile(title string, date time.Time) []byte {
	var b bytes.Buffer
	b.WriteString("+++\n")
	// toml's encoder quotes the string the way TOML wants.
	_ = toml.NewEncoder(&b).Encode(struct {
		Title string `toml:"title"`
	}{title})
	fmt.Fprintf(&b, "date = %s\n", date.Format(time.DateOnly))
	b.WriteString("+++\n")
	b.WriteString("What happened, in a sentence or two of Markdown.\n")
	return b.Bytes()
}
