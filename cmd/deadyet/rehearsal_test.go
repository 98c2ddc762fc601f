package main

// The workflow rehearsal: site.yml and pr.yml run on this machine. Every
// run: step runs with bash -e, as on GitHub, in a checkout of a local bare
// origin; the actions are small stand-ins below. What actionlint checks
// (make lint: syntax, action inputs, expressions' types) has no model here.

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"deadyet/probe/msntest"
)

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// TestWorkflowRehearsal runs site.yml for three hours against simulated
// servers (hour 1 creates status-data, hour 2 restores hour 1's last-run
// from the cache and pushes no change, hour 3 pushes a stopped server),
// then broken copies of the workflows, each of which must fail, then pr.yml.
func TestWorkflowRehearsal(t *testing.T) {
	if os.Getenv("DEADYET_REHEARSAL") != "" {
		t.Fatal("a rehearsed step ran the tests again: skip it in the rehearsal")
	}
	for _, tool := range []string{"bash", "git", "make", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the rehearsal needs %s, as GitHub's runners have it: %v", tool, err)
		}
	}
	r := newRunner(t)
	site, err := os.ReadFile(filepath.Join(repoRoot, ".github/workflows/site.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.rehearse(t, "127.0.30.1", string(site)); err != nil {
		t.Fatal(err)
	}

	broken := []struct{ name, old, new, want string }{
		{"a failing command in a script", "          make site RESULTS", "          false\n          make site RESULTS", "bash -e: exit status 1"},
		{"a misspelt branch in the push", "HEAD:refs/heads/status-data", "HEAD:refs/heads/status-dat", "origin has no status-data"},
		{"a misspelt branch in the fetch", "--depth=1 origin status-data", "--depth=1 origin status-dat", "couldn't find remote ref status-dat"},
		{"a misspelt path in the upload", "path: results/${{ matrix.vantage.name }}.json", "path: results/${{ matrix.vantage.name }}.jsn", "no files at"},
		{"a misspelt cache path", "path: data/last-run\n          key", "path: data/last-runs\n          key", "hour 2 restored no last-run"},
		{"a push without contents: write", "contents: write", "contents: read", "no-credentials"},
		{"a deploy without pages: write", "pages: write", "pages: read", "needs pages: write"},
	}
	for i, tt := range broken {
		t.Run("site.yml broken/"+tt.name, func(t *testing.T) {
			wf := strings.Replace(string(site), tt.old, tt.new, 1)
			if wf == string(site) {
				t.Fatalf("site.yml has no %q to break", tt.old)
			}
			err := r.rehearse(t, fmt.Sprintf("127.0.%d.1", 31+i), wf)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("the rehearsal of the broken copy: %v; want an error containing %q", err, tt.want)
			}
			t.Log(strings.SplitN(err.Error(), "\n", 2)[0])
		})
	}

	t.Run("pr.yml", func(t *testing.T) {
		pr, err := os.ReadFile(filepath.Join(repoRoot, ".github/workflows/pr.yml"))
		if err != nil {
			t.Fatal(err)
		}
		r.newOrigin(t, "")
		for _, tt := range []struct{ name, old, new, want string }{
			{"", "", "", ""},
			{"a misspelt preview path", "path: public", "path: publik", "no files at"},
		} {
			run, err := r.run(strings.Replace(string(pr), tt.old, tt.new, 1), "pull_request", "refs/pull/1/merge")
			switch {
			case tt.want != "":
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v; want an error containing %q", tt.name, err, tt.want)
				}
			case err != nil:
				t.Fatal(err)
			default:
				page, err := os.ReadFile(filepath.Join(run.artifacts, "site-preview", "index.html"))
				if err != nil || !strings.Contains(string(page), "65.52.108.75") {
					t.Errorf("the preview does not show the shipped site.toml's servers (%v)", err)
				}
			}
		}
	})
}

