// Package templates holds the html/template files of the site, embedded in
// the binary. render parses every *.html file of FS into one template set
// and executes "index.html", "404.html", "server.html", "day.html" and
// "archive.html"; the other files define the templates those use.
// `deadyet render --templates DIR` reads the same files from a folder
// instead, to try changes without rebuilding.
package templates

import "embed"

// FS holds the *.html files of this folder.
//
//go:embed *.html
var FS embed.FS
