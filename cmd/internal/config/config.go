// Package config reads site.toml, the file that says what deadyet probes
// and what its page says, into a [probe.Config] and a [render.Page].
//
// Decoding is strict: an unknown key, a value of the wrong type or a broken
// rule is a problem, and every problem is one line, "file:line: what is
// wrong" (an [*Error]). All of a file's problems come at once, sorted by line.
package config

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/render"
	"deadyet/render/tomlscan"
)

// Site is a decoded, validated site.toml.
type Site struct {
	Probe probe.Config
	Page  render.Page // the page's text; its empty fields take render's fallbacks
}

// MaxSize is the largest site.toml Load reads: ten times a file of 1,000
// servers with a page's text, which is about 100 KB.
const MaxSize = 1 << 20

// Load reads and validates the site.toml at path. Each problem is an
// [*Error], several joined ([errors.Join]); a file that cannot be read, is not
// regular or is larger than [MaxSize] gives one line "path: …". When ctx
// ends before or by the end of the load, the error is ctx's.
func Load(ctx context.Context, path string) (*Site, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := read(path)
	if err != nil {
		return nil, err
	}
	return Parse(ctx, path, data)
}

// read reads the file at path, refusing before it reads one that is not a
// regular file (a FIFO would block, /dev/zero never end) or is too large.
func read(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	var f *os.File
	if err == nil && fi.Mode().IsRegular() {
		f, err = os.Open(path)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is said already
		}
		return nil, fmt.Errorf("%s: cannot read: %w", path, err)
	}
	if f == nil {
		return nil, fmt.Errorf("%s: is not a regular file (%s): site.toml must be one", path, fileKind(fi.Mode()))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: cannot read: %w", path, err)
	case len(data) > MaxSize:
		return nil, fmt.Errorf("%s: is larger than %d MiB, the most a site.toml may be", path, MaxSize>>20)
	}
	return data, nil
}

// Parse validates data, the site.toml named file in messages, as Load does.
func Parse(ctx context.Context, file string, data []byte) (s *Site, err error) {
	defer func() { err = cmp.Or(ctx.Err(), err) }()
	if line, err := tomlscan.Check(data); err != nil {
		return nil, &Error{File: file, Line: line, Msg: err.Error()}
	}
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
	if k := pe.LastKey; k != "" && !strings.Contains(msg, k) && assigns(data, pe.Position.Line, k[strings.LastIndexByte(k, '.')+1:]) {
		msg = k + ": " + msg
	}
	return &Error{File: file, Line: pe.Position.Line, Msg: msg}
}

// assigns reports whether line of data assigns key (bare or quoted).
func assigns(data []byte, line int, key string) bool {
	toks := tomlscan.Tokens(data)
	for i := 1; i < len(toks); i++ {
		if toks[i-1].Line == line && strings.Trim(toks[i-1].Text, `"'`) == key && toks[i].Text == "=" {
			return true
		}
	}
	return false
}

// fileKind names what a file that is not regular is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
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
