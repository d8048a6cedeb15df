package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chancery/store"
)

// TestOpenFinishesACutRestore: a restore killed between its two renames leaves no data
// folder and the restored knowledge base beside it (DIR.restoring). Opening the folder
// then opens the restored knowledge base, not a new empty one; a folder that is there
// is opened as it is, whatever lies beside it.
func TestOpenFinishesACutRestore(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "kb")
	pending := dir + store.RestoringSuffix

	db, err := store.Open(ctx, pending)
	if err != nil {
		t.Fatal(err)
	}
	it, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Restored note", Body: "from the backup"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Remove(filepath.Join(pending, store.LockName))

	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.Get(ctx, it.ID); err != nil || got.Title != "Restored note" {
		t.Errorf("the cut restore was not finished: %v %q", err, got.Title)
	}
	db.Close()
	if _, err := os.Stat(pending); !os.IsNotExist(err) {
		t.Errorf("%s is still there: %v", pending, err)
	}

	// A data folder that is there is left as it is, and so is what lies beside it.
	if err := os.MkdirAll(pending, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(pending, store.FileName), []byte("not this one"), 0o600)
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(ctx, it.ID); err != nil {
		t.Errorf("the data folder was replaced: %v", err)
	}
	db.Close()
	if b, _ := os.ReadFile(filepath.Join(pending, store.FileName)); string(b) != "not this one" {
		t.Errorf("%s was touched", pending)
	}
}
