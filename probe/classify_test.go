package probe

import (
	"context"
	"os"
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
	if a := begin(context.WithValue(late, attemptTimeoutKey{}, 200*time.Millisecond), Target{}); a.budget != 200*time.Millisecond {
		t.Errorf("budget %s, want the attempt's 200ms", a.budget)
	}

	ctx, cancel := withAttemptTimeout(bg, 3*time.Second)
	defer cancel()
	a := begin(ctx, Target{})
	if a.budget != 3*time.Second {
		t.Errorf("budget %s, want 3s", a.budget)
	}
	if left := time.Until(a.deadline); left > 3*time.Second || left < time.Second {
		t.Errorf("deadline in %s, want about 3s", left)
	}
	s, d := a.outcome(os.ErrDeadlineExceeded, "VER reply")
	if s != Timeout || d != "no VER reply within 3s" {
		t.Errorf("outcome %s %q", s, d)
	}

	// The caller's deadline comes before the attempt's: say what was left.
	soon, cancel := context.WithTimeout(bg, time.Minute)
	defer cancel()
	ctx, cancel = withAttemptTimeout(soon, time.Hour)
	defer cancel()
	if a := begin(ctx, Target{}); a.budget > time.Minute || a.budget < 50*time.Second {
		t.Errorf("budget %s under a deadline a minute away", a.budget)
	}
}
