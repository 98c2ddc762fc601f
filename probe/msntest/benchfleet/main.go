// Command benchfleet measures the probe against large simulated fleets on
// loopback: how long a run takes, how much memory the probe needs, and how
// many connections and TLS handshakes each server sees. It prints each
// figure against its goal.
//
//	go run ./probe/msntest/benchfleet                # every scenario (make bench)
//	go run ./probe/msntest/benchfleet -n 1000 -base 127.0.40.1 -scenarios direct,https
//
// Each scenario starts its fleet of msntest servers in this process (from
// -base onwards, one address per server), then runs the probe in a child
// process (this program again, with -child, given the probe.Config on its
// standard input), so that the child's wall time and peak resident memory
// (VmHWM) are the probe's alone. The fleet is closed before the next
// scenario, so that descriptors never run short.
//
// Scenarios:
//
//	direct    -n servers × 3 versions, MSNP on its own port, all answer
//	http      the same through the HTTP gateway
//	https     the same through the HTTPS gateway
//	silent    -n servers that accept and never answer; timeout 1s, 1 attempt
//	shipped   200 silent servers asked the checks of site.toml's first group,
//	          with its [probe] timeout, attempts and concurrency (the
//	          addresses are the fleet's: nothing leaves loopback)
//	historic  200 servers × 3 versions via HTTPS, asked the historic page's
//	          way, then by `deadyet probe` (-deadyet), on the same servers
//	floor     this machine's floor for direct, https and historic: the
//	          same connections, handshakes and exchanges between bare Go
//	          servers and a bare Go client (see floor.go)
//
// The CPU-bound scenarios (direct, http, https, historic's deadyet probe,
// floor) run -runs times (3) against the same servers, and show the
// median run's figures with every run's wall time; silent and shipped,
// whose figures are timeouts, run once.
//
// The historic page spawned a process per address, 50 ms apart, each
// checking its address with one curl per check (a POST of "VER 1 MSNPxx
// CVR0" to the gateway, 10 s timeout); the scenario does the same with the
// system's curl, and times `deadyet probe` from its start to its exit,
// reading the config and writing results.json included.
//
// Every result must be what the scenario's servers warrant (up, or timeout
// for silent ones), else the scenario fails and so does the program. A
// figure that misses its goal is marked MISSED but fails nothing: the
// figures depend on the machine.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

var (
	n           = flag.Int("n", 10000, "servers in the direct, http, https and silent fleets")
	small       = flag.Int("small", 200, "servers in the shipped and historic fleets")
	base        = flag.String("base", "127.1.0.1", "first address of every fleet")
	scenarios   = flag.String("scenarios", "direct,http,https,silent,shipped,historic,floor", "scenarios to run, comma-separated")
	runs        = flag.Int("runs", 3, "runs of the probe in the direct, http and https scenarios, and of deadyet probe in historic, each against the same fleet; the median run's figures are shown")
	concurrency = flag.Int("concurrency", probe.DefaultConcurrency, "servers asked at once (direct, http, https)")
	siteTOML    = flag.String("config", "site.toml", "the shipped config, for its [probe] settings and checks (shipped, historic)")
	deadyet     = flag.String("deadyet", "bin/deadyet", "the deadyet binary (historic)")
	profile     = flag.String("cpuprofile", "", "write CPU profiles of each scenario: the probe's to FILE.<scenario>, the fleet's to FILE.<scenario>.fleet")

	child      = flag.Bool("child", false, "run the probe on the probe.Config (JSON) on standard input (internal: the parent starts this)")
	childFloor = flag.Bool("child-floor", false, "run the floor's client on the job (JSON) on standard input (internal)")
)

// report is what the child tells the parent.
type report struct {
	WallMS   int64                  `json:"wall_ms"`
	HWMKiB   int64                  `json:"hwm_kib"`
	States   map[probe.State]int    `json:"states"`
	Examples map[probe.State]string `json:"examples"`
}

