package main

// A stand-in for GitHub Actions, for TestWorkflowRehearsal: it runs the
// jobs of a workflow file the way a hosted runner would, on this machine.
//
//   - origin is a local bare repository; actions/checkout fetches from it
//     (ref:, path:, fetch-depth:, sparse-checkout:, persist-credentials:)
//     over file://, and a push needs what it needs on GitHub: credentials
//     (persist-credentials not false) and "contents: write".
//   - Jobs run one after the other, each after the jobs it needs (in file
//     order otherwise), each in a fresh workspace (the same folder for
//     every job, as on a hosted runner) with a fresh RUNNER_TEMP. A matrix
//     job runs once for every entry. The first failing step fails the run:
//     nothing after it runs.
//   - A run: step is its script, ${{ … }} substituted, run with
//     "bash --noprofile --norc -e" (GitHub's default shell) in the
//     workspace or its working-directory, with the runner's variables
//     (GITHUB_*, RUNNER_*, CI), the workflow's, the job's and the step's
//     env:, and what earlier steps wrote to GITHUB_ENV and GITHUB_PATH.
//     What a step writes to GITHUB_OUTPUT becomes steps.<id>.outputs.
//   - A uses: step runs a local stand-in (standIns); an action without one
//     fails the run, and so does a with: key its stand-in does not know.
//   - Go runs offline (GOPROXY=off, GOTOOLCHAIN=local) with this machine's
//     module and build caches. deadyet is built once; the go on the steps'
//     PATH is a shim that, asked for "go build -o FILE ./cmd/deadyet" where
//     FILE does not exist, first puts that build there, then runs the real
//     go build, which finds it up to date (or rebuilds it when the
//     checked-out sources differ): linking it anew in every job would take
//     a second or more each time. The binary appears only where and when a
//     step asks go to build it, so a step that runs it without building it
//     fails here as on GitHub.
//
// Nothing here connects anywhere but to loopback: the only remote is the
// bare repository, and the probes go where the origin's site.toml says.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// ghRunner is GitHub and one hosted runner.
type ghRunner struct {
	dir    string // everything lives under it
	origin string // the bare repository
	work   string // GITHUB_WORKSPACE
	home   string
	noPush string   // the push URL of a checkout without credentials: no repository
	binary string   // deadyet, built once
	tools  string   // the folder of the go shim, first on the steps' PATH
	env    []string // every step's base environment
	runs   int
	caches []cacheEntry // the Actions cache, oldest first
}

// cacheEntry is one entry of the Actions cache: its key and the folder
// holding what was saved, at the path it was saved from.
type cacheEntry struct {
	key, dir string
}

// ghEvent is what starts a run: the event's name and the ref it is for.
type ghEvent struct {
	name string // GITHUB_EVENT_NAME: schedule, pull_request, …
	ref  string // GITHUB_REF: refs/heads/main, refs/pull/1/merge, …
}

// runOptions change how a run goes.
type runOptions struct {
	// skip names steps (by their title) not to run, each with the reason.
	skip map[string]string
	// noProbe refuses a run: step that would probe with the checked-out
	// site.toml (make probe or site, deadyet probe or build): for the
	// shipped site.toml, which lists public addresses.
	noProbe bool
}

// ghRun is one run of a workflow.
type ghRun struct {
	r         *ghRunner
	w         *wfFile
	id        int
	event     ghEvent
	sha       string
	opts      runOptions
	artifacts string                    // one folder per artifact
	needs     map[string]map[string]any // finished jobs, as the needs context shows them
	skipped   map[string]bool           // steps skipped, by title
	deployed  string                    // the pages artifact a deploy-pages step deployed
	jobs      int                       // jobs started
	log       strings.Builder
}

