package probe

import "context"

// ProbeTCP opens a TCP connection to the target's port and closes it.
//
//	up       the connection was accepted
//	refused  the port is closed (connection refused or reset)
//	timeout  no answer to the connection attempt before ctx's deadline
//	error    anything else, e.g. "no such host", "network unreachable"
//
// Nothing is sent: an open port is all this check claims.
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
