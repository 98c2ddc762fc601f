package news

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestParseNewsErrors(t *testing.T) {
	tests := []struct {
		name string // the file name in news/
		data string
		want string // the errors, "file:line: message", one a line
	}{
		{"2017-05-19.md", "text", `news/2017-05-19.md:1: file name "2017-05-19.md" is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)`},
		{"2017-05-19-Gone.md", "text", `news/2017-05-19-Gone.md:1: file name "2017-05-19-Gone.md" is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)`},
		{"2017-02-30-gone.md", "text", `news/2017-02-30-gone.md:1: file name "2017-02-30-gone.md" has no such date "2017-02-30"`},
		{"2017-05-19-gone.md", "", `news/2017-05-19-gone.md:1: the entry has no text`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\n+++\n\n  \n", `news/2017-05-19-gone.md:4: the entry has no text after its front matter`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\ntext", `news/2017-05-19-gone.md:1: front matter opened with +++ is not closed by a line +++`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\ntitle = \"Again\"\n+++\ntext", `news/2017-05-19-gone.md:3: front matter: Key 'title' has already been defined.`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\n+++\ntext", `news/2017-05-19-gone.md:2: front matter: strings cannot contain newlines`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\nauthor = \"me\"\n+++\ntext", `news/2017-05-19-gone.md:3: unknown front matter key "author" (known: title, date)`},
		{"2017-05-19-gone.md", "+++\ntitle = 3\n+++\ntext", `news/2017-05-19-gone.md:2: front matter title must be a string, like title = "Servers gone"`},
		{"2017-05-19-gone.md", "+++\ntitle = \" \"\n+++\ntext", `news/2017-05-19-gone.md:2: front matter title is empty`},
		{"2017-05-19-gone.md", "+++\ntitle = \"a\\nb\"\n+++\ntext", `news/2017-05-19-gone.md:2: front matter title must be one line`},
		{"2017-05-19-gone.md", "+++\n\ndate = \"2017-05-19\"\n+++\ntext", `news/2017-05-19-gone.md:3: front matter date must be a TOML date, like date = 2017-05-19`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\ndate = 2017-05-18\n+++\ntext", `news/2017-05-19-gone.md:3: front matter date 2017-05-18 is not the file name's date 2017-05-19`},
		{"2017-05-19-gone.md", "text \xff", `news/2017-05-19-gone.md:1: file is not valid UTF-8`},
		{"2017-05-19-gone.md", strings.Repeat("x", MaxSize+1), `news/2017-05-19-gone.md:1: file is larger than 64 KiB`},
		{"2017-05-19-gone.md", "fine\nbell \a here\n", `news/2017-05-19-gone.md:2: control character U+0007 in the text`},
		{"2017-05-19-gone.md", "+++\ntitle = \"a\\u001bb\"\n+++\ntext", `news/2017-05-19-gone.md:2: front matter title has a control character U+001B`},
		{"2017-05-19-gone.md", "ok\n\n\u0085", `news/2017-05-19-gone.md:3: control character U+0085 in the text`},
		{"2017-05-19-gone.md", "del \x7f", `news/2017-05-19-gone.md:1: control character U+007F in the text`},
		{"2017-05-19-gone.md", "a lone\rcarriage return", `news/2017-05-19-gone.md:1: control character U+000D in the text`},
		{"2017-05-19-gone.md", "+++\ntitle = \"a\\tb\"\n+++\ntext", `news/2017-05-19-gone.md:2: front matter title has a control character U+0009`},
		{"2017-05-19-gone.md", "---\ntitle: Gone\n---\ntext", `news/2017-05-19-gone.md:1: a first line --- starts front matter in YAML, which news files do not use: write it in TOML between two lines +++ (title = "…", date = YYYY-MM-DD), as news/README.md shows`},
		{"2017-05-19-gone.md", "\ufeff--- \r\ntitle: Gone\r\n---\r\ntext", `news/2017-05-19-gone.md:1: a first line --- starts front matter in YAML, which news files do not use: write it in TOML between two lines +++ (title = "…", date = YYYY-MM-DD), as news/README.md shows`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\nx = " + strings.Repeat("{a = ", 20) + "1" + strings.Repeat("}", 20) + "\n+++\ntext", `news/2017-05-19-gone.md:3: front matter: nested deeper than 16 levels (arrays, tables and the parts of dotted keys count one each)`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\n" + strings.Repeat("a.", 20) + "a = 1\n+++\ntext", `news/2017-05-19-gone.md:3: front matter: nested deeper than 16 levels (arrays, tables and the parts of dotted keys count one each)`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone \u202eon\"\n+++\ntext", `news/2017-05-19-gone.md:2: invisible character U+202E in the text (bidirectional and zero-width characters can make text read other than it is)`},
		{"2017-05-19-gone.md", "line\nad\u200bmin\n", `news/2017-05-19-gone.md:2: invisible character U+200B in the text (bidirectional and zero-width characters can make text read other than it is)`},
		{"2017-05-19-gone.md", "+++\ntitle = \"Gone\"\n+++\n\u2066hidden\u2069", `news/2017-05-19-gone.md:4: invisible character U+2066 in the text (bidirectional and zero-width characters can make text read other than it is)`},
		{"2017-05-19-a\x1bb.md", "text", `"news/2017-05-19-a\x1bb.md":1: file name "2017-05-19-a\x1bb.md" is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)`},
		{"2017-05-19-a\x1bb.md", "+++\nauthor = 1\n+++\ntext", `"news/2017-05-19-a\x1bb.md":1: file name "2017-05-19-a\x1bb.md" is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)
"news/2017-05-19-a\x1bb.md":2: unknown front matter key "author" (known: title, date)`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, errs := Parse("news/"+tt.name, []byte(tt.data))
			if len(errs) != strings.Count(tt.want, "\n")+1 || errors.Join(errs...).Error() != tt.want {
				t.Errorf("errors:\n%v\nwant:\n%s", errors.Join(errs...), tt.want)
			}
		})
	}
}

