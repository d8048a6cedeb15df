// Package corpusfiles finds the real-world import corpus (../shared/corpora/files beside the
// repository, or $CHANCERY_FILES) and reads its manifest, for tests that run every file of
// it through an importer. The corpus is never copied into the repository.
package corpusfiles

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Row is one line of the manifest: a file and the class its curators gave it.
type Row struct {
	Folder string // "pdf", "docx", "html", "md", "vcard"
	File   string // the path inside Folder
	Size   int64
	Class  string // "ok", "broken", "encrypted", "scanned", "non-latin", "huge"
	Note   string
}

// Path is the file's path under dir.
func (r Row) Path(dir string) string { return filepath.Join(dir, r.Folder, filepath.FromSlash(r.File)) }

// ErrAbsent: the corpus is not there.
var ErrAbsent = errors.New("the real-world files corpus (../shared/corpora/files) is not present; set CHANCERY_FILES to its folder")

// Dir returns the corpus folder: $CHANCERY_FILES, or shared/corpora/files found by walking
// up from the working directory.
func Dir() (string, error) {
	if d := os.Getenv("CHANCERY_FILES"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
			return "", fmt.Errorf("CHANCERY_FILES=%s: %w", d, err)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "corpora", "files")
		if _, err := os.Stat(filepath.Join(cand, "README.md")); err == nil {
			return cand, nil
		}
		if filepath.Dir(d) == d {
			return "", ErrAbsent
		}
	}
}

// Manifest reads the manifest table of dir's README.md.
func Manifest(dir string) ([]Row, error) {
	f, err := os.Open(filepath.Join(dir, "README.md"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []Row
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Manifest"
			continue
		}
		if !in || !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) < 5 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		size, err := strconv.ParseInt(cells[2], 10, 64)
		if err != nil {
			continue // the header and its rule
		}
		rows = append(rows, Row{Folder: cells[0], File: cells[1], Size: size, Class: cells[3], Note: strings.Join(cells[4:], " | ")})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no manifest table found", filepath.Join(dir, "README.md"))
	}
	return rows, nil
}

// ForTest returns the corpus folder and its manifest, skipping the test (or benchmark) when
// the corpus is absent and failing it when the manifest cannot be read.
func ForTest(t testing.TB) (string, []Row) {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Skip(err)
	}
	rows, err := Manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rows
}
