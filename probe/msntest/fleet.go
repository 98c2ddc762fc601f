package msntest

import (
	"errors"
	"fmt"
	"net/netip"
)

// Spec asks a fleet for Count servers that behave alike.
type Spec struct {
	Group    string   // a label the servers carry, e.g. a region: "bay"
	Count    int      // how many; 0 counts as 1
	Main     bool     // the servers are a region's main ones (a label too)
	Behavior Behavior // how they behave
}

// Fleet is many servers on consecutive loopback addresses, all on the same
// ports.
type Fleet struct {
	Ports   Ports     // the ports every server listens on
	Servers []*Server // in the order of the specs
}

// StartFleet starts the servers of specs, in order, on consecutive IPv4
// loopback addresses from base (skipping .0 and .255), all on the ports
// given or, for 0, those the first server got.
func StartFleet(base string, ports Ports, specs []Spec) (*Fleet, error) {
	addr, err := netip.ParseAddr(base)
	if err != nil || !addr.Is4() || !addr.IsLoopback() {
		return nil, fmt.Errorf("msntest: fleet base %q is not an IPv4 loopback address", base)
	}
	f := &Fleet{Ports: ports}
	for _, sp := range specs {
		for range max(sp.Count, 1) {
			for last := addr.As4()[3]; last == 0 || last == 255; last = addr.As4()[3] {
				addr = addr.Next()
			}
			s, err := Start(addr.String(), f.Ports, sp.Behavior)
			if err != nil {
				f.Close()
				return nil, err
			}
			s.Group, s.Main = sp.Group, sp.Main
			if len(f.Servers) == 0 {
				f.Ports = s.Ports // the ports chosen for 0
			}
			f.Servers = append(f.Servers, s)
			addr = addr.Next()
		}
	}
	for _, s := range f.Servers {
		s.fleet.Store(f)
	}
	return f, nil
}

// Addresses are the servers' addresses, in order.
func (f *Fleet) Addresses() []string {
	out := make([]string, len(f.Servers))
	for i, s := range f.Servers {
		out[i] = s.Addr
	}
	return out
}

// Group is the servers labelled g, in order.
func (f *Fleet) Group(g string) []*Server {
	var out []*Server
	for _, s := range f.Servers {
		if s.Group == g {
			out = append(out, s)
		}
	}
	return out
}

// OpenSessions is the sum of the servers' [Server.OpenSessions].
func (f *Fleet) OpenSessions() (n int) {
	for _, s := range f.Servers {
		n += s.OpenSessions()
	}
	return n
}

// Close stops every server and waits for them all.
func (f *Fleet) Close() error {
	var errs []error
	for _, s := range f.Servers {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
