// Package render turns a probe run into the static site of "Is MSN dead yet?".
//
// [Build] makes the view model from [Options]: the checks and groups of a
// probe.Config, the page text of a [Page], one probe.Results and the news
// entries. It computes the verdict from the cells with data ([Dead] when
// no server answers any scanned MSNP version, [Alive] when a main server
// answers one, [Partial] in between, [Unknown] when no main server has
// data: a result missing is no data, never death), a one-line headline ("MSNP21 still answers in bn2, but no main
// server does"; when dead, "All protocol versions up to MSNP22 are gone"),
// and one table per group with a cell per (server, check) and counts per
// column. [Render] builds the view and runs the templates of package
// templates over it: the files of the site, in memory. [WriteSite], the
// one path the commands take, renders and writes them ([WriteFiles]) into
// a new folder next to the site's, syncs every file and folder of it, and
// swaps it in: on Linux in one step (renameat2 RENAME_EXCHANGE), so that a
// crash at any instant leaves the old site or the new one, never neither.
// A failed render or write leaves the old site untouched, and each write
// removes what killed ones left. It replaces only a folder that
// [CheckSiteDir] accepts: new, empty or a site it wrote, holding nothing
// else, and never the current folder. Same inputs, same bytes: nothing
// depends on map order or the clock (the time shown is the run's).
//
// # Text and safety
//
// Everything that comes from a server, the config or a news file is text:
// html/template escapes it. Markdown ([Markdown]) is CommonMark with the
// GFM tables, strikethrough and autolinks; raw HTML in it comes out as
// text, links and autolinks keep their link only with the scheme http,
// https or mailto, or with no scheme at all (relative to the site: "#faq",
// "status.json"); images become links, so the page loads nothing from
// elsewhere.
//
// # News
//
// [news.Load] reads the news log (package deadyet/render/news owns it, and
// news.Load is its Load): one Markdown file per entry, named
// YYYY-MM-DD-slug.md, with an optional TOML front matter between two lines
// "+++" (keys title and date; the date must be the file name's). It refuses
// what would never show (a dated file not ending in .md, entries in a
// subfolder), control characters, YAML front matter, and entries that are
// symbolic links, which could publish any file of the machine that renders
// the site. Its error lists every problem of every file, one
// "file:line: message" each. [news.CheckDates] refuses entries dated more
// than a day ahead.
//
// # Files of the site
//
//	index.html   the page
//	404.html     the page GitHub Pages serves for a missing path
//	status.json  the latest run, in the stable format below
//	feed.xml     the news as an Atom feed (the newest 50 entries), and with a
//	             history the runs that changed something
//	badge.svg    the verdict as a badge: "MSN | dead", "alive" or "partly alive"
//	style.css    from package static
//	pages.css    from package static: what the pages below add to it
//	favicon.svg  from package static
//	stale.js     with a history: the index's one script (see History)
//	server/<group>/<address>/index.html
//	             a page per server of the config
//	day/YYYY-MM-DD/index.html
//	             a page per UTC day with a change of state or a news entry
//	archive/index.html
//	             the day pages by month, newest first, and every news entry's
//	             title (the index shows the newest [NewsShown])
//
// A group's name and an address become a folder name each
// (lower case; anything but letters, digits, '.', '_' and '-', such as an
// IPv6 address's colons, becomes '-'), made unique with -2, -3, … where
// two make the same. Every link between the pages is relative and names
// index.html, so the site works at any path and from a folder on disk.
//
// A server page shows, as text, what the index's cells only hint at:
// every check's state, its detail and the time it took, where the vantage
// points disagree, and with a history since when it is in that state, when
// it was last up and its uptime over 30 and 365 days; then a calendar of
// every day of the history (newest month first, coloured as the timelines,
// a day without a run hatched), each day the server changed a cell of its
// own, its number a link to that day's page, the days between of one
// class one cell as wide as they are, numbered "3–9" (to the end of their
// week at most); then its changes, newest first (the newest
// [ServerChangesShown]; the older ones are on the pages their days link).
// The index's address cell links to the server page, and each cell to its
// check there (#check-<key>).
//
// A day page shows the answer the page would have given at the end of the
// day, the tables as they stood then (a word per cell, and an empty cell,
// drawn as the index's red ✘, for down, as each table's caption says;
// servers the history has in a group the config no longer lists are rows
// of their own; a column nothing checked that day is left out), the day's changes
// run by run (each run's first row has the id "changes-<time>", which the
// feed's entry of that run links) and its news. Days before the history
// began, or after the run shown, have their news only. The days come
// from one pass over the history's lines ([history.History.Lines]): their
// cost grows with the lines and the days, never with their product. The
// pages are rendered on as many goroutines as there are processors; the
// same inputs still give the same bytes, and a run that changes nothing
// leaves every day page and the archive byte for byte as they were.
//
// # Size
//
// Ten years of hourly runs of a hundred servers give thousands of day
// pages, each with a table of every server, and an index with a cell and a
// timeline per server: BenchmarkSiteTenYears builds such a site (make
// bench) and measures it. So the markup the pages repeat is lean: end tags
// HTML lets a page leave out (</td>, </th>, </tr>, </li>, </dt>, </dd>) are
// left out, attribute values that need no quotes have none, a day table's
// rows do not link (the day's changes and the index link the servers'
// pages) and its down cells are empty; a server's calendar merges the days
// without a change; the index's cells put what repeats together, their
// symbols drawn by the style sheet (each cell keeps its state in words, for
// screen readers and a page read without its style sheet).
//
// # status.json
//
// status.json is a public interface: fields are only ever added, and a
// change that would break a reader gets a new schema number.
//
//	{
//	  "schema": 1,                      // this format
//	  "verdict": "dead",                // "dead", "alive", "partial" or "unknown"
//	  "answer": "Yes.",                 // the page's word for the verdict
//	  "headline": "All protocol versions up to MSNP22 are gone",
//	  "generated": "2026-11-25T10:00:03Z", // when the run finished (UTC): a monitor can tell a stopped job by its age
//	  "started": "2026-11-25T10:00:00Z",
//	  "vantage": "github-ubuntu-latest",   // where the run was made from
//	  "groups": [                       // in page order
//	    {
//	      "name": "bn2",
//	      "title": "bn2",
//	      "checks": [                   // the table's columns, in order
//	        {"key": "msnp21", "label": "MSNP21", "scanned": true,
//	         "up": 0,                   // servers found up
//	         "total": 11}               // servers with a result (0 when not scanned)
//	      ],
//	      "servers": [
//	        {"address": "65.52.108.75", "main": true,
//	         "note": "…",               // only when the config gives one
//	         "states": {"msnp21": "rejected"}}  // check key → state
//	      ]
//	    }
//	  ]
//	}
//
// A state is one of up, rejected, foreign, refused, timeout, error, skipped
// (the check is not scanned) — the states of results.json — or none (no
// data: the run has no result for that server, e.g. one added to the config
// since). The verdict "unknown" (no main server has data) came after the
// other three: a reader should take a verdict it does not know as unknown.
// [View.Missing] counts the cells of scanned checks with no data.
//
// # History
//
// [Options.History] is what earlier runs saw (a [history.History], only read).
// It is shown as of the run's time, Results.Finished, never the clock, so
// the same inputs give the same bytes. When it is nil the page has none of
// the following; with it:
//
//   - every scanned cell's server page says since when it has been in its
//     state ("since its first check, …" when it never changed), its uptime
//     over the last 30 and 365 days, and when it was last up ("never seen
//     up") ([CellHistory]). Uptime is the share of the time checked:
//     a day without a run is no data, counted neither as up nor as down,
//     and a window with no checked time says so rather than 0% or 100%
//     (figures are never rounded to 0% or 100% unless exact). When the
//     history lags the results (a render of a run it has not recorded) the
//     cell says so instead of borrowing another state's "since".
//   - each row gets a timeline of the last 90 UTC days as inline SVG, a
//     stripe a day, consecutive equal days merged into one segment: up all the
//     checked time, partly up, down, or no data (a thin grey line, never
//     green or red). A row follows its scanned MSNP columns, the best of
//     them each day (one of them up all day makes the day up); a group
//     without MSNP checks, its scanned columns. A day one of those columns
//     changed gets a mark under it, a link to the day's page. Its
//     aria-label sums it up in words; the column's header says its dates
//     and what it follows.
//   - "Recent changes" (#changes) lists the newest [ChangesShown] changes
//     of state, newest first; feed.xml gets one entry per run that changed
//     something (the newest [FeedChangeRuns]), with the id
//     <url>#changes-YYYYMMDDTHHMMSSZ, which never changes.
//   - the page loads its one script, stale.js of the site, which its CSP
//     allows (script-src 'self', on the index only): it adds "(N minutes
//     ago)" to the time of the last run and, when that is more than
//     [StaleAfter] old, reveals a notice that the hourly job may have
//     stopped. Without JavaScript the page is complete; the time of the
//     last run is always there.
//
// A cell whose vantage points disagree (probe.Result.Disagree) is starred,
// with history or without, its screen-reader text and its server page say
// who saw what, and the legend explains the star.
package render
