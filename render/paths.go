package render

// Where the pages of the site are. Links are relative and name
// index.html, so that the site works from any path and from disk.

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

// pathSegment makes s a path segment that needs no escaping anywhere:
// a-z, 0-9, '.', '_' and '-', the rest '-'; never empty, "." or "..", at
// most maxSegment bytes. Names can meet ("::1", "--1"): see [uniqueID].
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
