package store_test

import (
	"context"
	"slices"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

func browseItems() []store.Item {
	return []store.Item{
		{ID: "a", Kind: store.KindNote, Title: "beta note", Tags: []string{"oil-spill"}, Countries: []string{"NGA"}, Topics: []string{"environment"}, Class: "RESTRICTED", Source: "Desk records"},
		{ID: "b", Kind: store.KindNote, Title: "Alpha note", Tags: []string{"oil-spill", "river"}, Countries: []string{"NGA", "BEN"}},
		{ID: "c", Kind: store.KindContact, Title: "Gamma person", Countries: []string{"TGO"}, Topics: []string{"environment"}},
		{ID: "d", Kind: store.KindNote, Title: "Deleted note", Tags: []string{"gone"}},
	}
}

func TestTitlesCountAndTerms(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, browseItems()...)
	if err := db.Delete(ctx, "d"); err != nil {
		t.Fatal(err)
	}

	titles, err := db.Titles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ti := range titles {
		got = append(got, ti.ID+":"+ti.Title+":"+ti.Class)
	}
	want := []string{"b:Alpha note:UNCLASSIFIED", "a:beta note:RESTRICTED", "c:Gamma person:UNCLASSIFIED"}
	if !slices.Equal(got, want) {
		t.Errorf("Titles = %v, want %v (live items by title, any case)", got, want)
	}

	counts := []struct {
		opt  store.ListOptions
		want int
	}{
		{store.ListOptions{}, 3},
		{store.ListOptions{Kind: store.KindNote}, 2},
		{store.ListOptions{Tag: "oil-spill"}, 2},
		{store.ListOptions{Country: "TGO"}, 1},
		{store.ListOptions{Topic: "environment", Kind: store.KindContact}, 1},
		{store.ListOptions{Trash: true}, 1},
	}
	for _, c := range counts {
		n, err := db.Count(ctx, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		items, err := db.List(ctx, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.want || len(items) != n {
			t.Errorf("Count(%+v) = %d, List has %d, want %d", c.opt, n, len(items), c.want)
		}
	}

	terms := map[string][]store.Term{
		store.TermTag:     {{Value: "oil-spill", Count: 2}, {Value: "river", Count: 1}},
		store.TermCountry: {{Value: "BEN", Count: 1}, {Value: "NGA", Count: 2}, {Value: "TGO", Count: 1}},
		store.TermTopic:   {{Value: "environment", Count: 2}},
		store.TermSource:  {{Value: "Desk records", Count: 1}},
	}
	for what, want := range terms {
		got, err := db.TermCounts(ctx, what)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("TermCounts(%s) = %v, want %v (trashed items not counted)", what, got, want)
		}
	}
	if _, err := db.TermCounts(ctx, "colour"); err == nil {
		t.Error("TermCounts of an unknown vocabulary: no error")
	}
}

func TestListPages(t *testing.T) {
	ctx := context.Background()
	var items []store.Item
	for i := range 25 {
		items = append(items, store.Item{Kind: store.KindNote, Title: string(rune('a'+i)) + " note"})
	}
	db := storetest.Open(t, items...)
	var seen []string
	for off := 0; ; off += 10 {
		page, err := db.List(ctx, store.ListOptions{Limit: 10, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, it := range page {
			seen = append(seen, it.Title)
		}
	}
	if len(seen) != 25 || !slices.IsSorted(seen) {
		t.Errorf("pages gave %d titles, sorted %v", len(seen), slices.IsSorted(seen))
	}
}
