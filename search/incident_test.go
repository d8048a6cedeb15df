package search_test

import (
	"context"
	"testing"
	"time"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// TestIncidentIsSearchable: an incident is found by its fields (type, place, lead) and by
// kind:incident, and a record added to it moves it so the index follows.
func TestIncidentIsSearchable(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Spill on the river", Countries: []string{"GHA"},
		Incident: &store.Incident{Type: "oil spill", Place: "Kassiba depot", Lead: "Abena Darkwah", Affected: []string{"GHA", "TGO"},
			ZeroHour: time.Date(2026, 11, 8, 4, 30, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	ix := searchtest.Open(t, db)
	for _, q := range []string{"Kassiba", "Darkwah", "kind:incident", "kind:incidents country:TGO"} {
		res, err := ix.Search(ctx, q, search.Options{})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != inc.ID || res.Hits[0].Kind != store.KindIncident {
			t.Errorf("%s: hits %+v", q, res.Hits)
		}
	}
	e, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "Booms deployed", Class: "CONFIDENTIAL"})
	if err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, "kind:incident class:confidential", search.Options{})
	if err != nil || len(res.Hits) != 1 {
		t.Errorf("after entry %s the index does not show the raised marking: %+v, %v", e.ID, res.Hits, err)
	}
}
