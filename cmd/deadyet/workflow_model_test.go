package main

// The GitHub workflows (.github/workflows/*.yml) as the tests read them:
// decoded with gopkg.in/yaml.v3 into the model below, strictly, so that a
// key the model lacks (a step's "if:", a job's "container:", …) is an error
// that names its line. workflow_test.go checks rules over the model;
// rehearsal_test.go runs the workflows' jobs. Both read only what is here.
//
// The expressions (${{ … }}) the model knows are those the workflows use:
// a context path (matrix.vantage.name, steps.read.outputs.list) and
// fromJSON(path). Any other is an error, so that a new one is noticed and
// taught to the rehearsal rather than run wrong.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// wfFile is one workflow file.
type wfFile struct {
	Name        string            `yaml:"name"`
	On          yaml.Node         `yaml:"on"`
	Permissions yaml.Node         `yaml:"permissions"`
	Concurrency yaml.Node         `yaml:"concurrency"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]*wfJob `yaml:"jobs"`

	file     string   // the file's base name, like "site.yml"
	jobOrder []string // the jobs' ids, in file order
}

// wfJob is one job of a workflow.
type wfJob struct {
	Name           string            `yaml:"name"`
	Needs          wfList            `yaml:"needs"`
	Strategy       *wfStrategy       `yaml:"strategy"`
	RunsOn         string            `yaml:"runs-on"`
	TimeoutMinutes int               `yaml:"timeout-minutes"`
	Permissions    yaml.Node         `yaml:"permissions"`
	Environment    *wfEnvironment    `yaml:"environment"`
	Outputs        map[string]string `yaml:"outputs"`
	Env            map[string]string `yaml:"env"`
	Steps          []*wfStep         `yaml:"steps"`

	id   string
	line int
}

type wfStrategy struct {
	FailFast    *bool                `yaml:"fail-fast"`
	MaxParallel int                  `yaml:"max-parallel"`
	Matrix      map[string]yaml.Node `yaml:"matrix"`
}

type wfEnvironment struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

// wfStep is one step of a job: a uses: action or a run: script.
type wfStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`

	line    int // of the step
	runLine int // of its run: key, 0 without one
}

// title is what GitHub shows for a step.
func (s *wfStep) title() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Uses != "":
		return "Run " + s.Uses
	}
	first, _, _ := strings.Cut(s.Run, "\n")
	return "Run " + first
}

// wfList is a string or a list of strings (needs:).
type wfList []string

func (l *wfList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = wfList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*l = list
	return nil
}

// script is a run: step's script, where it is.
type script struct {
	line int // of the "run:" key
	job  string
	text string
}

// lineText is a value and its line.
type lineText struct {
	line int
	text string
}

// scripts are the run: scripts of w, in file order.
func (w *wfFile) scripts() []script {
	var out []script
	for _, id := range w.jobOrder {
		for _, s := range w.Jobs[id].Steps {
			if s.runLine != 0 {
				out = append(out, script{line: s.runLine, job: id, text: s.Run})
			}
		}
	}
	return out
}

// actions are the uses: values of w, in file order.
func (w *wfFile) actions() []lineText {
	var out []lineText
	for _, id := range w.jobOrder {
		for _, s := range w.Jobs[id].Steps {
			if s.Uses != "" {
				out = append(out, lineText{s.line, s.Uses})
			}
		}
	}
	return out
}

// workflowDir is the repository's workflows folder.
var workflowDir = filepath.Join(repoRoot, ".github", "workflows")

