//go:build !linux

package msntest

import (
	"errors"
	"io"
	"net"
	"strconv"
)

func listenFull(addr string, port int) (net.Listener, net.Conn, error) {
	return nil, nil, errors.New("blackhole servers need Linux")
}

// boundSocket finds a free port on addr (or checks that port is free);
// elsewhere than on Linux it is only likely to stay free.
func boundSocket(addr string, port int) (int, io.Closer, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(port)))
	if err != nil {
		return 0, nil, err
	}
	port = ln.Addr().(*net.TCPAddr).Port
	return port, ln, ln.Close()
}
