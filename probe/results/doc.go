// Package results reads and writes results.json, what one probe run found,
// merges the results of several vantage points, and prints their summary.
// The types are package probe's: one [probe.Result] per (group, server, check).
//
// [Write] replaces a file atomically and [Read] reads one back. The file holds
// one result a line, so that a diff shows what changed:
//
//	{
//	  "version": 1,
//	  "started": "2026-11-25T10:00:00Z",
//	  "finished": "2026-11-25T10:00:03Z",
//	  "vantage": "github-ubuntu-latest",
//	  "results": [
//	    {"group":"bn2","address":"65.52.108.75","check":"msnp21","state":"rejected","ms":41,"attempts":1,"detail":"VER 1 0"}
//	  ]
//	}
//
// Reading is strict: the file is a regular file (not a link) of at most
// [MaxSize], a field name matches exactly and once, and an unknown or missing
// field, an unknown state, attempts that do not fit the state, a key listed
// twice, a vantage that [CheckVantage] refuses or text that is not one
// printable line is "path:line: what is wrong". A detail longer than
// [probe.MaxDetail] is clipped. [CheckAge] refuses results too old to record.
//
// [Merge] makes one result of what every vantage point saw of a cell: the
// best state, in the order of [probe.States] (up, rejected, foreign, refused,
// timeout, error), since an MSN server that answered one vantage point is
// alive whatever the network did to another. Where they disagree, the result
// has Disagree set and a Detail like "up from github-eu; timeout from github-us".
package results
