package importer_test

import (
	"context"
	"testing"

	"chancery/store/importer"
	"chancery/store/storetest"
)

// The example incident has its standing search, never looked at: the example's items are
// new to it; loading the example again keeps one.
func TestDemoStandingSearch(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	n, err := importer.LoadDemo(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := db.IncidentSearches(ctx, demoIncident)
	if err != nil || len(ks) != 1 || ks[0].Name != "Kassiba spill: news" || ks[0].Query == "" {
		t.Fatalf("standing searches of the example incident: %+v, %v", ks, err)
	}
	fresh, err := db.FreshSince(ctx, ks[0].SeenSeq)
	if err != nil {
		t.Fatal(err)
	}
	news := 0
	for _, f := range fresh {
		if f.New {
			news++
		}
	}
	if news != n {
		t.Errorf("%d of the example's %d items are new to its standing search", news, n)
	}
	if _, err := importer.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	if ks, _ := db.IncidentSearches(ctx, demoIncident); len(ks) != 1 {
		t.Errorf("loading the example again: %d standing searches", len(ks))
	}
	if all, _ := db.KeptSearches(ctx); len(all) != 1 || all[0].Incident != demoIncident {
		t.Errorf("kept searches: %+v", all)
	}
}
