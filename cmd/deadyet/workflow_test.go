package main

// Tests that keep the GitHub workflows (.github/workflows/*.yml), the
// Makefile and this command in step: every "make X" a workflow runs is a
// target; every "deadyet CMD --flag" the workflows or those targets run is a
// command with that flag; actions are actions/* pinned to a major version;
// write permissions are where they are needed and nowhere else; the vantage
// points are listed well; the preview's results fixture matches site.toml.
//
// The workflows are decoded with a YAML library into the model of
// workflow_model_test.go; rehearsal_test.go runs their jobs.
//
// To regenerate the preview fixture after changing site.toml:
//
//	go test ./cmd/deadyet -run TestPreviewFixture -update-preview

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"deadyet/probe"
)

var updatePreview = flag.Bool("update-preview", false, "rewrite the preview results fixture from site.toml")

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// commands splits a shell script into simple commands, as lists of words:
// words split at blanks outside quotes, quotes removed; commands end at a
// newline (not after a backslash), "&&", "||", ";" or "|"; "#" at the start
// of a word starts a comment. Leading NAME=value words (the environment)
// are dropped. That is all the shell these tests need to understand.
func commands(script string) [][]string {
	var (
		out   [][]string
		words []string
		word  strings.Builder
		in    bool // a word is started
		quote byte
	)
	endWord := func() {
		if in {
			words = append(words, word.String())
		}
		word.Reset()
		in = false
	}
	endCommand := func() {
		endWord()
		for len(words) > 0 && assignRE.MatchString(words[0]) {
			words = words[1:]
		}
		if len(words) > 0 {
			out = append(out, words)
		}
		words = nil
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(script) && strings.IndexByte(`"\$`+"`", script[i+1]) >= 0 {
				i++
				word.WriteByte(script[i])
			} else {
				word.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == '\\' && i+1 < len(script):
			i++
			if script[i] != '\n' {
				word.WriteByte(script[i])
				in = true
			}
		case c == '#' && !in:
			for i+1 < len(script) && script[i+1] != '\n' {
				i++
			}
		case c == '\n' || c == ';' || c == '|' || (c == '&' && i+1 < len(script) && script[i+1] == '&'):
			if (c == '|' || c == '&') && i+1 < len(script) && script[i+1] == c {
				i++
			}
			endCommand()
		case c == ' ' || c == '\t':
			endWord()
		default:
			word.WriteByte(c)
			in = true
		}
	}
	endCommand()
	return out
}

// makefile is the repository's Makefile, as far as these tests read it.
type makefile struct {
	vars    map[string]string
	targets map[string]*target
}

type target struct {
	prereqs []string
	recipe  []string // with simple variables expanded
}

