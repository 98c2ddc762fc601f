package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/net/netutil"
)

// ServeOptions are the inputs of "deadyet serve".
type ServeOptions struct {
	IO *IOStreams

	Dir    string // the site folder
	Addr   string // host:port to listen on
	Public bool   // allow an address that is not loopback

	limits serveLimits // zero: defaultServeLimits (tests shorten them)
}

// serveLimits bound what a client may hold: a slow or idle one is dropped
// in seconds, and no more than conns connections are open at once (the
// rest wait in the kernel's queue).
type serveLimits struct {
	header, read, write, idle time.Duration
	conns                     int
}

var defaultServeLimits = serveLimits{header: 5 * time.Second, read: 10 * time.Second, write: 10 * time.Second, idle: 10 * time.Second, conns: 64}

// NewCmdServe makes "deadyet serve".
func NewCmdServe(ios *IOStreams) *cobra.Command {
	opts := &ServeOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "serve --dir DIR [--addr HOST:PORT]",
		Short: "Serve a rendered site on this machine, to look at it",
		Long: `Serve serves a rendered site over HTTP, as GitHub Pages does: a folder by its
index.html, 404.html with status 404 for what is missing, nothing outside --dir.
It listens on loopback only, unless --public, until interrupted, then exits 0.
A site rendered into --dir while it runs is served from the next request on.`,
		Example: `  deadyet serve --dir public
  deadyet serve --dir demo-site --addr 127.0.0.1:9000
  deadyet serve --dir public --addr 0.0.0.0:8080 --public   # let other machines see it`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return serveRun(cmd.Context(), opts, nil) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dir, "dir", "public", "`folder` of the rendered site")
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0: any free port)")
	f.BoolVar(&opts.Public, "public", false, "allow an --addr other machines can reach")
	return cmd
}

// serveRun serves until ctx ends, then shuts down; ready, when not nil, gets
// the address it listens on once it does (tests).
func serveRun(ctx context.Context, opts *ServeOptions, ready chan<- string) error {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return badInput(fmt.Errorf("serve address %q: %w", opts.Addr, err))
	}
	if !opts.Public && !loopbackHost(host) {
		return badInput(fmt.Errorf("serve address %q is not a loopback address; pass --public to serve it to others", opts.Addr))
	}
	if fi, err := os.Stat(opts.Dir); err != nil || !fi.IsDir() {
		return badInput(fmt.Errorf("site folder %q: no such folder (render one first)", opts.Dir))
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	lim := cmp.Or(opts.limits, defaultServeLimits)
	srv := &http.Server{Handler: siteHandler(opts.Dir),
		ReadHeaderTimeout: lim.header, ReadTimeout: lim.read, WriteTimeout: lim.write, IdleTimeout: lim.idle}
	addr := ln.Addr().String()
	fmt.Fprintf(opts.IO.Out, "serving %s at http://%s/ (interrupt to stop)\n", filepath.Clean(opts.Dir), addr)
	if ready != nil {
		ready <- addr
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(netutil.LimitListener(ln, lim.conns)) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Interrupted: requests in flight get half a second to finish, then
	// their connections are closed. Serving ends well either way.
	shutdown, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// loopbackHost reports whether host names this machine only.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// siteHandler serves the folder dir like GitHub Pages, opening it anew (an
// os.Root, which no link leads out of) for every request, so that a site
// swapped in is served from the next one and each request sees one site.
func siteHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		root, err := os.OpenRoot(dir)
		if err != nil { // between the two renames of a swap, for an instant
			w.Header().Set("Retry-After", "1")
			http.Error(w, "the site is not there (being replaced?); try again", http.StatusServiceUnavailable)
			return
		}
		defer root.Close()
		// http.FileServer would answer a missing file with its own 404 page
		// and list a folder without index.html: those get 404.html here.
		name := path.Clean("/" + r.URL.Path)[1:]
		fi, err := root.Stat(cmp.Or(name, "."))
		if err == nil && fi.IsDir() {
			fi, err = root.Stat(path.Join(name, "index.html"))
		}
		if err != nil || fi.IsDir() {
			page, err := root.ReadFile("404.html")
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(page)
			return
		}
		http.FileServerFS(root.FS()).ServeHTTP(w, r)
	})
}
