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
//
// The table is laid out for counting hundreds of thousands of matches: every value of
// every facet has one number (values), and the numbers of a document are one run of a
// single array (vals[offs[n]:offs[n+1]]), so that counting the matches, which come in
// the order of their numbers, reads two arrays from start to end instead of a slice per
// document and facet scattered over the heap.

// The facets are the fields with a facet size in the table of fields (fields.go).

// facetTable holds every document's facet values for one index snapshot.
type facetTable struct {
	reader index.IndexReader // the snapshot it was read from
	terms  [][]string        // by facet: the values, by value number within the facet
	first  []uint32          // by facet: the number of its first value among all values
	offs   []uint32          // by document number: where its values start in vals (and end, at n+1)
	vals   []uint32          // the documents' values, by number among all values
}

// values is the number of values of all facets.
func (t *facetTable) values() int {
	n := 0
	for _, ts := range t.terms {
		n += len(ts)
	}
	return n
}

// facetCache keeps the table of the newest snapshot searched, and what its dictionaries
// answered (expand.go).
type facetCache struct {
	mu     sync.Mutex
	table  *facetTable
	expand *expansions
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
	c.table, c.expand = nil, nil
	c.mu.Unlock()
}

// ForgetKept drops what searches keep for the index's current snapshot (the dictionaries'
// answers and the hits' stored fields, expand.go and stored.go; not the facet table, which
// is part of the index as it is read), so that the next search costs what a new query on
// an unchanged index costs. The bench calls it before every search it times, since its
// rounds repeat the same queries; a person's searches need not call it.
func (ix *Index) ForgetKept() {
	ix.facets.mu.Lock()
	ix.facets.expand = nil
	ix.facets.mu.Unlock()
}

func docNum(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// maxFacetValues is the most distinct values a facet keeps: the first 65,535.
const maxFacetValues = 1<<16 - 1

func readFacetTable(r index.IndexReader) (*facetTable, error) {
	t := &facetTable{reader: r, terms: make([][]string, len(facetFields)), first: make([]uint32, len(facetFields))}
	fields := make([]string, len(facetFields))
	fieldIndex := map[string]int{}
	ids := make([]map[string]uint32, len(facetFields))
	for i, f := range facetFields {
		fields[i] = f.name
		fieldIndex[f.name] = i
		ids[i] = map[string]uint32{}
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
	// First each document's values as (facet, value within the facet) pairs, in the order
	// the documents come; numbered among all values once every facet's count is known.
	type pair struct {
		doc          uint64
		facet, value uint32
	}
	// Room for a value of each facet per document at once: grown pair by pair, the slice
	// was copied over and over (on 233,523 items most of the table's 0.6 s of CPU).
	var pairs []pair
	if n, err := r.DocCount(); err == nil {
		pairs = make([]pair, 0, n*uint64(len(facetFields))+64)
	}
	var cur uint64
	visit := func(field string, term []byte) {
		i, ok := fieldIndex[field]
		if !ok {
			return
		}
		id, ok := ids[i][string(term)]
		if !ok {
			if len(t.terms[i]) >= maxFacetValues {
				return // more distinct values than a facet can show
			}
			id = uint32(len(t.terms[i]))
			ids[i][string(term)] = id
			t.terms[i] = append(t.terms[i], string(term))
		}
		pairs = append(pairs, pair{cur, uint32(i), id})
	}
	var docs uint64
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
		cur, docs = n, max(docs, n+1)
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil, err
		}
	}
	if !slices.IsSortedFunc(pairs, func(a, b pair) int { return cmp.Compare(a.doc, b.doc) }) {
		slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(a.doc, b.doc) })
	}
	n := uint32(0)
	for i := range t.terms {
		t.first[i] = n
		n += uint32(len(t.terms[i]))
	}
	t.offs = make([]uint32, docs+1)
	t.vals = make([]uint32, len(pairs))
	for k, p := range pairs {
		t.vals[k] = t.first[p.facet] + p.value
		t.offs[p.doc+1] = uint32(k + 1)
	}
	for d := uint64(1); d <= docs; d++ { // documents without values end where the one before does
		t.offs[d] = max(t.offs[d], t.offs[d-1])
	}
	return t, nil
}

// facetCounter counts the facet values of the matches of one search.
type facetCounter struct {
	table  *facetTable
	counts []int32 // by number among all values
	total  int
}

func newFacetCounter(t *facetTable) *facetCounter {
	return &facetCounter{table: t, counts: make([]int32, t.values())}
}

func (fc *facetCounter) add(id index.IndexInternalID) {
	n, ok := docNum(id)
	if !ok {
		return
	}
	fc.total++
	t := fc.table
	if n+1 >= uint64(len(t.offs)) {
		return
	}
	for _, v := range t.vals[t.offs[n]:t.offs[n+1]] {
		fc.counts[v]++
	}
}

// facets returns the counted facets, each value with its count, most frequent first (ties
// by value), cut to the facet's size; Other counts the matches' values left out.
func (fc *facetCounter) facets() []Facet {
	var out []Facet
	for i, f := range facetFields {
		facet := Facet{Name: f.name}
		first := fc.table.first[i]
		nonzero := 0
		for v := range fc.table.terms[i] {
			if fc.counts[first+uint32(v)] > 0 {
				nonzero++
			}
		}
		if nonzero > 0 {
			facet.Terms = make([]FacetTerm, 0, nonzero) // allocated once
		}
		for v, term := range fc.table.terms[i] {
			if n := int(fc.counts[first+uint32(v)]); n > 0 {
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
