package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/store"
)

func TestFuzzyTitles(t *testing.T) {
	titles := []store.Title{
		{ID: "1", Title: "Dr Ifeoma Nwachukwu"},
		{ID: "2", Title: "Bilateral consultations with Benin on the Ossera"},
		{ID: "3", Title: "Communiqué de Lomé"},
		{ID: "4", Title: "Ossera River Basin Commission"},
		{ID: "5", Title: "ORBC Secretariat"},
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"nwach", []string{"1"}},                // letters in order
		{"lome", []string{"3"}},                 // accents ignored
		{"orbc", []string{"5", "4"}},            // the word first, then the initials
		{"ossera river", []string{"4"}},         // words in order
		{"zzz", nil},                            // nothing
		{"", []string{"1", "2", "3", "4", "5"}}, // everything, as it comes
	}
	for _, tc := range tests {
		var got []string
		for _, ti := range fuzzyTitles(titles, tc.q, 10) {
			got = append(got, ti.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("fuzzyTitles(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestQuickOpenPalette(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.goTo(pl(t, "kind:organisation"))
	browseRows(t, mw, l)

	mw.onQuickOpen() // Ctrl+K
	p := mw.palette
	if !p.visible() || mw.win.Canvas().Focused() != p.entry {
		t.Fatal("Ctrl+K did not open the palette with the cursor in it")
	}
	l.waitFor(t, "the titles", func() bool { return p.titles != nil })
	if len(p.shown) != 5 {
		t.Errorf("the empty palette lists %d titles, want all 5", len(p.shown))
	}
	test.Type(p.entry, "lkja")
	if len(p.shown) != 1 || p.shown[0].ID != "t-note" {
		t.Fatalf("lkja shows %v", p.shown)
	}
	rows := visiblePaletteRows(p)
	if len(rows) != 1 || rows[0].badge.text.Text != "RESTRICTED" || rows[0].kind.Text != "Note" {
		t.Errorf("palette row shows %q", texts(p.list))
	}
	press(p.entry, fyne.KeyReturn)
	if p.visible() {
		t.Error("the palette stays open after Enter")
	}
	// It opens in the place shown.
	l.waitFor(t, "the note", func() bool { return viewTitle(mw.browse.pane.view) == "Spill at the Lokoja depot" })

	// Escape closes without opening; Down chooses the next title.
	mw.onQuickOpen()
	l.waitFor(t, "the titles", func() bool { return p.titles != nil && len(p.shown) > 0 })
	test.Type(p.entry, "a")
	press(p.entry, fyne.KeyDown)
	if p.sel != 1 {
		t.Errorf("Down chose %d", p.sel)
	}
	press(p.entry, fyne.KeyEscape)
	if p.visible() {
		t.Error("Escape did not close the palette")
	}
}

func visiblePaletteRows(p *palette) []*paletteRow {
	var rows []*paletteRow
	for _, o := range visible(p.list) {
		if r, ok := o.(*paletteRow); ok && r.title.Text != "" {
			rows = append(rows, r)
		}
	}
	return rows
}

// Golden rendering of the palette over the window.
func TestPaletteRendering(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.win.Resize(fyne.NewSize(1000, 600))
	mw.onQuickOpen()
	l.waitFor(t, "the titles", func() bool { return mw.palette.titles != nil })
	test.Type(mw.palette.entry, "ni")
	test.AssertObjectRendersToMarkup(t, "palette.xml", mw.palette.popup.Content)
}
