package results_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/results"
)

var update = flag.Bool("update", false, "rewrite testdata/sample.json from Marshal")

func sampleResults() probe.Results {
	return probe.Results{
		Version:  probe.ResultsVersion,
		Started:  time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		Finished: time.Date(2026, 11, 25, 10, 0, 3, 0, time.UTC),
		Vantage:  "github-ubuntu-latest",
		Results: []probe.Result{
			{Group: "bn2", Address: "127.0.2.1", Check: "tcp443", State: probe.Up, MS: 3, Attempts: 1, Detail: "connected"},
			{Group: "bn2", Address: "127.0.2.1", Check: "msnp21", State: probe.Rejected, MS: 41, Attempts: 2, Detail: "VER 1 0"},
			{Group: "bn2", Address: "127.0.2.2", Check: "msnp21", State: probe.Foreign, MS: 12, Attempts: 2, Detail: `not MSNP: "<html>\u00e9"`},
			{Group: "bn2", Address: "127.0.2.2", Check: "msnp22", State: probe.Skipped, Detail: "not scanned"},
			{Group: "db3", Address: "host.example", Check: "tcp443", State: probe.Error, Attempts: 2, Detail: "no such host"},
		},
	}
}

// TestResultsGolden: Marshal gives testdata/sample.json, and what Write
// writes, in any zone and with no results, Read reads back the same.
func TestResultsGolden(t *testing.T) {
	got, err := results.Marshal(sampleResults())
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Marshal:\n%s\nwant (%s):\n%s", got, golden, want)
	}
	path := filepath.Join(t.TempDir(), "results.json")
	cet := sampleResults()
	cet.Started = cet.Started.In(time.FixedZone("CET", 3600))
	empty := probe.Results{Version: 1, Started: time.Unix(0, 0).UTC(), Finished: time.Unix(0, 0).UTC(), Results: []probe.Result{}}
	for _, r := range []probe.Results{sampleResults(), cet, empty} {
		if err := results.Write(path, r); err != nil {
			t.Fatal(err)
		}
		back, err := results.Read(path)
		r.Started = r.Started.UTC()
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Errorf("read back: %v\n%+v\nwrote:\n%+v", err, back, r)
		}
	}
	if data, _ := os.ReadFile(path); !bytes.HasSuffix(data, []byte("\"results\": []\n}\n")) {
		t.Errorf("no results:\n%s", data)
	}
}

