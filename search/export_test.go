package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
)

// HoldCatchUpForTest keeps the follower from catching up (it waits for the one under
// way) until release is called.
func HoldCatchUpForTest(ix *Index) (release func()) {
	ix.syncMu.Lock()
	return ix.syncMu.Unlock
}

// CatchUpHeldForTest runs one catch-up in the caller's goroutine, reporting to progress, as
// the follower does; the caller holds the follower (HoldCatchUpForTest).
func CatchUpHeldForTest(ix *Index, ctx context.Context, progress Progress) error {
	return ix.catchUpLocked(ctx, progress)
}

// WriteFailuresForTest is how many failed writes Bleve's background work reported.
func WriteFailuresForTest(ix *Index) int64 { return ix.writeFailures.Load() }

// ListenersForTest is how many WaitForProgress calls are listening.
func ListenersForTest(ix *Index) int {
	ix.state.Lock()
	defer ix.state.Unlock()
	return len(ix.listeners)
}

// SetMappingVersionForTest records another mapping version in the index, as an index built
// by another Chancery would have.
func SetMappingVersionForTest(ix *Index, v string) {
	b := ix.bi.NewBatch()
	b.SetInternal(keyVersion, []byte(v))
	if err := ix.batchDurably(ix.bi, b); err != nil {
		panic(err)
	}
}

// BleveFacetsForTest computes the facets of a query with Bleve's own facet builders, the way
// Chancery computed them before it kept its facet table: the reference its counts are
// checked against.
func BleveFacetsForTest(ix *Index, q string) (map[string]map[string]int, map[string]int, error) {
	parsed, err := Parse(q)
	if err != nil {
		return nil, nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bq, _, _ := ix.compile(parsed)
	req := bleve.NewSearchRequestOptions(bq, 10, 0, false)
	for _, f := range facetFields {
		req.AddFacet(f.name, bleve.NewFacetRequest(f.name, 1000))
	}
	sr, err := ix.bi.Search(req)
	if err != nil {
		return nil, nil, err
	}
	out, totals := map[string]map[string]int{}, map[string]int{}
	for name, fr := range sr.Facets {
		out[name] = map[string]int{}
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				out[name][t.Term] = t.Count
			}
		}
		totals[name] = fr.Total
	}
	return out, totals, nil
}
