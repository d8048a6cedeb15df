package search_test

import (
	"context"
	"maps"
	"path/filepath"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
)

// TestFacetsMatchBleve checks the facet counts of Chancery's facet table against Bleve's own
// facet builders, for several queries, before and after the store changes under the index
// (an update that moves an item to another country, a trashed item, a new item).
func TestFacetsMatchBleve(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	queries := []string{"river", "spill OR quotas", "kind:note", "country:NGA", "river -diesel", "year:2019..2026"}
	check := func(stage string) {
		t.Helper()
		for _, q := range queries {
			res, err := f.ix.Search(ctx, q, search.Options{Facets: true})
			if err != nil {
				t.Fatalf("%s: %q: %v", stage, q, err)
			}
			want, totals, err := search.BleveFacetsForTest(f.ix, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, fc := range res.Facets {
				got := map[string]int{}
				sum := fc.Other
				for _, term := range fc.Terms {
					got[term.Term] = term.Count
					sum += term.Count
				}
				if !maps.Equal(got, want[fc.Name]) {
					t.Errorf("%s: %q: facet %s = %v, Bleve counts %v", stage, q, fc.Name, got, want[fc.Name])
				}
				if sum != totals[fc.Name] {
					t.Errorf("%s: %q: facet %s adds up to %d, Bleve to %d", stage, q, fc.Name, sum, totals[fc.Name])
				}
			}
		}
	}
	check("as built")

	it, err := f.db.Get(ctx, f.ids["Oil spill at the Kessa depot"])
	if err != nil {
		t.Fatal(err)
	}
	it.Countries = []string{"TGO", "BEN"}
	if _, err := f.db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Delete(ctx, f.ids["Lower Kessa River Commission"]); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, f.ix, f.db); err != nil {
		t.Fatal(err)
	}
	check("after an update and a deletion")
	res, err := f.ix.Search(ctx, "river", search.Options{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range res.Facets {
		if fc.Name != "country" {
			continue
		}
		got := map[string]int{}
		for _, term := range fc.Terms {
			got[term.Term] = term.Count
		}
		// NGA: the contact only, now that the note moved and the commission is in the trash.
		if want := map[string]int{"NGA": 1, "TGO": 1, "BEN": 2}; !maps.Equal(got, want) {
			t.Errorf("country facet after the changes = %v, want %v", got, want)
		}
	}
}

// TestSyncIsOnDiskWhenItReturns checks that what a catch-up indexed is there, once WaitFor
// returns, after the index is
// closed and opened again, although batches reach the disk in the background.
func TestSyncIsOnDiskWhenItReturns(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	it, err := f.db.Get(ctx, f.ids["Fisheries talks"])
	if err != nil {
		t.Fatal(err)
	}
	it.Body = "Quotas for the lagoon's sardines."
	if _, err := f.db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, f.ix, f.db); err != nil {
		t.Fatal(err)
	}
	want := f.ix.Applied()
	if err := f.ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(filepath.Join(f.dir, "index"), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Opened != "ok" || ix.Applied() != want {
		t.Fatalf("reopened index: %s, at change %d, want ok at %d", ix.Opened, ix.Applied(), want)
	}
	res, err := ix.Search(ctx, "sardines", search.Options{})
	if err != nil || res.Total != 1 {
		t.Errorf("the last change is not on disk: %d hits, %v", res.Total, err)
	}
}
