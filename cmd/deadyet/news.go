package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"deadyet/probe"
	"deadyet/render/news"

	"github.com/spf13/cobra"
)

// loadNews is loadNewsDir for a command: its errors are bad input, and it
// stops when ctx ends.
func loadNews(ctx context.Context, dir string) ([]news.Entry, error) {
	entries, err := aside(ctx, func() ([]news.Entry, error) { return loadNewsDir(dir) })
	return entries, inputErr(ctx, err)
}

// loadNewsDir loads and validates the news folder dir. Its errors name the
// files as "<folder name>/<file>:line: message", one per line. An empty
// dir means no news.
func loadNewsDir(dir string) ([]news.Entry, error) {
	if dir == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("news folder %q: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("news folder %q: no such folder", dir)
	}
	return news.Load(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
}

// NewsNewOptions are the inputs of "deadyet news new".
type NewsNewOptions struct {
	IO *IOStreams

	Title string // the entry's title
	Dir   string // the news folder
}

// NewCmdNews makes "deadyet news" and its subcommand "new"; runF, when not
// nil, runs instead of newsNewRun (tests).
func NewCmdNews(ios *IOStreams, runF func(context.Context, *NewsNewOptions) error) *cobra.Command {
	return parentCommand(&cobra.Command{
		Use:   "news",
		Short: "Work with the news log",
		Long: `The news log is a folder of Markdown files, one per entry, named
YYYY-MM-DD-slug.md, each optionally starting with TOML front matter between
two lines "+++" (title, date). "deadyet check" validates them.`,
		Example: `  deadyet news new "MSNP22 answers again in db5"`,
	}, newCmdNewsNew(ios, runF))
}

func newCmdNewsNew(ios *IOStreams, runF func(context.Context, *NewsNewOptions) error) *cobra.Command {
	if runF == nil {
		runF = newsNewRun
	}
	opts := &NewsNewOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "new TITLE",
		Short: "Start a news entry dated today",
		Long: `New creates <today>-<slug>.md in the news folder (--dir) and prints its path.
Today is the UTC date; the slug is the title's letters and digits in lower
case, words joined by "-". The file's front matter holds the title and the
date, and its text is a line to replace with what happened, in Markdown.
It never overwrites a file: pick another title if one of the same day exists.`,
		Example: `  deadyet news new "All servers gone"          # news/2026-11-25-all-servers-gone.md
  deadyet news new --dir news "MSNP21 answers again"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return badInput(fmt.Errorf("%s takes one argument, the title, got %d (see %q)", cmd.CommandPath(), len(args), cmd.CommandPath()+" --help"))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Title = args[0]
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", "news", "the news `folder`")
	return cmd
}

// newsNewRun writes the new entry, dated today.
func newsNewRun(ctx context.Context, opts *NewsNewOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return newsNew(opts, time.Now())
}

// newsNew writes the new entry, dated now's UTC day. The file appears
// whole or not at all, and an existing file is never replaced.
func newsNew(opts *NewsNewOptions, now time.Time) error {
	title := strings.TrimSpace(opts.Title)
	if title == "" || strings.ContainsAny(title, "\r\n") {
		return badInput(fmt.Errorf("news title %q: want one non-empty line", opts.Title))
	}
	if probe.Control(title, false) >= 0 {
		return badInput(fmt.Errorf("news title %q: want text without control characters", opts.Title))
	}
	if fi, err := os.Stat(opts.Dir); err != nil || !fi.IsDir() {
		return badInput(fmt.Errorf("news folder %q: no such folder (run from the repository root or pass --dir)", opts.Dir))
	}
	day := now.UTC().Truncate(24 * time.Hour)
	name := day.Format(time.DateOnly) + "-" + news.Slug(title) + ".md"
	path := filepath.Join(opts.Dir, name)
	data := news.NewFile(title, day)
	// The placeholder is there to be replaced (check refuses it); the rest
	// must validate as it is.
	filled := bytes.Replace(data, []byte(news.Placeholder), []byte("Text."), 1)
	if _, errs := news.Parse(name, filled); len(errs) > 0 {
		return fmt.Errorf("new news entry does not validate: %w", errors.Join(errs...))
	}

	tmp, err := os.CreateTemp(opts.Dir, ".news-*.tmp")
	if err == nil {
		defer os.Remove(tmp.Name())
		_, err = tmp.Write(data)
		err = errors.Join(err, tmp.Chmod(0o644), tmp.Close())
	}
	if err == nil { // a hard link fails when the name exists: no overwrite, even in a race
		err = os.Link(tmp.Name(), path)
	}
	if errors.Is(err, fs.ErrExist) {
		return badInput(fmt.Errorf("%s already exists: edit it, or pick another title", path))
	} else if err != nil {
		return fmt.Errorf("write news entry: %w", err)
	}
	fmt.Fprintln(opts.IO.Out, path)
	return nil
}
