package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"deadyet/probe/history"
	"deadyet/probe/msntest"
)

// TestWorkflowRehearsal runs the workflows' jobs on a stand-in for GitHub
// (runner_test.go), in a clone of a bare repository that holds this
// repository as it is on disk:
//
//   - site.yml, every job (vantages, probe once per entry of
//     .github/vantage.json, site, deploy), on a main branch whose site.toml
//     names simulated servers on 127.0.30.x, for three hours: the first run
//     creates and pushes status-data; a quiet rerun pushes nothing (or, when
//     a UTC day began in between, just its heartbeat) but hands a later
//     last-run on through the Actions cache; after one server stops, a run
//     pushes its changes and the deployed page shows them.
//   - the same site.yml, broken in copies, fails the rehearsal and pushes
//     and deploys nothing.
//   - pr.yml, on a pull request holding the shipped site.toml, but for the
//     steps that need the network (prSkips).
func TestWorkflowRehearsal(t *testing.T) {
	if os.Getenv("DEADYET_REHEARSAL") != "" {
		t.Fatal("a rehearsed workflow step ran the tests again: skip that step in the rehearsal")
	}
	r := newRunner(t)
	src := newOrigin(t, r)

	fleet, err := msntest.StartFleet("127.0.30.1", msntest.Ports{}, []msntest.Spec{
		{Group: "bn2", Main: true, Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: msntest.DefaultVersions}},
		{Group: "bn2", Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}, // stops before hour 3
		{Group: "bn2", Behavior: msntest.Behavior{Kind: msntest.NS}},                                    // refuses every version
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	stopping := fleet.Servers[1]
	commitFile(t, r, src, "site.toml", rehearsalConfig(fleet), "site.toml: simulated servers on loopback, as a fork would have its own")
	r.mustGit(t, src, "push", "--quiet", "origin", "HEAD:refs/heads/main")
	r.build(t, "refs/heads/main")

	siteYML := filepath.Join(workflowDir, "site.yml")
	hourly := ghEvent{name: "schedule", ref: "refs/heads/main"}
	history := func(t *testing.T) string {
		t.Helper()
		return r.mustGit(t, r.origin, "show", "refs/heads/status-data:history.jsonl")
	}

	var hist1, hist2 string
	var lastRun1 time.Time
	steps := []struct {
		name string
		f    func(t *testing.T)
	}{
		{"site.yml hour 1 creates status-data", func(t *testing.T) {
			if _, err := r.git(r.origin, "rev-parse", "--verify", "refs/heads/status-data"); err == nil {
				t.Fatal("status-data exists before the first run")
			}
			run := runOK(t, r, siteYML, hourly, runOptions{})
			if !strings.Contains(run.log.String(), "No status-data branch yet") {
				t.Error("the first run did not start an empty history")
			}
			hist1 = history(t)
			for _, s := range fleet.Servers {
				if !strings.Contains(hist1, `"address":"`+s.Addr+`"`) {
					t.Errorf("the pushed history.jsonl has no line for %s:\n%s", s.Addr, hist1)
				}
			}
			if msg := r.mustGit(t, r.origin, "log", "-1", "--format=%s", "status-data"); msg != fmt.Sprintf("history: run %d", run.id) {
				t.Errorf("status-data's commit says %q", msg)
			}
			lastRun1 = cachedLastRun(t, r, run)
			page := deployedPage(t, run)
			if !strings.Contains(page, stopping.Addr) {
				t.Errorf("the deployed page does not name %s", stopping.Addr)
			}
			if rows := stoppedRows(page, stopping.Addr); len(rows) > 0 {
				t.Errorf("the page shows %s refused before it stopped: %q", stopping.Addr, rows)
			}
		}},
		{"site.yml hour 2 a quiet run pushes nothing", func(t *testing.T) {
			before := r.refs(t)
			run := runOK(t, r, siteYML, hourly, runOptions{})
			deployedPage(t, run)
			// The quiet run restored hour 1's last-run and saved its own,
			// later one: the guard against older runs holds with nothing
			// pushed.
			if want := fmt.Sprintf("Cache restored from key: last-run-%d-1", run.id-1); !strings.Contains(run.log.String(), want) {
				t.Errorf("the quiet run did not say %q", want)
			}
			if lastRun2 := cachedLastRun(t, r, run); !lastRun2.After(lastRun1) {
				t.Errorf("hour 2 cached last-run %v, want later than hour 1's %v", lastRun2, lastRun1)
			}
			if after := r.refs(t); after == before {
				if !strings.Contains(run.log.String(), "The history did not change.") {
					t.Error(`the quiet run did not say "The history did not change."`)
				}
				hist2 = hist1
				return
			}
			// A UTC day began between the runs: its heartbeat, and only
			// that, is pushed.
			hist2 = history(t)
			added := addedLines(t, hist1, hist2)
			if len(added) != 1 || !added[0].Heartbeat || added[0].T[:10] == lastLine(t, hist1).T[:10] {
				t.Fatalf("the quiet run pushed %+v, want nothing (or one heartbeat of a new day)", added)
			}
			t.Logf("a UTC day began between hour 1 and hour 2: the run pushed its heartbeat %+v", added[0])
		}},
		{"site.yml hour 3 a stopped server is pushed and shown", func(t *testing.T) {
			if err := stopping.Close(); err != nil {
				t.Fatal(err)
			}
			run := runOK(t, r, siteYML, hourly, runOptions{})
			hist3 := history(t)
			refused := map[string]bool{}
			for _, l := range addedLines(t, hist2, hist3) {
				switch {
				case l.Heartbeat:
				case l.Address == stopping.Addr && l.From == "up" && l.To == "refused":
					refused[l.Check] = true
				default:
					t.Errorf("hour 3 pushed an unexpected change: %+v", l)
				}
			}
			if len(refused) != 3 {
				t.Errorf("hour 3 pushed %s up → refused for %v, want tcp443, msnp18 and msnp21:\n%s", stopping.Addr, refused, hist3)
			}
			rows := stoppedRows(deployedPage(t, run), stopping.Addr)
			if len(rows) != 3 {
				t.Errorf("the page's recent changes show %d rows of %s up → refused, want 3: %q", len(rows), stopping.Addr, rows)
			}
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.f) {
			t.Fatalf("%s failed: the later hours would be meaningless", s.name)
		}
	}

	t.Run("site.yml broken copies fail", func(t *testing.T) {
		tests := []struct {
			name, job, before, step, want string
		}{
			{"a step that fails", "site", "Save the history",
				"name: Broken on purpose\nrun: 'false'", `step "Broken on purpose"`},
			{"deadyet run before it is built", "probe", "Probe",
				"run: bin/deadyet --help", "bin/deadyet: No such file or directory"},
			// The rest break the first job, so that they fail soon.
			{"a failing command in a script (bash -e)", "vantages", "",
				"name: Half broken\nrun: |\n  false\n  echo not reached", `step "Half broken"`},
			{"a push from a job without credentials", "vantages", "Read .github/vantage.json",
				"run: git push origin HEAD:refs/heads/elsewhere", "no-push-credentials' does not appear to be a git repository"},
			{"an action without a stand-in", "vantages", "",
				"uses: actions/cache@v4\nwith:\n  path: x\n  key: y", `uses "actions/cache@v4": no local stand-in`},
			{"an action option the stand-in does not know", "vantages", "",
				"uses: actions/checkout@v6\nwith:\n  submodules: true", `with submodules: the stand-in does not know it`},
			{"a context that is not set", "vantages", "",
				"run: echo ${{ secrets.TOKEN }}", "secrets is not set"},
			{"an output nobody set", "vantages", "",
				"run: echo ${{ steps.read.outputs.list }}", "steps.read is not set"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				broken := brokenCopy(t, siteYML, tt.job, tt.before, tt.step)
				before := r.refs(t)
				run, err := r.run(broken, hourly, runOptions{})
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("the rehearsal of the broken copy: error %v, want one containing %q", err, tt.want)
				}
				if strings.Contains(run.log.String(), "not reached") {
					t.Error("bash went on after a failing command")
				}
				if after := r.refs(t); after != before {
					t.Errorf("the broken run pushed:\nbefore %s\nafter  %s", before, after)
				}
				if run.deployed != "" {
					t.Error("the broken run deployed")
				}
			})
		}
	})

	t.Run("pr.yml", func(t *testing.T) {
		prSkips := map[string]string{
			"Test (installs vnu-jar with sudo; the runner has Chrome and Java)": "make test runs this test itself, and its browser step installs what is missing from the network",
			"Lint (staticcheck, actionlint)":                                    "go run tool@version fetches staticcheck and actionlint from the Go module proxy",
		}
		pr := ghEvent{name: "pull_request", ref: "refs/pull/1/merge"}
		run := runOK(t, r, filepath.Join(workflowDir, "pr.yml"), pr, runOptions{skip: prSkips, noProbe: true})
		page, err := os.ReadFile(filepath.Join(run.artifacts, "site-preview", "index.html"))
		if err != nil {
			t.Fatalf("no preview: %v", err)
		}
		if !bytes.Contains(page, []byte("65.52.108.75")) {
			t.Error("the preview does not show the shipped site.toml's servers")
		}
	})
}

