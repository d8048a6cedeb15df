package importer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// A file no reader can read is refused with its reason and kept, original and all, so the
// user sees it and can open it elsewhere; the rest of the folder goes on.
func TestImportDocumentsRefusedFileIsKept(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	junk := "%PDF-1.7\n\x00\x01 this is not a PDF at all"
	write(t, dir, "junk.pdf", junk)
	write(t, dir, "note.md", "# A note beside it\n")

	var reading []string
	var read []store.ImportedFile
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{
		Reading: func(p string) { reading = append(reading, filepath.Base(p)) },
		Read:    func(r store.ImportedFile) { read = append(read, r) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Documents) != 1 || len(read) != 1 || len(reading) != 1 || reading[0] != "junk.pdf" {
		t.Fatalf("documents %+v, read %+v, reading %v; want junk.pdf once", rep.Documents, read, reading)
	}
	r := rep.Documents[0]
	if r.Status != store.StatusFailed || r.Reason == "" || r.ItemID == "" || r.Again {
		t.Fatalf("result %+v, want a refusal with a reason and an item", r)
	}
	it, err := db.Get(ctx, r.ItemID)
	if err != nil {
		t.Fatal(err)
	}
	if it.Kind != store.KindDocument || it.Title != "junk" || it.Document.Status != store.StatusFailed || it.Document.StatusReason != r.Reason || it.Document.FileName != "junk.pdf" || it.Document.MIME != "application/pdf" {
		t.Errorf("stored %+v %+v", it, it.Document)
	}
	orig, err := db.Original(ctx, r.ItemID)
	if err != nil || string(orig) != junk {
		t.Errorf("original %q, %v; want the file's bytes", orig, err)
	}
	refused, err := db.List(ctx, store.ListOptions{Status: store.StatusFailed})
	if err != nil || len(refused) != 1 || refused[0].ID != r.ItemID {
		t.Errorf("refused documents %v, %v", refused, err)
	}
	if _, ok := byTitle(t, db)["A note beside it"]; !ok {
		t.Error("the note beside the refused file was not imported")
	}
}

// A document is known by its content: the same bytes under another name, in the same import
// or a later one, add nothing; one in the trash comes back.
func TestImportDocumentsTwiceAddsNothing(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	content := "%PDF-1.4\nnot really\n"
	a := write(t, dir, "a.pdf", content)
	b := write(t, dir, "copy of a.pdf", content)
	c := write(t, dir, "other.pdf", content+"other")

	rep, err := importer.Import(ctx, db, []string{a, b, c}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Documents) != 3 {
		t.Fatalf("%d results, want 3: %+v", len(rep.Documents), rep.Documents)
	}
	byPath := map[string]store.ImportedFile{}
	for _, r := range rep.Documents {
		byPath[r.Path] = r
	}
	if byPath[a].Again == byPath[b].Again || byPath[a].ItemID != byPath[b].ItemID {
		t.Errorf("the two copies: %+v and %+v; want one item, the second read reported as again", byPath[a], byPath[b])
	}
	if byPath[c].Again || byPath[c].ItemID == byPath[a].ItemID {
		t.Errorf("other file: %+v", byPath[c])
	}
	count := func() int {
		n, err := db.Count(ctx, store.ListOptions{Kind: store.KindDocument})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("%d documents after the first import, want 2", n)
	}
	if err := db.Delete(ctx, byPath[c].ItemID); err != nil {
		t.Fatal(err)
	}
	rep, err = importer.Import(ctx, db, []string{dir}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Documents {
		if !r.Again {
			t.Errorf("second import: %+v, want again", r)
		}
	}
	if n := count(); n != 2 {
		t.Errorf("%d live documents after importing again, want 2 (the trashed one restored)", n)
	}
}

// Cancelling stops reading at once; what was committed stays and is reported, and nothing
// half-read is stored.
func TestImportDocumentsCancelled(t *testing.T) {
	db := storetest.Open(t)
	dir := t.TempDir()
	for i := range 50 {
		write(t, dir, strings.Repeat("x", i+1)+".pdf", "%PDF-1.4 "+strings.Repeat("y", i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{Reading: func(string) {
		if n++; n == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want cancelled", err)
	}
	stored, err := db.Count(context.Background(), store.ListOptions{Kind: store.KindDocument})
	if err != nil {
		t.Fatal(err)
	}
	if stored != len(rep.Documents) || stored >= 50 {
		t.Errorf("%d documents stored, %d reported; want the same, fewer than 50", stored, len(rep.Documents))
	}
	for _, r := range rep.Documents {
		if r.ItemID == "" {
			t.Errorf("reported without an item: %+v", r)
		}
	}
}

// A file that cannot be opened, or is over the size limit, is reported and not stored.
func TestImportDocumentsUnreadable(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	big := write(t, dir, "big.pdf", "%PDF-1.4 "+string(bytes.Repeat([]byte("z"), 4096)))
	gone := filepath.Join(dir, "gone.pdf")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), gone); err != nil {
		t.Skip(err)
	}
	old := importer.DocumentLimits
	importer.DocumentLimits.MaxSize = 1024
	t.Cleanup(func() { importer.DocumentLimits = old })
	rep, err := importer.ImportDocuments(ctx, db, []string{big, gone}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Documents) != 2 {
		t.Fatalf("%+v", rep.Documents)
	}
	for _, r := range rep.Documents {
		if r.Status != store.StatusFailed || r.ItemID != "" {
			t.Errorf("%+v, want refused and not stored", r)
		}
		if r.Path == big && !strings.Contains(r.Reason, "too large") {
			t.Errorf("reason %q, want it to say too large", r.Reason)
		}
	}
}
