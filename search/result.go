package search

import (
	"time"

	"chancery/store"
)

// Options shape one search.
type Options struct {
	Size   int  // hits to return; 10 when zero
	From   int  // offset of the first hit, for paging
	Facets bool // compute facet counts (kind, country, topic, year)
	// Only, when not nil, restricts the search to the items with these IDs (none when
	// empty): which of some items a query matches (a kept search's new and changed ones).
	Only []string
}

// Result is the answer to one search.
type Result struct {
	Total  uint64 // number of matching items
	Hits   []Hit
	Facets []Facet // in the order kind, country, topic, year; empty unless asked for
	Took   time.Duration
	// Partial is true while the index is still being built: the hits are from what is
	// indexed so far.
	Partial bool
}

// Hit is one matching item: enough to show it in a result list. The item itself is read
// from the store by ID.
type Hit struct {
	ID        string
	Kind      store.Kind
	Title     string
	Class     string
	Countries []string
	Date      time.Time
	Score     float64
	// Snippets are fragments of the item's text around the matches, best first.
	Snippets []Snippet
}

// Snippet is a fragment of text in spans; the spans with Match set are what the query
// matched (to be shown highlighted).
type Snippet []Span

// Span is a run of text in a snippet.
type Span struct {
	Text  string
	Match bool
}

// String is the snippet's text with matches in «guillemets», for terminals and logs.
func (s Snippet) String() string {
	var b []byte
	for _, sp := range s {
		if sp.Match {
			b = append(b, "«"...)
			b = append(b, sp.Text...)
			b = append(b, "»"...)
		} else {
			b = append(b, sp.Text...)
		}
	}
	return string(b)
}

// Facet is the counts of one facet over all matching items.
type Facet struct {
	Name  string // "kind", "country", "topic", "year"
	Terms []FacetTerm
	Other int // matches not counted in Terms (beyond the top terms)
}

// FacetTerm is one value of a facet and how many matching items have it. Filter is the
// filter that narrows a search to it (country:NGA); Active says that the query searched
// has it on (Query.Has), however it was written (country:nigeria).
type FacetTerm struct {
	Term   string
	Count  int
	Filter Filter
	Active bool
}
