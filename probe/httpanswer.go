package probe

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
)

// A gateway check reads the HTTP/1 answers itself, on its kept connection,
// rather than through net/http: it needs the status, one header and a
// small body, and a run reads tens of thousands of answers. It reads them
// as net/http's ReadResponse does (the differential fuzz test
// FuzzHTTPAnswer holds the two together, with the answer given whole and
// a byte at a time):
//
//   - lines end in CRLF or a bare LF, and may be longer than the read
//     buffer (an answer is bounded as a whole, maxHTTP); a header line
//     that starts with a space or a tab continues the one before (not the
//     first); chunk size lines end in CRLF;
//   - the status line is HTTP/<digit>.<digit>, a space, and a three-digit
//     code; header names are tokens, values hold no control characters;
//   - the body is chunked (HTTP/1.1 and later, Transfer-Encoding: chunked,
//     trailers read and dropped), or Content-Length bytes (a header
//     repeated with another value is refused), or, with neither, all that
//     comes until the server closes; 1xx, 204 and 304 answers have none;
//   - the connection closes after the answer when it says
//     "Connection: close", when it is HTTP/1.0 without
//     "Connection: keep-alive", or when its body runs until the close.
//
// One difference: a status code must be three digits (net/http takes
// "+20" for 20).

// errNotHTTP is an answer that breaks HTTP's grammar.
var errNotHTTP = errors.New("not HTTP")

// httpHead is what a gateway check keeps of an HTTP answer's status line
// and headers.
type httpHead struct {
	major, minor int
	proto        string // the status line's first field, when major is not 1
	code         int
	messenger    string // the first X-MSN-Messenger header's value
	length       int64  // the body's Content-Length; -1 when none or chunked
	chunked      bool
	close        bool // the server closes the connection after the body
}

// readHTTPHead reads an HTTP answer's status line and headers from br. buf
// is scratch space for folded header lines, returned for reuse.
func readHTTPHead(br *bufio.Reader, buf []byte) (httpHead, []byte, error) {
	h := httpHead{length: -1}
	var long []byte
	line, err := httpLine(br, &long)
	if err != nil {
		return h, buf, err
	}
	if err := h.parseStatus(line); err != nil {
		return h, buf, err
	}
	var (
		cl         string // the first Content-Length
		clSeen     bool
		te         int // Transfer-Encoding headers
		teChunked  bool
		messenger  bool
		hasClose   bool
		hasKeepAlv bool
		badTrailer bool // a Trailer header that names one of the framing headers
	)
	buf, err = readHeaders(br, buf, func(k, v []byte) error {
		switch {
		case asciiEqualFold(k, "X-MSN-Messenger"):
			if !messenger {
				h.messenger, messenger = string(v), true
			}
		case asciiEqualFold(k, "Content-Length"):
			v = bytes.Trim(v, " \t")
			if !clSeen {
				cl, clSeen = string(v), true
			} else if string(v) != cl {
				return errNotHTTP // two lengths
			}
		case asciiEqualFold(k, "Transfer-Encoding"):
			te++
			teChunked = asciiEqualFold(v, "chunked")
		case asciiEqualFold(k, "Trailer"):
			for tok := range bytes.SplitSeq(v, []byte(",")) {
				tok = bytes.Trim(tok, " \t")
				badTrailer = badTrailer || asciiEqualFold(tok, "Transfer-Encoding") || asciiEqualFold(tok, "Trailer") || asciiEqualFold(tok, "Content-Length")
			}
		case asciiEqualFold(k, "Connection"):
			for tok := range bytes.SplitSeq(v, []byte(",")) {
				tok = bytes.Trim(tok, " \t")
				hasClose = hasClose || asciiEqualFold(tok, "close")
				hasKeepAlv = hasKeepAlv || asciiEqualFold(tok, "keep-alive")
			}
		}
		return nil
	})
	if err != nil {
		return h, buf, err
	}
	// As net/http: HTTP/1.0 knows no transfer encoding (but "HTTP/0.0"
	// counts as 1.1), a Content-Length must be a number even where it is
	// not used, and a chunked body's trailers may not be framing headers.
	if te > 0 && (h.major > 1 || h.major == 1 && h.minor >= 1 || h.major == 0 && h.minor == 0) {
		if te != 1 || !teChunked {
			return h, buf, errNotHTTP // an encoding that is not chunked alone
		}
		h.chunked = true
	}
	if clSeen {
		n, err := strconv.ParseUint(cl, 10, 63)
		if err != nil {
			return h, buf, errNotHTTP
		}
		h.length = int64(n)
	}
	if h.chunked && badTrailer {
		return h, buf, errNotHTTP
	}
	switch {
	case h.code/100 == 1 || h.code == 204 || h.code == 304:
		h.length, h.chunked = 0, false
	case h.chunked:
		h.length = -1
	}
	switch {
	case h.major < 1:
		h.close = true
	case h.major == 1 && h.minor == 0:
		h.close = hasClose || !hasKeepAlv
	default:
		h.close = hasClose
	}
	if h.length < 0 && !h.chunked {
		h.close = true // the body ends when the connection does
	}
	return h, buf, nil
}

