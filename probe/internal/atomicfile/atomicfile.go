// Package atomicfile writes a file in one step: a reader, or a run killed at
// any instant, sees the old file or the new one, never a part. [ReadFile]
// reads one with a size limit, refusing what is not a regular file.
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

// The steps of WriteFile that tests make fail (tests run as root, where
// file permissions stop nothing).
var (
	writeStep  = func(f *os.File, b []byte) (int, error) { return f.Write(b) }
	syncStep   = (*os.File).Sync
	renameStep = os.Rename
)

// WriteFile replaces the file at path with data, or leaves it as it was: it
// writes ".NAME.*.tmp" beside it (* being digits), syncs it, renames it over
// path and syncs the folder. The error reads "write PATH: …".
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("write %s: %w", path, notRegular(fi))
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
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
	if err = renameStep(f.Name(), path); err != nil {
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
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, notRegular(fi))
	}
	var data []byte
	if fi.Size() <= limit {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, limit+1)); err != nil { // +1: to see a file grown since
			return nil, err
		}
	}
	if fi.Size() > limit || int64(len(data)) > limit {
		unit := fmt.Sprintf("%d MiB", limit>>20)
		if limit < 1<<20 {
			unit = fmt.Sprintf("%d KiB", limit>>10)
		}
		return nil, fmt.Errorf("%s: larger than %s, the limit for this file", path, unit)
	}
	return data, nil
}

// notRegular says what fi, a file that is not regular, is.
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
// that is no error.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// RemoveLeftovers removes the temporary files of WriteFile(path) that killed
// runs left, those modified before olderThan (the run's start: a write in
// flight stays). One that stays does no harm, so it reports nothing.
func RemoveLeftovers(path string, olderThan time.Time) {
	dir := filepath.Dir(path)
	des, _ := os.ReadDir(dir)
	removed := false
	for _, de := range des {
		mid, pre := strings.CutPrefix(de.Name(), "."+filepath.Base(path)+".")
		mid, suf := strings.CutSuffix(mid, ".tmp")
		if !pre || !suf || mid == "" || strings.Trim(mid, "0123456789") != "" || !de.Type().IsRegular() {
			continue
		}
		if fi, err := de.Info(); err == nil && fi.ModTime().Before(olderThan) {
			removed = os.Remove(filepath.Join(dir, de.Name())) == nil || removed
		}
	}
	if removed {
		SyncDir(dir)
	}
}
