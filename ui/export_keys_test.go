package ui

import (
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"chancery/store"
)

// The export's "how" dialog (briefings and situation reports) takes the keyboard: Export…
// has the focus, Enter exports with the choice shown, Escape cancels.
func TestExportDialogKeyboard(t *testing.T) {
	items := append(riverItems(), store.Item{
		ID: "t-brief2", Kind: store.KindBriefing, Title: "Pack: depot", Class: "UNCLASSIFIED",
		Briefing: &store.Briefing{Sections: []store.Section{{Heading: "The inspection", Ref: "t-doc"}}},
	})
	k := openTestKB(t, items...)
	fake := &fakeExport{info: ExportInfo{Marking: "UNCLASSIFIED"}}
	deps := k.deps()
	deps.ExportBriefing = fake.export
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	dir := t.TempDir()
	var offered []string
	mw.briefs.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
		offered = append(offered, name)
		done(storage.Writer(storage.NewFileURI(filepath.Join(dir, name))))
	}
	c := mw.win.Canvas()
	p := mw.search.pane
	p.open("t-brief2")
	l.waitFor(t, "the briefing", func() bool { return p.item.ID == "t-brief2" })

	// Escape: nothing asked further, nothing exported.
	menuItem(t, mw, "Export Briefing…").Action()
	l.waitFor(t, "the export dialog", func() bool { return mw.briefs.export != nil && overlayButton(c, "Export…") != nil })
	b, ok := c.Focused().(*enterButton)
	if !ok || b.Text != "Export…" {
		t.Fatalf("Export… has not the focus: %v", c.Focused())
	}
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil {
		t.Error("Escape left the dialog open")
	}
	if len(offered) != 0 || len(fake.called()) != 0 {
		t.Errorf("Escape exported: %q %q", offered, fake.called())
	}

	// Enter: the format and ceiling shown (PDF, the lowest), then where.
	menuItem(t, mw, "Export Briefing…").Action()
	l.waitFor(t, "the export dialog again", func() bool { return overlayButton(c, "Export…") != nil })
	x := mw.briefs.export
	b, ok = c.Focused().(*enterButton)
	if !ok {
		t.Fatalf("Export… has not the focus: %v", c.Focused())
	}
	b.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	l.waitFor(t, "the export", func() bool { return x.done != nil || x.ended })
	if got := fake.called(); !slices.Equal(got, []string{"t-brief2 pdf UNCLASSIFIED"}) {
		t.Errorf("ExportBriefing called with %q", got)
	}
	if !slices.Equal(offered, []string{"Pack - depot (release unclassified).pdf"}) {
		t.Errorf("the save dialog offered %q", offered)
	}
}