// newRunner makes the runner's folders and finds Go. Make the origin
// (newOrigin) and call build before the first run.
func newRunner(t *testing.T) *ghRunner {
	t.Helper()
	dir := t.TempDir()
	r := &ghRunner{
		dir:    dir,
		origin: filepath.Join(dir, "github", "deadyet.git"),
		work:   filepath.Join(dir, "runner", "work", "deadyet", "deadyet"),
		home:   filepath.Join(dir, "runner", "home"),
		noPush: filepath.Join(dir, "github", "no-push-credentials"),
		binary: filepath.Join(dir, "deadyet"),
		tools:  filepath.Join(dir, "runner", "tools"),
	}
	for _, d := range []string{r.home, r.work, r.tools} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the rehearsal runs go from the PATH: %v", err)
	}
	out, err := exec.Command(goBin, "env", "-json", "GOROOT", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	var goEnv map[string]string
	if err := json.Unmarshal(out, &goEnv); err != nil {
		t.Fatalf("go env: %v", err)
	}
	for _, tool := range []string{"bash", "git", "make", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the rehearsal needs %s on the PATH, as GitHub's runners have it (Debian: apt-get install %s)", tool, tool)
		}
	}
	realGo := filepath.Join(goEnv["GOROOT"], "bin", "go")
	shim := fmt.Sprintf(`#!/bin/bash
# The rehearsal's go (runner_test.go): the real one, after putting the
# deadyet built once where "go build -o FILE ./cmd/deadyet" is to write it.
if [ $# = 4 ] && [ "$1" = build ] && [ "$2" = -o ] && [ "$4" = ./cmd/deadyet ] && [ ! -e "$3" ] && [ -e %[1]q ]; then
	mkdir -p "$(dirname "$3")" && cp %[1]q "$3"
fi
exec %[2]q "$@"
`, r.binary, realGo)
	if err := os.WriteFile(filepath.Join(r.tools, "go"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	r.env = []string{
		"PATH=" + r.tools + string(os.PathListSeparator) + filepath.Join(goEnv["GOROOT"], "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + r.home,
		"LANG=C.UTF-8",
		"CI=true",
		"GITHUB_ACTIONS=true",
		"RUNNER_OS=Linux",
		"RUNNER_ARCH=X64",
		"GITHUB_REPOSITORY=example/deadyet",
		"GITHUB_REPOSITORY_OWNER=example",
		"GITHUB_SERVER_URL=https://github.com",
		"GITHUB_WORKSPACE=" + r.work,
		// Go as the runner's would be after setup-go with its cache,
		// offline: the module cache of this machine and no proxy.
		"GOCACHE=" + goEnv["GOCACHE"],
		"GOMODCACHE=" + goEnv["GOMODCACHE"],
		"GOPATH=" + goEnv["GOPATH"],
		"GOFLAGS=" + goEnv["GOFLAGS"],
		"GOENV=off",
		"GOPROXY=off",
		"DEADYET_REHEARSAL=1", // a step that runs the tests again would rehearse itself
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
		// git without this machine's configuration, never asking.
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
	}
	return r
}

// git runs git in dir with the runner's environment and returns its
// trimmed output.
func (r *ghRunner) git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(slices.Clip(r.env),
		"GIT_AUTHOR_NAME=rehearsal", "GIT_AUTHOR_EMAIL=rehearsal@example.com",
		"GIT_COMMITTER_NAME=rehearsal", "GIT_COMMITTER_EMAIL=rehearsal@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func (r *ghRunner) mustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := r.git(dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// refs lists the origin's refs and what they point at.
func (r *ghRunner) refs(t *testing.T) string {
	t.Helper()
	return r.mustGit(t, r.origin, "for-each-ref", "--format=%(refname) %(objectname)")
}

// build builds bin/deadyet once, in a checkout of ref at the workspace's
// path and with the steps' environment, so that the steps' "go build"
// finds the copy they get up to date.
func (r *ghRunner) build(t *testing.T, ref string) {
	t.Helper()
	if err := os.RemoveAll(r.work); err != nil {
		t.Fatal(err)
	}
	r.mustGit(t, r.dir, "clone", "--quiet", "--branch", strings.TrimPrefix(ref, "refs/heads/"), "file://"+r.origin, r.work)
	cmd := exec.Command("go", "build", "-o", "bin/deadyet", "./cmd/deadyet")
	cmd.Dir, cmd.Env = r.work, r.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.Rename(filepath.Join(r.work, "bin", "deadyet"), r.binary); err != nil {
		t.Fatal(err)
	}
}

// run runs the workflow file at wfPath for ev. The run is returned with an
// error too, for its log.
func (r *ghRunner) run(wfPath string, ev ghEvent, opts runOptions) (*ghRun, error) {
	w, err := loadWorkflow(wfPath)
	if err != nil {
		return nil, err
	}
	if mapKey(&w.On, ev.name) == nil {
		return nil, fmt.Errorf("%s is not started by %s events", w.file, ev.name)
	}
	r.runs++
	run := &ghRun{
		r: r, w: w, id: 9000 + r.runs, event: ev, opts: opts,
		artifacts: filepath.Join(r.dir, "runs", strconv.Itoa(r.runs), "artifacts"),
		needs:     map[string]map[string]any{},
		skipped:   map[string]bool{},
	}
	if run.sha, err = r.git(r.origin, "rev-parse", "--verify", ev.ref+"^{commit}"); err != nil {
		return run, err
	}
	if err := os.MkdirAll(run.artifacts, 0o755); err != nil {
		return run, err
	}
	if err := run.concurrency(); err != nil {
		return run, err
	}
	// A step to skip that the workflow does not have is a mistake found
	// before any step runs: had it been renamed, it would run.
	titles := map[string]bool{}
	for _, job := range w.Jobs {
		for _, step := range job.Steps {
			titles[step.title()] = true
		}
	}
	for title := range opts.skip {
		if !titles[title] {
			return run, fmt.Errorf("%s: the step to skip %q is not in the workflow (renamed?)", w.file, title)
		}
	}
	// The jobs in the order of their needs, file order among equals.
	done := map[string]bool{}
	for len(done) < len(w.jobOrder) {
		progress := false
		for _, id := range w.jobOrder {
			job := w.Jobs[id]
			if done[id] || !allDone(job.Needs, done) {
				continue
			}
			for _, n := range job.Needs {
				if w.Jobs[n] == nil {
					return run, fmt.Errorf("%s:%d: job %s needs %q, which is no job", w.file, job.line, id, n)
				}
			}
			if err := run.job(job); err != nil {
				return run, err
			}
			done[id], progress = true, true
		}
		if !progress {
			return run, fmt.Errorf("%s: the jobs' needs make a cycle", w.file)
		}
	}
	for title := range opts.skip {
		if !run.skipped[title] {
			return run, fmt.Errorf("%s: the step to skip %q is not in the workflow (any more?)", w.file, title)
		}
	}
	return run, nil
}

func allDone(needs []string, done map[string]bool) bool {
	for _, n := range needs {
		if !done[n] {
			return false
		}
	}
	return true
}

func (run *ghRun) githubContext() map[string]any {
	gh := map[string]any{
		"sha": run.sha, "ref": run.event.ref, "event_name": run.event.name,
		"run_id": strconv.Itoa(run.id), "run_attempt": "1", "repository": "example/deadyet", "workspace": run.r.work,
		"event": map[string]any{},
	}
	if num, ok := strings.CutPrefix(run.event.ref, "refs/pull/"); ok {
		n, _ := strconv.ParseFloat(strings.TrimSuffix(num, "/merge"), 64)
		gh["event"] = map[string]any{"pull_request": map[string]any{"number": n}}
	}
	return gh
}

// concurrency evaluates the workflow's concurrency group, as GitHub does
// before the run starts.
func (run *ghRun) concurrency() error {
	c := run.w.Concurrency
	group := c.Value
	if g := mapValue(&c, "group"); g != nil {
		group = g.Value
	}
	if _, err := (exprContext{"github": run.githubContext()}).interpolate(group); err != nil {
		return fmt.Errorf("%s:%d: concurrency: %w", run.w.file, c.Line, err)
	}
	return nil
}

// job runs a job, once per entry of its matrix.
func (run *ghRun) job(job *wfJob) error {
	needs := map[string]any{}
	for _, n := range job.Needs {
		needs[n] = run.needs[n]
	}
	combos := []map[string]any{{}}
	if s := job.Strategy; s != nil {
		ctx := exprContext{"github": run.githubContext(), "needs": needs}
		for _, key := range sortedKeys(s.Matrix) {
			if key == "include" || key == "exclude" {
				return fmt.Errorf("%s:%d: job %s: matrix %s: the rehearsal does not know it; teach runner_test.go", run.w.file, job.line, job.id, key)
			}
			node := s.Matrix[key]
			var values []any
			if node.Kind == yaml.ScalarNode { // an expression
				v, err := ctx.value(node.Value)
				if err != nil {
					return fmt.Errorf("%s:%d: job %s: matrix %s: %w", run.w.file, node.Line, job.id, key, err)
				}
				list, ok := v.([]any)
				if !ok {
					return fmt.Errorf("%s:%d: job %s: matrix %s is %T, not a list", run.w.file, node.Line, job.id, key, v)
				}
				values = list
			} else if err := node.Decode(&values); err != nil {
				return fmt.Errorf("%s:%d: job %s: matrix %s: %w", run.w.file, node.Line, job.id, key, err)
			}
			if len(values) == 0 {
				return fmt.Errorf("%s:%d: job %s: matrix %s is empty", run.w.file, node.Line, job.id, key)
			}
			var next []map[string]any
			for _, c := range combos {
				for _, v := range values {
					m := map[string]any{key: v}
					for k, old := range c {
						m[k] = old
					}
					next = append(next, m)
				}
			}
			combos = next
		}
	}
	outputs := map[string]any{}
	for _, matrix := range combos {
		out, err := run.jobOnce(job, needs, matrix)
		if err != nil {
			return err
		}
		for k, v := range out {
			outputs[k] = v
		}
	}
	run.needs[job.id] = map[string]any{"result": "success", "outputs": outputs}
	return nil
}

// jobRun is one job running on the runner.
type jobRun struct {
	run   *ghRun
	job   *wfJob
	name  string
	ctx   exprContext
	perms map[string]string
	temp  string
	env   map[string]string // the runner's, the workflow's, the job's, GITHUB_ENV's
	path  []string          // from GITHUB_PATH, newest first
}

func (run *ghRun) jobOnce(job *wfJob, needs, matrix map[string]any) (map[string]any, error) {
	w, r := run.w, run.r
	steps := map[string]any{}
	j := &jobRun{run: run, job: job, ctx: exprContext{"github": run.githubContext(), "needs": needs, "matrix": matrix, "steps": steps}}
	fail := func(err error) (map[string]any, error) {
		return nil, fmt.Errorf("%s: job %s (%q): %w", w.file, job.id, j.name, err)
	}
	j.name = job.id
	if job.Name != "" {
		name, err := j.ctx.interpolate(job.Name)
		if err != nil {
			return fail(fmt.Errorf("name: %w", err))
		}
		j.name = name
	}
	runsOn, err := j.ctx.interpolate(job.RunsOn)
	if err != nil {
		return fail(fmt.Errorf("runs-on: %w", err))
	}
	if !strings.HasPrefix(runsOn, "ubuntu-") {
		return fail(fmt.Errorf("runs-on %q: the rehearsal runs Ubuntu jobs only; teach runner_test.go", runsOn))
	}
	perms, set, err := permissions(job.Permissions)
	if !set {
		perms, _, err = permissions(w.Permissions)
	}
	if err != nil {
		return fail(err)
	}
	j.perms = perms
	fmt.Fprintf(&run.log, "=== job %s (%s) on %s\n", job.id, j.name, runsOn)

	// A fresh runner: an empty workspace and temp folder.
	if err := os.RemoveAll(r.work); err != nil {
		return fail(err)
	}
	run.jobs++
	j.temp = filepath.Join(r.dir, "runs", strconv.Itoa(r.runs), "temp", strconv.Itoa(run.jobs)+"-"+job.id)
	for _, d := range []string{r.work, j.temp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fail(err)
		}
	}
	event := filepath.Join(j.temp, "event.json")
	payload, _ := json.Marshal(j.ctx["github"].(map[string]any)["event"])
	if err := os.WriteFile(event, payload, 0o644); err != nil {
		return fail(err)
	}
	j.env = map[string]string{}
	for _, kv := range r.env {
		k, v, _ := strings.Cut(kv, "=")
		j.env[k] = v
	}
	for k, v := range map[string]string{
		"GITHUB_SHA": run.sha, "GITHUB_REF": run.event.ref, "GITHUB_REF_NAME": refName(run.event.ref),
		"GITHUB_EVENT_NAME": run.event.name, "GITHUB_EVENT_PATH": event, "GITHUB_JOB": job.id,
		"GITHUB_RUN_ID": strconv.Itoa(run.id), "GITHUB_RUN_NUMBER": strconv.Itoa(r.runs), "GITHUB_RUN_ATTEMPT": "1",
		"GITHUB_WORKFLOW": w.Name, "RUNNER_TEMP": j.temp,
	} {
		j.env[k] = v
	}
	for _, m := range []map[string]string{w.Env, job.Env} {
		env, err := j.ctx.interpolateMap(m)
		if err != nil {
			return fail(fmt.Errorf("env: %w", err))
		}
		for k, v := range env {
			j.env[k] = v
		}
	}
	minutes := job.TimeoutMinutes
	if minutes == 0 {
		minutes = 360
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(minutes)*time.Minute)
	defer cancel()

	for n, step := range job.Steps {
		title, err := j.ctx.interpolate(step.title())
		if err != nil {
			return fail(fmt.Errorf("step %d (%s:%d): name: %w", n+1, w.file, step.line, err))
		}
		if reason, ok := run.opts.skip[title]; ok {
			run.skipped[title] = true
			fmt.Fprintf(&run.log, "--- step %q: skipped: %s\n", title, reason)
			continue
		}
		began := time.Now()
		outputs, out, err := j.step(ctx, n, step)
		fmt.Fprintf(&run.log, "--- step %q (%s)\n%s", title, time.Since(began).Round(time.Millisecond), out)
		if err != nil {
			return fail(fmt.Errorf("step %q (%s:%d): %w\n%s", title, w.file, step.line, err, tail(out, 30)))
		}
		if step.ID != "" {
			o := map[string]any{}
			for k, v := range outputs {
				o[k] = v
			}
			steps[step.ID] = map[string]any{"outputs": o, "outcome": "success", "conclusion": "success"}
		}
	}
	outputs := map[string]any{}
	for _, k := range sortedKeys(job.Outputs) {
		v, err := j.ctx.interpolate(job.Outputs[k])
		if err != nil {
			return fail(fmt.Errorf("outputs: %s: %w", k, err))
		}
		outputs[k] = v
	}
	if e := job.Environment; e != nil {
		if _, err := j.ctx.interpolate(e.URL); err != nil {
			return fail(fmt.Errorf("environment url: %w", err))
		}
	}
	return outputs, nil
}

func refName(ref string) string {
	for _, p := range []string{"refs/heads/", "refs/tags/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return strings.TrimPrefix(ref, "refs/")
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// step runs one step and returns what it wrote to GITHUB_OUTPUT (or its
// stand-in's outputs) and its output.
func (j *jobRun) step(ctx context.Context, n int, step *wfStep) (map[string]string, string, error) {
	stepEnv, err := j.ctx.interpolateMap(step.Env)
	if err != nil {
		return nil, "", fmt.Errorf("env: %w", err)
	}
	files := map[string]string{}
	for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY"} {
		files[f] = filepath.Join(j.temp, "_runner_file_commands", fmt.Sprintf("%s_%d", strings.ToLower(f), n))
		if err := os.MkdirAll(filepath.Dir(files[f]), 0o755); err != nil {
			return nil, "", err
		}
		if err := os.WriteFile(files[f], nil, 0o644); err != nil {
			return nil, "", err
		}
	}
	env := map[string]string{}
	for k, v := range j.env {
		env[k] = v
	}
	for k, v := range stepEnv {
		env[k] = v
	}
	for k, v := range files {
		env[k] = v
	}
	if len(j.path) > 0 {
		env["PATH"] = strings.Join(j.path, string(os.PathListSeparator)) + string(os.PathListSeparator) + env["PATH"]
	}
	var envList []string
	for _, k := range sortedKeys(env) {
		envList = append(envList, k+"="+env[k])
	}

	var out bytes.Buffer
	var outputs map[string]string
	switch {
	case step.Uses != "" && step.Run != "":
		return nil, "", errors.New("both uses: and run:")
	case step.Uses != "":
		if step.WorkingDirectory != "" {
			return nil, "", errors.New("working-directory on a uses: step")
		}
		outputs, err = j.action(step, envList, &out)
	default:
		err = j.script(ctx, n, step, envList, &out)
	}
	if err != nil {
		return nil, out.String(), err
	}
	written, err := fileCommands(files["GITHUB_OUTPUT"])
	if err != nil {
		return nil, out.String(), fmt.Errorf("GITHUB_OUTPUT: %w", err)
	}
	if outputs == nil {
		outputs = map[string]string{}
	}
	for k, v := range written {
		outputs[k] = v
	}
	setEnv, err := fileCommands(files["GITHUB_ENV"])
	if err != nil {
		return nil, out.String(), fmt.Errorf("GITHUB_ENV: %w", err)
	}
	for k, v := range setEnv {
		j.env[k] = v
	}
	paths, err := os.ReadFile(files["GITHUB_PATH"])
	if err != nil {
		return nil, out.String(), err
	}
	for _, p := range strings.Split(strings.TrimSpace(string(paths)), "\n") {
		if p != "" {
			j.path = append([]string{p}, j.path...)
		}
	}
	return outputs, out.String(), nil
}

// script runs a run: step with bash -e.
func (j *jobRun) script(ctx context.Context, n int, step *wfStep, env []string, out *bytes.Buffer) error {
	text, err := j.ctx.interpolate(step.Run)
	if err != nil {
		return err
	}
	if j.run.opts.noProbe {
		if err := refuseProbe(text); err != nil {
			return err
		}
	}
	dir := j.run.r.work
	if step.WorkingDirectory != "" {
		wd, err := j.ctx.interpolate(step.WorkingDirectory)
		if err != nil {
			return fmt.Errorf("working-directory: %w", err)
		}
		if dir, err = j.inWorkspace(wd); err != nil {
			return err
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("working-directory %q: no such folder", wd)
		}
	}
	file := filepath.Join(j.temp, fmt.Sprintf("step-%d.sh", n+1))
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-e", file)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bash -e: %w", err)
	}
	return nil
}

// refuseProbe refuses a script that would probe the servers of the
// checked-out site.toml.
func refuseProbe(script string) error {
	for _, words := range commands(script) {
		probes := false
		switch {
		case words[0] == "make":
			for _, a := range words[1:] {
				probes = probes || a == "probe" || a == "site"
			}
		case isDeadyet(words[0]) && len(words) > 1:
			probes = words[1] == "probe" || words[1] == "build"
		}
		if probes {
			return fmt.Errorf("%q would probe the servers of the checked-out site.toml (public addresses): refused", strings.Join(words, " "))
		}
	}
	return nil
}

// inWorkspace is p (relative to the workspace) as a path that stays in it.
func (j *jobRun) inWorkspace(p string) (string, error) {
	if !filepath.IsLocal(filepath.Clean(p)) {
		return "", fmt.Errorf("path %q leaves the workspace", p)
	}
	return filepath.Join(j.run.r.work, p), nil
}

// fileCommands reads a GITHUB_OUTPUT or GITHUB_ENV file: NAME=value lines
// and NAME<<DELIMITER blocks.
func fileCommands(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if k, v, ok := strings.Cut(l, "="); ok && !strings.Contains(k, "<<") {
			out[k] = v
			continue
		}
		k, delim, ok := strings.Cut(l, "<<")
		if !ok || k == "" || delim == "" {
			return nil, fmt.Errorf("line %d: %q: want NAME=value or NAME<<DELIMITER", i+1, l)
		}
		var block []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			block = append(block, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s: no closing %s", k, delim)
		}
		out[k] = strings.Join(block, "\n")
	}
	return out, nil
}

