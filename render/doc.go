// Package render turns a probe run into the static site of "Is MSN dead yet?".
//
// [Build] makes the view model from [Options]: the verdict ([Dead],
// [Alive], [Partial] or [Unknown], from the cells with data only), a
// headline and a table per group. [Render] runs the templates of package
// templates over it and returns the site's files in memory; [WriteFiles]
// writes them into a new folder beside the site's and swaps it in whole,
// in a folder [CheckSiteDir] accepts. Same inputs, same bytes.
//
// Everything from a server, the config or a news file is text, escaped by
// html/template, which writes every page: no markup is made in Go.
// [Markdown] is CommonMark with GFM tables, strikethrough and autolinks;
// raw HTML comes out as text and links keep only http, https, mailto or
// relative destinations.
//
// The site: index.html, 404.html, status.json (see [Status]; fields are
// only ever added), feed.xml, badge.svg, the static files, a page per
// server (server/<group>/<address>/index.html), a page per UTC day with a
// change or news (day/YYYY-MM-DD/index.html) and archive/index.html.
// Links between pages are relative and name index.html, so the site works
// at any path and from disk.
//
// With [Options.History] the pages show it as of the run's time: since
// when each cell is in its state and its uptime, a 90-day timeline a row,
// a server's calendar, the recent changes, the feed's entries of runs, and
// stale.js, the index's one script. BenchmarkSiteTenYears sizes the site
// of ten years of runs of 100 servers.
package render
