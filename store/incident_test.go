package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
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
	if !got.Date.Equal(zero) {
		t.Errorf("Date = %v, want the zero hour", got.Date)
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
	if got, _ := db.Get(ctx, inc.ID); got.Rev != 1 || got.Seq <= seq {
		t.Errorf("an entry at the incident's marking made a revision (rev %d) or did not move it (seq %d, was %d)", got.Rev, got.Seq, seq)
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
		{Incident: inc.ID, Text: "x", Type: store.EntryCall, CallRow: "no-row", CallStatus: store.CallReached},
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

func TestCallSheet(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, tg, bj := newIncident(t, db)
	// A Ghanaian contact through an organisation, and one of a country not affected.
	org, err := db.Save(ctx, store.Item{Kind: store.KindOrganisation, Title: "Water Resources Commission", Countries: []string{"GHA"}})
	if err != nil {
		t.Fatal(err)
	}
	gh, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Dr Kofi Asante-Darko", Topics: []string{"environment"},
		Contact: &store.Contact{OrgID: org.ID, Role: "Director"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Mr Far Away", Countries: []string{"JPN"}, Contact: &store.Contact{}}); err != nil {
		t.Fatal(err)
	}
	rows, err := db.ProposeCallSheet(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var who []string
	for _, r := range rows {
		who = append(who, r.Country+" "+r.Contact)
	}
	if want := []string{"GHA " + gh.ID, "TGO " + tg.ID, "BEN " + bj.ID}; !slices.Equal(who, want) {
		t.Fatalf("proposed %v, want downstream order %v", who, want)
	}
	if r := rows[1]; r.Phone != "+228 22 21 00 00" || r.Email != "k.agbodjan@example.tg" || r.TimeZone != "Africa/Lome" ||
		r.Role != "Director of Environment" || r.Status != store.CallNotCalled || r.Name != "M. Komlan Agbodjan" {
		t.Errorf("Togo row = %+v", r)
	}
	if rows[0].Institution != "Water Resources Commission" {
		t.Errorf("Ghana row institution = %q", rows[0].Institution)
	}
	rows[2].Class = "RESTRICTED"
	saved, err := db.SaveCallRows(ctx, inc.ID, rows)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := db.ProposeCallSheet(ctx, inc.ID); len(again) != 0 {
		t.Errorf("proposed again the contacts on the sheet: %v", again)
	}
	// Edit a row.
	saved[1].Outcome, saved[1].NextAction = "", "Send the KPL notification"
	if _, err := db.SaveCallRow(ctx, saved[1]); err != nil {
		t.Fatal(err)
	}
	// Log two calls on the Togo row.
	at := time.Now().UTC().Truncate(time.Millisecond)
	if _, err := db.LogCall(ctx, inc.ID, saved[1].ID, store.CallReached, "Will inform the minister"); err != nil {
		t.Fatal(err)
	}
	e, err := db.LogCall(ctx, inc.ID, saved[1].ID, store.CallNoAnswer, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != store.EntryCall || e.CallRow != saved[1].ID || e.CallStatus != store.CallNoAnswer || !slices.Equal(e.Refs, []string{tg.ID}) ||
		!strings.Contains(e.Text, "M. Komlan Agbodjan (TGO): no answer") {
		t.Errorf("call entry = %+v", e)
	}
	sheet, err := db.CallSheet(ctx, inc.ID)
	if err != nil || len(sheet) != 3 {
		t.Fatalf("CallSheet = %v, %v", sheet, err)
	}
	r := sheet[1]
	if r.Status != store.CallReached || r.Outcome != "Will inform the minister" || r.NextAction != "Send the KPL notification" ||
		r.LastContact.Before(at) || r.LocalTime(at).Location().String() != "Africa/Lome" {
		t.Errorf("Togo row after calls = %+v", r)
	}
	c, _ := db.Get(ctx, tg.ID)
	if c.Contact.LastContact.Before(at) {
		t.Errorf("contact's last contact = %v, want the call's time", c.Contact.LastContact)
	}
	if got, _ := db.Get(ctx, inc.ID); got.Class != "RESTRICTED" {
		t.Errorf("incident class = %s, want the sheet's highest (RESTRICTED)", got.Class)
	}

	// A call for a contact in the trash is refused naming the contact, and nothing changes.
	if err := db.Delete(ctx, bj.ID); err != nil {
		t.Fatal(err)
	}
	before, _ := db.LastSeq(ctx)
	_, err = db.LogCall(ctx, inc.ID, saved[2].ID, store.CallReached, "x")
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), bj.ID) || !strings.Contains(err.Error(), "Dossou-Yovo") || !strings.Contains(err.Error(), "trash") {
		t.Errorf("call on trashed contact: %v", err)
	}
	if after, _ := db.LastSeq(ctx); after != before {
		t.Errorf("refused call moved the sequence from %d to %d", before, after)
	}
	if tl, _ := db.Timeline(ctx, inc.ID); len(tl) != 2 {
		t.Errorf("refused call left an entry: %d entries", len(tl))
	}
	if sheet, _ := db.CallSheet(ctx, inc.ID); sheet[2].Status != store.CallNotCalled {
		t.Errorf("refused call changed the row: %+v", sheet[2])
	}
	// Other bad rows.
	for _, r := range []store.CallRow{{Incident: inc.ID, Country: "Narnia"}, {Incident: inc.ID, Country: "GHA", TimeZone: "Mars/Olympus"},
		{Incident: inc.ID, Country: "GHA", Status: "maybe"}, {Incident: inc.ID, Country: "GHA", Contact: bj.ID}} {
		if _, err := db.SaveCallRow(ctx, r); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SaveCallRow(%+v) = %v", r, err)
		}
	}
	if _, err := db.LogCall(ctx, inc.ID, "no-row", store.CallReached, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("call on unknown row: %v", err)
	}
	if err := db.RemoveCallRow(ctx, inc.ID, saved[0].ID); err != nil {
		t.Fatal(err)
	}
	if sheet, _ := db.CallSheet(ctx, inc.ID); len(sheet) != 2 {
		t.Errorf("after removing a row: %d rows", len(sheet))
	}
}

func TestActionsAndPositions(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, _, _ := newIncident(t, db)
	due := time.Date(2026, 11, 9, 18, 0, 0, 0, time.UTC)
	a, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Request ORBC Article 9 alert", Owner: "Desk", Due: due, Zone: "Africa/Accra"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Brief the minister", Due: due.Add(time.Hour), Status: store.ActionDone})
	if err != nil || b.Done.IsZero() {
		t.Fatalf("done action = %+v, %v", b, err)
	}
	acts, err := db.Actions(ctx, inc.ID)
	if err != nil || len(acts) != 2 || acts[0].ID != a.ID || acts[0].Owner != "Desk" || acts[0].Zone != "Africa/Accra" || !acts[0].Due.Equal(due) {
		t.Fatalf("Actions = %+v, %v", acts, err)
	}
	if over := store.Overdue(acts, due.Add(time.Minute)); len(over) != 1 || over[0].ID != a.ID {
		t.Errorf("Overdue = %+v", over)
	}
	if acts[0].Overdue(due.Add(-time.Minute)) || acts[1].Overdue(due.Add(48*time.Hour)) {
		t.Error("an action not yet due, or done, is overdue")
	}
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "x", Zone: "Nowhere/City"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("bad zone: %v", err)
	}
	stmt, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Communiqué du Togo", Document: &store.Document{}})
	if err != nil {
		t.Fatal(err)
	}
	stated := time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)
	for _, p := range []store.Position{
		{Incident: inc.ID, Country: "NGA", Text: "Offers booms and skimmers", Source: "NOSDRA"},
		{Incident: inc.ID, Country: "Togo", Text: "Holds the operator liable", Stated: stated, Source: "Communiqué", Reliability: "a1", Statement: stmt.ID, Class: "RESTRICTED"},
	} {
		if _, err := db.SavePosition(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := db.Positions(ctx, inc.ID)
	if err != nil || len(ps) != 2 || ps[0].Country != "TGO" || ps[1].Country != "NGA" {
		t.Fatalf("Positions (downstream order) = %+v, %v", ps, err)
	}
	if p := ps[0]; p.Statement != stmt.ID || p.Reliability != "A1" || !p.Stated.Equal(stated) || p.Class != "RESTRICTED" {
		t.Errorf("Togo position = %+v", p)
	}
	if cp, err := db.CountryPositions(ctx, "TG"); err != nil || len(cp) != 1 || cp[0].ID != ps[0].ID {
		t.Errorf("CountryPositions(TG) = %+v, %v", cp, err)
	}
	if _, err := db.SavePosition(ctx, store.Position{Incident: inc.ID, Country: "ZZZ", Text: "x"}); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "ZZZ") {
		t.Errorf("unknown country: %v", err)
	}
	recs, err := db.Records(ctx, inc.ID)
	if err != nil || len(recs.Actions) != 2 || len(recs.Positions) != 2 {
		t.Errorf("Records = %+v, %v", recs, err)
	}
}

