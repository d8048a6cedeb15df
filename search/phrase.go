package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// A phrase is searched as the conjunction of its words (scored as Bleve scores a phrase:
// its phrase searcher is that conjunction), keeping the items where the words stand in the
// phrase's order, which is checked here from the positions of the words in each item the
// conjunction finds. Bleve's own phrase searcher reads the term vectors of every word of
// every candidate into maps of locations; this check reads positions into a few reused
// slices, and only for the candidates. The matches and their scores are Bleve's, and so are
// the locations a search for snippets reads: those of the phrase's words where they stand in
// the phrase, not elsewhere.

// phraseQuery matches an analysed phrase in one field.
type phraseQuery struct {
	field  string
	phrase [][]string // by position from the first: the terms there (none: any word)
	boost  float64
	// only, when not nil, restricts the phrase to these items (the snippet pass: the top
	// hits), so that its words' positions are read for them alone.
	only []string
}

// newPhraseQuery analyses text with field's analyzer; nil when nothing is left of it.
func newPhraseQuery(m mapping.IndexMapping, text, field string, boost float64) *phraseQuery {
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
	if an == nil {
		return nil
	}
	toks := an.Analyze([]byte(text))
	if len(toks) == 0 {
		return nil
	}
	first, last := toks[0].Position, toks[0].Position
	for _, t := range toks {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	p := &phraseQuery{field: field, phrase: make([][]string, last-first+1), boost: boost}
	for _, t := range toks {
		i := t.Position - first
		if !slices.Contains(p.phrase[i], string(t.Term)) {
			p.phrase[i] = append(p.phrase[i], string(t.Term))
		}
	}
	return p
}

func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opt bsearch.SearcherOptions) (s bsearch.Searcher, err error) {
	var words []bsearch.Searcher
	var readers []index.TermFieldReader
	defer func() {
		if err != nil {
			for _, w := range words {
				_ = w.Close()
			}
			for _, r := range readers {
				_ = r.Close()
			}
		}
	}()
	ch := &phraseChecker{field: q.field, locations: opt.IncludeTermVectors}
	termReader := map[string]int{}
	for i, terms := range q.phrase {
		if len(terms) == 0 {
			continue
		}
		var alts []bsearch.Searcher
		var slot []int
		for _, t := range terms {
			ts, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, opt)
			if err != nil {
				return nil, err
			}
			alts = append(alts, ts)
			k, ok := termReader[t]
			if !ok {
				tr, err := r.TermFieldReader(ctx, []byte(t), q.field, false, false, true)
				if err != nil {
					return nil, err
				}
				k = len(readers)
				termReader[t] = k
				readers = append(readers, tr)
				ch.terms = append(ch.terms, t)
			}
			slot = append(slot, k)
		}
		ch.offsets = append(ch.offsets, i)
		ch.slots = append(ch.slots, slot)
		if len(alts) == 1 {
			words = append(words, alts[0])
			continue
		}
		d, err := searcher.NewDisjunctionSearcher(ctx, r, alts, 1, opt)
		if err != nil {
			for _, a := range alts {
				_ = a.Close()
			}
			return nil, err
		}
		words = append(words, d)
	}
	if len(words) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	ch.readers = readers
	ch.seg = newSegPostings(r, q.field, ch.terms)
	ch.docs = make([]index.TermFieldDoc, len(readers))
	ch.pos = make([][]uint64, len(readers))
	ch.orderByRarity()
	if q.only != nil {
		ids, err := searcher.NewDocIDSearcher(ctx, r, q.only, 0, opt)
		if err != nil {
			return nil, err
		}
		words = append(words, ids)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, words, opt)
	if err != nil {
		return nil, err
	}
	words = nil // the conjunction owns them now
	return &phraseSearcher{FilteringSearcher: searcher.NewFilteringSearcher(ctx, conj, ch.match), ch: ch}, nil
}

// phraseSearcher is the conjunction of the words, filtered by where they stand.
type phraseSearcher struct {
	*searcher.FilteringSearcher
	ch *phraseChecker
}

// Next and Advance fail when reading the positions failed.
func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	d, err := s.FilteringSearcher.Next(ctx)
	if s.ch.err != nil {
		return nil, s.ch.err
	}
	return d, err
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	d, err := s.FilteringSearcher.Advance(ctx, id)
	if s.ch.err != nil {
		return nil, s.ch.err
	}
	return d, err
}

func (s *phraseSearcher) Close() error {
	err := s.FilteringSearcher.Close()
	for _, r := range s.ch.readers {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// phraseChecker tells whether the words of a phrase stand in its order in an item.
type phraseChecker struct {
	field   string
	offsets []int   // the positions of the phrase that hold words, from its first
	slots   [][]int // for each, the readers of its terms
	readers []index.TermFieldReader
	docs    []index.TermFieldDoc // reused by the readers
	pos     [][]uint64           // by reader: the term's positions in the item it stands on
	terms   []string             // by reader: its term
	err     error
	// The lazy check (phraseorder.go): the words in the order their positions are read
	// (the rarest first); by reader, the item it stands on (pos holds the term's positions
	// there); where the phrase may start.
	order  []int
	at     []uint64
	cur    [][]uint64     // by reader: its positions in the item checked (nil: none)
	seg    []*segPostings // by reader: its postings read directly (phraseseg.go), nil on another kind of index
	starts []uint64
	// locations: the search reads term locations (for snippets); keep only the phrase's.
	locations bool
	marked    map[phraseLoc]bool
}

// mark notes the positions of the words of the phrase found at start.
func (c *phraseChecker) mark(start uint64) {
	if c.marked == nil {
		c.marked = map[phraseLoc]bool{}
	}
	for i, off := range c.offsets {
		p := start + uint64(off-c.offsets[0])
		for _, k := range c.slots[i] {
			if _, ok := slices.BinarySearch(c.cur[k], p); ok {
				c.marked[phraseLoc{c.terms[k], p}] = true
			}
		}
	}
}

// keepMarked keeps of d's locations in the field those of the phrase (as Bleve's phrase
// searcher does, for the snippets): a word of the phrase elsewhere is not highlighted.
func (c *phraseChecker) keepMarked(d *bsearch.DocumentMatch) {
	kept := d.FieldTermLocations[:0]
	for _, l := range d.FieldTermLocations {
		if l.Field != c.field || c.marked[phraseLoc{l.Term, l.Location.Pos}] {
			kept = append(kept, l)
		}
	}
	d.FieldTermLocations = kept
	clear(c.marked)
}

type phraseLoc struct {
	term string
	pos  uint64
}

var _ query.Query = (*phraseQuery)(nil)

// onlyIn returns leaves with each phrase restricted to the items ids: in the snippet pass
// the hits are known, and the conjunction that runs that pass would otherwise have each
// phrase find its first match from the start of the index, reading positions on the way
// (its other parts start each at their first item before moving to the hits).
func onlyIn(leaves []query.Query, ids []string) []query.Query {
	out := make([]query.Query, len(leaves))
	for i, l := range leaves {
		if p, ok := l.(*phraseQuery); ok {
			c := *p
			c.only = ids
			l = &c
		}
		out[i] = l
	}
	return out
}
