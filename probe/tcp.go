package probe

import "context"

// ProbeTCP opens a TCP connection to the target's port and closes it: up
// when it was accepted. Nothing is sent: an open port is all it claims.
func ProbeTCP(ctx context.Context, t Target) Result {
	a := begin(ctx, t)
	conn, stop, err := a.dial(ctx, t)
	if err != nil {
		return a.fail(err, "connection")
	}
	stop()
	conn.Close()
	return a.done(Up, "connected")
}
