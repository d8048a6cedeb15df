package briefing_test

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"chancery/briefing"
	"chancery/store"
	"chancery/store/storetest"
)

// packText is what a person (or a program) reading the written pack can find in it: the
// text of the PDF (through pdftotext, and the raw file, for its metadata and outline), every
// part of the DOCX, the HTML and the Markdown as written.
func packText(t *testing.T, p *briefing.Pack, format string) string {
	t.Helper()
	path := writeOut(t, p, format, "leak")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch format {
	case "pdf":
		need(t, "pdftotext")
		return strings.Join(pdfPages(t, path), "\n") + "\n" + string(raw)
	case "docx":
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		var b strings.Builder
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			b.WriteString(f.Name + "\n" + string(data) + "\n")
		}
		return b.String()
	}
	return string(raw)
}

// A release copy names a withheld section by its number and marking only: the composer
// heads a section with the included item's title, and a SECRET title is itself SECRET.
func TestReleaseCopyWithholdsBySectionNumber(t *testing.T) {
	const secret = "Operation Nightjar"
	items := []store.Item{
		{ID: "s1", Kind: store.KindNote, Title: secret + " assessment", Class: "SECRET", Body: "Nightjar body."},
		{ID: "s2", Kind: store.KindNote, Title: "Nightjar sources", Class: "SECRET", Body: "Sources."},
		{ID: "s3", Kind: store.KindNote, Title: "Nightjar trashed", Class: "SECRET", Body: "Trashed."},
		{ID: "ok", Kind: store.KindNote, Title: "Public note", Body: "Open text."},
		{ID: "b", Kind: store.KindBriefing, Title: "Visit", Class: "UNCLASSIFIED", Briefing: &store.Briefing{Sections: []store.Section{
			{Heading: "Intro", Text: "Hello."},
			{Heading: secret + " assessment", Ref: "s1"}, // as the composer heads it
			{Ref: "s2"}, // headed by the item's title
			{Heading: "Public note", Ref: "ok"},
			{Heading: "Nightjar trashed", Ref: "s3"}, // in the trash, still SECRET
		}}},
	}
	db := storetest.Open(t, items...)
	if err := db.Delete(context.Background(), "s3"); err != nil {
		t.Fatal(err)
	}
	p, err := briefing.Compose(context.Background(), db, "b", briefing.Options{Ceiling: "RESTRICTED", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Section 2 (SECRET)", "Section 3 (SECRET)", "Section 5 (SECRET)"}
	if strings.Join(p.Withheld, "|") != strings.Join(want, "|") {
		t.Errorf("withheld %q, want %q", p.Withheld, want)
	}
	for _, n := range p.Notices {
		if strings.Contains(n, "Nightjar") {
			t.Errorf("a notice names the withheld item: %q", n)
		}
	}
	for _, f := range briefing.Formats {
		text := packText(t, p, f)
		if strings.Contains(text, "Nightjar") {
			i := strings.Index(text, "Nightjar")
			t.Errorf("%s release copy prints a SECRET title: …%s…", f, text[max(0, i-80):min(len(text), i+40)])
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), "Section 3 (SECRET)") {
			t.Errorf("%s release copy does not list Section 3 (SECRET) as withheld", f)
		}
	}
}

// A contact or organisation card in a release copy does not name an organisation marked
// above the ceiling (the contact's, or an organisation's parent); it says one is withheld.
// In a full copy the name counts towards the section's marking and the banner.
func TestCardsDoNotNameOrganisationsAboveTheCeiling(t *testing.T) {
	items := []store.Item{
		{ID: "front", Kind: store.KindOrganisation, Title: "Nightjar Front", Class: "SECRET", Organisation: &store.Organisation{}},
		{ID: "cover", Kind: store.KindOrganisation, Title: "Cover Trading Ltd", Class: "RESTRICTED", Organisation: &store.Organisation{ParentID: "front", Type: "company"}},
		{ID: "c", Kind: store.KindContact, Title: "Kofi Boateng", Class: "RESTRICTED", Contact: &store.Contact{GivenName: "Kofi", FamilyName: "Boateng", JobTitle: "Treasurer", OrgID: "front"}},
		{ID: "b", Kind: store.KindBriefing, Title: "Visit", Class: "UNCLASSIFIED", Briefing: &store.Briefing{Sections: []store.Section{
			{Heading: "Who", Ref: "c"},
			{Heading: "Which company", Ref: "cover"},
		}}},
	}
	db := storetest.Open(t, items...)
	ctx := context.Background()
	rel, err := briefing.Compose(ctx, db, "b", briefing.Options{Ceiling: "RESTRICTED", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Sections) != 2 || rel.Marking != "RESTRICTED" {
		t.Fatalf("release copy: %d sections, banner %s", len(rel.Sections), rel.Marking)
	}
	for _, s := range rel.Sections {
		if strings.Contains(s.Body, "Nightjar") {
			t.Errorf("section %q names the SECRET organisation:\n%s", s.Heading, s.Body)
		}
		if !strings.Contains(s.Body, "withheld (SECRET)") {
			t.Errorf("section %q does not say an organisation was withheld:\n%s", s.Heading, s.Body)
		}
	}
	if !strings.Contains(rel.Sections[0].Body, "Treasurer") || !strings.Contains(rel.Sections[1].Body, "company") {
		t.Errorf("the rest of the cards is lost: %q", rel.Sections)
	}
	for _, f := range briefing.Formats {
		if text := packText(t, rel, f); strings.Contains(text, "Nightjar") {
			t.Errorf("%s release copy names the SECRET organisation", f)
		}
	}

	full, err := briefing.Compose(ctx, db, "b", briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range full.Sections {
		if !strings.Contains(s.Body, "Nightjar Front") || s.Marking != "SECRET" {
			t.Errorf("full copy section %q marked %s (want SECRET, for the organisation it names):\n%s", s.Heading, s.Marking, s.Body)
		}
	}
	if full.Marking != "SECRET" {
		t.Errorf("full copy banner %s, want SECRET", full.Marking)
	}
}
