package render

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"
	"time"
)

// gzipSize is the size of data compressed as a web server would (level 9).
func gzipSize(t testing.TB, data []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// shippedLikeOptions is a site shaped like the shipped one: bn2 11 servers,
// co4 7, db5 11, the Services group, six checks of which three are not
// scanned, and a news log of 17 entries, the size of the shipped one.
func shippedLikeOptions(t testing.TB) Options {
	t.Helper()
	opts := fixtureOptions(t)
	for i := len(opts.News); i < 17; i++ {
		opts.News = append(opts.News, NewsEntry{
			Date: time.Date(2014, 11, 1+i, 0, 0, 0, 0, time.UTC), Slug: fmt.Sprintf("old-%d", i),
			Body: "Two of the main servers closed port 80. HTTPS still works, but few clients use it.",
		})
	}
	return opts
}

// TestPageSize keeps the page small: index.html and style.css of a site
// like the shipped one under 15 KB gzipped, without history and with the
// history fixture. (cmd/deadyet's TestShippedPageSize measures the shipped
// site.toml with a year of history.)
func TestPageSize(t *testing.T) {
	for _, hist := range []bool{false, true} {
		opts := shippedLikeOptions(t)
		if hist {
			opts.History = fixtureHistory(t)
		}
		files, err := Render(opts)
		if err != nil {
			t.Fatal(err)
		}
		index, css := gzipSize(t, fileOf(t, files, "index.html")), gzipSize(t, fileOf(t, files, "style.css"))
		t.Logf("history %v: index.html %d bytes gzipped, style.css %d", hist, index, css)
		if index+css > 15<<10 {
			t.Errorf("history %v: index.html (%d) + style.css (%d) = %d bytes gzipped, want under 15 KiB", hist, index, css, index+css)
		}
	}
}

// BenchmarkRenderShipped renders a site like the shipped one and reports the
// gzipped size of its index.html and style.css.
func BenchmarkRenderShipped(b *testing.B) {
	opts := shippedLikeOptions(b)
	var files []File
	for b.Loop() {
		var err error
		if files, err = Render(opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(gzipSize(b, fileOf(b, files, "index.html"))), "index-gz-bytes")
	b.ReportMetric(float64(gzipSize(b, fileOf(b, files, "style.css"))), "css-gz-bytes")
}

// BenchmarkRenderLarge renders 1,000 news entries and 10,000 servers (four
// groups of 2,500, six checks: 60,000 results).
func BenchmarkRenderLarge(b *testing.B) {
	cfg := fixtureConfig(2500, 2500, 2500, 2500)
	var news []NewsEntry
	for i := range 1000 {
		news = append(news, NewsEntry{
			Date:  time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i),
			Slug:  fmt.Sprintf("entry-%d", i),
			Title: fmt.Sprintf("Entry %d", i),
			Body:  fmt.Sprintf("Server number **%d** closed port 80; see <https://example.com/%d> and [the FAQ](#faq).", i, i),
		})
	}
	opts := Options{Config: cfg, Page: Page{URL: "https://someone.github.io/deadyet/"}, Results: fixtureResults(cfg, nil), News: news}
	var files []File
	for b.Loop() {
		var err error
		if files, err = Render(opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(fileOf(b, files, "index.html"))), "index-bytes")
}
