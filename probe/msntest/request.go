package msntest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// maxRequestBody bounds the body of a gateway request a server reads.
const maxRequestBody = 64 << 10

// gatewayRequest is what a gateway reads of an HTTP request.
type gatewayRequest struct {
	method    string
	path      string // decoded
	action    string // the query's first Action
	sessionID string // the query's first SessionID
	body      []byte // at most maxRequestBody bytes
}

// readGatewayRequest reads one HTTP request, as net/http's ReadRequest
// does. The plain requests a gateway client sends (the whole head in what
// has arrived, CRLF line ends, no folded header, a Content-Length body or
// none, nothing escaped in the path or the query) take a short way, which
// reads them as ReadRequest would (TestQuickRequest holds the two
// together); the others go to ReadRequest itself.
func readGatewayRequest(br *bufio.Reader) (gatewayRequest, error) {
	if r, ok, err := quickRequest(br); ok {
		return r, err
	}
	req, err := http.ReadRequest(br)
	if err != nil {
		return gatewayRequest{}, err
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, maxRequestBody))
	if err != nil {
		return gatewayRequest{}, err
	}
	q := req.URL.Query()
	return gatewayRequest{method: req.Method, path: req.URL.Path, action: q.Get("Action"), sessionID: q.Get("SessionID"), body: body}, nil
}

// quickRequest reads a plain request, and reports whether it was one.
// When it was not, nothing has been read but what br had buffered
// already, which it leaves in place.
func quickRequest(br *bufio.Reader) (gatewayRequest, bool, error) {
	if _, err := br.Peek(1); err != nil {
		return gatewayRequest{}, false, nil // ReadRequest says what went wrong
	}
	buf, _ := br.Peek(br.Buffered())
	end := bytes.Index(buf, []byte("\r\n\r\n"))
	if end < 0 {
		return gatewayRequest{}, false, nil
	}
	line, headers, _ := bytes.Cut(buf[:end], []byte("\r\n"))
	var r gatewayRequest
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(method) == 0 || !isToken(method) ||
		string(proto) != "HTTP/1.1" && string(proto) != "HTTP/1.0" ||
		len(target) == 0 || target[0] != '/' || !plain(target, "#%+;") {
		return r, false, nil
	}
	path, query, _ := bytes.Cut(target, []byte("?"))
	var action, session []byte
	var haveAction, haveSession bool
	for pair := range bytes.SplitSeq(query, []byte("&")) {
		k, v, _ := bytes.Cut(pair, []byte("="))
		switch string(k) {
		case "Action":
			if !haveAction {
				action, haveAction = v, true
			}
		case "SessionID":
			if !haveSession {
				session, haveSession = v, true
			}
		}
	}
	length := 0
	haveLength := false
	for h := range bytes.SplitSeq(headers, []byte("\r\n")) {
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok || len(name) == 0 || !isToken(name) || bytes.ContainsAny(h, "\r\n") {
			return r, false, nil
		}
		value = bytes.Trim(value, " \t")
		if !plain(value, "") {
			return r, false, nil
		}
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseUint(string(value), 10, 31)
			if haveLength || err != nil || n > maxRequestBody {
				return r, false, nil
			}
			length, haveLength = int(n), true
		case asciiEqualFold(name, "Transfer-Encoding"):
			return r, false, nil
		}
	}
	r = gatewayRequest{method: string(method), path: string(path), action: string(action), sessionID: string(session)}
	br.Discard(end + len("\r\n\r\n"))
	if length > 0 {
		r.body = make([]byte, length)
		if _, err := io.ReadFull(br, r.body); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return gatewayRequest{}, true, err
		}
	}
	return r, true, nil
}

// plain reports whether b is printable ASCII, spaces included, without
// any of the bytes of not.
func plain(b []byte, not string) bool {
	for _, c := range b {
		if c < ' ' || c > '~' || bytes.IndexByte([]byte(not), c) >= 0 {
			return false
		}
	}
	return true
}

// isToken reports whether b is an HTTP token (RFC 9110 tchar).
func isToken(b []byte) bool {
	for _, c := range b {
		if c <= ' ' || c > '~' || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), c) >= 0 {
			return false
		}
	}
	return true
}

// asciiEqualFold reports whether b is s, ignoring the case of ASCII
// letters.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
