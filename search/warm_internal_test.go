package search

import (
	"context"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

// TestFacetTableIsReadAfterSync checks the facet table is ready once a catch-up has finished, so
// that the first search with facets does not read it, and that the search uses that table.
func TestFacetTableIsReadAfterSync(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Ossera", Countries: []string{"GHA"}, Body: "The river."})
	ix := caughtUp(t, db)
	table := func() *facetTable {
		ix.facets.mu.Lock()
		defer ix.facets.mu.Unlock()
		return ix.facets.table
	}
	deadline := time.Now().Add(5 * time.Second)
	for table() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	warm := table()
	if warm == nil {
		t.Fatal("no facet table five seconds after catching up")
	}
	res, err := ix.Search(ctx, "river", Options{Facets: true})
	if err != nil || res.Total != 1 {
		t.Fatalf("search: %d hits, %v", res.Total, err)
	}
	if table() != warm {
		t.Error("the first search read the facet table again")
	}
}
