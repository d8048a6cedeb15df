package search

import (
	"context"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// fuzzyQuery is Bleve's fuzzy query (the same searcher, matches and scores) that looks its
// terms up in the index once: a search runs its query twice, for the hits and then for the
// snippets of the top ones, and Bleve's fuzzy query builds a Levenshtein automaton and walks
// the dictionary with it each time.
type fuzzyQuery struct {
	field     string
	term      string
	fuzziness int
	boost     float64
	cache     *facetCache // when set, the terms are read once per index snapshot (expand.go)

	once  sync.Once
	terms []string // the terms within fuzziness of term, and their edit distances
	dists []uint8
	err   error
}

func newFuzzyQuery(field, term string, fuzziness int, boost float64) *fuzzyQuery {
	return &fuzzyQuery{field: field, term: term, fuzziness: fuzziness, boost: boost}
}

func (q *fuzzyQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opt bsearch.SearcherOptions) (bsearch.Searcher, error) {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return searcher.NewFuzzySearcher(ctx, r, q.term, 0, q.fuzziness, q.field, q.boost, opt)
	}
	q.once.Do(func() {
		if q.cache == nil {
			q.terms, q.dists, q.err = fuzzyTerms(fr, q.field, q.term, q.fuzziness)
			return
		}
		q.terms, q.dists, q.err = q.cache.expansionsFor(r).near(fr, q.field, q.term, q.fuzziness) // expand.go
	})
	if q.err != nil {
		return nil, q.err
	}
	// As searcher.NewFuzzySearcher does with what it finds.
	if len(q.terms) == 0 || len(q.terms) == 1 && q.terms[0] == q.term {
		return searcher.NewTermSearcher(ctx, r, q.term, q.field, q.boost, opt)
	}
	return searcher.NewMultiTermSearcherBoosted(ctx, r, q.terms, q.field, q.boost, q.dists, opt, true)
}

// fuzzyTerms returns the terms of field within fuzziness edits of term.
func fuzzyTerms(r index.IndexReaderFuzzy, field, term string, fuzziness int) (terms []string, dists []uint8, err error) {
	d, err := r.FieldDictFuzzy(field, term, fuzziness, "")
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if cerr := d.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		e, err := d.Next()
		if err != nil {
			return nil, nil, err
		}
		if e == nil {
			return terms, dists, nil
		}
		terms, dists = append(terms, e.Term), append(dists, e.EditDistance)
	}
}
