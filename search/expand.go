package search

import (
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// What a word expands to (its completions, its neighbours within a typo, whether the index
// knows it) is read from the index's term dictionaries once per index snapshot, and kept
// until the index changes: typing a query searches again at every keystroke, each time
// with every word typed so far, and each of them was looked up in the dictionaries again
// (a fuzzy word builds a Levenshtein automaton and walks a dictionary with it: the largest
// allocation of a search). The answers are those of the snapshot searched, so the queries,
// and so the results, are the same as without the cache.

// expansions holds the dictionary answers of one snapshot.
type expansions struct {
	reader index.IndexReader // the snapshot (compared, not read: it is not held open)
	mu     sync.Mutex
	prefix map[fieldTerm][]dictEntry
	exists map[fieldTerm]bool
	fuzzy  map[fuzzyKey]fuzzyEntry
	stored map[uint64]storedEntry // stored.go
}

type fieldTerm struct{ field, term string }

type dictEntry struct {
	term  string
	count uint64
}

type fuzzyKey struct {
	field, term string
	fuzziness   int
}

type fuzzyEntry struct {
	terms []string
	dists []uint8
}

// maxExpansions bounds each map of a snapshot's expansions: past it, the map starts again.
const maxExpansions = 4096

// kept returns what m, one of ex's maps, holds for k.
func kept[K comparable, V any](ex *expansions, m map[K]V, k K) (V, bool) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	v, ok := m[k]
	return v, ok
}

// keep puts v in m, one of ex's maps, under k; a map grown to limit starts again.
func keep[K comparable, V any](ex *expansions, m map[K]V, k K, v V, limit int) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if len(m) >= limit {
		clear(m)
	}
	m[k] = v
}

// expansionsFor returns the expansions of the snapshot r, new when r is not the one kept.
func (c *facetCache) expansionsFor(r index.IndexReader) *expansions {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.expand == nil || c.expand.reader != r {
		c.expand = &expansions{reader: r, prefix: map[fieldTerm][]dictEntry{}, exists: map[fieldTerm]bool{}, fuzzy: map[fuzzyKey]fuzzyEntry{}, stored: map[uint64]storedEntry{}}
	}
	return c.expand
}

// withReader calls f with the index's current snapshot and its expansions.
func (ix *Index) withReader(f func(r index.IndexReader, ex *expansions) error) error {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	return f(r, ix.facets.expansionsFor(r))
}

// prefixed returns the terms of field that start with p, with their document counts, in
// the dictionary's order.
func (ex *expansions) prefixed(r index.IndexReader, field, p string) ([]dictEntry, error) {
	k := fieldTerm{field, p}
	e, ok := kept(ex, ex.prefix, k)
	if ok {
		return e, nil
	}
	d, err := r.FieldDictPrefix(field, []byte(p))
	if err != nil {
		return nil, err
	}
	var readErr error
	for {
		de, err := d.Next()
		if err != nil || de == nil {
			readErr = err
			break
		}
		e = append(e, dictEntry{de.Term, de.Count})
	}
	_ = d.Close()
	if readErr != nil {
		return e, nil // what was read, as before; not kept
	}
	keep(ex, ex.prefix, k, e, maxExpansions)
	return e, nil
}

// known reports whether field holds term.
func (ex *expansions) known(r index.IndexReader, field, term string) (bool, error) {
	k := fieldTerm{field, term}
	v, ok := kept(ex, ex.exists, k)
	if ok {
		return v, nil
	}
	if rc, ok := r.(index.IndexReaderContains); ok {
		// A lookup in each segment's dictionary, without the range iterators.
		d, err := rc.FieldDictContains(field)
		if err != nil {
			return false, err
		}
		if v, err = d.Contains([]byte(term)); err != nil {
			return false, err
		}
	} else {
		d, err := r.FieldDictRange(field, []byte(term), []byte(term))
		if err != nil {
			return false, err
		}
		e, err := d.Next()
		_ = d.Close()
		if err != nil {
			return false, err
		}
		v = e != nil && e.Term == term
	}
	keep(ex, ex.exists, k, v, maxExpansions)
	return v, nil
}

// near returns the terms of field within fuzziness edits of term, and their distances.
func (ex *expansions) near(r index.IndexReaderFuzzy, field, term string, fuzziness int) ([]string, []uint8, error) {
	k := fuzzyKey{field, term, fuzziness}
	e, ok := kept(ex, ex.fuzzy, k)
	if ok {
		return e.terms, e.dists, nil
	}
	terms, dists, err := fuzzyTerms(r, field, term, fuzziness)
	if err != nil {
		return nil, nil, err
	}
	keep(ex, ex.fuzzy, k, fuzzyEntry{terms, dists}, maxExpansions)
	return terms, dists, nil
}
