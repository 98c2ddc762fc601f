// Package render turns a probe run into the static site of "Is MSN dead yet?".
//
// [Build] makes the view model from [Options]: the checks and groups of a
// probe.Config, the page text of a [Page], one probe.Results and the news
// entries. It computes the verdict ([Dead] when no server answers any
// scanned MSNP version, [Alive] when a main server answers one, [Partial] in
// between), a one-line headline ("MSNP21 still answers in bn2, but no main
// server does"; when dead, "All protocol versions up to MSNP22 are gone"),
// and one table per group with a cell per (server, check) and counts per
// column. [Render] runs the templates of package templates over it and
// returns the files of the site; [WriteSite] writes them to a folder,
// atomically: a new folder is renamed into place, and a failed render or
// write leaves the old site untouched. It replaces only a folder that
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
// [LoadNews] reads the news log (package deadyet/render/news owns it, and
// LoadNews is its Load): one Markdown file per entry, named
// YYYY-MM-DD-slug.md, with an optional TOML front matter between two lines
// "+++" (keys title and date; the date must be the file name's). It refuses
// what would never show (a dated file not ending in .md, entries in a
// subfolder), control characters, YAML front matter, and entries that are
// symbolic links, which could publish any file of the machine that renders
// the site. Its error lists every problem of every file, one
// "file:line: message" each. [CheckNewsDates] refuses entries dated more
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
//	favicon.svg  from package static
//
// # status.json
//
// status.json is a public interface: fields are only ever added, and a
// change that would break a reader gets a new schema number.
//
//	{
//	  "schema": 1,                      // this format
//	  "verdict": "dead",                // "dead", "alive" or "partial"
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
// (the check is not scanned) — the states of results.json — or none (the
// run has no result for that server, e.g. one added to the config since).
//
// # History
//
// [Options.History] is what earlier runs saw (a [history.History], only read).
// It is shown as of the run's time, Results.Finished, never the clock, so
// the same inputs give the same bytes. When it is nil the page has none of
// the following; with it:
//
//   - every scanned cell's tooltip and screen-reader text add since when it
//     has been in its state ("since its first check, …" when it never
//     changed), its uptime over the last 30 and 365 days, and when it was
//     last up ("never seen up"). Uptime is the share of the time checked:
//     a day without a run is no data, counted neither as up nor as down,
//     and a window with no checked time says so rather than 0% or 100%
//     (figures are never rounded to 0% or 100% unless exact). When the
//     history lags the results (a render of a run it has not recorded) the
//     cell says so instead of borrowing another state's "since".
//   - each row gets a timeline of the last 90 UTC days as inline SVG, a
//     stripe a day, consecutive equal days merged into one rect: up all the
//     checked time, partly up, down, or no data (a thin grey line, never
//     green or red). A row follows its scanned MSNP columns, the best of
//     them each day (one of them up all day makes the day up); a group
//     without MSNP checks, its scanned columns. Its title and aria-label
//     sum it up in words.
//   - "Recent changes" (#changes) lists the newest [ChangesShown] changes
//     of state, newest first; feed.xml gets one entry per run that changed
//     something (the newest [FeedChangeRuns]), with the id
//     <url>#changes-YYYYMMDDTHHMMSSZ, which never changes.
//   - the page carries its one script, allowed by its hash in the CSP: it
//     adds "(N minutes ago)" to the time of the last run and, when that is
//     more than [StaleAfter] old, reveals a notice that the hourly job may
//     have stopped. Without JavaScript the page is complete; the time of
//     the last run is always there.
//
// A cell whose vantage points disagree (probe.Result.Disagree) is starred,
// with history or without, its tooltip and screen-reader text say who saw
// what, and the legend explains the star.
package render
