package config

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLoadConfig loads and validates a site.toml of 10,000 and of
// 100,000 servers with one check (make bench). file-MB is the file's size.
// The last one has a problem on its last line, so its positions are looked
// up as well.
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
			b.ReportAllocs()
			b.ReportMetric(float64(len(data))/1e6, "file-MB")
			for b.Loop() {
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
		})
	}
}