// outcome is a scenario's figures.
type outcome struct {
	line  string        // the scenario's row
	wall  time.Duration // the probe's
	hwm   int64         // the probe's peak memory, KiB
	ratio float64       // historic: the historic method's wall ÷ deadyet's
	cpu   string        // floor: the CPU times
}

func main() {
	flag.Parse()
	if *childFloor {
		if err := runFloorChild(); err != nil {
			fmt.Fprintln(os.Stderr, "benchfleet floor child:", err)
			os.Exit(1)
		}
		return
	}
	if *child {
		if err := runChild(); err != nil {
			fmt.Fprintln(os.Stderr, "benchfleet child:", err)
			os.Exit(1)
		}
		return
	}
	if err := runParent(); err != nil {
		fmt.Fprintln(os.Stderr, "benchfleet:", err)
		os.Exit(1)
	}
}

func runParent() error {
	raiseFileLimit()
	// The fleet holds a goroutine per listener; collecting less often keeps
	// its share of the CPUs, which the probe needs, small. The child keeps
	// the default.
	debug.SetGCPercent(400)
	fmt.Printf("benchfleet: fleets from %s, %d CPUs, %s\n", *base, runtime.NumCPU(), runtime.Version())
	got := map[string]outcome{}
	var failed []string
	for _, name := range strings.Split(*scenarios, ",") {
		run, ok := scenarioFuncs[name]
		if !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		o, err := run()
		if err != nil {
			fmt.Printf("%-8s FAILED: %v\n", name, err)
			failed = append(failed, name)
			continue
		}
		fmt.Println(o.line)
		got[name] = o
	}
	fmt.Println()
	fmt.Println("The probe runs in a child process: wall is its probe.Run, CPU its user+system time (and the")
	fmt.Println("fleet's, this process's, meanwhile), memory its VmHWM; the fleet's servers share the CPUs.")
	fmt.Printf("Wall times are the median of -runs %d (each against the same fleet; historic: of deadyet probe,\n", *runs)
	fmt.Println("start to exit). The floor is this machine's: bare Go servers and a bare Go client with the same")
	fmt.Println("traffic, no probe, no simulator logic; a goal under its floor cannot be met on this machine.")
	fmt.Println("Against the goals:")
	goals(got)
	fmt.Printf("  (fleet process, all scenarios' servers, one fleet at a time: peak RSS %d MiB)\n", hwmKiB()/1024)
	if len(failed) > 0 {
		return fmt.Errorf("scenarios failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

var scenarioFuncs = map[string]func() (outcome, error){
	"direct":   func() (outcome, error) { return versions("direct", probe.Direct) },
	"http":     func() (outcome, error) { return versions("http", probe.HTTP) },
	"https":    func() (outcome, error) { return versions("https", probe.HTTPS) },
	"silent":   silent,
	"shipped":  shipped,
	"historic": historic,
	"floor":    floor,
}

// goals prints each figure measured against its goal.
func goals(got map[string]outcome) {
	mark := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "MISSED"
	}
	_, okf := got["floor"]
	d, okd := got["direct"]
	if h, ok := got["https"]; ok && okd {
		r := h.wall.Seconds() / d.wall.Seconds()
		fmt.Printf("  HTTPS gateway ÷ direct, %d servers × 3: %.2f× (%.2f s ÷ %.2f s); goal ≤ 1.3×: %s\n",
			*n, r, h.wall.Seconds(), d.wall.Seconds(), mark(r <= 1.3))
		if okf {
			fmt.Printf("    floor here: bare TLS ÷ bare TCP, the same traffic: %.2f× (%.2f s ÷ %.2f s)\n",
				floorTLS.Seconds()/floorTCP.Seconds(), floorTLS.Seconds(), floorTCP.Seconds())
		}
	}
	if okd {
		fmt.Printf("  direct, %d servers × 3: %.2f s, %d MiB; goal < 1.5 s and < 200 MiB: %s\n",
			*n, d.wall.Seconds(), d.hwm/1024, mark(d.wall < 1500*time.Millisecond && d.hwm < 200*1024))
		if okf {
			fmt.Printf("    floor here: bare TCP, the same connections and lines: %.2f s\n", floorTCP.Seconds())
		}
	}
	if s, ok := got["shipped"]; ok {
		fmt.Printf("  %s's [probe] against %d silent servers: %.2f s; goal ≤ timeout × attempts + 1 s = %s: %s\n",
			*siteTOML, *small, s.wall.Seconds(), shippedGoal, mark(s.wall <= shippedGoal))
	}
	if h, ok := got["historic"]; ok {
		fmt.Printf("  the historic method ÷ deadyet probe, %d servers × 3 via HTTPS: %.0f× (%.2f s ÷ %.3f s); goal ≥ 100×: %s\n",
			*small, h.ratio, h.ratio*h.wall.Seconds(), h.wall.Seconds(), mark(h.ratio >= 100))
		if okf {
			fmt.Printf("    floor here: bare TLS to the same %d servers, without a process to start, a config to read or a file to write: %.3f s\n",
				*small, floorSmallTLS.Seconds())
		}
	}
}

// shippedGoal is set by the shipped scenario: its config's timeout ×
// attempts + 1 s.
var shippedGoal time.Duration

var msnpVersions = []string{"MSNP18", "MSNP21", "MSNP22"}

// versions asks -n answering servers the three versions through via.
func versions(name string, via probe.Via) (outcome, error) {
	ports := msntest.Ports{Direct: msntest.Off, HTTP: msntest.Off, HTTPS: msntest.Off}
	switch via {
	case probe.Direct:
		ports.Direct = 0
	case probe.HTTP:
		ports.HTTP = 0
	case probe.HTTPS:
		ports.HTTPS = 0
	}
	fleet, err := msntest.StartFleet(*base, ports, []msntest.Spec{{Count: *n, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}})
	if err != nil {
		return outcome{}, err
	}
	defer fleet.Close()
	port := map[probe.Via]int{probe.Direct: fleet.Ports.Direct, probe.HTTP: fleet.Ports.HTTP, probe.HTTPS: fleet.Ports.HTTPS}[via]
	cfg := probe.Config{Timeout: 3 * time.Second, Attempts: 1, Concurrency: *concurrency, Checks: map[string]probe.Check{}}
	var keys []string
	for _, v := range msnpVersions {
		k := strings.ToLower(v)
		cfg.Checks[k] = probe.Check{Kind: probe.MSNP, Version: v, Via: via, Port: port, Scan: true}
		keys = append(keys, k)
	}
	cfg.Groups = []probe.Group{{Name: "bench", Checks: keys, Servers: servers(fleet)}}
	return probeFleet(name, fleet, cfg, probe.Up, *runs)
}

// silent asks -n silent servers one check each.
func silent() (outcome, error) {
	fleet, err := msntest.StartFleet(*base, msntest.Ports{HTTP: msntest.Off, HTTPS: msntest.Off},
		[]msntest.Spec{{Count: *n, Behavior: msntest.Behavior{Kind: msntest.Silent}}})
	if err != nil {
		return outcome{}, err
	}
	defer fleet.Close()
	cfg := probe.Config{Timeout: time.Second, Attempts: 1, Concurrency: *n,
		Checks: map[string]probe.Check{"msnp21": {Kind: probe.MSNP, Version: "MSNP21", Port: fleet.Ports.Direct, Scan: true}},
		Groups: []probe.Group{{Name: "bench", Checks: []string{"msnp21"}, Servers: servers(fleet)}}}
	return probeFleet("silent", fleet, cfg, probe.Timeout, 1) // a timeout-bound figure: one run
}

// shipped asks silent servers the checks of the shipped config's first
// group, with its [probe] settings.
func shipped() (outcome, error) {
	sc, err := readShipped(*siteTOML)
	if err != nil {
		return outcome{}, err
	}
	fleet, err := msntest.StartFleet(*base, msntest.Ports{}, []msntest.Spec{{Count: *small, Behavior: msntest.Behavior{Kind: msntest.Silent}}})
	if err != nil {
		return outcome{}, err
	}
	defer fleet.Close()
	cfg, err := sc.config(fleet)
	if err != nil {
		return outcome{}, err
	}
	shippedGoal = cfg.Timeout*time.Duration(cfg.Attempts) + time.Second
	// A silent server takes the connection (the kernel does) and never
	// says a word: tcp is up, msnp times out.
	want := map[string]probe.State{}
	for k, c := range cfg.Checks {
		want[k] = probe.Timeout
		if c.Kind == probe.TCP {
			want[k] = probe.Up
		}
	}
	rep, wall, cpu, err := runProbe("shipped", cfg)
	if err != nil {
		return outcome{}, err
	}
	total := 0
	for _, k := range cfg.Groups[0].Checks {
		if cfg.Checks[k].Scan {
			total++
		}
	}
	if rep.States[probe.Up]+rep.States[probe.Timeout] != total*len(fleet.Servers) {
		return outcome{}, fmt.Errorf("states %v; e.g. %v", rep.States, rep.Examples)
	}
	return outcome{
		line: fmt.Sprintf("%-8s %6d checks (%d silent servers; timeout %s, %d attempts, concurrency %d from %s): wall %5.2f s, probe CPU %5.2f s, peak memory %3d MiB",
			"shipped", total*len(fleet.Servers), len(fleet.Servers), cfg.Timeout, cfg.Attempts, cfg.Concurrency, *siteTOML,
			wall.Seconds(), cpu.Seconds(), rep.HWMKiB/1024),
		wall: wall, hwm: rep.HWMKiB,
	}, nil
}

// probeFleet runs the probe on cfg in a child, times times against the
// same fleet, and checks that every result is want. Its figures are the
// median run's (by wall time); the connections and handshakes per server
// are the average of the runs.
func probeFleet(name string, fleet *msntest.Fleet, cfg probe.Config, want probe.State, times int) (outcome, error) {
	type run struct {
		rep       report
		wall, cpu time.Duration
		fleet     time.Duration
	}
	var all []run
	conns0, handshakes0 := fleetCounts(fleet)
	for range max(times, 1) {
		rep, wall, cpu, err := runProbe(name, cfg)
		if err != nil {
			return outcome{}, err
		}
		total := len(fleet.Servers) * len(cfg.Groups[0].Checks)
		if rep.States[want] != total {
			return outcome{}, fmt.Errorf("%d of %d checks %s; states %v; e.g. %v", rep.States[want], total, want, rep.States, rep.Examples)
		}
		all = append(all, run{rep, wall, cpu, fleetCPU})
	}
	conns1, handshakes1 := fleetCounts(fleet)
	walls := make([]time.Duration, len(all))
	for i, r := range all {
		walls[i] = r.wall
	}
	slices.SortStableFunc(all, func(a, b run) int { return cmp.Compare(a.wall, b.wall) })
	m := all[len(all)/2]
	perServer := float64(len(fleet.Servers) * len(all))
	total := len(fleet.Servers) * len(cfg.Groups[0].Checks)
	return outcome{
		line: fmt.Sprintf("%-8s %6d checks %-7s (concurrency %5d, timeout %s): wall %5.2f s%s, %6.0f checks/s, CPU probe %5.2f s + fleet %5.2f s, peak memory %3d MiB; per server %.2f connections, %.2f TLS handshakes",
			name, total, want, cfg.Concurrency, cfg.Timeout, m.wall.Seconds(), medianOf(walls, 2), float64(total)/m.wall.Seconds(), m.cpu.Seconds(), m.fleet.Seconds(), m.rep.HWMKiB/1024,
			float64(conns1-conns0)/perServer, float64(handshakes1-handshakes0)/perServer),
		wall: m.wall, hwm: m.rep.HWMKiB,
	}, nil
}

// medianOf says which runs a median came from: "" for one run, else
// " (median of 3: 2.31 2.40 2.95)", in the order they ran, in seconds
// with digits decimals.
func medianOf(walls []time.Duration, digits int) string {
	if len(walls) < 2 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, " (median of %d:", len(walls))
	for _, w := range walls {
		fmt.Fprintf(&b, " %.*f", digits, w.Seconds())
	}
	b.WriteString(")")
	return b.String()
}

func fleetCounts(f *msntest.Fleet) (conns, handshakes int64) {
	for _, s := range f.Servers {
		conns += s.Accepted()
		handshakes += s.Handshakes()
	}
	return conns, handshakes
}

// runProbe runs the probe on cfg in a child process: its report, its
// probe.Run's wall time and its CPU time. It notes the fleet's CPU time
// meanwhile (this process's) in fleetCPU.
func runProbe(name string, cfg probe.Config) (report, time.Duration, time.Duration, error) {
	before := selfCPU()
	defer func() { fleetCPU = selfCPU() - before }()
	self, err := os.Executable()
	if err != nil {
		return report{}, 0, 0, err
	}
	in, err := json.Marshal(cfg)
	if err != nil {
		return report{}, 0, 0, err
	}
	args := []string{"-child"}
	if *profile != "" {
		args = append(args, "-cpuprofile", *profile+"."+name)
		stop, err := startProfile(*profile + "." + name + ".fleet")
		if err != nil {
			return report{}, 0, 0, err
		}
		defer stop()
	}
	cmd := exec.Command(self, args...)
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return report{}, 0, 0, fmt.Errorf("child: %w", err)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		return report{}, 0, 0, fmt.Errorf("child said %q: %w", out, err)
	}
	return rep, time.Duration(rep.WallMS) * time.Millisecond, cpu, nil
}

