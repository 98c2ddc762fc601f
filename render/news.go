package render

import (
	"io/fs"
	"time"

	"deadyet/render/news"
)

// The news log is package deadyet/render/news's; these are its names as
// render has always given them.

// NewsEntry is one file of the news log: [news.Entry].
type NewsEntry = news.Entry

// MaxNewsSize is the largest news file LoadNews accepts: [news.MaxSize].
const MaxNewsSize = news.MaxSize

// NewsPlaceholder is the body NewsFile leaves for the author to replace:
// [news.Placeholder].
const NewsPlaceholder = news.Placeholder

// LoadNews is [news.Load]: every news file in dir of fsys, newest first.
func LoadNews(fsys fs.FS, dir string) ([]NewsEntry, error) { return news.Load(fsys, dir) }

// ParseNews is [news.Parse]: one news file, with "file:line: message" errors.
func ParseNews(file string, data []byte) (NewsEntry, []error) { return news.Parse(file, data) }

// CheckNewsDates is [news.CheckDates]: entries dated more than a day after
// now are refused.
func CheckNewsDates(entries []NewsEntry, now time.Time) error { return news.CheckDates(entries, now) }

// SortNews is [news.Sort]: newest first; entries of the same day by slug.
func SortNews(entries []NewsEntry) { news.Sort(entries) }

// Slug is [news.Slug]: a file-name slug of a title.
func Slug(title string) string { return news.Slug(title) }

// NewsFile is [news.NewFile]: the text "deadyet news new" writes.
func NewsFile(title string, date time.Time) []byte { return news.NewFile(title, date) }
