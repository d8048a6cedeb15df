package extract

// Helpers for the DOCX and HTML corpus tests. extract/manifest_test.go (written alongside for
// the PDF reader) parses the same manifest; the two are to be folded into one.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docsManifestRow is one row of the manifest in the corpus README.
type docsManifestRow struct {
	Folder, File, Size, Class, Note string
}

// docsCorpusDir is the real-world corpus: $CHANCERY_FILES, or ../../shared/corpora/files
// from this package's directory. The test is skipped when neither exists.
func docsCorpusDir(t testing.TB) string {
	t.Helper()
	dir := corpusDirOrEmpty()
	if dir == "" {
		t.Skip("real-world corpus not found (set CHANCERY_FILES to the corpora/files folder, or put it at ../../shared/corpora/files)")
	}
	return dir
}

// corpusDirOrEmpty is $CHANCERY_FILES or ../../shared/corpora/files when it holds the corpus
// README, else "".
func corpusDirOrEmpty() string {
	dir := os.Getenv("CHANCERY_FILES")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpora", "files")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		return ""
	}
	return dir
}

// docsManifest reads the manifest table of the corpus README: rows of
// "| folder | file | size | class | note |".
func docsManifest(t testing.TB) []docsManifestRow {
	t.Helper()
	dir := docsCorpusDir(t)
	b, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "## Manifest")
	if !ok {
		t.Fatal("corpus README has no Manifest section")
	}
	var rows []docsManifestRow
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) < 5 || cells[0] == "folder" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, docsManifestRow{cells[0], cells[1], cells[2], cells[3], strings.Join(cells[4:], " | ")})
	}
	if len(rows) == 0 {
		t.Fatal("corpus manifest has no rows")
	}
	return rows
}

// docsCorpusFiles are the folder's path and the manifest rows of that folder whose file name
// ends with ext.
func docsCorpusFiles(t testing.TB, folder, ext string) (string, []docsManifestRow) {
	t.Helper()
	dir := filepath.Join(docsCorpusDir(t), folder)
	var out []docsManifestRow
	for _, r := range docsManifest(t) {
		if r.Folder == folder && strings.HasSuffix(r.File, ext) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the manifest lists no %s files in %s", ext, folder)
	}
	return dir, out
}
