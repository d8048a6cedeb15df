package search

import "github.com/blevesearch/bleve/v2"

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
