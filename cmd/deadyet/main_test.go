package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"deadyet/probe/msntest"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main() // see deadyetChild
	}
	testscript.Main(m, map[string]func(){
		"deadyet": main,
	})
}

// TestScripts pins the command line: exit codes, output and error lines.
// See testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": cmdExits},
	})
}

// cmdExits runs a program and checks its exit status:
//
//	exits 2 deadyet probe --config bad.toml
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits status program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// closeFleet stops a simulated fleet and fails t if any of its servers was
// sent a second stage of sign-in, which the probe must never send.
func closeFleet(t testing.TB, f *msntest.Fleet) {
	t.Helper()
	if err := f.Close(); err != nil {
		t.Error(err)
	}
}
