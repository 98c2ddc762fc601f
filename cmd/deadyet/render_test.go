package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
	"deadyet/probe/results"
)

const renderSite = `title = "Is MSN dead yet?"
url = "https://someone.github.io/deadyet/"

[page]
headline = ""
[page.verdict]
dead = "Yep."

[checks.tcp443]
label = ":443"
kind = "tcp"
port = 443

[checks.msnp21]
label = "MSNP21"
kind = "msnp"
version = "MSNP21"
via = "https"

[[group]]
name = "bn2"
checks = ["tcp443", "msnp21"]
servers = [
  { address = "127.0.2.1", main = true },
  { address = "127.0.2.2" },
]
`

// renderInputs writes a site.toml, a results.json and a news folder into a
// temporary folder and returns options that render them into dir/public.
func renderInputs(t *testing.T, states ...probe.State) *RenderOptions {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.toml", renderSite)
	write("news/2017-05-19-gone.md", "All gone.\n")
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	res := probe.Results{Version: probe.ResultsVersion, Started: start, Finished: start.Add(time.Second), Vantage: "here"}
	i := 0
	for _, addr := range []string{"127.0.2.1", "127.0.2.2"} {
		for _, check := range []string{"tcp443", "msnp21"} {
			res.Results = append(res.Results, probe.Result{Group: "bn2", Address: addr, Check: check, State: states[i%len(states)], MS: 5, Attempts: 1})
			i++
		}
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	write("results.json", string(b))
	return &RenderOptions{
		IO:      &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		Config:  filepath.Join(dir, "site.toml"),
		Results: []string{filepath.Join(dir, "results.json")},
		News:    filepath.Join(dir, "news"),
		Out:     filepath.Join(dir, "public"),
	}
}

func TestRenderRun(t *testing.T) {
	opts := renderInputs(t, probe.Up, probe.Rejected)
	if err := renderRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got, want := opts.IO.Out.(*bytes.Buffer).String(), "wrote 12 files to "+opts.Out+": dead (All protocol versions up to MSNP21 are gone)\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	index, err := os.ReadFile(filepath.Join(opts.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<p class="answer">Yep.</p>`, `id="news-2017-05-19-gone"`, `<a href="https://github.com/someone/deadyet">`} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// TestRenderRunSameBytes: the same inputs give the same site, byte for
// byte, with a history too; rendering over the earlier site changes nothing.
func TestRenderRunSameBytes(t *testing.T) {
	opts := renderInputs(t, probe.Up, probe.Timeout, probe.Rejected)
	opts.History = renderHistory(t, opts)
	first := opts.Out
	if err := renderRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := treeOf(t, first)
	for _, out := range []string{filepath.Join(t.TempDir(), "again"), first} {
		opts.Out = out
		if err := renderRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		got := treeOf(t, out)
		// 9 at the top (with the script of a page with a history), a page
		// for each of the 2 servers, the news day's and the 2 days of the
		// history's, and the archive.
		if len(got) != len(want) || len(got) != 15 {
			t.Fatalf("%d files, then %d", len(want), len(got))
		}
		for p, data := range want {
			rel, _ := filepath.Rel(first, p)
			if got[filepath.Join(out, rel)] != data {
				t.Errorf("%s differs between two renders", rel)
			}
		}
	}
}

func TestRenderRunBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *RenderOptions)
		want   string // in the error
	}{
		{"config", func(o *RenderOptions) { os.WriteFile(o.Config, []byte("title = 3\n"), 0o644) }, "site.toml:1:"},
		{"results", func(o *RenderOptions) { os.WriteFile(o.Results[0], []byte("{\n\"version\": 2}"), 0o644) }, "results.json:"},
		{"missing results", func(o *RenderOptions) { o.Results = []string{o.Results[0] + ".missing"} }, "results.json.missing"},
		{"no results", func(o *RenderOptions) { o.Results = nil }, "render needs --results"},
		{"news", func(o *RenderOptions) {
			os.WriteFile(filepath.Join(o.News, "2017-05-20-bad.md"), []byte("+++\nx = 1\n+++\ntext"), 0o644)
			os.WriteFile(filepath.Join(o.News, "2017-05-21-empty.md"), nil, 0o644)
		}, "news/2017-05-20-bad.md:2: unknown front matter key \"x\" (known: title, date)\nnews/2017-05-21-empty.md:1: the entry has no text"},
		{"news folder", func(o *RenderOptions) { o.News += "-missing" }, "no such folder"},
		{"templates", func(o *RenderOptions) {
			o.Templates = t.TempDir()
			os.WriteFile(filepath.Join(o.Templates, "index.html"), []byte("{{if}}"), 0o644)
		}, "parse templates"},
		{"templates folder", func(o *RenderOptions) { o.Templates = o.News + "-missing" }, `templates folder "`},
		{"static folder", func(o *RenderOptions) { o.Static = o.Config }, `static folder "`},
		{"static file", func(o *RenderOptions) { o.Static = t.TempDir() }, "static files: favicon.svg is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Timeout)
			tt.change(opts)
			err := renderRun(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(err))
			}
			if _, err := os.Stat(opts.Out); !os.IsNotExist(err) {
				t.Errorf("a failed render wrote %s (%v)", opts.Out, err)
			}
		})
	}
}

