package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// The workspace's clock and the desk's zone in these tests: 14:00 in Lagos (UTC+1) on
// 8 Nov 2026, the spill's zero hour 04:30 UTC that morning.
var (
	wsNow  = time.Date(2026, 11, 8, 13, 0, 0, 0, time.UTC)
	wsZero = time.Date(2026, 11, 8, 4, 30, 0, 0, time.UTC)
	wsDesk = time.FixedZone("WAT", 3600)
)

type wsFixture struct {
	k      *kb
	mw     *mainWindow
	l      *uiLoop
	inc    store.Item
	tg, bj store.Item // contacts in Togo and Benin
}

// openWorkspace saves an incident over the Ossera (five countries downstream, contacts in
// Togo and Benin), opens a window, and opens the incident's workspace from the navigation.
func openWorkspace(t *testing.T, opts ...func(*Deps)) *wsFixture {
	t.Helper()
	ctx := context.Background()
	f := &wsFixture{k: openTestKB(t)}
	db := f.k.db
	var err error
	if f.tg, err = db.Save(ctx, store.Item{Kind: store.KindContact, Title: "M. Komlan Agbodjan", Countries: []string{"TGO"},
		Contact: &store.Contact{JobTitle: "Director of Environment", Phones: []store.Labeled{{Value: "+228 22 21 00 00"}}}}); err != nil {
		t.Fatal(err)
	}
	if f.bj, err = db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Mme Laure Dossou-Yovo", Countries: []string{"BEN"},
		Contact: &store.Contact{JobTitle: "Head of Water"}}); err != nil {
		t.Fatal(err)
	}
	if f.inc, err = db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Kassiba oil spill", Body: "Diesel into the Ossera.",
		Incident: &store.Incident{Type: "oil spill", ZeroHour: wsZero, Place: "Kassiba depot",
			Affected: []string{"GHA", "TGO", "BEN", "NER", "NGA"}, Severity: "major"}}); err != nil {
		t.Fatal(err)
	}
	deps := f.k.deps()
	for _, o := range opts {
		o(&deps)
	}
	f.mw, f.l = openWindow(t, deps)
	f.mw.incident.now = func() time.Time { return wsNow }
	f.mw.incident.loc = wsDesk
	waitReady(t, f.mw, f.l)
	f.l.waitFor(t, "the incident under the navigation", func() bool { return f.mw.kept.text(f.inc.ID) == "Kassiba oil spill" })
	chooseKept(t, f.mw, "Kassiba oil spill")
	f.l.waitFor(t, "the workspace", func() bool { return f.mw.incident.has && f.mw.incident.content.Visible() })
	return f
}

// waitRecords waits until the workspace shows records that satisfy cond.
func (f *wsFixture) waitRecords(t *testing.T, what string, cond func(store.IncidentRecords) bool) {
	t.Helper()
	f.l.waitFor(t, what, func() bool { return f.mw.incident.has && cond(f.mw.incident.recs) })
}