// rehearse runs the site workflow wf for three hours on a new origin whose
// site.toml names a simulated fleet at base, and returns the first failure.
func (r *runner) rehearse(t *testing.T, base, wf string) error {
	fleet, err := msntest.StartFleet(base, msntest.Ports{}, []msntest.Spec{
		{Group: "bn2", Main: true, Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: msntest.DefaultVersions}},
		{Group: "bn2", Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}, // stops before hour 3
		{Group: "bn2", Behavior: msntest.Behavior{Kind: msntest.NS}},                                    // refuses every version
	})
	if err != nil {
		t.Fatal(err)
	}
	defer closeFleet(t, fleet)
	stopping := fleet.Servers[1]
	r.newOrigin(t, rehearsalConfig(fleet))
	history := func() string {
		h, _ := r.git(r.origin, "show", "status-data:history.jsonl")
		return h
	}

	run1, err := r.run(wf, "schedule", "refs/heads/main")
	if err != nil {
		return fmt.Errorf("hour 1: %w", err)
	}
	hist1 := history()
	if hist1 == "" {
		return errors.New("hour 1: origin has no status-data with a history.jsonl")
	}
	for _, s := range fleet.Servers {
		if !strings.Contains(hist1, `"address":"`+s.Addr+`"`) {
			return fmt.Errorf("hour 1: the history has no line for %s:\n%s", s.Addr, hist1)
		}
	}
	if err := deployed(run1, stopping.Addr); err != nil {
		return fmt.Errorf("hour 1: %w", err)
	}

	run2, err := r.run(wf, "schedule", "refs/heads/main")
	if err != nil {
		return fmt.Errorf("hour 2: %w", err)
	}
	if want := fmt.Sprintf("last-run-%d-1", run1.id); run2.restored != want {
		return fmt.Errorf("hour 2 restored no last-run of hour 1 (key %q), got %q", want, run2.restored)
	}
	hist2 := history()
	added, ok := strings.CutPrefix(hist2, hist1)
	if !ok || strings.Count(added, `"heartbeat":true`) != strings.Count(added, "\n") {
		return fmt.Errorf("hour 2, a quiet run, pushed more than a new day's heartbeat:\n%s", added)
	}

	if err := stopping.Close(); err != nil {
		t.Fatal(err)
	}
	run3, err := r.run(wf, "schedule", "refs/heads/main")
	if err != nil {
		return fmt.Errorf("hour 3: %w", err)
	}
	added, _ = strings.CutPrefix(history(), hist2)
	if n := strings.Count(added, `"address":"`+stopping.Addr+`","check"`); n != 3 || !strings.Contains(added, `"to":"refused"`) {
		return fmt.Errorf("hour 3 pushed %d changes of %s, want its 3 cells up → refused:\n%s", n, stopping.Addr, added)
	}
	return deployed(run3, stopping.Addr)
}

// deployed checks that the run deployed a page that names addr.
func deployed(run *ghRun, addr string) error {
	page, err := os.ReadFile(filepath.Join(run.deployed, "index.html"))
	if run.deployed == "" || err != nil || !strings.Contains(string(page), addr) {
		return fmt.Errorf("no page naming %s was deployed (%v)", addr, err)
	}
	return nil
}

