package render

// Where the pages of the site are, and how they link to each other.
//
//	index.html                          the page
//	server/<group>/<address>/index.html a page per server of the config
//	day/YYYY-MM-DD/index.html           a page per UTC day with a change or a news entry
//	archive/index.html                  the months and their days
//
// Links are relative (they work from a file:// folder as well as from any
// path a host serves the site at) and name index.html itself, which a
// folder opened from disk does not serve by itself.

import (
	"strings"
	"time"
)

// The folders of the sub-pages.
const (
	serverDir  = "server"
	dayDir     = "day"
	archiveDir = "archive"
)

// maxSegment bounds the length of a path segment made of a name.
const maxSegment = 100

// pathSegment makes s one segment of a path and of a URL that means the
// same on every file system and needs no escaping: ASCII letters in lower
// case, digits, '.', '_' and '-'; anything else (the colons of an IPv6
// address, a '%' zone, markup) becomes '-'. It is never empty, "." or
// "..", and at most maxSegment bytes. Different names can make the same
// segment ("A.example" and "a.example", "::1" and "--1"): the callers make
// them unique with [uniqueID].
func pathSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < maxSegment; i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte('-')
		}
	}
	seg := b.String()
	if strings.Trim(seg, ".") == "" {
		seg = "_" + seg
	}
	return seg
}

// serverPage is the file of a server's page, from the site's root.
func serverPage(groupSeg, addrSeg string) string {
	return serverDir + "/" + groupSeg + "/" + addrSeg + "/index.html"
}

// dayPage is the file of a day's page, from the site's root.
func dayPage(d time.Time) string {
	return dayDir + "/" + d.UTC().Format(time.DateOnly) + "/index.html"
}

// archivePage is the file of the archive, from the site's root.
const archivePage = archiveDir + "/index.html"

// rootOf is the relative path from the folder of file (a path from the
// site's root) back to the root: "" for index.html, "../../" for
// day/2026-11-25/index.html.
func rootOf(file string) string {
	return strings.Repeat("../", strings.Count(file, "/"))
}
