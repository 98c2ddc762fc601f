package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// defaultLockWait is how long a run waits for another that holds a lock
// it needs (--lock-wait).
const defaultLockWait = 2 * time.Minute

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 50 * time.Millisecond

// One writer at a time: build and render lock the site folder, build and
// "history trim" the history folder, for as long as they read and write
// them, so that two runs never interleave (a run would lose another's
// lines). The locks are advisory flock(2) locks on lock files that stay
// between runs: historyLockName in the history folder, and .NAME.lock next
// to a site folder NAME (siteLockPath). The kernel releases a lock when its
// holder exits, however it ends. Where flock is missing (lock_other.go), no
// lock is taken.

// historyLockName is the history folder's lock file.
const historyLockName = ".lock"

// siteLockPath is the lock file of the site folder dir: ".public.lock"
// next to "public".
func siteLockPath(dir string) string {
	dir = filepath.Clean(dir)
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
}

// lockHolder is what a lock file says of the run that holds it, written
// there once the lock is taken.
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

// A heldLock is a lock taken; unlock releases it.
type heldLock struct{ f *os.File }

func (l *heldLock) unlock() {
	if l != nil {
		l.f.Close() // closing the file releases its lock
	}
}

// takeLock takes the lock of the lock file path (made if missing) for
// command, waiting up to wait while another run holds it, and telling
// ErrOut once that it waits. Waiting in vain is a failed run (exit 1),
// with one line that says who holds the lock; what names what is locked
// ("history folder \"data\""). It stops waiting when ctx ends.
func takeLock(ctx context.Context, ios *IOStreams, path, what, command string, wait time.Duration) (*heldLock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	var tick *time.Ticker
	var f *os.File
	for {
		var err error
		if f == nil {
			if f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644); err != nil {
				return nil, fmt.Errorf("%s: cannot make its lock file: %w", what, err)
			}
		}
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: cannot lock %q: %w", what, path, err)
		}
		if ok {
			// A run that made the folder and failed removes its lock
			// file (makeFolder): a lock on a file no longer at path is no
			// lock. Open it anew.
			if held, err := f.Stat(); err == nil {
				if now, err := os.Stat(path); err == nil && os.SameFile(held, now) {
					break
				}
			}
			f.Close()
			f = nil
			continue
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("%s is locked by another run, %s; gave up after %s (--lock-wait)", what, readHolder(path), wait)
		}
		if tick == nil {
			fmt.Fprintf(ios.ErrOut, "%s is locked by another run, %s; waiting up to %s\n", what, readHolder(path), wait)
			tick = time.NewTicker(lockPoll)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
	me, _ := json.Marshal(lockHolder{PID: os.Getpid(), Command: command, Started: time.Now().UTC().Truncate(time.Second)})
	if err := f.Truncate(0); err == nil {
		f.WriteAt(append(me, '\n'), 0) // only information: a failure costs nothing
	}
	return &heldLock{f}, nil
}

// readHolder reads who holds the lock of path.
func readHolder(path string) lockHolder {
	var h lockHolder
	data, err := os.ReadFile(path)
	if err == nil {
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