// runOK runs a workflow and fails the test, with the run's log, when the
// run fails.
func runOK(t *testing.T, r *ghRunner, wf string, ev ghEvent, opts runOptions) *ghRun {
	t.Helper()
	run, err := r.run(wf, ev, opts)
	if err != nil {
		log := ""
		if run != nil {
			log = tail(run.log.String(), 60)
		}
		t.Fatalf("%v\n\nthe run's log, its end:\n%s", err, log)
	}
	return run
}

// newOrigin makes the origin: the repository's files as they are on disk
// (tracked and new, not ignored), committed on main and as the merge
// commit of pull request 1. It returns the folder the commit was made in.
func newOrigin(t *testing.T, r *ghRunner) string {
	t.Helper()
	list, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	src := filepath.Join(r.dir, "src")
	for _, f := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		from := filepath.Join(repoRoot, filepath.FromSlash(f))
		if fi, err := os.Lstat(from); err != nil || !fi.Mode().IsRegular() {
			continue // deleted, or not a file
		}
		if err := copyFile(from, filepath.Join(src, filepath.FromSlash(f))); err != nil {
			t.Fatal(err)
		}
	}
	r.mustGit(t, r.dir, "init", "--quiet", "--bare", "--initial-branch=main", r.origin)
	r.mustGit(t, src, "init", "--quiet", "--initial-branch=main")
	r.mustGit(t, src, "add", "-A")
	r.mustGit(t, src, "commit", "--quiet", "-m", "the repository as tested")
	r.mustGit(t, src, "remote", "add", "origin", r.origin)
	r.mustGit(t, src, "push", "--quiet", "origin", "HEAD:refs/heads/main", "HEAD:refs/pull/1/merge")
	return src
}

