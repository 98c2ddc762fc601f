package render

// The browser test loads the rendered site in headless Chromium and the Nu
// HTML Checker. Both are slow and need programs that `go test` cannot
// assume, so they run only when asked:
//
//	DEADYET_BROWSER=/usr/bin/chromium go test ./render -run Browser -v
//	DEADYET_VNU="java -jar node_modules/vnu-jar/build/dist/vnu.jar" go test ./render -run HTMLValid -v
//
// (DEADYET_BROWSER=1 means "chromium on the PATH".) The screenshots go to
// DEADYET_SCREENSHOTS, or a folder the test prints, for a person to look at.
// DEADYET_BROWSER_SITE=DIR checks an already rendered site instead of the
// test's fixture (its url should end in /deadyet/ for 404.html to find its
// style sheet).

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// cdp is a minimal client of the Chrome DevTools Protocol over the pipe of
// --remote-debugging-pipe: JSON messages separated by NUL bytes, written to
// the browser's fd 3 and read from its fd 4.
type cdp struct {
	w      *os.File
	mu     sync.Mutex
	nextID int
	calls  map[int]chan cdpMessage
	events chan cdpMessage
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

func (c *cdp) read(r *os.File) {
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			close(c.events)
			return
		}
		var m cdpMessage
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			c.mu.Lock()
			ch := c.calls[m.ID]
			delete(c.calls, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		select {
		case c.events <- m:
		default: // nobody listens to this many events; drop
		}
	}
}

// call sends a command and waits for its answer; result may be nil.
func (c *cdp) call(ctx context.Context, session, method string, params any, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan cdpMessage, 1)
	c.calls[id] = ch
	c.mu.Unlock()
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(cdpMessage{ID: id, SessionID: session, Method: method, Params: p})
	if err != nil {
		return err
	}
	if _, err := c.w.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(m.Result, result)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// startChromium starts a headless browser and returns a client for it.
func startChromium(t *testing.T, ctx context.Context, bin string) *cdp {
	t.Helper()
	toBrowserR, toBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromBrowserR, fromBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars=false",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowserR, fromBrowserW} // fd 3 and fd 4
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	toBrowserR.Close()
	fromBrowserW.Close()
	c := &cdp{w: toBrowserW, calls: map[int]chan cdpMessage{}, events: make(chan cdpMessage, 4096)}
	go c.read(fromBrowserR)
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.call(cctx, "", "Browser.close", struct{}{}, nil)
		toBrowserW.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-cctx.Done():
			_ = cmd.Process.Kill()
			<-done
		}
		fromBrowserR.Close()
		if t.Failed() {
			t.Logf("chromium stderr:\n%s", stderr.String())
		}
	})
	return c
}

// pageReport is what the test reads from a loaded page.
type pageReport struct {
	ScrollWidth  int      `json:"sw"`
	ClientWidth  int      `json:"cw"`
	Height       int      `json:"h"`
	AnswerSize   float64  `json:"answer"`
	DetailsOpen  bool     `json:"open"`
	StyleApplied bool     `json:"styled"`
	Wide         []string `json:"wide"`   // elements reaching past the window's right edge
	Stale        bool     `json:"stale"`  // the stale notice is shown
	LastRun      string   `json:"run"`    // the text after "Last checked"
	Timelines    int      `json:"tl"`     // timelines drawn with a size
	Checks       int      `json:"checks"` // a server page's checks, drawn
	CalDays      int      `json:"cal"`    // calendar days drawn with a size (a cell of several days as wide as they are)
	CalLinks     int      `json:"calk"`   // of them, links to a day page
	DayTables    int      `json:"dayt"`   // a day page's tables, drawn
	Heading      string   `json:"h1"`     // the text of the page's h1
	Cells        int      `json:"cells"`  // the index's state cells (links with a class)
	Symbols      int      `json:"syms"`   // of them, with their symbol drawn, and words for screen readers
	Empty        int      `json:"empty"`  // a day page's empty (down) cells
	Crossed      int      `json:"cross"`  // of them, drawn as a ✘
	Verdicts     int      `json:"vcols"`  // the index's MSNP21 and MSNP22 headers
	InView       int      `json:"vin"`    // of them, wholly in the window
	Where        []string `json:"vout"`   // where each of them ends
}

