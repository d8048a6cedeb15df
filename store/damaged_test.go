package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// TestDamagedFolderNotMadeNew (D9): a data folder whose database was deleted or truncated
// while the rest of the knowledge base is there is reported as damaged, naming the folder,
// and left as it is; a new folder, and a folder with only its database, open.
func TestDamagedFolderNotMadeNew(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		damage func(dir string) error
	}{
		{"deleted", func(dir string) error { return os.Remove(filepath.Join(dir, store.FileName)) }},
		{"truncated", func(dir string) error { return os.Truncate(filepath.Join(dir, store.FileName), 0) }},
	} {
		for _, withIndex := range []bool{false, true} {
			name := tc.name
			if withIndex {
				name += " with index"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				db, err := store.Open(ctx, dir)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Save(ctx, note("Kept", "text")); err != nil {
					t.Fatal(err)
				}
				db.Close()
				if withIndex {
					// An older knowledge base without the marker: its index tells.
					if err := os.Remove(filepath.Join(dir, store.MarkerName)); err != nil {
						t.Fatal(err)
					}
					if err := os.MkdirAll(filepath.Join(dir, "index"), 0o700); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(dir, "index", "index_meta.json"), []byte("{}"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				if err := tc.damage(dir); err != nil {
					t.Fatal(err)
				}
				before := dataFiles(t, dir)
				db, err = store.Open(ctx, dir)
				if err == nil {
					st, _ := db.Stats(ctx)
					db.Close()
					t.Fatalf("opened as a knowledge base of %d items", st.Live)
				}
				if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), dir) {
					t.Errorf("error %q: want ErrDamaged naming %s", err, dir)
				}
				if after := dataFiles(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
					t.Errorf("the folder changed: %q, was %q", after, before)
				}
			})
		}
	}
	// A new folder, and one emptied of all but the database, open.
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	id := db.Identity()
	if len(id) < 16 {
		t.Errorf("Identity = %q", id)
	}
	db.Close()
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if db.Identity() != id {
		t.Errorf("Identity changed on reopening: %q, was %q", db.Identity(), id)
	}
	db.Close()
}
