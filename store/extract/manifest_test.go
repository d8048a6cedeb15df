package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store/internal/corpusfiles"
)

// The real-world corpus lives outside the repository (../shared/corpora/files, or
// $CHANCERY_FILES); package corpusfiles finds it and reads its manifest, which gives each
// file a class.

type manifestRow = corpusfiles.Row

// corpusDir returns the corpus directory, or skips the test when it is absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, _ := corpusfiles.ForTest(t)
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
	_, rows := corpusfiles.ForTest(t)
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

// benchmarkFolder reads the corpus files of a folder whose names end with ext (skipping those
// skip says to) as format f, b.N times, and reports files per second.
func benchmarkFolder(b *testing.B, folder, ext string, f Format, skip func(name string) bool) {
	dir := filepath.Join(corpusDir(b), folder)
	var files [][]byte
	size := 0
	for _, row := range manifestFolder(b, folder, ext) {
		if skip != nil && skip(row.File) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, row.File))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
		size += len(data)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, data := range files {
			if _, err := As(context.Background(), f, data, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(files))/b.Elapsed().Seconds(), "files/s")
}

// outcomes counts, by class, what became of corpus files: "text", "empty" or "refused".
type outcomes map[string]map[string]int

// read reads a corpus file of dir with the default limits and counts its outcome.
func (o outcomes) read(t *testing.T, dir string, row manifestRow) (Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, row.File))
	if err != nil {
		t.Fatal(err)
	}
	r, err := File(context.Background(), row.File, data, Limits{})
	got := "text"
	switch {
	case err != nil:
		got = "refused"
	case r.Empty:
		got = "empty"
	}
	if o[row.Class] == nil {
		o[row.Class] = map[string]int{}
	}
	o[row.Class][got]++
	return r, err
}

// log writes the counts of a folder's files, by class.
func (o outcomes) log(t *testing.T, folder string) {
	for class, m := range o {
		t.Logf("%s class %-9s: %d with text, %d empty, %d refused", folder, class, m["text"], m["empty"], m["refused"])
	}
}