// fleetCPU is the CPU time this process, the fleet, spent during the last
// runProbe.
var fleetCPU time.Duration

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func servers(f *msntest.Fleet) []probe.Server {
	var out []probe.Server
	for _, a := range f.Addresses() {
		out = append(out, probe.Server{Address: a})
	}
	return out
}

func runChild() error {
	raiseFileLimit()
	var cfg probe.Config
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		return fmt.Errorf("config on standard input: %w", err)
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	start := time.Now()
	res, err := probe.Run(context.Background(), cfg)
	wall := time.Since(start)
	if err != nil {
		return err
	}
	rep := report{WallMS: wall.Milliseconds(), HWMKiB: hwmKiB(), States: map[probe.State]int{}, Examples: map[probe.State]string{}}
	for _, r := range res.Results {
		rep.States[r.State]++
		if _, ok := rep.Examples[r.State]; !ok {
			rep.Examples[r.State] = r.String()
		}
	}
	return json.NewEncoder(os.Stdout).Encode(rep)
}

// shippedConfig is what the shipped and historic scenarios read of
// site.toml: the [probe] settings and the checks, and the first group's
// list of checks. The rest (the page, the addresses) is left unread.
type shippedConfig struct {
	Probe struct {
		Timeout     string
		Attempts    int
		Concurrency int
	}
	Checks map[string]struct {
		Kind    string
		Port    int
		Version string
		Via     string
		Scan    *bool
	}
	Group []struct {
		Checks []string
	}
}

