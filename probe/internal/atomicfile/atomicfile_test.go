package atomicfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// names lists the files in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestFailedWriteKeepsOldFile makes each step of the write fail in turn: the
// old file, written over a longer one, must stay byte for byte with its
// mode, with no temporary file left.
func TestFailedWriteKeepsOldFile(t *testing.T) {
	boom := errors.New("disk on fire")
	tests := []struct {
		name   string
		inject func()
	}{
		{"write", func() { writeStep = func(*os.File, []byte) (int, error) { return 0, boom } }},
		{"short write", func() {
			writeStep = func(f *os.File, b []byte) (int, error) { n, _ := f.Write(b[:len(b)/2]); return n, boom }
		}},
		{"sync", func() { syncStep = func(*os.File) error { return boom } }},
		{"rename", func() { renameStep = func(string, string) error { return boom } }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "history.jsonl")
			old := []byte("old line\n")
			if err := WriteFile(path, []byte("a longer first line\n"), 0o644); err != nil || WriteFile(path, old, 0o640) != nil {
				t.Fatal(err)
			}
			w, s, r := writeStep, syncStep, renameStep
			t.Cleanup(func() { writeStep, syncStep, renameStep = w, s, r })
			tt.inject()

			err := WriteFile(path, []byte("old line\nnew line\n"), 0o644)
			if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "write "+path+": ") {
				t.Errorf("got %v, want %q wrapped as \"write %s: …\"", err, boom, path)
			}
			now, err := os.ReadFile(path)
			if fi, _ := os.Stat(path); err != nil || !bytes.Equal(now, old) || fi.Mode().Perm() != 0o640 {
				t.Errorf("the old file changed (%v, mode %v):\n%s\nwant:\n%s", err, fi.Mode().Perm(), now, old)
			}
			if n := names(t, dir); len(n) != 1 {
				t.Errorf("files left in the folder: %q", n)
			}
		})
	}
}

// TestRemoveLeftovers: WriteFile's temporary files that a killed run left
// go when older than the time given; a write in flight, other files and
// folders stay.
func TestRemoveLeftovers(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	old, inFlight := start.Add(-time.Hour), start.Add(time.Second)
	// The name WriteFile gives its temporary file, as a kill before the rename leaves it.
	var tmp string
	w := writeStep
	t.Cleanup(func() { writeStep = w })
	writeStep = func(f *os.File, b []byte) (int, error) { tmp = filepath.Base(f.Name()); return f.Write(b) }
	if err := WriteFile(filepath.Join(dir, "history.jsonl"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, mt := range map[string]time.Time{
		tmp:                        old, // removed
		".history.jsonl.1.tmp":     old, // removed
		".history.jsonl.2.tmp":     inFlight,
		".history.jsonl.x.tmp":     old, // not WriteFile's
		".history.jsonl..tmp":      old,
		".history.jsonl.3.tmp.bak": old,
		".results.json.4.tmp":      old,
		"history.jsonl.5.tmp":      old,
		".history.jsonl.7.tmp/":    old, // a folder
	} {
		p := filepath.Join(dir, name)
		var err error
		if strings.HasSuffix(name, "/") {
			err = os.Mkdir(p, 0o755)
		} else {
			err = os.WriteFile(p, []byte("part"), 0o644)
		}
		if err != nil || os.Chtimes(p, mt, mt) != nil {
			t.Fatal(err)
		}
	}
	RemoveLeftovers(filepath.Join(dir, "history.jsonl"), start)
	got := strings.Join(names(t, dir), " ")
	if want := ".history.jsonl..tmp .history.jsonl.2.tmp .history.jsonl.3.tmp.bak .history.jsonl.7.tmp .history.jsonl.x.tmp .results.json.4.tmp history.jsonl history.jsonl.5.tmp"; got != want {
		t.Errorf("left:\n%s\nwant:\n%s", got, want)
	}
	RemoveLeftovers(filepath.Join(dir, "missing", "history.jsonl"), start) // no panic
}
