package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

func TestDossier(t *testing.T) {
	ctx := context.Background()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	items := []store.Item{
		{Kind: store.KindContact, Title: "Komla Mensah", Countries: []string{"TGO"},
			Contact: &store.Contact{Phones: []store.Labeled{{Value: "+228 2221 0000"}}, LastContact: day("2026-11-03")}},
		{Kind: store.KindContact, Title: "Afi Agbeko", Countries: []string{"TGO", "BEN"}},
		{Kind: store.KindContact, Title: "Yawo Adjo", Countries: []string{"TGO"},
			Contact: &store.Contact{LastContact: day("2026-11-05")}},
		{Kind: store.KindContact, Title: "Koffi Dossou", Countries: []string{"BEN"}, Body: "Often in Togo."},
		{Kind: store.KindContact, Title: "Trashed Togolese", Countries: []string{"TGO"}},
		{Kind: store.KindOrganisation, Title: "Ministère de l'Environnement", Countries: []string{"TGO"}},
		{Kind: store.KindOrganisation, Title: "Agence de l'eau", Countries: []string{"TGO"}},
		{Kind: store.KindDocument, Title: "Communiqué", Countries: []string{"TGO"}, Date: day("2026-11-04"), Document: &store.Document{Status: store.StatusOK}},
		{Kind: store.KindBriefing, Title: "Briefing on Togo", Countries: []string{"TGO"}},
	}
	for i := range 12 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %02d", i), Countries: []string{"TGO"},
			Date: day("2026-01-01").AddDate(0, 0, i)})
	}
	db := storetest.Open(t)
	saved, err := db.SaveAll(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, saved[4].ID); err != nil {
		t.Fatal(err)
	}
	for _, country := range []string{"TGO", "tg", "Togo", "togolais", "Того"} {
		d, err := db.Dossier(ctx, country)
		if err != nil {
			t.Fatalf("Dossier(%q): %v", country, err)
		}
		if d.Country.Alpha3 != "TGO" || d.Names.Names["ru"][0] != "Того" {
			t.Errorf("Dossier(%q) is of %+v, names %v", country, d.Country, d.Names.Names)
		}
		if got, want := dossierTitles(d.Contacts), []string{"Yawo Adjo", "Komla Mensah", "Afi Agbeko"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("contacts = %q; want %q (last contacted first, never contacted last, none trashed, none of another country)", got, want)
		}
		if got := d.Contacts[1].Contact.Phones; len(got) != 1 || got[0].Value != "+228 2221 0000" {
			t.Errorf("Komla Mensah's phones = %v", got)
		}
		if got, want := dossierTitles(d.Organisations), []string{"Agence de l'eau", "Ministère de l'Environnement"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("organisations = %q; want %q", got, want)
		}
		if d.NoteCount != 12 || len(d.Notes) != store.DossierLatest || d.Notes[0].Title != "Note 11" || d.Notes[9].Title != "Note 02" {
			t.Errorf("notes: %d in all, latest %q", d.NoteCount, dossierTitles(d.Notes))
		}
		if d.DocumentCount != 1 || len(d.Documents) != 1 || d.Documents[0].Title != "Communiqué" {
			t.Errorf("documents: %d in all, latest %q", d.DocumentCount, dossierTitles(d.Documents))
		}
	}
	// A country with nothing: an empty dossier, no error.
	d, err := db.Dossier(ctx, "ISL")
	if err != nil || len(d.Contacts)+len(d.Organisations)+len(d.Notes)+len(d.Documents) != 0 || d.Country.Name != "Iceland" {
		t.Errorf("Dossier(ISL) = %+v, %v", d, err)
	}
	// An unknown country: ErrInvalid, naming it.
	if _, err := db.Dossier(ctx, "Atlantis"); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), `"Atlantis"`) {
		t.Errorf("Dossier(Atlantis) = %v; want ErrInvalid naming it", err)
	}
}

func dossierTitles(items []store.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

// TestDossierIncidents checks the sections that come from incidents: the incidents a
// country is part of (active first), its positions on them (latest stated first), and the
// last contact a logged call sets.
func TestDossierIncidents(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	tg, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Komla Mensah", Countries: []string{"TGO"},
		Contact: &store.Contact{Phones: []store.Labeled{{Value: "+228 2221 0000"}}}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Afi Agbeko", Countries: []string{"TGO"}, Contact: &store.Contact{}})
	if err != nil {
		t.Fatal(err)
	}
	old, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Mono flood 2024",
		Incident: &store.Incident{Type: "flood", Status: store.IncidentClosed, ZeroHour: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Affected: []string{"TGO"}}})
	if err != nil {
		t.Fatal(err)
	}
	spill, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Ossera spill",
		Incident: &store.Incident{Type: "oil spill", ZeroHour: time.Date(2026, 11, 2, 4, 0, 0, 0, time.UTC), Affected: []string{"GHA", "TGO", "BEN"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Volta bloom",
		Incident: &store.Incident{ZeroHour: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Affected: []string{"GHA"}}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []store.Position{
		{Incident: old.ID, Country: "TGO", Text: "Asks for flood warnings upstream.", Stated: time.Date(2024, 9, 3, 0, 0, 0, 0, time.UTC)},
		{Incident: spill.ID, Country: "TGO", Text: "Holds the operator liable.", Stated: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), Source: "Ministry statement", Reliability: "B2"},
		{Incident: spill.ID, Country: "BEN", Text: "Reserves its position."},
	} {
		if _, err := db.SavePosition(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.ProposeCallSheet(ctx, spill.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err = db.SaveCallRows(ctx, spill.ID, rows)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().UTC().Truncate(time.Millisecond)
	for _, r := range rows {
		if r.Contact == tg.ID {
			if _, err := db.LogCall(ctx, spill.ID, r.ID, store.CallReached, "Will inform the minister"); err != nil {
				t.Fatal(err)
			}
		}
	}

	d, err := db.Dossier(ctx, "togolais")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dossierTitles(d.Incidents), []string{"Ossera spill", "Mono flood 2024"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("incidents = %q; want %q (active first, not Ghana's)", got, want)
	}
	var texts []string
	for _, p := range d.Positions {
		texts = append(texts, p.Text)
	}
	if want := []string{"Holds the operator liable.", "Asks for flood warnings upstream."}; fmt.Sprint(texts) != fmt.Sprint(want) {
		t.Errorf("positions = %q; want %q (latest first, not Benin's)", texts, want)
	}
	if p := d.Positions[0]; p.Incident != spill.ID || p.Source != "Ministry statement" || p.Reliability != "B2" {
		t.Errorf("position = %+v", p)
	}
	if got := dossierTitles(d.Contacts); len(got) != 2 || got[0] != "Komla Mensah" {
		t.Fatalf("contacts = %q; want Komla Mensah, called, first", got)
	}
	if lc := d.Contacts[0].Contact.LastContact; lc.Before(before) || !d.Contacts[1].Contact.LastContact.IsZero() {
		t.Errorf("last contacts = %v, %v; want the call's time, then never (%s)", lc, d.Contacts[1].Contact.LastContact, other.ID)
	}

	// A trashed incident leaves the dossier, with its positions.
	if err := db.Delete(ctx, spill.ID); err != nil {
		t.Fatal(err)
	}
	d, err = db.Dossier(ctx, "TGO")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Incidents) != 1 || len(d.Positions) != 1 || d.Positions[0].Incident != old.ID {
		t.Errorf("after trashing the spill: incidents %q, positions %+v", dossierTitles(d.Incidents), d.Positions)
	}
}
