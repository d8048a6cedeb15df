package search_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
)

// copyFile copies src to dst, replacing it.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// hits returns the titles of what a query finds.
func hits(t *testing.T, ix *search.Index, q string) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), q, search.Options{Size: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// TestIndexFollowsReplacedDatabase (D7): when chancery.db is replaced, by an older copy of
// itself (a restored backup) or by another knowledge base's, the index is rebuilt: it finds
// nothing the database does not hold, and what is saved afterwards is indexed.
func TestIndexFollowsReplacedDatabase(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		backup func(t *testing.T, dir, backup string)
	}{
		{"older copy", func(t *testing.T, dir, backup string) {}},
		{"another knowledge base", func(t *testing.T, dir, backup string) {
			// The backup is replaced by a knowledge base of its own with the same items.
			other := t.TempDir()
			db, err := store.Open(ctx, other)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "First", Body: "alphaword"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Filler", Body: "filler"}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Filler 2", Body: "filler"}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			copyFile(t, filepath.Join(other, store.FileName), backup)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			backup := filepath.Join(t.TempDir(), "backup.db")
			db, err := store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "First", Body: "alphaword"}); err != nil {
				t.Fatal(err)
			}
			db.Close() // checkpoints the WAL: the file is whole
			copyFile(t, filepath.Join(dir, store.FileName), backup)
			tc.backup(t, dir, backup)

			db, err = store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Later", Body: "betaword"}); err != nil {
				t.Fatal(err)
			}
			ix := searchtest.Open(t, db)
			if len(hits(t, ix, "betaword")) != 1 {
				t.Fatal("setup: the later item is not indexed")
			}
			ix.Close()
			db.Close()

			// The database is restored from the backup.
			copyFile(t, backup, filepath.Join(dir, store.FileName))
			db, err = store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() }) // closed after the index: cleanups run last first
			ix = searchtest.Open(t, db)
			if !strings.Contains(ix.Opened, "rebuilding") {
				t.Errorf("Opened = %q, want a rebuild", ix.Opened)
			}
			if got := hits(t, ix, "betaword"); len(got) != 0 {
				t.Errorf("the index still finds an item the database does not hold: %q", got)
			}
			fresh, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "New", Body: "gammaword"})
			if err != nil {
				t.Fatal(err)
			}
			if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
				t.Fatal(err)
			}
			if got := hits(t, ix, "gammaword"); len(got) != 1 || got[0] != fresh.ID {
				t.Errorf("an item saved after the restore is not found: %q", got)
			}
			if got := hits(t, ix, "alphaword"); len(got) != 1 {
				t.Errorf("the restored item: %q", got)
			}
			if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
				t.Errorf("Check = %q, %v", p, err)
			}
		})
	}
}
