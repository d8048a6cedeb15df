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
