package render

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// listDir returns the names in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// writeFiles writes files (name → content) into dir, making folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// oldSiteFiles is a previous site as deadyet writes it, in short.
var oldSiteFiles = map[string]string{"index.html": "old", "status.json": `{"schema": 1, "verdict": "dead"}`}

// oldSite makes dir a previous site and returns its parent.
func oldSite(t *testing.T) (parent, dir string) {
	t.Helper()
	parent = t.TempDir()
	dir = filepath.Join(parent, "public")
	writeFiles(t, dir, oldSiteFiles)
	return parent, dir
}

// assertOld checks that the previous site is whole and nothing was left next to it.
func assertOld(t *testing.T, parent, dir string) {
	t.Helper()
	assertFiles(t, parent, dir, oldSiteFiles)
}

// assertFiles checks that dir holds exactly files and its parent nothing but dir.
func assertFiles(t *testing.T, parent, dir string, files map[string]string) {
	t.Helper()
	if got := listDir(t, parent); !slices.Equal(got, []string{filepath.Base(dir)}) {
		t.Errorf("next to the site: %v, want only %s", got, filepath.Base(dir))
	}
	var got []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		got = append(got, rel)
		if b, _ := os.ReadFile(p); string(b) != files[filepath.ToSlash(rel)] {
			t.Errorf("%s = %q, want %q", rel, b, files[rel])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(files) {
		t.Errorf("%s holds %v, want %d files", dir, got, len(files))
	}
}

func TestWriteSiteReplaces(t *testing.T) {
	parent, dir := oldSite(t)
	v, n, err := writeSite(dir, fixtureOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	files := mustRender(t, fixtureOptions(t))
	if n != len(files) || v.Verdict != Partial {
		t.Errorf("WriteSite = a view of verdict %q and %d files; want partial and %d files", v.Verdict, n, len(files))
	}
	want := []string{"404.html", "archive", "badge.svg", "day", "favicon.svg", "feed.xml", "index.html", "pages.css", "server", "status.json", "style.css"}
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("site holds %v, want %v", got, want)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left next to the site: %v", got)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("site folder mode %v, %v; want 0755", fi.Mode(), err)
	}
	// A second write over a fresh folder works too.
	if _, _, err := writeSite(filepath.Join(parent, "new"), fixtureOptions(t)); err != nil {
		t.Fatal(err)
	}
}

func TestWriteSiteTemplateErrorKeepsOld(t *testing.T) {
	parent, dir := oldSite(t)
	opts := fixtureOptions(t)
	broken := fstest.MapFS{}
	names, _ := filepath.Glob("../templates/*.html")
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		broken[filepath.Base(n)] = &fstest.MapFile{Data: b}
	}
	broken["index.html"].Data = []byte(`{{template "head" .}}{{.NoSuchField}}`)
	opts.Templates = broken
	_, _, err := writeSite(dir, opts)
	if err == nil || !strings.Contains(err.Error(), "render index.html") {
		t.Fatalf("err = %v, want a template error", err)
	}
	if we := (*WriteError)(nil); errors.As(err, &we) {
		t.Errorf("a template error is a *WriteError: %v", err)
	}
	assertOld(t, parent, dir)

	broken["index.html"].Data = []byte(`{{if}}`)
	if _, _, err := writeSite(dir, opts); err == nil || !strings.Contains(err.Error(), "parse templates") {
		t.Fatalf("err = %v, want a parse error", err)
	}
	assertOld(t, parent, dir)
}

func TestWriteSiteWriteErrorKeepsOld(t *testing.T) {
	parent, dir := oldSite(t)
	var n atomic.Int32
	writeFile = func(name string, data []byte, perm os.FileMode) error {
		if n.Add(1) == 3 {
			return errors.New("disk full")
		}
		return syncedWrite(name, data, perm)
	}
	t.Cleanup(func() { writeFile = syncedWrite })
	_, _, err := writeSite(dir, fixtureOptions(t))
	if we := (*WriteError)(nil); err == nil || err.Error() != "write site: disk full" || !errors.As(err, &we) {
		t.Fatalf("err = %v, want the *WriteError disk full", err)
	}
	assertOld(t, parent, dir)
}

func TestWriteSiteMissingParent(t *testing.T) {
	if _, _, err := writeSite(filepath.Join(t.TempDir(), "missing", "public"), fixtureOptions(t)); err == nil {
		t.Error("writing into a missing parent folder succeeded")
	}
}

