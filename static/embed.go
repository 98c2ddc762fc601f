// Package static holds the files the site ships as they are: the style
// sheets (style.css for every page, pages.css for the server, day and
// archive pages as well) and the favicon, embedded in the binary. `deadyet render --static
// DIR` reads them from a folder instead.
package static

import "embed"

// FS holds style.css, pages.css and favicon.svg.
//
//go:embed style.css pages.css favicon.svg
var FS embed.FS