func lineRefs(s store.Sitrep, heading string) []string {
	sec, _ := s.Section(heading)
	var out []string
	for _, l := range sec.Lines {
		out = append(out, l.Ref)
	}
	return out
}

// TestSitrepHoldsExactlyTheSignificantEntriesSince: a draft holds the significant entries
// after the previous report's as-of and up to now, no others; an issued report never
// changes, cannot be issued twice, and is amended by a new number.
func TestSitrepHoldsExactlyTheSignificantEntriesSince(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, tg, _ := newIncident(t, db)
	add := func(h int, text string, significant bool, class string) store.TimelineEntry {
		t.Helper()
		e, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, At: zero.Add(time.Duration(h) * time.Hour), Text: text, Significant: significant, Class: class})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	s1a := add(1, "Spill notified", true, "")
	add(2, "Routine check", false, "")
	s1b := add(3, "Intake closed at Sangbe", true, "RESTRICTED")
	late := add(30, "Fish kills at Tindang", true, "") // after SITREP 1's as-of

	asOf1 := zero.Add(24 * time.Hour)
	r1, err := db.DraftSitrep(ctx, inc.ID, asOf1)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Number != 1 || !r1.From.Equal(zero) || !r1.AsOf.Equal(asOf1) || !r1.NextDue.Equal(asOf1.Add(12*time.Hour)) || r1.Class != "RESTRICTED" {
		t.Errorf("SITREP 1 = number %d from %v as of %v next %v class %s", r1.Number, r1.From, r1.AsOf, r1.NextDue, r1.Class)
	}
	if got, want := lineRefs(r1, store.SectionEvents), []string{s1a.ID, s1b.ID}; !slices.Equal(got, want) {
		t.Errorf("SITREP 1 events = %v, want %v", got, want)
	}
	// The officer edits the draft.
	r1.Sections[0].Text = "Diesel is moving downstream at 2 km/h."
	if r1, err = db.SaveSitrep(ctx, r1); err != nil {
		t.Fatal(err)
	}
	issued, err := db.IssueSitrep(ctx, r1.ID, asOf1.Add(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if issued.SHA256 == "" || issued.SHA256 != store.SitrepHash(issued) || !issued.IsIssued() {
		t.Errorf("issued report hash %q, recomputed %q", issued.SHA256, store.SitrepHash(issued))
	}
	stored, _ := db.GetSitrep(ctx, r1.ID)
	if store.SitrepHash(stored) != issued.SHA256 || stored.Sections[0].Text != "Diesel is moving downstream at 2 km/h." {
		t.Errorf("stored report does not match its hash: %+v", stored)
	}

	// Issued: no change, no second issue; both refused naming it, nothing changes.
	before, _ := db.LastSeq(ctx)
	stored.Sections[0].Text = "rewritten"
	if _, err := db.SaveSitrep(ctx, stored); !errors.Is(err, store.ErrIssued) || !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "SITREP 1") || !strings.Contains(err.Error(), r1.ID) {
		t.Errorf("changing an issued report: %v", err)
	}
	if _, err := db.IssueSitrep(ctx, r1.ID, time.Now()); !errors.Is(err, store.ErrIssued) || !strings.Contains(err.Error(), r1.ID) {
		t.Errorf("issuing twice: %v", err)
	}
	if after, _ := db.LastSeq(ctx); after != before {
		t.Errorf("refused writes moved the sequence from %d to %d", before, after)
	}
	if again, _ := db.GetSitrep(ctx, r1.ID); store.SitrepHash(again) != issued.SHA256 || !again.Issued.Equal(issued.Issued) {
		t.Errorf("the issued report changed: %+v", again)
	}

	// SITREP 2: the significant entries since SITREP 1's as-of, including one corrected and
	// its correction (only the correction), a call and the late one.
	wrong := add(31, "Slick at km 300", true, "")
	fix, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, At: zero.Add(32 * time.Hour), Text: "Slick at km 280", Corrects: wrong.ID, Significant: true})
	if err != nil {
		t.Fatal(err)
	}
	add(33, "Coffee", false, "")
	rows, _ := db.ProposeCallSheet(ctx, inc.ID)
	rows, err = db.SaveCallRows(ctx, inc.ID, rows)
	if err != nil {
		t.Fatal(err)
	}
	call, err := db.LogCallWith(ctx, store.CallLog{Incident: inc.ID, Row: rows[0].ID, Status: store.CallConfirmed, Text: "Received the notification",
		At: zero.Add(34 * time.Hour), Significant: true, NextAction: "Send the water results", NextDue: zero.Add(40 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	future := add(60, "Not yet", true, "") // after the draft's as-of
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Deploy booms", Status: store.ActionDone, Done: zero.Add(35 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Old done", Status: store.ActionDone, Done: zero.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Call the JEU", Due: zero.Add(40 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePosition(ctx, store.Position{Incident: inc.ID, Country: "TGO", Text: "Wants a joint assessment"}); err != nil {
		t.Fatal(err)
	}
	asOf2 := zero.Add(48 * time.Hour)
	r2, err := db.DraftSitrep(ctx, inc.ID, asOf2)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Number != 2 || !r2.From.Equal(asOf1) || r2.Class != "UNCLASSIFIED" {
		t.Errorf("SITREP 2 = number %d from %v class %s", r2.Number, r2.From, r2.Class)
	}
	if got, want := lineRefs(r2, store.SectionEvents), []string{late.ID, fix.ID, call.ID}; !slices.Equal(got, want) {
		t.Errorf("SITREP 2 events = %v, want exactly %v (not %s, %s)", got, want, wrong.ID, future.ID)
	}
	if got := lineRefs(r2, store.SectionContacts); !slices.Equal(got, []string{rows[0].ID}) {
		t.Errorf("contacts made = %v", got)
	}
	if got := lineRefs(r2, store.SectionRequests); !slices.Equal(got, []string{rows[0].ID}) {
		t.Errorf("open requests = %v", got)
	}
	if sec, _ := r2.Section(store.SectionActionsDone); len(sec.Lines) != 1 || !strings.Contains(sec.Lines[0].Text, "Deploy booms") {
		t.Errorf("actions taken = %+v", sec.Lines)
	}
	if sec, _ := r2.Section(store.SectionActionsPlan); len(sec.Lines) != 1 || !strings.Contains(sec.Lines[0].Text, "OVERDUE") {
		t.Errorf("actions planned = %+v", sec.Lines)
	}
	if sec, _ := r2.Section(store.SectionPositions); len(sec.Lines) != 1 || !strings.Contains(sec.Lines[0].Text, "Togo") {
		t.Errorf("positions = %+v", sec.Lines)
	}
	// Drafting again fills the same draft in place, keeping the officer's own text.
	r2.Sections[0].Text = "Officer's summary"
	if _, err := db.SaveSitrep(ctx, r2); err != nil {
		t.Fatal(err)
	}
	again, err := db.DraftSitrep(ctx, inc.ID, asOf2.Add(time.Hour))
	if err != nil || again.ID != r2.ID || again.Number != 2 || again.Sections[0].Text != "Officer's summary" {
		t.Errorf("drafting again = %+v, %v", again, err)
	}
	// An amendment of SITREP 1 is a new number naming it.
	am, err := db.AmendSitrep(ctx, r1.ID, asOf2)
	if err != nil || am.Number != 3 || am.Amends != r1.ID || am.IsIssued() || am.Sections[0].Text != "Diesel is moving downstream at 2 km/h." {
		t.Errorf("amendment = %+v, %v", am, err)
	}
	all, err := db.Sitreps(ctx, inc.ID)
	if err != nil || len(all) != 3 {
		t.Errorf("Sitreps = %d, %v", len(all), err)
	}
	_ = tg
}

// TestIncidentTrashAndPurge: an incident's records are read with it in the trash, nothing
// new is written to it there, and emptying the trash removes their text from the files.
func TestIncidentTrashAndPurge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inc, _, _ := newIncident(t, db)
	const word = "Quetzalcoatlusword"
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "Entry " + word, Significant: true}); err != nil {
		t.Fatal(err)
	}
	rows, _ := db.ProposeCallSheet(ctx, inc.ID)
	rows[0].Outcome = "Outcome " + word
	if _, err := db.SaveCallRows(ctx, inc.ID, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "Action " + word}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePosition(ctx, store.Position{Incident: inc.ID, Country: "NGA", Text: "Position " + word}); err != nil {
		t.Fatal(err)
	}
	r, err := db.DraftSitrep(ctx, inc.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueSitrep(ctx, r.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	if tl, err := db.Timeline(ctx, inc.ID); err != nil || len(tl) != 1 {
		t.Errorf("timeline of a trashed incident = %v, %v", tl, err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "x"}); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "trash") {
		t.Errorf("entry on a trashed incident: %v", err)
	}
	if list, _ := db.Incidents(ctx, ""); len(list) != 0 {
		t.Errorf("trashed incident listed: %v", list)
	}
	if ps, _ := db.CountryPositions(ctx, "NGA"); len(ps) != 0 {
		t.Errorf("positions of a trashed incident listed: %v", ps)
	}
	if n, err := db.EmptyTrash(ctx); err != nil || n != 1 {
		t.Fatalf("EmptyTrash = %d, %v", n, err)
	}
	if _, err := db.Timeline(ctx, inc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("timeline of a purged incident: %v", err)
	}
	for _, f := range dataFiles(t, dir) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(word)) {
			t.Errorf("%s still holds the purged records' text", filepath.Base(f))
		}
	}
}

