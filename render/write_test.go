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

// TestSwapIn: the new folder takes the site folder's place and the old
// site is returned to be removed; on Linux the two are exchanged in one
// step, so the old site is where the new folder was. A site folder not
// there yet is a plain rename.
func TestSwapIn(t *testing.T) {
	parent := t.TempDir()
	dir, tmp := filepath.Join(parent, "public"), filepath.Join(parent, ".public.new-1")
	writeFiles(t, dir, map[string]string{"index.html": "old"})
	writeFiles(t, tmp, map[string]string{"index.html": "new"})
	old, err := swapIn(tmp, dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "new" {
		t.Errorf("the site folder holds %q, want new", b)
	}
	if b, _ := os.ReadFile(filepath.Join(old, "index.html")); string(b) != "old" {
		t.Errorf("the old site at %q holds %q, want old", old, b)
	}
	if runtime.GOOS == "linux" && old != tmp {
		t.Errorf("on Linux the old site is at %q, want %q (exchanged in one step)", old, tmp)
	}
	if err := os.RemoveAll(old); err != nil {
		t.Fatal(err)
	}

	fresh := filepath.Join(parent, "fresh")
	writeFiles(t, tmp, map[string]string{"index.html": "new"})
	if old, err := swapIn(tmp, fresh); err != nil || old != "" {
		t.Fatalf("swapIn to a new folder = %q, %v; want \"\", nil", old, err)
	}
	if b, _ := os.ReadFile(filepath.Join(fresh, "index.html")); string(b) != "new" {
		t.Errorf("the new site folder holds %q, want new", b)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"fresh", "public"}) {
		t.Errorf("next to the sites: %v", got)
	}
}

// TestSwapByRenames: the fallback moves the old site aside and the new one
// in, and the old one back when the new one cannot be moved.
func TestSwapByRenames(t *testing.T) {
	parent := t.TempDir()
	dir, tmp := filepath.Join(parent, "public"), filepath.Join(parent, ".public.new-1")
	writeFiles(t, dir, map[string]string{"index.html": "old"})
	writeFiles(t, tmp, map[string]string{"index.html": "new"})
	old, err := swapByRenames(tmp, dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "new" {
		t.Errorf("the site folder holds %q, want new", b)
	}
	if b, _ := os.ReadFile(filepath.Join(old, "index.html")); string(b) != "old" || !isLeftover(filepath.Base(old), "public") {
		t.Errorf("the old site at %q holds %q, want old at .public.old-<digits>", old, b)
	}
	// The new folder is gone: the old site goes back.
	if _, err := swapByRenames(filepath.Join(parent, "missing"), dir); err == nil {
		t.Error("swapping in a missing folder succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "new" {
		t.Errorf("after a failed swap the site folder holds %q, want the site it held", b)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{filepath.Base(old), "public"}) {
		t.Errorf("next to the site: %v", got)
	}
}