var (
	assignRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|=)\s*(.*)$`)
	ruleRE   = regexp.MustCompile(`^([A-Za-z0-9_./ -]+):(?:[^=]|$)(.*)$`)
	varRE    = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)
)

func readMakefile(t *testing.T) makefile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	mk := makefile{vars: map[string]string{}, targets: map[string]*target{}}
	var cur []*target
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "\t"):
			for _, tg := range cur {
				tg.recipe = append(tg.recipe, strings.TrimLeft(strings.TrimSpace(l), "@-"))
			}
		case assignRE.MatchString(l):
			m := assignRE.FindStringSubmatch(l)
			mk.vars[m[1]] = strings.TrimSpace(m[2])
			cur = nil
		case ruleRE.MatchString(l):
			m := ruleRE.FindStringSubmatch(l)
			cur = nil
			prereqs := strings.Fields(strings.SplitN(l[len(m[1])+1:], "#", 2)[0])
			for _, name := range strings.Fields(m[1]) {
				if strings.HasPrefix(name, ".") {
					continue
				}
				tg := &target{prereqs: prereqs}
				mk.targets[name] = tg
				cur = append(cur, tg)
			}
		case strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"):
		default:
			cur = nil
		}
	}
	for _, tg := range mk.targets {
		for i, r := range tg.recipe {
			tg.recipe[i] = mk.expand(r)
		}
	}
	return mk
}

// expand replaces $(NAME) by the Makefile's value of NAME, repeatedly; other
// references (functions, unknown names) stay as they are.
func (mk makefile) expand(s string) string {
	for range 10 {
		next := varRE.ReplaceAllStringFunc(s, func(ref string) string {
			if v, ok := mk.vars[varRE.FindStringSubmatch(ref)[1]]; ok {
				return v
			}
			return ref
		})
		if next == s {
			break
		}
		s = next
	}
	return s
}

var flagRE = regexp.MustCompile(`(?:^|[\s,(])--([a-z][a-z0-9-]*)`)

// checkDeadyet checks a deadyet command line (words[0] is the program)
// against the command tree: the subcommand exists and takes every --flag of
// line. It returns the problems.
func checkDeadyet(root *cobra.Command, words []string, line string) []string {
	cmd := root
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "-") {
			break
		}
		sub := findCommand(cmd, w)
		if sub == nil {
			if cmd == root {
				return []string{fmt.Sprintf("%q: deadyet has no command %q (it has %s)", line, w, commandNames(root))}
			}
			break // an argument
		}
		cmd = sub
	}
	if cmd == root {
		return []string{fmt.Sprintf("%q: deadyet without a command", line)}
	}
	var problems []string
	for _, m := range flagRE.FindAllStringSubmatch(line, -1) {
		if cmd.Flags().Lookup(m[1]) == nil {
			problems = append(problems, fmt.Sprintf("%q: %q has no flag --%s", line, cmd.CommandPath(), m[1]))
		}
	}
	return problems
}

func findCommand(parent *cobra.Command, name string) *cobra.Command {
	for _, c := range parent.Commands() {
		if c.Name() == name || slices.Contains(c.Aliases, name) {
			return c
		}
	}
	return nil
}

func commandNames(root *cobra.Command) string {
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func isDeadyet(word string) bool { return filepath.Base(word) == "deadyet" }

// TestWorkflowCommands: every make target and deadyet command the workflows
// run exists, down through the targets' prerequisites and recipes.
func TestWorkflowCommands(t *testing.T) {
	mk := readMakefile(t)
	root := NewCmdRoot(quiet)
	checked := map[string]bool{}
	var checkTarget func(where, name string)
	checkTarget = func(where, name string) {
		tg, ok := mk.targets[name]
		if !ok {
			t.Errorf("%s: make %s: the Makefile has no target %q", where, name, name)
			return
		}
		if checked[name] {
			return
		}
		checked[name] = true
		for _, p := range tg.prereqs {
			checkTarget("Makefile target "+name, p)
		}
		for _, r := range tg.recipe {
			for _, words := range commands(r) {
				if isDeadyet(words[0]) {
					for _, p := range checkDeadyet(root, words, r) {
						t.Errorf("Makefile target %s: %s", name, p)
					}
				}
			}
		}
	}
	calls := 0
	for _, w := range readWorkflows(t) {
		for _, s := range w.scripts() {
			for _, words := range commands(s.text) {
				where := fmt.Sprintf("%s:%d (job %s)", w.file, s.line, s.job)
				switch {
				case words[0] == "make":
					for _, a := range words[1:] {
						if !strings.HasPrefix(a, "-") && !strings.Contains(a, "=") {
							calls++
							checkTarget(where, a)
						}
					}
				case isDeadyet(words[0]):
					calls++
					for _, p := range checkDeadyet(root, words, strings.Join(words, " ")) {
						t.Errorf("%s: %s", where, p)
					}
				}
			}
		}
	}
	if calls < 5 {
		t.Errorf("found only %d make or deadyet calls in the workflows: the scan is broken", calls)
	}
}

// TestWorkflowRules: pinned actions/* only, minimal permissions, the
// schedule, and one run at a time.
func TestWorkflowRules(t *testing.T) {
	actionRE := regexp.MustCompile(`^actions/[a-z0-9-]+(/[a-z0-9-]+)?@v[0-9]+$`) // an action, or one in a folder of its repository (actions/cache/save)
	// Where write permissions may be: workflow → job → permissions.
	allowed := map[string]map[string][]string{
		"site.yml": {"site": {"contents"}, "deploy": {"id-token", "pages"}},
		"pr.yml":   {},
	}
	byName := map[string]*wfFile{}
	for _, w := range readWorkflows(t) {
		byName[w.file] = w
		if len(w.actions()) == 0 {
			t.Errorf("%s: no uses: steps found: the model is broken", w.file)
		}
		for _, u := range w.actions() {
			if !actionRE.MatchString(u.text) {
				t.Errorf("%s:%d: uses %q: want an actions/* action pinned to a major version, like actions/checkout@v6", w.file, u.line, u.text)
			}
		}
		top, set, err := permissions(w.Permissions)
		switch {
		case err != nil:
			t.Errorf("%s: %v", w.file, err)
		case !set:
			t.Errorf("%s: no top-level permissions", w.file)
		}
		for scope, p := range top {
			if p == "write" {
				t.Errorf("%s: write permission %q for the whole workflow", w.file, scope)
			}
		}
		want, ok := allowed[w.file]
		if !ok {
			t.Errorf("%s: a new workflow: list its write permissions in TestWorkflowRules", w.file)
			continue
		}
		for _, id := range w.jobOrder {
			perms, _, err := permissions(w.Jobs[id].Permissions)
			if err != nil {
				t.Errorf("%s: job %s: %v", w.file, id, err)
			}
			var got []string
			for _, scope := range sortedKeys(perms) {
				if perms[scope] == "write" {
					got = append(got, scope)
				}
			}
			if !slices.Equal(got, want[id]) {
				t.Errorf("%s: job %s may write %v, want %v", w.file, id, got, want[id])
			}
		}
		for id := range want {
			if w.Jobs[id] == nil {
				t.Errorf("%s: no job %s, which TestWorkflowRules expects", w.file, id)
			}
		}
	}

	site := byName["site.yml"]
	if site == nil {
		t.Fatal("no site.yml")
	}
	var on struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
		Push struct {
			Branches []string `yaml:"branches"`
		} `yaml:"push"`
	}
	if err := site.On.Decode(&on); err != nil {
		t.Fatalf("site.yml: on: %v", err)
	}
	if len(on.Schedule) != 1 || on.Schedule[0].Cron != "0 * * * *" {
		t.Errorf("site.yml: schedule %+v, want one cron \"0 * * * *\"", on.Schedule)
	}
	if mapKey(&site.On, "workflow_dispatch") == nil {
		t.Error("site.yml: no workflow_dispatch trigger")
	}
	if !slices.Equal(on.Push.Branches, []string{"main"}) {
		t.Errorf("site.yml: push branches %q, want [main]", on.Push.Branches)
	}
	var conc struct {
		Group            string `yaml:"group"`
		CancelInProgress *bool  `yaml:"cancel-in-progress"`
	}
	if err := site.Concurrency.Decode(&conc); err != nil {
		t.Errorf("site.yml: concurrency: %v", err)
	}
	if conc.Group != "site" || conc.CancelInProgress == nil || *conc.CancelInProgress {
		cancel := "unset"
		if conc.CancelInProgress != nil {
			cancel = strconv.FormatBool(*conc.CancelInProgress)
		}
		t.Errorf("site.yml: concurrency group %q, cancel-in-progress %s; want group site, cancel-in-progress false", conc.Group, cancel)
	}
	uses := map[string]bool{}
	for _, id := range site.jobOrder {
		for _, s := range site.Jobs[id].Steps {
			name, _, _ := strings.Cut(s.Uses, "@")
			uses[name] = true
			if name == "actions/setup-go" && s.With["go-version-file"] != "go.mod" {
				t.Errorf("site.yml:%d: setup-go without go-version-file: go.mod", s.line)
			}
			if strings.Contains(s.Run, ".github/vantage.json") {
				uses["vantage.json"] = true
			}
		}
	}
	for _, want := range []string{"actions/upload-pages-artifact", "actions/deploy-pages", "vantage.json"} {
		if !uses[want] {
			t.Errorf("site.yml uses no %s", want)
		}
	}
}

// TestVantagePoints: .github/vantage.json, the one list of places the
// hourly job probes from.
func TestVantagePoints(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github", "vantage.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Name   string `json:"name"`
		RunsOn string `json:"runs-on"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		t.Fatalf(".github/vantage.json: %v", err)
	}
	if len(list) == 0 {
		t.Fatal(".github/vantage.json lists no vantage point")
	}
	nameRE := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	seen := map[string]bool{}
	for i, v := range list {
		if !nameRE.MatchString(v.Name) {
			t.Errorf(".github/vantage.json entry %d: name %q: want lower-case letters, digits and '-' (it names a file and an artifact)", i+1, v.Name)
		}
		if seen[v.Name] {
			t.Errorf(".github/vantage.json: %q listed twice", v.Name)
		}
		seen[v.Name] = true
		if strings.TrimSpace(v.RunsOn) == "" {
			t.Errorf(".github/vantage.json: %q has no runs-on", v.Name)
		}
	}
}