func TestParseNews(t *testing.T) {
	tests := []struct {
		name, data string
		want       Entry
	}{
		{"2017-05-19-gone.md", "All gone.\n", Entry{Slug: "gone", Body: "All gone."}},
		{"2017-05-19-gone.md", "\ufeff+++\r\ntitle = \"Gone\"\r\ndate = 2017-05-19\r\n+++\r\nAll gone.\r\n\r\nRIP.\r\n",
			Entry{Slug: "gone", Title: "Gone", Body: "All gone.\n\nRIP."}},
		{"2017-05-19-a-2.md", "+++\n'title' = 'Quoted key'\n+++\nx", Entry{Slug: "a-2", Title: "Quoted key", Body: "x"}},
		{"2017-05-19-gone.md", "+++ \n+++\nNo keys at all.", Entry{Slug: "gone", Body: "No keys at all."}},
		{"2017-05-19-gone.md", "+++\ntitle = \"👩🏽\u200d💻\"\n+++\nA joiner in an emoji: 🏳️\u200d🌈.", Entry{Slug: "gone", Title: "👩🏽\u200d💻", Body: "A joiner in an emoji: 🏳️\u200d🌈."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, errs := Parse("news/"+tt.name, []byte(tt.data))
			if len(errs) > 0 {
				t.Fatal(errors.Join(errs...))
			}
			tt.want.File = "news/" + tt.name
			tt.want.Date = time.Date(2017, 5, 19, 0, 0, 0, 0, time.UTC)
			if e != tt.want {
				t.Errorf("got %+v\nwant %+v", e, tt.want)
			}
		})
	}
}

