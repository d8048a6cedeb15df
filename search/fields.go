package search

import (
	"strconv"
	"time"

	"chancery/store"
)

// fieldType is how the index holds a field.
type fieldType int

const (
	keywordField fieldType = iota // exact values, not analysed: filtered by and counted
	dateField                     // a date, filtered by ranges
	textField                     // text in the standard analysis, searched by words
	leadField                     // kept to show, not searched
)

// indexField is one field of the index's documents. The table fields is the one place the
// fields are named: it drives the mapping (newMapping), what the index keeps of an item
// (document), the stored fields a hit reads (hitFields, readHit), the facets (facetFields)
// and the names of the query language's filters (filterFields). The body fields, one per
// analysed language, are the table languages (lang.go).
type indexField struct {
	name string
	typ  fieldType
	// facet is how many values of the field a facet shows, most frequent first; 0 when the
	// field is not a facet. A facet field keeps doc values.
	facet int
	// filters are the query language's names of filters on the field: each canonical name
	// with its aliases (kind: and type: are one filter).
	filters map[string][]string
	// value is what the document holds for an item; nil leaves the field out.
	value func(it store.Item) any
	// hit reads the stored value into a hit; nil when a hit does not show the field (it is
	// then not stored, but for the lead).
	hit func(h *Hit, v any)
}

// fields are the index's fields, facets in the order results list them.
var fields = []indexField{
	{name: "kind", typ: keywordField, facet: 5,
		filters: map[string][]string{"kind": {"type"}},
		value:   func(it store.Item) any { return string(it.Kind) },
		hit:     func(h *Hit, v any) { h.Kind = store.Kind(str(v)) }},
	{name: "title", typ: textField,
		value: func(it store.Item) any { return it.Title },
		hit:   func(h *Hit, v any) { h.Title = str(v) }},
	{name: "class", typ: keywordField,
		filters: map[string][]string{"class": {"classification"}},
		value:   func(it store.Item) any { return it.Class },
		hit:     func(h *Hit, v any) { h.Class = str(v) }},
	{name: "country", typ: keywordField, facet: 15,
		filters: map[string][]string{"country": {"countries"}},
		value:   func(it store.Item) any { return nonEmpty(it.Countries) },
		hit:     func(h *Hit, v any) { h.Countries = strs(v) }},
	{name: "topic", typ: keywordField, facet: 15,
		filters: map[string][]string{"topic": {"topics"}},
		value:   func(it store.Item) any { return nonEmpty(it.Topics) }},
	{name: "tag", typ: keywordField,
		filters: map[string][]string{"tag": {"tags", "#"}},
		value:   func(it store.Item) any { return nonEmpty(it.Tags) }},
	{name: "lang", typ: keywordField,
		filters: map[string][]string{"lang": {"language"}},
		value:   func(it store.Item) any { return it.Language }}, // filled by the store when saved without one
	{name: "year", typ: keywordField, facet: 20, // filtered by year:, a range of the date
		value: func(it store.Item) any {
			if d := it.DisplayDate(); !d.IsZero() {
				return strconv.Itoa(d.Year())
			}
			return nil
		}},
	{name: "date", typ: dateField,
		// Each reads its value in its own way (dateRange).
		filters: map[string][]string{"date": nil, "year": nil, "after": nil, "before": nil},
		value: func(it store.Item) any {
			if d := it.DisplayDate(); !d.IsZero() {
				return d
			}
			return nil
		},
		hit: func(h *Hit, v any) { h.Date = parseTime(str(v)) }},
	{name: leadName, typ: leadField,
		value: func(it store.Item) any { return leadText(it) }},
}

// leadName is the field of an item's lead, shown for hits without snippets.
const leadName = "lead"

func nonEmpty(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

// The tables fields derives.
var (
	// filterFields maps each filter name and alias of the query language to its canonical
	// name.
	filterFields = map[string]string{}
	// hitFields are the stored fields a hit shows.
	hitFields []string
	// facetFields are the facets, in the order results list them.
	facetFields []indexField
)

func init() {
	for _, f := range fields {
		for name, aliases := range f.filters {
			filterFields[name] = name
			for _, a := range aliases {
				filterFields[a] = name
			}
		}
		if f.hit != nil {
			hitFields = append(hitFields, f.name)
		}
		if f.facet > 0 {
			facetFields = append(facetFields, f)
		}
	}
}

// parseTime reads a stored date; zero when there is none.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// readHit fills a hit's shown fields from their stored values.
func readHit(h *Hit, stored map[string]any) {
	for _, f := range fields {
		if f.hit != nil {
			f.hit(h, stored[f.name])
		}
	}
}
