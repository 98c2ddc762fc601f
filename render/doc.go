// Package render turns a probe run into the static site of "Is MSN dead yet?".
//
// [Build] makes the view model from [Options]: the verdict (from the cells
// with data only), a headline and a table per group. [Render] runs the
// templates over it and returns the site's files in memory, the same bytes
// for the same inputs; [WriteFiles] writes them beside the site's folder and
// swaps them in whole, in a folder [CheckSiteDir] accepts.
//
// Everything from a server, the config or a news file is escaped by
// html/template, which writes every page. [Markdown] is CommonMark with GFM
// tables, strikethrough and autolinks; raw HTML comes out as text and links
// keep only http, https, mailto or relative destinations. status.json is
// [Status]; its fields are only ever added.
package render