// standIn is the local stand-in of an action.
type standIn struct {
	with []string // the with: keys it takes
	run  func(j *jobRun, with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error)
}

var standIns = map[string]standIn{
	"actions/checkout": {
		with: []string{"ref", "path", "fetch-depth", "persist-credentials", "sparse-checkout", "sparse-checkout-cone-mode"},
		run:  (*jobRun).checkout,
	},
	"actions/setup-go": {
		with: []string{"go-version", "go-version-file", "cache", "cache-dependency-path", "check-latest"},
		run:  (*jobRun).setupGo,
	},
	"actions/upload-artifact": {
		with: []string{"name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite", "include-hidden-files"},
		run:  (*jobRun).uploadArtifact,
	},
	"actions/download-artifact": {
		with: []string{"name", "pattern", "path", "merge-multiple"},
		run:  (*jobRun).downloadArtifact,
	},
	"actions/upload-pages-artifact": {
		with: []string{"path", "name", "retention-days"},
		run:  (*jobRun).uploadPagesArtifact,
	},
	"actions/cache/restore": {
		with: []string{"path", "key", "restore-keys", "fail-on-cache-miss", "lookup-only"},
		run:  (*jobRun).cacheRestore,
	},
	"actions/cache/save": {
		with: []string{"path", "key"},
		run:  (*jobRun).cacheSave,
	},
	"actions/deploy-pages": {
		with: []string{"artifact_name", "timeout", "error_count", "reporting_interval", "preview"},
		run:  (*jobRun).deployPages,
	},
}

