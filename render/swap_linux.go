package render

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// swapIn puts the folder tmp in place of dir and returns where the old
// site now is ("" for none): on Linux in one step (RENAME_EXCHANGE),
// else, or where the file system cannot, by [swapByRenames].
func swapIn(tmp, dir string) (old string, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return tmp, nil
	case errors.Is(err, unix.ENOENT):
		if _, serr := os.Lstat(tmp); serr != nil {
			return "", &os.LinkError{Op: "renameat2", Old: tmp, New: dir, Err: err}
		}
		return "", os.Rename(tmp, dir) // dir is not there yet
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return swapByRenames(tmp, dir)
	}
	return "", &os.LinkError{Op: "renameat2", Old: tmp, New: dir, Err: err}
}
