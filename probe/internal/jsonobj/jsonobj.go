// Package jsonobj reads JSON objects member by member with encoding/json's
// Decoder.Token, which sees each name as written: struct decoding would
// match "STATE" to "state" and keep the last of a repeated name.
package jsonobj

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Error is what is wrong at byte Off of the input.
type Error struct {
	Off int64
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// Read reads the object next in dec. Each member's name must be one of
// names, exactly, and come once; value(i) decodes the value of names[i]
// from dec. has has bit i set for each names[i] present.
func Read(dec *json.Decoder, names []string, value func(i int) error) (has uint64, err error) {
	if err := Delim(dec, '{'); err != nil {
		return 0, err
	}
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return has, Fail(off, err)
		}
		name, _ := tok.(string)
		i := slices.Index(names, name)
		switch {
		case i < 0:
			return has, &Error{off, fmt.Sprintf("unknown field %q", name)}
		case has&(1<<i) != 0:
			return has, &Error{off, fmt.Sprintf("field %q given twice", name)}
		}
		has |= 1 << i
		off = dec.InputOffset()
		if err := value(i); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return has, err
			}
			if e = Fail(off, err); !errors.As(err, new(*json.SyntaxError)) && e.Off == off {
				e.Msg = fmt.Sprintf("%q: %s", name, e.Msg)
			}
			return has, e
		}
	}
	return has, Delim(dec, '}')
}

// Delim reads the token next in dec, which must be want.
func Delim(dec *json.Decoder, want json.Delim) error {
	off := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return Fail(off, err)
	}
	if tok != want {
		return &Error{off, fmt.Sprintf("found %v where %q is wanted", tok, string(want))}
	}
	return nil
}

// End checks that dec has nothing but spaces left.
func End(dec *json.Decoder) error {
	off := dec.InputOffset()
	if _, err := dec.Token(); errors.Is(err, io.EOF) {
		return nil
	}
	return &Error{off, "text after the end of the object"}
}

// Fail is err, met decoding at byte off, as an *Error: at the JSON error's
// own offset when it has one, and at -1 (the end) when the input ended.
func Fail(off int64, err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &Error{syn.Offset - 1, "bad JSON: " + syn.Error()}
	case errors.As(err, &typ):
		return &Error{off, fmt.Sprintf("%s where %s is wanted", typ.Value, typ.Type)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{-1, "unexpected end (truncated?)"}
	}
	return &Error{off, strings.TrimPrefix(err.Error(), "json: ")}
}
