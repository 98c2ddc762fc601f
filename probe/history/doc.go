// Package history keeps history.jsonl, the record of what probe runs saw, and
// reads it back as of any time: each (group, address, check) key's state and
// since when, its uptime over 30 and 365 days and by day, the recent changes.
//
// [Read] loads a folder's history, [History.Record] adds what a run changed,
// [History.Write] replaces the files atomically, and [History.Stats],
// [History.Span] and [History.Recent] are what the page shows.
//
// The file is an append-only log, one JSON object a line, in time order:
//
//	{"t":"2026-11-25T10:00:03Z","heartbeat":true}
//	{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"65.52.108.75","check":"msnp21","from":"","to":"timeout","detail":"no answer in 3s"}
//
// A run adds a transition for each key whose state changed ("from" is "" at
// its first sighting; a key that leaves the results goes to "skipped"), and
// the first run of each UTC day adds a heartbeat first, so a day without a
// line had no run. A quiet run leaves the file byte for byte the same, and
// writes its time to last-run ([LastRunFile]) only: a run older than
// [History.LastRun] is refused ([*StaleError]).
//
// Reading is strict: the file is a regular file (not a link) of at most
// [MaxSize], field names match exactly and once, and a bad line, a time
// before [Floor] or that goes backwards, or a "from" that is not the key's
// last state is a [*ParseError] "path:line: what is wrong". A detail is shown
// through [probe.CleanDetail]. [ReadAt] also refuses a time after the clock.
// [Trim] ("deadyet history trim") is the repair a wrong clock calls for.
//
// Uptime counts only covered days, those with a line at or before now: up
// time over known time, where a key is known from its first sighting on, in
// any state but skipped; with no known time it is no data, never 0 %.
package history