// The expression the test evaluates in the page (the page itself has no script).
const reportJS = `JSON.stringify({
  sw: document.documentElement.scrollWidth,
  cw: document.documentElement.clientWidth,
  h: document.documentElement.scrollHeight,
  answer: parseFloat(getComputedStyle(document.querySelector('.answer') || document.body).fontSize),
  open: !!document.querySelector('details[open]'),
  styled: getComputedStyle(document.body).maxWidth === '800px',
  wide: Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > document.documentElement.clientWidth + 1 && !e.closest('.scroll, .md table');
  }).slice(0, 8).map(e => e.tagName.toLowerCase() + ((typeof e.className === 'string' ? e.className : e.className.baseVal) ? '.' + (typeof e.className === 'string' ? e.className : e.className.baseVal) : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px: ' + (e.textContent || '').slice(0, 40)),
  stale: !!document.getElementById('stale') && getComputedStyle(document.getElementById('stale')).display !== 'none',
  run: document.getElementById('last-run') ? document.getElementById('last-run').parentNode.textContent : '',
  tl: Array.from(document.querySelectorAll('svg.tl')).filter(e => e.getBoundingClientRect().width >= 80 && e.getBoundingClientRect().height >= 10).length,
  checks: Array.from(document.querySelectorAll('section.check')).filter(e => e.getBoundingClientRect().height > 20).length,
  cal: Array.from(document.querySelectorAll('ol.cal li')).map(e => {
    const m = e.textContent.match(/^(\d+)–(\d+)$/), days = m ? m[2] - m[1] + 1 : 1, r = e.getBoundingClientRect();
    return r.width >= 12 * days && r.height >= 12 ? days : 0;
  }).reduce((a, b) => a + b, 0),
  calk: document.querySelectorAll('ol.cal li a[href*="day/"]').length,
  dayt: Array.from(document.querySelectorAll('table.day')).filter(e => e.getBoundingClientRect().height > 20).length,
  h1: (document.querySelector('h1') || {}).textContent || '',
  cells: Array.from(document.querySelectorAll('td > a[class]')).filter(a => a.getClientRects().length).length,
  syms: Array.from(document.querySelectorAll('td > a[class]')).filter(a => a.getClientRects().length).filter(a => {
    const c = getComputedStyle(a, '::before').content, vh = a.querySelector('.vh');
    return c && c !== 'none' && c !== 'normal' && a.getBoundingClientRect().width > 10 && vh && vh.textContent.length > 1;
  }).length,
  empty: document.querySelectorAll('table.day td:empty').length,
  cross: Array.from(document.querySelectorAll('table.day td:empty')).filter(td => getComputedStyle(td, '::after').content.includes('✘')).length,
  vcols: Array.from(document.querySelectorAll('thead th')).filter(th => /^MSNP2[12]$/.test(th.textContent)).length,
  vin: Array.from(document.querySelectorAll('thead th')).filter(th => {
    const r = th.getBoundingClientRect();
    return /^MSNP2[12]$/.test(th.textContent) && r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;
  }).length,
  vout: Array.from(document.querySelectorAll('thead th')).filter(th => /^MSNP2[12]$/.test(th.textContent)).map(th => th.closest('.scroll').getAttribute('aria-labelledby') + ' ' + th.textContent + ' ' + Math.round(th.getBoundingClientRect().right) + 'px')
})`