// TestRenderRunRefusesOut: an --out that is a file, or a folder of files
// deadyet did not write (the news folder, the current folder), is bad
// input: exit 2, one line, and nothing read is written over.
func TestRenderRunRefusesOut(t *testing.T) {
	tests := []struct {
		name string
		out  func(o *RenderOptions) string
		want string // after `site folder "<out>" `
	}{
		{"a file", func(o *RenderOptions) string { return o.Config }, "is a file, not a folder"},
		{"the news folder", func(o *RenderOptions) string { return o.News },
			"holds files deadyet did not write (a site has index.html and status.json); the whole folder is replaced, so give a new or empty one"},
		{"the current folder", func(o *RenderOptions) string { t.Chdir(filepath.Dir(o.Config)); return "." },
			"is the current folder or holds it; name a folder of its own, like public"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Up)
			root := filepath.Dir(opts.Config)
			before := treeOf(t, root)
			opts.Out = tt.out(opts)
			err := renderRun(context.Background(), opts)
			want := fmt.Sprintf("site folder %q %s", opts.Out, tt.want)
			if err == nil || err.Error() != want || exitCode(err) != 2 {
				t.Errorf("err = %v (exit %d)\nwant exit 2 and %s", err, exitCode(err), want)
			}
			if after := treeOf(t, root); !maps.Equal(before, after) {
				t.Errorf("the inputs changed:\n%v\nwere\n%v", after, before)
			}
		})
	}
}

// treeOf maps every file under dir to its content.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRenderRunWriteFails: an unwritable output (here under a file, where
// no folder can be made) is a failed run (exit 1), not bad input.
func TestRenderRunWriteFails(t *testing.T) {
	opts := renderInputs(t, probe.Up)
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Out = filepath.Join(file, "public")
	err := renderRun(context.Background(), opts)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("err = %v (exit %d), want a failed run", err, exitCode(err))
	}
}

