package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"deadyet/render"
)

// checkSiteOut checks, before any work, that a site may replace the folder
// dir (see [render.CheckSiteDir]): a folder it refuses is bad input.
func checkSiteOut(dir string) error {
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
// names path in the error.
func makeParent(what, path string) error {
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(path)), 0o755); err != nil {
		return fmt.Errorf("%s %q: cannot make its folder: %w", what, path, err)
	}
	return nil
}