// TestIncidentRecordsCeiling: no record is stored above the machine's ceiling.
func TestIncidentRecordsCeiling(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenWith(ctx, t.TempDir(), store.Options{MaxClass: "CONFIDENTIAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	inc, _, _ := newIncident(t, db)
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "x", Class: "SECRET"}); !errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("SECRET entry: %v", err)
	}
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "x", Class: "SECRET"}); !errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("SECRET action: %v", err)
	}
	if got, _ := db.Get(ctx, inc.ID); got.Class != "UNCLASSIFIED" {
		t.Errorf("incident marking moved to %s", got.Class)
	}
}

// TestSchemeKeepsRecordMarkings: a classification scheme that lacks a marking an
// incident's record carries is refused, as for items, naming the marking.
func TestSchemeKeepsRecordMarkings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	inc, _, _ := newIncident(t, db)
	// The incident rises to SECRET; its action stays RESTRICTED, a marking no item has.
	if _, err := db.SaveAction(ctx, store.IncidentAction{Incident: inc.ID, Text: "x", Class: "RESTRICTED"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "y", Class: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = store.OpenWith(ctx, dir, store.Options{Classes: []string{"UNCLASSIFIED", "CONFIDENTIAL", "SECRET"}})
	if err == nil || !strings.Contains(err.Error(), "RESTRICTED") || strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("scheme without a record's marking: %v", err)
	}
}

