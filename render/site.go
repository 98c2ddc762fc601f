package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"deadyet/static"
	"deadyet/templates"
)

// File is one file of the site.
type File struct {
	Name string // a slash-separated path in the site's folder: "index.html", "day/2026-11-25/index.html"
	Data []byte
}

// staticFiles are the files copied from Options.Static as they are.
var staticFiles = []string{"favicon.svg", "pages.css", "style.css"}

// siteFiles are the names of the files at the top of a site, as [Render]
// makes them: what [CheckSiteDir] may replace.
var siteFiles = []string{"404.html", "badge.svg", "favicon.svg", "feed.xml", "index.html", "pages.css", "stale.js", "status.json", "style.css"}

// siteDirs are the folders of a site's sub-pages, each holding only
// folders and index.html files.
var siteDirs = []string{archiveDir, dayDir, serverDir}

// Render builds the view of opts ([Build]) and renders the whole site in
// memory, files sorted by name. Nil Options.Templates and Options.Static
// mean the embedded ones.
func Render(opts Options) (*View, []File, error) {
	v, err := Build(opts)
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(cmp.Or[fs.FS](opts.Templates, templates.FS), "*.html")
	if err != nil {
		return nil, nil, fmt.Errorf("parse templates: %w", err)
	}
	exec := func(name string, v any) ([]byte, error) {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, name, v); err != nil {
			return nil, fmt.Errorf("render %s: %w", name, err)
		}
		return buf.Bytes(), nil
	}
	files, err := v.files(exec, cmp.Or[fs.FS](opts.Static, static.FS))
	if err != nil {
		return nil, nil, err
	}
	return v, files, nil
}

// files renders the site of a view with exec, the static files from sfs.
func (v *View) files(exec func(string, any) ([]byte, error), sfs fs.FS) ([]File, error) {
	index, err := exec("index.html", v)
	if err != nil {
		return nil, err
	}
	notFound, err := exec("404.html", frame{View: v, Root: v.Base, File: "404.html"}) // served at any path
	if err != nil {
		return nil, err
	}
	status, err := statusJSON(v)
	if err != nil {
		return nil, err
	}
	feed, err := atomFeed(v, v.allNews(), exec)
	if err != nil {
		return nil, err
	}
	badge, err := exec("badge.svg", v.Verdict)
	if err != nil {
		return nil, err
	}
	files := []File{{"404.html", notFound}, {"badge.svg", badge}, {"feed.xml", feed}, {"index.html", index}, {"status.json", status}}
	pages, err := v.subPages(exec)
	if err != nil {
		return nil, err
	}
	files = append(files, pages...)
	names := staticFiles
	if v.Script {
		names = append(names[:len(names):len(names)], staleScriptFile)
	}
	for _, name := range names {
		data, err := fs.ReadFile(sfs, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("static files: %s is missing", name)
		} else if err != nil {
			return nil, fmt.Errorf("static files: %w", err)
		}
		files = append(files, File{name, data})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// funcs are the template functions.
var funcs = template.FuncMap{
	"markdown":   Markdown,
	"inline":     func(src string) template.HTML { return MarkdownInline(src, "") },
	"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"human":      human,
	"day":        func(t time.Time) string { return t.Format(time.DateOnly) },
	"labels":     func(host string) []string { return strings.Split(host, ".") },
	"isHost":     func(address string) bool { return !isIP(address) },
	"stateName":  stateName,
	"jobHelp":    jobHelp,
	"plural":     plural,
	"pageDay":    func(file string) string { return path.Base(path.Dir(file)) },
	"dayFile":    dayPage,
	"webURL":     webURL,
	"markdownAt": MarkdownAt,
}

// webURL is u when it is an http(s) address, else "": a link the page
// may carry (html/template would make any other one "#ZgotmplZ", a link
// to nowhere).
func webURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return u
}

// A SiteDirError says why a folder may not be replaced by a site: it holds
// what deadyet did not write. Its text is one line, "site folder "dir" …".
type SiteDirError struct {
	Dir    string // as given
	Reason string // "is a file, not a folder", …
}

func (e *SiteDirError) Error() string { return fmt.Sprintf("site folder %q %s", e.Dir, e.Reason) }

// CheckSiteDir reports whether dir may be replaced by a site, whole: it
// does not exist, is empty, or holds only a site deadyet wrote (never the
// current folder or one holding it). A refusal is a *[SiteDirError].
func CheckSiteDir(dir string) error {
	refuse := func(format string, args ...any) error {
		return &SiteDirError{Dir: dir, Reason: fmt.Sprintf(format, args...)}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("site folder %q: %w", dir, err)
	}
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(abs, cwd); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return refuse("is the current folder or holds it; name a folder of its own, like public")
		}
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("site folder %q: %w", dir, err)
	case !fi.IsDir():
		return refuse("is a file, not a folder")
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("site folder %q: %w", dir, err)
	}
	if len(des) == 0 {
		return nil
	}
	has := func(name string) bool {
		fi, err := os.Lstat(filepath.Join(dir, name))
		return err == nil && fi.Mode().IsRegular()
	}
	if !has("index.html") || !has("status.json") {
		return refuse("holds files deadyet did not write (a site has index.html and status.json); the whole folder is replaced, so give a new or empty one")
	}
	var status struct {
		Schema *int `json:"schema"`
	}
	if data, err := os.ReadFile(filepath.Join(dir, "status.json")); err != nil || json.Unmarshal(data, &status) != nil || status.Schema == nil {
		return refuse("holds a status.json deadyet did not write; the whole folder is replaced, so give a new or empty one")
	}
	for _, de := range des {
		other := de.Name()
		switch {
		case de.Type().IsRegular() && slices.Contains(siteFiles, other):
			continue
		case de.IsDir() && slices.Contains(siteDirs, other):
			if other, err = foreignFile(dir, other); err != nil {
				return fmt.Errorf("site folder %q: %w", dir, err)
			} else if other == "" {
				continue
			}
		}
		return refuse("holds %q, which deadyet did not write; the whole folder is replaced, so move it away or give another folder", other)
	}
	return nil
}

// foreignFile is the first thing in the folder sub of the site dir that
// deadyet does not write there (anything but folders and index.html
// files), as a slash path; "" when there is none.
func foreignFile(dir, sub string) (string, error) {
	var other string
	err := fs.WalkDir(os.DirFS(dir), sub, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return nil
		case d.Type().IsRegular() && d.Name() == "index.html":
			return nil
		}
		other = p
		return fs.SkipAll
	})
	return other, err
}
