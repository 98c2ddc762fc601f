package main

import (
	"testing"
	"time"

	"deadyet/probe"
	"deadyet/probe/history"
)

func TestSeedHistory(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC)
	res := probe.Results{Version: 1, Started: now, Finished: now, Results: []probe.Result{
		{Group: "bn2", Address: "127.0.2.1", Check: "msnp21", State: probe.Up},
		{Group: "bn2", Address: "127.0.2.2", Check: "msnp21", State: probe.Timeout},
		{Group: "bn2", Address: "127.0.2.2", Check: "tcp80", State: probe.Skipped},
	}}
	h, err := history.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := seedHistory(h, res); err != nil {
		t.Fatal(err)
	}
	stats := h.Stats(now)
	gone := stats[probe.Key{Group: "bn2", Address: "127.0.2.2", Check: "msnp21"}]
	if gone.State != probe.Timeout || gone.LastUp.IsZero() || !gone.LastUp.Before(now.Add(-24*time.Hour)) {
		t.Errorf("a cell down today: state %s, last up %v; want timeout, up some days ago", gone.State, gone.LastUp)
	}
	if _, ok := stats[probe.Key{Group: "bn2", Address: "127.0.2.2", Check: "tcp80"}]; ok {
		t.Error("a skipped check got a history")
	}
	if s := stats[probe.Key{Group: "bn2", Address: "127.0.2.1", Check: "msnp21"}]; s.State != probe.Up {
		t.Errorf("a cell up today ends the past %s", s.State)
	}

	// A history with lines is the record of earlier demos: left alone.
	n := h.Len()
	if err := seedHistory(h, res); err != nil {
		t.Fatal(err)
	}
	if h.Len() != n {
		t.Errorf("seeding a history of %d lines made it %d", n, h.Len())
	}
}
