package pack_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/pack"
)

const demoIncident = "demo-incident-kassiba-spill"

func records(t *testing.T, db *store.DB, id string) store.IncidentRecords {
	t.Helper()
	r, err := db.Records(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameRecords(t *testing.T, what string, a, b store.IncidentRecords) {
	t.Helper()
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if !bytes.Equal(ja, jb) {
		la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
		for i := range min(len(la), len(lb)) {
			if la[i] != lb[i] {
				t.Fatalf("%s: records differ at line %d:\n%s\n%s", what, i+1, la[i], lb[i])
			}
		}
		t.Fatalf("%s: records differ: %d lines, %d lines", what, len(la), len(lb))
	}
}

// TestIncidentRoundTrip: the example knowledge base's incident, packed from one data folder
// with --incident's selection, imports into another with all its records intact (IDs,
// times, issued reports and their hashes, corrections, last contacts); again, nothing
// changes.
func TestIncidentRoundTrip(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	if _, err := importer.LoadDemo(ctx, src); err != nil {
		t.Fatal(err)
	}
	ids, err := pack.IncidentIDs(ctx, src, demoIncident)
	if err != nil {
		t.Fatal(err)
	}
	before := records(t, src, demoIncident)
	data, p := export(t, src, ids, "SECRET")
	if len(p.Withheld) != 0 || len(p.Records) != 1 {
		t.Fatalf("withheld %v, %d incidents' records", p.Withheld, len(p.Records))
	}
	// Every item a record links to travels with it.
	inPack := map[string]bool{}
	for _, e := range p.Entries {
		inPack[e.ID] = true
	}
	for _, e := range before.Timeline {
		for _, r := range e.Refs {
			if !inPack[r] {
				t.Errorf("entry %s links to %s, not in the pack", e.ID, r)
			}
		}
	}
	for _, c := range before.CallSheet {
		if c.Contact != "" && !inPack[c.Contact] {
			t.Errorf("row %s: contact %s not in the pack", c.ID, c.Contact)
		}
	}
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || len(res.RecordConflicts) != 0 {
		t.Fatalf("result: %q %q", res.Records, res.RecordConflicts)
	}
	after := records(t, dst, demoIncident)
	sameRecords(t, "after import", before, after)
	a, _ := src.Get(ctx, demoIncident)
	b, _ := dst.Get(ctx, demoIncident)
	if a.ContentHash() != b.ContentHash() {
		t.Errorf("incident differs after import")
	}
	for _, s := range after.Sitreps {
		if !s.IsIssued() || store.SitrepHash(s) != s.SHA256 {
			t.Errorf("%s: issued %v, hash %s recorded %s", s.Label(), s.Issued, store.SitrepHash(s), s.SHA256)
		}
	}
	if problems, err := dst.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check after import: %v %v", problems, err)
	}
	// Again: nothing changes.
	res, err = importPack(t, dst, data, store.ApplyOptions{})
	if err != nil || res.Seq != 0 || len(res.RecordConflicts) != 0 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	sameRecords(t, "after the second import", before, records(t, dst, demoIncident))
}

// plainOf is a pack's decrypted bytes.
func plainOf(t *testing.T, p *pack.Pack) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.WritePlain(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestIncidentReferencesWithheld: an incident packed up to RESTRICTED whose records link to
// SECRET items: a call sheet row on a SECRET contact goes with the contact (the row copies
// its card), and so do the calls logged on it and the report lines drafted from it; a
// timeline entry's link and a position's statement that name a SECRET item are dropped.
// Nothing of the SECRET items is in the pack, and what is left imports.
func TestIncidentReferencesWithheld(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	now := time.Now().UTC().Truncate(time.Minute)
	spy := save(t, src, store.Item{Kind: store.KindContact, Title: "Xavier Secretname", Class: "SECRET",
		Contact: &store.Contact{GivenName: "Xavier", FamilyName: "Secretname", Phones: []store.Labeled{{Value: "+228 555 0199"}}}})
	memo := save(t, src, store.Item{Kind: store.KindNote, Title: "Secret memo", Class: "SECRET", Body: "x"})
	friend := save(t, src, store.Item{Kind: store.KindContact, Title: "Ama Mensah", Class: "UNCLASSIFIED",
		Contact: &store.Contact{GivenName: "Ama", FamilyName: "Mensah"}})
	inc := save(t, src, store.Item{Kind: store.KindIncident, Title: "Ossera spill", Class: "RESTRICTED",
		Incident: &store.Incident{ZeroHour: now.Add(-24 * time.Hour), Affected: []string{"GHA", "TGO"}}})
	rows, err := src.SaveCallRows(ctx, inc.ID, []store.CallRow{
		{Country: "TGO", Name: spy.Title, Contact: spy.ID, Phone: "+228 555 0199", Class: "RESTRICTED"},
		{Country: "GHA", Name: friend.Title, Contact: friend.ID, Class: "UNCLASSIFIED"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := src.LogCallWith(ctx, store.CallLog{Incident: inc.ID, Row: r.ID, Status: store.CallReached,
			Text: "talked with " + r.Name, At: now.Add(-time.Hour), Significant: true}); err != nil {
			t.Fatal(err)
		}
	}
	entry, err := src.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "Memo received", Refs: []string{memo.ID, friend.ID},
		At: now.Add(-2 * time.Hour), Significant: true})
	if err != nil {
		t.Fatal(err)
	}
	pos, err := src.SavePosition(ctx, store.Position{Incident: inc.ID, Country: "TGO", Text: "Togo asks for booms", Statement: memo.ID})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := src.DraftSitrep(ctx, inc.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := draft.Section(store.SectionContacts); len(c.Lines) != 2 {
		t.Fatalf("draft contacts: %+v", c.Lines)
	}
	ids, err := pack.IncidentIDs(ctx, src, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, p := export(t, src, ids, "RESTRICTED")
	plain := plainOf(t, p)
	for _, secret := range []string{spy.ID, "Secretname", "555 0199", memo.ID, rows[0].ID} {
		if strings.Contains(plain, secret) {
			t.Errorf("the pack holds %q", secret)
		}
	}
	for _, want := range []string{"Ama Mensah", "Memo received", "Togo asks for booms", rows[1].ID, entry.ID, pos.ID, draft.ID} {
		if !strings.Contains(plain, want) {
			t.Errorf("the pack lacks %q", want)
		}
	}
	if len(p.Withheld) < 3 { // the contact, the memo, the row and its call
		t.Errorf("withheld %q", p.Withheld)
	}
	if _, err := importPack(t, dst, data, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	got := records(t, dst, inc.ID)
	if len(got.CallSheet) != 1 || len(got.Timeline) != 2 || len(got.Positions) != 1 || got.Positions[0].Statement != "" {
		t.Fatalf("imported %+v", got)
	}
	for _, e := range got.Timeline {
		if e.ID == entry.ID && (len(e.Refs) != 1 || e.Refs[0] != friend.ID) {
			t.Errorf("entry refs %v", e.Refs)
		}
	}
	if c, _ := got.Sitreps[0].Section(store.SectionContacts); len(c.Lines) != 1 || !strings.Contains(c.Lines[0].Text, "Ama") {
		t.Errorf("report lines %+v", c.Lines)
	}
}

// TestIncidentAboveCeilingWithheld: an incident holding a record above the pack's ceiling is
// marked as high itself, so it is withheld whole, and none of its records travels.
func TestIncidentAboveCeilingWithheld(t *testing.T) {
	src := openDB(t, "")
	inc := save(t, src, store.Item{Kind: store.KindIncident, Title: "Quiet spill", Class: "RESTRICTED", Incident: &store.Incident{}})
	if _, err := src.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "ORDINARY-ENTRY"}); err != nil {
		t.Fatal(err)
	}
	if _, err := src.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "CONFIDENTIAL-ACTION", Class: "CONFIDENTIAL"}); err != nil {
		t.Fatal(err)
	}
	_, p := export(t, src, []string{inc.ID}, "RESTRICTED")
	plain := plainOf(t, p)
	if p.Items() != 0 || len(p.Records) != 0 || strings.Contains(plain, "ORDINARY-ENTRY") || strings.Contains(plain, "CONFIDENTIAL-ACTION") {
		t.Fatalf("%d items, %d records: %s", p.Items(), len(p.Records), plain)
	}
	if len(p.Withheld) != 1 || p.Withheld[0] != inc.ID+" (CONFIDENTIAL)" {
		t.Errorf("withheld %q", p.Withheld)
	}
}
