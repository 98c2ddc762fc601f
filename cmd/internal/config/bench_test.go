package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkLoadConfig loads and validates a site.toml of 10,000 and of
// 100,000 servers with one check (make bench). The last one has a problem
// on its last line, so its positions are looked up as well.
//
// Besides time and B/op it reports, against file-MB, the file's size:
//   - alloc/file: bytes allocated by one load, ÷ the file's size;
//   - peakRSS-MB and peakRSS/file: how far one load in a process of its own
//     raises the peak resident memory (VmHWM) above the resident memory
//     before it, with Go's default GC (GOGC=100), as deadyet runs;
//   - peaklive/file: the peak live heap of one load in a process of its own,
//     ÷ the file's size: the most that a GC cycle found live, with GOGC=5
//     so that cycles come often enough to see the peak within about 5%.
//
// The last three are measured in a child process (see TestMain), once per
// size and outside the timed loop; peakRSS on Linux only.
func BenchmarkLoadConfig(b *testing.B) {
	for _, tt := range []struct {
		n   int
		bad bool
	}{{10000, false}, {100000, false}, {100000, true}} {
		name := fmt.Sprintf("servers=%d", tt.n)
		if tt.bad {
			name += "/duplicate-last"
		}
		b.Run(name, func(b *testing.B) {
			n := tt.n
			path := filepath.Join(b.TempDir(), "site.toml")
			data := bigSite(n)
			if tt.bad {
				data = append(data[:len(data)-2], "  { address = \"10.0.0.0\" },\n]\n"...)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
			size := float64(len(data))
			rss, _ := childLoad(b, path, "100")
			_, live := childLoad(b, path, "5")
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			loads := 0
			for b.Loop() {
				loads++
				s, err := Load(context.Background(), path)
				if tt.bad {
					want := fmt.Sprintf("%s:%d: group \"big\" lists address \"10.0.0.0\" twice (first on line 11)", path, n+11)
					if err == nil || err.Error() != want {
						b.Fatalf("err = %v, want %s", err, want)
					}
					continue
				}
				if err != nil {
					b.Fatal(err)
				}
				if got := len(s.Probe.Groups[0].Servers); got != n {
					b.Fatalf("%d servers, want %d", got, n)
				}
			}
			runtime.ReadMemStats(&after)
			// After the loop: its first turn resets the metrics reported.
			b.ReportMetric(size/1e6, "file-MB")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(loads)/size, "alloc/file")
			if rss >= 0 {
				b.ReportMetric(rss/1e6, "peakRSS-MB")
				b.ReportMetric(rss/size, "peakRSS/file")
			}
			b.ReportMetric(live/size, "peaklive/file")
		})
	}
}

// peakEnv names the file a child started by childLoad loads.
const peakEnv = "DEADYET_CONFIG_PEAK"

// TestMain runs the tests, or, in a child that childLoad starts, loads the
// one file it is given and prints "<peak RSS> <peak live heap>" in bytes.
func TestMain(m *testing.M) {
	if path := os.Getenv(peakEnv); path != "" {
		os.Exit(peakChild(path))
	}
	os.Exit(m.Run())
}

// childLoad loads path in a process of its own (this test binary, see
// TestMain) with GOGC=gogc, and returns how many bytes that raised its peak
// resident memory (-1 where /proc/self/status has no VmHWM) and its peak
// live heap.
func childLoad(b *testing.B, path, gogc string) (rss, live float64) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), peakEnv+"="+path, "GOGC="+gogc)
	if gogc != "100" {
		cmd.Env = append(cmd.Env, "GODEBUG=gcstoptheworld=1") // a cycle marks what is live at one instant
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("loading %s in a child: %v", path, err)
	}
	if _, err := fmt.Sscan(string(out), &rss, &live); err != nil {
		b.Fatalf("loading %s in a child: %q: %v", path, out, err)
	}
	return rss, live
}

// peakChild loads path and prints how far that raised VmHWM above VmRSS
// before (-1 without /proc/self/status) and the most live heap a GC cycle
// found meanwhile.
func peakChild(path string) int {
	rss := procStatus("VmRSS")
	var peak atomic.Uint64
	watchLive(&peak)
	_, err := Load(context.Background(), path)
	var problem *Error
	if err != nil && !errors.As(err, &problem) { // a problem in the file is measured too
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	hwm := procStatus("VmHWM")
	grew := int64(-1)
	if hwm >= 0 && rss >= 0 {
		grew = (hwm - rss) * 1024
	}
	fmt.Println(grew, peak.Load())
	return 0
}

// gcMark is garbage whose finalizer runs once after each GC cycle; it holds
// a pointer so that it is not one of the tiny objects finalizers skip.
type gcMark struct{ _ *int }

// watchLive keeps in peak the largest live heap that a GC cycle marked,
// from now on.
func watchLive(peak *atomic.Uint64) {
	runtime.SetFinalizer(&gcMark{}, func(*gcMark) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		watchLive(peak)
	})
}

// procStatus is the field of /proc/self/status given in KiB ("VmHWM", the
// peak resident memory), or -1.
func procStatus(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range bytes.Lines(data) {
		if v, ok := bytes.CutPrefix(line, []byte(field+":")); ok {
			kib, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			if err != nil {
				return -1
			}
			return kib
		}
	}
	return -1
}
