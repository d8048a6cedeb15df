package ui

import (
	"chancery/search"
	"chancery/store"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// row is what a list of items shows of one, whichever list it is in: the search's hits
// (hitRow) and the browse screen's items (itemRow) and terms (termRow) are drawn by the
// same resultRow from it. The screens own their slices (hits, items); a row is made from
// one as it is drawn.
type row struct {
	id        string
	kind      store.Kind
	title     string
	marking   string // the classification: the row's badge
	countries []string
	date      time.Time
	// snippet is a fragment of the text with the matches highlighted (a hit), or words
	// about the item (its job title, tags, why a document has no text...).
	snippet search.Snippet
	// icon and meta, when set, replace the kind's icon and the line under the title
	// (kind · countries · date): a term's row shows its place's icon and its count.
	icon fyne.Resource
	meta string
}

// hitRow is the row of a search hit: its best snippet.
func hitRow(h search.Hit) row {
	r := row{id: h.ID, kind: h.Kind, title: h.Title, marking: h.Class, countries: h.Countries, date: h.Date}
	if len(h.Snippets) > 0 {
		r.snippet = h.Snippets[0]
	}
	return r
}

// termRow is the row of a tag, country or topic in use (terms is store.TermTag...), with
// how many items carry it.
func termRow(terms string, t store.Term, v *vocab) row {
	return row{title: termLabel(terms, t.Value, v), icon: termsPlace(terms).icon(), meta: plural(t.Count, "item", "items")}
}

// metaLine is the line under the title: kind · countries · date, unless meta says else.
func (r row) metaLine() string {
	if r.meta != "" {
		return r.meta
	}
	meta := []string{kindLabel(r.kind)}
	if len(r.countries) > 0 {
		meta = append(meta, countryNames(r.countries))
	}
	if d := formatDate(r.date); d != "" {
		meta = append(meta, d)
	}
	return strings.Join(meta, " · ")
}

// itemRow is the row of an item listed (not found by a search): words about it (its job
// title, when it was deleted, why a document has no text, its tags) where a hit has its
// snippet.
func itemRow(it store.Item) row {
	r := row{id: it.ID, kind: it.Kind, title: it.Title, marking: it.Class, countries: it.Countries, date: it.DisplayDate()}
	var words []string
	if it.Contact != nil && it.Contact.JobTitle != "" {
		words = append(words, it.Contact.JobTitle)
	}
	if it.Deleted != nil {
		words = append(words, "deleted "+formatDate(*it.Deleted))
	}
	if d := it.Document; d != nil && (d.Status == store.StatusEmpty || d.Status == store.StatusFailed) {
		words = append(words, statusWords(d.Status, d.StatusReason))
	}
	if len(it.Tags) > 0 {
		words = append(words, hashTags(it.Tags))
	}
	if len(words) > 0 {
		r.snippet = search.Snippet{{Text: strings.Join(words, " · ")}}
	}
	return r
}
