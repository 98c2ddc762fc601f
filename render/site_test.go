package render

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// oldSite makes dir a previous site of one file and returns its parent.
func oldSite(t *testing.T) (parent, dir string) {
	t.Helper()
	parent = t.TempDir()
	dir = filepath.Join(parent, "public")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	return parent, dir
}

// assertOld checks that the previous site is whole and nothing was left next to it.
func assertOld(t *testing.T, parent, dir string) {
	t.Helper()
	if got := listDir(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("next to the site: %v, want only public", got)
	}
	if got := listDir(t, dir); !slices.Equal(got, []string{"index.html"}) {
		t.Errorf("site holds %v, want the old index.html only", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "old" {
		t.Errorf("old index.html = %q", b)
	}
}

func TestWriteSiteReplaces(t *testing.T) {
	parent, dir := oldSite(t)
	if err := WriteSite(dir, fixtureOptions(t)); err != nil {
		t.Fatal(err)
	}
	want := []string{"404.html", "badge.svg", "favicon.svg", "feed.xml", "index.html", "status.json", "style.css"}
	if got := listDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("site holds %v, want %v", got, want)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left next to the site: %v", got)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("site folder mode %v, %v; want 0755", fi.Mode(), err)
	}
	// A second write over a fresh folder works too.
	if err := WriteSite(filepath.Join(parent, "new"), fixtureOptions(t)); err != nil {
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
	err := WriteSite(dir, opts)
	if err == nil || !strings.Contains(err.Error(), "render index.html") {
		t.Fatalf("err = %v, want a template error", err)
	}
	assertOld(t, parent, dir)

	broken["index.html"].Data = []byte(`{{if}}`)
	if err := WriteSite(dir, opts); err == nil || !strings.Contains(err.Error(), "parse templates") {
		t.Fatalf("err = %v, want a parse error", err)
	}
	assertOld(t, parent, dir)
}

func TestWriteSiteWriteErrorKeepsOld(t *testing.T) {
	parent, dir := oldSite(t)
	n := 0
	writeFile = func(name string, data []byte, perm os.FileMode) error {
		if n++; n == 3 {
			return errors.New("disk full")
		}
		return os.WriteFile(name, data, perm)
	}
	t.Cleanup(func() { writeFile = os.WriteFile })
	err := WriteSite(dir, fixtureOptions(t))
	if err == nil || err.Error() != "write site: disk full" {
		t.Fatalf("err = %v, want disk full", err)
	}
	assertOld(t, parent, dir)
}

func TestWriteSiteNotAFolder(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "public")
	if err := os.WriteFile(file, []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteSite(file, fixtureOptions(t)); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("err = %v", err)
	}
	if err := WriteSite(filepath.Join(parent, "missing", "public"), fixtureOptions(t)); err == nil {
		t.Error("writing into a missing parent folder succeeded")
	}
}

// TestTemplatesFromFolder: the embedded templates and a folder of the same
// files render the same bytes.
func TestTemplatesFromFolder(t *testing.T) {
	opts := fixtureOptions(t)
	embedded, err := Render(opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Templates = os.DirFS("../templates")
	opts.Static = os.DirFS("../static")
	folder, err := Render(opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range embedded {
		if string(embedded[i].Data) != string(folder[i].Data) {
			t.Errorf("%s differs between embedded and folder templates", embedded[i].Name)
		}
	}
}