func TestRenderRunMergesVantages(t *testing.T) {
	a := renderInputs(t, probe.Timeout)
	b := renderInputs(t, probe.Up)
	// Give the two runs distinct vantage names.
	data, err := os.ReadFile(b.Results[0])
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"vantage": "here"`), []byte(`"vantage": "there"`), 1)
	if err := os.WriteFile(b.Results[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	a.Results = append(a.Results, b.Results[0])
	if err := renderRun(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if got := a.IO.Out.(*bytes.Buffer).String(); !strings.Contains(got, ": alive (MSNP21 still answers in bn2)") {
		t.Errorf("output %q, want the merged verdict alive", got)
	}
}

func TestNewCmdRenderFlags(t *testing.T) {
	var got *RenderOptions
	cmd := NewCmdRender(quiet, func(_ context.Context, o *RenderOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--config", "c.toml", "--results", "a.json", "--results", "b.json", "--news", "n", "--out", "o", "--templates", "t", "--history", "h"})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Config != "c.toml" || !slices.Equal(got.Results, []string{"a.json", "b.json"}) || got.News != "n" ||
		got.Out != "o" || got.Templates != "t" || got.Static != "" || got.History != "h" {
		t.Errorf("options %+v", got)
	}
	if !strings.Contains(cmd.Example, "deadyet render --config site.toml --results results.json --news news --out public") {
		t.Error("the example is missing")
	}
}

// renderHistory records two runs of the render inputs' servers into
// dir/data: MSNP21 of 127.0.2.1 timed out a day before the results, and
// answered since an hour before. It returns the folder.
func renderHistory(t *testing.T, opts *RenderOptions) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(opts.Config), "data")
	res, err := results.Read(opts.Results[0])
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, at := range []time.Duration{-24 * time.Hour, -time.Hour} {
		r := res
		r.Started, r.Finished = res.Started.Add(at), res.Finished.Add(at)
		r.Results = slices.Clone(res.Results)
		for j := range r.Results {
			r.Results[j].State = probe.Up
			if i == 0 && r.Results[j].Check == "msnp21" {
				r.Results[j].State, r.Results[j].Detail = probe.Timeout, "no <answer>"
			}
		}
		if _, err := h.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Write(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRenderRunHistory: --history shows the history on the page and in
// the feed, as of the results' time, and leaves the history as it was.
func TestRenderRunHistory(t *testing.T) {
	opts := renderInputs(t, probe.Up, probe.Up, probe.Up, probe.Timeout)
	opts.History = renderHistory(t, opts)
	file := filepath.Join(opts.History, history.FileName)
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := renderRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("render changed the history:\n%s\nwas\n%s", after, before)
	}
	index, err := os.ReadFile(filepath.Join(opts.Out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<h3 id="changes">`,
		`<td><b class=d>timeout</b> to `,
		`id="stale"`,
	} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	for server, want := range map[string]string{
		"127.0.2.1": "since 2026-11-25 09:00 UTC",         // MSNP21, up since the second run
		"127.0.2.2": "this run is not in the history yet", // MSNP21 times out in the results, up in the history
	} {
		page, err := os.ReadFile(filepath.Join(opts.Out, "server", "bn2", server, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page of %s lacks %s", server, want)
		}
	}
	if bytes.Contains(index, []byte("no <answer>")) {
		t.Error("a detail from the history is not escaped")
	}
	feed, err := os.ReadFile(filepath.Join(opts.Out, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(feed, []byte("<id>https://someone.github.io/deadyet/#changes-20261125T090001Z</id>")) {
		t.Errorf("feed.xml lacks the run that changed something:\n%s", feed)
	}
}

func TestRenderRunBadHistory(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, o *RenderOptions)
		want   string
	}{
		{"bad line", func(t *testing.T, o *RenderOptions) {
			o.History = renderHistory(t, o)
			f, err := os.OpenFile(filepath.Join(o.History, history.FileName), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("{\"t\":\"2026-11-25T10:00:05Z\",\"heartbeat\":false}\n")
			f.Close()
		}, filepath.Join("data", history.FileName) + ":"},
		{"no such folder", func(t *testing.T, o *RenderOptions) {
			o.History = filepath.Join(filepath.Dir(o.Config), "nowhere")
		}, `nowhere": no such folder`},
		{"a file", func(t *testing.T, o *RenderOptions) {
			o.History = o.Config
		}, `site.toml": no such folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Up)
			tt.change(t, opts)
			err := renderRun(context.Background(), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want exit 2 and %q", err, exitCode(err), tt.want)
			}
			if _, err := os.Stat(opts.Out); !os.IsNotExist(err) {
				t.Errorf("a failed render wrote %s (%v)", opts.Out, err)
			}
		})
	}
	// The line number is the bad line's.
	opts := renderInputs(t, probe.Up)
	opts.History = renderHistory(t, opts)
	data, _ := os.ReadFile(filepath.Join(opts.History, history.FileName))
	n := bytes.Count(data, []byte("\n"))
	os.WriteFile(filepath.Join(opts.History, history.FileName), append(data, "not json\n"...), 0o644)
	err := renderRun(context.Background(), opts)
	if want := filepath.Join(opts.History, history.FileName) + ":" + strconv.Itoa(n+1) + ": "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want it to start with %q", err, want)
	}
}

// TestWriteSiteHistory: writeSite passes the history on, so build and demo
// show it; without one the page has none.
func TestWriteSiteHistory(t *testing.T) {
	opts := renderInputs(t, probe.Up)
	s, err := loadConfig(opts.Config)
	if err != nil {
		t.Fatal(err)
	}
	res, err := results.Read(opts.Results[0])
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.Read(renderHistory(t, opts))
	if err != nil {
		t.Fatal(err)
	}
	for _, hist := range []*history.History{nil, h} {
		out := filepath.Join(t.TempDir(), "public")
		if _, _, err := writeSite(context.Background(), siteInputs{Site: s, Results: res, History: hist}, out, "", ""); err != nil {
			t.Fatal(err)
		}
		index, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(index, []byte(`<h3 id="changes">`)); got != (hist != nil) {
			t.Errorf("history %v: recent changes shown %v", hist != nil, got)
		}
	}
}
