package probe

import "context"

// probeTCP opens a TCP connection and closes it: up when it was accepted.
func probeTCP(ctx context.Context, t Target) Result {
	a := begin(ctx)
	conn, stop, err := a.dial(ctx, t)
	if err != nil {
		return a.done(a.outcome(err, "connection"))
	}
	stop()
	conn.Close()
	return a.done(Up, "connected")
}
