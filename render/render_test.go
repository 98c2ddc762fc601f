package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"deadyet/probe"
	"deadyet/render/news"
	"deadyet/templates"

	nethtml "golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./render -update and review the diff", name)
	}
}

// execute runs the embedded template name on data.
func execute(t testing.TB, name string, data any) string {
	t.Helper()
	ts, err := template.New("").Funcs(funcs).ParseFS(templates.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := ts.ExecuteTemplate(&b, name, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// hasAll fails t for each of want that s, the page what, lacks.
func hasAll(t testing.TB, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %s", what, w)
		}
	}
}

// hasNone fails t for each of bad that s, the page what, has.
func hasNone(t testing.TB, what, s string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(s, b) {
			t.Errorf("%s has %s", what, b)
		}
	}
}

// mustRender renders the site of opts, or fails the test.
func mustRender(t testing.TB, opts Options) []File {
	t.Helper()
	_, files, err := Render(opts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// mustBuild builds the view of opts, or fails the test.
func mustBuild(t testing.TB, opts Options) *View {
	t.Helper()
	v, err := Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func fileOf(t testing.TB, files []File, name string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("the site has no %s", name)
	return nil
}

func TestGolden(t *testing.T) {
	files := mustRender(t, fixtureOptions(t))
	var names []string
	count := map[string]int{}
	for _, f := range files {
		if dir, _, ok := strings.Cut(f.Name, "/"); ok {
			count[dir]++
			continue
		}
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, " "), "404.html badge.svg favicon.svg feed.xml index.html pages.css status.json style.css"; got != want {
		t.Errorf("files = %s, want %s", got, want)
	}
	// A page per server, per news day (no history: no changes), and the archive.
	if count["server"] != 11+7+11+len(fixtureServices) || count["day"] != 12 || count["archive"] != 1 || len(count) != 3 {
		t.Errorf("sub-pages: %v", count)
	}
	for _, name := range []string{"index.html", "404.html", "status.json", "feed.xml", "badge.svg"} {
		golden(t, "golden-"+name, fileOf(t, files, name))
	}
	golden(t, "golden-server.html", fileOf(t, files, "server/bn2/127.2.0.4/index.html"))
	golden(t, "golden-day.html", fileOf(t, files, "day/2017-05-19/index.html"))
	golden(t, "golden-archive.html", fileOf(t, files, "archive/index.html"))
	// No script, no inline style (the CSP forbids both), nothing loaded from elsewhere.
	for _, name := range []string{"index.html", "404.html", "server/bn2/127.2.0.4/index.html", "day/2017-05-19/index.html", "archive/index.html"} {
		page := string(fileOf(t, files, name))
		hasNone(t, name, page, "<script", " style=", " src=", "<iframe", "<img", "@import")
		for _, link := range regexp.MustCompile(`<link [^>]*>`).FindAllString(page, -1) {
			if strings.Contains(link, `href="http`) && !strings.Contains(link, `rel="canonical"`) {
				t.Errorf("%s loads from elsewhere: %s", name, link)
			}
		}
	}
	again := mustRender(t, fixtureOptions(t))
	for i := range files {
		if !bytes.Equal(files[i].Data, again[i].Data) {
			t.Errorf("%s: two renders of the same input differ", files[i].Name)
		}
	}
}

// TestStatusJSON checks the documented schema on the golden site.
func TestStatusJSON(t *testing.T) {
	files := mustRender(t, fixtureOptions(t))
	var s Status
	dec := json.NewDecoder(bytes.NewReader(fileOf(t, files, "status.json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != 1 || s.Verdict != Partial || s.Headline != "MSNP21 still answers in bn2, but no main server does" {
		t.Errorf("schema %d verdict %q headline %q", s.Schema, s.Verdict, s.Headline)
	}
	if len(s.Groups) != 4 || s.Groups[0].Name != "bn2" || len(s.Groups[0].Servers) != 11 {
		t.Fatalf("groups: %+v", s.Groups)
	}
	c := s.Groups[0].Checks[4]
	if c.Key != "msnp21" || c.Up != 1 || c.Total != 11 || !c.Scanned {
		t.Errorf("bn2 msnp21 = %+v, want 1 up of 11", c)
	}
	if got := s.Groups[0].Servers[3].States["msnp21"]; got != "up" {
		t.Errorf("bn2 server 3 msnp21 = %q, want up", got)
	}
	if got := s.Groups[0].Servers[3].States["msnp18"]; got != "skipped" {
		t.Errorf("bn2 server 3 msnp18 = %q, want skipped", got)
	}
	if got := s.Groups[3].Servers[0].Note; got != "Windows Live ID sign-in" {
		t.Errorf("services note = %q", got)
	}
}

func TestFeedIsAtom(t *testing.T) {
	files := mustRender(t, fixtureOptions(t))
	var f struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(fileOf(t, files, "feed.xml"), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 12 {
		t.Fatalf("%d entries, want 12", len(f.Entries))
	}
	e := f.Entries[0]
	if e.ID != "https://someone.github.io/deadyet/#news-2017-05-19-gone" || e.Title != "All servers gone" ||
		e.Updated != "2017-05-19T00:00:00Z" || f.Updated != e.Updated || !strings.Contains(e.Content, "<em>RIP.</em>") {
		t.Errorf("feed updated %q, first entry %+v", f.Updated, e)
	}
	if got := f.Entries[1].Title; got != "Event 10" {
		t.Errorf("title from slug = %q, want %q", got, "Event 10")
	}
}

// TestVerdictWords: the page's words for the verdict and its headline
// replace the defaults; TestNoDataIsNotDeath has the verdicts.
func TestVerdictWords(t *testing.T) {
	cfg := fixtureConfig(3, 2)
	page := Page{Verdict: VerdictWords{Dead: "Oui."}, Headline: "Gone."}
	v := mustBuild(t, Options{Config: cfg, Page: page, Results: fixtureResults(cfg, nil)})
	if v.Verdict != Dead || v.Answer != "Oui." || v.Headline != "Gone." {
		t.Errorf("got %q %q %q, want dead Oui. Gone.", v.Verdict, v.Answer, v.Headline)
	}
}

func TestHeadlineListsVersionsAndGroups(t *testing.T) {
	cfg := fixtureConfig(2, 2, 2)
	res := fixtureResults(cfg, nil)
	for i, r := range res.Results {
		if (r.Group == "bn2" || r.Group == "db5") && (r.Check == "msnp22" || r.Check == "msnp21") {
			res.Results[i].State = probe.Up
		}
	}
	v := mustBuild(t, Options{Config: cfg, Results: res})
	if want := "MSNP21 and MSNP22 still answer in bn2 and db5"; v.Headline != want || v.Verdict != Alive {
		t.Errorf("got %q %q, want alive %q", v.Verdict, v.Headline, want)
	}
}

// TestNotScannedIsNeverUp: a stale "up" for a check the config no longer
// scans, or for a key the config does not have, counts for nothing.
func TestNotScannedIsNeverUp(t *testing.T) {
	cfg := fixtureConfig(2)
	res := fixtureResults(cfg, nil)
	for i, r := range res.Results {
		if r.Check == "msnp18" {
			res.Results[i].State = probe.Up
		}
	}
	res.Results = append(res.Results, probe.Result{Group: "bn2", Address: "127.9.9.9", Check: "msnp21", State: probe.Up})
	res.Results = append(res.Results, probe.Result{Group: "nowhere", Address: "127.0.2.1", Check: "msnp21", State: probe.Up})
	v := mustBuild(t, Options{Config: cfg, Results: res})
	if v.Verdict != Dead {
		t.Errorf("verdict %q, want dead", v.Verdict)
	}
	if c := v.Tables[0].Rows[0].Cells[3]; c.State != probe.Skipped {
		t.Errorf("msnp18 cell = %+v, want skipped", c)
	}
}

func TestBuildErrors(t *testing.T) {
	cfg := fixtureConfig(1)
	res := fixtureResults(cfg, nil)
	res.Results = append(res.Results, res.Results[0])
	if _, err := Build(Options{Config: cfg, Results: res}); err == nil ||
		err.Error() != `results hold two results for group "bn2", address "127.2.0.1", check "tcp80"` {
		t.Errorf("duplicate result: err = %v", err)
	}
	cfg.Groups[0].Checks = append(cfg.Groups[0].Checks, "nope")
	if _, err := Build(Options{Config: cfg}); err == nil ||
		err.Error() != `group "bn2" names check "nope", which the config does not define` {
		t.Errorf("unknown check: err = %v", err)
	}
}

// hostile is markup and quotes, put everywhere a config, a server or a news
// file can put text.
const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>`

// hostileOptions is a site made of hostile input.
func hostileOptions(t *testing.T) Options {
	t.Helper()
	const evil = hostile
	cfg := probe.Config{
		Checks: map[string]probe.Check{
			"x": {Key: "x", Label: evil, Kind: probe.MSNP, Version: "MSNP21", Scan: true, About: evil + " [a](javascript:alert(3))"},
		},
		Groups: []probe.Group{{
			Name: evil, Title: evil, About: "<script>alert(4)</script>\n\n<https://ok.example/>",
			Checks:  []string{"x"},
			Servers: []probe.Server{{Address: evil, Main: true, Note: evil}},
		}},
	}
	res := probe.Results{Vantage: evil, Results: []probe.Result{
		{Group: evil, Address: evil, Check: "x", State: probe.Rejected, Detail: evil},
	}}
	newsFS := fstest.MapFS{
		"n/2020-01-01-evil.md": {Data: []byte("+++\ntitle = '" + strings.ReplaceAll(evil, "'", "") + "'\n+++\n" +
			evil + "\n\n[click](javascript:alert(5)) [tab](java\tscript:alert(6)) <javascript:alert(7)> " +
			"[ent](javascript&#58;alert(8)) ![pic](data:image/png;base64,AAAA) [data](data:text/html,x) " +
			"[ok](https://example.com/\"onmouseover=\"alert(9)) <mailto:a@example.com>\n")},
	}
	entries, err := news.Load(newsFS, "n")
	if err != nil {
		t.Fatal(err)
	}
	page := Page{
		Title: evil, URL: "https://x.example/\"><script>alert(10)</script>/",
		FinePrint: evil, Situation: "<b onclick=alert(11)>bold</b>", Repository: "javascript:alert(12)",
		FAQ:     []FAQ{{Question: evil, Answer: evil}},
		Verdict: VerdictWords{Dead: evil, Alive: evil, Partial: evil}, Headline: evil, Description: evil,
	}
	return Options{Config: cfg, Page: page, Results: res, News: entries}
}

// TestHostileInput checks that hostile input comes out as text.
func TestHostileInput(t *testing.T) {
	const evil = hostile
	files := mustRender(t, hostileOptions(t))
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".html") && f.Name != "feed.xml" && f.Name != "status.json" {
			continue
		}
		s := string(f.Data)
		if f.Name == "feed.xml" {
			// Titles are text, escaped by encoding/xml; the content is HTML.
			var feed struct {
				Entries []struct {
					Content string `xml:"content"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(f.Data, &feed); err != nil {
				t.Fatalf("feed.xml: %v", err)
			}
			s = feed.Entries[0].Content
		}
		if f.Name == "status.json" {
			var st Status
			if err := json.Unmarshal(f.Data, &st); err != nil {
				t.Fatal(err)
			}
			if st.Groups[0].Servers[0].Address != evil {
				t.Errorf("status.json changed the address: %q", st.Groups[0].Servers[0].Address)
			}
			continue
		}
		for _, bad := range []string{"<script", "<img", "<b ", "href=\"javascript", "href=\"java", "href=\"data:", "\"onmouseover"} {
			if strings.Contains(s, bad) {
				i := strings.Index(s, bad)
				t.Errorf("%s contains %q: …%s…", f.Name, bad, s[max(0, i-60):min(len(s), i+60)])
			}
		}
		if f.Name == "index.html" {
			hasAll(t, "index.html", s, "&lt;script&gt;alert(1)&lt;/script&gt;", `<a href="mailto:a@example.com">`,
				`<a href="https://ok.example/">`, "click", "javascript:alert(7)",
				"&lt;b onclick=alert(11)&gt;bold&lt;/b&gt;", "&lt;script&gt;alert(4)&lt;/script&gt;")
		}
	}
}

func TestMarkdownLinks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"[a](https://example.com/)", `<p><a href="https://example.com/">a</a></p>`},
		{"[a](HTTP://example.com/)", `<p><a href="HTTP://example.com/">a</a></p>`},
		{"[a](mailto:x@example.com)", `<p><a href="mailto:x@example.com">a</a></p>`},
		{"[a](#faq)", `<p><a href="#faq">a</a></p>`},
		{"[a](status.json)", `<p><a href="status.json">a</a></p>`},
		{"[a](javascript:alert(1))", `<p>a</p>`},
		{"[a *b*](vbscript:x)", `<p>a <em>b</em></p>`},
		{"[a](ftp://example.com/)", `<p>a</p>`},
		{"[a](javascript&#58;alert(1))", `<p>a</p>`},
		{"<javascript:alert(1)>", `<p>javascript:alert(1)</p>`},
		{"<https://example.com>", `<p><a href="https://example.com">https://example.com</a></p>`},
		{"see www.example.com now", `<p>see <a href="http://www.example.com">www.example.com</a> now</p>`},
		{"x@example.com", `<p><a href="mailto:x@example.com">x@example.com</a></p>`},
		{"![cat](https://example.com/cat.png)", `<p><a href="https://example.com/cat.png">cat</a></p>`},
		{"![cat](javascript:x)", `<p>cat</p>`},
		// Raw HTML is text: shown as written, never omitted, never markup.
		{"<b>hi</b>", `<p>&lt;b&gt;hi&lt;/b&gt;</p>`},
		{"a <Ctrl> key", `<p>a &lt;Ctrl&gt; key</p>`},
		{`<a href="javascript:x">y</a>`, `<p>&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;</p>`},
		{"<div onclick=\"x\">\nhi\n</div>", "<p>&lt;div onclick=&quot;x&quot;&gt;\nhi\n&lt;/div&gt;</p>"},
		{"<script>alert(1)</script>\n\nafter", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>after</p>"},
		{"<!-- hidden --> x", `<p>&lt;!-- hidden --&gt; x</p>`},
		{"a &amp; <i title=\"&amp;\">", `<p>a &amp; &lt;i title=&quot;&amp;amp;&quot;&gt;</p>`},
		{"- <b>\n- <?x?>", "<ul>\n<li>\n&lt;b&gt;\n</li>\n<li>\n&lt;?x?&gt;\n</li>\n</ul>"},
		{"`<script>`", `<p><code>&lt;script&gt;</code></p>`},
		// Schemes the way a browser reads them: case, spaces, control
		// characters and character references do not smuggle one in.
		{"[a](JaVaScRiPt:alert(1))", `<p>a</p>`},
		{"[a](java&#x09;script:alert(1))", `<p>a</p>`},
		{"[a](java&Tab;script:alert(1))", `<p>a</p>`},
		{"[a](jav&#x0A;ascript:alert(1))", `<p>a</p>`},
		{"[a](&#x20;javascript:alert(1))", `<p>a</p>`},
		{"[a](&#x6A;avascript:alert(1))", `<p>a</p>`},
		{"[a](javascript&colon;alert(1))", `<p>a</p>`},
		{"[a](<javascript:alert(1)>)", `<p>a</p>`},
		{"[a](\x01javascript:alert(1))", `<p>a</p>`},
		{"[a](data:text/html;base64,PHNjcmlwdD4=)", `<p>a</p>`},
		{"[a][r]\n\n[r]: JAVASCRIPT:alert(1)", `<p>a</p>`},
		{"[r]\n\n[r]: vbscript:x", `<p>r</p>`},
		{"<JaVaScRiPt:alert(1)>", `<p>JaVaScRiPt:alert(1)</p>`},
		{"<vbscript:msgbox(1)>", `<p>vbscript:msgbox(1)</p>`},
		{"[![img](javascript:x)](https://ok.example/)", `<p><a href="https://ok.example/">img</a></p>`},
		{"[a](https://x.example/ \"\\\"><script>\")", `<p><a href="https://x.example/" title="&quot;&gt;&lt;script&gt;">a</a></p>`},
		{"[a](./javascript:alert(1))", `<p><a href="./javascript:alert(1)">a</a></p>`},
		{"| [a](javascript:x) |\n|---|\n| ![b](data:x) |", "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>"},
		{"# Title", `<h3>Title</h3>`},
		{"~~gone~~", `<p><del>gone</del></p>`},
		{"| a |\n|---|\n| b |", "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>"},
	}
	for _, tt := range tests {
		if got := strings.TrimSpace(string(Markdown(tt.in))); got != tt.want {
			t.Errorf("Markdown(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
	if got := MarkdownInline("a *b*", ""); got != "a <em>b</em>" {
		t.Errorf("MarkdownInline = %q", got)
	}
}

func TestPageDefaults(t *testing.T) {
	p := Page{URL: "https://someone.github.io/deadyet/", Clients: "mine"}.WithDefaults()
	want := Page{
		Title: "Is MSN dead yet?", URL: "https://someone.github.io/deadyet/", Lang: "en",
		Verdict: VerdictWords{Dead: "Yes.", Alive: "No.", Partial: "Not quite.", Unknown: "We don't know."},
		Clients: "mine", Repository: "https://github.com/someone/deadyet",
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("WithDefaults:\n got %+v\nwant %+v", p, want)
	}
	for url, want := range map[string]string{
		"https://owner.github.io/":      "https://github.com/owner/owner.github.io",
		"https://example.com/x/":        "",
		"http://owner.github.io/x/":     "",
		"https://owner.github.io/a/b/c": "https://github.com/owner/owner.github.io",
	} {
		if got := repositoryOf(url); got != want {
			t.Errorf("repositoryOf(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestBadge(t *testing.T) {
	for v, message := range map[Verdict]string{Dead: "dead", Alive: "alive", Partial: "partly alive", Unknown: "unknown", "other": "unknown"} {
		b := []byte(execute(t, "badge.svg", v))
		if err := xml.Unmarshal(b, new(struct{})); err != nil {
			t.Errorf("%s: badge is not XML: %v", v, err)
		}
		if !bytes.Contains(b, []byte(">"+message+"<")) {
			t.Errorf("%s: badge lacks its message", v)
		}
	}
}

// TestAnchorsUnique: every id on the page is unique, even when group names
// or FAQ questions make the same slug, or a group is named like a section.
func TestAnchorsUnique(t *testing.T) {
	cfg := fixtureConfig(1)
	long := strings.Repeat("x", 70)
	for _, name := range []string{"a_b", "a-b", "a-b-2", long + "1", long + "2", "group-a-b", "changes", "faq"} {
		g := cfg.Groups[0]
		g.Name = name
		cfg.Groups = append(cfg.Groups, g)
	}
	opts := Options{Config: cfg, Results: fixtureResults(cfg, nil), News: fixtureOptions(t).News,
		Page: Page{FAQ: []FAQ{{"Why?", "x"}, {"Why", "y"}, {"why!", "z"}}}}
	files := mustRender(t, opts)
	page := string(fileOf(t, files, "index.html"))
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if seen[m[1]] {
			t.Errorf("id %q is used twice", m[1])
		}
		seen[m[1]] = true
	}
	for _, want := range []string{"group-a-b", "group-a-b-2", "group-a-b-2-2", "group-group-a-b", "faq-why", "faq-why-2", "faq-why-3"} {
		if !seen[want] {
			t.Errorf("no id %q", want)
		}
	}
	// Every in-page link goes somewhere.
	for _, m := range regexp.MustCompile(` href="#([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !seen[m[1]] {
			t.Errorf("link to #%s, which no element has", m[1])
		}
	}
}

// TestHostileMarkup looks at every tag of every page made of hostile input
// (with a hostile history too): only the elements and attributes the
// templates and Markdown write, no event handler, no style, nothing
// loaded, every link http, https, mailto or relative, and the one script
// the one of the page. It does not depend on knowing the attack: whatever
// got through as markup would show up here.
func TestHostileMarkup(t *testing.T) {
	allowed := func(names string) map[string]bool {
		m := map[string]bool{}
		for _, n := range strings.Fields(strings.ToLower(names)) {
			m[n] = true
		}
		return m
	}
	elements := allowed(`html head meta title link body header main section footer nav
		h1 h2 h3 h4 h5 h6 p div span a b em strong code pre del small ol ul li dl dt dd br hr wbr blockquote
		table caption thead tbody tfoot tr th td details summary time svg path script`)
	attributes := allowed(`lang charset name content http-equiv rel href type title id class
		aria-label aria-labelledby aria-hidden role tabindex datetime scope hidden start
		xmlns viewBox width height preserveAspectRatio d media src`)
	for name, opts := range map[string]Options{"hostile": hostileOptions(t), "hostile with history": hostileHistoryOptions(t)} {
		pages := 0
		for _, f := range mustRender(t, opts) {
			if !strings.HasSuffix(f.Name, ".html") {
				continue
			}
			pages++
			z := nethtml.NewTokenizer(bytes.NewReader(f.Data))
			for tt := z.Next(); tt != nethtml.ErrorToken; tt = z.Next() {
				switch tt {
				case nethtml.TextToken, nethtml.CommentToken:
					// Every "<" is a tag we can read: text never holds a bare one.
					if bytes.Contains(z.Raw(), []byte("<")) {
						t.Errorf("%s %s: %q", name, f.Name, z.Raw())
					}
				case nethtml.StartTagToken, nethtml.SelfClosingTagToken, nethtml.EndTagToken:
					tag, more := z.TagName()
					if !elements[string(tag)] {
						t.Errorf("%s %s: element <%s>", name, f.Name, tag)
					}
					var k, v []byte
					for more {
						k, v, more = z.TagAttr()
						switch {
						case !attributes[string(k)]:
							t.Errorf("%s %s: attribute %s=%q on <%s>", name, f.Name, k, v, tag)
						case string(k) == "href" && !allowedURL(string(v)):
							t.Errorf("%s %s: link to %q", name, f.Name, v)
						case string(k) == "src" && (string(v) != "stale.js" || f.Name != "index.html"):
							t.Errorf("%s %s: a script other than the index's own: %q", name, f.Name, v)
						}
					}
					if tt == nethtml.StartTagToken && string(tag) == "script" && !bytes.Contains(z.Raw(), []byte(`src="stale.js"`)) {
						t.Errorf("%s %s: a script other than the index's own", name, f.Name)
					}
				}
			}
		}
		// index.html, 404.html, the server's page, the archive, the news
		// day's page and, with the history, the day of its changes.
		if want := map[string]int{"hostile": 5, "hostile with history": 6}[name]; pages != want {
			t.Errorf("%s: %d pages, want %d", name, pages, want)
		}
	}
}

// A page without text leaves out the sections it has no words for, and
// keeps the status.
func TestPageWithoutText(t *testing.T) {
	cfg := fixtureConfig(2)
	files := mustRender(t, Options{Config: cfg, Results: fixtureResults(cfg, nil)})
	page := string(fileOf(t, files, "index.html"))
	hasNone(t, "page without text", page, `id="situation"`, `id="related"`, `id="clients"`, `id="why"`, `id="faq"`, `class="fine"`, `name="description"`, "Pull requests welcome")
	hasAll(t, "page without text", page, "<h1>Is MSN dead yet?</h1>", `<p class="answer">Yes.</p>`, `id="status"`, `id="reference"`, `<a href="feed.xml">News feed</a>`)
	if strings.Contains(string(fileOf(t, files, "404.html")), `name="description"`) {
		t.Error("404.html without text has a description")
	}
}

// TestApartGroup: a group with verdict = false is shown after the others
// and counts for nothing in the verdict, the headline, the badge or
// status.json, even when its servers are all up.
func TestApartGroup(t *testing.T) {
	base := fixtureConfig(3, 2)
	apart := probe.Group{Name: "revival", Title: "Revival servers", About: "Run by the community.",
		Checks: []string{"msnp21"}, Servers: []probe.Server{{Address: "127.9.0.1", Main: true}, {Address: "127.9.0.2"}}, Apart: true}
	cfg := base
	cfg.Groups = append([]probe.Group{apart}, base.Groups...) // first in the config, last on the page
	up := func(res probe.Results) probe.Results {
		for _, s := range apart.Servers {
			res.Results = append(res.Results, probe.Result{Group: "revival", Address: s.Address, Check: "msnp21", State: probe.Up, MS: 9, Attempts: 1})
		}
		return res
	}
	tests := []struct {
		name string
		res  probe.Results // of base's groups
	}{
		{"main groups dead", fixtureResults(base, nil)},
		{"main groups without data", withoutResults(fixtureResults(base, nil), isMSNP)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			without := mustBuild(t, Options{Config: base, Results: tt.res})
			files := mustRender(t, Options{Config: cfg, Results: up(tt.res)})
			var st Status
			if err := json.Unmarshal(fileOf(t, files, "status.json"), &st); err != nil {
				t.Fatal(err)
			}
			if st.Verdict != without.Verdict || st.Headline != without.Headline || without.Verdict == Alive {
				t.Errorf("with the group apart: %q %q, without it: %q %q", st.Verdict, st.Headline, without.Verdict, without.Headline)
			}
			if badge := string(fileOf(t, files, "badge.svg")); badge != execute(t, "badge.svg", without.Verdict) {
				t.Errorf("badge changed: %s", badge)
			}
			index := string(fileOf(t, files, "index.html"))
			hasAll(t, "index", index, `Revival servers</a></h3>`+"\n"+`<div class="md"><p>Run by the community.</p>`+"\n</div>\n<p>Not counted in the verdict.</p>")
			if s, r := strings.Index(index, `id="group-services"`), strings.Index(index, `id="group-revival"`); s < 0 || r < s {
				t.Errorf("the group apart is not after the others (services at %d, revival at %d)", s, r)
			}
		})
	}
}

// TestRedirectShown: a signin server page says where the server sends
// clients and what the last hop answered (or why it was not reached).
func TestRedirectShown(t *testing.T) {
	cfg := fixtureConfig(2)
	cfg.Checks = maps.Clone(cfg.Checks)
	cfg.Checks["signin21"] = probe.Check{Key: "signin21", Label: "Sign-in", Kind: probe.SignIn, Version: "MSNP21", Via: probe.HTTPS, Scan: true}
	cfg.Groups[0].Checks = append(slices.Clone(cfg.Groups[0].Checks), "signin21")
	res := fixtureResults(cfg, nil)
	for i, r := range res.Results {
		switch {
		case r.Check == "signin21" && r.Address == "127.2.0.1":
			res.Results[i].State, res.Results[i].Detail = probe.Up, "via XFR to 127.0.79.2:36661: USR 3 SSO S MBI_KEY_OLD AAAA"
		case r.Check == "signin21" && r.Address == "127.2.0.2":
			res.Results[i].State, res.Results[i].Detail = probe.Refused, "via XFR to 127.0.79.2:36661, then 127.0.79.3:1863: connection refused"
		}
	}
	files := mustRender(t, Options{Config: cfg, Results: res})
	hasAll(t, "the main server's page", string(fileOf(t, files, "server/bn2/127.2.0.1/index.html")),
		`<dt>Redirect<dd>Sends clients to 127.0.79.2:36661<dt>Answer<dd class=detail>USR 3 SSO S MBI_KEY_OLD AAAA<dt>`)
	hasAll(t, "the second server's page", string(fileOf(t, files, "server/bn2/127.2.0.2/index.html")),
		`Sends clients to 127.0.79.2:36661, then 127.0.79.3:1863<dt>Answer<dd class=detail>connection refused<dt>`)
}
