package render

// The link walk: every internal link of a generated site goes to a file
// of the site, and every #fragment to an id in it.
//
//	DEADYET_LINKCHECK_SITE=demo-site go test ./render -run TestLinksOfSite -v
//
// walks a site rendered elsewhere (make test-browser walks the demo's).

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// attrValues calls f with the value of every attribute name of every
// start tag in b, entities decoded, as an HTML tokenizer reads them.
func attrValues(b []byte, name string, f func(string)) {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == name {
					f(string(v))
				}
			}
		}
	}
}

// linkReport is what a walk of a site found.
type linkReport struct {
	Pages, Links int      // HTML pages read, internal links followed
	Problems     []string // "from: link: what is wrong", sorted
}

// walkLinks follows every internal link (href and src, relative or
// root-relative, with or without a #fragment) of every .html file of the
// site in dir. base is the path the site is served at ("/deadyet/"): a
// root-relative link must start with it. A link to a folder means its
// index.html.
func walkLinks(dir, base string) (linkReport, error) {
	var rep linkReport
	ids := map[string]map[string]bool{} // by file, slash path in the site
	idsOf := func(file string) (map[string]bool, error) {
		if m, ok := ids[file]; ok {
			return m, nil
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		m := map[string]bool{}
		attrValues(b, "id", func(id string) { m[id] = true })
		ids[file] = m
		return m, nil
	}
	known := map[string]bool{}
	exists := func(file string) bool {
		if ok, seen := known[file]; seen {
			return ok
		}
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(file)))
		known[file] = err == nil && fi.Mode().IsRegular()
		return known[file]
	}
	err := fs.WalkDir(os.DirFS(dir), ".", func(from string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(from, ".html") {
			return err
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(from)))
		if err != nil {
			return err
		}
		rep.Pages++
		var links []string
		attrValues(b, "href", func(v string) { links = append(links, v) })
		attrValues(b, "src", func(v string) { links = append(links, v) })
		for _, raw := range links {
			problem := func(format string, args ...any) {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %q: %s", from, raw, fmt.Sprintf(format, args...)))
			}
			u, err := url.Parse(raw)
			if err != nil {
				problem("%v", err)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue // not the site's
			}
			rep.Links++
			target := from
			switch {
			case u.Path == "":
			case strings.HasPrefix(u.Path, "/"):
				rest, ok := strings.CutPrefix(u.Path, base)
				if !ok {
					problem("outside the site's path %s", base)
					continue
				}
				target = path.Clean("/" + rest)[1:]
			default:
				target = path.Join(path.Dir(from), u.Path)
			}
			if target == "" || target == "." || strings.HasSuffix(u.Path, "/") {
				target = path.Join(target, "index.html")
			}
			if target == ".." || strings.HasPrefix(target, "../") {
				problem("leaves the site")
				continue
			}
			if !exists(target) {
				problem("no such file %s", target)
				continue
			}
			if u.Fragment != "" || strings.HasSuffix(raw, "#") {
				if !strings.HasSuffix(target, ".html") {
					continue
				}
				m, err := idsOf(target)
				if err != nil {
					return err
				}
				if !m[u.Fragment] {
					problem("%s has no id %q", target, u.Fragment)
				}
			}
		}
		return nil
	})
	slices.Sort(rep.Problems)
	return rep, err
}

// checkLinks fails t for every broken link of the site in dir.
func checkLinks(t testing.TB, dir, base string) linkReport {
	t.Helper()
	rep, err := walkLinks(dir, base)
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	if rep.Pages == 0 || rep.Links == 0 {
		t.Fatalf("%s: %d pages, %d links: nothing to walk", dir, rep.Pages, rep.Links)
	}
	for i, p := range rep.Problems {
		if i == 20 {
			t.Errorf("and %d more broken links", len(rep.Problems)-i)
			break
		}
		t.Errorf("broken link in %s", p)
	}
	return rep
}

// TestLinks walks the fixture sites: plain, with a history, hostile.
func TestLinks(t *testing.T) {
	for name, opts := range map[string]Options{
		"plain": fixtureOptions(t), "history": fixtureHistoryOptions(t),
		"hostile": hostileOptions(t), "hostile-history": hostileHistoryOptions(t),
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			if _, _, err := writeSite(dir, opts); err != nil {
				t.Fatal(err)
			}
			rep := checkLinks(t, dir, basePath(opts.Page.WithDefaults().URL))
			t.Logf("%d pages, %d internal links", rep.Pages, rep.Links)
		})
	}
}

// TestLinkWalkFails: the walk finds what it is for (the test can fail).
func TestLinkWalkFails(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"index.html": `<a href="a/index.html#x"></a><a href="b/"></a><a href="#top"></a><a href="/site/c.html"></a><a href="/elsewhere/"></a><a href="../up.html"></a><a href="https://example.com/"></a><a href="a/"></a>` +
			`<a href=d/index.html></a><a class=x href='e.html'>text: href="f.html" href=g.html</a><a href=a/index.html#z>` +
			`<!-- <a href="h.html"> --><script>"<a href='i.html'>"</script><a href=a/index.html#y>`,
		"a/index.html":          `<p id="y"><a href="../index.html"></a><p id=z>`,
		"day/1/index.html":      `<a href="../../a/index.html#y"></a>`,
		"server/x/y/index.html": `<link href="../../../style.css">`,
	})
	rep, err := walkLinks(dir, "/site/")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`index.html: "#top": index.html has no id "top"`,
		`index.html: "../up.html": leaves the site`,
		`index.html: "/elsewhere/": outside the site's path /site/`,
		`index.html: "/site/c.html": no such file c.html`,
		`index.html: "a/index.html#x": a/index.html has no id "x"`,
		`index.html: "b/": no such file b/index.html`,
		`index.html: "d/index.html": no such file d/index.html`,
		`index.html: "e.html": no such file e.html`,
		`server/x/y/index.html: "../../../style.css": no such file style.css`,
	}
	if !slices.Equal(rep.Problems, want) {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(rep.Problems, "\n"), strings.Join(want, "\n"))
	}
	if rep.Pages != 4 || rep.Links != 14 {
		t.Errorf("%d pages, %d links; want 4, 14", rep.Pages, rep.Links)
	}
}

// TestLinksOfSite walks the site in DEADYET_LINKCHECK_SITE (the demo's, in
// make test-browser), served at the path of its 404.html's style sheet.
func TestLinksOfSite(t *testing.T) {
	dir := os.Getenv("DEADYET_LINKCHECK_SITE")
	if dir == "" {
		t.Skip("set DEADYET_LINKCHECK_SITE=DIR to walk the links of a rendered site")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s has no index.html", dir)
	}
	rep := checkLinks(t, dir, sitePrefix(t, dir)+"/")
	t.Logf("%s: %d pages, %d internal links, none broken", dir, rep.Pages, rep.Links)
}
