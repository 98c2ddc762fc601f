//go:build !linux

package msntest

import (
	"errors"
	"net"
)

func listenFull(addr string, port int) (net.Listener, net.Conn, error) {
	return nil, nil, errors.New("blackhole servers need Linux")
}