// previewFixture is the results file the Makefile's preview target renders.
func previewFixture(t *testing.T) string {
	t.Helper()
	tg, ok := readMakefile(t).targets["preview"]
	if !ok {
		t.Fatal("the Makefile has no preview target")
	}
	re := regexp.MustCompile(`--results[ =](\S+)`)
	for _, r := range tg.recipe {
		if m := re.FindStringSubmatch(r); m != nil {
			return filepath.Join(repoRoot, filepath.FromSlash(m[1]))
		}
	}
	t.Fatal("the preview target renders no --results file")
	return ""
}

// previewResults makes the fixture for a config. Every state appears and the
// details say it is a fixture; like the real fleet today, ports answer but
// no MSNP check is up, so the preview's verdict is the real one. One cell
// shows vantage points that disagree.
func previewResults(cfg probe.Config) probe.Results {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	r := probe.Results{Version: probe.ResultsVersion, Started: at, Finished: at.Add(4 * time.Second), Vantage: "preview-fixture"}
	cycles := map[probe.Kind][]probe.State{
		probe.TCP:  {probe.Up, probe.Timeout, probe.Up, probe.Refused, probe.Error, probe.Up, probe.Foreign},
		probe.MSNP: {probe.Timeout, probe.Rejected, probe.Refused, probe.Timeout, probe.Foreign, probe.Error, probe.Timeout},
	}
	cycles[probe.SignIn] = cycles[probe.MSNP]
	details := map[probe.State]string{
		probe.Up: "fixture: connected", probe.Rejected: "fixture: VER 1 0", probe.Foreign: "fixture: not an MSN server",
		probe.Refused: "fixture: connection refused", probe.Timeout: "fixture: no answer in 3s", probe.Error: "fixture: no such host",
	}
	n, disagree := 0, false
	for _, g := range cfg.Groups {
		for _, s := range g.Servers {
			for _, key := range g.Checks {
				c := cfg.Checks[key]
				res := probe.Result{Group: g.Name, Address: s.Address, Check: key, State: probe.Skipped}
				if c.Scan {
					cycle := cycles[c.Kind]
					res.State = cycle[n%len(cycle)]
					res.Attempts = 1
					if res.State != probe.Up {
						res.Attempts = 2
					}
					res.MS = int64(20 + n*37%900)
					res.Detail = details[res.State]
					if res.State == probe.Up && !disagree {
						res.Disagree, disagree = true, true
						res.Detail = "up from preview-eu; timeout from preview-us"
					}
					n++
				}
				r.Results = append(r.Results, res)
			}
		}
	}
	return r
}

