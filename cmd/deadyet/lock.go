package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// One writer at a time: build and render lock the site folder, build and
// "history trim" the history folder, with gofrs/flock on lock files that
// stay; the kernel releases a lock when its holder exits, however it ends.
const (
	defaultLockWait = 2 * time.Minute       // --lock-wait
	lockPoll        = 50 * time.Millisecond // how often a waiting run tries again
	historyLockName = ".lock"               // the history folder's lock file
)

// siteLockPath is the lock file of the site folder dir: ".public.lock"
// next to "public".
func siteLockPath(dir string) string {
	dir = filepath.Clean(dir)
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
}

// lockHolder is what a lock file says of the run that holds it.
type lockHolder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"` // "deadyet build"
	Started time.Time `json:"started"`
}

func (h lockHolder) String() string {
	if h.PID == 0 {
		return "a run that did not say who it is"
	}
	return fmt.Sprintf("pid %d (%s, started %s)", h.PID, h.Command, h.Started.UTC().Format(time.RFC3339))
}

// takeLock takes the lock file path (made if missing) for command, waiting
// up to wait and saying once on ErrOut that it waits. Waiting in vain is a
// failed run (exit 1) whose error says who holds the lock; what names what
// is locked ("history folder \"data\""). Unlock releases it.
func takeLock(ctx context.Context, ios *IOStreams, path, what, command string, wait time.Duration) (*flock.Flock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for said := false; ; {
		f := flock.New(path)
		ok, err := f.TryLock()
		if !ok && err == nil && wait > 0 {
			if !said {
				fmt.Fprintf(ios.ErrOut, "%s is locked by another run, %s; waiting up to %s\n", what, readHolder(path), wait)
				said = true
			}
			ok, err = f.TryLockContext(waitCtx, lockPoll)
		}
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) || !ok && err == nil:
			return nil, fmt.Errorf("%s is locked by another run, %s; gave up after %s (--lock-wait)", what, readHolder(path), wait)
		case errors.Is(err, errors.ErrUnsupported): // Plan 9, wasm: no lock; keep runs apart yourself
			return f, nil
		case err != nil:
			return nil, fmt.Errorf("%s: cannot lock %q: %w", what, path, err)
		}
		// A run that made the folder and failed removes its lock file
		// (makeFolder): a lock on a file no longer at path is no lock.
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			me, _ := json.Marshal(lockHolder{PID: os.Getpid(), Command: command, Started: time.Now().UTC().Truncate(time.Second)})
			os.WriteFile(path, append(me, '\n'), 0o644) // only information: a failure costs nothing
			return f, nil
		}
		f.Unlock()
	}
}

// readHolder reads who holds the lock of path.
func readHolder(path string) lockHolder {
	var h lockHolder
	if data, err := os.ReadFile(path); err == nil {
		json.Unmarshal(data, &h) // a half-written file reads as no one
	}
	return h
}

// checkLockWait refuses a negative --lock-wait.
func checkLockWait(d time.Duration) error {
	if d < 0 {
		return badInput(errors.New("--lock-wait " + d.String() + ": want 0 (do not wait) or more"))
	}
	return nil
}
