package search

import (
	"fmt"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// The phrase check reads the positions of the phrase's words in a candidate one word at a
// time, the rarest word (fewest items) first, and keeps the places where the phrase could
// start: the first word that stands nowhere in the phrase's order after the words read
// ends the check, and the other words' positions are not read. In a phrase of common words
// ("new international economic order") most candidates hold every word but not the phrase,
// and the most frequent words, whose positions cost the most to read, are then read for
// few of them. Which items match, and the positions marked for snippets, are those of the
// check of every word (the starts left after every word are the same, in whatever order
// the words are read).

// orderByRarity sets the order in which the words' positions are read: by the number of
// items holding them, fewest first (a word of several terms counts their items together).
func (c *phraseChecker) orderByRarity() {
	n := make([]uint64, len(c.slots))
	for i, slot := range c.slots {
		for _, k := range slot {
			n[i] += c.readers[k].Count()
		}
		c.order = append(c.order, i)
	}
	slices.SortStableFunc(c.order, func(a, b int) int {
		switch {
		case n[a] < n[b]:
			return -1
		case n[a] > n[b]:
			return 1
		}
		return 0
	})
	c.at = make([]uint64, len(c.readers))
	c.cur = make([][]uint64, len(c.readers))
	for k := range c.at {
		c.at[k] = notRead
	}
}

const (
	notRead = ^uint64(0)     // a reader not read yet
	atEnd   = ^uint64(0) - 1 // a reader past its last item
)

// positions returns the positions of reader k's term in item doc (d), none when the item
// does not hold it; false when reading failed. A reader is only moved forward: one that
// stands past doc (its term is not in doc) stays where it is, and one read for doc is not
// read again.
func (c *phraseChecker) positions(k int, d *bsearch.DocumentMatch, doc uint64) ([]uint64, bool) {
	if c.seg != nil { // phraseseg.go
		pos, err := c.seg[k].positions(doc)
		if err != nil {
			c.err = err
			return nil, false
		}
		return pos, true
	}
	if c.at[k] == doc {
		return c.pos[k], true
	}
	if c.at[k] != notRead && c.at[k] > doc {
		return nil, true
	}
	c.pos[k] = c.pos[k][:0]
	tfd, err := c.readers[k].Advance(d.IndexInternalID, c.docs[k].Reset())
	if err != nil {
		c.err = err
		return nil, false
	}
	if tfd == nil {
		c.at[k] = atEnd
		return nil, true
	}
	if n, ok := docNum(tfd.ID); ok {
		c.at[k] = n
	} else {
		c.at[k] = notRead
	}
	for _, v := range tfd.Vectors {
		if v.Field == c.field || v.Field == "" {
			c.pos[k] = append(c.pos[k], v.Pos)
		}
	}
	if !slices.IsSorted(c.pos[k]) {
		slices.Sort(c.pos[k])
	}
	if !tfd.ID.Equals(d.IndexInternalID) {
		return nil, true
	}
	return c.pos[k], true
}

func (c *phraseChecker) match(_ *bsearch.SearchContext, d *bsearch.DocumentMatch) bool {
	if c.err != nil {
		return false
	}
	doc, ok := docNum(d.IndexInternalID)
	if !ok || doc >= atEnd {
		c.err = fmt.Errorf("search: phrase: an item numbered %x", d.IndexInternalID)
		return false
	}
	// c.starts: where the phrase's first position may be, given the words read so far.
	first := true
	for _, i := range c.order {
		rel := uint64(c.offsets[i] - c.offsets[0])
		for _, k := range c.slots[i] {
			var ok bool
			if c.cur[k], ok = c.positions(k, d, doc); !ok {
				return false
			}
		}
		if first {
			first = false
			c.starts = c.starts[:0]
			for _, k := range c.slots[i] {
				for _, p := range c.cur[k] {
					if p >= rel {
						c.starts = append(c.starts, p-rel)
					}
				}
			}
			if len(c.slots[i]) > 1 {
				slices.Sort(c.starts)
				c.starts = slices.Compact(c.starts)
			}
		} else {
			kept := c.starts[:0]
			for _, s := range c.starts {
				for _, k := range c.slots[i] {
					if _, ok := slices.BinarySearch(c.cur[k], s+rel); ok {
						kept = append(kept, s)
						break
					}
				}
			}
			c.starts = kept
		}
		if len(c.starts) == 0 {
			return false
		}
	}
	if !c.locations {
		return true
	}
	for _, start := range c.starts {
		c.mark(start)
	}
	c.keepMarked(d)
	return true
}
