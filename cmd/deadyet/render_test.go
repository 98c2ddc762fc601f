package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
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
		ConfigPath:   filepath.Join(dir, "site.toml"),
		ResultsPaths: []string{filepath.Join(dir, "results.json")},
		NewsDir:      filepath.Join(dir, "news"),
		OutDir:       filepath.Join(dir, "public"),
		Out:          &bytes.Buffer{},
	}
}

func TestRenderRun(t *testing.T) {
	opts := renderInputs(t, probe.Up, probe.Rejected)
	if err := renderRun(opts); err != nil {
		t.Fatal(err)
	}
	if got, want := opts.Out.(*bytes.Buffer).String(), "wrote 7 files to "+opts.OutDir+": dead (All protocol versions up to MSNP21 are gone)\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
	index, err := os.ReadFile(filepath.Join(opts.OutDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<p class="answer">Yep.</p>`, `id="news-2017-05-19-gone"`, `<a href="https://github.com/someone/deadyet">`} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

func TestRenderRunBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *RenderOptions)
		want   string // in the error
	}{
		{"config", func(o *RenderOptions) { os.WriteFile(o.ConfigPath, []byte("title = 3\n"), 0o644) }, "site.toml:1:"},
		{"results", func(o *RenderOptions) { os.WriteFile(o.ResultsPaths[0], []byte("{\n\"version\": 2}"), 0o644) }, "results.json:"},
		{"missing results", func(o *RenderOptions) { o.ResultsPaths = []string{o.ResultsPaths[0] + ".missing"} }, "results.json.missing"},
		{"no results", func(o *RenderOptions) { o.ResultsPaths = nil }, "render needs --results"},
		{"news", func(o *RenderOptions) {
			os.WriteFile(filepath.Join(o.NewsDir, "2017-05-20-bad.md"), []byte("+++\nx = 1\n+++\ntext"), 0o644)
			os.WriteFile(filepath.Join(o.NewsDir, "2017-05-21-empty.md"), nil, 0o644)
		}, "news/2017-05-20-bad.md:2: unknown front matter key \"x\" (known: title, date)\nnews/2017-05-21-empty.md:1: the entry has no text"},
		{"news folder", func(o *RenderOptions) { o.NewsDir += "-missing" }, "no such folder"},
		{"templates", func(o *RenderOptions) {
			o.TemplatesDir = t.TempDir()
			os.WriteFile(filepath.Join(o.TemplatesDir, "index.html"), []byte("{{if}}"), 0o644)
		}, "parse templates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Timeout)
			tt.change(opts)
			err := renderRun(opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(err))
			}
			if _, err := os.Stat(opts.OutDir); !os.IsNotExist(err) {
				t.Errorf("a failed render wrote %s (%v)", opts.OutDir, err)
			}
		})
	}
}

// TestRenderRunWriteFails: an unwritable output is a failed run (exit 1),
// not bad input.
func TestRenderRunWriteFails(t *testing.T) {
	opts := renderInputs(t, probe.Up)
	opts.OutDir = filepath.Join(opts.OutDir, "missing-parent", "public")
	err := renderRun(opts)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("err = %v (exit %d), want a failed run", err, exitCode(err))
	}
}

func TestRenderRunMergesVantages(t *testing.T) {
	a := renderInputs(t, probe.Timeout)
	b := renderInputs(t, probe.Up)
	// Give the two runs distinct vantage names.
	data, err := os.ReadFile(b.ResultsPaths[0])
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"vantage": "here"`), []byte(`"vantage": "there"`), 1)
	if err := os.WriteFile(b.ResultsPaths[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	a.ResultsPaths = append(a.ResultsPaths, b.ResultsPaths[0])
	if err := renderRun(a); err != nil {
		t.Fatal(err)
	}
	if got := a.Out.(*bytes.Buffer).String(); !strings.Contains(got, ": alive (MSNP21 still answers in bn2)") {
		t.Errorf("output %q, want the merged verdict alive", got)
	}
}

func TestNewCmdRenderFlags(t *testing.T) {
	var got *RenderOptions
	cmd := NewCmdRender(func(o *RenderOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--config", "c.toml", "--results", "a.json", "--results", "b.json", "--news", "n", "--out", "o", "--templates", "t", "--history", "h"})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.ConfigPath != "c.toml" || !slices.Equal(got.ResultsPaths, []string{"a.json", "b.json"}) || got.NewsDir != "n" ||
		got.OutDir != "o" || got.TemplatesDir != "t" || got.StaticDir != "" || got.HistoryDir != "h" {
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
	dir := filepath.Join(filepath.Dir(opts.ConfigPath), "data")
	res, err := probe.ReadResults(opts.ResultsPaths[0])
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
		if _, _, err := probe.AppendHistory(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRenderRunHistory: --history shows the history on the page and in
// the feed, as of the results' time, and leaves the history as it was.
func TestRenderRunHistory(t *testing.T) {
	opts := renderInputs(t, probe.Up, probe.Up, probe.Up, probe.Timeout)
	opts.HistoryDir = renderHistory(t, opts)
	file := filepath.Join(opts.HistoryDir, probe.HistoryFile)
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := renderRun(opts); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("render changed the history:\n%s\nwas\n%s", after, before)
	}
	index, err := os.ReadFile(filepath.Join(opts.OutDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<h3 id="changes">`,
		`<td class="chg"><span class="st down">timeout</span>`,
		"since 2026-11-25 09:00 UTC",         // 127.0.2.1 MSNP21, up since the second run
		"this run is not in the history yet", // 127.0.2.2 MSNP21 times out in the results, up in the history
		`id="stale"`,
	} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	if bytes.Contains(index, []byte("no <answer>")) {
		t.Error("a detail from the history is not escaped")
	}
	feed, err := os.ReadFile(filepath.Join(opts.OutDir, "feed.xml"))
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
			o.HistoryDir = renderHistory(t, o)
			f, err := os.OpenFile(filepath.Join(o.HistoryDir, probe.HistoryFile), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("{\"t\":\"2026-11-25T10:00:05Z\",\"heartbeat\":false}\n")
			f.Close()
		}, filepath.Join("data", probe.HistoryFile) + ":"},
		{"no such folder", func(t *testing.T, o *RenderOptions) {
			o.HistoryDir = filepath.Join(filepath.Dir(o.ConfigPath), "nowhere")
		}, "history: stat "},
		{"a file", func(t *testing.T, o *RenderOptions) {
			o.HistoryDir = o.ConfigPath
		}, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := renderInputs(t, probe.Up)
			tt.change(t, opts)
			err := renderRun(opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(err) != 2 {
				t.Fatalf("err = %v (exit %d), want exit 2 and %q", err, exitCode(err), tt.want)
			}
			if _, err := os.Stat(opts.OutDir); !os.IsNotExist(err) {
				t.Errorf("a failed render wrote %s (%v)", opts.OutDir, err)
			}
		})
	}
	// The line number is the bad line's.
	opts := renderInputs(t, probe.Up)
	opts.HistoryDir = renderHistory(t, opts)
	data, _ := os.ReadFile(filepath.Join(opts.HistoryDir, probe.HistoryFile))
	n := bytes.Count(data, []byte("\n"))
	os.WriteFile(filepath.Join(opts.HistoryDir, probe.HistoryFile), append(data, "not json\n"...), 0o644)
	err := renderRun(opts)
	if want := filepath.Join(opts.HistoryDir, probe.HistoryFile) + ":" + strconv.Itoa(n+1) + ": "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want it to start with %q", err, want)
	}
}

// TestWriteSiteHistory: writeSite passes the history on, so build and demo
// show it; without one the page has none.
func TestWriteSiteHistory(t *testing.T) {
	opts := renderInputs(t, probe.Up)
	s, err := loadConfig(opts.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	res, err := probe.ReadResults(opts.ResultsPaths[0])
	if err != nil {
		t.Fatal(err)
	}
	h, err := probe.ReadHistory(renderHistory(t, opts))
	if err != nil {
		t.Fatal(err)
	}
	for _, hist := range []*probe.History{nil, h} {
		out := filepath.Join(t.TempDir(), "public")
		if _, _, err := writeSite(siteInputs{Site: s, Results: res, History: hist}, out, "", ""); err != nil {
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
