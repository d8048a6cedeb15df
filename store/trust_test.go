package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// rawExec runs statements on the database file of dir behind the store's back (the store
// must be closed), as a person with a SQLite tool (or a broken disk) would.
func rawExec(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	sdb, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, store.FileName)))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, s := range stmts {
		if _, err := sdb.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestRestoreFromTrashHonoursCeiling (P4): an item marked above the ceiling cannot come back
// from the trash, and AboveCeiling (so check) lists it, saying it is in the trash.
func TestRestoreFromTrashHonoursCeiling(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	free, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := free.Save(ctx, store.Item{Kind: store.KindNote, Title: "Cable 7", Class: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	if err := free.Delete(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	free.Close()

	db, err := store.OpenWith(ctx, dir, store.Options{MaxClass: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	above, err := db.AboveCeiling(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(above) != 1 || !strings.Contains(above[0], s.ID) || !strings.Contains(above[0], "in the trash") {
		t.Errorf("AboveCeiling = %q, want the trashed SECRET item, said to be in the trash", above)
	}
	err = db.Restore(ctx, s.ID)
	if !errors.Is(err, store.ErrAboveCeiling) {
		t.Fatalf("restoring a SECRET item under a RESTRICTED ceiling: %v", err)
	}
	if !strings.Contains(err.Error(), "Cable 7") {
		t.Errorf("error %q does not name the item", err)
	}
	if it, _ := db.Get(ctx, s.ID); it.Deleted == nil {
		t.Error("the SECRET item left the trash")
	}
}

// dataFiles lists every regular file under dir.
func dataFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
