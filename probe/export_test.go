package probe

// WithCheckFunc has Run ask every target with f instead of the check's own
// CheckFunc: the seam of the tests that count what Run asks, without a
// server.
func WithCheckFunc(f CheckFunc) Option {
	return func(o *runOptions) { o.check = f }
}
