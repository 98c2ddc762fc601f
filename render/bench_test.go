package render

import (
	"fmt"
	"testing"
	"time"
)

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
