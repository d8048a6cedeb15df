// Package searchtest gives tests a real search index over a real store, closed when the
// test ends.
package searchtest

import (
	"context"
	"path/filepath"
	"testing"

	"chancery/search"
	"chancery/store"
)

// Open opens the index of db (in its data folder) and waits until it is up to date.
func Open(t testing.TB, db *store.DB) *search.Index {
	t.Helper()
	ix, err := search.Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := WaitForStore(context.Background(), ix, db); err != nil {
		t.Fatal(err)
	}
	return ix
}

// WaitForStore waits until ix has applied every change db has committed.
func WaitForStore(ctx context.Context, ix *search.Index, db *store.DB) error {
	last, err := db.LastSeq(ctx)
	if err != nil {
		return err
	}
	return ix.WaitFor(ctx, last)
}
