package main

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// TestReleasingIndexOverTheCeiling: the window's searches leave the index pages they read
// resident until a pause, unless the process is over its resident ceiling: then they are
// let go of at once.
func TestReleasingIndexOverTheCeiling(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the index pages resident are known, and released, on Linux only")
	}
	ctx := context.Background()
	var items []store.Item
	for i := range 200 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("River report %d", i),
			Body: fmt.Sprintf("The oil spill reached the river at mile %d; the depot's operator was told.", i)})
	}
	ix := searchtest.Open(t, storetest.Open(t, items...))
	searchWith := func(r *releasingIndex) {
		t.Helper()
		if _, err := r.Search(ctx, "spill river", search.Options{Size: 300, Facets: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Under the ceiling, a search leaves what it read resident (the segments reach the disk,
	// and are mapped, a moment after the index has caught up).
	under := &releasingIndex{Index: ix, ceiling: 1 << 50}
	for deadline := time.Now().Add(10 * time.Second); ix.Resident() == 0 && time.Now().Before(deadline); {
		searchWith(under)
		time.Sleep(20 * time.Millisecond)
	}
	under.stop() // no release after the pause
	if ix.Resident() == 0 {
		t.Fatal("a search left none of the index resident: the test shows nothing")
	}
	// Over it, the search's pages are let go of at once, well before the pause's release.
	over := &releasingIndex{Index: ix, ceiling: 1}
	defer over.stop()
	start := time.Now()
	searchWith(over)
	for ix.Resident() != 0 && time.Since(start) < releaseAfter/2 {
		time.Sleep(10 * time.Millisecond)
	}
	if n := ix.Resident(); n != 0 {
		t.Errorf("%d bytes of the index still resident %v after a search over the ceiling", n, time.Since(start).Round(time.Millisecond))
	}
}
