package render

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// writeWorkers bounds the files written (and synced) at once: a sync waits
// for the disk, and the disk takes several at a time.
const writeWorkers = 8

// writeFile writes a new file and syncs it; tests replace it to fail half-way.
var writeFile = syncedWrite

func syncedWrite(name string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs the folder dir: the names in it are on the disk.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteFiles writes files into a new folder ".<base>.new-*" beside dir,
// syncs it, and swaps it with dir, so a crash at any instant leaves the
// old site or the new one; it removes what killed writes left. The error,
// "write site: …", wraps a *[SiteDirError] when [CheckSiteDir] refuses dir.
func WriteFiles(dir string, files []File) error {
	start := time.Now()
	err := CheckSiteDir(dir)
	if err == nil {
		err = replaceDir(filepath.Clean(dir), files, start)
	}
	if err != nil {
		return fmt.Errorf("write site: %w", err)
	}
	return nil
}

// replaceDir does the work of [WriteFiles] for a folder it accepts.
func replaceDir(dir string, files []File, start time.Time) (err error) {
	dirs := map[string]bool{".": true} // every folder of the new site, slash paths
	for _, f := range files {
		if !fs.ValidPath(f.Name) || f.Name == "." || strings.Contains(f.Name, `\`) {
			return fmt.Errorf("bad file name %q", f.Name)
		}
		for d := path.Dir(f.Name); !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := removeLeftovers(parent, base, start); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	delete(dirs, ".")
	order := slices.Sorted(maps.Keys(dirs))
	for _, d := range order { // a folder sorts before what it holds
		if err := os.Mkdir(filepath.Join(tmp, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	if err := parallel(len(files), writeWorkers, func(i int) error {
		return writeFile(filepath.Join(tmp, filepath.FromSlash(files[i].Name)), files[i].Data, 0o644)
	}); err != nil {
		return err
	}
	order = append(order, ".")
	if err := parallel(len(order), writeWorkers, func(i int) error {
		return syncDir(filepath.Join(tmp, filepath.FromSlash(order[i])))
	}); err != nil {
		return fmt.Errorf("sync the new site: %w", err)
	}

	old, err := swapIn(tmp, dir)
	if err != nil {
		return err
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("sync %q: %w", parent, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove the old site: %w", err)
		}
	}
	return nil
}

// parallel calls do(0), …, do(n-1) on at most workers goroutines and
// returns the first error by index; after one, no new call begins.
func parallel(n, workers int, do func(i int) error) error {
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range min(n, workers) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && !failed.Load(); i = int(next.Add(1) - 1) {
				if errs[i] = do(i); errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// swapByRenames moves dir aside to ".<base>.old-<digits>" and tmp into its
// place, renaming dir back if that fails, and returns where the old site
// now is ("" for none).
func swapByRenames(tmp, dir string) (old string, err error) {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, dir)
	} else if err != nil {
		return "", err
	}
	if old, err = os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-"); err != nil {
		return "", err
	}
	if err := os.Remove(old); err != nil {
		return "", err
	}
	if err := os.Rename(dir, old); err != nil {
		return "", fmt.Errorf("move the old site aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return "", fmt.Errorf("%w (and the old site stays at %q: %v)", err, old, rerr)
		}
		return "", err
	}
	return old, nil
}

// removeLeftovers removes from parent the folders ".<base>.new-<digits>"
// and ".<base>.old-<digits>" older than start, which killed writes left;
// files and symbolic links of those names stay.
func removeLeftovers(parent, base string, start time.Time) error {
	des, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	for _, de := range des {
		if !de.IsDir() || !isLeftover(de.Name(), base) {
			continue
		}
		fi, err := de.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since
		} else if err != nil {
			return err
		}
		if !fi.ModTime().Before(start) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parent, de.Name())); err != nil {
			return fmt.Errorf("remove what an earlier run left: %w", err)
		}
	}
	return nil
}

// isLeftover reports whether name is one a write of the site folder base
// makes next to it (os.MkdirTemp's): ".<base>.new-<digits>" or ".<base>.old-<digits>".
func isLeftover(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base)
	return ok && leftover.MatchString(rest)
}

var leftover = regexp.MustCompile(`^\.(new|old)-[0-9]+$`)
