package importer_test

import (
	"context"
	"strings"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

func TestDemoIsComplete(t *testing.T) {
	items, err := importer.DemoItems()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[store.Kind]int{}
	ids := map[string]bool{}
	contactCountries := map[string]bool{}
	for _, it := range items {
		kinds[it.Kind]++
		if ids[it.ID] {
			t.Errorf("duplicate ID %s", it.ID)
		}
		ids[it.ID] = true
		if it.Kind == store.KindContact {
			for _, c := range it.Countries {
				contactCountries[c] = true
			}
		}
		if it.Kind == store.KindDocument && (len(it.Document.Original) == 0 || it.Body == "") {
			t.Errorf("document %s has no file or text", it.ID)
		}
	}
	for kind, least := range map[store.Kind]int{store.KindNote: 40, store.KindContact: 25, store.KindOrganisation: 10, store.KindDocument: 5, store.KindBriefing: 1} {
		if kinds[kind] < least {
			t.Errorf("%d %ss, want at least %d", kinds[kind], kind, least)
		}
	}
	if len(contactCountries) < 6 {
		t.Errorf("contacts in %d countries, want 6 or more", len(contactCountries))
	}
	for _, it := range items {
		for _, l := range it.Links {
			if !ids[l.To] {
				t.Errorf("%s links to missing %s", it.ID, l.To)
			}
		}
		if it.Briefing != nil {
			for _, s := range it.Briefing.Sections {
				if s.Ref != "" && !ids[s.Ref] {
					t.Errorf("briefing section refers to missing %s", s.Ref)
				}
			}
		}
	}
}

// TestDemoOilSpillSearch: the model case. Loaded into a real store and index, a search for
// "oil spill" brings the notes about the spill first.
func TestDemoOilSpillSearch(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	n, err := importer.LoadDemo(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := importer.LoadDemo(ctx, db); err != nil || again != n {
		t.Fatalf("loading twice: %d, %v", again, err)
	}
	if s, _ := db.Stats(ctx); s.Live != n {
		t.Errorf("%d items after loading %d twice", s.Live, n)
	}
	ix := searchtest.Open(t, db)
	res, err := ix.Search(ctx, "oil spill", search.Options{Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, h := range res.Hits {
		if h.Kind == store.KindNote {
			notes++
		}
		if !strings.Contains(strings.ToLower(h.Title+h.Snippets[0].String()), "spill") {
			t.Errorf("hit %q is not about the spill", h.Title)
		}
	}
	if notes < 4 || res.Hits[0].Kind != store.KindNote {
		t.Errorf("top 5 for oil spill has %d notes (first: %s %q)", notes, res.Hits[0].Kind, res.Hits[0].Title)
	}
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("index check: %v %v", p, err)
	}
}
