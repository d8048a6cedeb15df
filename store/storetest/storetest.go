// Package storetest gives tests a real knowledge base: a SQLite store in a temporary folder,
// closed when the test ends.
package storetest

import (
	"context"
	"testing"

	"chancery/store"
)

// Open opens a new store in t.TempDir() and saves items into it in one transaction.
func Open(t testing.TB, items ...store.Item) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if len(items) > 0 {
		if _, err := db.SaveAll(context.Background(), items); err != nil {
			t.Fatal(err)
		}
	}
	return db
}