// enter types text in e and presses Enter.
func enter(e *keyEntry, text string) {
	test.Type(e, text)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func TestIncidentWorkspaceHeaderAndStandingSearch(t *testing.T) {
	f := openWorkspace(t)
	s := f.mw.incident
	if f.mw.place != incidentPlace(f.inc.ID) || f.mw.search.content.Visible() || f.mw.browse.content.Visible() {
		t.Fatalf("place %v after choosing the incident", f.mw.place)
	}
	head := allText(s.content)
	for _, want := range []string{
		"Kassiba oil spill",
		"Active · oil spill · Kassiba depot · zero hour Sun 8 Nov 05:30 (T+8 h 30 min) · severity major",
		"Downstream, first in line first: 1 Ghana · 2 Togo · 3 Benin · 4 Niger · 5 Nigeria",
		"UNCLASSIFIED",
		"Timeline", "Call sheet", "Actions", "Positions", "Situation reports",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("the workspace lacks %q:\n%s", want, head)
		}
	}

	// A standing search for the incident: its counts in the header and on the incident's
	// line in the navigation, after a save by anyone.
	test.Tap(findButton(s.kept, "Keep a standing search…"))
	e := overlayEntry(f.mw)
	if e == nil || e.Text != "Kassiba oil spill" {
		t.Fatalf("the dialog offers %v", e)
	}
	test.Tap(overlayButton(f.mw.win.Canvas(), "Keep"))
	f.l.waitFor(t, "the standing search in the header", func() bool { return findButton(s.kept, "Standing search: Kassiba oil spill") != nil })
	if _, err := f.k.db.Save(context.Background(), store.Item{Kind: store.KindNote, Title: "Kassiba: sheen at Lomé", Body: "Oil spill reached the intake."}); err != nil {
		t.Fatal(err)
	}
	f.l.waitFor(t, "the count in the header", func() bool { return findButton(s.kept, "Standing search: Kassiba oil spill — 1 new") != nil })
	f.l.waitFor(t, "the count on the incident's line", func() bool { return f.mw.kept.text(f.inc.ID) == "Kassiba oil spill 1 new" })

	// Opening it shows what is new, and clears the counts.
	test.Tap(findButton(s.kept, "Standing search: Kassiba oil spill — 1 new"))
	f.l.waitFor(t, "the standing search's results", func() bool {
		return f.mw.place == searchPlace && f.mw.search.kept != nil && f.mw.search.kept.loaded && len(f.mw.search.hits) > 0
	})
	if rows := visibleRows(f.mw.search.list); rows[0].title.Text != "Kassiba: sheen at Lomé" || !strings.HasPrefix(rows[0].meta.Text, "New") {
		t.Errorf("first row %q %q", rows[0].title.Text, rows[0].meta.Text)
	}
	f.l.waitFor(t, "the counts cleared", func() bool { return f.mw.kept.text(f.inc.ID) == "Kassiba oil spill" })

	// Alt+N in the workspace opens it too.
	f.mw.openIncident(f.inc.ID)
	f.l.waitFor(t, "the workspace", func() bool { return f.mw.place == incidentPlace(f.inc.ID) })
	f.mw.search.entry.SetText("")
	f.mw.onIncidentNews()
	f.l.waitFor(t, "the standing search from Alt+N", func() bool {
		return f.mw.place == searchPlace && f.mw.search.kept != nil && f.mw.search.query == "kassiba oil spill"
	})
	// Ctrl+Shift+I from there goes back to the workspace, without asking which.
	f.mw.onOpenWorkspace()
	if top := f.mw.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Ctrl+Shift+I from the standing search asked: %q", allText(top))
	}
	f.l.waitFor(t, "back to the workspace", func() bool { return f.mw.place == incidentPlace(f.inc.ID) && s.content.Visible() })
	// From a search of one's own it goes back to the workspace shown last, without asking
	// (the palette asks only while no workspace has been shown).
	f.mw.goTo(searchPlace)
	f.l.waitFor(t, "the search", func() bool { return f.mw.place == searchPlace })
	f.mw.search.entry.SetText("lomé")
	f.l.waitFor(t, "another query", func() bool { return f.mw.search.kept == nil })
	f.mw.onOpenWorkspace()
	if top := f.mw.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Ctrl+Shift+I from another search asked: %q", allText(top))
	}
	f.l.waitFor(t, "back to the last workspace", func() bool { return f.mw.place == incidentPlace(f.inc.ID) && s.content.Visible() })
	f.mw.goTo(searchPlace)
	f.l.waitFor(t, "the search", func() bool { return f.mw.place == searchPlace })

	// From the incident's item: the pane's Open workspace.
	f.mw.openFound(f.inc.ID)
	f.l.waitFor(t, "the incident's item", func() bool { return viewTitle(f.mw.search.pane.view) == "Kassiba oil spill" })
	if !f.mw.search.pane.workspaceBtn.Visible() {
		t.Fatal("no Open workspace on the incident's item")
	}
	test.Tap(f.mw.search.pane.workspaceBtn)
	f.l.waitFor(t, "the workspace again", func() bool { return f.mw.place == incidentPlace(f.inc.ID) && s.content.Visible() })

	// Ctrl+Delete in the workspace does not trash the item open behind it.
	f.mw.browse.pane.open(f.inc.ID)
	f.l.waitFor(t, "the item behind", func() bool { return f.mw.browse.pane.has && f.mw.browse.pane.item.ID == f.inc.ID })
	f.mw.onTrash()
	time.Sleep(50 * time.Millisecond)
	f.l.drain()
	if it, err := f.k.db.Get(context.Background(), f.inc.ID); err != nil || it.Deleted != nil {
		t.Errorf("the incident behind the workspace was trashed: %v, %v", it.Deleted, err)
	}
}