// axeJS runs axe-core (already in the page) with the rules of WCAG 2.0,
// 2.1 and 2.2 A and AA and its best practices, and lists every violation.
const axeJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})
  .then(r => JSON.stringify(r.violations.map(v => v.impact + ' ' + v.id + ' (' + v.nodes.length + '): ' + v.help + '; ' +
    v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary.replace(/\s+/g, ' ')).join(' | '))))`

// visit loads url in a new tab of the given width and colour scheme, and
// returns the report, the console errors and a full-page screenshot.
func visit(t *testing.T, ctx context.Context, c *cdp, url string, width int, dark bool, axe string) (pageReport, []string, []byte) {
	t.Helper()
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		t.Fatal(err)
	}
	defer c.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	s := attached.SessionID
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	for _, step := range []struct {
		method string
		params any
	}{
		{"Runtime.enable", struct{}{}},
		{"Log.enable", struct{}{}},
		{"Page.enable", struct{}{}},
		{"Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600}},
		{"Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}}}},
		{"Page.navigate", map[string]any{"url": url}},
	} {
		if err := c.call(ctx, s, step.method, step.params, nil); err != nil {
			t.Fatal(err)
		}
	}
	var problems []string
	loaded := false
	for !loaded {
		select {
		case m, ok := <-c.events:
			if !ok {
				t.Fatal("the browser went away")
			}
			if m.SessionID != s {
				continue
			}
			problems = append(problems, eventProblem(m)...)
			loaded = m.Method == "Page.loadEventFired"
		case <-ctx.Done():
			t.Fatalf("%s did not load: %v", url, ctx.Err())
		}
	}
	var eval struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
	}
	if err := c.call(ctx, s, "Runtime.evaluate", map[string]any{"expression": reportJS, "returnByValue": true}, &eval); err != nil {
		t.Fatal(err)
	}
	var rep pageReport
	if err := json.Unmarshal([]byte(eval.Result.Value), &rep); err != nil {
		t.Fatalf("report %q: %v", eval.Result.Value, err)
	}
	if axe != "" {
		if err := c.call(ctx, s, "Runtime.evaluate", map[string]any{"expression": axe}, nil); err != nil {
			t.Fatal(err)
		}
		if err := c.call(ctx, s, "Runtime.evaluate", map[string]any{"expression": axeJS, "returnByValue": true, "awaitPromise": true}, &eval); err != nil {
			t.Fatal(err)
		}
		var violations []string
		if err := json.Unmarshal([]byte(eval.Result.Value), &violations); err != nil {
			t.Fatalf("axe: %q: %v", eval.Result.Value, err)
		}
		for _, v := range violations {
			t.Errorf("axe-core at %d px: %s", width, v)
		}
	}
	var shot struct {
		Data string `json:"data"`
	}
	if err := c.call(ctx, s, "Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": width, "height": rep.Height, "scale": 1},
	}, &shot); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		t.Fatal(err)
	}
	// Events that arrived while the report was made.
	for {
		select {
		case m := <-c.events:
			if m.SessionID == s {
				problems = append(problems, eventProblem(m)...)
			}
			continue
		default:
		}
		break
	}
	return rep, problems, png
}

// eventProblem turns a console error, an uncaught exception or an error
// log entry (a failed load, a CSP violation) into a line of text.
func eventProblem(m cdpMessage) []string {
	switch m.Method {
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string `json:"type"`
			Args []struct {
				Value any `json:"value"`
			} `json:"args"`
		}
		if json.Unmarshal(m.Params, &p) == nil && (p.Type == "error" || p.Type == "warning") {
			return []string{fmt.Sprintf("console.%s: %v", p.Type, p.Args)}
		}
	case "Runtime.exceptionThrown":
		return []string{"exception: " + string(m.Params)}
	case "Log.entryAdded":
		var p struct {
			Entry struct {
				Level, Source, Text, URL string
			} `json:"entry"`
		}
		if json.Unmarshal(m.Params, &p) == nil && (p.Entry.Level == "error" || p.Entry.Level == "warning") {
			return []string{fmt.Sprintf("log %s (%s): %s %s", p.Entry.Level, p.Entry.Source, p.Entry.Text, p.Entry.URL)}
		}
	}
	return nil
}

// browserSite writes the site of opts (or takes the rendered site in the
// folder DEADYET_BROWSER_SITE, e.g. from make preview) and serves it on
// loopback at the path of its URL (/deadyet/ for the fixture), with
// 404.html for missing files, as GitHub Pages does.
func browserSite(t *testing.T, opts Options) (url, dir string) {
	t.Helper()
	dir = os.Getenv("DEADYET_BROWSER_SITE")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "site")
		if _, _, err := writeSite(dir, opts); err != nil {
			t.Fatal(err)
		}
	}
	prefix := sitePrefix(t, dir)
	fileServer := http.StripPrefix(prefix, http.FileServer(http.Dir(dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(path.Clean(r.URL.Path), prefix)
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); !ok || errors.Is(err, os.ErrNotExist) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			b, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Write(b)
			return
		}
		fileServer.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + prefix, dir
}

// subPages are the paths of a server page and of a day page of the site in
// dir: those of the fixture's story, or for a site of its own the first
// server and the newest day with changes.
func subPages(t *testing.T, dir string, own bool) (server, day string) {
	t.Helper()
	if !own {
		return "/server/bn2/127.2.0.4/index.html", "/day/2026-11-20/index.html"
	}
	servers, _ := filepath.Glob(filepath.Join(dir, "server", "*", "*", "index.html"))
	days, _ := filepath.Glob(filepath.Join(dir, "day", "*", "index.html"))
	slices.Sort(servers)
	slices.Sort(days)
	for i := len(days) - 1; i >= 0; i-- {
		if b, err := os.ReadFile(days[i]); err == nil && strings.Contains(string(b), `<tr id=changes-`) {
			day = days[i]
			break
		}
	}
	if len(servers) == 0 || day == "" {
		t.Fatalf("%s has no server page, or no day page with changes", dir)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		return "/" + filepath.ToSlash(r)
	}
	return rel(servers[0]), rel(day)
}

// sitePrefix is the path the site in dir expects to be served at: that of
// its stylesheet link in 404.html (which must work at any depth), less
// "/style.css"; "" for the root.
func sitePrefix(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`href="(?:https?://[^/"]*)?(/[^"]*)style\.css"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s/404.html links no stylesheet by absolute path", dir)
	}
	return strings.TrimSuffix(string(m[1]), "/")
}

