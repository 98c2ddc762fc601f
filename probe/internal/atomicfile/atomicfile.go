// Package atomicfile replaces a file in one step: a reader, or a run killed
// at any instant, sees either the old file or the new one, never a part. The
// history and the results files are written through it, and read through
// [ReadFile], which bounds what it reads.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The steps of WriteFile, as variables so that tests can make any of them
// fail (tests run as root, where file permissions stop nothing).
var (
	writeStep  = func(f *os.File, b []byte) (int, error) { return f.Write(b) }
	syncStep   = (*os.File).Sync
	renameStep = os.Rename
)

// The temporary file of WriteFile(".../NAME") is ".NAME.*.tmp", the *
// being digits: one pattern, so that [RemoveLeftovers] finds what a killed
// run left.
func tempPrefix(name string) string { return "." + name + "." }

const tempSuffix = ".tmp"

// WriteFile replaces the file at path with data, or leaves it as it was: it
// writes ".NAME.*.tmp" in the same folder, syncs it, renames it over path and
// syncs the folder. On error the temporary file is removed; the error reads
// "write PATH: …".
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("write %s: %w", path, notRegular(fi))
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPrefix(name)+"*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if _, err = writeStep(f, data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = syncStep(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = renameStep(tmp, path); err != nil {
		return err
	}
	SyncDir(dir)
	return nil
}

// ReadFile reads the regular file at path, of at most limit bytes. A symbolic
// link, a named pipe, a device or a larger file is refused before it is read;
// a missing file is an error that is [fs.ErrNotExist].
func ReadFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s: %w", path, notRegular(fi))
	}
	var data []byte
	if err == nil && fi.Size() <= limit {
		var f *os.File
		if f, err = os.Open(path); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, limit+1)) // +1: to see a file grown since
			f.Close()
		}
	}
	if err == nil && (fi.Size() > limit || int64(len(data)) > limit) {
		unit := fmt.Sprintf("%d MiB", limit>>20)
		if limit < 1<<20 {
			unit = fmt.Sprintf("%d KiB", limit>>10)
		}
		return nil, fmt.Errorf("%s: larger than %s, the limit for this file", path, unit)
	}
	return data, err
}

// notRegular says what fi is, a file that is not regular.
func notRegular(fi fs.FileInfo) error {
	what := "a special file"
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link"
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return errors.New(what + ", not a regular file")
}

// SyncDir makes the renames and removals done in the folder dir durable.
// Some file systems cannot sync a folder; the change is made by then, so
// that is not an error, and SyncDir returns none.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// RemoveLeftovers removes the temporary files ".NAME.*.tmp" that killed
// WriteFiles of path left, those last modified before olderThan (the run's
// start, so that a write in flight stays). It returns how many it removed
// and the first error met.
func RemoveLeftovers(path string, olderThan time.Time) (removed int, err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("remove leftovers of %s: %w", path, err)
	}
	prefix := tempPrefix(name)
	var first error
	for _, de := range des {
		n := de.Name()
		if !strings.HasPrefix(n, prefix) || !strings.HasSuffix(n, tempSuffix) || len(n) <= len(prefix)+len(tempSuffix) ||
			strings.Trim(n[len(prefix):len(n)-len(tempSuffix)], "0123456789") != "" || !de.Type().IsRegular() {
			continue
		}
		fi, err := de.Info()
		if err != nil || !fi.ModTime().Before(olderThan) {
			continue // gone already, or a write in flight
		}
		if err := os.Remove(filepath.Join(dir, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if first == nil {
				first = fmt.Errorf("remove leftovers of %s: %w", path, err)
			}
			continue
		}
		removed++
	}
	if removed > 0 {
		SyncDir(dir)
	}
	return removed, first
}
