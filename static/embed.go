// Package static holds the files the site ships as they are, embedded in
// the binary: style.css for every page, pages.css for the pages beneath
// the index and every page in print, favicon.svg, and stale.js, the
// index's one script (with a history only). `deadyet render --static DIR`
// reads them from a folder.
package static

import "embed"

// FS holds style.css, pages.css, favicon.svg and stale.js.
//
//go:embed style.css pages.css favicon.svg stale.js
var FS embed.FS