// TestWriteResultsKeepsOldFile: a failed Write leaves the file as it was and
// nothing beside it; a Write removes what a write killed before the run left.
func TestWriteResultsKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	leftover, old := filepath.Join(dir, ".results.json.1.tmp"), sampleResults().Started.Add(-time.Hour)
	if err := os.WriteFile(leftover, nil, 0o644); err != nil || os.Chtimes(leftover, old, old) != nil {
		t.Fatal(err)
	}
	if err := results.Write(path, sampleResults()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := sampleResults()
	bad.Results[1].State = "upp"
	err := results.Write(path, bad)
	if err == nil || !strings.Contains(err.Error(), `unknown state "upp"`) {
		t.Fatalf("writing a bad state: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed write changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := results.Write(filepath.Join(dir, "missing", "results.json"), sampleResults()); err == nil {
		t.Error("writing into a missing folder did not fail")
	}
}

func TestReadResultsErrors(t *testing.T) {
	good, err := results.Marshal(sampleResults())
	if err != nil {
		t.Fatal(err)
	}
	g := string(good)
	// Line 7 is the first result, line 8 the second.
	tests := []struct {
		name string
		data string
		want string
	}{
		{"bad state", strings.Replace(g, `"state":"rejected"`, `"state":"upp"`, 1), `results.json:8: unknown state "upp"`},
		{"unknown result field", strings.Replace(g, `"ms":41,`, `"ms":41,"colour":"red",`, 1), `results.json:8: unknown field "colour"`},
		{"name in another case", strings.Replace(g, `"state":"rejected"`, `"state":"rejected","STATE":"timeout"`, 1), `results.json:8: unknown field "STATE"`},
		{"result field twice", strings.Replace(g, `"state":"rejected"`, `"state":"rejected","state":"up"`, 1), `results.json:8: field "state" given twice`},
		{"long vantage", strings.Replace(g, `"github-ubuntu-latest"`, `"`+strings.Repeat("a", 1<<20)+`"`, 1),
			`results.json:1: vantage "` + strings.Repeat("a", 80) + `": want at most 64 ASCII letters, digits, spaces and -_.,:()/`},
		{"vantage of 65", strings.Replace(g, `"github-ubuntu-latest"`, `"`+strings.Repeat("a", 65)+`"`, 1), `results.json:1: vantage "a`},
		{"vantage with markup", strings.Replace(g, `"github-ubuntu-latest"`, `"eu<b>"`, 1), `results.json:1: vantage "eu<b>": want at most 64`},
		{"unknown field", strings.Replace(g, `"vantage"`, `"vantagepoint"`, 1), `results.json:5: unknown field "vantagepoint"`},
		{"repeated field", strings.Replace(g, `"vantage": "github-ubuntu-latest",`, `"vantage": "a", "vantage": "b",`, 1), `results.json:5: field "vantage" given twice`},
		{"version", strings.Replace(g, `"version": 1`, `"version": 2`, 1), `results.json:2: version 2; this program reads version 1`},
		{"missing field", strings.Replace(g, `"vantage": "github-ubuntu-latest",`, ``, 1), `results.json:1: field "vantage" missing`},
		{"wrong type", strings.Replace(g, `"ms":41`, `"ms":"41"`, 1), `results.json:8: "ms": string where int64 is wanted`},
		{"negative ms", strings.Replace(g, `"ms":41`, `"ms":-1`, 1), `results.json:8: negative ms -1`},
		{"skipped with attempts", strings.Replace(g, `"state":"skipped","ms":0,"attempts":0`, `"state":"skipped","ms":0,"attempts":1`, 1), `results.json:10: state skipped with 1 attempts`},
		{"no attempts", strings.Replace(g, `"attempts":2`, `"attempts":0`, 1), `results.json:8: state rejected with 0 attempts`},
		{"empty group", strings.Replace(g, `"group":"db3"`, `"group":""`, 1), `results.json:11: group, address and check must not be empty`},
		{"control in detail", strings.Replace(g, `"VER 1 0"`, `"VER 1 0\nx"`, 1), `results.json:8: detail "VER 1 0\nx" is not one line of printable text`},
		{"control in a long detail", strings.Replace(g, `"VER 1 0"`, `"\u001b`+strings.Repeat("x", 1<<20)+`"`, 1), `results.json:8: detail "\x1b` + strings.Repeat("x", 79) + `" is not one line of printable text`},
		{"control in a key", strings.Replace(g, `"group":"db3"`, `"group":"db3\u001b[2J"`, 1), `results.json:11: group "db3\x1b[2J", address "host.example" or check "tcp443" is not printable text`},
		{"attempts", strings.Replace(g, `"attempts":2`, `"attempts":1000000000000`, 1), `results.json:8: 1000000000000 attempts; a run makes at most 10`},
		{"attempts one too many", strings.Replace(g, `"attempts":2`, `"attempts":11`, 1), `results.json:8: 11 attempts; a run makes at most 10`},
		{"result listed twice", strings.Replace(g, `"detail":"no such host"}`, `"detail":"no such host"},
    {"group":"bn2","address":"127.0.2.1","check":"msnp21","state":"up","ms":1,"attempts":1}`, 1), `results.json:12: result for bn2 127.0.2.1 msnp21 is listed twice (first on line 8)`},
		{"bad time", strings.Replace(g, `"2026-11-25T10:00:00Z"`, `"yesterday"`, 1), `results.json:3: "started": parsing time`},
		{"finished first", strings.Replace(g, `"2026-11-25T10:00:03Z"`, `"2026-11-25T09:00:00Z"`, 1), `results.json:1: finished 2026-11-25T09:00:00Z before it started 2026-11-25T10:00:00Z`},
		{"syntax", strings.Replace(g, `"ms":41,`, `"ms":41,,`, 1), `results.json:8: bad JSON: invalid character ','`},
		{"truncated", g[:len(g)/2], `unexpected end (truncated?)`},
		{"text after", g + "{}", `results.json:14: text after the end of the object`},
		{"not an object", `[1, 2]`, `results.json:1: found [ where "{" is wanted`},
		{"empty", ``, `results.json:1: unexpected end (truncated?)`},
		{"results not a list", strings.Replace(g, `"results": [`, `"results": {`, 1), `results.json:6: found { where "[" is wanted`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "results.json")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := results.Read(path)
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			msg := strings.Replace(err.Error(), path, "results.json", 1)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("got  %q\nwant %q", msg, tt.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error of more than one line: %q", msg)
			}
		})
	}
	dir := t.TempDir()
	if _, err := results.Read(filepath.Join(dir, "none.json")); err == nil {
		t.Error("reading a missing file did not fail")
	}
	// A symbolic link is refused, as the history's and the site's are.
	link, target := filepath.Join(dir, "link.json"), filepath.Join(dir, "results.json")
	if err := results.Write(target, sampleResults()); err != nil || os.Symlink(target, link) != nil {
		t.Skip(err)
	}
	if _, err := results.Read(link); err == nil || err.Error() != "read results: "+link+": a symbolic link, not a regular file" {
		t.Errorf("a symbolic link: %v", err)
	}
}

// TestReadClipsDetail: a detail longer than probe.MaxDetail, 1 MB here, is
// clipped when written, and when read.
func TestReadClipsDetail(t *testing.T) {
	huge := strings.Repeat("é", 1<<19)
	good, err := results.Marshal(sampleResults())
	if err != nil {
		t.Fatal(err)
	}
	r := sampleResults()
	r.Results[4].Detail = huge
	if data, err := results.Marshal(r); err != nil || len(data) > len(good)+probe.MaxDetail {
		t.Errorf("Marshal kept the long detail: %v, %d bytes", err, len(data))
	}
	path := filepath.Join(t.TempDir(), "results.json")
	long := strings.Replace(string(good), `"detail":"no such host"`, `"detail":"`+huge+`"`, 1)
	if err := os.WriteFile(path, []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := results.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := back.Results[4].Detail; len(d) > probe.MaxDetail || !strings.HasSuffix(d, "é…") || !strings.HasPrefix(huge, strings.TrimSuffix(d, "…")) {
		t.Errorf("a detail of %d bytes read as %d bytes: %.40q", len(huge), len(d), d)
	}
}

func TestSummary(t *testing.T) {
	r := sampleResults()
	r.Results = append(r.Results,
		probe.Result{Group: "bn2", Address: "127.0.2.3", Check: "tcp443", State: probe.Timeout, Attempts: 2},
		probe.Result{Group: "db5", Address: "127.0.2.4", Check: "tcp443", State: probe.Up, Attempts: 1})
	var b strings.Builder
	if err := results.WriteSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	table := "bn2  tcp443  1/2 up  1 timeout\n" +
		"bn2  msnp21  0/2 up  1 rejected, 1 foreign\n" +
		"bn2  msnp22  0/1 up  1 skipped\n" +
		"db3  tcp443  0/1 up  1 error\n" +
		"db5  tcp443  1/1 up\n"
	if b.String() != table {
		t.Errorf("WriteSummary:\n%s\nwant:\n%s", b.String(), table)
	}
}
