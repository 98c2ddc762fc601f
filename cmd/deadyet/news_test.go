package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"deadyet/render/news"
)

func TestNewsNewRun(t *testing.T) {
	dir := t.TempDir()
	ios, out, _ := testIO()
	opts := &NewsNewOptions{IO: ios, Title: "MSNP22 answers again!", Dir: dir}
	now := time.Date(2026, 11, 25, 23, 30, 0, 0, time.FixedZone("east", -3*3600))
	if err := newsNew(opts, now); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "2026-11-26-msnp22-answers-again.md") // the UTC day
	if got := out.String(); got != want+"\n" {
		t.Errorf("printed %q, want %q", got, want)
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "+++\ntitle = \"MSNP22 answers again!\"\ndate = 2026-11-26\n+++\n") {
		t.Errorf("file:\n%s", data)
	}
	// Once its placeholder is replaced, the entry loads.
	edited := bytes.Replace(data, []byte(news.Placeholder), []byte("It does."), 1)
	if bytes.Equal(edited, data) {
		t.Fatalf("no placeholder in the new entry:\n%s", data)
	}
	if err := os.WriteFile(want, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	news, err := loadNewsDir(dir)
	if err != nil || len(news) != 1 || news[0].Title != "MSNP22 answers again!" {
		t.Errorf("the new entry does not load: %v %v", news, err)
	}

	// Never overwrite.
	if err := os.WriteFile(want, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = newsNew(opts, now)
	if err == nil || exitCode(err) != 2 || err.Error() != want+" already exists: edit it, or pick another title" {
		t.Errorf("second run: %v", err)
	}
	if b, _ := os.ReadFile(want); string(b) != "edited" {
		t.Errorf("the existing file was changed to %q", b)
	}
	des, _ := os.ReadDir(dir)
	if len(des) != 1 {
		t.Errorf("left in the folder: %v", des)
	}
}

func TestNewsNewRunBadInput(t *testing.T) {
	for _, tt := range []struct{ title, dir, want string }{
		{"  ", ".", `news title "  ": want one non-empty line`},
		{"a\nb", ".", `news title "a\nb": want one non-empty line`},
		{"a\x1b[31mred", ".", `news title "a\x1b[31mred": want text without control characters`},
		{"tab\there", ".", `news title "tab\there": want text without control characters`},
		{"ok", "missing-folder", `news folder "missing-folder": no such folder (run from the repository root or pass --dir)`},
	} {
		dir := tt.dir
		if dir == "." {
			dir = t.TempDir()
		}
		err := newsNewRun(context.Background(), &NewsNewOptions{IO: quiet, Title: tt.title, Dir: dir})
		if err == nil || err.Error() != tt.want || exitCode(err) != 2 {
			t.Errorf("title %q dir %q: err = %v, want %q", tt.title, tt.dir, err, tt.want)
		}
	}
}

func TestNewCmdNews(t *testing.T) {
	var got *NewsNewOptions
	cmd := NewCmdNews(quiet, func(_ context.Context, o *NewsNewOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"new", "--dir", "n", "A title"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Title != "A title" || got.Dir != "n" || got.IO != quiet {
		t.Errorf("options %+v", got)
	}
}

// TestLoadNewsDir: errors name the files by the folder's own name, and an
// entry that links elsewhere is refused, so that a pull request cannot make
// the hourly job publish a file of the machine it runs on.
func TestLoadNewsDir(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"secret.txt": "the runner's secret", "empty/2017-05-19-x.md": "", "linked/.keep": ""})
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(root, "linked", "2017-05-19-x.md")); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		"empty":  "empty/2017-05-19-x.md:1: the entry has no text",
		"linked": "linked/2017-05-19-x.md:1: is a symbolic link; a news entry must be a file of its own",
	} {
		if news, err := loadNewsDir(filepath.Join(root, dir)); err == nil || err.Error() != want {
			t.Errorf("news %v, err = %v, want %s", news, err, want)
		}
	}
}
