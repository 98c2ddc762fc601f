// Package history keeps history.jsonl, an append-only log of what probe runs
// saw, one JSON object a line, in time order:
//
//	{"t":"2026-11-25T10:00:03Z","heartbeat":true}
//	{"t":"2026-11-25T10:00:03Z","group":"bn2","address":"65.52.108.75","check":"msnp21","from":"","to":"timeout","detail":"no answer in 3s"}
//
// A run adds a transition for each (group, address, check) key whose state
// changed ("from" is "" at its first sighting; a key that leaves the results
// goes to "skipped"), and the first run of each UTC day adds a heartbeat
// first, so a day without a line had no run. A quiet run writes only its time
// to [LastRunFile]. [Read] is strict and names the bad line ([*ParseError]);
// [Trim] is the repair a wrong clock calls for.
//
// Uptime counts only days with a line: up time over known time, where a key
// is known from its first sighting on, in any state but skipped; with no
// known time it is no data, never 0 %.
package history
