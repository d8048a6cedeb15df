package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chancery/store"
)

// A data folder's name may hold the characters a SQLite URI gives a meaning to (%, ?, #):
// the knowledge base opens there, and its database file is in that folder, not elsewhere.
func TestOpenFolderWithURICharacters(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"50% done", "why?", "desk #3", "a%20b"} {
		dir := filepath.Join(t.TempDir(), name)
		db, err := store.Open(ctx, dir)
		if err != nil {
			t.Errorf("open %q: %v", name, err)
			continue
		}
		if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Kept"}); err != nil {
			t.Errorf("save in %q: %v", name, err)
		}
		db.Close()
		if fi, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil || fi.Size() == 0 {
			t.Errorf("%q: the database is not in the folder: %v", name, err)
		}
	}
}