// TestMergeContactsMovesCallRows: merging contacts points the call sheet rows of the
// merged ones at the kept one, so a call can still be logged on them.
func TestMergeContactsMovesCallRows(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	inc, tg, _ := newIncident(t, db)
	dup, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Komlan Agbodjan", Countries: []string{"TGO"},
		Contact: &store.Contact{GivenName: "Komlan", FamilyName: "Agbodjan"}})
	if err != nil {
		t.Fatal(err)
	}
	row, err := db.SaveCallRow(ctx, store.CallRow{Incident: inc.ID, Country: "TGO", Contact: dup.ID, Name: dup.Title})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.Get(ctx, inc.ID)
	if _, err := db.MergeContacts(ctx, []string{tg.ID, dup.ID}); err != nil {
		t.Fatal(err)
	}
	sheet, _ := db.CallSheet(ctx, inc.ID)
	if len(sheet) != 1 || sheet[0].Contact != tg.ID {
		t.Fatalf("row after merge: %+v", sheet)
	}
	if after, _ := db.Get(ctx, inc.ID); after.Seq <= before.Seq {
		t.Errorf("incident seq %d did not move (was %d)", after.Seq, before.Seq)
	}
	if _, err := db.LogCall(ctx, inc.ID, row.ID, store.CallReached, "ok"); err != nil {
		t.Errorf("call after merge: %v", err)
	}
}
