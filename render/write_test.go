package render

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestWriteSiteRemovesLeftovers: a write removes the folders that killed
// writes of the same site folder left next to it, those older than its
// start, and nothing else: not a newer one (a write that may still run),
// not another site's, not a file or a symbolic link of such a name, not a
// name of another form.
func TestWriteSiteRemovesLeftovers(t *testing.T) {
	parent, dir := oldSite(t)
	elsewhere := t.TempDir()
	writeFiles(t, elsewhere, map[string]string{"keep": "mine"})
	hourAgo, inAnHour := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	tests := []struct {
		name    string
		make    func(p string) error
		mtime   time.Time
		removed bool
	}{
		{".public.new-123", mkdirWithFile, hourAgo, true},
		{".public.old-4567", mkdirWithFile, hourAgo, true},
		{".public.new-1", func(p string) error { return os.Mkdir(p, 0o755) }, hourAgo, true},
		{".public.new-89", mkdirWithFile, inAnHour, false},
		{".public.old-90", mkdirWithFile, inAnHour, false},
		{".public.new-", mkdirWithFile, hourAgo, false},
		{".public.new-12a", mkdirWithFile, hourAgo, false},
		{".public.newer-12", mkdirWithFile, hourAgo, false},
		{".public.tmp-12", mkdirWithFile, hourAgo, false},
		{"public.new-12", mkdirWithFile, hourAgo, false},
		{".publicx.new-12", mkdirWithFile, hourAgo, false},
		{".other.new-12", mkdirWithFile, hourAgo, false},
		{".other.old-12", mkdirWithFile, hourAgo, false},
		{".public.new-77", func(p string) error { return os.WriteFile(p, []byte("a file"), 0o644) }, hourAgo, false},
		{".public.old-78", func(p string) error { return os.Symlink(elsewhere, p) }, time.Time{}, false},
	}
	for _, tt := range tests {
		p := filepath.Join(parent, tt.name)
		if err := tt.make(p); err != nil {
			t.Fatal(err)
		}
		if !tt.mtime.IsZero() {
			if err := os.Chtimes(p, tt.mtime, tt.mtime); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := writeSite(dir, fixtureOptions(t)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		_, err := os.Lstat(filepath.Join(parent, tt.name))
		if gone := os.IsNotExist(err); gone != tt.removed {
			t.Errorf("%s: removed %v, want %v (%v)", tt.name, gone, tt.removed, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(elsewhere, "keep")); err != nil || string(b) != "mine" {
		t.Errorf("the symbolic link's target: %q, %v", b, err)
	}
}

func mkdirWithFile(p string) error {
	if err := os.Mkdir(p, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(p, "index.html"), []byte("half"), 0o644)
}

// TestSwap: the new folder takes the site folder's place and the old site
// is returned to be removed: on Linux swapIn exchanges the two in one step
// (the old site is where the new folder was), swapByRenames moves the old
// one aside. A site folder not there yet is a plain rename.
func TestSwap(t *testing.T) {
	for name, swap := range map[string]func(tmp, dir string) (string, error){"swapIn": swapIn, "swapByRenames": swapByRenames} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir, tmp := filepath.Join(parent, "public"), filepath.Join(parent, ".public.new-1")
			writeFiles(t, dir, map[string]string{"index.html": "old"})
			writeFiles(t, tmp, map[string]string{"index.html": "new"})
			old, err := swap(tmp, dir)
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "new" {
				t.Errorf("the site folder holds %q, want new", b)
			}
			if b, _ := os.ReadFile(filepath.Join(old, "index.html")); string(b) != "old" || !isLeftover(filepath.Base(old), "public") {
				t.Errorf("the old site at %q holds %q, want old at a leftover's name", old, b)
			}
			if name == "swapIn" && runtime.GOOS == "linux" && old != tmp {
				t.Errorf("on Linux the old site is at %q, want %q (exchanged in one step)", old, tmp)
			}
			if err := os.RemoveAll(old); err != nil {
				t.Fatal(err)
			}
			fresh := filepath.Join(parent, "fresh")
			writeFiles(t, tmp, map[string]string{"index.html": "new"})
			if old, err := swap(tmp, fresh); err != nil || old != "" {
				t.Fatalf("a swap to a new folder = %q, %v; want \"\", nil", old, err)
			}
			if b, _ := os.ReadFile(filepath.Join(fresh, "index.html")); string(b) != "new" {
				t.Errorf("the new site folder holds %q, want new", b)
			}
			if got := listDir(t, parent); !slices.Equal(got, []string{"fresh", "public"}) {
				t.Errorf("next to the sites: %v", got)
			}
		})
	}
	// When the new folder cannot be moved in, the old site goes back.
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeFiles(t, dir, map[string]string{"index.html": "old"})
	if _, err := swapByRenames(filepath.Join(parent, "missing"), dir); err == nil {
		t.Error("swapping in a missing folder succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "old" {
		t.Errorf("after a failed swap the site folder holds %q, want the site it held", b)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("next to the site: %v", got)
	}
}