// marshalPreview writes one result a line, for readable diffs.
func marshalPreview(r probe.Results) []byte {
	var b bytes.Buffer
	head, _ := json.Marshal(struct {
		Version  int       `json:"version"`
		Started  time.Time `json:"started"`
		Finished time.Time `json:"finished"`
		Vantage  string    `json:"vantage"`
	}{r.Version, r.Started, r.Finished, r.Vantage})
	b.Write(head[:len(head)-1])
	b.WriteString(`,"results":[`)
	for i, res := range r.Results {
		if i > 0 {
			b.WriteByte(',')
		}
		line, _ := json.Marshal(res)
		b.WriteString("\n  ")
		b.Write(line)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// TestPreviewFixture: the results the pull-request preview renders have one
// result per (group, server, check) of site.toml, in config order, skipped
// exactly where the check is not scanned.
func TestPreviewFixture(t *testing.T) {
	s, err := loadConfig(filepath.Join(repoRoot, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	file := previewFixture(t)
	if *updatePreview {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, marshalPreview(previewResults(s.Probe)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/deadyet -run TestPreviewFixture -update-preview writes it)", err)
	}
	var got probe.Results
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if got.Version != probe.ResultsVersion || got.Vantage == "" || got.Started.IsZero() || got.Finished.Before(got.Started) {
		t.Errorf("%s: bad header: version %d vantage %q started %v finished %v", file, got.Version, got.Vantage, got.Started, got.Finished)
	}
	var want []string
	for _, g := range s.Probe.Groups {
		for _, sv := range g.Servers {
			for _, key := range g.Checks {
				w := g.Name + " " + sv.Address + " " + key
				if !s.Probe.Checks[key].Scan {
					w += " skipped"
				}
				want = append(want, w)
			}
		}
	}
	var have []string
	states := map[probe.State]bool{}
	for _, r := range got.Results {
		if !r.State.Valid() {
			t.Errorf("%s: %s: unknown state %q", file, r, r.State)
		}
		states[r.State] = true
		h := r.Group + " " + r.Address + " " + r.Check
		if r.State == probe.Skipped {
			h += " skipped"
		}
		have = append(have, h)
	}
	if !slices.Equal(have, want) {
		t.Errorf("%s does not match site.toml: regenerate it with\n\tgo test ./cmd/deadyet -run TestPreviewFixture -update-preview", file)
	}
	if len(states) != len(probe.States) {
		t.Errorf("%s shows %d of the %d states: a preview should show them all", file, len(states), len(probe.States))
	}
}

// TestWorkflowModel pins the workflow model and the shell splitter on
// tricky input, so that a change to them cannot quietly make the tests
// above pass on nothing.
func TestWorkflowModel(t *testing.T) {
	w, err := parseWorkflow("x.yml", []byte(`jobs:
  one:
    steps:
      - run: make a B=1 && bin/deadyet check --config x # comment
      - name: block
        run: |
          # a comment
          make b c \
            V="x y"
          echo done; make -j2 d
          "a'b" # x
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0
          persist-credentials: false
  two:
    needs: one
    steps:
      - run: 'FOO=1 make e'
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range w.scripts() {
		for _, c := range commands(s.text) {
			got = append(got, fmt.Sprintf("%s:%d %s", s.job, s.line, strings.Join(c, " ")))
		}
	}
	want := []string{
		"one:4 make a B=1",
		"one:4 bin/deadyet check --config x",
		"one:6 make b c V=x y",
		"one:6 echo done",
		"one:6 make -j2 d",
		"one:6 a'b",
		"two:19 make e",
	}
	if !slices.Equal(got, want) {
		t.Errorf("commands:\ngot  %q\nwant %q", got, want)
	}
	if u := w.actions(); len(u) != 1 || u[0].text != "actions/checkout@v6" || u[0].line != 12 {
		t.Errorf("uses: %+v", u)
	}
	if with := w.Jobs["one"].Steps[2].With; with["fetch-depth"] != "0" || with["persist-credentials"] != "false" {
		t.Errorf("with: %q", with)
	}
	if !slices.Equal(w.jobOrder, []string{"one", "two"}) || !slices.Equal(w.Jobs["two"].Needs, []string{"one"}) {
		t.Errorf("jobs %q, needs %q", w.jobOrder, w.Jobs["two"].Needs)
	}

	bad := []struct{ name, yml, want string }{
		{"a step key the model lacks", "jobs:\n  a:\n    steps:\n      - if: always()\n        run: x\n", "line 4: field if not found"},
		{"a job key the model lacks", "jobs:\n  a:\n    container: debian\n", "line 3: field container not found"},
		{"an unknown function", "jobs:\n  a:\n    steps:\n      - run: echo ${{ hashFiles('go.sum') }}\n", "x.yml:4: expression \"hashFiles('go.sum')\": the rehearsal knows only"},
		{"an operator", "jobs:\n  a:\n    steps:\n      - run: echo ${{ github.ref == 'x' }}\n", "x.yml:4: expression"},
		{"an unclosed expression", "jobs:\n  a:\n    steps:\n      - run: echo ${{ github.ref\n", "x.yml:4: \"echo ${{ github.ref\": a ${{ without }}"},
		{"no jobs", "name: x\n", "x.yml: no jobs"},
	}
	for _, tt := range bad {
		_, err := parseWorkflow("x.yml", []byte(tt.yml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}

	ctx := exprContext{
		"matrix": map[string]any{"vantage": map[string]any{"name": "eu", "n": 2.0}},
		"needs":  map[string]any{"v": map[string]any{"outputs": map[string]any{"list": `[{"name":"eu"}]`}}},
	}
	for _, tt := range []struct {
		in   string
		want any
		err  string
	}{
		{"results-${{ matrix.vantage.name }}.json", "results-eu.json", ""},
		{"${{matrix.vantage.n}}x", "2x", ""},
		{"${{ fromJSON(needs.v.outputs.list) }}", []any{map[string]any{"name": "eu"}}, ""},
		{"${{ matrix.vantage.region }}", nil, "matrix.vantage.region is not set"},
		{"${{ matrix.vantage.name.x }}", nil, "matrix.vantage.name is not an object"},
		{"a ${{ matrix.vantage }}", nil, "an object or list in a string"},
		{"${{ fromJSON(matrix.vantage.name) }}", nil, "fromJSON(matrix.vantage.name): invalid character"},
	} {
		got, err := ctx.value(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestCheckDeadyet pins checkDeadyet on a command tree of its own.
func TestCheckDeadyet(t *testing.T) {
	root := &cobra.Command{Use: "deadyet"}
	build := &cobra.Command{Use: "build"}
	build.Flags().String("config", "", "")
	build.Flags().StringArray("results", nil, "")
	news := &cobra.Command{Use: "news"}
	newsNew := &cobra.Command{Use: "new"}
	newsNew.Flags().String("dir", "", "")
	news.AddCommand(newsNew)
	root.AddCommand(build, news)
	mk := makefile{vars: map[string]string{"DEADYET": "bin/deadyet", "RESULTS": "r/*.json"}}
	tests := []struct {
		line string
		want []string
	}{
		{"bin/deadyet build --config site.toml", nil},
		{"$(DEADYET) build --config x $(foreach r,$(wildcard $(RESULTS)),--results $(r))", nil},
		{"deadyet news new --dir n 'A title'", nil},
		{"deadyet build --config=x --out public", []string{`"deadyet build --config=x --out public": "deadyet build" has no flag --out`}},
		{"deadyet render --config x", []string{`"deadyet render --config x": deadyet has no command "render" (it has build, news)`}},
		{"deadyet news new --title x", []string{`"deadyet news new --title x": "deadyet news new" has no flag --title`}},
		{"deadyet --help", []string{`"deadyet --help": deadyet without a command`}},
	}
	for _, tt := range tests {
		line := mk.expand(tt.line)
		got := checkDeadyet(root, commands(line)[0], line)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.line, got, tt.want)
		}
	}
}