func TestBrowser(t *testing.T) {
	bin := os.Getenv("DEADYET_BROWSER")
	if bin == "" {
		t.Skip("set DEADYET_BROWSER=/usr/bin/chromium (or 1) to run the browser test")
	}
	if bin == "1" {
		var err error
		if bin, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("DEADYET_BROWSER=1 but there is no chromium on the PATH")
		}
	}
	shots := os.Getenv("DEADYET_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "deadyet-screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	own := os.Getenv("DEADYET_BROWSER_SITE") != ""
	plain, _ := browserSite(t, fixtureOptions(t))
	// The golden run is hours old by now: the notice shows. A run of ten
	// minutes ago does not get it.
	history, historyDir := browserSite(t, fixtureHistoryOptions(t))
	freshOpts := fixtureHistoryOptions(t)
	freshOpts.Results.Finished = time.Now().Add(-10 * time.Minute).Truncate(time.Second)
	fresh, _ := browserSite(t, freshOpts)
	serverPath, dayPath := subPages(t, historyDir, own)
	mainPath, servicesPath := "/server/bn2/127.2.0.1/index.html", "/server/services/login.live.example/index.html"
	if own {
		mainPath, servicesPath = serverPath, serverPath
		if m, _ := filepath.Glob(filepath.Join(historyDir, "server", "services*", "*", "index.html")); len(m) > 0 {
			servicesPath = "/" + filepath.ToSlash(m[0][len(historyDir)+1:])
		}
	}
	axePath := os.Getenv("DEADYET_AXE")
	if axePath == "" {
		t.Fatal("set DEADYET_AXE to axe-core's axe.min.js ($(.ci/test-deps --axe)) to run the accessibility checks")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	c := startChromium(t, ctx, bin)

	for _, tt := range []struct {
		name, base, path string
		width            int
		dark             bool
	}{
		{"index-1280", plain, "/", 1280, false},
		{"index-375", plain, "/", 375, false},
		{"index-375-dark", plain, "/", 375, true},
		{"index-1280-dark", plain, "/", 1280, true},
		{"index-320", plain, "/", 320, false},
		{"404-375", plain, "/no/such/page", 375, false},
		{"404-1280-dark", plain, "/missing.html", 1280, true},
		{"404-1280", history, "/no/such/page", 1280, false},
		{"404-375-dark", history, "/missing.html", 375, true},
		{"archive-1280", history, "/archive/index.html", 1280, false},
		{"archive-375-dark", history, "/archive/index.html", 375, true},
		{"main-1280", history, mainPath, 1280, false},
		{"main-375-dark", history, mainPath, 375, true},
		{"services-1280", history, servicesPath, 1280, false},
		{"services-375-dark", history, servicesPath, 375, true},
		{"history-320", history, "/", 320, false},
		{"history-640", history, "/", 640, false}, // 1280 px at 200 %
		{"day-320", history, dayPath, 320, false},
		{"server-320", history, serverPath, 320, false},
		{"history-1280", history, "/", 1280, false},
		{"history-375", history, "/", 375, false},
		{"history-375-dark", history, "/", 375, true},
		{"history-fresh-1280-dark", fresh, "/", 1280, true},
		{"server-1280", history, serverPath, 1280, false},
		{"server-375", history, serverPath, 375, false},
		{"server-375-dark", history, serverPath, 375, true},
		{"server-1280-dark", history, serverPath, 1280, true},
		{"day-1280", history, dayPath, 1280, false},
		{"day-375", history, dayPath, 375, false},
		{"day-375-dark", history, dayPath, 375, true},
		{"day-1280-dark", history, dayPath, 1280, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			script := ""
			if (tt.width == 1280 && !tt.dark) || (tt.width == 375 && tt.dark) {
				script = string(axe)
			}
			rep, problems, png := visit(t, ctx, c, base+tt.path, tt.width, tt.dark, script)
			for _, p := range problems {
				if strings.HasPrefix(tt.name, "404") && strings.Contains(p, "status of 404 (Not Found) "+base+tt.path) {
					continue // the page itself is a 404, as it should be
				}
				t.Errorf("%s: %s", tt.path, p)
			}
			if rep.ScrollWidth > rep.ClientWidth {
				t.Errorf("horizontal scroll at %d px: the page is %d px wide in a %d px window; too wide: %q", tt.width, rep.ScrollWidth, rep.ClientWidth, rep.Wide)
			}
			if tt.width == 320 && tt.path == "/" && (rep.Verdicts == 0 || rep.InView != rep.Verdicts) {
				t.Errorf("at 320 px %d of the %d MSNP21 and MSNP22 columns are in view: %q", rep.InView, rep.Verdicts, rep.Where)
			}
			if !rep.StyleApplied {
				t.Error("style.css was not applied")
			}
			if tt.path == "/" && rep.AnswerSize < 40 {
				t.Errorf("the answer is %.0f px, want it big", rep.AnswerSize)
			}
			if tt.path == "/" && (rep.Cells == 0 || rep.Symbols != rep.Cells) {
				t.Errorf("%d of the index's %d cells show their symbol and carry their words", rep.Symbols, rep.Cells)
			}
			if rep.DetailsOpen {
				t.Error("older news start open")
			}
			switch {
			case strings.HasPrefix(tt.name, "server"):
				// Every check, and a calendar of whole days, some linked.
				if rep.Checks < 1 || rep.CalDays < 28 || rep.CalLinks < 1 || rep.Heading == "" {
					t.Errorf("server page %s: %d checks, %d calendar days drawn, %d linked, heading %q", tt.path, rep.Checks, rep.CalDays, rep.CalLinks, rep.Heading)
				}
				if !own && (rep.Checks != 6 || rep.CalDays != 117 || rep.CalLinks != 2 || rep.Heading != "127.2.0.4") {
					t.Errorf("server page: %d checks, %d calendar days, %d linked, heading %q; want 6, 117, 2, 127.2.0.4", rep.Checks, rep.CalDays, rep.CalLinks, rep.Heading)
				}
			case strings.HasPrefix(tt.name, "day"):
				if rep.DayTables < 1 || rep.AnswerSize < 40 || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(rep.Heading) {
					t.Errorf("day page %s: %d tables drawn, answer %.0f px, heading %q", tt.path, rep.DayTables, rep.AnswerSize, rep.Heading)
				}
				if !own && (rep.DayTables != 4 || rep.Heading != "2026-11-20") {
					t.Errorf("day page: %d tables, heading %q; want 4, 2026-11-20", rep.DayTables, rep.Heading)
				}
				if rep.Empty == 0 || rep.Crossed != rep.Empty {
					t.Errorf("day page %s: %d of its %d empty (down) cells drawn as a ✘", tt.path, rep.Crossed, rep.Empty)
				}
			}
			if own || strings.HasPrefix(tt.name, "server") || strings.HasPrefix(tt.name, "day") {
				// A site of its own, or a sub-page: checked above.
			} else if strings.HasPrefix(tt.name, "history") {
				stale := !strings.Contains(tt.name, "fresh")
				if rep.Stale != stale {
					t.Errorf("stale notice shown %v, want %v", rep.Stale, stale)
				}
				wantAgo := regexp.MustCompile(`^Last checked 2026-11-25 10:00 UTC \(\d+ (hours|days) ago\)$`)
				if !stale {
					wantAgo = regexp.MustCompile(`^Last checked \d{4}-\d\d-\d\d \d\d:\d\d UTC \(1[01] minutes ago\)$`)
				}
				if !wantAgo.MatchString(rep.LastRun) {
					t.Errorf("last checked %q, want it to match %s", rep.LastRun, wantAgo)
				}
				if rep.Timelines != 11+7+11+len(fixtureServices) {
					t.Errorf("%d timelines drawn", rep.Timelines)
				}
			} else if rep.Stale || rep.Timelines != 0 {
				t.Errorf("a page without history shows the stale notice (%v) or timelines (%d)", rep.Stale, rep.Timelines)
			}
			file := filepath.Join(shots, tt.name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s (%d×%d)", file, tt.width, rep.Height)
		})
	}
}

// TestHTMLValid runs the Nu HTML Checker over a page of each kind
// (index.html, 404.html, a server's, a day's and the archive) of each
// fixture site and fails on any error it reports.
func TestHTMLValid(t *testing.T) {
	vnu := os.Getenv("DEADYET_VNU")
	if vnu == "" {
		t.Skip(`set DEADYET_VNU="java -jar …/vnu.jar" (or "npx vnu-jar") to run the HTML checker`)
	}
	dir := t.TempDir()
	var paths []string
	hostileHistory := hostileOptions(t)
	hostileHistory.History = fixtureHistory(t)
	hostileHistory.Results.Finished = fixtureTime
	for site, opts := range map[string]Options{"fixture": fixtureOptions(t), "hostile": hostileOptions(t),
		"history": fixtureHistoryOptions(t), "hostile-history": hostileHistory} {
		files := mustRender(t, opts)
		names := []string{"index.html", "404.html", "archive/index.html"}
		for _, kind := range []string{"server/", "day/"} {
			// The last of its kind: with a history, a day of changes.
			for i := len(files) - 1; i >= 0; i-- {
				if strings.HasPrefix(files[i].Name, kind) {
					names = append(names, files[i].Name)
					break
				}
			}
		}
		for _, name := range names {
			p := filepath.Join(dir, site+"-"+strings.ReplaceAll(name, "/", "-"))
			if err := os.WriteFile(p, fileOf(t, files, name), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	if len(paths) != 4*5 {
		t.Fatalf("%d pages to check, want 4 sites × 5 kinds: %v", len(paths), paths)
	}
	args := append(strings.Fields(vnu), "--errors-only", "--format", "gnu")
	args = append(args, paths...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", vnu, err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("the HTML checker reports:\n%s", s)
	}
}
