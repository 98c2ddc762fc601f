package probe

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// leanAnswer is what the gateway check reads of an answer.
type leanAnswer struct {
	headErr, bodyErr bool
	major, minor     int
	code             int
	messenger        string
	close            bool
	body             string
	rest             string // what is left to read after the body
}

// byteReader gives data a byte at a time, as a slow connection does: the
// reader's buffer is refilled in the middle of every line.
func byteReader(data string) io.Reader { return iotest.OneByteReader(strings.NewReader(data)) }

func wholeReader(data string) io.Reader { return strings.NewReader(data) }

func readLean(data string, src func(string) io.Reader) leanAnswer {
	br := bufio.NewReaderSize(src(data), maxLine)
	h, _, err := readHTTPHead(br, nil)
	if err != nil {
		return leanAnswer{headErr: true}
	}
	a := leanAnswer{major: h.major, minor: h.minor, code: h.code, messenger: h.messenger, close: h.close}
	body, err := readHTTPBody(br, h, nil, maxBody)
	if err != nil {
		a.bodyErr = true
		return a
	}
	a.body = string(body)
	rest, _ := io.ReadAll(br)
	a.rest = string(rest)
	return a
}

// readNetHTTP reads the answer as the check did before it read HTTP
// itself: net/http's ReadResponse, and at most maxBody+1 bytes of body.
func readNetHTTP(data string) leanAnswer {
	br := bufio.NewReaderSize(strings.NewReader(data), maxLine)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return leanAnswer{headErr: true}
	}
	a := leanAnswer{major: resp.ProtoMajor, minor: resp.ProtoMinor, code: resp.StatusCode, messenger: resp.Header.Get("X-MSN-Messenger"), close: resp.Close}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		a.bodyErr = true
		return a
	}
	a.body = string(body)
	rest, _ := io.ReadAll(br)
	a.rest = string(rest)
	return a
}

// comparable reports whether data is an answer the two readers are meant
// to agree on: one whose status code has no sign (net/http takes "+20"
// for 20 and "-00" for 0).
func comparable(data string) bool {
	status, _, _ := strings.Cut(data, "\n")
	_, code, ok := strings.Cut(status, " ")
	code, _, _ = strings.Cut(strings.TrimLeft(code, " "), " ")
	code = strings.TrimRight(code, "\r")
	return !ok || len(code) != 3 || code[0] != '+' && code[0] != '-'
}

var httpAnswers = []string{
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=1.1; GW-IP=127.0.0.1\r\nContent-Length: 19\r\n\r\nVER 1 MSNP21 CVR0\r\nnext",
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=a\r\nTransfer-Encoding: chunked\r\n\r\n13\r\nVER 1 MSNP21 CVR0\r\n\r\n0\r\n\r\nnext",
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nVER\r\n10 \r\n 1 MSNP21 CVR0\r\n\r\n0\r\nX-Trailer: 1\r\n\r\nnext",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\nVER\r\n0\r\n\r\n", // bare LF in a chunk line
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nVERxx0\r\n\r\n", // no CRLF after the chunk
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 1\n\n",     // trailer without CRLF CRLF
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",                       // unknown encoding
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	"HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhi", // HTTP/1.0: no transfer encoding
	"HTTP/1.0 200 OK\r\nX-MSN-Messenger: SessionID=a\r\n\r\nVER 1 MSNP21\r\n",   // until the close
	"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhinext",
	"HTTP/1.1 200 OK\r\nConnection: Upgrade, close\r\nContent-Length: 2\r\n\r\nhi",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhinext",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi!",
	"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
	"HTTP/1.1 204 No Content\r\nContent-Length: x\r\n\r\nnext",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=a;\r\n  GW-IP=1\r\nContent-Length: 0\r\n\r\n", // folded
	"HTTP/1.1 200 OK\r\n X-MSN-Messenger: SessionID=a\r\n\r\n",                                   // folded first line
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger : SessionID=a\r\nContent-Length: 0\r\n\r\n",              // a space before the colon
	"HTTP/1.1 200 OK\r\nx-msn-messenger:SessionID=b\r\nX-MSN-Messenger: SessionID=c\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: Session\x01ID=a\r\n\r\n",
	"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
	"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
	"HTTP/1.1 200 OK\r\nBad(name): x\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX: caf\xc3\xa9\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200\r\n\r\n",
	"HTTP/1.1  200  OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 2000 OK\r\n\r\n",
	"HTTP/1.1 2O0 OK\r\n\r\n",
	"HTTP/0.0 200 \nX-MSN-Messenger:SessionID=00\n\nCVR 2",
	"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.12 200 OK\r\n\r\n",
	"HTTP/x.1 200 OK\r\n\r\n",
	"HTTP/1.1\r\n\r\n",
	"HTTP/1.1 200 OK",
	"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n",
	"",
	"POST /gateway/gateway.dll?Action=open HTTP/1.1\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + strings.Repeat("x", 5000),
	"HTTP/1.1 200 OK\r\nContent-Security-Policy: " + strings.Repeat("x", 6000) + "\r\nX-MSN-Messenger: SessionID=a\r\nContent-Length: 2\r\n\r\nhi", // a header line longer than the buffer
	"HTTP/1.1 200 OK\r\nX-MSN-Messenger: SessionID=a;\r\n " + strings.Repeat("y", 5000) + "\r\nContent-Length: 0\r\n\r\n",                          // and folded
	"HTTP/1.1 200 " + strings.Repeat("O", 5000) + "\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" + strings.Repeat("x", 5000) + "\r\n0\r\n\r\n",
}

// TestHTTPAnswer holds the check's HTTP reader to net/http's on answers
// right and wrong.
func TestHTTPAnswer(t *testing.T) {
	for _, data := range httpAnswers {
		if !comparable(data) {
			t.Fatalf("%.60q: not a case the readers must agree on", data)
		}
		want := readNetHTTP(data)
		for _, src := range []func(string) io.Reader{wholeReader, byteReader} {
			if got := readLean(data, src); got != want {
				t.Errorf("%.60q:\n got %+v\nwant %+v", data, got, want)
			}
		}
	}
}

// FuzzHTTPAnswer checks that the gateway check reads any answer as
// net/http does: the same status, X-MSN-Messenger, close, body and place
// after it, or an error in the same part.
func FuzzHTTPAnswer(f *testing.F) {
	for _, data := range httpAnswers {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data string) {
		if !comparable(data) {
			return
		}
		want := readNetHTTP(data)
		for _, src := range []func(string) io.Reader{wholeReader, byteReader} {
			if got := readLean(data, src); got != want {
				t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
			}
		}
	})
}
