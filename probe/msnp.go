package probe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// Every msnp check holds this conversation, directly or through a gateway:
//
//	>>> VER 1 MSNP21 CVR0
//	<<< VER 1 MSNP21 CVR0                    (VER 1 0 [MSNP20 …]: rejected)
//	>>> CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com
//	<<< CVR 2 14.0.8117 14.0.8117 14.0.8117 http://… http://…
//
// An echo server sends VER back too; only an MSN server answers CVR with
// three version numbers and two URLs.

// cvrCommand is the CVR line of Windows Live Messenger 2009 (15.4.3508.1109).
const cvrCommand = "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com\r\n"

func verCommand(version string) string { return "VER 1 " + version + " CVR0\r\n" }

// Reply is one MSNP line a server sends: a command or a three-digit error
// code, the transaction id it answers, and parameters.
type Reply struct {
	Command string   // "VER", "CVR", "XFR", … or an error code such as "500"
	TrID    uint32   // the transaction id it answers
	Params  []string // the rest of the line, split at single spaces
}

// IsError reports whether r is a numeric MSNP error such as "500 1".
func (r Reply) IsError() bool { return r.Command != "" && r.Command[0] >= '0' && r.Command[0] <= '9' }

// ParseReply parses one line of an MSNP answer, without its CRLF, strictly:
// printable ASCII fields split by single spaces, a command of three capitals
// or digits, a 32-bit transaction id without leading zeros. A line it
// accepts is its Reply's fields joined by single spaces, byte for byte.
func ParseReply(line string) (Reply, error) {
	m := replyRE.FindStringSubmatch(line)
	if len(line) > maxLine || m == nil {
		return Reply{}, errors.New("not an MSNP line")
	}
	id, err := strconv.ParseUint(m[2], 10, 32)
	if err != nil {
		return Reply{}, fmt.Errorf("transaction id: %w", err)
	}
	r := Reply{Command: m[1], TrID: uint32(id)}
	if m[3] != "" {
		r.Params = strings.Split(m[3][1:], " ")
	}
	return r, nil
}

var (
	replyRE   = regexp.MustCompile(`^([A-Z]{3}|[0-9]{3}) (0|[1-9][0-9]{0,9})((?: [!-~]+)*)$`)
	versionRE = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,5}){1,3}$`) // 14.0.8117
	urlRE     = regexp.MustCompile(`^https?://.`)
)

// judgeVER reads the answer to "VER 1 <version> CVR0": nil when the
// version was accepted, else a *verdict.
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

// judgeRefusal reads "VER 1 0", "none of those", and the versions revival
// servers list after it:
//
//	VER 1 0                              rejected: "VER 1 0"
//	VER 1 0 MSNP21 MSNP20 … MSNP2        rejected: "VER 1 0: offers MSNP21…MSNP2"
//	VER 1 0 MSNP22 MSNP21                foreign: no and yes at once
//	VER 1 0 junk                         foreign: the list is not versions
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

// offersMax bounds, in bytes, the list of versions a refusal's detail shows.
const offersMax = 48

// offerList is valid versions in short form, in the server's order: runs of
// three or more as "MSNP21…MSNP2", cut after offersMax bytes with ", …".
func offerList(versions []string) string {
	num := versionNumber
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

// versionNumber is n of a valid "MSNP<n>".
func versionNumber(v string) int { n, _ := strconv.Atoi(v[len("MSNP"):]); return n }

// judgeCVR reads the answer to [cvrCommand]: nil for an MSN server's
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
	case len(r.Params) != 5 || !versionRE.MatchString(r.Params[0]) || !versionRE.MatchString(r.Params[1]) ||
		!versionRE.MatchString(r.Params[2]) || !urlRE.MatchString(r.Params[3]) || !urlRE.MatchString(r.Params[4]):
		return foreign("CVR reply not from MSN: %s", quote(line))
	}
	return nil
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

// ProbeMSNP speaks MSNP on the target's port: VER with the check's
// version, then CVR. The states are the package's; a refusal's detail
// names what the server offers.
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
	d := &direct{conn: conn, br: bufio.NewReaderSize(conn, maxLine)}
	return a.done(a.converse(d, t.Check.Version))
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

// readLine reads one CRLF-ended line of at most maxLine bytes, without the
// CRLF. The slice is valid until the next read.
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