// TestWriteSiteRefuses: the site replaces its folder as a whole, so a
// folder that holds anything but a site deadyet wrote is left alone, with
// one line saying why; so is a file, and the current folder. Nothing is
// changed or left behind.
func TestWriteSiteRefuses(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // in the folder "out"; nil: out is a file
		want  string            // the error, after `site folder "<path of out>" `
	}{
		{"a file", nil, `is a file, not a folder`},
		{"the user's files", map[string]string{"go.mod": "module x", "README.md": "mine"},
			`holds files deadyet did not write (a site has index.html and status.json); the whole folder is replaced, so give a new or empty one`},
		{"an index.html of someone else's", map[string]string{"index.html": "my page"},
			`holds files deadyet did not write (a site has index.html and status.json); the whole folder is replaced, so give a new or empty one`},
		{"a status.json of someone else's", map[string]string{"index.html": "my page", "status.json": `{"ok": true}`},
			`holds a status.json deadyet did not write; the whole folder is replaced, so give a new or empty one`},
		{"a status.json that is not JSON", map[string]string{"index.html": "my page", "status.json": `ok`},
			`holds a status.json deadyet did not write; the whole folder is replaced, so give a new or empty one`},
		{"a site with a folder in it", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`, "img/a.png": "png"},
			`holds "img", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
		{"a site with a file of the user's in its day pages", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`,
			"day/2026-11-25/index.html": "old", "day/2026-11-25/notes.txt": "mine"},
			`holds "day/2026-11-25/notes.txt", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
		{"a site with a folder of the user's in its server pages", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`,
			"server/bn2/x/index.html": "old", "server/.git/HEAD": "ref"},
			`holds "server/.git/HEAD", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
		{"a site in a git checkout", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`, ".git/HEAD": "ref"},
			`holds ".git", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
		{"a site in a git worktree", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`, ".git": "gitdir: x"},
			`holds ".git", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
		{"a site with a file of the user's", map[string]string{"index.html": "old", "status.json": `{"schema": 1}`, "CNAME": "msn.example"},
			`holds "CNAME", which deadyet did not write; the whole folder is replaced, so move it away or give another folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			if tt.files == nil {
				if err := os.WriteFile(out, []byte("a file"), 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				writeFiles(t, out, tt.files)
			}
			want := fmt.Sprintf("site folder %q %s", out, tt.want)
			if err := CheckSiteDir(out); err == nil || err.Error() != want {
				t.Errorf("CheckSiteDir: err = %v\nwant %s", err, want)
			}
			_, _, err := writeSite(out, fixtureOptions(t))
			var sde *SiteDirError
			if err == nil || err.Error() != "write site: "+want || !errors.As(err, &sde) {
				t.Errorf("WriteSite: err = %v\nwant write site: %s", err, want)
			}
			if tt.files == nil {
				if b, _ := os.ReadFile(out); string(b) != "a file" {
					t.Errorf("the file now holds %q", b)
				}
				return
			}
			assertFiles(t, parent, out, tt.files)
		})
	}
}

// TestSiteFiles: CheckSiteDir knows the names of the files Render makes:
// those at the top, and the folders of the sub-pages, which hold only
// index.html files.
func TestSiteFiles(t *testing.T) {
	for _, opts := range []Options{fixtureOptions(t), fixtureHistoryOptions(t)} {
		want := siteFiles
		if opts.History == nil { // no script
			want = slices.DeleteFunc(slices.Clone(siteFiles), func(name string) bool { return name == staleScriptFile })
		}
		files := mustRender(t, opts)
		var names, dirs []string
		for _, f := range files {
			dir, _, sub := strings.Cut(f.Name, "/")
			switch {
			case !sub:
				names = append(names, f.Name)
			case path.Base(f.Name) != "index.html":
				t.Errorf("Render makes %s, which CheckSiteDir would refuse", f.Name)
			case !slices.Contains(dirs, dir):
				dirs = append(dirs, dir)
			}
		}
		if !slices.Equal(names, want) || !slices.Equal(dirs, siteDirs) {
			t.Errorf("Render makes %v and folders %v; want %v (siteFiles), siteDirs %v", names, dirs, want, siteDirs)
		}
	}
}

// TestWriteSiteCurrentFolder: neither the current folder nor one that holds
// it is replaced, even when it looks like a site.
func TestWriteSiteCurrentFolder(t *testing.T) {
	parent, dir := oldSite(t)
	t.Chdir(dir)
	for _, out := range []string{".", "./", dir, "..", parent, "/"} {
		want := fmt.Sprintf("site folder %q is the current folder or holds it; name a folder of its own, like public", out)
		if _, _, err := writeSite(out, fixtureOptions(t)); err == nil || err.Error() != "write site: "+want {
			t.Errorf("out %q: err = %v\nwant write site: %s", out, err, want)
		}
	}
	assertOld(t, parent, dir)
}

// TestWriteSiteAccepts: a new folder, an empty one and an earlier site are
// replaced.
func TestWriteSiteAccepts(t *testing.T) {
	withPages := maps.Clone(oldSiteFiles)
	withPages["server/bn2/127.2.0.1/index.html"] = "old"
	withPages["day/2026-11-25/index.html"] = "old"
	withPages["archive/index.html"] = "old"
	for _, files := range []map[string]string{nil, {}, oldSiteFiles, withPages} {
		parent := t.TempDir()
		out := filepath.Join(parent, "out")
		if files != nil {
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, out, files)
		}
		if err := CheckSiteDir(out); err != nil {
			t.Errorf("%v: CheckSiteDir: %v", files, err)
		}
		if _, _, err := writeSite(out, fixtureOptions(t)); err != nil {
			t.Errorf("%v: WriteSite: %v", files, err)
		}
		if err := CheckSiteDir(out); err != nil {
			t.Errorf("the site just written may not be replaced: %v", err)
		}
	}
}

// TestTemplatesFromFolder: the embedded templates and a folder of the same
// files render the same bytes.
func TestTemplatesFromFolder(t *testing.T) {
	opts := fixtureOptions(t)
	embedded := mustRender(t, opts)
	opts.Templates = os.DirFS("../templates")
	opts.Static = os.DirFS("../static")
	folder := mustRender(t, opts)
	for i := range embedded {
		if string(embedded[i].Data) != string(folder[i].Data) {
			t.Errorf("%s differs between embedded and folder templates", embedded[i].Name)
		}
	}
}

// writeSite renders the site of opts (as [Render] does) and puts it in the
// folder dir in place of what was there (as [WriteFiles] does). It returns
// the view and the number of files written. An error of the render is
// returned as it is; one of the write is a *[WriteError], or, for a folder
// that [CheckSiteDir] refuses, wraps a *[SiteDirError].
func writeSite(dir string, opts Options) (*View, int, error) {
	v, files, err := Render(opts)
	if err != nil {
		return nil, 0, err
	}
	if err := WriteFiles(dir, files); err != nil {
		return nil, 0, err
	}
	return v, len(files), nil
}