// rehearsalConfig is a site.toml for the fleet: short timeouts, one
// attempt (a stopped server refuses at once), direct and via HTTPS.
func rehearsalConfig(f *msntest.Fleet) string {
	var b strings.Builder
	fmt.Fprintf(&b, `title = "Is MSN dead yet? (rehearsal)"
url = "https://example.github.io/deadyet/"

[probe]
timeout = "500ms"
attempts = 1

[checks.tcp443]
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

// runner is GitHub and its hosted runner: a bare origin, one workspace
// (the same path for every job, as on GitHub) and the Actions cache.
type runner struct {
	dir, origin, work string
	env               []string
	runs              int
	cache             map[string]string // key → the folder holding what was saved
	cacheKeys         []string          // oldest first
}

// ghRun is one run of a workflow.
type ghRun struct {
	id        int
	artifacts string // a folder per artifact
	restored  string // the cache key actions/cache/restore found
	deployed  string // the folder actions/deploy-pages deployed
	log       strings.Builder
}

// newRunner finds Go and builds deadyet once; a go shim on the steps' PATH
// copies that build where "go build -o FILE ./cmd/deadyet" is to write a
// missing FILE, and the real go build then finds it up to date: linking
// anew in every job would take seconds.
func newRunner(t *testing.T) *runner {
	dir := t.TempDir()
	r := &runner{dir: dir, work: filepath.Join(dir, "work", "deadyet")}
	out, err := exec.Command("go", "env", "-json", "GOROOT", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS").Output()
	var goEnv map[string]string
	if err == nil {
		err = json.Unmarshal(out, &goEnv)
	}
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	bin, tools := filepath.Join(dir, "deadyet"), filepath.Join(dir, "tools")
	shim := fmt.Sprintf("#!/bin/bash\nif [ $# = 4 ] && [ \"$1 $2 $4\" = 'build -o ./cmd/deadyet' ] && [ ! -e \"$3\" ]; then\n\tmkdir -p \"$(dirname \"$3\")\" && cp %q \"$3\"\nfi\nexec %q \"$@\"\n",
		bin, filepath.Join(goEnv["GOROOT"], "bin", "go"))
	if err := os.MkdirAll(tools, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tools, "go"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	r.env = []string{
		"PATH=" + tools + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + filepath.Join(dir, "home"), "LANG=C.UTF-8", "CI=true", "GITHUB_ACTIONS=true",
		"GOCACHE=" + goEnv["GOCACHE"], "GOMODCACHE=" + goEnv["GOMODCACHE"], "GOPATH=" + goEnv["GOPATH"], "GOFLAGS=" + goEnv["GOFLAGS"],
		"GOENV=off", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local", // offline, with this machine's caches
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "DEADYET_REHEARSAL=1",
	}
	r.newOrigin(t, "")
	if _, err := r.git(dir, "clone", "--quiet", "--branch", "main", "file://"+r.origin, r.work); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", bin, "./cmd/deadyet")
	build.Dir, build.Env = r.work, r.env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return r
}

// newOrigin makes a new origin and empties the cache. Its main holds the
// repository's files as they are on disk (tracked and new), with siteTOML
// as site.toml unless empty; refs/pull/1/merge holds them unchanged.
func (r *runner) newOrigin(t *testing.T, siteTOML string) {
	t.Helper()
	list, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	src := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		if fi, err := os.Lstat(filepath.Join(repoRoot, f)); err == nil && fi.Mode().IsRegular() {
			if err := copyPath(filepath.Join(repoRoot, f), filepath.Join(src, f)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.origin, r.cache, r.cacheKeys = filepath.Join(t.TempDir(), "deadyet.git"), map[string]string{}, nil
	for i, s := range [][]string{
		{"init", "--quiet", "--bare", r.origin},
		{"-C", src, "init", "--quiet"},
		{"-C", src, "add", "-A"},
		{"-C", src, "commit", "--quiet", "-m", "as tested"},
		{"-C", src, "push", "--quiet", r.origin, "HEAD:refs/heads/main", "HEAD:refs/pull/1/merge"},
		{"-C", src, "commit", "--quiet", "-am", "simulated servers"},
		{"-C", src, "push", "--quiet", r.origin, "HEAD:refs/heads/main"},
	} {
		if i == 5 && siteTOML == "" {
			break
		}
		if i == 5 {
			if err := os.WriteFile(filepath.Join(src, "site.toml"), []byte(siteTOML), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.git(r.dir, s...); err != nil {
			t.Fatal(err)
		}
	}
}

// git runs git in dir and returns its output, trimmed.
func (r *runner) git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(slices.Clip(r.env), "GIT_AUTHOR_NAME=r", "GIT_AUTHOR_EMAIL=r@example.com", "GIT_COMMITTER_NAME=r", "GIT_COMMITTER_EMAIL=r@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// The workflow, as far as the runner reads it.
type (
	wfFile struct {
		Permissions map[string]string
		Jobs        map[string]*wfJob
	}
	wfJob struct {
		Needs       string
		Permissions map[string]string
		Strategy    struct{ Matrix map[string]string }
		Outputs     map[string]string
		Steps       []wfStep
	}
	wfStep struct {
		ID, Name, Uses, Run string
		With, Env           map[string]string
		Dir                 string `yaml:"working-directory"`
	}
)

// prSkips are the steps of pr.yml the rehearsal does not run.
var prSkips = map[string]string{
	"Test (installs vnu-jar with sudo; the runner has Chrome and Java)": "make test runs this test itself",
	"Lint (staticcheck, actionlint)":                                    "it fetches the linters from the network",
}

// probeRE finds a step that probes the checked-out site.toml: refused in
// pull requests, whose site.toml lists public addresses.
var probeRE = regexp.MustCompile(`\bmake\b.*\b(probe|site)\b|deadyet\s+(probe|build)\b`)

// run runs the workflow text wf for an event on ref, its jobs after those
// they need. The run is returned with an error too, for its log.
func (r *runner) run(wf, event, ref string) (*ghRun, error) {
	var w wfFile
	if err := yaml.Unmarshal([]byte(wf), &w); err != nil {
		return nil, err
	}
	r.runs++
	run := &ghRun{id: 9000 + r.runs, artifacts: filepath.Join(r.dir, "runs", strconv.Itoa(r.runs))}
	gh := map[string]any{"run_id": strconv.Itoa(run.id), "run_attempt": "1", "event_name": event, "ref": ref}
	needs := map[string]any{}
	skipped := 0
	for len(needs) < len(w.Jobs) {
		ready := ""
		for _, id := range sortedKeys(w.Jobs) {
			if _, done := needs[id]; !done && (w.Jobs[id].Needs == "" || needs[w.Jobs[id].Needs] != nil) {
				ready = id
				break
			}
		}
		job := w.Jobs[ready]
		if job == nil {
			return run, errors.New("no job can run: their needs name no job or make a cycle")
		}
		perms := job.Permissions
		if perms == nil {
			perms = w.Permissions
		}
		ctx := ctxMap{"github": gh, "needs": needs, "matrix": map[string]any{}}
		matrix := []map[string]any{{}}
		if len(job.Strategy.Matrix) > 1 {
			return run, fmt.Errorf("job %s: a matrix of more than one key: teach rehearsal_test.go", ready)
		}
		for k, expr := range job.Strategy.Matrix {
			v, err := ctx.value(expr)
			list, ok := v.([]any)
			if err != nil || !ok || len(list) == 0 {
				return run, fmt.Errorf("job %s: matrix %s: %v, want a list (%v)", ready, k, v, err)
			}
			matrix = nil
			for _, x := range list {
				matrix = append(matrix, map[string]any{k: x})
			}
		}
		outputs := map[string]any{}
		for _, m := range matrix {
			steps := map[string]any{}
			ctx := ctxMap{"github": gh, "needs": needs, "matrix": m, "steps": steps}
			fmt.Fprintf(&run.log, "=== job %s %v\n", ready, m)
			if err := os.RemoveAll(r.work); err != nil {
				return run, err
			}
			if err := os.MkdirAll(r.work, 0o755); err != nil {
				return run, err
			}
			for _, s := range job.Steps {
				if event == "pull_request" && prSkips[s.Name] != "" {
					skipped++
					continue
				}
				out, err := r.step(run, ctx, perms, s, ref)
				if err != nil {
					return run, fmt.Errorf("job %s, step %q: %w\n%s", ready, cmp.Or(s.Name, s.Uses, s.Run), err, run.log.String()[max(0, run.log.Len()-3000):])
				}
				if s.ID != "" {
					steps[s.ID] = map[string]any{"outputs": out}
				}
			}
			for k, v := range job.Outputs {
				if outputs[k], _ = ctx.value(v); outputs[k] == nil {
					return run, fmt.Errorf("job %s: output %s: %s is not set", ready, k, v)
				}
			}
		}
		needs[ready] = map[string]any{"outputs": outputs}
	}
	if event == "pull_request" && skipped != len(prSkips) {
		return run, fmt.Errorf("skipped %d steps of %d in prSkips: was one renamed?", skipped, len(prSkips))
	}
	return run, nil
}

// step runs one step and returns its outputs: what a run: step wrote to
// GITHUB_OUTPUT (NAME=value lines), or its stand-in's.
func (r *runner) step(run *ghRun, ctx ctxMap, perms map[string]string, s wfStep, ref string) (map[string]any, error) {
	with := map[string]string{}
	for k, v := range s.With {
		var err error
		if with[k], err = ctx.expand(v); err != nil {
			return nil, err
		}
	}
	if s.Uses != "" {
		return r.action(run, perms, s.Uses, with, ref)
	}
	script, err := ctx.expand(s.Run)
	if err != nil {
		return nil, err
	}
	if ref == "refs/pull/1/merge" && probeRE.MatchString(script) {
		return nil, fmt.Errorf("%q would probe the public addresses of the shipped site.toml", script)
	}
	temp := filepath.Join(r.dir, "temp")
	outFile := filepath.Join(temp, "output")
	if err := os.MkdirAll(temp, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(outFile, nil, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-c", script)
	cmd.Dir, cmd.Stdout, cmd.Stderr = filepath.Join(r.work, s.Dir), &run.log, &run.log
	cmd.Env = append(slices.Clip(r.env), "GITHUB_OUTPUT="+outFile, "RUNNER_TEMP="+temp, "GITHUB_WORKSPACE="+r.work,
		"GITHUB_RUN_ID="+strconv.Itoa(run.id), "GITHUB_REF="+ref)
	for k, v := range s.Env {
		v, err := ctx.expand(v)
		if err != nil {
			return nil, err
		}
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bash -e: %w", err)
	}
	data, err := os.ReadFile(outFile)
	out := map[string]any{}
	for l := range strings.Lines(string(data)) {
		k, v, ok := strings.Cut(strings.TrimSuffix(l, "\n"), "=")
		if !ok {
			return nil, fmt.Errorf("GITHUB_OUTPUT %q: want NAME=value", l)
		}
		out[k] = v
	}
	return out, err
}

// action runs the stand-in of the action uses. Each does what the
// workflows need of it, in the workspace, and fails where GitHub would.
func (r *runner) action(run *ghRun, perms map[string]string, uses string, with map[string]string, ref string) (map[string]any, error) {
	name, _, _ := strings.Cut(uses, "@")
	in := func(p string) string { return filepath.Join(r.work, p) }
	switch name {
	case "actions/checkout":
		dir := in(with["path"])
		cmds := [][]string{{"init", "--quiet", dir}, {"-C", dir, "remote", "add", "origin", "file://" + r.origin}}
		if sparse := with["sparse-checkout"]; sparse != "" {
			mode := map[string]string{"false": "--no-cone"}[with["sparse-checkout-cone-mode"]]
			cmds = append(cmds, append([]string{"-C", dir, "sparse-checkout", "set", cmp.Or(mode, "--cone")}, strings.Fields(sparse)...))
		}
		cmds = append(cmds, []string{"-C", dir, "fetch", "--quiet", "--no-tags", "--depth=1", "origin", ref},
			[]string{"-C", dir, "checkout", "--quiet", "--detach", "FETCH_HEAD"})
		// GitHub takes a push only with the token it persists and "contents: write".
		if with["persist-credentials"] == "false" || perms["contents"] != "write" {
			cmds = append(cmds, []string{"-C", dir, "remote", "set-url", "--push", "origin", filepath.Join(r.dir, "no-credentials")})
		}
		for _, c := range cmds {
			if _, err := r.git(r.dir, c...); err != nil {
				return nil, err
			}
		}
	case "actions/setup-go": // the go on the PATH
	case "actions/upload-artifact", "actions/upload-pages-artifact":
		src, dst := in(with["path"]), filepath.Join(run.artifacts, cmp.Or(with["name"], "github-pages"))
		fi, err := os.Stat(src)
		if err != nil || name == "actions/upload-pages-artifact" && !fileExists(filepath.Join(src, "index.html")) {
			return nil, fmt.Errorf("no files at %q, or no index.html in a site (%v)", with["path"], err)
		}
		if !fi.IsDir() {
			dst = filepath.Join(dst, fi.Name())
		}
		return nil, copyPath(src, dst)
	case "actions/download-artifact":
		entries, err := os.ReadDir(run.artifacts)
		for _, e := range entries {
			if ok, _ := path.Match(with["pattern"], e.Name()); ok && err == nil {
				dst := in(with["path"])
				if with["merge-multiple"] != "true" {
					dst = filepath.Join(dst, e.Name())
				}
				err = copyPath(filepath.Join(run.artifacts, e.Name()), dst)
			}
		}
		return nil, err
	case "actions/cache/restore", "actions/cache/save":
		// An entry is found by its key (or the newest whose key starts with
		// a restore key) and its path, as GitHub's cache version hashes it.
		p := filepath.Clean(with["path"])
		if name == "actions/cache/save" {
			if r.cache[with["key"]] == "" && fileExists(in(p)) {
				r.cache[with["key"]] = filepath.Join(r.dir, "cache", strconv.Itoa(len(r.cacheKeys)))
				r.cacheKeys = append(r.cacheKeys, with["key"])
				return nil, copyPath(in(p), filepath.Join(r.cache[with["key"]], p))
			}
			return nil, nil
		}
		for i := len(r.cacheKeys) - 1; i >= 0; i-- {
			k := r.cacheKeys[i]
			if saved := filepath.Join(r.cache[k], p); (k == with["key"] || with["restore-keys"] != "" && strings.HasPrefix(k, with["restore-keys"])) && fileExists(saved) {
				run.restored = k
				return nil, copyPath(saved, in(p))
			}
		}
	case "actions/deploy-pages":
		if perms["pages"] != "write" || perms["id-token"] != "write" {
			return nil, errors.New("deploy-pages needs pages: write and id-token: write")
		}
		run.deployed = filepath.Join(run.artifacts, "github-pages")
		return map[string]any{"page_url": "https://example.github.io/deadyet/"}, nil
	default:
		return nil, fmt.Errorf("%s: no stand-in in rehearsal_test.go", uses)
	}
	return nil, nil
}

// ctxMap holds the contexts expressions read: github, needs, matrix, steps.
type ctxMap map[string]any

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// value is the value of s when it is one ${{ path }} or ${{ fromJSON(path) }},
// else s expanded.
func (c ctxMap) value(s string) (any, error) {
	m := exprRE.FindStringSubmatch(s)
	if m == nil || m[0] != s {
		return c.expand(s)
	}
	p, fromJSON := strings.CutPrefix(m[1], "fromJSON(")
	p = strings.TrimSuffix(p, ")")
	var v any = map[string]any(c)
	for _, k := range strings.Split(p, ".") {
		obj, _ := v.(map[string]any)
		if v = obj[k]; v == nil {
			return nil, fmt.Errorf("%s: %s is not set", s, k)
		}
	}
	if str, ok := v.(string); ok && fromJSON {
		err := json.Unmarshal([]byte(str), &v)
		return v, err
	}
	return v, nil
}

// expand replaces each ${{ … }} in s by its value, which must be a string.
func (c ctxMap) expand(s string) (string, error) {
	var err error
	out := exprRE.ReplaceAllStringFunc(s, func(m string) string {
		v, e := c.value(m)
		str, ok := v.(string)
		if e == nil && !ok {
			e = fmt.Errorf("%s is %v, not a string", m, v)
		}
		err = cmp.Or(err, e)
		return str
	})
	return out, err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// copyPath copies the file or folder src to dst, merging folders.
func copyPath(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return os.CopyFS(dst, os.DirFS(src))
	}
	data, err := os.ReadFile(src)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(dst), 0o755)
	}
	if err == nil {
		err = os.WriteFile(dst, data, fi.Mode().Perm())
	}
	return err
}
