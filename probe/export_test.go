package probe

import "crypto/tls"

// WithCheckFunc has Run ask every target with f instead of the check's own
// CheckFunc: the seam of the tests that count what Run asks, without a
// server.
func WithCheckFunc(f CheckFunc) Option {
	return func(o *runOptions) { o.check = f }
}

// WithAttemptTimeout is ctx with a deadline timeout from now, which the
// check's details name as such ("no VER reply within 3s").
var WithAttemptTimeout = withAttemptTimeout

// ForgetTLSSessions empties the TLS session cache, as a new process has it.
func ForgetTLSSessions() { gatewayTLS.ClientSessionCache = tls.NewLRUClientSessionCache(1024) }
