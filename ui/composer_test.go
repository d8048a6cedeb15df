package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// sectionRefs lists a briefing's sections as "heading|ref".
func sectionRefs(ss []store.Section) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Heading+"|"+s.Ref)
	}
	return out
}

// rowHeadings lists the composer's sections by heading, in order.
func rowHeadings(c *composer) []string {
	var out []string
	for _, r := range c.rows {
		out = append(out, r.heading.Text)
	}
	return out
}

// menuItem finds the main menu's item labelled label.
func menuItem(t *testing.T, mw *mainWindow, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range mw.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// editBriefing opens briefing id in the search pane's composer.
func editBriefing(t *testing.T, mw *mainWindow, l *uiLoop, id string) *composer {
	t.Helper()
	mw.goTo(pl(t, "search"))
	p := mw.search.pane
	p.open(id)
	l.waitFor(t, "the briefing", func() bool { return p.has && p.item.ID == id })
	mw.onEdit()
	if p.ed == nil || p.ed.comp == nil {
		t.Fatal("Edit did not open the composer")
	}
	return p.ed.comp
}

func TestNewBriefingFromResults(t *testing.T) {
	setAutosave(t, time.Hour)
	items := append(riverItems(),
		store.Item{ID: "t-oil2", Kind: store.KindNote, Title: "Oil prices and the depot", Class: "UNCLASSIFIED", Body: "Oil, oil and oil again."},
		store.Item{ID: "t-oil3", Kind: store.KindContact, Title: "Oil spill responder", Class: "UNCLASSIFIED", Contact: &store.Contact{}})
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	typeQuery(t, mw, l, "oil")
	s := mw.search
	if n := fmt.Sprintf("top %d results", len(s.hits)); !s.briefBtn.Visible() || !strings.Contains(s.briefBtn.Text, n) {
		t.Errorf("the results offer %q (shown: %v), want the %s", s.briefBtn.Text, s.briefBtn.Visible(), n)
	}
	var want []string
	for _, h := range s.hits {
		if h.Kind != store.KindBriefing {
			want = append(want, h.Title+"|"+h.ID)
		}
	}
	if len(want) < 4 || len(want) != len(s.hits)-1 {
		t.Fatalf("oil finds %d items besides the briefing among %d", len(want), len(s.hits))
	}
	test.Tap(s.briefBtn)
	p := mw.browse.pane
	l.waitFor(t, "the composer", func() bool { return mw.place == pl(t, "kind:briefing") && p.ed != nil && p.ed.comp != nil })
	c := p.ed.comp
	var got []string
	for _, r := range c.rows {
		got = append(got, r.heading.Text+"|"+r.sec.Ref)
	}
	if !slices.Equal(got, want) {
		t.Errorf("the composer's sections are\n%q, want the hits in order\n%q", got, want)
	}
	saved := getItem(t, k, p.item.ID)
	if saved.Title != "Briefing: oil" || !slices.Equal(sectionRefs(saved.Briefing.Sections), want) {
		t.Errorf("saved briefing %q with sections %q", saved.Title, sectionRefs(saved.Briefing.Sections))
	}
	if !strings.Contains(p.state.Text, fmt.Sprintf("New briefing: %d sections", len(want))) || !strings.Contains(p.state.Text, "1 briefing left out") {
		t.Errorf("state says %q", p.state.Text)
	}
	// Each section says what it includes, with the item's marking.
	text := allText(p.ed.content)
	for _, w := range []string{"Included note: Spill at the Lokoja depot", "Document excerpt: Depot inspection report", "Contact card: Oil spill responder"} {
		if !strings.Contains(text, w) {
			t.Errorf("the composer does not say %q", w)
		}
	}
	if i := slices.IndexFunc(c.rows, func(r *sectionRow) bool { return r.sec.Ref == "t-doc" }); i < 0 || c.rows[i].badge.class != "CONFIDENTIAL" {
		t.Errorf("the document's section does not show its marking")
	}
	if !strings.Contains(c.packMark.Text, "marked CONFIDENTIAL") {
		t.Errorf("the pack marking reads %q", c.packMark.Text)
	}
}

func TestAddToBriefing(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open("t-org")
	l.waitFor(t, "the organisation", func() bool { return viewTitle(p.view) == "Niger Basin Authority" })
	if !p.addBtn.Visible() {
		t.Error("no Add to briefing button on an organisation")
	}
	item := menuItem(t, mw, "Add to Briefing…")
	if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyB || sc.Modifier != fyne.KeyModifierShortcutDefault {
		t.Errorf("Add to Briefing… has shortcut %v, want Ctrl+B", item.Shortcut)
	}
	item.Action()
	pal := mw.palette
	l.waitFor(t, "the briefings", func() bool { return pal.visible() && pal.titles != nil })
	var offered []string
	for _, s := range pal.shown {
		offered = append(offered, s.Title)
	}
	if !slices.Equal(offered, []string{"New briefing…", "Briefing for the Minister: the river pollution"}) {
		t.Fatalf("the palette offers %q, want a new briefing and the briefings", offered)
	}
	test.Type(pal.entry, "minister")
	press(pal.entry, fyne.KeyReturn)
	l.waitFor(t, "the section appended", func() bool { return len(getItem(t, k, "t-brief").Briefing.Sections) == 3 })
	got := sectionRefs(getItem(t, k, "t-brief").Briefing.Sections)
	if want := []string{"Background|", "Who to call|t-contact", "Niger Basin Authority|t-org"}; !slices.Equal(got, want) {
		t.Errorf("sections after adding: %q, want %q", got, want)
	}
	l.waitFor(t, "the state", func() bool { return strings.Contains(p.state.Text, "Added as section 3") })

	// A new briefing: the first choice, taken with Enter.
	p.open("t-doc")
	l.waitFor(t, "the document", func() bool { return viewTitle(p.view) == "Depot inspection report" })
	mw.briefs.onAddToBriefing()
	l.waitFor(t, "the briefings", func() bool { return pal.visible() && pal.titles != nil })
	press(pal.entry, fyne.KeyReturn)
	b := mw.browse.pane
	l.waitFor(t, "the new briefing's composer", func() bool { return b.ed != nil && b.ed.comp != nil && b.item.ID != "" })
	nb := getItem(t, k, b.item.ID)
	if nb.Title != "Briefing: Depot inspection report" || !slices.Equal(sectionRefs(nb.Briefing.Sections), []string{"Depot inspection report|t-doc"}) {
		t.Errorf("new briefing %q with %q", nb.Title, sectionRefs(nb.Briefing.Sections))
	}

	// Into the briefing being edited: the section joins the composer.
	c := editBriefing(t, mw, l, "t-brief")
	from := mw.browse.pane
	mw.briefs.addToBriefing(from, store.Title{ID: "t-brief", Title: "Briefing for the Minister: the river pollution"},
		store.Title{ID: "t-note", Kind: store.KindNote, Title: "Spill at the Lokoja depot", Class: "RESTRICTED"})
	if h := rowHeadings(c); len(h) != 4 || h[3] != "Spill at the Lokoja depot" || !p.dirty {
		t.Errorf("the composer shows %q after adding to it (unsaved: %v)", h, p.dirty)
	}
	if !strings.Contains(from.state.Text, "open in its editor") {
		t.Errorf("state says %q", from.state.Text)
	}
}

func TestComposerMovesAndRemovesSections(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	c := editBriefing(t, mw, l, "t-brief")
	p := mw.search.pane
	c.onAddText()
	if mw.win.Canvas().Focused() != c.rows[2].heading {
		t.Error("a new text section does not take the cursor")
	}
	test.Type(c.rows[2].heading, "Next steps")
	test.Type(c.rows[2].text, "Call the **Minister**.")
	save := func(want ...string) {
		t.Helper()
		mw.onSave()
		l.waitFor(t, "the briefing saved", func() bool { return !p.dirty && !p.saving })
		var got []string
		for _, s := range getItem(t, k, "t-brief").Briefing.Sections {
			got = append(got, s.Heading)
		}
		if !slices.Equal(got, want) {
			t.Errorf("saved sections %q, want %q", got, want)
		}
	}
	save("Background", "Who to call", "Next steps")

	// Alt+Down (the menu item's shortcut) moves the section holding the cursor.
	down := menuItem(t, mw, "Move Section Down")
	if sc, ok := down.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyDown || sc.Modifier != fyne.KeyModifierAlt {
		t.Errorf("Move Section Down has shortcut %v, want Alt+Down", down.Shortcut)
	}
	first := c.rows[0]
	mw.win.Canvas().Focus(first.heading)
	down.Action()
	if h := rowHeadings(c); !slices.Equal(h, []string{"Who to call", "Background", "Next steps"}) {
		t.Errorf("after Alt+Down: %q", h)
	}
	if mw.win.Canvas().Focused() != first.heading || first.number.Text != "2." {
		t.Errorf("the moved section lost the cursor or its number (%q)", first.number.Text)
	}
	// The entry passes Alt+Up on as well (where the menu is native).
	first.heading.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt})
	if h := rowHeadings(c); h[0] != "Background" {
		t.Errorf("after Alt+Up: %q", h)
	}
	test.Tap(c.rows[0].down)
	save("Who to call", "Background", "Next steps")

	// Dragging the first section's handle below the middle of the last drops it at the end.
	d := fyne.CurrentApp().Driver()
	last := c.rows[2].content
	y := d.AbsolutePositionForObject(last).Y + last.Size().Height - 4
	c.rows[0].handle.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(10, y)}, Dragged: fyne.NewDelta(0, y)})
	if !c.endMark.Visible() {
		t.Error("no bar shows where the section would go")
	}
	c.rows[0].handle.DragEnd()
	if c.endMark.Visible() {
		t.Error("the bar stays after the drop")
	}
	save("Background", "Next steps", "Who to call")
	// And dragging the last above the first's middle puts it first.
	firstRow := c.rows[0].content
	y = d.AbsolutePositionForObject(firstRow).Y + 2
	c.rows[2].handle.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(10, y)}})
	c.rows[2].handle.DragEnd()
	save("Who to call", "Background", "Next steps")

	// Dragging to the bottom edge of the editor scrolls it, to reach sections out of view.
	for range 8 {
		c.onAddText()
	}
	c.ed.scroll.ScrollToTop()
	sc := c.ed.scroll
	bottom := d.AbsolutePositionForObject(sc).Y + sc.Size().Height - 5
	c.rows[0].handle.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(10, bottom)}})
	if sc.Offset.Y == 0 {
		t.Error("dragging at the bottom edge does not scroll")
	}
	c.rows[0].handle.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(10, d.AbsolutePositionForObject(sc).Y+5)}})
	c.rows[0].handle.DragEnd()
	for len(c.rows) > 3 {
		c.removeRow(c.rows[len(c.rows)-1])
	}
	save("Who to call", "Background", "Next steps")

	// Removing one.
	test.Tap(c.rows[1].remove)
	if h := rowHeadings(c); !slices.Equal(h, []string{"Who to call", "Next steps"}) {
		t.Errorf("after removing: %q", h)
	}
	save("Who to call", "Next steps")
	if got := getItem(t, k, "t-brief").Briefing.Sections[1].Text; got != "Call the **Minister**." {
		t.Errorf("own text saved as %q", got)
	}
}