// readWorkflows reads every workflow of the repository.
func readWorkflows(t *testing.T) []*wfFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(workflowDir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no workflows in .github/workflows")
	}
	var out []*wfFile
	for _, f := range files {
		w, err := loadWorkflow(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

// loadWorkflow reads and decodes a workflow file and checks that every
// expression in it is one the model knows.
func loadWorkflow(path string) (*wfFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseWorkflow(filepath.Base(path), data)
}

func parseWorkflow(name string, data []byte) (*wfFile, error) {
	w := &wfFile{file: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(w); err != nil {
		return nil, fmt.Errorf("%s: %w (a key the rehearsal does not know? teach workflow_model_test.go)", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkExpressions(name, &root); err != nil {
		return nil, err
	}
	// Lines and order, which the typed model does not keep.
	jobs := mapValue(docRoot(&root), "jobs")
	if jobs == nil || len(w.Jobs) == 0 {
		return nil, fmt.Errorf("%s: no jobs", name)
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		id := jobs.Content[i].Value
		j := w.Jobs[id]
		j.id, j.line = id, jobs.Content[i].Line
		w.jobOrder = append(w.jobOrder, id)
		steps := mapValue(jobs.Content[i+1], "steps")
		if steps == nil {
			continue
		}
		for k, n := range steps.Content {
			j.Steps[k].line = n.Line
			if key := mapKey(n, "run"); key != nil {
				j.Steps[k].runLine = key.Line
			}
		}
	}
	return w, nil
}

func docRoot(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}

// mapKey is the key node named key of the mapping n, or nil.
func mapKey(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// mapValue is the value of key in the mapping n, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// permissions decodes a permissions: node: "read-all", "write-all", {} or
// a map of scope → "read", "write" or "none". set is false when there is
// no permissions: key.
func permissions(n yaml.Node) (perms map[string]string, set bool, err error) {
	switch n.Kind {
	case 0:
		return nil, false, nil
	case yaml.ScalarNode:
		switch n.Value {
		case "read-all", "write-all":
			all := map[string]string{}
			for _, s := range []string{"actions", "attestations", "checks", "contents", "deployments", "id-token", "issues", "discussions", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses"} {
				all[s] = strings.TrimSuffix(n.Value, "-all")
			}
			return all, true, nil
		}
		return nil, true, fmt.Errorf("line %d: permissions %q: want read-all, write-all or a map", n.Line, n.Value)
	}
	perms = map[string]string{}
	if err := n.Decode(&perms); err != nil {
		return nil, true, err
	}
	for k, v := range perms {
		if v != "read" && v != "write" && v != "none" {
			return nil, true, fmt.Errorf("line %d: permission %s: %q: want read, write or none", n.Line, k, v)
		}
	}
	return perms, true, nil
}

// An expression is a context path, or fromJSON of one.
type expression struct {
	fn   string   // "" or "fromJSON"
	path []string // like ["matrix", "vantage", "name"]
}

var (
	exprRE     = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	exprPathRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$`)
	exprCallRE = regexp.MustCompile(`^fromJSON\((.*)\)$`)
)

func parseExpression(s string) (expression, error) {
	s = strings.TrimSpace(s)
	e := expression{}
	if m := exprCallRE.FindStringSubmatch(s); m != nil {
		e.fn, s = "fromJSON", strings.TrimSpace(m[1])
	}
	if !exprPathRE.MatchString(s) {
		return e, fmt.Errorf("expression %q: the rehearsal knows only context paths (a.b.c) and fromJSON(a.b.c); teach it this one in workflow_model_test.go", strings.TrimSpace(s))
	}
	e.path = strings.Split(s, ".")
	return e, nil
}

// checkExpressions parses every ${{ … }} in the file.
func checkExpressions(file string, n *yaml.Node) error {
	var errs []error
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${{") {
			rest := exprRE.ReplaceAllString(n.Value, "")
			if strings.Contains(rest, "${{") {
				errs = append(errs, fmt.Errorf("%s:%d: %q: a ${{ without }}", file, n.Line, n.Value))
			}
			for _, m := range exprRE.FindAllStringSubmatch(n.Value, -1) {
				if _, err := parseExpression(m[1]); err != nil {
					errs = append(errs, fmt.Errorf("%s:%d: %w", file, n.Line, err))
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return errors.Join(errs...)
}

// exprContext holds the contexts an expression reads: github, matrix,
// needs, steps. Values are strings, float64, bool, []any or map[string]any,
// as from JSON.
type exprContext map[string]any

func (c exprContext) eval(e expression) (any, error) {
	var v any = map[string]any(c)
	for i, p := range e.path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s is not an object", strings.Join(e.path[:i], "."))
		}
		if v, ok = m[p]; !ok {
			return nil, fmt.Errorf("%s is not set", strings.Join(e.path[:i+1], "."))
		}
	}
	if e.fn == "fromJSON" {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("fromJSON(%s): not a string", strings.Join(e.path, "."))
		}
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("fromJSON(%s): %w", strings.Join(e.path, "."), err)
		}
		return out, nil
	}
	return v, nil
}

// value evaluates s when it is one expression and nothing else; other
// strings are interpolated.
func (c exprContext) value(s string) (any, error) {
	if m := exprRE.FindStringSubmatchIndex(s); m != nil && m[0] == 0 && m[1] == len(s) {
		e, err := parseExpression(s[m[2]:m[3]])
		if err != nil {
			return nil, err
		}
		return c.eval(e)
	}
	return c.interpolate(s)
}

// interpolate replaces every ${{ … }} of s with its value, as a string.
func (c exprContext) interpolate(s string) (string, error) {
	var firstErr error
	out := exprRE.ReplaceAllStringFunc(s, func(m string) string {
		e, err := parseExpression(exprRE.FindStringSubmatch(m)[1])
		var v any
		if err == nil {
			v, err = c.eval(e)
		}
		if err == nil {
			switch x := v.(type) {
			case string:
				return x
			case float64:
				return strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				return strconv.FormatBool(x)
			}
			err = fmt.Errorf("%s: an object or list in a string", m)
		}
		if firstErr == nil {
			firstErr = err
		}
		return ""
	})
	return out, firstErr
}

// interpolateMap interpolates every value of m.
func (c exprContext) interpolateMap(m map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, err := c.interpolate(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

// sortedKeys are m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