func readShipped(path string) (shippedConfig, error) {
	var sc shippedConfig
	if _, err := toml.DecodeFile(path, &sc); err != nil {
		return sc, fmt.Errorf("read %s: %w", path, err)
	}
	if len(sc.Group) == 0 {
		return sc, fmt.Errorf("%s: no [[group]]", path)
	}
	return sc, nil
}

// settings are the [probe] settings, with the probe's defaults.
func (sc shippedConfig) settings() (probe.Config, error) {
	cfg := probe.Config{Timeout: probe.DefaultTimeout, Attempts: probe.DefaultAttempts, Concurrency: probe.DefaultConcurrency}
	if sc.Probe.Timeout != "" {
		d, err := time.ParseDuration(sc.Probe.Timeout)
		if err != nil {
			return cfg, fmt.Errorf("%s: [probe] timeout: %w", *siteTOML, err)
		}
		cfg.Timeout = d
	}
	if sc.Probe.Attempts > 0 {
		cfg.Attempts = sc.Probe.Attempts
	}
	if sc.Probe.Concurrency > 0 {
		cfg.Concurrency = sc.Probe.Concurrency
	}
	return cfg, nil
}

// config is the [probe] settings and the first group's checks, asked of
// the fleet: ports 80, 443 and 1863 become the fleet's HTTP, HTTPS and
// direct ones.
func (sc shippedConfig) config(f *msntest.Fleet) (probe.Config, error) {
	cfg, err := sc.settings()
	if err != nil {
		return cfg, err
	}
	cfg.Checks = map[string]probe.Check{}
	for _, key := range sc.Group[0].Checks {
		c, ok := sc.Checks[key]
		if !ok {
			return cfg, fmt.Errorf("%s: check %q is not defined", *siteTOML, key)
		}
		pc := probe.Check{Kind: probe.Kind(c.Kind), Port: c.Port, Version: c.Version, Via: probe.Via(c.Via), Scan: c.Scan == nil || *c.Scan}
		if pc.Kind == probe.MSNP && pc.Via == "" {
			pc.Via = probe.Direct
		}
		switch pc.EffectivePort() {
		case 80:
			pc.Port = f.Ports.HTTP
		case 443:
			pc.Port = f.Ports.HTTPS
		case 1863:
			pc.Port = f.Ports.Direct
		default:
			return cfg, fmt.Errorf("%s: check %q: port %d is none of 80, 443, 1863, which the fleet has", *siteTOML, key, pc.EffectivePort())
		}
		cfg.Checks[key] = pc
	}
	cfg.Groups = []probe.Group{{Name: "bench", Checks: sc.Group[0].Checks, Servers: servers(f)}}
	return cfg, nil
}

