// Package results reads and writes results.json, what one probe run found,
// merges the results of several vantage points, and prints a summary of
// them. The types are package probe's: a [probe.Results] holds one
// [probe.Result] per (group, server, check).
//
// [Write] replaces a results file atomically, [Read] reads one back, strictly,
// [Merge] merges several into one, and [WriteSummary] prints the counts that
// "deadyet probe" and "deadyet build" show.
//
// # The file
//
// results.json is written one result a line, so that a diff shows what
// changed and an error names the line of the result it is about:
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
// The same results give the same bytes. Reading is strict: an unknown,
// repeated or missing field, another version, no start time or a finish
// before it, an unknown state, a negative "ms", attempts that do not fit the
// state (none when skipped, at least one otherwise, at most
// [probe.MaxAttempts]), a (group, address, check) listed twice, or a group,
// address, check, vantage or detail that is not one line of printable text
// is an error
// "path:line: what is wrong", with the line of the result it is about. A
// detail is at most [probe.MaxDetail] bytes: a longer one is clipped, when
// written and when read.
//
// # Merging
//
// The hourly workflow may probe from more than one place; each place writes a
// results.json with its own "vantage". A server is as alive as the best any
// vantage point saw: if one place negotiated MSNP21 with it, an MSN server
// answered that version, and a timeout elsewhere says more about the network
// in between. So the merged state is the first of
//
//	up, rejected, foreign, refused, timeout, error
//
// that any vantage point reported: the states ranked by how much of an MSN
// server showed itself (that is the order of [probe.States]). "rejected"
// outranks "foreign" because only an MSN server can reject a version, while
// anything on the path can answer in a foreign way. Skipped comes from the
// config, which every vantage point shares: a key skipped by one and probed by
// another is an error.
//
// When the vantage points disagree, the merged result has Disagree set and a
// Detail naming them, best state first:
//
//	up from github-eu; timeout from github-us, github-asia
//
// Its MS and Attempts are those of the first vantage point (in input order)
// that saw the merged state; when they agree, so is its Detail.
package results
