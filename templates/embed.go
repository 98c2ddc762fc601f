// Package templates holds the html/template files of the site, embedded in
// the binary. render parses every *.html file of FS into one template set
// and executes "index.html" and "404.html"; the other files define the
// templates those two use. `deadyet render --templates DIR` reads the same
// files from a folder instead, to try changes without rebuilding.
package templates

import "embed"

// FS holds the *.html files of this folder.
//
//go:embed *.html
var FS embed.FS
