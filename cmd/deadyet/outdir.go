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

// checkSiteOut checks before any work that a site may replace dir
// ([render.CheckSiteDir]) and that dir is no symbolic link, which the site
// would replace, leaving the old site where it pointed: bad input.
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
	err := render.CheckSiteDir(dir)
	if errors.As(err, new(*render.SiteDirError)) {
		return badInput(err)
	}
	return err
}

// makeParent makes the folder that will hold path, before the work, so that
// an output that cannot be written costs no probe (exit 1); what names path
// in the error. A run that fails before it writes calls undo, which removes
// the folders it made and the lock files in them (makeFolder).
func makeParent(what, path string, lockFiles ...string) (undo func(), err error) {
	undo, err = makeFolder(filepath.Dir(filepath.Clean(path)), lockFiles...)
	if err != nil {
		return undo, fmt.Errorf("%s %q: cannot make its folder: %w", what, path, err)
	}
	return undo, nil
}

// makeFolder makes dir and the folders that hold it, as missing; undo
// removes those of lockFiles in folders it made, then those folders, if
// empty (takeLock sees a removed lock file). On failure it has undone.
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