func TestTimelinePane(t *testing.T) {
	f := openWorkspace(t)
	p := f.mw.incident.timeline
	if !strings.Contains(allText(p.content), "Nothing on the timeline yet") {
		t.Errorf("empty timeline says:\n%s", allText(p.content))
	}
	// One line and Enter; Alt+S makes it significant, Alt+E the next type.
	f.mw.incident.showPane(paneTimeline)
	p.onSignificant()
	p.onNextType() // decision
	enter(p.line, "Close the Lomé intake")
	// A time typed first: earlier today, in the desk's local time.
	enter(p.line, "09:15 Operator confirms the leak")
	f.waitRecords(t, "two entries", func(r store.IncidentRecords) bool { return len(r.Timeline) == 2 })
	tl := f.mw.incident.recs.Timeline
	if !tl[0].At.Equal(time.Date(2026, 11, 8, 8, 15, 0, 0, time.UTC)) || tl[0].Text != "Operator confirms the leak" {
		t.Errorf("the entry typed at 09:15 local: %+v", tl[0])
	}
	if !tl[1].At.Equal(wsNow) || tl[1].Type != store.EntryDecision || !tl[1].Significant {
		t.Errorf("the entry added now: %+v", tl[1])
	}
	if p.line.Text != "" || p.sig.Checked {
		t.Errorf("the line is not ready for the next entry: %q, significant %v", p.line.Text, p.sig.Checked)
	}
	rows := allText(p.list)
	for _, want := range []string{"Sun 8 Nov 09:15", "Decision · Operator confirms the leak", "Sun 8 Nov 14:00", "Decision ★ · Close the Lomé intake"} {
		if !strings.Contains(rows, want) {
			t.Errorf("timeline lacks %q:\n%s", want, rows)
		}
	}

	// A correction: a new entry naming the one it corrects.
	p.list.Select(0)
	p.onCorrect()
	if p.line.Text != "Operator confirms the leak" || !p.corr.Visible() {
		t.Fatalf("correcting: line %q", p.line.Text)
	}
	p.line.SetText("")
	enter(p.line, "Operator confirms the leak from tank T4")
	f.waitRecords(t, "the correction", func(r store.IncidentRecords) bool { return len(r.Timeline) == 3 })
	rows = allText(p.list)
	for _, want := range []string{"(corrected) Operator confirms the leak", "Correction of Sun 8 Nov 09:15: Operator confirms the leak from tank T4"} {
		if !strings.Contains(rows, want) {
			t.Errorf("timeline lacks %q:\n%s", want, rows)
		}
	}
	if p.corr.Visible() {
		t.Error("still correcting after the correction was added")
	}
}

func TestCallSheetPane(t *testing.T) {
	f := openWorkspace(t)
	p := f.mw.incident.calls
	f.mw.incident.showPane(paneCalls)
	if !strings.Contains(allText(p.content), "No counterparts on the call sheet yet") {
		t.Errorf("empty sheet says:\n%s", allText(p.content))
	}
	p.onPropose() // Alt+O
	f.waitRecords(t, "the proposed sheet", func(r store.IncidentRecords) bool { return len(r.CallSheet) == 2 })
	text := allText(p.content)
	for _, want := range []string{
		"PERSONAL CONTACT DATA — NOT FOR PUBLIC RELEASE", "UNCLASSIFIED",
		"1. Togo — M. Komlan Agbodjan · Director of Environment", "+228 22 21 00 00 · their time Sun 13:00 (Africa/Lome) · no contact yet",
		"2. Benin — Mme Laure Dossou-Yovo", "their time Sun 14:00 (Africa/Porto-Novo)",
		"not called",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}

	// Two keystrokes and a line: Alt+L, 4 (receipt confirmed), what was said, Enter.
	p.onLog()
	if p.selected != 0 || f.mw.win.Canvas().Focused() != p.line {
		t.Fatalf("Alt+L: row %d selected, focus %v", p.selected, f.mw.win.Canvas().Focused())
	}
	enter(p.line, "4 Alert received, Lomé intake closed")
	f.waitRecords(t, "the call logged", func(r store.IncidentRecords) bool { return r.CallSheet[0].Status == store.CallConfirmed })
	text = allText(p.content)
	for _, want := range []string{"receipt confirmed", "last contact Sun 8 Nov 14:00", "Outcome: Alert received, Lomé intake closed"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the call the sheet lacks %q:\n%s", want, text)
		}
	}
	if p.selected != 1 {
		t.Errorf("after a confirmed call row %d is selected, want the next one", p.selected)
	}
	// The clock moves on: their local time follows without a reload.
	f.mw.incident.now = func() time.Time { return wsNow.Add(2 * time.Hour) }
	f.mw.incident.onTick()
	if text := allText(p.content); !strings.Contains(text, "their time Sun 15:00 (Africa/Lome)") {
		t.Errorf("after two hours the sheet says:\n%s", text)
	}
	f.mw.incident.now = func() time.Time { return wsNow }
	r := f.mw.incident.recs
	if last := r.Timeline[len(r.Timeline)-1]; last.Type != store.EntryCall || !strings.Contains(last.Text, "Alert received") {
		t.Errorf("no call on the timeline: %+v", last)
	}
	tg, _ := f.k.db.Get(context.Background(), f.tg.ID)
	if !tg.Contact.LastContact.Equal(wsNow) {
		t.Errorf("the contact's last contact = %v", tg.Contact.LastContact)
	}

	// The sheet takes the highest marking of its rows.
	row := r.CallSheet[1]
	row.Class = "RESTRICTED"
	if _, err := f.k.db.SaveCallRow(context.Background(), row); err != nil {
		t.Fatal(err)
	}
	f.l.waitFor(t, "the sheet's marking", func() bool {
		return p.marking() == "PERSONAL CONTACT DATA — NOT FOR PUBLIC RELEASE RESTRICTED"
	})
}

