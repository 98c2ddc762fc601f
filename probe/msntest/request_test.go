package msntest

import (
	"bufio"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// readOutcome is what a gateway makes of a request, and what is left to
// read after it.
type readOutcome struct {
	req  gatewayRequest
	err  bool
	rest string
}

func readWith(data string, read func(*bufio.Reader) (gatewayRequest, error)) readOutcome {
	br := bufio.NewReaderSize(strings.NewReader(data), maxLine)
	req, err := read(br)
	if err != nil {
		return readOutcome{err: true}
	}
	if len(req.body) == 0 {
		req.body = nil
	}
	rest, _ := io.ReadAll(br)
	return readOutcome{req: req, rest: string(rest)}
}

// readNetHTTP reads a request with net/http alone.
func readNetHTTP(br *bufio.Reader) (gatewayRequest, error) {
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

// probeRequest is a request as the probe's gateway check sends it.
const probeRequest = "POST /gateway/gateway.dll?Action=open&Server=NS&IP=127.0.0.1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: MSMSGS\r\n" +
	"Accept: */*\r\nContent-Type: application/x-msn-messenger\r\nContent-Length: 19\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\n\r\nVER 1 MSNP21 CVR0\r\n"

var requests = []string{
	probeRequest,
	probeRequest + probeRequest,
	"POST /gateway/gateway.dll?SessionID=12.1 HTTP/1.1\r\nHost: a\r\ncontent-length: 3\r\n\r\nabcnext",
	"POST /gateway/gateway.dll?Action=poll&SessionID=3.1 HTTP/1.0\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=open&Action=poll HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=op%65n HTTP/1.1\r\nHost: a\r\n\r\n", // escaped: net/http's way
	"POST /gateway/gateway%2Edll?Action=open HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=open;x=1 HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=open+ HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=open#frag HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST http://a/gateway/gateway.dll?Action=open HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nnext",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nshort",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/1.1\r\nHost : a\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/1.1\nHost: a\n\n",
	"POST /gateway/gateway.dll HTTP/1.1\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/2.0\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll HTTP/1.1 x\r\nHost: a\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	"P(ST / HTTP/1.1\r\nHost: a\r\n\r\n",
	"POST /gateway/gateway.dll?Action=open HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n",
	"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\xc0\x0a\r\n\r\n", // a TLS hello on the plain port
	"",
}

// TestQuickRequest holds the gateways' short way of reading a request to
// net/http's: the same request, or the same error, and the same bytes
// left after it. The probe's own requests take the short way.
func TestQuickRequest(t *testing.T) {
	for _, data := range requests {
		got, want := readWith(data, readGatewayRequest), readWith(data, readNetHTTP)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%.70q:\n got %+v\nwant %+v", data, got, want)
		}
	}
	br := bufio.NewReaderSize(strings.NewReader(probeRequest), maxLine)
	if _, ok, err := quickRequest(br); !ok || err != nil {
		t.Errorf("the probe's request does not take the short way: %v %v", ok, err)
	}
}

func FuzzQuickRequest(f *testing.F) {
	for _, data := range requests {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got, want := readWith(data, readGatewayRequest), readWith(data, readNetHTTP)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %+v\nwant %+v", data, got, want)
		}
	})
}
