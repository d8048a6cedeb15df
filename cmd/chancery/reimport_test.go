package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// TestImportSaysWhatChangedInBothPlaces: chancery import --class marks what it imports, and a
// re-import names the items changed both in Chancery and in their file, keeping Chancery's.
func TestImportSaysWhatChangedInBothPlaces(t *testing.T) {
	dir, notes := t.TempDir(), t.TempDir()
	note := filepath.Join(notes, "talks.md")
	os.WriteFile(note, []byte("# Water-sharing talks\nFirst draft.\n"), 0o600)
	if out := run(t, "--data", dir, "import", "--class", "restricted", notes); !strings.Contains(out, "imported 1 items, 0 failed") {
		t.Fatalf("first import said %s", out)
	}
	ctx := context.Background()
	edit := func(f func(db *store.DB, it store.Item) store.Item) store.Item {
		t.Helper()
		db, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		items, err := db.List(ctx, store.ListOptions{Kind: store.KindNote, WithBody: true})
		if err != nil || len(items) != 1 {
			t.Fatalf("notes: %d, %v", len(items), err)
		}
		return f(db, items[0])
	}
	edit(func(db *store.DB, it store.Item) store.Item {
		if it.Class != "RESTRICTED" {
			t.Errorf("imported with --class RESTRICTED, the note is %s", it.Class)
		}
		it.Body, it.Class = "Edited in Chancery.", "SECRET"
		saved, err := db.Save(ctx, it)
		if err != nil {
			t.Fatal(err)
		}
		return saved
	})
	os.WriteFile(note, []byte("# Water-sharing talks\nSecond draft.\n"), 0o600)
	out := run(t, "--data", dir, "import", notes)
	for _, want := range []string{"changed both in Chancery and in its file: Water-sharing talks", "1 changed both in Chancery and in their file"} {
		if !strings.Contains(out, want) {
			t.Errorf("re-import said %s\nwant %q", out, want)
		}
	}
	edit(func(_ *store.DB, it store.Item) store.Item {
		if it.Body != "Edited in Chancery." || it.Class != "SECRET" {
			t.Errorf("after the re-import the note is %s %q, want Chancery's version, SECRET", it.Class, it.Body)
		}
		return it
	})
}
