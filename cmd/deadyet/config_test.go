package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
)

// Each testdata/config/invalid-*.toml breaks one rule; its first line,
// "# error: …", is the exact error it must give.
func TestConfigInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/config/invalid-*.toml")
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
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# error: ")
			if !ok {
				t.Fatalf("%s: first line must be \"# error: …\"", file)
			}
			_, err = parseConfig(name, data)
			if err == nil {
				t.Fatalf("parseConfig succeeded, want error %q", want)
			}
			if got := err.Error(); got != want {
				t.Errorf("error:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestConfigValidMinimal(t *testing.T) {
	s, err := loadConfig("testdata/config/valid-minimal.toml")
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
func TestShippedConfig(t *testing.T) {
	s, err := loadConfig("../../site.toml")
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
}

func TestConfigMissingFile(t *testing.T) {
	_, err := loadConfig(filepath.Join(t.TempDir(), "site.toml"))
	if err == nil || !strings.HasSuffix(err.Error(), "site.toml: cannot read: no such file or directory") {
		t.Errorf("err = %v", err)
	}
}