func TestComposerIncludesAnItemAndFillsAnExcerpt(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	c := editBriefing(t, mw, l, "t-brief")
	mw.briefs.onAddToBriefing() // Ctrl+B, in a briefing: include an item in it
	pal := mw.palette
	l.waitFor(t, "the titles", func() bool { return pal.visible() && pal.titles != nil })
	test.Type(pal.entry, "inspection")
	press(pal.entry, fyne.KeyReturn)
	if len(c.rows) != 3 || c.rows[2].sec.Ref != "t-doc" || c.rows[2].fill == nil {
		t.Fatalf("including the document gave %q", rowHeadings(c))
	}
	test.Tap(c.rows[2].fill)
	l.waitFor(t, "the excerpt", func() bool { return c.rows[2].text.Text != "" })
	if c.rows[2].text.Text != "The inspectors found corroded oil storage tanks and no spill barriers." {
		t.Errorf("excerpt filled with %q", c.rows[2].text.Text)
	}
	mw.onSave()
	l.waitFor(t, "saved", func() bool { return len(getItem(t, k, "t-brief").Briefing.Sections) == 3 })
	if s := getItem(t, k, "t-brief").Briefing.Sections[2]; s.Ref != "t-doc" || !strings.HasPrefix(s.Text, "The inspectors") {
		t.Errorf("document section saved as %+v", s)
	}
	// A section added below the fold is scrolled into view.
	for range 6 {
		c.onAddText()
	}
	if c.ed.scroll.Offset.Y == 0 {
		t.Error("the new sections were not scrolled into view")
	}
	// A briefing is refused, in words.
	if err := c.includeTitle(store.Title{ID: "x", Kind: store.KindBriefing, Title: "Other pack"}); err == nil || !strings.Contains(err.Error(), "not other briefings") {
		t.Errorf("including a briefing: %v", err)
	}
}