// TestLoadNewsReportsAll: every problem of every file at once, in file order.
func TestLoadNewsReportsAll(t *testing.T) {
	fsys := fstest.MapFS{
		"news/2017-05-19-ok.md":  {Data: []byte("fine")},
		"news/2017-05-20-bad.md": {Data: []byte("+++\nfoo = 1\ndate = 2017-05-21\n+++\n")},
		"news/notes.txt":         {Data: []byte("ignored")},
		"news/README.md":         {Data: []byte("ignored")},
		"news/bad name.md":       {Data: []byte("x")},
		"news/sub/2017-01-01.md": {Data: []byte("an entry that would never show")},
	}
	news, err := Load(fsys, "news")
	if news != nil {
		t.Errorf("news = %v, want none with an error", news)
	}
	want := []string{
		`news/2017-05-20-bad.md:2: unknown front matter key "foo" (known: title, date)`,
		`news/2017-05-20-bad.md:3: front matter date 2017-05-21 is not the file name's date 2017-05-20`,
		`news/2017-05-20-bad.md:5: the entry has no text after its front matter`,
		`news/bad name.md:1: file name "bad name.md" is not YYYY-MM-DD-slug.md (slug: lower-case letters and digits joined by -)`,
		`news/sub: folder holds .md files, which would never show: news entries go in news itself`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("error:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != len(want) {
		t.Errorf("the error unwraps to %d errors, want %d", n, len(want))
	}
}

// TestLoadNewsFolder: what of a news folder is read, skipped or refused;
// each refusal with its exact message.
func TestLoadNewsFolder(t *testing.T) {
	ok := &fstest.MapFile{Data: []byte("fine")}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string // the error; "" for none
	}{
		{"readme, hidden files, notes, folders without entries", fstest.MapFS{
			"news/2017-05-19-ok.md":      ok,
			"news/README.md":             {Data: []byte("not an entry")},
			"news/readme.md":             {Data: []byte("not an entry")},
			"news/.2017-05-19-draft.md":  {Data: []byte("")},
			"news/.#2017-05-19-ok.md":    {Data: []byte("emacs@host"), Mode: fs.ModeSymlink},
			"news/2017-05-19-ok.md~":     {Data: []byte("a backup")},
			"news/notes.txt":             {Data: []byte("not an entry")},
			"news/images/msn.png":        {Data: []byte("png")},
			"news/.drafts/2017-01-01.md": {Data: []byte("hidden folder")},
		}, ""},
		{"a symbolic link", fstest.MapFS{
			"news/2017-05-19-ok.md":   {Data: []byte("../site.toml"), Mode: fs.ModeSymlink},
			"site.toml":               {Data: []byte("secret = 1")},
			"news/2017-05-20-also.md": ok,
		}, `news/2017-05-19-ok.md:1: is a symbolic link; a news entry must be a file of its own`},
		{"a named pipe", fstest.MapFS{
			"news/2017-05-19-ok.md": {Mode: fs.ModeNamedPipe},
		}, `news/2017-05-19-ok.md:1: is not a regular file; a news entry must be a file of its own`},
		{"a date but not .md", fstest.MapFS{
			"news/2017-05-19-ok.MD": ok,
		}, `news/2017-05-19-ok.MD:1: file name "2017-05-19-ok.MD" starts with a date but does not end in .md, so it would never show; name it YYYY-MM-DD-slug.md`},
		{"a date, markdown", fstest.MapFS{
			"news/2017-05-19-ok.markdown": ok,
		}, `news/2017-05-19-ok.markdown:1: file name "2017-05-19-ok.markdown" starts with a date but does not end in .md, so it would never show; name it YYYY-MM-DD-slug.md`},
		{"entries in a subfolder", fstest.MapFS{
			"news/2017/05-19-ok.md": ok,
		}, `news/2017: folder holds .md files, which would never show: news entries go in news itself`},
		{"a file name that is not UTF-8", fstest.MapFS{
			"news/2017-05-19-\xff.md": ok,
		}, `"news/2017-05-19-\xff.md":1: file name "2017-05-19-\xff.md" is not valid UTF-8; name it YYYY-MM-DD-slug.md`},
		{"a control character in a file name", fstest.MapFS{
			"news/2017-05-19-\x1b[31m.txt": ok,
		}, `"news/2017-05-19-\x1b[31m.txt":1: file name "2017-05-19-\x1b[31m.txt" starts with a date but does not end in .md, so it would never show; name it YYYY-MM-DD-slug.md`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fsys, "news")
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestLoadNewsOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"n/2016-01-01-b.md": {Data: []byte("x")},
		"n/2017-01-01-a.md": {Data: []byte("x")},
		"n/2016-01-01-a.md": {Data: []byte("x")},
	}
	news, err := Load(fsys, "n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range news {
		got = append(got, e.ID())
	}
	if want := "news-2017-01-01-a news-2016-01-01-a news-2016-01-01-b"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	if _, err := Load(fsys, "missing"); err == nil {
		t.Error("a missing folder gave no error")
	}
}

