// Package config reads site.toml, the file that says what deadyet probes
// and what its page says, into a [probe.Config] and a [render.Page].
//
// Decoding is strict: an unknown key, a value of the wrong type or a broken
// rule is a problem, and every problem is one line, "file:line: what is
// wrong" (an [*Error]). All of a file's problems come at once, sorted by line.
package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
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
// that cannot be read gives "path: cannot read: …"; when ctx has ended
// before or by the end of the load, the error is ctx's.
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

// Parse validates data, the site.toml named file in messages, as Load does.
func Parse(ctx context.Context, file string, data []byte) (*Site, error) {
	s, err := parse(file, data)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return s, err
}

func parse(file string, data []byte) (*Site, error) {
	var root toml.Primitive // decoded twice: as a tree for its shape, then into siteFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&root)
	if err != nil {
		return nil, parseError(file, data, err)
	}
	ps := &problems{data: data}
	var tree any
	if err := md.PrimitiveDecode(root, &tree); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var s *Site
	if shape(tree.(map[string]any), place{}, ps); len(ps.list) == 0 {
		var f siteFile
		if err := md.PrimitiveDecode(root, &f); err != nil { // cannot happen once shape is content
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		s = f.validate(ps)
		ps.unknown(md)
	}
	if err := ps.err(file); err != nil {
		return nil, err
	}
	return s, nil
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
	lines := strings.Split(string(data), "\n")
	return lines[min(max(n, 1), len(lines))-1]
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

// Error is one problem of a site.toml: "file:line: what is wrong", or
// "file: what is wrong" when it is about the file as a whole (Line 0).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}
