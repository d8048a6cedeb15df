package importer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

const demoIncident = "demo-incident-kassiba-spill"

// TestDemoIncident: the example knowledge base holds the Ossera spill as an incident, with
// a timeline of its first days, a call sheet across the five affected countries (some rows
// reached, one receipt confirmed, some not called), actions, positions, and SITREP 1 and 2
// issued; every item its records name is in it; loading it twice changes nothing.
func TestDemoIncident(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := importer.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	first, err := db.Records(ctx, demoIncident)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importer.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	recs, err := db.Records(ctx, demoIncident)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs.Timeline) != len(first.Timeline) || len(recs.CallSheet) != len(first.CallSheet) || len(recs.Sitreps) != 2 {
		t.Errorf("loading twice: %d entries (was %d), %d rows (was %d), %d reports", len(recs.Timeline), len(first.Timeline),
			len(recs.CallSheet), len(first.CallSheet), len(recs.Sitreps))
	}
	inc, err := db.Get(ctx, demoIncident)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"GHA", "TGO", "BEN", "NER", "NGA"}; !slices.Equal(inc.Incident.Affected, want) {
		t.Errorf("affected = %v", inc.Incident.Affected)
	}
	if held, _ := db.HeldClass(ctx, demoIncident); held != inc.Class {
		t.Errorf("incident marked %s, holds %s", inc.Class, held)
	}
	live, err := db.LiveIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs.Timeline) < 20 {
		t.Errorf("%d timeline entries, want the first days (20 or more)", len(recs.Timeline))
	}
	corrected := 0
	for _, e := range recs.Timeline {
		for _, r := range e.Refs {
			if !live[r] {
				t.Errorf("entry %s links to missing %s", e.ID, r)
			}
		}
		if e.Corrected() {
			corrected++
		}
	}
	if corrected != 1 {
		t.Errorf("%d corrected entries, want 1", corrected)
	}
	countries := map[string]bool{}
	status := map[string]int{}
	for i, r := range recs.CallSheet {
		countries[r.Country] = true
		status[r.Status]++
		if r.Contact == "" || !live[r.Contact] || r.Phone == "" || r.TimeZone == "" {
			t.Errorf("row %s: contact %q phone %q zone %q", r.ID, r.Contact, r.Phone, r.TimeZone)
		}
		if i > 0 && slices.Index(inc.Incident.Affected, r.Country) < slices.Index(inc.Incident.Affected, recs.CallSheet[i-1].Country) {
			t.Errorf("row %s (%s) is out of downstream order", r.ID, r.Country)
		}
		if (r.Status == store.CallNotCalled) != r.LastContact.IsZero() {
			t.Errorf("row %s is %s with last contact %v", r.ID, r.Status, r.LastContact)
		}
	}
	if len(countries) != 5 || status[store.CallConfirmed] != 1 || status[store.CallReached] < 2 || status[store.CallNotCalled] < 1 {
		t.Errorf("call sheet: countries %v, statuses %v", countries, status)
	}
	if len(recs.Actions) < 5 || len(store.Overdue(recs.Actions, time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC))) == 0 {
		t.Errorf("actions: %d, none overdue on 11 November", len(recs.Actions))
	}
	if len(recs.Positions) != 5 {
		t.Errorf("%d positions, want one per affected country", len(recs.Positions))
	}
	for _, p := range recs.Positions {
		if !live[p.Statement] {
			t.Errorf("position %s comes from missing %s", p.ID, p.Statement)
		}
	}
	for i, s := range recs.Sitreps {
		if s.Number != i+1 || !s.IsIssued() || s.SHA256 != store.SitrepHash(s) {
			t.Errorf("SITREP %d: issued %v, hash %s, recomputed %s", s.Number, s.Issued, s.SHA256, store.SitrepHash(s))
		}
	}
	// The next report drafts from what happened after SITREP 2.
	next, err := db.DraftSitrep(ctx, demoIncident, time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if sec, _ := next.Section(store.SectionEvents); next.Number != 3 || len(sec.Lines) < 5 {
		t.Errorf("SITREP %d drafts %d significant events", next.Number, len(sec.Lines))
	}
}

func BenchmarkLoadDemo(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		db := storetest.Open(b)
		if _, err := importer.LoadDemo(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
}
