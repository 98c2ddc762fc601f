// Package results reads and writes results.json, what one probe run found
// (one [probe.Result] per group, server and check), merges the results of
// several vantage points and prints their summary. The file holds one result
// a line, so that a diff shows what changed:
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
// [Read] is strict: names match exactly and once, and what is wrong is one
// error "path:line: what is wrong". [Merge] keeps the best state any vantage
// point saw, since a server that answered one is alive.
package results