// historic asks servers the three versions via HTTPS the historic page's
// way (a process per address, 50 ms apart, one curl per check), then with
// deadyet probe, and compares the two wall times.
func historic() (outcome, error) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		return outcome{}, errors.New("no curl on the PATH: apt-get install -y curl")
	}
	bin, err := filepath.Abs(*deadyet)
	if err != nil {
		return outcome{}, err
	}
	if _, err := os.Stat(bin); err != nil {
		return outcome{}, fmt.Errorf("no deadyet binary (make build): %w", err)
	}
	sc, err := readShipped(*siteTOML)
	if err != nil {
		return outcome{}, err
	}
	cfg, err := sc.settings()
	if err != nil {
		return outcome{}, err
	}
	fleet, err := msntest.StartFleet(*base, msntest.Ports{Direct: msntest.Off, HTTP: msntest.Off},
		[]msntest.Spec{{Count: *small, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}}})
	if err != nil {
		return outcome{}, err
	}
	defer fleet.Close()

	// The historic way.
	const apart, curlTimeout = 50 * time.Millisecond, 10 * time.Second
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	for i, addr := range fleet.Addresses() {
		wg.Go(func() {
			time.Sleep(time.Until(start.Add(time.Duration(i) * apart)))
			for _, v := range msnpVersions {
				url := "https://" + net.JoinHostPort(addr, strconv.Itoa(fleet.Ports.HTTPS)) + "/gateway/gateway.dll?Action=open&Server=NS&IP=" + addr
				var stderr bytes.Buffer
				cmd := exec.Command(curl, "-skS", "--max-time", strconv.Itoa(int(curlTimeout.Seconds())),
					"-H", "Content-Type: application/x-msn-messenger", "--data-binary", "VER 1 "+v+" CVR0\r\n", url)
				cmd.Stderr = &stderr
				out, err := cmd.Output()
				if err != nil || !bytes.HasPrefix(out, []byte("VER 1 "+v+" ")) {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("%s %s: %q %v %q", addr, v, out, err, bytes.TrimSpace(stderr.Bytes())))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	oldWall := time.Since(start)
	if len(bad) > 0 {
		return outcome{}, fmt.Errorf("the historic method: %d of %d checks not up:\n\t%s", len(bad), 3*len(fleet.Servers), strings.Join(bad, "\n\t"))
	}

	// deadyet probe, from its start to its exit.
	dir, err := os.MkdirTemp("", "benchfleet-")
	if err != nil {
		return outcome{}, err
	}
	defer os.RemoveAll(dir)
	var b strings.Builder
	fmt.Fprintf(&b, "[probe]\ntimeout = %q\nattempts = %d\nconcurrency = %d\n\n", cfg.Timeout, cfg.Attempts, cfg.Concurrency)
	for _, v := range msnpVersions {
		fmt.Fprintf(&b, "[checks.%s]\nkind = \"msnp\"\nversion = %q\nvia = \"https\"\nport = %d\n\n", strings.ToLower(v), v, fleet.Ports.HTTPS)
	}
	b.WriteString("[[group]]\nname = \"bench\"\nchecks = [\"msnp18\", \"msnp21\", \"msnp22\"]\nservers = [\n")
	for _, a := range fleet.Addresses() {
		fmt.Fprintf(&b, "  { address = %q },\n", a)
	}
	b.WriteString("]\n")
	config, results := filepath.Join(dir, "site.toml"), filepath.Join(dir, "results.json")
	if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
		return outcome{}, err
	}
	// As many times as -runs says, against the same servers; the median
	// counts. (The historic method's time is its schedule: 50 ms apart.)
	var walls []time.Duration
	var hs int64
	for range max(*runs, 1) {
		os.Remove(results)
		before := handshakes(fleet)
		cmd := exec.Command(bin, "probe", "--config", config, "--out", results)
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return outcome{}, fmt.Errorf("deadyet probe: %w", err)
		}
		walls = append(walls, time.Since(start))
		hs = handshakes(fleet) - before
		data, err := os.ReadFile(results)
		if err != nil {
			return outcome{}, err
		}
		var res probe.Results
		if err := json.Unmarshal(data, &res); err != nil {
			return outcome{}, fmt.Errorf("%s: %w", results, err)
		}
		up := 0
		for _, r := range res.Results {
			if r.State == probe.Up {
				up++
			}
		}
		if up != 3*len(fleet.Servers) {
			return outcome{}, fmt.Errorf("deadyet probe: %d of %d checks up", up, 3*len(fleet.Servers))
		}
	}
	sorted := slices.Clone(walls)
	slices.Sort(sorted)
	newWall := sorted[len(sorted)/2]
	ratio := oldWall.Seconds() / newWall.Seconds()
	return outcome{
		line: fmt.Sprintf("%-8s %6d checks up via HTTPS (%d servers): a process per address %s apart, one curl a check: %5.2f s; deadyet probe (start to exit; %d TLS handshakes): %5.3f s%s; %.0f× faster",
			"historic", 3*len(fleet.Servers), len(fleet.Servers), apart, oldWall.Seconds(), hs, newWall.Seconds(), medianOf(walls, 3), ratio),
		wall: newWall, ratio: ratio,
	}, nil
}

func handshakes(f *msntest.Fleet) int64 {
	var n int64
	for _, s := range f.Servers {
		n += s.Handshakes()
	}
	return n
}

// raiseFileLimit lifts the soft limit on open files to the hard one: the
// fleet holds a listener per server, the probe a socket per check in flight.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// hwmKiB is this process's peak resident memory, from /proc/self/status.
func hwmKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range bytes.Lines(data) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kib, _ := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			return kib
		}
	}
	return -1
}
