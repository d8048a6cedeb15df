package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"chancery/search"
	"chancery/store"
)

// A hit and the same item listed draw the same row: title, marking, kind · countries ·
// date; a listed item shows words about it where a hit shows its snippet, and a term its
// count.
func TestRowsDrawTheSameFromHitsAndItems(t *testing.T) {
	test.NewTempApp(t)
	date := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	hit := search.Hit{ID: "x", Kind: store.KindContact, Title: "Amina Okafor", Class: "RESTRICTED",
		Countries: []string{"NGA"}, Date: date, Snippets: []search.Snippet{{{Text: "oil", Match: true}}, {{Text: "second"}}}}
	it := store.Item{ID: "x", Kind: store.KindContact, Title: "Amina Okafor", Class: "RESTRICTED",
		Countries: []string{"NGA"}, Created: date, Updated: date, Tags: []string{"oil-spill"},
		Contact: &store.Contact{JobTitle: "Director"}}

	fromHit, fromItem := newResultRow(), newResultRow()
	fromHit.set(hitRow(hit))
	fromItem.set(itemRow(it))
	for _, r := range []*resultRow{fromHit, fromItem} {
		if r.title.Text != "Amina Okafor" || r.badge.class != "RESTRICTED" || r.meta.Text != fromHit.meta.Text {
			t.Errorf("row: title %q, badge %q, meta %q (the hit's: %q)", r.title.Text, r.badge.class, r.meta.Text, fromHit.meta.Text)
		}
	}
	if got := fromHit.snippet.String(); got != "oil" {
		t.Errorf("hit snippet %q, want its best one", got)
	}
	if got := fromItem.snippet.String(); got != "Director · #oil-spill" {
		t.Errorf("item words %q", got)
	}

	term := newResultRow()
	term.set(termRow(store.TermCountry, store.Term{Value: "NGA", Count: 3}, emptyVocab()))
	if term.title.Text != "Nigeria (NGA)" || term.meta.Text != "3 items" || term.badge.class != "" {
		t.Errorf("term row: %q, %q, badge %q", term.title.Text, term.meta.Text, term.badge.class)
	}
}
