package main

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// check refuses at once, with one line and exit status 2, inputs that
// would block it or exhaust the runner: a device or a FIFO as site.toml,
// TOML nested thousands deep in site.toml or in a news entry's front
// matter.
func TestCheckBounds(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	nested := "x = " + strings.Repeat("{a = ", 10000) + "1" + strings.Repeat("}", 10000) + "\n" // 60 KB
	files := map[string]string{
		"nested.toml":             nested,
		"site.toml":               "[checks.tcp443]\nkind = \"tcp\"\nport = 443\n\n[[group]]\nname = \"bn2\"\nchecks = [\"tcp443\"]\nservers = [{ address = \"127.0.2.1\" }]\n",
		"news/2017-05-19-gone.md": "+++\ntitle = \"Gone\"\n" + nested + "+++\nGone.\n",
	}
	writeFiles(t, dir, files)
	if err := syscall.Mkfifo("fifo.toml", 0o644); err != nil {
		t.Fatal(err)
	}
	deep := "nested deeper than 16 levels (arrays, tables and the parts of dotted keys count one each)"
	for _, tt := range []struct{ config, news, want string }{
		{"nested.toml", "", "nested.toml:1: " + deep},
		{"site.toml", "news", "news/2017-05-19-gone.md:3: front matter: " + deep},
		{"/dev/zero", "", "/dev/zero: is not a regular file (a device): site.toml must be one"},
		{"fifo.toml", "", "fifo.toml: is not a regular file (a FIFO): site.toml must be one"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			ios, stdout, stderr := testIO()
			start := time.Now()
			code := run(context.Background(), []string{"check", "--config", tt.config, "--news", tt.news}, ios)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v, want under a second", d)
			}
			if code != 2 || stderr.String() != tt.want+"\n" || stdout.Len() != 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, tt.want)
			}
		})
	}
}
