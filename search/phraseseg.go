package search

import (
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// On a scorch snapshot (the index on disk) the phrase check reads a word's positions from
// the postings of the segment that holds the candidate, directly: Bleve's term reader
// copies every occurrence into a term vector (offsets, field name, array positions) that
// the check does not use, and that copying, with the garbage it leaves, was about a third
// of a phrase's cost on common words. The positions read are the same (the occurrences in
// the phrase's field, in the document the candidate is), so the check is too.

// segPostings reads one term's positions in one field, segment by segment, forward only.
type segPostings struct {
	segs    []*scorch.SegmentSnapshot
	offsets []uint64 // by segment: its first document's number
	field   string
	term    []byte

	seg     int // the segment read now, -1 before the first
	advance func(local uint64) (doc uint64, ok bool, err error)
	landed  uint64 // the document the reader stands on (notRead, or atEnd past the segment)
	pos     []uint64
}

// newSegPostings returns the readers of terms in field on r; nil when r is not a scorch
// snapshot.
func newSegPostings(r index.IndexReader, field string, terms []string) []*segPostings {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	segs := snap.Segments()
	offsets := make([]uint64, len(segs))
	var running uint64
	for i, s := range segs {
		offsets[i] = running
		running += s.Segment().Count()
	}
	out := make([]*segPostings, len(terms))
	for i, t := range terms {
		out[i] = &segPostings{segs: segs, offsets: offsets, field: field, term: []byte(t), seg: -1, landed: notRead}
	}
	return out
}

// open starts reading segment i.
func (p *segPostings) open(i int) error {
	p.seg, p.landed, p.advance = i, notRead, nil
	dict, err := p.segs[i].Segment().Dictionary(p.field)
	if err != nil {
		return err
	}
	pl, err := dict.PostingsList(p.term, p.segs[i].Deleted(), nil)
	if err != nil {
		return err
	}
	it := pl.Iterator(true, false, true, nil)
	p.advance = func(local uint64) (uint64, bool, error) {
		posting, err := it.Advance(local)
		if err != nil || posting == nil {
			return 0, false, err
		}
		p.pos = p.pos[:0]
		for _, l := range posting.Locations() {
			if f := l.Field(); f == p.field || f == "" {
				p.pos = append(p.pos, l.Pos())
			}
		}
		if !slices.IsSorted(p.pos) {
			slices.Sort(p.pos)
		}
		return posting.Number(), true, nil
	}
	return nil
}

// positions returns the term's positions in document doc (none when it is not there).
// Documents are asked for in increasing order.
func (p *segPostings) positions(doc uint64) ([]uint64, error) {
	i := p.seg
	if i < 0 || doc < p.offsets[i] || (i+1 < len(p.offsets) && doc >= p.offsets[i+1]) {
		i = max(0, sortSearchOffsets(p.offsets, doc))
		if err := p.open(i); err != nil {
			return nil, err
		}
	}
	switch {
	case p.landed == doc:
		return p.pos, nil
	case p.landed != notRead && p.landed > doc: // past doc (or past the segment's end)
		return nil, nil
	}
	n, ok, err := p.advance(doc - p.offsets[i])
	if err != nil {
		return nil, err
	}
	if !ok {
		p.landed = atEnd
		return nil, nil
	}
	p.landed = p.offsets[i] + n
	if p.landed != doc {
		return nil, nil
	}
	return p.pos, nil
}

// sortSearchOffsets returns the segment holding document doc: the last whose first
// document is at or before it.
func sortSearchOffsets(offsets []uint64, doc uint64) int {
	i, found := slices.BinarySearch(offsets, doc)
	if found {
		// Segments without documents share their first number with the next: take the last.
		for i+1 < len(offsets) && offsets[i+1] == doc {
			i++
		}
		return i
	}
	return i - 1
}
