package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

// Each testdata/invalid-*.toml breaks one rule; its first line, "# error:
// …", is the exact error it must give.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid-*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".toml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := wantError(t, data)
			_, err = Parse(context.Background(), name, data)
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", want)
			}
			if got := err.Error(); got != want {
				t.Errorf("error:\n got %s\nwant %s", got, want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != name {
				t.Errorf("error %#v is not an *Error naming the file", err)
			}
		})
	}
}

// wantError is the error an invalid-*.toml file says it gives: its first
// line, after "# error: ".
func wantError(t testing.TB, data []byte) string {
	t.Helper()
	first, _, _ := strings.Cut(string(data), "\n")
	want, ok := strings.CutPrefix(first, "# error: ")
	if !ok {
		t.Fatal(`first line must be "# error: …"`)
	}
	return strings.ReplaceAll(want, `\n`, "\n")
}

func TestValidMinimal(t *testing.T) {
	s, err := Load(context.Background(), "testdata/valid-minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	c := s.Probe
	if c.Timeout != 3*time.Second || c.Attempts != 2 || c.Concurrency != 256 {
		t.Errorf("defaults: timeout %v attempts %d concurrency %d", c.Timeout, c.Attempts, c.Concurrency)
	}
	want := probe.Check{Key: "msnp21", Label: "msnp21", Kind: probe.MSNP, Version: "MSNP21", Via: probe.HTTPS, Scan: true}
	if got := c.Checks["msnp21"]; got != want {
		t.Errorf("msnp21 check:\n got %+v\nwant %+v", got, want)
	}
	if len(c.Groups) != 1 || len(c.Groups[0].Servers) != 2 || !c.Groups[0].Servers[0].Main || c.Groups[0].Servers[1].Main {
		t.Errorf("groups: %+v", c.Groups)
	}
}

// The shipped site.toml must load, and list only the fleet it says it does.
func TestShipped(t *testing.T) {
	s, err := Load(context.Background(), "../../../site.toml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	servers := 0
	for _, g := range s.Probe.Groups {
		names = append(names, g.Name)
		servers += len(g.Servers)
	}
	if got := strings.Join(names, " "); got != "bn2 co4 db5 services" {
		t.Errorf("groups = %q", got)
	}
	if servers < 29 {
		t.Errorf("%d servers, want the 29 of the 2017 fleet and the services", servers)
	}
	for _, k := range []string{"tcp80", "tcp1863", "msnp18"} {
		if s.Probe.Checks[k].Scan {
			t.Errorf("check %s is scanned; the historic page kept it as \"not scanned\"", k)
		}
	}
	// The page's words are site.toml's, each where render expects it (its
	// golden pages are rendered from the same file).
	p := s.Page
	for _, tt := range []struct{ field, text, has string }{
		{"title", p.Title, "Is MSN dead yet?"},
		{"description", p.Description, "An hourly look at its last servers."},
		{"fine_print", p.FinePrint, "By *MSN* this page means"},
		{"situation", p.Situation, "stopped answering in May 2017"},
		{"related", p.Related, "[Microsoft Notification Protocol]"},
		{"clients", p.Clients, "(Pidgin, Adium, Miranda, aMSN, Empathy and friends)"},
		{"status_note", p.StatusNote, "[reference](#reference)"},
		{"why_care", p.WhyCare, "nudges, winks"},
		{"footer", p.Footer, "Not affiliated with Microsoft"},
		{"verdict.dead", p.Verdict.Dead, "Yes."},
		{"verdict.alive", p.Verdict.Alive, "No."},
		{"verdict.partial", p.Verdict.Partial, "Not quite."},
		{"verdict.unknown", p.Verdict.Unknown, "Can't tell."},
	} {
		if !strings.Contains(tt.text, tt.has) {
			t.Errorf("page.%s = %q, want it to hold %q", tt.field, tt.text, tt.has)
		}
	}
	if len(p.FAQ) != 5 || p.FAQ[0].Question != "Is this an official Microsoft page?" || !strings.HasPrefix(p.FAQ[0].Answer, "No. It is an independent project") {
		t.Errorf("faq = %+v", p.FAQ)
	}
}

func TestMissingFile(t *testing.T) {
	_, err := Load(context.Background(), filepath.Join(t.TempDir(), "site.toml"))
	if err == nil || !strings.HasSuffix(err.Error(), "site.toml: cannot read: no such file or directory") {
		t.Errorf("err = %v", err)
	}
}

// bigSite is a site.toml of n servers with one check.
func bigSite(n int) []byte {
	var b strings.Builder
	b.WriteString("title = \"big\"\n\n[checks.tcp443]\nkind = \"tcp\"\nport = 443\n\n[[group]]\nname = \"big\"\nchecks = [\"tcp443\"]\nservers = [\n")
	for i := range n {
		fmt.Fprintf(&b, "  { address = \"10.%d.%d.%d\" },\n", i>>16, (i>>8)&255, i&255)
	}
	b.WriteString("]\n")
	return []byte(b.String())
}
