package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
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
	writeFiles(t, dir, map[string]string{"site.toml": renderSite, "news/2017-05-19-gone.md": "All gone.\n", "results.json": string(b)})
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
	if stderr := opts.IO.ErrOut.(*bytes.Buffer); stderr.Len() != 0 {
		t.Errorf("stderr %q, want nothing", stderr)
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
	if bytes.Contains(index, []byte(`<h3 id="changes">`)) {
		t.Error("index.html shows recent changes without a history")
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
	want := filesOf(t, first)
	for _, out := range []string{filepath.Join(t.TempDir(), "again"), first} {
		opts.Out = out
		if err := renderRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		if got := filesOf(t, out); !maps.Equal(got, want) {
			t.Errorf("%s differs from the first render", out)
		}
	}
	// 9 at the top (with the script of a page with a history), a page for
	// each of the 2 servers, the news day's and the 2 days of the history's,
	// and the archive.
	files := 0
	for _, data := range want {
		if data != "/" { // a folder
			files++
		}
	}
	if files != 15 {
		t.Errorf("%d files, want 15", files)
	}
}

func TestRenderRunBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, o *RenderOptions)
		want   string // in the error
	}{
		{"config", func(t *testing.T, o *RenderOptions) { os.WriteFile(o.Config, []byte("title = 3\n"), 0o644) }, "site.toml:1:"},
		{"results", func(t *testing.T, o *RenderOptions) { os.WriteFile(o.Results[0], []byte("{\n\"version\": 2}"), 0o644) }, "results.json:"},
		{"missing results", func(t *testing.T, o *RenderOptions) { o.Results = []string{o.Results[0] + ".missing"} }, "results.json.missing"},
		{"no results", func(t *testing.T, o *RenderOptions) { o.Results = nil }, "render needs --results"},
		{"news", func(t *testing.T, o *RenderOptions) {
			os.WriteFile(filepath.Join(o.News, "2017-05-20-bad.md"), []byte("+++\nx = 1\n+++\ntext"), 0o644)
			os.WriteFile(filepath.Join(o.News, "2017-05-21-empty.md"), nil, 0o644)
		}, "news/2017-05-20-bad.md:2: unknown front matter key \"x\" (known: title, date)\nnews/2017-05-21-empty.md:1: the entry has no text"},
		{"news folder", func(t *testing.T, o *RenderOptions) { o.News += "-missing" }, "no such folder"},
		{"templates", func(t *testing.T, o *RenderOptions) {
			o.Templates = t.TempDir()
			os.WriteFile(filepath.Join(o.Templates, "index.html"), []byte("{{if}}"), 0o644)
		}, "parse templates"},
		{"templates folder", func(t *testing.T, o *RenderOptions) { o.Templates = o.News + "-missing" }, `templates folder "`},
		{"static folder", func(t *testing.T, o *RenderOptions) { o.Static = o.Config }, `static folder "`},
		{"static file", func(t *testing.T, o *RenderOptions) { o.Static = t.TempDir() }, "static files: favicon.svg is missing"},
		{"history line", func(t *testing.T, o *RenderOptions) {
			o.History = renderHistory(t, o)
			appendFile(t, filepath.Join(o.History, history.FileName), "{\"t\":\"2026-11-25T10:00:05Z\",\"heartbeat\":false}\n")
		}, filepath.Join("data", history.FileName) + ":9: "},
		{"history not json", func(t *testing.T, o *RenderOptions) {
			o.History = renderHistory(t, o)
			appendFile(t, filepath.Join(o.History, history.FileName), "not json\n")
		}, filepath.Join("data", history.FileName) + ":9: "},
		{"no history folder", func(t *testing.T, o *RenderOptions) { o.History = filepath.Join(filepath.Dir(o.Config), "nowhere") }, `nowhere": no such folder`},
		{"history a file", func(t *testing.T, o *RenderOptions) { o.History = o.Config }, `site.toml": no such folder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Timeout)
			tt.change(t, opts)
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

// appendFile adds text at the end of the file path.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(text)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
}
