package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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
