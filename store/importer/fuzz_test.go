package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/store/storetest"
)

// FuzzReadNote: any bytes in a .md file give a note or a clear error, never a panic, and a
// note that comes out can be saved.
func FuzzReadNote(f *testing.F) {
	f.Add([]byte("---\ntitle: T\ntags: [a, b]\ncountries:\n  - NGA\n---\n# H\nText #tag [[Other|alias]]\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("# Only a heading"))
	f.Add([]byte("caf\xe9 \x96 na\xefve"))
	f.Add([]byte("\xef\xbb\xbf---\ntitle: \"quoted\"\n"))
	dir := f.TempDir()
	db := storetest.Open(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "note.md")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		it, _, err := readNote(p)
		if err != nil {
			return
		}
		if !utf8.ValidString(it.Body) || !utf8.ValidString(it.Title) {
			t.Fatalf("invalid UTF-8 came out: %q", it.Title)
		}
		if strings.TrimSpace(it.Title) == "" {
			t.Fatal("note without a title")
		}
		if _, err := db.Save(context.Background(), it); err != nil && !strings.Contains(err.Error(), "invalid item") {
			t.Fatalf("save: %v", err)
		}
	})
}

// FuzzCorpusLine: any line of a corpus file is a record or a per-line error.
func FuzzCorpusLine(f *testing.F) {
	f.Add([]byte(`{"id": "AGO_79_2024", "country": "AGO", "session": 79, "year": 2024, "text": "..."}`))
	f.Add([]byte(`{"id": "X", "country": "ZZZ", "year": 1}`))
	f.Add([]byte(`{"id`))
	dir := f.TempDir()
	db := storetest.Open(f)
	f.Fuzz(func(t *testing.T, line []byte) {
		p := filepath.Join(dir, "c.jsonl")
		data := append(append([]byte{}, line...), '\n')
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := ImportCorpus(context.Background(), db, p, Options{})
		if err != nil {
			t.Fatalf("a bad line stopped the import: %v", err)
		}
		if rep.Saved+len(rep.Failed) > strings.Count(string(data), "\n")+1 {
			t.Fatalf("more results than lines: %+v", rep)
		}
	})
}
