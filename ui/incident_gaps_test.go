package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

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
