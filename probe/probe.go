// Package probe asks MSN Messenger servers whether they still answer.
//
// A [Config] lists checks (what to ask) and groups of servers (whom to
// ask); [Run] asks them all and returns one [Result] per (group, server,
// check), in config order, each with a [State] and a short Detail saying
// why. A check opens a TCP connection, or speaks MSNP on its own port or
// through the HTTP(S) gateway: VER, CVR and, for signin, the first stage
// of USR, following XFR redirects. Every conversation ends with OUT; no
// check sends a second stage of sign-in, a ticket or a password.
package probe

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"
)

// State is what one check found. Its string is the results.json "state".
type State string

// The states a check can end in.
const (
	Up       State = "up"       // connected; the version accepted and CVR (signin: USR) answered
	Rejected State = "rejected" // an MSN server refused the version, or answered an error code
	Foreign  State = "foreign"  // something answered that is not an MSN server
	Refused  State = "refused"  // the connection was refused or reset
	Timeout  State = "timeout"  // no (complete) answer before the deadline
	Error    State = "error"    // anything else: no such host, TLS failure, a redirect loop, …
	Skipped  State = "skipped"  // the check has scan = false
)

// States lists every state, in the order the page explains them.
var States = []State{Up, Rejected, Foreign, Refused, Timeout, Error, Skipped}

// Valid reports whether s is one of [States].
func (s State) Valid() bool { return slices.Contains(States, s) }

// Kind is what a check does.
type Kind string

// The kinds of check.
const (
	TCP    Kind = "tcp"
	MSNP   Kind = "msnp"
	SignIn Kind = "signin" // msnp, then USR … I, XFRs followed
)

// Via is the transport an MSNP check uses.
type Via string

// The MSNP transports: the protocol's own port, or the HTTP(S) gateway.
const (
	Direct Via = "direct"
	HTTP   Via = "http"
	HTTPS  Via = "https"
)

// Check is one column of the status tables: what to ask each server.
type Check struct {
	Key     string // the site.toml table key; the results.json "check"
	Label   string // the column heading, e.g. "MSNP21"
	Kind    Kind
	Port    int    // tcp: required; msnp, signin: 0 means the transport's
	Version string // msnp, signin: "MSNP<n>" (signin: MSNP8 or later)
	Via     Via    // msnp, signin: Direct when empty
	Scan    bool   // false: the column stays, every cell Skipped
	About   string // markdown for the page's Reference legend
}

// EffectivePort is the port the check connects to: its own, or its
// transport's (1863, 80 for http, 443 for https).
func (c Check) EffectivePort() int {
	switch {
	case c.Port != 0 || c.Kind == TCP:
		return c.Port
	case c.Via == HTTP:
		return 80
	case c.Via == HTTPS:
		return 443
	}
	return 1863
}

// Server is one address in a group.
type Server struct {
	Address string // IP address or host name, without port
	Main    bool   // a region's main server (it redirects clients to the rest)
	Note    string // what the server was for (the Services table); optional
}

// Group is one table of the page: servers asked the same checks.
type Group struct {
	Name    string
	Title   string   // heading; Name when empty
	About   string   // markdown under the heading; optional
	Checks  []string // keys into Config.Checks, in column order
	Servers []Server
	Apart   bool // verdict = false: shown after the others, never counted in the verdict
}

// Config is everything a probe run needs.
type Config struct {
	Timeout     time.Duration // per attempt
	Attempts    int           // tries while the state is not Up
	Concurrency int           // servers asked at once (each PerServer checks at once at most)
	Account     string        // signin: the placeholder account named in USR; DefaultAccount when empty
	Checks      map[string]Check
	Groups      []Group
}

// Defaults for the [probe] table of site.toml.
const (
	DefaultTimeout     = 3 * time.Second
	DefaultAttempts    = 2
	DefaultConcurrency = 256
	DefaultAccount     = "probe@example.com" // example.com is reserved for examples (RFC 2606)
)

// Target is one server as one check sees it.
type Target struct {
	Group   string
	Address string
	Check   Check
	Account string // CVR and signin's USR name it; DefaultAccount when empty
}

// HostPort is the address the check dials.
func (t Target) HostPort() string {
	return net.JoinHostPort(t.Address, strconv.Itoa(t.Check.EffectivePort()))
}

func (t Target) account() string {
	if t.Account == "" {
		return DefaultAccount
	}
	return t.Account
}

// Result is what one check found at one server: a results.json "results" entry.
type Result struct {
	Group    string `json:"group"`
	Address  string `json:"address"`
	Check    string `json:"check"`
	State    State  `json:"state"`
	MS       int64  `json:"ms"`       // the last attempt's own time (a shared connection counts for the check that made it)
	Attempts int    `json:"attempts"` // attempts made (0 when skipped)
	Detail   string `json:"detail,omitempty"`
	Disagree bool   `json:"disagree,omitempty"` // merged: the vantage points saw different states (Detail says which)
}

// String is a one-line summary, for logs and test failures.
func (r Result) String() string {
	return fmt.Sprintf("%s %s %s: %s (%s)", r.Group, r.Address, r.Check, r.State, r.Detail)
}

// ResultsVersion is the results.json "version" that package results writes and reads.
const ResultsVersion = 1

// Results is the whole of results.json.
type Results struct {
	Version  int       `json:"version"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Vantage  string    `json:"vantage"`
	Results  []Result  `json:"results"`
}

// Key names one cell of the status tables: a check at a server of a group.
// The history tracks each key, and merging matches results by it.
type Key struct {
	Group   string
	Address string
	Check   string
}

// KeyOf is the key of a result.
func KeyOf(r Result) Key { return Key{r.Group, r.Address, r.Check} }

// String is "group address check".
func (k Key) String() string { return k.Group + " " + k.Address + " " + k.Check }
