package probe

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Every msnp check holds this conversation, directly or through a gateway;
// an echo sends VER back too, but only MSN answers CVR with three version
// numbers and two URLs:
//
//	>>> VER 1 MSNP21 CVR0
//	<<< VER 1 MSNP21 CVR0                    (VER 1 0 [MSNP20 …]: rejected)
//	>>> CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR probe@example.com
//	<<< CVR 2 14.0.8117 14.0.8117 14.0.8117 http://… http://…

// cvrCommand is the CVR line of Windows Live Messenger 2009 (15.4.3508.1109).
func cvrCommand(account string) string {
	return "CVR 2 0x0409 winnt 10.0 i386 MSNMSGR 15.4.3508.1109 MSNMSGR " + account + "\r\n"
}

func verCommand(version string) string { return "VER 1 " + version + " CVR0\r\n" }

// reply is one MSNP line a server sends.
type reply struct {
	Command string   // "VER", "CVR", "XFR", … or an error code such as "500"
	TrID    uint32   // the transaction id it answers
	Params  []string // the rest of the line, split at single spaces
}

// isError reports whether r is a numeric MSNP error such as "500 1".
func (r reply) isError() bool { return r.Command != "" && r.Command[0] >= '0' && r.Command[0] <= '9' }

// parseReply parses one line, without its CRLF, strictly: printable ASCII
// fields split by single spaces, a command of three capitals or digits, a
// 32-bit transaction id without leading zeros.
func parseReply(line string) (reply, error) {
	m := replyRE.FindStringSubmatch(line)
	if len(line) > maxLine || m == nil {
		return reply{}, errors.New("not an MSNP line")
	}
	id, err := strconv.ParseUint(m[2], 10, 32)
	if err != nil {
		return reply{}, fmt.Errorf("transaction id: %w", err)
	}
	r := reply{Command: m[1], TrID: uint32(id)}
	if m[3] != "" {
		r.Params = strings.Split(m[3][1:], " ")
	}
	return r, nil
}

var (
	replyRE = regexp.MustCompile(`^([A-Z]{3}|[0-9]{3}) (0|[1-9][0-9]{0,9})((?: [!-~]+)*)$`)
	cvrRE   = regexp.MustCompile(`^CVR 2( [0-9]{1,5}(\.[0-9]{1,5}){1,3}){3}( https?://[!-~]+){2}$`) // as MSN answers
)

