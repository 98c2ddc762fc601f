package news

import (
	"os"
	"testing"
)

// TestShippedNews loads the repository's news folder: what a pull request
// adds there must pass the same validation as `deadyet check`.
func TestShippedNews(t *testing.T) {
	news, err := Load(os.DirFS("../.."), "news")
	if err != nil {
		t.Fatal(err)
	}
	if len(news) < 16 {
		t.Errorf("%d news entries, want the historic log of at least 16", len(news))
	}
	if e := news[len(news)-1]; e.ID() != "news-2014-11-13-wlm-2008-and-2009-blocked" {
		t.Errorf("oldest entry %s", e.ID())
	}
}
