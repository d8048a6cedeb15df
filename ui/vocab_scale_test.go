package ui

import (
	"fmt"
	"slices"
	"testing"

	"chancery/store"
)

// Above vocabEager items, the window reads no titles or sources at start (a window that
// only searches never holds them); opening an editor reads them, and from then on they
// are kept as on a small knowledge base.
func TestVocabReadsTitlesOnlyWhenWantedOnALargeKnowledgeBase(t *testing.T) {
	saved := vocabEager
	vocabEager = 3
	t.Cleanup(func() { vocabEager = saved })
	var items []store.Item
	for i := range 5 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Source: fmt.Sprintf("cable %d", i), Tags: []string{"oil-spill"}})
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	l.waitFor(t, "the vocabulary", func() bool { return len(mw.env.vocab.tags) == 1 && len(mw.env.vocab.classes) > 0 })
	if v := mw.env.vocab; v.full || v.titles != nil || v.sources != nil || len(v.byID) != 0 {
		t.Fatalf("at start on %d items (eager up to %d): full %v, %d titles, %d sources; want none read", len(items), vocabEager, v.full, len(v.titles), len(v.sources))
	}
	if mw.nav.counts[itemsPlace(store.KindNote)] != 5 {
		t.Errorf("the navigation counts %d notes, want 5", mw.nav.counts[itemsPlace(store.KindNote)])
	}
	mw.goTo(pl(t, "kind:note"))
	mw.browse.onNew() // an editor: its pickers complete from the titles
	l.waitFor(t, "the titles", func() bool { return mw.env.vocab.full })
	v := mw.env.vocab
	if len(v.titles) != 5 || len(v.sources) != 5 || v.title(v.titles[0].ID) != "Note 0" {
		t.Errorf("once wanted: %d titles, %d sources; want 5 and 5", len(v.titles), len(v.sources))
	}
	if id := mw.env.resolveTitle("note 3"); id == "" {
		t.Errorf("a [[link]] to “Note 3” does not resolve once the titles are read")
	}
}

func TestMostUsedTermsKeepTheirOrder(t *testing.T) {
	terms := []store.Term{{Value: "a", Count: 1}, {Value: "b", Count: 5}, {Value: "c", Count: 2}, {Value: "d", Count: 5}, {Value: "e", Count: 1}}
	got := mostUsed(slices.Clone(terms), 3)
	if want := []store.Term{{Value: "b", Count: 5}, {Value: "c", Count: 2}, {Value: "d", Count: 5}}; !slices.Equal(got, want) {
		t.Errorf("mostUsed(3) = %v, want %v", got, want)
	}
	if got := mostUsed(slices.Clone(terms), 10); !slices.Equal(got, terms) {
		t.Errorf("mostUsed(10) = %v, want all", got)
	}
}