func TestSlugAndNewsFile(t *testing.T) {
	for in, want := range map[string]string{
		"All servers gone!":       "all-servers-gone",
		"  MSNP21 -- back?? ":     "msnp21-back",
		"Ünïcode only ☃":          "n-code-only",
		"☃":                       "news",
		strings.Repeat("ab ", 40): strings.TrimSuffix(strings.Repeat("ab-", 20), "-"),
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	data := NewFile(`Quotes "and" \ backslashes`, day)
	if _, errs := Parse("news/2026-11-25-quotes.md", data); len(errs) != 1 || !strings.Contains(errs[0].Error(), ":5: the entry still has the placeholder text") {
		t.Errorf("the placeholder is not refused on line 5: %v", errs)
	}
	data = bytes.Replace(data, []byte(Placeholder), []byte("The servers are gone."), 1)
	e, errs := Parse("news/2026-11-25-quotes.md", data)
	if len(errs) > 0 {
		t.Fatalf("NewFile output does not parse: %v\n%s", errors.Join(errs...), data)
	}
	if e.Title != `Quotes "and" \ backslashes` || !e.Date.Equal(day) || e.Body == "" {
		t.Errorf("round trip: %+v", e)
	}
}

// TestLoadNewsOddNameOnDisk: the name that os.DirFS cannot open is named,
// escaped, rather than "readfile …: invalid argument".
func TestLoadNewsOddNameOnDisk(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "news"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "news", "2017-05-19-\xff.md"), []byte("text"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(os.DirFS(dir), "news")
	if want := `"news/2017-05-19-\xff.md":1: file name "2017-05-19-\xff.md" is not valid UTF-8; name it YYYY-MM-DD-slug.md`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestCheckNewsDates(t *testing.T) {
	now := time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"news/2017-05-19-old.md":      {Data: []byte("x")},
		"news/2026-12-03-today.md":    {Data: []byte("x")},
		"news/2026-12-04-tomorrow.md": {Data: []byte("x")},
		"news/2026-12-05-later.md":    {Data: []byte("x")},
		"news/2099-01-01-future.md":   {Data: []byte("+++\ndate = 2099-01-01\n+++\nx")},
	}
	news, err := Load(fsys, "news")
	if err != nil {
		t.Fatal(err)
	}
	want := "news/2099-01-01-future.md:1: the entry is dated 2099-01-01, more than a day after today (2026-12-03 UTC): date it the day it happened\n" +
		"news/2026-12-05-later.md:1: the entry is dated 2026-12-05, more than a day after today (2026-12-03 UTC): date it the day it happened"
	if err := CheckDates(news, now); err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
	// At the first instant of a day, the day after the next is a day ahead: fine.
	if err := CheckDates(news[1:], time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Error(err)
	}
	if err := CheckDates(news, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Error(err)
	}
}

// Load reads no more of a news file than it takes to know it is too large.
func TestLoadNewsBounded(t *testing.T) {
	const name = "news/2017-05-19-gone.md"
	var read int
	fsys := bigFS{fstest.MapFS{name: {}}, name, &read}
	_, err := Load(fsys, "news")
	if want := name + ":1: file is larger than 64 KiB"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if read > MaxSize+1 {
		t.Errorf("read %d bytes of the file, want at most %d", read, MaxSize+1)
	}
}

// bigFS is MapFS, but its file name reads as 8 MiB of "x", counted in read.
type bigFS struct {
	fstest.MapFS
	name string
	read *int
}

func (b bigFS) Open(name string) (fs.File, error) {
	f, err := b.MapFS.Open(name)
	if err != nil || name != b.name {
		return f, err
	}
	return bigFile{f, b.read}, nil
}

type bigFile struct {
	fs.File
	read *int
}

func (f bigFile) Read(p []byte) (int, error) {
	n := min(len(p), 8<<20-*f.read)
	if n == 0 {
		return 0, io.EOF
	}
	copy(p, bytes.Repeat([]byte("x"), n))
	*f.read += n
	return n, nil
}
