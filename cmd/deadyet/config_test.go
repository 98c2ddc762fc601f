package main

import (
	"context"

	"deadyet/cmd/internal/config"
)

// loadConfig reads the site.toml at path, for tests.
func loadConfig(path string) (*site, error) {
	return config.Load(context.Background(), path)
}