func (j *jobRun) action(step *wfStep, env []string, out *bytes.Buffer) (map[string]string, error) {
	name, ref, ok := strings.Cut(step.Uses, "@")
	if !ok || ref == "" {
		return nil, fmt.Errorf("uses %q: no @version", step.Uses)
	}
	a, ok := standIns[name]
	if !ok {
		return nil, fmt.Errorf("uses %q: no local stand-in for this action; add one to standIns in runner_test.go", step.Uses)
	}
	with, err := j.ctx.interpolateMap(step.With)
	if err != nil {
		return nil, fmt.Errorf("with: %w", err)
	}
	for _, k := range sortedKeys(with) {
		if !slices.Contains(a.with, k) {
			return nil, fmt.Errorf("uses %q: with %s: the stand-in does not know it; teach runner_test.go", step.Uses, k)
		}
	}
	return a.run(j, with, env, out)
}

// checkout fetches a ref from origin into the workspace, as
// actions/checkout does: shallow unless fetch-depth says otherwise, a
// branch checked out as a local branch, anything else detached.
func (j *jobRun) checkout(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	r := j.run.r
	dest, err := j.inWorkspace(with["path"])
	if err != nil {
		return nil, err
	}
	depth := 1
	if v := with["fetch-depth"]; v != "" {
		if depth, err = strconv.Atoi(v); err != nil || depth < 0 {
			return nil, fmt.Errorf("fetch-depth %q: not a count", v)
		}
	}
	ref, sha := with["ref"], ""
	if ref == "" {
		ref, sha = j.run.event.ref, j.run.sha
	}
	var remote, branch string
	switch {
	case strings.HasPrefix(ref, "refs/heads/"):
		branch = strings.TrimPrefix(ref, "refs/heads/")
		remote = "refs/remotes/origin/" + branch
	case strings.HasPrefix(ref, "refs/pull/"):
		remote = "refs/remotes/pull/" + strings.TrimPrefix(ref, "refs/pull/")
	case strings.HasPrefix(ref, "refs/tags/"):
		remote = ref
	case strings.HasPrefix(ref, "refs/"):
		return nil, fmt.Errorf("ref %q: the stand-in checks out branches, tags and pull requests", ref)
	default:
		branch, ref = ref, "refs/heads/"+ref
		remote = "refs/remotes/origin/" + branch
	}
	git := func(args ...string) error {
		o, err := r.git(dest, args...)
		if o != "" {
			fmt.Fprintln(out, o)
		}
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return nil, err
	}
	if err := git("-c", "init.defaultBranch=main", "init", "--quiet"); err != nil {
		return nil, err
	}
	if err := git("remote", "add", "origin", "file://"+r.origin); err != nil {
		return nil, err
	}
	if s := with["sparse-checkout"]; s != "" {
		mode := "--cone"
		if with["sparse-checkout-cone-mode"] == "false" {
			mode = "--no-cone"
		}
		if err := git(append([]string{"sparse-checkout", "set", mode}, strings.Fields(s)...)...); err != nil {
			return nil, err
		}
	}
	fetch := []string{"fetch", "--quiet", "--no-tags", "--prune", "--no-recurse-submodules"}
	refspecs := []string{"+" + ref + ":" + remote}
	if depth > 0 {
		fetch = append(fetch, "--depth="+strconv.Itoa(depth))
	} else {
		fetch = slices.DeleteFunc(fetch, func(s string) bool { return s == "--no-tags" })
		refspecs = append(refspecs, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
	}
	if err := git(append(append(fetch, "origin"), refspecs...)...); err != nil {
		return nil, err
	}
	if branch != "" {
		err = git("checkout", "--quiet", "--force", "-B", branch, remote)
	} else {
		err = git("checkout", "--quiet", "--force", "--detach", remote)
	}
	if err != nil {
		return nil, err
	}
	if sha != "" {
		head, err := r.git(dest, "rev-parse", "HEAD")
		if err != nil {
			return nil, err
		}
		if head != sha {
			return nil, fmt.Errorf("checked out %s at %s, not GITHUB_SHA %s", ref, head, sha)
		}
	}
	// GitHub takes a push only with the token (persisted unless told not
	// to) and contents: write.
	if with["persist-credentials"] == "false" || j.perms["contents"] != "write" {
		if err := git("remote", "set-url", "--push", "origin", r.noPush); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(out, "checked out %s into %s\n", ref, dest)
	return nil, nil
}

// setupGo checks that the Go on the PATH is what the go-version-file asks
// for at least; it installs nothing.
func (j *jobRun) setupGo(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	if v := with["go-version"]; v != "" {
		return nil, fmt.Errorf("go-version %q: the stand-in reads go-version-file only", v)
	}
	file := with["go-version-file"]
	if file == "" {
		return nil, errors.New("no go-version-file")
	}
	p, err := j.inWorkspace(file)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("go-version-file: %w", err)
	}
	var want string
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "go "); ok {
			want = "go" + strings.TrimSpace(v)
		}
	}
	if !version.IsValid(want) {
		return nil, fmt.Errorf("go-version-file %s: no go line", file)
	}
	cmd := exec.Command("go", "env", "GOVERSION")
	cmd.Env = env
	got, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	have := strings.TrimSpace(string(got))
	if version.Compare(have, want) < 0 {
		return nil, fmt.Errorf("the Go on the PATH is %s; %s wants %s", have, file, want)
	}
	fmt.Fprintf(out, "Go %s (for %s)\n", have, want)
	return nil, nil
}

