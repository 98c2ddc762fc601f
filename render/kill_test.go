package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// killChildEnv makes the test binary a child of TestWriteSiteKilled: it
// holds "a:DIR" or "b:DIR", the site to write and the folder to write it
// into.
const killChildEnv = "DEADYET_TEST_KILL_CHILD"

// killKills is how many children TestWriteSiteKilled kills; under the
// race detector, where a write takes ten times as long, killKillsRace
// (make test runs the test without it too, for the whole count).
const (
	killKills     = 50
	killKillsRace = 5
)

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	return ok && slices.ContainsFunc(bi.Settings, func(s debug.BuildSetting) bool { return s.Key == "-race" && s.Value == "true" })
}

// killSiteOptions is one of the two sites the children write: "a" with no
// server up, "b" with one MSNP21 server up. 45 servers make 65 files and
// as many folders to sync, so that kills land in the write, not only in
// the child's start.
func killSiteOptions(variant string) Options {
	cfg := fixtureConfig(15, 15, 15)
	upAt := func(g, s int) bool { return false }
	if variant == "b" {
		upAt = fixtureUpAt
	}
	return Options{Config: cfg, Page: Page{URL: "https://someone.github.io/deadyet/"}, Results: fixtureResults(cfg, upAt)}
}

// siteHash is a hash of files: their names and contents, in name order.
func siteHash(files []File) string {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.Name, len(f.Data))
		h.Write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// dirHash is siteHash of the files in dir; "" when dir is missing.
func dirHash(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	var files []File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, File{filepath.ToSlash(rel), data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return siteHash(files)
}

// TestWriteSiteKilled kills children writing a site at random moments
// (SIGKILL: no deferred cleanup runs) and checks after each kill that the
// site folder holds exactly the old site or exactly the new one, never
// nothing and never a mix; and that the next write removes what the
// killed ones left next to it.
func TestWriteSiteKilled(t *testing.T) {
	if spec := os.Getenv(killChildEnv); spec != "" {
		variant, dir, _ := strings.Cut(spec, ":")
		if _, _, err := writeSite(dir, killSiteOptions(variant)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}

	hashes := map[string]string{}
	for _, variant := range []string{"a", "b"} {
		files := mustRender(t, killSiteOptions(variant))
		hashes[variant] = siteHash(files)
	}
	if hashes["a"] == hashes["b"] {
		t.Fatal("the two sites are the same")
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	if _, _, err := writeSite(dir, killSiteOptions("a")); err != nil {
		t.Fatal(err)
	}
	current := "a"
	other := func() string {
		if current == "a" {
			return "b"
		}
		return "a"
	}

	// run starts a child writing the other site, kills it after delay
	// (never, when delay < 0) and reports whether it finished first.
	run := func(delay time.Duration) (finished bool) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteSiteKilled$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+other()+":"+dir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if delay >= 0 {
			time.Sleep(delay) // not synchronisation: the random moment of the kill
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return true
		case errors.As(err, &ee) && !ee.Exited():
			return false // killed
		}
		t.Fatalf("child: %v\n%s", err, stderr.String())
		return false
	}
	// check reports whether dir holds the old site or the new one, and
	// fails when it holds neither.
	check := func(kill int) {
		t.Helper()
		switch h := dirHash(t, dir); h {
		case hashes[current]:
		case hashes[other()]:
			current = other()
		case "":
			t.Fatalf("kill %d: the site folder is missing; next to it: %v", kill, listDir(t, parent))
		default:
			t.Fatalf("kill %d: the site folder holds neither the old site nor the new one", kill)
		}
	}

	// One whole write each way: how long a write takes, child included
	// (the faster of the two: the first may pay for a cold cache).
	full := time.Duration(1<<63 - 1)
	for range 2 {
		t0 := time.Now()
		if !run(-1) {
			t.Fatal("a child not killed did not finish")
		}
		full = min(full, time.Since(t0))
		check(0)
	}

	const seed = 1
	rng := rand.New(rand.NewPCG(seed, 9))
	kills := killKills
	if raceEnabled() {
		kills = killKillsRace
	}
	olds, news := 0, 0
	for kill := 1; kill <= kills; kill++ {
		before := current
		run(time.Duration(rng.Int64N(int64(full))))
		check(kill)
		if current == before {
			olds++
		} else {
			news++
		}
	}
	left := len(listDir(t, parent)) - 1
	t.Logf("%d kills at random moments in a write of %v (seed %d): the old site %d times, the new one %d times, never neither; %d folders left next to the site",
		kills, full.Round(time.Millisecond), seed, olds, news, left)

	// A whole write removes what the killed ones left.
	if !run(-1) {
		t.Fatal("a child not killed did not finish")
	}
	check(kills + 1)
	if got := listDir(t, parent); !slices.Equal(got, []string{"public"}) {
		t.Errorf("after a whole write, next to the site: %v; want only public", got)
	}
}
