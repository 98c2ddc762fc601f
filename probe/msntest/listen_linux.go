package msntest

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// bindSocket is a TCP socket bound to addr:port (0: a free port).
func bindSocket(addr string, port int) (int, error) {
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return 0, fmt.Errorf("%q: IPv4 only", addr)
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("socket: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Port: port, Addr: ip.As4()}); err != nil {
		syscall.Close(fd)
		return 0, fmt.Errorf("bind %s:%d: %w", addr, port, err)
	}
	return fd, nil
}

// listenFull listens on addr:port with an accept queue of one connection,
// and fills it: the kernel drops later connection attempts, which time out
// as they would at a firewalled host.
func listenFull(addr string, port int) (net.Listener, net.Conn, error) {
	fd, err := bindSocket(addr, port)
	if err != nil {
		return nil, nil, fmt.Errorf("blackhole %w", err)
	}
	f := os.NewFile(uintptr(fd), "blackhole")
	defer f.Close()
	if err := syscall.Listen(fd, 0); err != nil {
		return nil, nil, fmt.Errorf("blackhole listen: %w", err)
	}
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, nil, fmt.Errorf("blackhole listener: %w", err)
	}
	filler, err := net.DialTimeout("tcp", ln.Addr().String(), 2*time.Second)
	if err != nil {
		ln.Close()
		return nil, nil, fmt.Errorf("blackhole fill: %w", err)
	}
	return ln, filler, nil
}

// boundSocket binds a TCP socket to addr:port (0: a free port) and never
// listens on it: the kernel refuses connections to the port, which no one
// else can take until the socket is closed.
func boundSocket(addr string, port int) (int, io.Closer, error) {
	fd, err := bindSocket(addr, port)
	if err != nil {
		return 0, nil, fmt.Errorf("closed port %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("closed port: %w", err)
	}
	return sa.(*syscall.SockaddrInet4).Port, os.NewFile(uintptr(fd), "closed port"), nil
}
