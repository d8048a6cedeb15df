package importer_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/internal/corpusfiles"
)

// BenchmarkImportFolder imports a folder of 1,000 documents made from the real-world files
// corpus: its readable PDFs, DOCX and HTML pages taken in turn, each copy made distinct (a
// PDF comment after the end, an HTML comment, an extra part in the DOCX zip) so that none is
// recognised as imported before. Each round imports into a new knowledge base. It prints
// documents per second and what the folder holds.
//
//	go test -run x -bench ImportFolder -benchtime 1x ./store/importer/
func BenchmarkImportFolder(b *testing.B) {
	dir, rows := corpusfiles.ForTest(b)
	var sources []corpusfiles.Row
	for _, r := range rows {
		readable := r.Class == "ok" || r.Class == "non-latin"
		if readable && isDoc(r.File) && !strings.Contains(r.File, ".expected.") {
			sources = append(sources, r)
		}
	}
	folder := b.TempDir()
	const n = 1000
	var bytesIn int64
	kinds := map[string]int{}
	for i := range n {
		r := sources[i%len(sources)]
		data, err := os.ReadFile(r.Path(dir))
		if err != nil {
			b.Fatal(err)
		}
		data, err = distinct(r.File, data, i)
		if err != nil {
			b.Fatalf("%s: %v", r.File, err)
		}
		name := fmt.Sprintf("%04d-%s", i, filepath.Base(r.File))
		if err := os.WriteFile(filepath.Join(folder, name), data, 0o600); err != nil {
			b.Fatal(err)
		}
		bytesIn += int64(len(data))
		kinds[strings.ToLower(filepath.Ext(name))]++
	}
	b.Logf("folder: %d files (%d PDF, %d DOCX, %d HTML), %.1f MB", n, kinds[".pdf"], kinds[".docx"], kinds[".html"], float64(bytesIn)/1e6)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep, err := importer.Import(context.Background(), db, []string{folder}, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		count := map[string]int{}
		reasons := map[string]int{}
		for _, d := range rep.Documents {
			count[d.Status]++
			if d.Status == store.StatusFailed {
				reasons[filepath.Ext(d.Path)+": "+d.Reason]++
			}
		}
		for r, k := range reasons {
			b.Logf("refused %d× %s", k, r)
		}
		b.Logf("imported %d documents in %s: %.0f documents/s, %.1f MB/s; %d with text, %d without, %d refused",
			len(rep.Documents), took.Round(time.Millisecond), float64(len(rep.Documents))/took.Seconds(), float64(bytesIn)/1e6/took.Seconds(),
			count[store.StatusOK], count[store.StatusEmpty], count[store.StatusFailed])
		b.ReportMetric(float64(len(rep.Documents))/took.Seconds(), "docs/s")
		db.Close()
		b.StartTimer()
	}
}

func isDoc(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf", ".docx", ".html":
		return true
	}
	return false
}

// distinct returns a copy of a document file that differs from every other copy (i) and
// still reads the same.
func distinct(name string, data []byte, i int) ([]byte, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return append(bytes.Clone(data), fmt.Sprintf("\n%% copy %d\n", i)...), nil
	case ".html":
		return append(bytes.Clone(data), fmt.Sprintf("\n<!-- copy %d -->\n", i)...), nil
	case ".docx":
		// A zip ends with its end-of-central-directory record, whose last field is the
		// length of a comment that follows it: write a comment there.
		eocd := bytes.LastIndex(data, []byte("PK\x05\x06"))
		if eocd < 0 || eocd+22 != len(data) {
			return nil, fmt.Errorf("no end-of-central-directory record without a comment")
		}
		comment := fmt.Sprintf("copy %d", i)
		out := bytes.Clone(data)
		binary.LittleEndian.PutUint16(out[eocd+20:], uint16(len(comment)))
		return append(out, comment...), nil
	}
	return data, nil
}
