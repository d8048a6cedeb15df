package search

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
)

// Facet counts are taken from a table of every document's facet values, kept in memory and
// indexed by the document's number in the index snapshot it was read from. Counting a match
// is then a few array increments, where Bleve's own facets read and decompress the
// document's values from disk for every match. The table is read again when the index
// changes (a new snapshot), in one pass over the documents.

// The facets are the fields with a facet size in the table of fields (fields.go).

// facetTable holds every document's facet values for one index snapshot.
type facetTable struct {
	reader index.IndexReader // the snapshot it was read from
	terms  [][]string        // by facet: the values, by value number
	docs   [][][]uint16      // by facet, by document number: value numbers
}

// facetCache keeps the table of the newest snapshot searched.
type facetCache struct {
	mu    sync.Mutex
	table *facetTable
}

// forReader returns the table for the snapshot r, reading it when r is new.
func (c *facetCache) forReader(r index.IndexReader) (*facetTable, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.table != nil && c.table.reader == r {
		return c.table, nil
	}
	t, err := readFacetTable(r)
	if err != nil {
		return nil, err
	}
	c.table = t
	return t, nil
}

// reset forgets the table, so that the snapshot it holds can be let go.
func (c *facetCache) reset() {
	c.mu.Lock()
	c.table = nil
	c.mu.Unlock()
}

func docNum(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

func readFacetTable(r index.IndexReader) (*facetTable, error) {
	t := &facetTable{reader: r, terms: make([][]string, len(facetFields)), docs: make([][][]uint16, len(facetFields))}
	fields := make([]string, len(facetFields))
	fieldIndex := map[string]int{}
	ids := make([]map[string]uint16, len(facetFields))
	for i, f := range facetFields {
		fields[i] = f.name
		fieldIndex[f.name] = i
		ids[i] = map[string]uint16{}
	}
	dv, err := r.DocValueReader(fields)
	if err != nil {
		return nil, err
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer all.Close()
	var cur uint64
	visit := func(field string, term []byte) {
		i, ok := fieldIndex[field]
		if !ok {
			return
		}
		id, ok := ids[i][string(term)]
		if !ok {
			id = uint16(len(t.terms[i]))
			if int(id) != len(t.terms[i]) {
				return // more distinct values than a facet can show: keep the first 65,535
			}
			ids[i][string(term)] = id
			t.terms[i] = append(t.terms[i], string(term))
		}
		t.docs[i][cur] = append(t.docs[i][cur], id)
	}
	for {
		id, err := all.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			break
		}
		n, ok := docNum(id)
		if !ok {
			continue
		}
		for i := range t.docs {
			for uint64(len(t.docs[i])) <= n {
				t.docs[i] = append(t.docs[i], nil)
			}
		}
		cur = n
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// facetCounter counts the facet values of the matches of one search.
type facetCounter struct {
	table  *facetTable
	counts [][]int // by facet, by value number
	total  int
}

func newFacetCounter(t *facetTable) *facetCounter {
	fc := &facetCounter{table: t, counts: make([][]int, len(t.terms))}
	for i := range t.terms {
		fc.counts[i] = make([]int, len(t.terms[i]))
	}
	return fc
}

func (fc *facetCounter) add(id index.IndexInternalID) {
	n, ok := docNum(id)
	if !ok {
		return
	}
	fc.total++
	for i, docs := range fc.table.docs {
		if n < uint64(len(docs)) {
			for _, v := range docs[n] {
				fc.counts[i][v]++
			}
		}
	}
}

// facets returns the counted facets, each value with its count, most frequent first (ties
// by value), cut to the facet's size; Other counts the matches' values left out.
func (fc *facetCounter) facets() []Facet {
	var out []Facet
	for i, f := range facetFields {
		facet := Facet{Name: f.name}
		for v, n := range fc.counts[i] {
			if n > 0 {
				term := fc.table.terms[i][v]
				facet.Terms = append(facet.Terms, FacetTerm{Term: term, Count: n, Filter: Filter{Field: f.name, Value: term}})
			}
		}
		slices.SortFunc(facet.Terms, func(a, b FacetTerm) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term))
		})
		if len(facet.Terms) > f.facet {
			for _, t := range facet.Terms[f.facet:] {
				facet.Other += t.Count
			}
			facet.Terms = facet.Terms[:f.facet]
		}
		out = append(out, facet)
	}
	return out
}

// countingHandler wraps the top-N collector's handler so that every match is also counted
// in fc; the table is that of the snapshot the search reads.
func (ix *Index) countingHandler(fc **facetCounter) bsearch.MakeDocumentMatchHandler {
	return func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		t, err := ix.facets.forReader(sctx.IndexReader)
		if err != nil {
			return nil, false, err
		}
		c := newFacetCounter(t)
		*fc = c
		return func(d *bsearch.DocumentMatch) error {
			if d != nil {
				c.add(d.IndexInternalID)
			}
			return next(d)
		}, loadID, nil
	}
}

// warmFacets reads the facet table of the index as it is now, so that the first search
// with facets does not wait for it (on 10,952 UN statements it takes a tenth of a second
// or more). Searches that come first read it themselves.
func (ix *Index) warmFacets() {
	defer func() {
		if r := recover(); r != nil {
			ix.damagedLater(fmt.Sprintf("reading its facets failed: %v", r))
		}
	}()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.bi == nil {
		return
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return
	}
	r, err := adv.Reader()
	if err != nil {
		return
	}
	defer r.Close()
	_, _ = ix.facets.forReader(r)
}
