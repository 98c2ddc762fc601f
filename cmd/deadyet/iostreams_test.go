package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// quiet throws a command's output away.
var quiet = &IOStreams{Out: io.Discard, ErrOut: io.Discard}

// testIO is IOStreams that keep what a command writes, not a terminal.
func testIO() (ios *IOStreams, stdout, stderr *bytes.Buffer) {
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{Out: stdout, ErrOut: stderr}, stdout, stderr
}

// writeFiles writes files, by their paths below dir, making their folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		err := os.MkdirAll(filepath.Dir(p), 0o755)
		if err == nil {
			err = os.WriteFile(p, []byte(data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
