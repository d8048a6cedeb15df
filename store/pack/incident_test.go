package pack_test

import (
	"bytes"
	"encoding/json"
	"errors"
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

// TestIncidentImportRules: imported again after both sides changed, an incident's records
// follow the rules: new entries added, entries here untouched; a newer call sheet row
// replaces the one here, which is kept on the timeline; an older action changes nothing;
// another issued report with the same number is a conflict, reported, nothing overwritten.
func TestIncidentImportRules(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	now := time.Now().UTC().Truncate(time.Second)
	inc := save(t, src, store.Item{Kind: store.KindIncident, Title: "Ossera spill", Class: "RESTRICTED",
		Incident: &store.Incident{ZeroHour: now.Add(-48 * time.Hour), Affected: []string{"GHA"}}})
	row, err := src.SaveCallRow(ctx, store.CallRow{Incident: inc.ID, Country: "GHA", Name: "Ama Mensah"})
	if err != nil {
		t.Fatal(err)
	}
	act, err := src.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Deploy booms"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := src.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "Slick reported", At: now.Add(-40 * time.Hour), Significant: true})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := src.DraftSitrep(ctx, inc.ID, now.Add(-30*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.IssueSitrep(ctx, s1.ID, now.Add(-29*time.Hour)); err != nil {
		t.Fatal(err)
	}
	data, _ := export(t, src, []string{inc.ID}, "SECRET")
	if _, err := importPack(t, dst, data, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	tick := func() { time.Sleep(5 * time.Millisecond) }
	// Both sides work on.
	row.Outcome = "DST-TYPED outcome"
	row.Incident = inc.ID
	if _, err := dst.SaveCallRow(ctx, row); err != nil {
		t.Fatal(err)
	}
	tick()
	row.Outcome = "SRC-NEWER outcome"
	if _, err := src.SaveCallRow(ctx, row); err != nil {
		t.Fatal(err)
	}
	act.Status = store.ActionInProgress
	if _, err := src.SaveAction(ctx, act); err != nil {
		t.Fatal(err)
	}
	tick()
	act.Status, act.Owner = store.ActionDone, "DST-OWNER"
	if _, err := dst.SaveAction(ctx, act); err != nil {
		t.Fatal(err)
	}
	second, err := src.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "Booms deployed", Significant: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []*store.DB{src, dst} {
		s, err := db.DraftSitrep(ctx, inc.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.IssueSitrep(ctx, s.ID, now); err != nil {
			t.Fatal(err)
		}
	}
	dstBefore := records(t, dst, inc.ID)
	data, _ = export(t, src, []string{inc.ID}, "SECRET")
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := records(t, dst, inc.ID)
	joined := strings.Join(res.RecordConflicts, "\n")
	// Timeline: append-only.
	ids := map[string]store.TimelineEntry{}
	for _, e := range got.Timeline {
		ids[e.ID] = e
	}
	if _, ok := ids[second.ID]; !ok {
		t.Errorf("the new entry was not added")
	}
	if ids[first.ID].Text != "Slick reported" {
		t.Errorf("the entry here changed: %+v", ids[first.ID])
	}
	// The newer row replaced the one here, which is kept on the timeline.
	if got.CallSheet[0].Outcome != "SRC-NEWER outcome" {
		t.Errorf("row outcome %q", got.CallSheet[0].Outcome)
	}
	kept := 0
	for _, e := range got.Timeline {
		if strings.HasPrefix(e.ID, "kept-") && strings.Contains(e.Text, "DST-TYPED outcome") {
			kept++
		}
	}
	if kept != 1 || !strings.Contains(joined, "call sheet row "+row.ID) {
		t.Errorf("%d kept entries; conflicts:\n%s", kept, joined)
	}
	// The action here is newer: kept.
	if got.Actions[0].Owner != "DST-OWNER" || got.Actions[0].Status != store.ActionDone || !strings.Contains(joined, "action "+act.ID) {
		t.Errorf("action %+v; conflicts:\n%s", got.Actions[0], joined)
	}
	// SITREP 2 issued on both sides: the one here stays.
	if len(got.Sitreps) != 2 || got.Sitreps[1].ID != dstBefore.Sitreps[1].ID || got.Sitreps[1].SHA256 != dstBefore.Sitreps[1].SHA256 ||
		!strings.Contains(joined, "SITREP 2") {
		t.Errorf("reports %+v; conflicts:\n%s", got.Sitreps, joined)
	}
	// Imported again: nothing more changes, the kept entry is not written twice.
	res, err = importPack(t, dst, data, store.ApplyOptions{})
	if err != nil || res.Seq != 0 {
		t.Fatalf("third import: seq %d, %v", res.Seq, err)
	}
	sameRecords(t, "after the third import", got, records(t, dst, inc.ID))
}

// TestIncidentRecordsBadInput: records above this machine's ceiling refuse the pack (or are
// left out and named, on request); records of an incident neither in the pack nor here,
// an altered issued report, and records in a version 1 pack are refused; nothing is written.
func TestIncidentRecordsBadInput(t *testing.T) {
	incident := store.Item{ID: "inc-x", Kind: store.KindIncident, Title: "Spill", Class: "UNCLASSIFIED", Incident: &store.Incident{}}
	in := []store.Incoming{{Item: incident}}
	recs := store.IncidentRecords{Incident: incident.ID, Timeline: []store.TimelineEntry{
		{ID: "e-1", At: time.Now(), Type: store.EntryEvent, Text: "ok", Class: "UNCLASSIFIED"},
		{ID: "e-2", At: time.Now(), Type: store.EntryEvent, Text: "too high", Class: "CONFIDENTIAL"},
	}}
	dst := openDB(t, "RESTRICTED")
	_, err := dst.ApplyPack(ctx, in, nil, store.ApplyOptions{Records: []store.IncidentRecords{recs}})
	if !errors.Is(err, store.ErrAboveCeiling) || !strings.Contains(err.Error(), "e-2 of incident inc-x (CONFIDENTIAL)") {
		t.Fatalf("got %v", err)
	}
	empty(t, dst)
	res, err := dst.ApplyPack(ctx, in, nil, store.ApplyOptions{Records: []store.IncidentRecords{recs}, SkipAboveCeiling: true})
	if err != nil || len(res.RefusedRecords) != 1 {
		t.Fatalf("skip: %+v %v", res, err)
	}
	if got := records(t, dst, incident.ID); len(got.Timeline) != 1 || got.Timeline[0].ID != "e-1" {
		t.Fatalf("imported %+v", got.Timeline)
	}

	other := openDB(t, "")
	orphan := store.IncidentRecords{Incident: "nowhere", Timeline: recs.Timeline[:1]}
	_, err = other.ApplyPack(ctx, in, nil, store.ApplyOptions{Records: []store.IncidentRecords{orphan}})
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("orphan records: %v", err)
	}
	empty(t, other)

	src := openDB(t, "")
	if _, err := importer.LoadDemo(ctx, src); err != nil {
		t.Fatal(err)
	}
	_, p := export(t, src, []string{demoIncident}, "SECRET")
	lines := strings.SplitAfter(plainOf(t, p), "\n")
	for name, c := range map[string]struct {
		edit func(string) string
		want string
	}{
		"issued report altered": {func(s string) string {
			return strings.Replace(s, `"Heading":"Summary"`, `"Heading":"Summery"`, 1)
		}, "issued with: altered"},
		"records in a version 1 pack": {func(s string) string {
			return strings.Replace(s, `"version":2`, `"version":1`, 1)
		}, "version 1 pack"},
	} {
		t.Run(name, func(t *testing.T) {
			var edited []string
			for _, l := range lines {
				edited = append(edited, c.edit(l))
			}
			_, err := pack.Read(bytes.NewReader(encryptPlain(t, []byte(strings.Join(edited, "")))), "test.pack", identity(t, pass))
			if !errors.Is(err, pack.ErrDamaged) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestPackWithoutIncidentsIsVersion1: a pack holding no incident records is written as
// format version 1, which older Chancerys read; version 1 packs are read as before.
func TestPackWithoutIncidentsIsVersion1(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	data, p := export(t, src, w.ids(), "SECRET")
	if !strings.HasPrefix(plainOf(t, p), `{"type":"header","format":"chancery-pack","version":1,`) {
		t.Errorf("header: %.80s", plainOf(t, p))
	}
	if res, err := importPack(t, dst, data, store.ApplyOptions{}); err != nil || len(res.Added) != 5 {
		t.Fatalf("%+v %v", res, err)
	}
}

// TestIncidentRecordsSkippedHere: with SkipAboveCeiling, a call sheet row above this
// machine's ceiling is left out with the calls logged on it (they quote it), and the rest
// of the incident imports.
func TestIncidentRecordsSkippedHere(t *testing.T) {
	incident := store.Item{ID: "inc-y", Kind: store.KindIncident, Title: "Spill", Class: "UNCLASSIFIED", Incident: &store.Incident{}}
	at := time.Date(2026, 11, 8, 6, 0, 0, 0, time.UTC)
	recs := store.IncidentRecords{Incident: incident.ID,
		CallSheet: []store.CallRow{{ID: "c-1", Country: "GHA", Name: "Kofi", Status: store.CallReached, Class: "CONFIDENTIAL"}},
		Timeline: []store.TimelineEntry{
			{ID: "e-1", At: at, Type: store.EntryCall, Text: "Kofi (GHA): reached.", CallRow: "c-1", CallStatus: store.CallReached, Class: "UNCLASSIFIED"},
			{ID: "e-2", At: at, Type: store.EntryEvent, Text: "Slick seen", Class: "UNCLASSIFIED"},
		}}
	dst := openDB(t, "RESTRICTED")
	res, err := dst.ApplyPack(ctx, []store.Incoming{{Item: incident}}, nil, store.ApplyOptions{Records: []store.IncidentRecords{recs}, SkipAboveCeiling: true})
	if err != nil || len(res.RefusedRecords) != 2 || !strings.Contains(res.RefusedRecords[1], "e-1") {
		t.Fatalf("%+v %v", res, err)
	}
	got := records(t, dst, incident.ID)
	if len(got.CallSheet) != 0 || len(got.Timeline) != 1 || got.Timeline[0].ID != "e-2" {
		t.Fatalf("imported %+v", got)
	}
}

// TestIncidentDraftBecomesIssued: a draft report here, edited here, becomes the pack's
// issued report of the same ID; the draft as it was here is kept on the timeline.
func TestIncidentDraftBecomesIssued(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	now := time.Now().UTC().Truncate(time.Second)
	inc := save(t, src, store.Item{Kind: store.KindIncident, Title: "Ossera spill", Class: "RESTRICTED",
		Incident: &store.Incident{ZeroHour: now.Add(-48 * time.Hour)}})
	draft, err := src.DraftSitrep(ctx, inc.ID, now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := export(t, src, []string{inc.ID}, "SECRET")
	if _, err := importPack(t, dst, data, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	here, err := dst.GetSitrep(ctx, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	here.Sections[0].Text = "DST-SUMMARY typed here"
	if _, err := dst.SaveSitrep(ctx, here); err != nil {
		t.Fatal(err)
	}
	issued, err := src.IssueSitrep(ctx, draft.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = export(t, src, []string{inc.ID}, "SECRET")
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.GetSitrep(ctx, draft.ID)
	if err != nil || !got.IsIssued() || got.SHA256 != issued.SHA256 {
		t.Fatalf("report here: %+v %v", got, err)
	}
	kept := false
	for _, e := range records(t, dst, inc.ID).Timeline {
		kept = kept || strings.Contains(e.Text, "DST-SUMMARY typed here")
	}
	if !kept || !strings.Contains(strings.Join(res.RecordConflicts, "\n"), "became the pack's issued report") {
		t.Fatalf("kept %v; %q", kept, res.RecordConflicts)
	}
}
