package search

import (
	"context"
	"path/filepath"
	"testing"

	"chancery/store"
)

// caughtUp opens db's index (closed when the test ends) and waits until it has caught up
// with every change of db.
func caughtUp(t *testing.T, db *store.DB) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ctx := context.Background()
	last, _ := db.LastSeq(ctx)
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	return ix
}