// uploadArtifact copies one file or folder into the run's artifacts.
func (j *jobRun) uploadArtifact(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	name := cmp.Or(with["name"], "artifact")
	if strings.ContainsAny(name, `/\:"<>|*?`) {
		return nil, fmt.Errorf("artifact name %q: not allowed", name)
	}
	p := strings.TrimSpace(with["path"])
	if p == "" || strings.ContainsAny(p, "*?[!\n") {
		return nil, fmt.Errorf("path %q: the stand-in takes one path, without patterns", p)
	}
	src, err := j.inWorkspace(p)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(src)
	if err == nil && fi.IsDir() {
		if entries, _ := os.ReadDir(src); len(entries) == 0 {
			err = errors.New("an empty folder")
		}
	}
	if err != nil {
		switch with["if-no-files-found"] {
		case "error":
			return nil, fmt.Errorf("no files found at %q (if-no-files-found: error)", p)
		case "ignore":
		default:
			fmt.Fprintf(out, "warning: no files found at %q\n", p)
		}
		return nil, nil
	}
	dst := filepath.Join(j.run.artifacts, name)
	if fileExists(dst) {
		if with["overwrite"] != "true" {
			return nil, fmt.Errorf("an artifact named %q was uploaded already in this run", name)
		}
		if err := os.RemoveAll(dst); err != nil {
			return nil, err
		}
	}
	if fi.IsDir() {
		// Like upload-artifact since v4.4: no hidden files unless asked.
		err = copyTree(src, dst, with["include-hidden-files"] == "true")
	} else {
		err = copyFile(src, filepath.Join(dst, filepath.Base(src)))
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "uploaded %s as artifact %q\n", p, name)
	return nil, nil
}

