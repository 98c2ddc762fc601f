package main

import (
	"bytes"
	"io"
)

// quiet throws a command's output away.
var quiet = &IOStreams{Out: io.Discard, ErrOut: io.Discard}

// testIO is IOStreams that keep what a command writes, not a terminal.
func testIO() (ios *IOStreams, stdout, stderr *bytes.Buffer) {
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{Out: stdout, ErrOut: stderr}, stdout, stderr
}
