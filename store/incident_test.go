package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

var zero = time.Date(2026, 11, 8, 4, 30, 0, 0, time.UTC)

// newIncident saves an incident over the Ossera with five affected countries and two
// contacts (one in Togo, one in Benin), and returns the incident and the contacts.
func newIncident(t *testing.T, db *store.DB) (store.Item, store.Item, store.Item) {
	t.Helper()
	ctx := context.Background()
	tg, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "M. Komlan Agbodjan", Countries: []string{"TGO"},
		Contact: &store.Contact{GivenName: "Komlan", FamilyName: "Agbodjan", JobTitle: "Director of Environment",
			Phones: []store.Labeled{{Value: "+228 22 21 00 00"}}, Emails: []store.Labeled{{Value: "k.agbodjan@example.tg"}}}})
	if err != nil {
		t.Fatal(err)
	}
	bj, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Mme Laure Dossou-Yovo", Countries: []string{"BEN"},
		Contact: &store.Contact{GivenName: "Laure", FamilyName: "Dossou-Yovo"}})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Kassiba oil spill", Body: "Diesel from tank T4 into the Ossera.",
		Topics: []string{"environment"},
		Incident: &store.Incident{Type: "oil spill", ZeroHour: zero, Place: "Kassiba depot, km 212",
			Affected: []string{"gha", "TG", "BEN", "NER", "NGA"}, Severity: "Major", Lead: "Abena Darkwah", LeadOrg: "MFA Ghana",
			PeriodStart: zero, PeriodEnd: zero.Add(12 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	return inc, tg, bj
}

func TestIncidentRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, _, _ := newIncident(t, db)
	got, err := db.Get(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := got.Incident
	if got.Kind != store.KindIncident || in == nil || in.Type != "oil spill" || in.Status != store.IncidentActive ||
		!in.ZeroHour.Equal(zero) || in.Severity != "major" || in.Lead != "Abena Darkwah" || in.PeriodLength() != 12*time.Hour {
		t.Fatalf("incident read back as %+v %+v", got, in)
	}
	if want := []string{"GHA", "TGO", "BEN", "NER", "NGA"}; !slices.Equal(in.Affected, want) {
		t.Errorf("Affected = %v, want the downstream order %v", in.Affected, want)
	}
	if want := []string{"BEN", "GHA", "NER", "NGA", "TGO"}; !slices.Equal(got.Countries, want) {
		t.Errorf("Countries = %v, want %v", got.Countries, want)
	}
	list, err := db.Incidents(ctx, "Togo")
	if err != nil || len(list) != 1 || list[0].ID != inc.ID {
		t.Errorf("Incidents(Togo) = %v, %v", list, err)
	}
	if list, err := db.Incidents(ctx, "FRA"); err != nil || len(list) != 0 {
		t.Errorf("Incidents(FRA) = %v, %v", list, err)
	}
	// Closing it records when.
	got.Incident.Status = store.IncidentClosed
	closed, err := db.Save(ctx, got)
	if err != nil || closed.Incident.Closed.IsZero() || closed.Rev != 2 {
		t.Errorf("closed incident = %+v, %v", closed.Incident, err)
	}
}

func TestIncidentUnknownCountryRefused(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, _, _ := newIncident(t, db)
	before, _ := db.LastSeq(ctx)
	inc.Incident.Affected = append(inc.Incident.Affected, "XQZ")
	_, err := db.Save(ctx, inc)
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "XQZ") || !strings.Contains(err.Error(), "Kassiba oil spill") {
		t.Fatalf("save with unknown country: %v", err)
	}
	if after, _ := db.LastSeq(ctx); after != before {
		t.Errorf("the change sequence moved from %d to %d", before, after)
	}
	got, _ := db.Get(ctx, inc.ID)
	if len(got.Incident.Affected) != 5 || got.Rev != 1 {
		t.Errorf("stored incident changed: %+v", got.Incident)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "New one", Incident: &store.Incident{Affected: []string{"Atlantis"}}}); !errors.Is(err, store.ErrInvalid) ||
		!strings.Contains(err.Error(), "Atlantis") || !strings.Contains(err.Error(), "New one") {
		t.Errorf("new incident with unknown country: %v", err)
	}
}

func TestTimelineRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, tg, _ := newIncident(t, db)
	seq := inc.Seq
	e1, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, At: zero.Add(time.Hour), Type: store.EntryMessageReceived,
		Text: "KPL notifies 1,200 m³ of diesel released", Source: "KPL", Reliability: "b2", Significant: true, Refs: []string{tg.ID}})
	if err != nil {
		t.Fatal(err)
	}
	e2, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, At: zero.Add(30 * time.Hour), Type: store.EntryObservation,
		Text: "KPL revises the volume to 1,850 m³", Corrects: e1.ID, Significant: true, Class: "restricted"})
	if err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, inc.ID)
	if err != nil || len(tl) != 2 {
		t.Fatalf("Timeline = %v, %v", tl, err)
	}
	if tl[0].ID != e1.ID || tl[0].Reliability != "B2" || tl[0].Source != "KPL" || !tl[0].Significant || !slices.Equal(tl[0].Refs, []string{tg.ID}) ||
		!tl[0].At.Equal(zero.Add(time.Hour)) || tl[0].CorrectedBy != e2.ID || !tl[0].Corrected() || tl[0].Class != "UNCLASSIFIED" {
		t.Errorf("first entry read back as %+v", tl[0])
	}
	if tl[1].Corrects != e1.ID || tl[1].Class != "RESTRICTED" || tl[1].Corrected() {
		t.Errorf("correction read back as %+v", tl[1])
	}
	// The incident moved and took the marking of what it holds.
	got, _ := db.Get(ctx, inc.ID)
	if got.Seq <= seq || got.Class != "RESTRICTED" {
		t.Errorf("incident after entries: seq %d (was %d), class %s", got.Seq, seq, got.Class)
	}
	if c, err := db.HeldClass(ctx, inc.ID); err != nil || c != "RESTRICTED" {
		t.Errorf("HeldClass = %q, %v", c, err)
	}
	// Saving the incident lower raises it back.
	got.Class = "UNCLASSIFIED"
	if saved, err := db.Save(ctx, got); err != nil || saved.Class != "RESTRICTED" {
		t.Errorf("saved lower: %s, %v", saved.Class, err)
	}
	// Bad input names what is wrong and stores nothing.
	for _, e := range []store.TimelineEntry{
		{Incident: inc.ID, Text: ""},
		{Incident: inc.ID, Text: "x", Type: "rumour"},
		{Incident: inc.ID, Text: "x", Class: "TOP SECRET"},
		{Incident: inc.ID, Text: "x", Corrects: "nope"},
		{Incident: inc.ID, Text: "x", Refs: []string{"missing-item"}},
		{Incident: "no-such-incident", Text: "x"},
	} {
		if _, err := db.AddEntry(ctx, e); err == nil {
			t.Errorf("AddEntry(%+v) accepted", e)
		}
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: "no-such-incident", Text: "x"}); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "no-such-incident") {
		t.Errorf("unknown incident: %v", err)
	}
	if tl, _ := db.Timeline(ctx, inc.ID); len(tl) != 2 {
		t.Errorf("refused entries were stored: %d entries", len(tl))
	}
}
