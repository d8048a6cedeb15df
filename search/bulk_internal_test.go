package search

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

// TestBulkCatchUp: a catch-up of thousands of changes, written before the index opens (a
// first build), is handed to Bleve in batches bounded by items and by text, at most
// maxUnpersisted ahead of its persister, under the bulk memory limit, which is put back
// afterwards; every item is searchable, and the index holds as many documents as the store.
func TestBulkCatchUp(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	const n = 2600
	filler := strings.Repeat("delta basin sediment report ", 100) // ~2.8 kB: the text bound cuts batches too
	var items []store.Item
	for i := range n {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Gauge %d", i),
			Body: fmt.Sprintf("reading%d %s", i, filler), SourceKey: fmt.Sprintf("test:%d", i)})
	}
	for chunk := range 5 {
		if _, err := db.SaveImported(ctx, items[chunk*n/5:(chunk+1)*n/5]); err != nil {
			t.Fatal(err)
		}
	}
	before := debug.SetMemoryLimit(-1)
	var (
		mu     sync.Mutex
		limits []int64
		calls  int
	)
	ix, err := Open(filepath.Join(db.Dir(), "index"), nil) // not followed: the catch-up below is the only one
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ix.src = db
	err = ix.catchUp(ctx, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		limits = append(limits, debug.SetMemoryLimit(-1))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := min(before, bulkMemoryLimit)
	for _, l := range limits {
		if l != want {
			t.Fatalf("memory limit during the bulk catch-up: %d, want %d", l, want)
		}
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("memory limit after the catch-up: %d, want the one before, %d", after, before)
	}
	// One report at the start, then one a batch: at least n/maxBatch batches, and more by text.
	if minBatches := (n*len(filler))/maxBatchText + 1; calls-1 < max(n/maxBatch, minBatches) {
		t.Errorf("%d progress reports: the catch-up did not cut %d items in batches of at most %d items and %d bytes of text", calls, n, maxBatch, maxBatchText)
	}
	count, err := ix.bi.DocCount()
	if err != nil || count != n {
		t.Fatalf("index holds %d documents (%v), want %d", count, err, n)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		res, err := ix.Search(ctx, fmt.Sprintf("reading%d", i), Options{})
		if err != nil || res.Total != 1 {
			t.Fatalf("item %d: %d hits, %v", i, res.Total, err)
		}
	}
}
