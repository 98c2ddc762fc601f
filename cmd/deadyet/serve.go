package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// ServeOptions are the inputs of "deadyet serve".
type ServeOptions struct {
	IO *IOStreams

	Dir    string // the site folder
	Addr   string // host:port to listen on
	Public bool   // allow an address that is not loopback
}

// NewCmdServe makes "deadyet serve"; runF, when not nil, runs instead of
// serveRun (tests).
func NewCmdServe(ios *IOStreams, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "serve --dir DIR [--addr HOST:PORT]",
		Short: "Serve a rendered site on this machine, to look at it",
		Long: `Serve serves the files of a rendered site over HTTP, as GitHub Pages does:
a folder by its index.html, and 404.html with status 404 for paths that do not
exist. Nothing outside --dir is served, not even through a symbolic link. It
listens on a loopback address only, unless --public is given. It serves until
interrupted (Ctrl-C or SIGTERM), then exits 0: that is how it stops.

It serves --dir by its name: a site rendered into it while serve runs (build,
render and demo swap the new site in whole) is served from the next request
on, and each request sees the old site or the new one, never a mix.`,
		Example: `  deadyet serve --dir public
  deadyet serve --dir demo-site --addr 127.0.0.1:9000
  deadyet serve --dir public --addr 0.0.0.0:8080 --public   # let other machines see it`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return serveRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dir, "dir", "public", "`folder` of the rendered site")
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0: any free port)")
	f.BoolVar(&opts.Public, "public", false, "allow an --addr other machines can reach")
	return cmd
}

// serveRun serves until ctx ends, then shuts down.
func serveRun(ctx context.Context, opts *ServeOptions) error {
	return serve(ctx, opts, nil)
}

// serve is serveRun; ready, when not nil, gets the address it listens on
// once it does (tests).
func serve(ctx context.Context, opts *ServeOptions, ready chan<- string) error {
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
	srv := &http.Server{Handler: siteHandler(opts.Dir), ReadHeaderTimeout: 10 * time.Second}
	addr := ln.Addr().String()
	fmt.Fprintf(opts.IO.Out, "serving %s at http://%s/ (interrupt to stop)\n", filepath.Clean(opts.Dir), addr)
	if ready != nil {
		ready <- addr
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
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

// siteHandler serves the site folder dir like GitHub Pages: files as they
// are, folders by their index.html, and 404.html with status 404 for
// anything missing.
//
// It opens dir by its path for every request, so that a site written into
// it while serve runs (a new folder swapped in whole, as
// render.WriteFiles does) is served from the next request on. A request reads
// only from the folder it opened, its file opened once: it sees the old
// site or the new one, never a mix. Through an os.Root, every file served is
// inside the folder: a symbolic link out of it serves nothing.
func siteHandler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		root, err := os.OpenRoot(dir)
		if err != nil {
			// Where a swap takes two renames, the folder is missing
			// between them, for an instant.
			w.Header().Set("Retry-After", "1")
			http.Error(w, "the site is not there (being replaced?); try again", http.StatusServiceUnavailable)
			return
		}
		defer root.Close()
		name := path.Clean("/" + r.URL.Path)[1:]
		if name == "" {
			name = "."
		}
		f, fi, err := openFile(root, name)
		if err == nil && fi.IsDir() {
			f.Close()
			if !strings.HasSuffix(r.URL.Path, "/") {
				u := *r.URL
				u.Path += "/"
				http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
				return
			}
			f, fi, err = openFile(root, path.Join(name, "index.html"))
			if err == nil && fi.IsDir() {
				f.Close()
				err = fs.ErrNotExist
			}
		}
		if err != nil {
			page, rerr := root.ReadFile("404.html")
			if rerr != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(page)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
	})
}

// openFile opens name in root, and stats what it opened.
func openFile(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}
