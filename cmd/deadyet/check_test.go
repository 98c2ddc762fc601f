package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Every invalid site.toml of package config makes "deadyet check" exit 2
// with its message on stderr, and nothing on stdout.
func TestCheckInvalidConfigs(t *testing.T) {
	files, err := filepath.Glob("../internal/config/testdata/invalid-*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".toml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# error: ")
			if !ok {
				t.Fatal(`first line must be "# error: …"`)
			}
			want = strings.ReplaceAll("\n"+strings.ReplaceAll(want, `\n`, "\n"), "\n"+filepath.Base(file), "\n"+file)[1:]
			ios, stdout, stderr := testIO()
			code := run(context.Background(), []string{"check", "--config", file, "--news", ""}, ios)
			if code != 2 || stderr.String() != want+"\n" || stdout.Len() != 0 {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and:\n%s", code, stdout.String(), stderr.String(), want)
			}
		})
	}
}

// A check that is interrupted (SIGTERM) while it reads a large site.toml
// stops at once and says so, with exit status 143.
func TestCheckInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.toml")
	var b strings.Builder
	b.WriteString("[checks.tcp443]\nkind = \"tcp\"\nport = 443\n\n[[group]]\nname = \"big\"\nchecks = [\"tcp443\"]\nservers = [\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "  { address = \"127.%d.%d.1\" },\n", i>>8, i&255)
	}
	b.WriteString("]\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, stdout, stderr := testIO()
	code := run(signalled(syscall.SIGTERM), []string{"check", "--config", path, "--news", ""}, ios)
	if want := "interrupted by SIGTERM: nothing was written\n"; code != 143 || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 143 and %q", code, stdout.String(), stderr.String(), want)
	}
}
