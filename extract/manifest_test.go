package extract

import (
	"strings"
	"testing"

	"chancery/internal/corpusfiles"
)

// The real-world corpus lives outside the repository (../shared/corpora/files, or
// $CHANCERY_FILES); package corpusfiles finds it and reads its manifest, which gives each
// file a class.

type manifestRow = corpusfiles.Row

// corpusDir returns the corpus directory, or skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := corpusfiles.Dir()
	if err != nil {
		t.Skip(err)
	}
	return dir
}

// corpusPath returns the corpus directory and whether it is there (for fuzz seeds, which
// are added without skipping).
func corpusPath() (string, bool) {
	dir, err := corpusfiles.Dir()
	return dir, err == nil
}

// manifest reads the corpus manifest.
func manifest(t testing.TB) []manifestRow {
	t.Helper()
	rows, err := corpusfiles.Manifest(corpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// manifestFolder returns the rows of one folder whose file name ends with ext.
func manifestFolder(t testing.TB, folder, ext string) []manifestRow {
	t.Helper()
	var out []manifestRow
	for _, r := range manifest(t) {
		if r.Folder == folder && strings.HasSuffix(r.File, ext) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the corpus manifest lists no %s files in %s", ext, folder)
	}
	return out
}
