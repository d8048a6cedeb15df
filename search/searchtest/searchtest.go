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
	ix, err := OpenIndex(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// OpenIndex opens the index of db (in its data folder) and waits until it holds what db
// holds, for examples, which have no testing.T. The caller closes it.
func OpenIndex(ctx context.Context, db *store.DB) (*search.Index, error) {
	ix, err := search.Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		return nil, err
	}
	if err := WaitForStore(ctx, ix, db); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// WaitForStore waits until ix has applied every change db has committed.
func WaitForStore(ctx context.Context, ix *search.Index, db *store.DB) error {
	last, err := db.LastSeq(ctx)
	if err != nil {
		return err
	}
	return ix.WaitFor(ctx, last)
}
