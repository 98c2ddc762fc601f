package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestBudget checks that a timeout's detail names the attempt's timeout,
// not what was left of it when the check got to run, and what is left
// when the caller's own deadline comes first.
func TestBudget(t *testing.T) {
	bg := context.Background()
	late, cancel := context.WithDeadline(bg, time.Now().Add(150*time.Millisecond))
	defer cancel()
	// A check that starts 50ms after its attempt began.
	if a := begin(context.WithValue(late, attemptTimeoutKey{}, 200*time.Millisecond)); a.budget != 200*time.Millisecond {
		t.Errorf("budget %s, want the attempt's 200ms", a.budget)
	}

	ctx, cancel := withAttemptTimeout(bg, 3*time.Second)
	defer cancel()
	a := begin(ctx)
	if left := time.Until(a.deadline); a.budget != 3*time.Second || left > 3*time.Second || left < time.Second {
		t.Errorf("budget %s, deadline in %s; want 3s", a.budget, left)
	}

	// The caller's deadline comes before the attempt's: say what was left.
	soon, cancel := context.WithTimeout(bg, time.Minute)
	defer cancel()
	ctx, cancel = withAttemptTimeout(soon, time.Hour)
	defer cancel()
	if a := begin(ctx); a.budget > time.Minute || a.budget < 50*time.Second {
		t.Errorf("budget %s under a deadline a minute away", a.budget)
	}
}

// TestOutcome checks the state and detail of each kind of error a check
// may meet, made up here: no test may reach a resolver or a network that
// is not loopback.
func TestOutcome(t *testing.T) {
	a := &attempt{budget: 3 * time.Second}
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", err)}
	}
	tests := []struct {
		err    error
		state  State
		detail string
	}{
		{&net.DNSError{Err: "no such host", Name: "gone.example", IsNotFound: true}, Error, "no such host"},
		{&net.DNSError{Err: "i/o timeout", Name: "slow.example", IsTimeout: true}, Error, "DNS lookup timed out"},
		{&net.DNSError{Err: "server misbehaving", Name: "odd.example"}, Error, "DNS lookup failed: server misbehaving"},
		{opErr(syscall.ENETUNREACH), Error, "network unreachable"},
		{opErr(syscall.EHOSTUNREACH), Error, "host unreachable"},
		{opErr(syscall.EADDRNOTAVAIL), Error, "address not available"},
		{opErr(syscall.EACCES), Error, "connect: permission denied"},
		{opErr(syscall.ECONNREFUSED), Refused, "connection refused"},
		{opErr(syscall.ECONNRESET), Refused, "connection reset"},
		{fmt.Errorf("write: %w", syscall.EPIPE), Refused, "connection reset"},
		{context.Canceled, Error, "cancelled"},
		{context.DeadlineExceeded, Timeout, "no VER reply within 3s"},
		{&incomplete{7, os.ErrDeadlineExceeded}, Timeout, "incomplete VER reply within 3s (7 bytes)"},
		{io.EOF, Foreign, "closed without VER reply"},
		{&incomplete{7, io.ErrUnexpectedEOF}, Foreign, "closed in the middle of VER reply (7 bytes)"},
		{foreign("not MSNP: %q", "x"), Foreign, `not MSNP: "x"`},
		{rejected("VER 1 0"), Rejected, "VER 1 0"},
		{errors.New("something odd"), Error, "something odd"},
	}
	for _, tt := range tests {
		s, d := a.outcome(tt.err, "VER reply")
		if s != tt.state || d != tt.detail {
			t.Errorf("outcome(%v) = %s %q, want %s %q", tt.err, s, d, tt.state, tt.detail)
		}
	}
}