// downloadArtifact copies artifacts of the run into the workspace: one by
// name, or those matching pattern, each into a folder of its name unless
// merge-multiple.
func (j *jobRun) downloadArtifact(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	dest, err := j.inWorkspace(with["path"])
	if err != nil {
		return nil, err
	}
	if name := with["name"]; name != "" {
		src := filepath.Join(j.run.artifacts, name)
		if !fileExists(src) {
			return nil, fmt.Errorf("no artifact named %q in this run", name)
		}
		return nil, copyTree(src, dest, true)
	}
	entries, err := os.ReadDir(j.run.artifacts)
	if err != nil {
		return nil, err
	}
	found := 0
	for _, e := range entries {
		ok, err := path.Match(cmp.Or(with["pattern"], "*"), e.Name())
		if err != nil {
			return nil, fmt.Errorf("pattern: %w", err)
		}
		if !ok {
			continue
		}
		found++
		to := filepath.Join(dest, e.Name())
		if with["merge-multiple"] == "true" {
			to = dest
		}
		if err := copyTree(filepath.Join(j.run.artifacts, e.Name()), to, true); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(out, "downloaded %d artifacts into %s\n", found, dest)
	return nil, nil
}

// uploadPagesArtifact copies the site folder into the run's artifacts; it
// must hold index.html.
func (j *jobRun) uploadPagesArtifact(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	p := cmp.Or(with["path"], "_site/")
	src, err := j.inWorkspace(p)
	if err != nil {
		return nil, err
	}
	if !fileExists(filepath.Join(src, "index.html")) {
		return nil, fmt.Errorf("path %q holds no index.html: the site would have no front page", p)
	}
	name := cmp.Or(with["name"], "github-pages")
	dst := filepath.Join(j.run.artifacts, name)
	if fileExists(dst) {
		return nil, fmt.Errorf("an artifact named %q was uploaded already in this run", name)
	}
	// Like upload-pages-artifact since v4: no hidden files (.git,
	// .nojekyll, …).
	if err := copyTree(src, dst, false); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "uploaded %s as the pages artifact %q\n", p, name)
	return nil, nil
}