func TestActionsPane(t *testing.T) {
	f := openWorkspace(t)
	p := f.mw.incident.actions
	f.mw.incident.showPane(paneActions)
	if f.mw.win.Canvas().Focused() != p.line {
		t.Errorf("the actions' line has not the focus")
	}
	p.owner.SetText("Desk officer")
	p.due.SetText("10:00") // before now (14:00 local): overdue
	enter(p.line, "Send the alert to Benin")
	f.waitRecords(t, "the first action", func(r store.IncidentRecords) bool { return len(r.Actions) == 1 })
	p.owner.SetText("Embassy Lomé")
	p.due.SetText("8 Nov 18:00")
	p.zone.SetText("Africa/Lome")
	enter(p.line, "Brief the ambassador")
	f.waitRecords(t, "the second action", func(r store.IncidentRecords) bool { return len(r.Actions) == 2 })
	f.l.waitFor(t, "the overdue one first", func() bool { return len(p.actions) == 2 && p.actions[0].Text == "Send the alert to Benin" })

	text := allText(p.content)
	for _, want := range []string{
		"1 action is overdue · 2 to do",
		"OVERDUE · Send the alert to Benin", "open · Desk officer · due Sun 8 Nov 10:00",
		"Brief the ambassador", "open · Embassy Lomé · due Sun 8 Nov 18:00 (17:00 Africa/Lome)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("actions lack %q:\n%s", want, text)
		}
	}
	var first *widget.Label
	for _, o := range visible(p.list) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "OVERDUE") {
			first = l
		}
	}
	if first == nil || first.Importance != widget.DangerImportance || !first.TextStyle.Bold {
		t.Errorf("the overdue action does not stand out: %+v", first)
	}

	// Alt+D on it: done, no longer overdue, last.
	p.list.Select(0)
	p.onDone()
	f.l.waitFor(t, "the action done", func() bool { return len(p.actions) == 2 && p.actions[1].Status == store.ActionDone })
	if text := allText(p.content); strings.Contains(text, "OVERDUE") || !strings.Contains(text, "1 action to do, none overdue") {
		t.Errorf("after done:\n%s", text)
	}
}

func TestPositionsPane(t *testing.T) {
	f := openWorkspace(t)
	p := f.mw.incident.positions
	f.mw.incident.showPane(panePositions)
	if !strings.Contains(allText(p.content), "No positions recorded yet") {
		t.Errorf("empty positions say:\n%s", allText(p.content))
	}
	p.onAdd() // Alt+P
	top := f.mw.win.Canvas().Overlays().Top()
	var entries []*widget.Entry
	for _, o := range visible(top) {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
	}
	var sel *widget.Select
	for _, o := range visible(top) {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	}
	if len(entries) != 4 || sel == nil {
		t.Fatalf("the dialog has %d entries, select %v", len(entries), sel)
	}
	sel.SetSelected("Togo")
	entries[0].SetText("Togo holds the operator liable and asks for a joint monitoring team.")
	entries[1].SetText("2026-11-08")
	entries[2].SetText("Ministry press release")
	entries[3].SetText("b2")
	test.Tap(overlayButton(f.mw.win.Canvas(), "Add"))
	f.waitRecords(t, "the position", func(r store.IncidentRecords) bool { return len(r.Positions) == 1 })
	text := allText(p.content)
	for _, want := range []string{"Togo · 8 Nov 2026 · Ministry press release B2", "Togo holds the operator liable"} {
		if !strings.Contains(text, want) {
			t.Errorf("positions lack %q:\n%s", want, text)
		}
	}
}

