package probe

import (
	"fmt"
	"os"
	"path/filepath"
)

// The steps of writeFileAtomic, as variables so that tests can make any of
// them fail (tests run as root, where file permissions stop nothing).
var (
	atomicWrite  = func(f *os.File, b []byte) (int, error) { return f.Write(b) }
	atomicSync   = (*os.File).Sync
	atomicRename = os.Rename
)

// writeFileAtomic replaces the file at path with data, or leaves it as it was.
// It writes a temporary file in the same folder, syncs it to disk and renames
// it over path; on any error the temporary file is removed and the old file,
// if any, is untouched.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
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
	if _, err = atomicWrite(f, data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = atomicSync(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = atomicRename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable. Some file systems cannot sync a
	// folder; the data is in place by now, so that is not an error.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
