//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFileRefuses: a path that is not a regular file, or a file larger
// than the limit, is refused at once, before anything is read; and a
// symbolic link is not written over.
func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	if err := syscall.Mkfifo(p("fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", p("zero")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p("big"), nil, 0o644); err != nil || os.Truncate(p("big"), 1<<40) != nil {
		t.Fatal(err) // sparse: a TiB that takes no room
	}
	for _, tt := range []struct{ path, want string }{
		{p("fifo"), "a named pipe, not a regular file"},
		{p("zero"), "a symbolic link, not a regular file"},
		{"/dev/zero", "a device, not a regular file"},
		{dir, "a folder, not a regular file"},
		{p("big"), "larger than 32 MiB, the limit for this file"},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			start := time.Now()
			data, err := ReadFile(tt.path, 32<<20)
			if err == nil || err.Error() != tt.path+": "+tt.want || len(data) > 0 || time.Since(start) > time.Second {
				t.Errorf("got %d bytes, %v after %v; want %s: %s", len(data), err, time.Since(start), tt.path, tt.want)
			}
		})
	}
	if err := WriteFile(p("zero"), []byte("x"), 0o644); err == nil || !strings.HasSuffix(err.Error(), "a symbolic link, not a regular file") {
		t.Errorf("writing over a symbolic link: %v", err)
	}
	if fi, err := os.Lstat(p("zero")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is gone: %v", err)
	}
}
