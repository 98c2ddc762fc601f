package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
)

// The MSNP conversation every msnp check holds, directly or through a
// gateway: negotiate the version, then ask for the client version record.
//
//	>>> VER 1 MSNP21 CVR0
//	<<< VER 1 MSNP21 CVR0                    accepted (VER 1 0 [MSNP20 …]: rejected)
//	>>> CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com
//	<<< CVR 2 14.0.8117 14.0.8117 14.0.8117 http://… http://…
//
// The VER reply alone proves nothing: an echo server sends our own line
// back. An MSN server answers CVR with three version numbers and two URLs,
// which an echo, a web server or noise does not.

// cvrCommand is the CVR line the checks send, as Windows Live Messenger 2009
// would (locale 0x0409, client version 15.4.3508.1109).
const cvrCommand = "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com\r\n"

func verCommand(version string) string { return "VER 1 " + version + " CVR0\r\n" }

// Reply is one MSNP line a server sends in answer to a command: a command
// name or a three-digit error code, the transaction id of the command it
// answers, and parameters.
type Reply struct {
	Command string   // "VER", "CVR", "XFR", … or an error code such as "500"
	TrID    uint32   // the transaction id it answers
	Params  []string // the rest of the line, split at single spaces
}

// IsError reports whether r is a numeric MSNP error such as "500 1".
func (r Reply) IsError() bool { return r.Command != "" && r.Command[0] >= '0' && r.Command[0] <= '9' }

// ParseReply parses one line of an MSNP answer, without its CRLF. It is
// strict, as the check's truth depends on it: fields are separated by
// single spaces and made of printable ASCII; the command is three capital
// letters or three digits; the transaction id is a decimal number without
// leading zeros that fits 32 bits. A line it accepts is its Reply's
// fields joined by single spaces, byte for byte: nothing is lost or
// tolerated.
func ParseReply(line string) (Reply, error) {
	if len(line) > maxLine {
		return Reply{}, fmt.Errorf("line longer than %d bytes", maxLine)
	}
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < ' ' || c > '~' {
			return Reply{}, fmt.Errorf("byte %#02x at %d is not printable ASCII", c, i)
		}
	}
	fields := strings.Split(line, " ")
	for _, f := range fields {
		if f == "" {
			return Reply{}, errors.New("empty field (extra space)")
		}
	}
	if len(fields) < 2 {
		return Reply{}, errors.New("no transaction id")
	}
	cmd := fields[0]
	if len(cmd) != 3 || !(allIn(cmd, 'A', 'Z') || allIn(cmd, '0', '9')) {
		return Reply{}, fmt.Errorf("command %q is not three capitals or digits", cmd)
	}
	id, err := strconv.ParseUint(fields[1], 10, 32)
	if err != nil || strconv.FormatUint(id, 10) != fields[1] {
		return Reply{}, fmt.Errorf("transaction id %q is not a number", fields[1])
	}
	r := Reply{Command: cmd, TrID: uint32(id)}
	if len(fields) > 2 {
		r.Params = fields[2:]
	}
	return r, nil
}

func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// judgeVER reads the answer to "VER 1 <version> CVR0". It returns nil when
// the server accepted the version, else a *verdict: rejected for "VER 1 0"
// (see [judgeRefusal] for the versions that may follow) or a numeric error,
// foreign for anything else.
func judgeVER(line []byte, version string) error {
	r, err := ParseReply(string(line))
	switch {
	case err != nil:
		return foreign("not MSNP: %s", quote(line))
	case r.IsError() && len(r.Params) <= 1 && r.TrID == 1:
		return rejected("%s", line) // "500 1"; some errors add a payload length
	case r.Command != "VER" || len(r.Params) == 0:
		return foreign("not a VER reply: %s", quote(line))
	case r.TrID != 1:
		return foreign("VER reply for transaction %d, not 1: %s", r.TrID, quote(line))
	case r.Params[0] == "0":
		return judgeRefusal(r, line, version)
	case r.Params[0] == version && (len(r.Params) == 1 || len(r.Params) == 2 && r.Params[1] == "CVR0"):
		return nil
	}
	return foreign("VER reply offers what was not asked: %s", quote(line))
}

// judgeRefusal reads a VER answer whose first parameter is 0, "none of
// those". Microsoft's servers said no more; open-source revival servers
// list the versions they speak instead, newest first:
//
//	VER 1 0                              rejected: "VER 1 0"
//	VER 1 0 MSNP21 MSNP20 … MSNP2        rejected: "VER 1 0: offers MSNP21…MSNP2"
//	VER 1 0 MSNP22 MSNP21                foreign: no and yes at once
//	VER 1 0 junk                         foreign: the list is not versions
//
// A list that names the version asked for contradicts itself, and one that
// holds anything but versions is no MSN grammar: neither proves an MSN
// server, so both are foreign, as every VER answer outside these forms is.
func judgeRefusal(r Reply, line []byte, version string) error {
	offers := r.Params[1:]
	if len(offers) == 0 {
		return rejected("%s", line)
	}
	for _, v := range offers {
		if !ValidVersion(v) {
			return foreign("VER 1 0 with a list that is not versions: %s", quote(line))
		}
		if v == version {
			return foreign("VER reply refuses %s and offers it: %s", version, quote(line))
		}
	}
	return rejected("VER 1 0: offers %s", offerList(offers))
}

// offersMax bounds the list of versions a refusal's detail shows, in
// bytes: the detail has room for a certificate after it.
const offersMax = 48