// deployPages deploys nothing: it checks the job may deploy and that the
// pages artifact is there, and notes it as deployed.
func (j *jobRun) deployPages(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	for _, p := range []string{"pages", "id-token"} {
		if j.perms[p] != "write" {
			return nil, fmt.Errorf("deploy-pages needs permission %s: write", p)
		}
	}
	name := cmp.Or(with["artifact_name"], "github-pages")
	dir := filepath.Join(j.run.artifacts, name)
	if !fileExists(filepath.Join(dir, "index.html")) {
		return nil, fmt.Errorf("no pages artifact %q with an index.html in this run", name)
	}
	j.run.deployed = dir
	fmt.Fprintf(out, "deployed artifact %q\n", name)
	return map[string]string{"page_url": "https://example.github.io/deadyet/"}, nil
}

// cacheInputs are what both cache stand-ins take: the one workspace path
// (absolute, and as given, where an entry keeps it) and the key.
func (j *jobRun) cacheInputs(with map[string]string) (abs, rel, key string, err error) {
	rel, key = strings.TrimSpace(with["path"]), with["key"]
	if rel == "" || strings.ContainsAny(rel, "*?[!\n~") || filepath.IsAbs(rel) {
		return "", "", "", fmt.Errorf("path %q: the stand-in takes one relative path, without patterns", rel)
	}
	if key == "" {
		return "", "", "", errors.New("no key")
	}
	abs, err = j.inWorkspace(rel)
	return abs, filepath.Clean(rel), key, err
}

