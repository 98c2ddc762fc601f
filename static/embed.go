// Package static holds the files the site ships as they are: the style
// sheet and the favicon, embedded in the binary. `deadyet render --static
// DIR` reads them from a folder instead.
package static

import "embed"

// FS holds style.css and favicon.svg.
//
//go:embed style.css favicon.svg
var FS embed.FS
