package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

func TestServeRun(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"index.html": "the page", "404.html": "not here", "sub/index.html": "sub page", "style.css": "body{}"})
	// A link that leads out of the site folder serves nothing.
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "leakdir")); err != nil {
		t.Fatal(err)
	}
	ios, out, _ := testIO()
	addr := startServe(t, &ServeOptions{IO: ios, Dir: dir, Addr: "127.0.0.1:0"})
	if !strings.Contains(out.String(), "http://"+addr+"/") {
		t.Errorf("output %q lacks the address", out.String())
	}
	for _, tt := range []struct {
		path   string
		status int
		body   string
	}{
		{"/", 200, "the page"},
		{"/style.css", 200, "body{}"},
		{"/sub/", 200, "sub page"},
		{"/sub", 200, "sub page"}, // redirected to /sub/
		{"/index.html", 200, "the page"},
		{"/nope", 404, "not here"},
		{"/../../etc/passwd", 404, "not here"},
		{"/sub/missing.html", 404, "not here"},
		{"/%2e%2e/%2e%2e/etc/passwd", 404, "not here"},
		{"/leak.txt", 404, "not here"},
		{"/leakdir/secret.txt", 404, "not here"},
	} {
		if code, body := httpGet(t, "http://"+addr+tt.path); code != tt.status || body != tt.body {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, code, body, tt.status, tt.body)
		}
	}
}

// startServe serves opts until the test ends, and returns the address.
func startServe(t *testing.T, opts *ServeOptions) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- serveRun(ctx, opts, ready) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		done <- err
		t.Fatalf("serve stopped: %v", err)
		return ""
	}
}

// httpGet gets url, and returns the status and the body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeFollowsRebuild: serve serves the site folder by its path, so a
// site rendered into it while it runs (a new folder swapped in whole) is
// what the next request gets: 200 for / before and after, with the new
// page.
func TestServeFollowsRebuild(t *testing.T) {
	opts := renderInputs(t, probe.Timeout)
	if err := renderRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	addr := startServe(t, &ServeOptions{IO: quiet, Dir: opts.Out, Addr: "127.0.0.1:0"})
	get := func(path string) (int, string) { t.Helper(); return httpGet(t, "http://"+addr+path) }
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Yep.") {
		t.Fatalf("before the rebuild: GET / %d, dead page %v", code, strings.Contains(body, "Yep."))
	}
	// The servers answer now: render again, into the served folder.
	again := renderInputs(t, probe.Up)
	again.Out = opts.Out
	for range 2 {
		if err := renderRun(context.Background(), again); err != nil {
			t.Fatal(err)
		}
		if code, body := get("/"); code != 200 || strings.Contains(body, "Yep.") || !strings.Contains(body, "MSNP21 still answers") {
			t.Errorf("after a rebuild: GET / %d, still the old page %v", code, strings.Contains(body, "Yep."))
		}
		if code, _ := get("/status.json"); code != 200 {
			t.Errorf("after a rebuild: GET /status.json %d", code)
		}
		if code, body := get("/nope"); code != 404 || !strings.Contains(body, "<html") {
			t.Errorf("after a rebuild: GET /nope %d, want 404 with the site's 404.html", code)
		}
	}
}

// TestServeDropsClients: serve closes a connection kept alive after its
// request, and one that never sends a request, once its timeout passes;
// with one connection allowed, a second client waits for the first.
func TestServeDropsClients(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("the page"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := func(t *testing.T, lim serveLimits) string {
		return startServe(t, &ServeOptions{IO: quiet, Dir: dir, Addr: "127.0.0.1:0", limits: lim})
	}
	dial := func(t *testing.T, addr string, request bool) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if request {
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	// readAll reads until the server closes c, or fails the test after 30 s.
	readAll := func(t *testing.T, c net.Conn) string {
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		got, err := io.ReadAll(c)
		if err != nil {
			t.Fatalf("the connection is still open after 30 s: %v (read %q)", err, got)
		}
		return string(got)
	}
	short := serveLimits{header: 200 * time.Millisecond, read: time.Second, write: time.Second, idle: 200 * time.Millisecond, conns: 8}
	t.Run("idle keep-alive", func(t *testing.T) {
		if got := readAll(t, dial(t, start(t, short), true)); !strings.HasSuffix(got, "\r\n\r\nthe page") {
			t.Errorf("got %q, want one answer, then the connection closed", got)
		}
	})
	t.Run("silent", func(t *testing.T) {
		readAll(t, dial(t, start(t, short), false))
	})
	t.Run("one connection at a time", func(t *testing.T) {
		one := serveLimits{header: time.Minute, read: time.Minute, write: time.Minute, idle: time.Minute, conns: 1}
		addr := start(t, one)
		first := dial(t, addr, false)
		second := dial(t, addr, true)
		second.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if n, err := second.Read(make([]byte, 1)); n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("the second client was answered while the first held the one connection: %d, %v", n, err)
		}
		first.Close()
		second.SetReadDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(second), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("the second client, once the first left: %v, %v", resp, err)
		}
	})
}