// judgeVER reads the answer to "VER 1 <version> CVR0": nil when the
// version was accepted, else a *verdict.
func judgeVER(line []byte, version string) error {
	r, err := parseReply(string(line))
	switch {
	case err != nil:
		return foreign("not MSNP: %s", quote(line))
	case r.isError() && len(r.Params) <= 1 && r.TrID == 1:
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

// judgeRefusal reads "VER 1 0" ("none of those") and the versions revival
// servers list after it: rejected ("VER 1 0: offers MSNP21…MSNP2"), or
// foreign when the list is not versions or offers the version asked for.
func judgeRefusal(r reply, line []byte, version string) error {
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
	out, num := "", versionNumber
	for i := 0; i < len(versions); {
		j, step := i+1, 0
		if j < len(versions) {
			step = num(versions[j]) - num(versions[i])
		}
		for (step == 1 || step == -1) && j < len(versions) && num(versions[j])-num(versions[j-1]) == step {
			j++
		}
		item := versions[i]
		if j-i >= 3 {
			item += "…" + versions[j-1]
		} else {
			j = i + 1
		}
		if out != "" {
			item = ", " + item
		}
		if len(out)+len(item) > offersMax {
			return out + ", …"
		}
		out, i = out+item, j
	}
	return out
}

// versionNumber is n of a valid "MSNP<n>".
func versionNumber(v string) int { n, _ := strconv.Atoi(v[len("MSNP"):]); return n }

// judgeCVR reads the answer to cvr: nil for an MSN server's
// "CVR 2 <version> <version> <version> <url> <url>".
func judgeCVR(line []byte, cvr string) error {
	if string(line)+"\r\n" == cvr {
		return foreign("CVR echoed back")
	}
	r, err := parseReply(string(line))
	switch {
	case err != nil:
		return foreign("not MSNP: %s", quote(line))
	case r.isError() && len(r.Params) <= 1 && r.TrID == 2:
		return rejected("CVR refused: %s", line)
	case r.Command != "CVR":
		return foreign("not a CVR reply: %s", quote(line))
	case r.TrID != 2:
		return foreign("CVR reply for transaction %d, not 2: %s", r.TrID, quote(line))
	case !cvrRE.Match(line):
		return foreign("CVR reply not from MSN: %s", quote(line))
	}
	return nil
}

// conversation carries MSNP commands to one server and back, directly or
// through a gateway.
type conversation interface {
	// exchange sends cmd and returns the first line of the answer that is
	// not a payload command, without its CRLF.
	exchange(cmd string) ([]byte, error)
	redirect(to netip.AddrPort) error // go on with the server at to
	bye()                             // OUT, and a look at what comes back
}

const viaXFR, hopSep = "via XFR to ", ", then "

// Hops splits a signin Result's Detail into the addresses its XFRs sent the
// check to, in order, and what the last server answered.
func Hops(detail string) (hops []string, last string) {
	rest, ok := strings.CutPrefix(detail, viaXFR)
	if !ok {
		return nil, detail
	}
	list, last, _ := strings.Cut(rest, ": ")
	return strings.Split(list, hopSep), last
}

// converse holds t's conversation over x with the server at at, and with
// those its XFRs name, and judges the last. The detail starts with the
// hops: "via XFR to 10.1.2.3:1863, then …: …".
func (a *attempt) converse(x conversation, t Target, at netip.AddrPort) (State, string) {
	seen := []netip.AddrPort{at}
	var hops []string
	via := ""
	for {
		s, d, to := a.hop(x, t)
		x.bye()
		if !to.IsValid() {
			return s, via + d
		}
		hops = append(hops, to.String())
		via = viaXFR + strings.Join(hops, hopSep) + ": "
		switch {
		case slices.Contains(seen, to):
			return Error, via + "redirect loop"
		case len(seen) > maxRedirects:
			return Error, via + "too many redirects"
		case !mayRedirect(at.Addr(), to.Addr()):
			return Error, via + "not followed: from a public address to a private one"
		}
		if err := x.redirect(to); err != nil {
			s, d := a.outcome(err, "connection")
			return s, via + d
		}
		seen, at = append(seen, to), to
	}
}

// hop holds the conversation with one server: VER, CVR and, for signin,
// USR. A valid to is an XFR's address, to go on with.
func (a *attempt) hop(x conversation, t Target) (s State, detail string, to netip.AddrPort) {
	step := func(cmd, what string, judge func([]byte) error) ([]byte, bool) {
		line, err := x.exchange(cmd)
		if err == nil {
			err = judge(line)
		}
		if err != nil {
			var d string
			s, d = a.outcome(err, what)
			detail += d
		}
		return line, err == nil
	}
	v := t.Check.Version
	line, ok := step(verCommand(v), "VER reply", func(l []byte) error { return judgeVER(l, v) })
	if !ok {
		return s, detail, to
	}
	detail = string(line) + "; "
	cvr := cvrCommand(t.account())
	if line, ok = step(cvr, "CVR reply", func(l []byte) error { return judgeCVR(l, cvr) }); !ok {
		return s, detail, to
	}
	r, _ := parseReply(string(line))
	detail += "CVR 2 " + r.Params[0]
	if t.Check.Kind != SignIn {
		return Up, detail, to
	}
	detail += "; "
	usr := usrCommand(v, t.account())
	var got string
	if _, ok = step(usr, "USR reply", func(l []byte) (err error) { got, to, err = judgeUSR(l, usr); return err }); !ok {
		return s, detail, netip.AddrPort{}
	}
	return Up, detail + got, to
}

// probeMSNP holds the conversation on the protocol's own port.
func probeMSNP(ctx context.Context, t Target) Result {
	a := begin(ctx)
	d := &direct{a: a, ctx: ctx}
	defer d.hangUp()
	if err := d.connect(t); err != nil {
		return a.done(a.outcome(err, "connection"))
	}
	return a.done(a.converse(d, t, remote(d.conn, 0)))
}

// remote is c's peer, on port when not 0.
func remote(c net.Conn, port uint16) netip.AddrPort {
	ap := c.RemoteAddr().(*net.TCPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), cmp.Or(port, ap.Port()))
}

// direct is an MSNP connection on the protocol's own port.
type direct struct {
	a    *attempt
	ctx  context.Context
	conn net.Conn
	stop func() bool
	br   *bufio.Reader
}

func (d *direct) connect(t Target) (err error) {
	d.conn, d.stop, err = d.a.dial(d.ctx, t)
	if err == nil {
		d.br = bufio.NewReaderSize(d.conn, maxLine)
	}
	return err
}

func (d *direct) hangUp() {
	if d.conn != nil {
		d.stop()
		d.conn.Close()
	}
}

func (d *direct) redirect(to netip.AddrPort) error {
	d.hangUp()
	d.conn = nil
	return d.connect(Target{Address: to.Addr().String(), Check: Check{Kind: TCP, Port: int(to.Port())}})
}

func (d *direct) bye() {
	if _, err := io.WriteString(d.conn, "OUT\r\n"); err == nil && d.ctx.Err() == nil {
		if dl := time.Now().Add(time.Second); dl.Before(d.a.deadline) { // a second at most for the answer
			d.conn.SetReadDeadline(dl)
		}
		d.br.ReadSlice('\n') // the server's OUT, or its hang-up
	}
}

func (d *direct) exchange(cmd string) ([]byte, error) {
	if _, err := io.WriteString(d.conn, cmd); err != nil {
		return nil, err
	}
	for {
		line, err := readLine(d.br)
		if err != nil {
			return nil, err
		}
		n, ok := payloadLength(line)
		if !ok {
			return line, nil
		}
		if _, err := d.br.Discard(n); err != nil {
			return nil, err
		}
	}
}

// payloadCommands are the commands a payload of n bytes follows: "GCF 0 n".
const payloadCommands = "GCF MSG NOT UBX UUX ADL RML FQY IPG SDG NFY PUT DEL"

// payloadLength is n of a payload command that ends in its length n.
func payloadLength(line []byte) (int, bool) {
	r, err := parseReply(string(line))
	if err != nil || len(r.Params) == 0 || !strings.Contains(payloadCommands, r.Command) {
		return 0, false
	}
	n, err := strconv.Atoi(r.Params[len(r.Params)-1])
	return n, err == nil && n >= 0 && n <= maxHTTP
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
