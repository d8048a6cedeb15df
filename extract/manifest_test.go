package extract

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The real-world corpus lives outside the repository, in ../shared/corpora/files relative to
// the module root (see its README.md, whose "Manifest" table gives each file a class).
// $CHANCERY_FILES points elsewhere when set.

// manifestRow is one row of the corpus manifest.
type manifestRow struct {
	Folder string // "pdf", "docx", "html", ...
	File   string // file name inside the folder
	Size   int64  // in bytes, as listed
	Class  string // ok, broken, encrypted, scanned, non-latin, huge
	Note   string
}

// Path is the row's file under dir (the corpus directory).
func (r manifestRow) Path(dir string) string { return filepath.Join(dir, r.Folder, r.File) }

// corpusDir returns the corpus directory, or skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, ok := corpusPath()
	if !ok {
		t.Skipf("real-world corpus not found at %s (set CHANCERY_FILES to its directory)", dir)
	}
	return dir
}

// corpusPath returns where the corpus should be and whether it is there (for fuzz seeds,
// which are added without skipping).
func corpusPath() (string, bool) {
	dir := os.Getenv("CHANCERY_FILES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpora", "files")
	}
	_, err := os.Stat(filepath.Join(dir, "README.md"))
	return dir, err == nil
}

// manifest parses the manifest table of the corpus README: the rows of the table whose header
// is "| folder | file | size | class | note |".
func manifest(t testing.TB) []manifestRow {
	t.Helper()
	dir := corpusDir(t)
	f, err := os.Open(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatalf("open corpus manifest: %v", err)
	}
	defer f.Close()
	rows, err := parseManifest(bufio.NewScanner(f))
	if err != nil {
		t.Fatalf("read corpus manifest %s: %v", f.Name(), err)
	}
	if len(rows) == 0 {
		t.Fatalf("corpus manifest %s has no rows", f.Name())
	}
	return rows
}

func parseManifest(sc *bufio.Scanner) ([]manifestRow, error) {
	var rows []manifestRow
	in := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) == 5 && cells[0] == "folder" && cells[1] == "file" && cells[3] == "class" {
			in = true
			continue
		}
		if !in || strings.HasPrefix(cells[0], "---") || len(cells) < 5 {
			continue
		}
		size, _ := strconv.ParseInt(cells[2], 10, 64)
		rows = append(rows, manifestRow{
			Folder: cells[0],
			File:   cells[1],
			Size:   size,
			Class:  cells[3],
			// a note may itself hold "|"; keep what follows the class
			Note: strings.Join(cells[4:], "|"),
		})
	}
	return rows, sc.Err()
}

// manifestFolder returns the rows of one folder.
func manifestFolder(t testing.TB, folder string) []manifestRow {
	t.Helper()
	var out []manifestRow
	for _, r := range manifest(t) {
		if r.Folder == folder {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatalf("corpus manifest lists no %s files", folder)
	}
	return out
}

func TestManifest(t *testing.T) {
	rows := manifest(t)
	dir := corpusDir(t)
	classes := map[string]bool{"ok": true, "broken": true, "encrypted": true, "scanned": true, "non-latin": true, "huge": true}
	for _, r := range rows {
		if !classes[r.Class] {
			t.Errorf("%s/%s: unknown class %q", r.Folder, r.File, r.Class)
		}
		if st, err := os.Stat(r.Path(dir)); err != nil {
			t.Errorf("%s/%s listed in the manifest but missing: %v", r.Folder, r.File, err)
		} else if r.Size > 0 && st.Size() != r.Size {
			t.Errorf("%s/%s: manifest says %d bytes, file has %d", r.Folder, r.File, r.Size, st.Size())
		}
	}
}
