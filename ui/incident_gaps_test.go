package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// TestCallSheetDossier: each call-sheet row offers its country's dossier in one click; on
// the selected row Ctrl+Shift+D opens it; Ctrl+Shift+I comes back to the workspace.
func TestCallSheetDossier(t *testing.T) {
	f := openWorkspace(t)
	p := f.mw.incident.calls
	f.mw.incident.showPane(paneCalls)
	p.onPropose()
	f.waitRecords(t, "the proposed sheet", func(r store.IncidentRecords) bool { return len(r.CallSheet) == 2 })
	f.l.waitFor(t, "the rows drawn", func() bool { return findButton(p.content, "Benin dossier") != nil })
	if findButton(p.content, "Togo dossier") == nil {
		t.Fatalf("no dossier button on Togo's row:\n%s", allText(p.content))
	}

	test.Tap(findButton(p.content, "Benin dossier"))
	b := f.mw.browse
	f.l.waitFor(t, "Benin's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "BEN" && b.dossierShown() })
	if f.mw.incident.content.Visible() || !strings.Contains(allText(b.dossier.content), "Mme Laure Dossou-Yovo") {
		t.Errorf("Benin's dossier shows:\n%s", allText(b.dossier.content))
	}

	// Back: Ctrl+Shift+I returns to the workspace shown last, on the call sheet.
	f.mw.onOpenWorkspace()
	f.l.waitFor(t, "the workspace again", func() bool { return f.mw.place == incidentPlace(f.inc.ID) && f.mw.incident.content.Visible() })
	if f.mw.incident.tabs.SelectedIndex() != paneCalls {
		t.Errorf("back on pane %d, want the call sheet", f.mw.incident.tabs.SelectedIndex())
	}

	// The selected row: Ctrl+Shift+D.
	p.list.Select(0)
	f.mw.onDossier()
	f.l.waitFor(t, "Togo's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "TGO" && b.dossierShown() })
	if !strings.Contains(allText(b.dossier.content), "M. Komlan Agbodjan") {
		t.Errorf("Togo's dossier shows:\n%s", allText(b.dossier.content))
	}
	f.mw.dialogs.onHelp()
	if help := allText(f.mw.win.Canvas().Overlays().Top()); !strings.Contains(help, "country dossier of the selected call-sheet row") {
		t.Errorf("the help does not list the row's dossier:\n%s", help)
	}
}

// TestTimelineFoundItems: the toggle merges the dated items the incident's standing search
// finds into the timeline, in time order, shown apart from the entries; choosing one opens
// the item; off, they go.
func TestTimelineFoundItems(t *testing.T) {
	f := openWorkspace(t)
	ctx := context.Background()
	db := f.k.db
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	for _, it := range []store.Item{
		{Kind: store.KindNote, Title: "Kassiba depot inspection", Body: "Tank T4 corroded.", Date: day(7)},
		{Kind: store.KindDocument, Title: "Kassiba spill: basin authority bulletin", Body: "Slick at Lomé.", Date: day(9)},
		{Kind: store.KindNote, Title: "Unrelated lunch", Body: "Nothing.", Date: day(8)},
	} {
		if _, err := db.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []store.TimelineEntry{
		{Incident: f.inc.ID, At: wsZero, Text: "Leak reported"},
		{Incident: f.inc.ID, At: wsNow, Text: "Lomé intake closed", Significant: true},
	} {
		if _, err := db.AddEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.KeepSearch(ctx, store.KeptSearch{Name: "Kassiba", Query: "kassiba", Incident: f.inc.ID}); err != nil {
		t.Fatal(err)
	}
	f.mw.reloadKept()
	p := f.mw.incident.timeline
	f.mw.incident.showPane(paneTimeline)
	f.waitRecords(t, "two entries", func(r store.IncidentRecords) bool { return len(r.Timeline) == 2 })
	if !p.foundOn.Visible() || strings.Contains(allText(p.list), "Found") {
		t.Fatalf("before the toggle:\n%s", allText(p.list))
	}

	p.foundOn.SetChecked(true)
	f.l.waitFor(t, "the found items", func() bool { return len(p.rows) == 4 })
	var got []string
	for i := range p.rows {
		if e, ok := p.entryAt(i); ok {
			got = append(got, e.Text)
		} else {
			got = append(got, foundText(p.rows[i].hit))
		}
	}
	want := []string{"Found · Note · Kassiba depot inspection", "Leak reported", "Lomé intake closed", "Found · Document · Kassiba spill: basin authority bulletin"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("timeline order:\n%q\nwant\n%q", got, want)
	}
	text := allText(p.list)
	for _, w := range []string{"Sat 7 Nov", "Found · Note · Kassiba depot inspection", "Event · Leak reported", "Mon 9 Nov"} {
		if !strings.Contains(text, w) {
			t.Errorf("the timeline lacks %q:\n%s", w, text)
		}
	}
	for _, o := range visible(p.list) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "Found ·") && (!l.TextStyle.Italic || l.Importance != widget.LowImportance) {
			t.Errorf("a found item is not shown apart: %q %+v", l.Text, l.TextStyle)
		}
	}
	if strings.Contains(text, "Unrelated lunch") || strings.Contains(text, "Found · Incident") {
		t.Errorf("the timeline shows what the search does not find, or the incident itself:\n%s", text)
	}
	// Not entries: a correction (Alt+C) on a found item corrects the latest entry instead.
	if len(f.mw.incident.recs.Timeline) != 2 {
		t.Errorf("found items became entries: %d", len(f.mw.incident.recs.Timeline))
	}

	// Choosing one opens the item.
	p.list.Select(0)
	f.l.waitFor(t, "the item opened", func() bool {
		return f.mw.place == searchPlace && viewTitle(f.mw.search.pane.view) == "Kassiba depot inspection"
	})

	// Off: only the entries.
	f.mw.onOpenWorkspace()
	f.l.waitFor(t, "the workspace again", func() bool { return f.mw.place == incidentPlace(f.inc.ID) })
	p.foundOn.SetChecked(false)
	if len(p.rows) != 2 || strings.Contains(allText(p.list), "Found") {
		t.Errorf("after the toggle off:\n%s", allText(p.list))
	}
}

// TestSitrepAmend: on an issued report, Amend (a button, Alt+M) drafts the amendment, a new
// number naming the one it amends and starting from its text, and shows it to edit; the
// issued one stays as it was.
func TestSitrepAmend(t *testing.T) {
	f := openWorkspace(t)
	ctx := context.Background()
	db := f.k.db
	d, err := db.DraftSitrep(ctx, f.inc.ID, wsNow.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	d.Sections[0].Text = "Slick at the Togo border."
	if d, err = db.SaveSitrep(ctx, d); err != nil {
		t.Fatal(err)
	}
	one, err := db.IssueSitrep(ctx, d.ID, wsNow.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	p := f.mw.incident.sitreps
	f.mw.incident.showPane(paneSitreps)
	f.l.waitFor(t, "SITREP 1 issued shown", func() bool { return p.shown.ID == one.ID && p.shown.IsIssued() })
	b := findButton(p.detail, "Amend SITREP 1…")
	if b == nil {
		t.Fatalf("no Amend on the issued report:\n%s", allText(p.detail))
	}
	test.Tap(b)
	ok, isOK := f.mw.win.Canvas().Focused().(*enterButton)
	if !isOK || ok.Text != "Draft the amendment" {
		t.Fatalf("the confirming button has not the focus: %v", f.mw.win.Canvas().Focused())
	}
	ok.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.l.waitFor(t, "SITREP 2 shown", func() bool { return p.shown.Number == 2 && len(p.texts) > 0 })
	if p.shown.IsIssued() || p.shown.Amends != one.ID {
		t.Errorf("the amendment: %+v", p.shown)
	}
	text := allText(p.content)
	for _, want := range []string{"SITREP 2 — Kassiba oil spill", "amends SITREP 1 · as of Sun 8 Nov 14:00", "Draft: edit each section's text", "Issue SITREP 2…", "draft · amends SITREP 1 · UNCLASSIFIED"} {
		if !strings.Contains(text, want) {
			t.Errorf("the amendment lacks %q:\n%s", want, text)
		}
	}
	if p.texts[0].Text != "Slick at the Togo border." || f.mw.win.Canvas().Focused() != p.texts[0] {
		t.Errorf("the amendment's summary %q, focus %v", p.texts[0].Text, f.mw.win.Canvas().Focused())
	}
	recs, err := db.Records(ctx, f.inc.ID)
	if err != nil || len(recs.Sitreps) != 2 || recs.Sitreps[0].SHA256 != one.SHA256 || !recs.Sitreps[0].IsIssued() {
		t.Fatalf("the issued report changed: %+v, %v", recs.Sitreps, err)
	}

	// Alt+M on a draft does nothing; on the menu it is listed.
	p.onAmend()
	if f.mw.win.Canvas().Overlays().Top() != nil {
		t.Error("Amend offered on a draft")
	}
	f.mw.dialogs.onHelp()
	if help := allText(f.mw.win.Canvas().Overlays().Top()); !strings.Contains(help, "Alt+M") {
		t.Errorf("the help does not list Alt+M:\n%s", help)
	}
}

// TestPositionEdit: a position's Edit… (or Alt+Shift+P on the selected row) opens it filled
// in; Save replaces it (same record, new text), and the pane shows the new text.
func TestPositionEdit(t *testing.T) {
	f := openWorkspace(t)
	ctx := context.Background()
	pos, err := f.k.db.SavePosition(ctx, store.Position{Incident: f.inc.ID, Country: "TGO", Text: "Togo asks for monitoring.",
		Stated: time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC), Source: "Press release", Reliability: "B2"})
	if err != nil {
		t.Fatal(err)
	}
	p := f.mw.incident.positions
	f.mw.incident.showPane(panePositions)
	f.waitRecords(t, "the position", func(r store.IncidentRecords) bool { return len(r.Positions) == 1 })
	f.l.waitFor(t, "the row drawn", func() bool { return findButton(p.content, "Edit…") != nil })
	test.Tap(findButton(p.content, "Edit…"))
	top := f.mw.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allText(top), "Edit the position of Togo") {
		t.Fatalf("no edit dialog: %v", top)
	}
	var entries []*widget.Entry
	var sel *widget.Select
	for _, o := range visible(top) {
		switch w := o.(type) {
		case *widget.Entry:
			entries = append(entries, w)
		case *widget.Select:
			sel = w
		}
	}
	if len(entries) != 4 || sel == nil || sel.Selected != "Togo" || entries[0].Text != "Togo asks for monitoring." ||
		entries[1].Text != "2026-11-08" || entries[2].Text != "Press release" || entries[3].Text != "B2" {
		t.Fatalf("the dialog is not filled in: %d entries, select %v", len(entries), sel)
	}
	entries[0].SetText("Togo holds the operator liable and asks for joint monitoring.")
	entries[3].SetText("a1")
	test.Tap(overlayButton(f.mw.win.Canvas(), "Save"))
	f.waitRecords(t, "the position changed", func(r store.IncidentRecords) bool {
		return len(r.Positions) == 1 && r.Positions[0].Reliability == "A1"
	})
	got := f.mw.incident.recs.Positions[0]
	if got.ID != pos.ID || got.Text != "Togo holds the operator liable and asks for joint monitoring." || !got.Stated.Equal(pos.Stated) || got.Country != "TGO" {
		t.Errorf("the position saved: %+v", got)
	}
	if text := allText(p.content); !strings.Contains(text, "Togo · 8 Nov 2026 · Press release A1") || !strings.Contains(text, "Togo holds the operator liable") {
		t.Errorf("the pane shows:\n%s", text)
	}

	// Alt+Shift+P: the only position, without a selection.
	p.onEdit()
	if top := f.mw.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(allText(top), "Edit the position of Togo") {
		t.Error("Alt+Shift+P does not edit the position")
	}
}

// TestKeptSearchShortcuts: Ctrl+Shift+R renames and Ctrl+Shift+Delete deletes the kept
// search open (in a workspace: the incident's standing search); the help lists both.
func TestKeptSearchShortcuts(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	keepSearch(t, mw, l, "oil", "Oil")
	rename, del := menuItem(t, mw, "Rename Kept Search…"), menuItem(t, mw, "Delete Kept Search…")
	shift := fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift
	if sc, ok := rename.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyR || sc.Modifier != shift {
		t.Errorf("Rename's shortcut %#v; want Ctrl+Shift+R", rename.Shortcut)
	}
	if sc, ok := del.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyDelete || sc.Modifier != shift {
		t.Errorf("Delete's shortcut %#v; want Ctrl+Shift+Delete", del.Shortcut)
	}
	mw.dialogs.onHelp()
	help := allText(mw.win.Canvas().Overlays().Top())
	for _, want := range []string{"Ctrl+Shift+R", "Rename the kept search open", "Ctrl+Shift+Delete", "Delete the kept search open"} {
		if !strings.Contains(help, want) {
			t.Errorf("the help lacks %q", want)
		}
	}
	mw.dialogs.close()

	rename.Action()
	e := overlayEntry(mw)
	if e == nil || e.Text != "Oil" {
		t.Fatalf("rename offers %v", e)
	}
	e.SetText("Crude oil")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	keptText(t, mw, l, "Crude oil", "Crude oil")
	del.Action()
	ok, isOK := mw.win.Canvas().Focused().(*enterButton)
	if !isOK || ok.Text != "Delete" {
		t.Fatalf("Delete has not the focus: %v", mw.win.Canvas().Focused())
	}
	ok.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	l.waitFor(t, "the search forgotten", func() bool { return len(mw.kept.rows) == 0 })
}

func TestKeptSearchShortcutsInWorkspace(t *testing.T) {
	f := openWorkspace(t)
	if _, err := f.k.db.KeepSearch(context.Background(), store.KeptSearch{Name: "Kassiba", Query: "kassiba", Incident: f.inc.ID}); err != nil {
		t.Fatal(err)
	}
	f.mw.reloadKept()
	s := f.mw.incident
	f.l.waitFor(t, "the standing search in the header", func() bool { return findButton(s.kept, "Standing search: Kassiba") != nil })
	menuItem(t, f.mw, "Rename Kept Search…").Action()
	e := overlayEntry(f.mw)
	if e == nil || e.Text != "Kassiba" {
		t.Fatalf("rename in the workspace offers %v", e)
	}
	e.SetText("Ossera spill news")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.l.waitFor(t, "the new name in the header", func() bool { return findButton(s.kept, "Standing search: Ossera spill news") != nil })
}