// cacheRestore restores what actions/cache/restore would: the entry of
// the key, else the newest entry whose key starts with one of the
// restore-keys, tried in order; nothing on a miss.
func (j *jobRun) cacheRestore(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	abs, rel, key, err := j.cacheInputs(with)
	if err != nil {
		return nil, err
	}
	caches := j.run.r.caches
	found := slices.IndexFunc(caches, func(c cacheEntry) bool { return c.key == key })
	for _, prefix := range strings.Split(with["restore-keys"], "\n") {
		if prefix = strings.TrimSpace(prefix); found >= 0 || prefix == "" {
			continue
		}
		for i := len(caches) - 1; i >= 0; i-- {
			if strings.HasPrefix(caches[i].key, prefix) {
				found = i
				break
			}
		}
	}
	if found < 0 {
		if with["fail-on-cache-miss"] == "true" {
			return nil, fmt.Errorf("no cache for %q", key)
		}
		fmt.Fprintf(out, "Cache not found for input keys: %s\n", key)
		return map[string]string{"cache-hit": "false", "cache-primary-key": key}, nil
	}
	c := caches[found]
	if err := copyPath(filepath.Join(c.dir, rel), abs); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Cache restored from key: %s\n", c.key)
	return map[string]string{"cache-hit": strconv.FormatBool(c.key == key), "cache-primary-key": key, "cache-matched-key": c.key}, nil
}

// cacheSave saves the path under the key, as actions/cache/save does: an
// entry is never changed, and a missing path or a key saved already is a
// warning, not a failure.
func (j *jobRun) cacheSave(with map[string]string, env []string, out *bytes.Buffer) (map[string]string, error) {
	abs, rel, key, err := j.cacheInputs(with)
	if err != nil {
		return nil, err
	}
	r := j.run.r
	if slices.ContainsFunc(r.caches, func(c cacheEntry) bool { return c.key == key }) {
		fmt.Fprintf(out, "warning: cache entry %q exists already: not saved\n", key)
		return nil, nil
	}
	if !fileExists(abs) {
		fmt.Fprintf(out, "warning: path %q does not exist: no cache saved\n", rel)
		return nil, nil
	}
	dir := filepath.Join(r.dir, "cache", strconv.Itoa(len(r.caches)))
	if err := copyPath(abs, filepath.Join(dir, rel)); err != nil {
		return nil, err
	}
	r.caches = append(r.caches, cacheEntry{key: key, dir: dir})
	fmt.Fprintf(out, "Cache saved with key: %s\n", key)
	return nil, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// copyFile copies a regular file, with its mode, making dst's folder.
func copyFile(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, fi.Mode().Perm())
}

// copyPath copies the file or folder src to dst, hidden files included.
func copyPath(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return copyTree(src, dst, true)
	}
	return copyFile(src, dst)
}

// copyTree copies the folder src into dst (merging with what is there),
// without files and folders whose names start with "." unless hidden.
func copyTree(src, dst string, hidden bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case !hidden && rel != "." && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, to)
		}
		return fmt.Errorf("%s: neither a file nor a folder", p)
	})
}
