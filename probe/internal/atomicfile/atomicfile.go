// Package atomicfile replaces a file in one step: a reader, or a run killed
// at any instant, sees either the old file or the new one, never a part. The
// history and the results files are written through it.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// The steps of WriteFile, as variables so that tests can make any of them
// fail (tests run as root, where file permissions stop nothing).
var (
	writeStep  = func(f *os.File, b []byte) (int, error) { return f.Write(b) }
	syncStep   = (*os.File).Sync
	renameStep = os.Rename
)

// WriteFile replaces the file at path with data, or leaves it as it was. It
// writes a temporary file ".NAME.*.tmp" in the same folder, syncs it to disk,
// renames it over path and syncs the folder, so that the rename too survives
// a crash. On any error the temporary file is removed and the old file, if
// any, is untouched; the error reads "write PATH: …".
func WriteFile(path string, data []byte, perm os.FileMode) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
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

// SyncDir makes the renames and removals done in the folder dir durable.
// Some file systems cannot sync a folder; the change is made by then, so
// that is not an error, and SyncDir returns none.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