func TestSitrepPane(t *testing.T) {
	fake := &fakeExport{info: ExportInfo{Marking: "UNCLASSIFIED"}}
	f := openWorkspace(t, func(d *Deps) { d.ExportSitrep = fake.export })
	ctx := context.Background()
	if _, err := f.k.db.AddEntry(ctx, store.TimelineEntry{Incident: f.inc.ID, At: wsNow.Add(-time.Hour), Text: "Slick reaches the border", Significant: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.db.AddEntry(ctx, store.TimelineEntry{Incident: f.inc.ID, At: wsNow.Add(-time.Hour), Text: "Coffee delivered"}); err != nil {
		t.Fatal(err)
	}
	p := f.mw.incident.sitreps
	f.mw.incident.showPane(paneSitreps)
	p.onDraft() // Alt+R
	f.l.waitFor(t, "SITREP 1 drafted", func() bool { return p.shown.Number == 1 && len(p.texts) > 0 })
	if f.mw.win.Canvas().Focused() != p.texts[0] {
		t.Errorf("the summary has not the focus after drafting")
	}
	text := allText(p.content)
	for _, want := range []string{"SITREP 1 — Kassiba oil spill", "Draft: edit each section's text", "Significant events", "Slick reaches the border", "Issue SITREP 1…"} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Coffee delivered") {
		t.Errorf("an entry not significant is in the draft:\n%s", text)
	}

	// Edit the summary, save with Ctrl+S.
	test.Type(p.texts[0], "Slick at the Togo border; intakes closed.")
	f.mw.onSave()
	f.waitRecords(t, "the summary saved", func(r store.IncidentRecords) bool {
		sec, _ := r.Sitreps[0].Section(store.SectionSummary)
		return len(r.Sitreps) == 1 && sec.Text == "Slick at the Togo border; intakes closed."
	})

	// Issue it: then it reads, and cannot be edited.
	p.onIssue() // Alt+I
	ok, isOK := f.mw.win.Canvas().Focused().(*enterButton)
	if !isOK || ok.Text != "Issue SITREP 1" {
		t.Fatalf("the confirming button has not the focus: %v", f.mw.win.Canvas().Focused())
	}
	ok.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter issues it
	f.waitRecords(t, "SITREP 1 issued", func(r store.IncidentRecords) bool { return r.Sitreps[0].IsIssued() })
	f.l.waitFor(t, "the issued report shown", func() bool { return p.shown.IsIssued() })
	text = allText(p.content)
	if !strings.Contains(text, "Issued Sun 8 Nov 14:00 · it never changes") || !strings.Contains(text, "SHA-256 "+f.mw.incident.recs.Sitreps[0].SHA256) {
		t.Errorf("the issued report says:\n%s", text)
	}
	for _, o := range visible(p.detail) {
		if _, ok := o.(*widget.Entry); ok {
			t.Fatal("an issued report can be edited")
		}
	}
	if strings.Contains(text, "Issue SITREP 1") || !strings.Contains(text, "Slick at the Togo border; intakes closed.") {
		t.Errorf("the issued report:\n%s", text)
	}

	// Export it (Alt+X): format and release copy, then the file, as a briefing.
	dir := t.TempDir()
	f.mw.briefs.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
		done(storage.Writer(storage.NewFileURI(filepath.Join(dir, name))))
	}
	if findButton(p.detail, "Export SITREP 1…") == nil {
		t.Error("no Export on the issued report")
	}
	p.onExport()
	x := f.mw.briefs.export
	if x == nil || x.item.ID != p.shown.ID {
		t.Fatalf("no export dialog for the report: %+v", x)
	}
	test.Tap(overlayButton(f.mw.win.Canvas(), "Export…"))
	f.l.waitFor(t, "the export", func() bool { return x.done != nil || x.ended })
	if msg := allText(f.mw.win.Canvas().Overlays().Top()); !strings.Contains(msg, "Situation report exported") {
		t.Errorf("the export's end reads %q", msg)
	}
	if got := fake.called(); len(got) != 1 || got[0] != p.shown.ID+" pdf UNCLASSIFIED" {
		t.Errorf("ExportSitrep called with %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "SITREP 1 — Kassiba oil spill (release unclassified).pdf")); err != nil || string(b) != "PACK pdf" {
		t.Errorf("the file written: %q, %v", b, err)
	}

	// The next draft is SITREP 2.
	p.onDraft()
	f.l.waitFor(t, "SITREP 2 drafted", func() bool { return p.shown.Number == 2 && !p.shown.IsIssued() })
}
