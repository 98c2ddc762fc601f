// Command benchfleet measures the probe against a large simulated fleet on
// loopback: how long a run takes, and how much memory the probe needs.
//
//	go run ./probe/msntest/benchfleet             # all scenarios, 10,000 servers
//	go run ./probe/msntest/benchfleet -n 1000 -scenarios direct,silent
//
// Each scenario starts its fleet of msntest servers in this process (on
// 127.1.0.1 onwards, one listener per server, for the one transport the
// scenario measures), then runs the probe in a child process (this program
// again, with -child), so that the child's wall time and peak resident
// memory (VmHWM) are the probe's alone. The fleet is closed before the
// next scenario, so that descriptors never run short: 10,000 servers on
// three transports at once would need more than the usual limit of 20,000.
//
// Scenarios:
//
//	direct  10,000 servers × 3 versions, MSNP on its own port, all answer
//	http    the same through the HTTP gateway
//	https   the same through the HTTPS gateway
//	silent  10,000 servers that accept and never answer; timeout 1s, 1 attempt
//
// Every result must be up (timeout for silent), else the scenario fails.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"deadyet/probe"
	"deadyet/probe/msntest"
)

var (
	n           = flag.Int("n", 10000, "servers in the fleet")
	base        = flag.String("base", "127.1.0.1", "first address of the fleet")
	scenarios   = flag.String("scenarios", "direct,http,https,silent", "scenarios to run, comma-separated")
	concurrency = flag.Int("concurrency", probe.DefaultConcurrency, "servers asked at once (answering scenarios)")
	profile     = flag.String("cpuprofile", "", "write CPU profiles of each scenario: the probe's to FILE.<scenario>, the fleet's to FILE.<scenario>.fleet")

	child   = flag.Bool("child", false, "run the probe (internal: the parent starts this)")
	via     = flag.String("via", "direct", "child: transport")
	port    = flag.Int("port", 0, "child: the fleet's port")
	timeout = flag.Duration("timeout", 3*time.Second, "child: timeout per attempt")
	attempt = flag.Int("attempts", 1, "child: attempts")
	nvers   = flag.Int("versions", 3, "child: checks per server (MSNP18, 21, 22)")
)

// report is what the child tells the parent.
type report struct {
	WallMS   int64                  `json:"wall_ms"`
	HWMKiB   int64                  `json:"hwm_kib"`
	States   map[probe.State]int    `json:"states"`
	Examples map[probe.State]string `json:"examples"`
}

type scenario struct {
	name        string
	via         probe.Via
	behavior    msntest.Behavior
	want        probe.State
	versions    int
	timeout     time.Duration
	concurrency int
}

func main() {
	flag.Parse()
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
	ns := msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}
	all := map[string]scenario{
		"direct": {"direct", probe.Direct, ns, probe.Up, 3, 3 * time.Second, *concurrency},
		"http":   {"http", probe.HTTP, ns, probe.Up, 3, 3 * time.Second, *concurrency},
		"https":  {"https", probe.HTTPS, ns, probe.Up, 3, 3 * time.Second, *concurrency},
		"silent": {"silent", probe.Direct, msntest.Behavior{Kind: msntest.Silent}, probe.Timeout, 1, time.Second, *n},
	}
	fmt.Printf("benchfleet: %d servers from %s, %d CPUs, %s\n", *n, *base, runtime.NumCPU(), runtime.Version())
	var rows []string
	failed := false
	for _, name := range strings.Split(*scenarios, ",") {
		sc, ok := all[name]
		if !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		row, err := runScenario(sc)
		if err != nil {
			fmt.Printf("%-7s FAILED: %v\n", sc.name, err)
			failed = true
			continue
		}
		fmt.Println(row)
		rows = append(rows, row)
	}
	fmt.Println()
	fmt.Println("summary: the probe runs in a child process; wall is its probe.Run, CPU its user+system time,")
	fmt.Println("memory its VmHWM; the fleet's servers run in this process, on the same CPUs:")
	for _, r := range rows {
		fmt.Println(" ", r)
	}
	fmt.Printf("  fleet process (all scenarios' servers, one at a time): peak RSS %d MiB\n", hwmKiB()/1024)
	if failed {
		return fmt.Errorf("a scenario failed")
	}
	return nil
}

func runScenario(sc scenario) (string, error) {
	ports := msntest.Ports{Direct: msntest.Off, HTTP: msntest.Off, HTTPS: msntest.Off}
	switch sc.via {
	case probe.Direct:
		ports.Direct = 0
	case probe.HTTP:
		ports.HTTP = 0
	case probe.HTTPS:
		ports.HTTPS = 0
	}
	fleet, err := msntest.StartFleet(*base, ports, []msntest.Spec{{Group: "bench", Count: *n, Behavior: sc.behavior}})
	if err != nil {
		return "", err
	}
	defer fleet.Close()
	p := fleet.Ports.Direct
	switch sc.via {
	case probe.HTTP:
		p = fleet.Ports.HTTP
	case probe.HTTPS:
		p = fleet.Ports.HTTPS
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	args := []string{"-child", "-via", string(sc.via), "-n", strconv.Itoa(*n), "-base", *base,
		"-port", strconv.Itoa(p), "-timeout", sc.timeout.String(), "-attempts", "1",
		"-versions", strconv.Itoa(sc.versions), "-concurrency", strconv.Itoa(sc.concurrency)}
	if *profile != "" {
		args = append(args, "-cpuprofile", *profile+"."+sc.name)
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	if *profile != "" {
		f, err := os.Create(*profile + "." + sc.name + ".fleet")
		if err != nil {
			return "", err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return "", err
		}
		defer pprof.StopCPUProfile()
	}
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("child: %w", err)
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		return "", fmt.Errorf("child said %q: %w", out, err)
	}
	total := *n * sc.versions
	if rep.States[sc.want] != total {
		return "", fmt.Errorf("%d of %d checks %s; states %v; e.g. %v", rep.States[sc.want], total, sc.want, rep.States, rep.Examples)
	}
	return fmt.Sprintf("%-6s %5d checks %-7s (concurrency %5d, timeout %s): wall %5.2f s, %6.0f checks/s, probe CPU %5.2f s, peak memory %3d MiB",
		sc.name, total, sc.want, sc.concurrency, sc.timeout, float64(rep.WallMS)/1000,
		float64(total)/(float64(rep.WallMS)/1000), cpu.Seconds(), rep.HWMKiB/1024), nil
}

func runChild() error {
	raiseFileLimit()
	first, err := netip.ParseAddr(*base)
	if err != nil {
		return err
	}
	var servers []probe.Server
	for a := first; len(servers) < *n; a = a.Next() {
		if last := a.As4()[3]; last == 0 || last == 255 {
			continue // as msntest.StartFleet does
		}
		servers = append(servers, probe.Server{Address: a.String()})
	}
	cfg := probe.Config{
		Timeout:     *timeout,
		Attempts:    *attempt,
		Concurrency: *concurrency,
		Checks:      map[string]probe.Check{},
		Groups:      []probe.Group{{Name: "bench", Servers: servers}},
	}
	for _, v := range []string{"MSNP18", "MSNP21", "MSNP22"}[:*nvers] {
		key := strings.ToLower(v)
		cfg.Checks[key] = probe.Check{Key: key, Kind: probe.MSNP, Version: v, Via: probe.Via(*via), Port: *port, Scan: true}
		cfg.Groups[0].Checks = append(cfg.Groups[0].Checks, key)
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
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

// raiseFileLimit lifts the soft limit on open files to the hard one: the
// fleet holds a listener per server, the probe a socket per server asked.
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