// offerList is versions in short form, in the server's order: a run of
// three or more consecutive numbers is its ends joined by "…", and the
// list is cut after offersMax bytes with ", …".
//
//	MSNP21 MSNP20 MSNP19 … MSNP2       MSNP21…MSNP2
//	MSNP21 MSNP18 MSNP17 MSNP16 MSNP8  MSNP21, MSNP18…MSNP16, MSNP8
//
// Each element is a [ValidVersion].
func offerList(versions []string) string {
	num := func(v string) int { n, _ := strconv.Atoi(v[len("MSNP"):]); return n }
	var b strings.Builder
	add := func(item string) bool {
		if b.Len() > 0 {
			item = ", " + item
		}
		if b.Len()+len(item) > offersMax {
			b.WriteString(", …")
			return false
		}
		b.WriteString(item)
		return true
	}
	for i := 0; i < len(versions); {
		j := i + 1 // versions[i:j] is a run
		if j < len(versions) {
			if step := num(versions[j]) - num(versions[i]); step == 1 || step == -1 {
				for j < len(versions) && num(versions[j])-num(versions[j-1]) == step {
					j++
				}
			}
		}
		if j-i < 3 {
			j = i + 1
		}
		item := versions[i]
		if j-i >= 3 {
			item += "…" + versions[j-1]
		}
		if !add(item) {
			break
		}
		i = j
	}
	return b.String()
}

// judgeCVR reads the answer to [cvrCommand]: nil when it is an MSN server's
// "CVR 2 <version> <version> <version> <url> <url>".
func judgeCVR(line []byte) error {
	if string(line)+"\r\n" == cvrCommand {
		return foreign("CVR echoed back")
	}
	r, err := ParseReply(string(line))
	switch {
	case err != nil:
		return foreign("not MSNP: %s", quote(line))
	case r.IsError() && len(r.Params) <= 1 && r.TrID == 2:
		return rejected("CVR refused: %s", line)
	case r.Command != "CVR":
		return foreign("not a CVR reply: %s", quote(line))
	case r.TrID != 2:
		return foreign("CVR reply for transaction %d, not 2: %s", r.TrID, quote(line))
	case len(r.Params) != 5 || !isVersion(r.Params[0]) || !isVersion(r.Params[1]) || !isVersion(r.Params[2]) ||
		!isURL(r.Params[3]) || !isURL(r.Params[4]):
		return foreign("CVR reply not from MSN: %s", quote(line))
	}
	return nil
}

// isVersion reports whether s is a dotted version number such as 14.0.8117.
func isVersion(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 5 || !allIn(p, '0', '9') {
			return false
		}
	}
	return true
}

func isURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "http://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "https://")
	}
	return ok && rest != ""
}

// exchanger carries one MSNP command to the server and brings back the
// first line of its answer, without the CRLF.
type exchanger interface {
	exchange(cmd string) ([]byte, error)
}

// converse holds the VER/CVR conversation over x and judges it.
func (a *attempt) converse(x exchanger, version string) (State, string) {
	line, err := x.exchange(verCommand(version))
	if err == nil {
		err = judgeVER(line, version)
	}
	if err != nil {
		return a.outcome(err, "VER reply")
	}
	ver := string(line)
	line, err = x.exchange(cvrCommand)
	if err == nil {
		err = judgeCVR(line)
	}
	if err != nil {
		s, d := a.outcome(err, "CVR reply")
		return s, ver + "; " + d
	}
	cvr, _ := ParseReply(string(line))
	return Up, ver + "; CVR 2 " + cvr.Params[0]
}

// ProbeMSNP speaks MSNP on the target's port (1863 unless the check names
// another): VER with the check's version, then CVR.
//
//	up        the version was accepted and CVR answered as MSN servers do
//	rejected  "VER 1 0" (with or without the versions the server offers),
//	          or a numeric error such as "500 1"
//	foreign   an echo, a web server, noise, a line without end, …
//	refused   connection refused or reset
//	timeout   no complete answer before ctx's deadline
//	error     anything else (no such host, …)
func ProbeMSNP(ctx context.Context, t Target) Result {
	a := begin(ctx, t)
	if !ValidVersion(t.Check.Version) {
		return a.done(Error, fmt.Sprintf("bad version %q", t.Check.Version))
	}
	conn, stop, err := a.dial(ctx, t)
	if err != nil {
		return a.fail(err, "connection")
	}
	defer conn.Close()
	defer stop()
	d := &direct{conn: conn, br: getReader(conn)}
	defer putReader(d.br)
	s, detail := a.converse(d, t.Check.Version)
	return a.done(s, detail)
}

// direct is an MSNP connection on the protocol's own port.
type direct struct {
	conn net.Conn
	br   *bufio.Reader
}

func (d *direct) exchange(cmd string) ([]byte, error) {
	if _, err := io.WriteString(d.conn, cmd); err != nil {
		return nil, err
	}
	return readLine(d.br)
}

// readLine reads one CRLF-ended line of at most maxLine bytes and returns
// it without the CRLF. The slice is valid until the next read.
func readLine(br *bufio.Reader) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	switch {
	case err == nil:
		if len(b) < 2 || b[len(b)-2] != '\r' {
			return nil, foreign("line not ended by CRLF: %s", quote(b))
		}
		return b[:len(b)-2], nil
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, foreign("line longer than %d bytes: %s", maxLine, quote(b))
	case len(b) > 0 && errors.Is(err, io.EOF):
		return nil, foreign("not MSNP: %s (closed before the line ended)", quote(b))
	case len(b) > 0:
		return nil, &incomplete{len(b), err}
	}
	return nil, err
}

// readers recycles the line buffers: a run of thousands of checks needs
// only as many as are in flight.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, maxLine) }}

func getReader(r io.Reader) *bufio.Reader {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readers.Put(br)
}