func commitFile(t *testing.T, r *ghRunner, src, name, content, msg string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	r.mustGit(t, src, "commit", "--quiet", "-am", msg)
}

// rehearsalConfig is a site.toml for the fleet: small timeouts, one
// attempt (a stopped server refuses at once), every transport.
func rehearsalConfig(f *msntest.Fleet) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# The rehearsal's site.toml: simulated servers on loopback.
title = "Is MSN dead yet? (rehearsal)"
url = "https://example.github.io/deadyet/"

[probe]
timeout = "500ms"
attempts = 1
concurrency = 8

[checks.tcp443]
label = ":443"
kind = "tcp"
port = %d

[checks.msnp18]
kind = "msnp"
version = "MSNP18"
via = "direct"
port = %d

[checks.msnp21]
kind = "msnp"
version = "MSNP21"
via = "https"
port = %d

[[group]]
name = "bn2"
checks = ["tcp443", "msnp18", "msnp21"]
servers = [
`, f.Ports.HTTPS, f.Ports.Direct, f.Ports.HTTPS)
	for _, s := range f.Servers {
		fmt.Fprintf(&b, "  { address = %q, main = %t },\n", s.Addr, s.Main)
	}
	b.WriteString("]\n")
	return b.String()
}

// histLine is a line of history.jsonl, as README.md describes it.
type histLine struct {
	T         string `json:"t"`
	Heartbeat bool   `json:"heartbeat"`
	Group     string `json:"group"`
	Address   string `json:"address"`
	Check     string `json:"check"`
	From      string `json:"from"`
	To        string `json:"to"`
	Detail    string `json:"detail"`
}

func parseHistLine(t *testing.T, l string) histLine {
	t.Helper()
	var h histLine
	if err := json.Unmarshal([]byte(l), &h); err != nil || len(h.T) < 10 {
		t.Fatalf("history line %q: %v", l, err)
	}
	return h
}

// addedLines are the lines new has after old, which it must begin with:
// the history only grows.
func addedLines(t *testing.T, old, new string) []histLine {
	t.Helper()
	rest, ok := strings.CutPrefix(new, old)
	if !ok {
		t.Fatalf("the history was rewritten, not appended to:\nbefore:\n%s\nafter:\n%s", old, new)
	}
	var out []histLine
	for _, l := range strings.Split(strings.TrimSpace(rest), "\n") {
		if l != "" {
			out = append(out, parseHistLine(t, l))
		}
	}
	return out
}

func lastLine(t *testing.T, hist string) histLine {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(hist), "\n")
	return parseHistLine(t, lines[len(lines)-1])
}

// cachedLastRun is the time in the last-run the run saved in the Actions
// cache, under the key of its run.
func cachedLastRun(t *testing.T, r *ghRunner, run *ghRun) time.Time {
	t.Helper()
	key := fmt.Sprintf("last-run-%d-1", run.id)
	i := slices.IndexFunc(r.caches, func(c cacheEntry) bool { return c.key == key })
	if i < 0 {
		t.Fatalf("the run saved no cache entry %q (entries: %+v)", key, r.caches)
	}
	data, err := os.ReadFile(filepath.Join(r.caches[i].dir, "data", history.LastRunFile))
	if err != nil {
		t.Fatal(err)
	}
	when, err := time.Parse(time.RFC3339, strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("cached last-run %q: %v", data, err)
	}
	return when
}

// deployedPage is the index.html the run deployed.
func deployedPage(t *testing.T, run *ghRun) string {
	t.Helper()
	if run.deployed == "" {
		t.Fatal("the run deployed nothing")
	}
	page, err := os.ReadFile(filepath.Join(run.deployed, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(page)
}

var (
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	refusedRE = regexp.MustCompile(`\bup (→ )?to refused\b`)
)

// stoppedRows are the rows of the page's "Recent changes" table, as text,
// that show addr going from up to refused.
func stoppedRows(page, addr string) []string {
	i := strings.Index(page, `<table class="changes">`)
	if i < 0 {
		return nil
	}
	table, _, _ := strings.Cut(page[i:], "</table>")
	var out []string
	for _, row := range strings.Split(table, "<tr>")[1:] {
		row = strings.ReplaceAll(row, "<wbr>", "") // line-break hints inside an address
		text := strings.Join(strings.Fields(tagRE.ReplaceAllString(row, " ")), " ")
		if strings.Contains(text, addr) && refusedRE.MatchString(text) {
			out = append(out, text)
		}
	}
	return out
}

// brokenCopy writes a copy of the workflow at wf with step (YAML) added to
// job, before the step titled before ("": first), and returns its path.
func brokenCopy(t *testing.T, wf, job, before, step string) string {
	t.Helper()
	data, err := os.ReadFile(wf)
	if err != nil {
		t.Fatal(err)
	}
	var root, add yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(step), &add); err != nil {
		t.Fatal(err)
	}
	steps := mapValue(mapValue(mapValue(docRoot(&root), "jobs"), job), "steps")
	if steps == nil {
		t.Fatalf("%s has no job %s with steps", wf, job)
	}
	at := -1
	for i, s := range steps.Content {
		if name := mapValue(s, "name"); before == "" || name != nil && name.Value == before {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("%s: job %s has no step %q", wf, job, before)
	}
	steps.Content = append(steps.Content[:at], append([]*yaml.Node{docRoot(&add)}, steps.Content[at:]...)...)
	out, err := yaml.Marshal(&root)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(wf))
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWorkflowFileCommands pins the reader of GITHUB_OUTPUT and
// GITHUB_ENV files.
func TestWorkflowFileCommands(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string
		err      string
	}{
		{"lines", "a=1\nlist=[{\"x\":\"=\"}]\n\n", map[string]string{"a": "1", "list": `[{"x":"="}]`}, ""},
		{"a block", "a<<EOF\none\ntwo\nEOF\nb=2\n", map[string]string{"a": "one\ntwo", "b": "2"}, ""},
		{"the last value wins", "a=1\na=2\n", map[string]string{"a": "2"}, ""},
		{"an empty file", "", map[string]string{}, ""},
		{"no =", "a\n", nil, `line 1: "a": want NAME=value or NAME<<DELIMITER`},
		{"an open block", "a<<EOF\none\n", nil, "a: no closing EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "out")
			if err := os.WriteFile(f, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := fileCommands(f)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
