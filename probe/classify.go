package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Limits that keep one check small whatever a server does.
const (
	maxLine    = 4096     // an MSNP line, including its CRLF
	maxHTTP    = 16 << 10 // one HTTP answer: status line, headers and body
	maxBody    = maxLine  // the body of a gateway answer
	quoteBytes = 40       // bytes of a server's text quoted in a Detail
)

// verdict is an error that knows its state and detail.
type verdict struct {
	state  State
	detail string
}

func (v *verdict) Error() string { return string(v.state) + ": " + v.detail }

func foreign(format string, args ...any) error {
	return &verdict{Foreign, fmt.Sprintf(format, args...)}
}

func rejected(format string, args ...any) error {
	return &verdict{Rejected, fmt.Sprintf(format, args...)}
}

// attempt is the bookkeeping of one check: its start, its deadline, and
// the budget a timeout's detail names.
type attempt struct {
	start    time.Time
	deadline time.Time
	budget   time.Duration
}

// begin starts a check by ctx's deadline, or [DefaultTimeout] from
// now. The budget is the attempt's timeout when ctx carries it
// ([withAttemptTimeout]), else what is left until the deadline.
func begin(ctx context.Context) *attempt {
	a := &attempt{start: time.Now()}
	dl, ok := ctx.Deadline()
	if !ok {
		dl = a.start.Add(DefaultTimeout)
	}
	a.deadline = dl
	a.budget = max(dl.Sub(a.start), 0).Round(time.Millisecond)
	if d, ok := ctx.Value(attemptTimeoutKey{}).(time.Duration); ok {
		a.budget = d
	}
	return a
}

type attemptTimeoutKey struct{}

// withAttemptTimeout is ctx with a deadline timeout from now, which the
// check's details name as such ("no VER reply within 3s").
func withAttemptTimeout(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && dl.Before(time.Now().Add(timeout)) {
		return context.WithCancel(ctx) // ctx ends first: the check counts what is left
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return context.WithValue(ctx, attemptTimeoutKey{}, timeout), cancel
}

// done is the Result of the attempt: its state, detail and time.
func (a *attempt) done(s State, detail string) Result {
	return Result{State: s, Detail: CleanDetail(detail), MS: time.Since(a.start).Milliseconds()}
}

// incomplete is a read cut short after n bytes of an answer had arrived.
type incomplete struct {
	n   int
	err error
}

func (e *incomplete) Error() string { return fmt.Sprintf("%v after %d bytes", e.err, e.n) }
func (e *incomplete) Unwrap() error { return e.err }

// outcome is the state and detail of err, met while waiting for what
// ("VER reply").
func (a *attempt) outcome(err error, what string) (State, string) {
	var v *verdict
	var dns *net.DNSError
	var cut *incomplete
	partial := 0
	if errors.As(err, &cut) {
		partial = cut.n
	}
	switch {
	case errors.As(err, &v):
		return v.state, v.detail
	case errors.As(err, &dns) && dns.IsNotFound: // before the timeouts: a slow resolver is no fault of the server
		return Error, "no such host"
	case dns != nil && dns.IsTimeout:
		return Error, "DNS lookup timed out"
	case dns != nil:
		return Error, "DNS lookup failed: " + dns.Err
	case isTimeout(err):
		if partial > 0 {
			return Timeout, fmt.Sprintf("incomplete %s within %s (%d bytes)", what, a.budget, partial)
		}
		return Timeout, fmt.Sprintf("no %s within %s", what, a.budget)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused, "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return Refused, "connection reset"
	case errors.Is(err, context.Canceled):
		return Error, "cancelled"
	case errors.Is(err, syscall.ENETUNREACH):
		return Error, "network unreachable"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return Error, "host unreachable"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return Error, "address not available"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		if partial > 0 {
			return Foreign, fmt.Sprintf("closed in the middle of %s (%d bytes)", what, partial)
		}
		return Foreign, "closed without " + what
	}
	return Error, shortError(err)
}

// isTimeout reports whether err is a deadline: the connection's or ctx's.
func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortError is the innermost useful text of err, without the "dial tcp
// 1.2.3.4:443:" prefixes that repeat what the page already shows.
func shortError(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		err = op.Err
	}
	var sc *os.SyscallError
	if errors.As(err, &sc) && sc.Err != nil {
		return sc.Syscall + ": " + sc.Err.Error()
	}
	return err.Error()
}

// quote shows up to quoteBytes of what a server sent as a Go string, "…"
// when cut.
func quote(b []byte) string {
	if len(b) <= quoteBytes {
		return strconv.QuoteToASCII(string(b))
	}
	return strconv.QuoteToASCII(string(b[:quoteBytes])) + "…"
}

// dial opens a TCP connection to t with the attempt's deadline set on it;
// cancelling ctx moves the deadline to now. Call stop before closing.
func (a *attempt) dial(ctx context.Context, t Target) (conn net.Conn, stop func() bool, err error) {
	if !ValidHost(t.Address) {
		return nil, nil, &verdict{Error, fmt.Sprintf("invalid host name %q", t.Address)}
	}
	dctx, cancel := context.WithDeadline(ctx, a.deadline)
	defer cancel()
	var d net.Dialer
	if conn, err = d.DialContext(dctx, "tcp", t.HostPort()); err != nil {
		return nil, nil, err
	}
	if err := conn.SetDeadline(a.deadline); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) }), nil
}
