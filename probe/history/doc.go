// Package history keeps history.jsonl, the record of what earlier probe runs
// saw, and reads it back as of any time: each cell's state and since when,
// its uptime over 30 and 365 days and day by day, and the recent changes.
//
// [Read] loads the history of a folder, [History.Record] adds what a run's
// results changed, and [History.Write] replaces the file atomically.
// [History.Stats], [History.Span] and [History.Recent] are what the page
// shows. The history knows nothing of the config: it follows the (group,
// address, check) [probe.Key] of each result.
//
// # The file
//
// The file history.jsonl ([FileName]), in the folder given by --history (in
// the workflow, a checkout of the status-data branch), is an append-only log,
// one JSON object a line, in time order. A run adds lines only for what
// changed:
//
//	{"t":"2026-11-25T10:00:03Z","heartbeat":true}
//	{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"65.52.108.75","check":"msnp21","from":"","to":"timeout","detail":"no answer in 3s"}
//	{"t":"2026-11-25T14:00:02Z","group":"bn2","address":"65.52.108.75","check":"msnp21","from":"timeout","to":"up","detail":"CVR answered"}
//
// The lines follow these rules:
//
//   - A transition line is written when a (group, address, check) key gets a
//     state other than the last one the history holds for it. The first
//     sighting of a key has "from":"". The detail is that of the run that saw
//     the change, clipped to [probe.MaxDetail] (200 bytes), as it is again on
//     reading; a new detail with the same state writes nothing.
//   - The first run of each UTC day writes one heartbeat line before its
//     transitions, so that a day with no line at all is known to have had no
//     run. Any other run that changes nothing writes nothing: the file stays
//     byte for byte the same.
//   - Skipped checks (scan = false) are not tracked: a key first seen skipped
//     writes nothing. A tracked key that becomes skipped, or that is no longer
//     in the results at all (its server or check left the config), gets a
//     transition to "skipped", so that the time after it counts as no data
//     rather than as its last state.
//   - "t" is the run's Finished time (Started when that is zero), in UTC,
//     to the second. A run older than the last run recorded is refused (see
//     "The last run").
//
// # The last run
//
// Next to history.jsonl, the file last-run ([LastRunFile]) holds the time of
// the newest run recorded, one line like "2026-11-25T10:00:03Z". Every run
// that records replaces it (atomically, as it does history.jsonl), a quiet
// one included, so that history.jsonl need not change for the time of a
// quiet run to be known. The last run is the later of that time and the
// history's last line ([History.LastRun]); a run older than it is refused
// ([*StaleError]), even when the newer run changed nothing, so that two runs
// recorded in either order leave the history in the state of the later. A
// run of the same second is recorded: recording one results file twice
// changes nothing. A folder without last-run (a history from before it) goes
// by the last line alone.
//
// A machine with a wrong clock could stamp a run years ahead, and every run
// after it would then be refused as older. Commands check a run's time
// against their clock before recording it ([probe.CheckTime]); [ReadAt]
// refuses a history already holding a time more than [probe.MaxClockSkew]
// after the clock, naming the line, and [Trim] ("deadyet history trim
// --history DIR --after now") is the repair: it drops the lines and the last
// run after a time, atomically.
//
// Reading is strict. A line that is empty, truncated, not a JSON object, has
// an unknown or repeated field, an unknown state, a group, address or check
// that is not printable text, a time that is not "YYYY-MM-DDTHH:MM:SSZ" or
// goes backwards, or a "from" that is not what the key's previous line left
// it in, is an error "path:line: what is wrong" ([*ParseError]); the file is
// never silently rewritten. A detail is text a server sent: it is read
// through [probe.CleanDetail], so that a control character in it (written
// escaped, like "\u001b") is shown visibly ("\x1b") and never raw on a page
// or in a feed, and one longer than [probe.MaxDetail] is clipped.
//
// # Uptime
//
// The history holds only changes, so between two lines a key is taken to be
// in the state its last line gave it. That is true only while runs happen, so
// time counts only on covered days:
//
//   - A UTC day is covered when the history has at least one line (heartbeat
//     or transition) dated that day, at or before now. The first run of each
//     day writes a heartbeat, so a covered day is one on which a run was
//     recorded, and a day with no line is one with no run: no data.
//   - A key is known at an instant x when x lies in a covered day, at or after
//     the key's first sighting and before now, and its state at x (the "to" of
//     its last line at or before x) is not skipped.
//   - Up time is known time in state up. Uptime over a window is up time
//     divided by known time within it; with no known time it is no data,
//     never 0% nor 100%.
//
// Coverage is by whole day: a day with one run counts from 00:00 to 24:00
// (or to now), its state carried in from the line before. Lines dated after
// now are ignored, so the stats of a past time can be computed.
package history
