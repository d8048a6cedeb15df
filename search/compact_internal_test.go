package search

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

// TestInterruptedCompactIsRebuilt (issue 14, the kill campaign): an index left with
// compact's placeholder (the process killed between adding and removing it, after a purge)
// is rebuilt when opened: the placeholder is not counted as an item, and no purged text
// can remain in its files.
func TestInterruptedCompactIsRebuilt(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Kept", Body: "river gauge"})
	dir := filepath.Join(db.Dir(), "index")
	ix, err := Open(dir, db)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := db.LastSeq(ctx)
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	b := ix.bi.NewBatch()
	if err := b.Index(compactID, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if err := ix.batchDurably(ix.bi, b); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix, err = Open(dir, db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !strings.Contains(ix.Opened, "interrupted while it removed purged items: rebuilding") {
		t.Errorf("Opened = %q", ix.Opened)
	}
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("Check after reopening = %q, %v", p, err)
	}
}
