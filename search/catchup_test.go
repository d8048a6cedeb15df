package search_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// TestIndexFollowsWritesByItself: what any writer commits (a save, an import from another
// goroutine, a trash) is searchable once WaitFor its sequence number returns, without
// anyone telling the index.
func TestIndexFollowsWritesByItself(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ix := searchtest.Open(t, db)

	saved, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Lagoon", Body: "sardinewords"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.WaitFor(ctx, saved.Seq); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(ctx, "sardinewords", search.Options{}); err != nil || res.Total != 1 {
		t.Fatalf("a save is not searchable after WaitFor: %d hits, %v", res.Total, err)
	}

	// An importer writing from its own goroutine, in several transactions.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 5 {
			var batch []store.Item
			for j := range 100 {
				it := store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Imported %d.%d", i, j), Body: "gaugeword"}
				it.SourceKey = fmt.Sprintf("test:%d.%d", i, j)
				batch = append(batch, it)
			}
			if _, err := db.SaveImported(ctx, batch); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(ctx, "gaugeword", search.Options{}); err != nil || res.Total != 500 {
		t.Errorf("after an import: %d hits, %v", res.Total, err)
	}
	if err := db.Delete(ctx, saved.ID); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(ctx, "sardinewords", search.Options{}); res.Total != 0 {
		t.Error("a trashed item is still found")
	}
	last, _ := db.LastSeq(ctx)
	if st := ix.Status(); st.Applied != last || st.Err != nil || st.Building {
		t.Errorf("Status = %+v, want applied %d, no error", st, last)
	}
}

// TestWaitForEnds: WaitFor returns ctx's error when ctx ends first, and an error once the
// index is closed.
func TestWaitForEnds(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ix, err := search.Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := ix.WaitFor(cctx, 1000); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor a change never made = %v, want the deadline", err)
	}
	done := make(chan error, 1)
	go func() { done <- ix.WaitFor(ctx, 1000) }()
	ix.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("WaitFor on a closed index returned nil")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WaitFor did not return when the index was closed")
	}
	if err := ix.WaitFor(ctx, 0); err != nil {
		t.Errorf("WaitFor a change applied already: %v", err)
	}
}

// TestIndexSubscribe: a subscriber of the index is signalled when it applies a commit, and
// its channel is closed by cancel (and by Close for those left).
func TestIndexSubscribe(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ix := searchtest.Open(t, db)
	c, cancel := ix.Subscribe()
	saved, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Signal", Body: "text"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for ix.Status().Applied < saved.Seq {
		select {
		case <-c:
		case <-deadline:
			t.Fatalf("no signal brought the index to change %d (Status %+v)", saved.Seq, ix.Status())
		}
	}
	cancel()
	cancel()
	for range c { // drain what was pending; the channel is closed
	}
	kept, keptCancel := ix.Subscribe()
	defer keptCancel()
	ix.Close()
	select {
	case <-kept:
		if _, ok := <-kept; ok {
			t.Error("Close left a subscription open")
		}
	case <-time.After(5 * time.Second):
		t.Error("Close left a subscription open")
	}
}

// TestWaitForProgress: a wait reports the catch-up it waits for, from 0 of the total to the
// total.
func TestWaitForProgress(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	ix := searchtest.Open(t, db)
	release := search.HoldCatchUpForTest(ix)
	var items []store.Item
	for i := range 700 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Body: "reading"})
	}
	if _, err := db.SaveAll(ctx, items); err != nil {
		t.Fatal(err)
	}
	last, _ := db.LastSeq(ctx)
	var seen [][2]int
	done := make(chan error, 1)
	go func() {
		done <- ix.WaitForProgress(ctx, last, func(d, total int) { seen = append(seen, [2]int{d, total}) })
	}()
	// The catch-up starts once the wait listens.
	for search.ListenersForTest(ix) == 0 {
		runtime.Gosched()
	}
	if ix.Status().Applied >= last {
		t.Fatal("the index caught up while held")
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 || seen[0] != [2]int{0, 700} || seen[len(seen)-1] != [2]int{700, 700} {
		t.Errorf("progress %v: want 0 of 700 first and 700 of 700 last", seen)
	}
}
