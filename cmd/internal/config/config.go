// Package config reads site.toml, the file that says what deadyet probes
// and what its page says, into a [probe.Config] and a [render.Page].
//
// Decoding is strict. BurntSushi/toml parses the file into a generic tree,
// which fails only on bad syntax (a [toml.ParseError], which has its
// position); this package then reads each table out of the tree with its own
// type checks, and every key it does not know is an unknown key. Each table
// has a type here whose validate method holds that table's rules; the forms
// of a protocol version and of a host, and the bounds of the [probe] table,
// are probe's ([probe.ValidVersion], [probe.CanonicalHost],
// [probe.ValidTimeout]).
//
// Every problem is one line, "file:line: what is wrong" (an [*Error]), and
// all of a file's problems come at once, sorted by line. Lines are looked up
// only when there is a problem, in one pass over the file (see lines.go):
// loading is linear in the file's size.
//
// Memory is BurntSushi/toml's, mostly: it builds its whole tree before any
// of it is read, and a server written as an inline table costs it two Go
// maps while its array is parsed (one it keeps, one it drops when the array
// ends). A load of 100,000 servers peaks at about 28 times the file's size
// in live heap, of which only the file's own bytes are this package's; it
// then adds, per server, its [probe.Server] and an entry in the table that
// finds duplicates, and no path string unless a problem names it.
// BenchmarkLoadConfig (make bench) prints the ratios.
package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/render"
)

// Site is a decoded, validated site.toml.
type Site struct {
	Probe probe.Config
	Page  render.Page // the page's text; its empty fields take render's fallbacks
}

// Load reads and validates the site.toml at path. Each problem in the file
// is an [*Error], several are joined with newlines ([errors.Join]); a file
// that cannot be read gives "path: cannot read: …"; when ctx ends first, the
// error is ctx's.
func Load(ctx context.Context, path string) (*Site, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said already
		}
		return nil, fmt.Errorf("%s: cannot read: %w", path, err)
	}
	return Parse(ctx, path, data)
}

// Parse validates data, the site.toml named file in messages.
func Parse(ctx context.Context, file string, data []byte) (*Site, error) {
	tree, err := decode(ctx, data)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, err
		}
		return nil, parseError(file, data, err)
	}
	var ps problems
	s, err := readSite(ctx, table{m: tree, index: -1}, &ps)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ps.err(file, data); err != nil {
		return nil, err
	}
	return s, nil
}

// decode parses data into a generic tree. The parser cannot be stopped, so
// it runs aside and decode returns as soon as ctx ends; a command that is
// interrupted exits without waiting for it.
func decode(ctx context.Context, data []byte) (map[string]any, error) {
	type decoded struct {
		tree map[string]any
		err  error
	}
	done := make(chan decoded, 1)
	go func() {
		var tree map[string]any
		_, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&tree) // not Decode(string(data)): one copy less
		done <- decoded{tree, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case d := <-done:
		return d.tree, d.err
	}
}

// parseError is a syntax error as "file:line: message". The message is
// the parser's own; it is prefixed with the key being read when the error
// is on that key's line and does not name it already.
func parseError(file string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", file, err)
	}
	msg := pe.Message
	if k := pe.LastKey; k != "" && !strings.Contains(msg, k) && assigns(lineOf(data, pe.Position.Line), k[strings.LastIndexByte(k, '.')+1:]) {
		msg = k + ": " + msg
	}
	return &Error{File: file, Line: pe.Position.Line, Msg: msg}
}

// lineOf is line n (1-based) of data.
func lineOf(data []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return string(data)
}

// assigns reports whether line assigns key (bare or quoted): key, then
// "=", at the start of the line or after "{" or ",".
func assigns(line, key string) bool {
	for i := 0; ; {
		j := strings.Index(line[i:], key)
		if j < 0 {
			return false
		}
		j += i
		before := strings.TrimRight(line[:j], `"' `+"\t")
		after := strings.TrimLeft(line[j+len(key):], `"' `+"\t")
		if (before == "" || strings.HasSuffix(before, "{") || strings.HasSuffix(before, ",")) && strings.HasPrefix(after, "=") {
			return true
		}
		i = j + 1
	}
}