func TestOpeningParagraphs(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    int
		want string
	}{
		{"One.\n\nTwo.\n\nThree.", 100, "One.\n\nTwo.\n\nThree."},
		{"One.\n\nTwo.\n\nThree.", 9, "One.\n\nTwo."},
		{"\n\n  A long first paragraph  \n\nB", 6, "A long…"},
		{"", 10, ""},
	} {
		if got := openingParagraphs(tc.text, tc.n); got != tc.want {
			t.Errorf("openingParagraphs(%q, %d) = %q, want %q", tc.text, tc.n, got, tc.want)
		}
	}
}

// fakeExport stands in for briefing.Compose and Write: the UI's part is the dialog, the
// progress and what it shows of the result.
type fakeExport struct {
	mu      sync.Mutex
	calls   []string // "id format ceiling"
	block   bool     // wait for the context to end
	info    ExportInfo
	started chan struct{}
}

func (f *fakeExport) export(ctx context.Context, id, format, ceiling string, w io.Writer) (ExportInfo, error) {
	f.mu.Lock()
	f.calls = append(f.calls, id+" "+format+" "+ceiling)
	f.mu.Unlock()
	if f.block {
		close(f.started)
		<-ctx.Done()
		return ExportInfo{}, ctx.Err()
	}
	_, err := io.WriteString(w, "PACK "+format)
	return f.info, err
}

