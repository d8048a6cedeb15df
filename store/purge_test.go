package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// TestEmptyTrashLeavesNoText (L4, the store's part): after EmptyTrash the purged item's
// words are in no file of the data folder, its revisions nor its WAL.
func TestEmptyTrashLeavesNoText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const word = "Zanzibarquokkaword"
	keep, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Keep", Body: "nothing to see"})
	if err != nil {
		t.Fatal(err)
	}
	it, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Gone " + word, Body: strings.Repeat("The "+word+" talks. ", 50)})
	if err != nil {
		t.Fatal(err)
	}
	it.Body += " revised"
	if it, err = db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	doc, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Doc", Body: word, Document: &store.Document{FileName: "d.txt", Original: []byte("original " + word)}})
	if err != nil {
		t.Fatal(err)
	}
	keep.Body = "links to [[Gone]]"
	keep.Links = []store.Link{{To: it.ID}}
	if _, err := db.Save(ctx, keep); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{it.ID, doc.ID} {
		if err := db.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.EmptyTrash(ctx); err != nil || n != 2 {
		t.Fatalf("EmptyTrash = %d, %v", n, err)
	}
	for _, f := range dataFiles(t, dir) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(word)) {
			t.Errorf("%s still holds the purged word", filepath.Base(f))
		}
	}
}

// TestEmptyTrashForgetsImports: what an import recorded of a purged item (its revision and
// the hash of what the file held) goes with it; another item's record stays.
func TestEmptyTrashForgetsImports(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.SaveImported(ctx, []store.Item{
		{Kind: store.KindNote, Title: "Gone", Body: "a file's text", SourceKey: "note:gone.md"},
		{Kind: store.KindNote, Title: "Kept", Body: "another file's text", SourceKey: "note:kept.md"},
	})
	if err != nil {
		t.Fatal(err)
	}
	gone, kept := got[0].Item.ID, got[1].Item.ID
	for _, id := range []string{gone, kept} {
		if _, err := db.Setting(ctx, "import:"+id); err != nil {
			t.Fatalf("no import record for %s: %v", id, err)
		}
	}
	if err := db.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := db.Setting(ctx, "import:"+gone); err == nil {
		t.Errorf("the purged item's import record is still there: %q", v)
	}
	if _, err := db.Setting(ctx, "import:"+kept); err != nil {
		t.Errorf("the kept item's import record went too: %v", err)
	}
}
