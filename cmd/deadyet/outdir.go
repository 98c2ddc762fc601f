package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"deadyet/render"
)

// checkSiteOut checks, before any work, that a site may replace the folder
// dir (see [render.CheckSiteDir]): a folder it refuses is bad input, and so
// is a symbolic link. The site replaces the folder dir names whole, by
// renaming a new one into its place: through a link, that would replace
// the link with a folder and leave the old site where the link pointed.
// The user is told to give the folder it points to instead.
func checkSiteOut(dir string) error {
	if fi, err := os.Lstat(filepath.Clean(dir)); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(dir); err == nil {
			if abs, err := filepath.Abs(target); err == nil {
				target = abs
			}
			return badInput(fmt.Errorf("site folder %q is a symbolic link; give the folder it points to, %q", dir, target))
		}
		to, _ := os.Readlink(filepath.Clean(dir))
		return badInput(fmt.Errorf("site folder %q is a symbolic link to %q, which is not there; give a folder of its own", dir, to))
	}
	var refused *render.SiteDirError
	if err := render.CheckSiteDir(dir); errors.As(err, &refused) {
		return badInput(err)
	} else if err != nil {
		return err
	}
	return nil
}

// makeParent makes the folder that will hold path (a results file or a
// site folder), so that --out may name a place that is not there yet, such
// as the workflow's results/<vantage>.json in a fresh clone. Commands call
// it before the work, so that an output that cannot be written costs no
// probe. Failing is a failed run (exit 1), as failing to write is; what
// names path in the error. undo removes again the folders it made, those
// still empty, and the lock files (lock.go) in them: a run that fails or is
// interrupted before it writes calls it, and leaves nothing behind.
func makeParent(what, path string, lockFiles ...string) (undo func(), err error) {
	undo, err = makeFolder(filepath.Dir(filepath.Clean(path)), lockFiles...)
	if err != nil {
		return undo, fmt.Errorf("%s %q: cannot make its folder: %w", what, path, err)
	}
	return undo, nil
}

// makeFolder makes the folder dir and those that hold it, as missing; undo
// removes again those it made that are still empty, once it has removed
// those of lockFiles that are in them. On failure it has removed them
// already. (A lock file is removed only from a folder this run made: any
// other run opened it after that, and takeLock sees that it was removed.)
func makeFolder(dir string, lockFiles ...string) (undo func(), err error) {
	made, err := mkdirAll(dir)
	undo = func() {
		for _, lf := range lockFiles {
			if slices.Contains(made, filepath.Dir(lf)) {
				os.Remove(lf)
			}
		}
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i]) // only if empty
		}
	}
	if err != nil {
		undo()
		return func() {}, err
	}
	return undo, nil
}

// mkdirAll is os.MkdirAll(dir, 0o755), and says which folders it made,
// outermost first.
func mkdirAll(dir string) (made []string, err error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return made, err
		} else if err == nil {
			made = append(made, missing[i])
		}
	}
	// What is there must be a folder: MkdirAll's own check and error.
	return made, os.MkdirAll(dir, 0o755)
}