func (f *fakeExport) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// The save dialog the export asks where to write with (replaced in the test below).
func TestExportSaveDialogShows(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, _ := openWindow(t, k.deps())
	mw.win.Resize(fyne.NewSize(1000, 700))
	mw.briefs.showSaveDialog("Pack.pdf", func(fyne.URIWriteCloser, error) {})
	if mw.win.Canvas().Overlays().Top() == nil || overlayButton(mw.win.Canvas(), "Save") == nil {
		t.Error("no save dialog")
	}
}

func TestExportBriefingDialog(t *testing.T) {
	items := append(riverItems(), store.Item{
		ID: "t-brief2", Kind: store.KindBriefing, Title: "Pack: depot", Class: "UNCLASSIFIED",
		Briefing: &store.Briefing{Sections: []store.Section{{Heading: "The inspection", Ref: "t-doc"}, {Heading: "Who to call", Ref: "t-contact"}}},
	})
	k := openTestKB(t, items...)
	fake := &fakeExport{info: ExportInfo{Marking: "RESTRICTED", Withheld: []string{"Section 1 (SECRET)"},
		Notices: []string{"Arabic text is not rendered in PDF: section 2 is printed in Latin script only"}}}
	deps := k.deps()
	deps.ExportBriefing = fake.export
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	dir := t.TempDir()
	var offered string
	mw.briefs.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
		offered = name
		done(storage.Writer(storage.NewFileURI(filepath.Join(dir, name))))
	}
	c := mw.win.Canvas()
	p := mw.search.pane

	// The briefing itself above the ceiling: said in words, nothing exported.
	p.open("t-brief")
	l.waitFor(t, "the briefing", func() bool { return p.item.ID == "t-brief" })
	if !p.exportBtn.Visible() {
		t.Error("no Export button on a briefing")
	}
	test.Tap(p.exportBtn)
	x := mw.briefs.export
	if x == nil || overlayButton(c, "Export…") == nil {
		t.Fatal("Export did not ask for the format")
	}
	if !slices.Equal(x.release.Options, []string{"Release copy up to UNCLASSIFIED", "Release copy up to RESTRICTED", "Release copy up to CONFIDENTIAL", "Release copy up to SECRET"}) {
		t.Errorf("release choices %q", x.release.Options)
	}
	x.release.SetSelected("Release copy up to RESTRICTED")
	test.Tap(overlayButton(c, "Export…"))
	if msg := allText(c.Overlays().Top()); !strings.Contains(msg, "itself is marked SECRET, above that ceiling") {
		t.Errorf("the refusal reads %q", msg)
	}
	if len(fake.called()) != 0 {
		t.Errorf("exported anyway: %q", fake.called())
	}
	test.Tap(overlayButton(c, "OK"))

	// A release copy as Word: the chosen format and ceiling reach ExportBriefing; the file
	// is written; the notices and the withheld sections are shown.
	p.open("t-brief2")
	l.waitFor(t, "the second briefing", func() bool { return p.item.ID == "t-brief2" })
	menuItem(t, mw, "Export Briefing…").Action()
	x = mw.briefs.export
	x.format.SetSelected("Word (DOCX)")
	x.release.SetSelected("Release copy up to RESTRICTED")
	test.Tap(overlayButton(c, "Export…"))
	l.waitFor(t, "the export", func() bool { return x.done != nil })
	if got := fake.called(); !slices.Equal(got, []string{"t-brief2 docx RESTRICTED"}) {
		t.Errorf("ExportBriefing called with %q", got)
	}
	if offered != "Pack - depot (release restricted).docx" {
		t.Errorf("file name offered: %q", offered)
	}
	path := filepath.Join(dir, offered)
	if b, err := os.ReadFile(path); err != nil || string(b) != "PACK docx" {
		t.Errorf("file holds %q (%v)", b, err)
	}
	shown := allText(c.Overlays().Top())
	for _, want := range []string{"Written to " + path, "Marked RESTRICTED · release copy up to RESTRICTED", "Withheld from this release copy (marked above RESTRICTED): 1 section", "• Section 1 (SECRET)", "Arabic text is not rendered in PDF"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the result does not say %q:\n%s", want, shown)
		}
	}
	test.Tap(overlayButton(c, "Close"))

	// Cancelled while it runs: no file is left.
	fake.block, fake.started = true, make(chan struct{})
	mw.briefs.onExportBriefing()
	x = mw.briefs.export
	test.Tap(overlayButton(c, "Export…")) // PDF, up to the lowest marking
	<-fake.started
	if x.cancelBtn == nil || overlayButton(c, "Cancel") != x.cancelBtn {
		t.Fatal("no progress with a Cancel button while exporting")
	}
	test.Tap(x.cancelBtn)
	pdf := filepath.Join(dir, "Pack - depot.pdf")
	l.waitFor(t, "the export to end", func() bool { return x.ended })
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Errorf("the cancelled export left %s (%v)", pdf, err)
	}
	if !strings.Contains(p.state.Text, "Export cancelled") || x.done != nil {
		t.Errorf("after Cancel the state says %q", p.state.Text)
	}
	if got := fake.called(); got[len(got)-1] != "t-brief2 pdf UNCLASSIFIED" {
		t.Errorf("the cancelled export was called with %q", got[len(got)-1])
	}
}

func TestExportFileName(t *testing.T) {
	for _, tc := range []struct{ title, ceiling, ext, want string }{
		{"Pack: depot", "", "pdf", "Pack - depot.pdf"},
		{"A/B report", "RESTRICTED", "md", "A-B report (release restricted).md"},
		{"Briefing: ORBC extraordinary session on the Kassiba oil spill (Lomé, 16 November 2026)", "", "pdf",
			"Briefing - ORBC extraordinary session on the Kassiba oil spill (Lomé, 16 November 2026).pdf"},
		{"Briefing: the extraordinary session of the Council of Ministers on the Kassiba oil spill (Lomé, 16 November 2026)", "", "docx",
			"Briefing - the extraordinary session of the Council of Ministers on the Kassiba oil spill.docx"},
		{"  ", "", "html", "briefing.html"},
	} {
		if got := exportFileName(tc.title, tc.ceiling, tc.ext); got != tc.want {
			t.Errorf("exportFileName(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}
