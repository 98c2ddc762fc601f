package main

// The floor scenario measures this machine rather than deadyet: the same
// traffic as the direct and https scenarios, between bare Go servers (a
// line answered with a line; a fixed-size answer to a fixed-size request
// over TLS 1.2 with an ECDSA P-256 certificate, as msntest's gateways)
// and a bare Go client in a child process, which does nothing but dial,
// handshake, write and read. No probe, no MSNP, no HTTP: what any Go
// program pays on this machine for those connections, handshakes and
// exchanges. A goal below the floor cannot be met here, however lean the
// probe and the simulator get.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// floorJob is what the parent asks the floor child.
type floorJob struct {
	TLS         bool
	Addrs       []string // host:port, one per server
	Concurrency int      // servers at once
}

// The floor's traffic, shaped as the probe's: direct, 3 connections per
// server (at once), each 2 exchanges of a line; https, one connection
// per server, one handshake and 6 exchanges of a request the size of the
// probe's POST and an answer the size of msntest's.
const (
	floorConns     = 3
	floorLines     = 2
	floorExchanges = 6
	floorRequest   = 300
	floorAnswer    = 220
)

// floor runs the floors of the direct and https scenarios (-n servers)
// and of historic's deadyet probe (-small servers, TLS), each -runs
// times, and returns their medians.
func floor() (outcome, error) {
	var lines []string
	for _, f := range []struct {
		secure bool
		count  int
		wall   *time.Duration
	}{{false, *n, &floorTCP}, {true, *n, &floorTLS}, {true, *small, &floorSmallTLS}} {
		var walls []time.Duration
		var last outcome
		for range max(*runs, 1) {
			o, err := floorRun(f.secure, f.count)
			if err != nil {
				return outcome{}, err
			}
			walls = append(walls, o.wall)
			last = o
		}
		sorted := slices.Clone(walls)
		slices.Sort(sorted)
		*f.wall = sorted[len(sorted)/2]
		digits := 2
		if f.count < 1000 {
			digits = 3
		}
		lines = append(lines, fmt.Sprintf("%s: wall %.*f s%s; last run's CPU %s", last.line, digits, f.wall.Seconds(), medianOf(walls, digits), last.cpu))
	}
	return outcome{line: strings.Join(lines, "\n")}, nil
}

// floorTCP, floorTLS and floorSmallTLS are the floors' median wall
// times, for the goals.
var floorTCP, floorTLS, floorSmallTLS time.Duration

func floorRun(secure bool, count int) (outcome, error) {
	var cfg *tls.Config
	if secure {
		cfg = floorServerTLS()
	}
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	addr, err := netip.ParseAddr(*base)
	if err != nil {
		return outcome{}, err
	}
	job := floorJob{TLS: secure, Concurrency: *concurrency}
	for len(job.Addrs) < count {
		if b := addr.As4()[3]; b == 0 || b == 255 {
			addr = addr.Next()
			continue
		}
		lc := net.ListenConfig{KeepAlive: -1}
		ln, err := lc.Listen(context.Background(), "tcp", net.JoinHostPort(addr.String(), "0"))
		if err != nil {
			return outcome{}, err
		}
		lns = append(lns, ln)
		job.Addrs = append(job.Addrs, ln.Addr().String())
		go floorServe(ln, cfg)
		addr = addr.Next()
	}
	in, err := json.Marshal(job)
	if err != nil {
		return outcome{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return outcome{}, err
	}
	before := selfCPU()
	cmd := exec.Command(self, "-child-floor")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	serverCPU := selfCPU() - before
	if err != nil {
		return outcome{}, fmt.Errorf("floor child: %w", err)
	}
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		return outcome{}, fmt.Errorf("floor child said %q: %w", out, err)
	}
	wall := time.Duration(rep.WallMS) * time.Millisecond
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	what := fmt.Sprintf("%d servers × %d connections × %d lines, bare TCP", count, floorConns, floorLines)
	if secure {
		what = fmt.Sprintf("%d servers × 1 TLS 1.2 handshake × %d exchanges, bare TLS", count, floorExchanges)
	}
	return outcome{
		line: fmt.Sprintf("%-8s %s (concurrency %d)", "floor", what, *concurrency),
		wall: wall,
		cpu:  fmt.Sprintf("client %.2f s + servers %.2f s", cpu.Seconds(), serverCPU.Seconds()),
	}, nil
}

// floorServe answers on ln: a line with a line, or, over TLS, a request
// of floorRequest bytes with floorAnswer bytes.
func floorServe(ln net.Listener, cfg *tls.Config) {
	answer := bytes.Repeat([]byte("a"), floorAnswer)
	line := []byte("VER 1 MSNP21 CVR0\r\n")
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			if cfg == nil {
				br := bufio.NewReader(c)
				for {
					if _, err := br.ReadSlice('\n'); err != nil {
						return
					}
					if _, err := c.Write(line); err != nil {
						return
					}
				}
			}
			tc := tls.Server(c, cfg)
			req := make([]byte, floorRequest)
			for {
				if _, err := io.ReadFull(tc, req); err != nil {
					return
				}
				if _, err := tc.Write(answer); err != nil {
					return
				}
			}
		}()
	}
}

// floorServerTLS is a TLS 1.2 server with a self-signed ECDSA P-256
// certificate, as msntest's gateways have.
func floorServerTLS() *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "floor"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return &tls.Config{MaxVersion: tls.VersionTLS12, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// runFloorChild is the floor's client: it asks every server as the
// probe would, and reports its wall time.
func runFloorChild() error {
	var job floorJob
	if err := json.NewDecoder(os.Stdin).Decode(&job); err != nil {
		return fmt.Errorf("floor job on standard input: %w", err)
	}
	cfg := &tls.Config{InsecureSkipVerify: true, CurvePreferences: []tls.CurveID{tls.CurveP256, tls.CurveP384}}
	var failed atomic.Int64
	one := func(addr string) {
		d := net.Dialer{KeepAlive: -1}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			failed.Add(1)
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if !job.TLS {
			br := bufio.NewReader(c)
			for range floorLines {
				if _, err := c.Write([]byte("VER 1 MSNP21 CVR0\r\n")); err != nil {
					failed.Add(1)
					return
				}
				if _, err := br.ReadSlice('\n'); err != nil {
					failed.Add(1)
					return
				}
			}
			return
		}
		tc := tls.Client(c, cfg)
		if err := tc.Handshake(); err != nil {
			failed.Add(1)
			return
		}
		req, answer := bytes.Repeat([]byte("r"), floorRequest), make([]byte, floorAnswer)
		for range floorExchanges {
			if _, err := tc.Write(req); err != nil {
				failed.Add(1)
				return
			}
			if _, err := io.ReadFull(tc, answer); err != nil {
				failed.Add(1)
				return
			}
		}
	}
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(job.Concurrency, len(job.Addrs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(job.Addrs) {
					return
				}
				if job.TLS {
					one(job.Addrs[i])
					continue
				}
				var server sync.WaitGroup
				for range floorConns {
					server.Go(func() { one(job.Addrs[i]) })
				}
				server.Wait()
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d of the floor's connections failed", n)
	}
	return json.NewEncoder(os.Stdout).Encode(report{WallMS: wall.Milliseconds(), HWMKiB: hwmKiB()})
}
