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
	for name, data := range map[string]string{
		"index.html":     "the page",
		"404.html":       "not here",
		"sub/index.html": "sub page",
		"style.css":      "body{}",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	ios, out, _ := testIO()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, &ServeOptions{IO: ios, Dir: dir, Addr: "127.0.0.1:0"}, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
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
		resp, err := http.Get("http://" + addr + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || string(body) != tt.body {
			t.Errorf("GET %s: %d %q, want %d %q", tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve ended with %v", err)
	}
	if !strings.Contains(out.String(), "http://"+addr+"/") {
		t.Errorf("output %q lacks the address", out.String())
	}
}

func TestServeRunRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ addr, dir, want string }{
		{"0.0.0.0:8080", dir, `serve address "0.0.0.0:8080" is not a loopback address; pass --public to serve it to others`},
		{":8080", dir, `serve address ":8080" is not a loopback address; pass --public to serve it to others`},
		{"example.com:80", dir, `serve address "example.com:80" is not a loopback address; pass --public to serve it to others`},
		{"127.0.0.1", dir, `serve address "127.0.0.1": address 127.0.0.1: missing port in address`},
		{"127.0.0.1:0", filepath.Join(dir, "missing"), `site folder "` + filepath.Join(dir, "missing") + `": no such folder (render one first)`},
	} {
		err := serveRun(context.Background(), &ServeOptions{IO: quiet, Dir: tt.dir, Addr: tt.addr})
		if err == nil || err.Error() != tt.want || exitCode(err) != 2 {
			t.Errorf("%s: err = %v, want %q", tt.addr, err, tt.want)
		}
	}
}

func TestNewCmdServe(t *testing.T) {
	var got *ServeOptions
	cmd := NewCmdServe(quiet, func(_ context.Context, o *ServeOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Dir != "public" || got.Addr != "127.0.0.1:8080" || got.Public {
		t.Errorf("defaults %+v", got)
	}
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, &ServeOptions{IO: quiet, Dir: opts.Out, Addr: "127.0.0.1:0"}, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
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
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve ended with %v", err)
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
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() {
			done <- serve(ctx, &ServeOptions{IO: quiet, Dir: dir, Addr: "127.0.0.1:0", limits: lim}, ready)
		}()
		t.Cleanup(func() { cancel(); <-done })
		return <-ready
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