// parseStatus reads "HTTP/1.1 200 OK".
func (h *httpHead) parseStatus(line []byte) error {
	proto, status, ok := bytes.Cut(line, []byte(" "))
	if !ok {
		return errNotHTTP
	}
	status = bytes.TrimLeft(status, " ")
	code, _, _ := bytes.Cut(status, []byte(" "))
	if len(code) != 3 || !allIn(string(code), '0', '9') {
		return errNotHTTP
	}
	h.code = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
	if len(proto) != len("HTTP/1.1") || string(proto[:5]) != "HTTP/" || proto[6] != '.' ||
		!allIn(string(proto[5:6]), '0', '9') || !allIn(string(proto[7:]), '0', '9') {
		return errNotHTTP
	}
	h.major, h.minor = int(proto[5]-'0'), int(proto[7]-'0')
	if h.major != 1 {
		h.proto = string(proto)
	}
	return nil
}

// readHeaders reads header lines up to the empty line that ends them, and
// calls f with each header's name and value (a folded header's lines
// joined by a space, the value without the spaces around it). buf is
// scratch space, returned for reuse.
func readHeaders(br *bufio.Reader, buf []byte, f func(k, v []byte) error) ([]byte, error) {
	var long []byte // a line longer than br's buffer
	for first := true; ; first = false {
		line, err := httpLine(br, &long)
		if err != nil {
			return buf, err
		}
		if len(line) == 0 {
			return buf, nil
		}
		if first && (line[0] == ' ' || line[0] == '\t') {
			return buf, errNotHTTP // a continuation of nothing
		}
		kv := bytes.Trim(line, " \t")
		// Is the next line a continuation? Looking may refill br's
		// buffer, where line lies: then keep a copy first.
		if next, _ := br.Peek(br.Buffered()); len(next) == 0 || next[0] == ' ' || next[0] == '\t' {
			buf = append(buf[:0], kv...)
			for {
				next, _ := br.Peek(1)
				if len(next) == 0 || next[0] != ' ' && next[0] != '\t' {
					break
				}
				more, err := httpLine(br, &long)
				if err != nil {
					return buf, err
				}
				buf = append(buf, ' ')
				buf = append(buf, bytes.Trim(more, " \t")...)
			}
			kv = buf
		}
		k, v, ok := bytes.Cut(kv, []byte(":"))
		if !ok || len(k) == 0 || !isToken(k) {
			return buf, errNotHTTP
		}
		for _, c := range v {
			if c < ' ' && c != '\t' || c == 0x7f {
				return buf, errNotHTTP
			}
		}
		if err := f(k, bytes.TrimLeft(v, " \t")); err != nil {
			return buf, err
		}
	}
}

