package main

import (
	"context"

	"deadyet/cmd/internal/config"
)

// site is a decoded, validated site.toml.
type site = config.Site

// loadSite reads and validates the site.toml at path (see package config)
// for a command: a bad or unreadable file is bad input (exit status 2), and
// it stops when ctx ends.
func loadSite(ctx context.Context, path string) (*site, error) {
	s, err := config.Load(ctx, path)
	return s, inputErr(ctx, err)
}