// httpLine reads one line of an HTTP answer, without its LF and a CR
// before it. The slice is valid until the next read. A line longer than
// br's buffer is gathered in *long (the answer's bound, maxHTTP, bounds
// it). A line cut short by the end of the connection is
// io.ErrUnexpectedEOF.
func httpLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		*long = append((*long)[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = br.ReadSlice('\n')
			*long = append(*long, b...)
		}
		b = *long
	}
	switch {
	case err == nil:
	case len(b) > 0 && err == io.EOF:
		return nil, io.ErrUnexpectedEOF
	default:
		return nil, err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b, nil
}

// readHTTPBody reads the body h announces into buf[:0], at most limit
// bytes (one more when there are more, so that the caller sees it is too
// long). A body cut short by the end of the connection is
// io.ErrUnexpectedEOF.
func readHTTPBody(br *bufio.Reader, h httpHead, buf []byte, limit int) ([]byte, error) {
	buf = slices.Grow(buf[:0], limit+1)
	switch {
	case h.chunked:
		return readChunked(br, buf, limit)
	case h.length >= 0:
		buf = buf[:min(h.length, int64(limit)+1)]
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, unexpectedEOF(err)
		}
		return buf, nil
	}
	for len(buf) <= limit { // until the server closes
		n, err := br.Read(buf[len(buf) : limit+1])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// readChunked reads a chunked body into buf (of room for limit+1 bytes),
// and the trailers after it.
func readChunked(br *bufio.Reader, buf []byte, limit int) ([]byte, error) {
	for {
		line, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, errNotHTTP // a chunk size line longer than br's buffer
		case err != nil:
			return nil, unexpectedEOF(err)
		}
		if i := bytes.IndexByte(line, '\r'); len(line) < 2 || i != len(line)-2 {
			return nil, errNotHTTP // a bare LF, or a CR inside: chunk lines end in CRLF
		}
		line = bytes.TrimRight(line[:len(line)-2], " \t")
		line, _, _ = bytes.Cut(line, []byte(";")) // chunk extensions
		size, ok := parseHex(line)
		if !ok {
			return nil, errNotHTTP
		}
		if size == 0 {
			return buf, readTrailers(br)
		}
		start := len(buf)
		buf = buf[:start+int(min(size, uint64(limit+1-start)))]
		if _, err := io.ReadFull(br, buf[start:]); err != nil {
			return nil, unexpectedEOF(err)
		}
		if len(buf) > limit {
			return buf, nil // too long: the rest is not read
		}
		var crlf [2]byte
		if _, err := io.ReadFull(br, crlf[:]); err != nil {
			return nil, unexpectedEOF(err)
		}
		if crlf != [2]byte{'\r', '\n'} {
			return nil, errNotHTTP
		}
	}
}

// readTrailers reads what follows a chunked body's last chunk: a CRLF, or
// header lines that end with a CRLF CRLF within br's buffer.
func readTrailers(br *bufio.Reader) error {
	if b, _ := br.Peek(2); string(b) == "\r\n" {
		_, err := br.Discard(2)
		return err
	}
	for n := 4; ; n++ {
		b, err := br.Peek(n)
		if bytes.HasSuffix(b, []byte("\r\n\r\n")) {
			break
		}
		if err != nil {
			return unexpectedEOF(err) // the end, or no end of the trailers within the buffer
		}
	}
	_, err := readHeaders(br, nil, func(k, v []byte) error { return nil })
	return unexpectedEOF(err)
}

// unexpectedEOF is err, io.ErrUnexpectedEOF for io.EOF: the answer was
// cut short.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseHex reads a chunk size: 1 to 16 hexadecimal digits.
func parseHex(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		n = n<<4 | uint64(c)
	}
	return n, true
}

// isToken reports whether b is an HTTP token (RFC 9110 tchar), or
// spaces too: net/http takes "Name : value" for a header of another name,
// "Name ", which matches none of those the check reads.
func isToken(b []byte) bool {
	for _, c := range b {
		if c < ' ' || c >= 0x7f || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), c) >= 0 {
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
		if x|0x20 >= 'a' && x|0x20 <= 'z' {
			x |= 0x20
		}
		if y|0x20 >= 'a' && y|0x20 <= 'z' {
			y |= 0x20
		}
		if x != y {
			return false
		}
	}
	return true
}
