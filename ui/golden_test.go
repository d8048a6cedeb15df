package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/search"
	"chancery/store"
)

// Golden renderings of the search screen's parts: a result row, an open note, and the
// editors of a contact, a note and a briefing. When a
// change to the layout is intended, copy testdata/failed/<name> over testdata/<name>.

func TestResultRowRendering(t *testing.T) {
	test.NewTempApp(t)
	r := newResultRow()
	r.set(hitRow(search.Hit{
		ID: "x", Kind: store.KindDocument, Title: "Depot inspection report", Class: "CONFIDENTIAL",
		Countries: []string{"NGA", "BEN"}, Date: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC),
		Snippets: []search.Snippet{{{Text: "The inspectors found corroded "}, {Text: "oil", Match: true}, {Text: " storage tanks."}}},
	}))
	r.Resize(fyne.NewSize(460, r.MinSize().Height))
	test.AssertObjectRendersToMarkup(t, "result_row.xml", r)
}

func TestItemViewRendering(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	v := mw.search.view
	v.open("t-note")
	l.waitFor(t, "the note", func() bool { return viewTitle(v) == "Spill at the Lokoja depot" })
	v.content.Resize(fyne.NewSize(640, 900))
	test.AssertObjectRendersToMarkup(t, "item_note.xml", v.content)
}

func TestContactEditorRendering(t *testing.T) {
	assertEditorRenders(t, "t-contact", "Amina Okafor", fyne.NewSize(640, 1000), "editor_contact.xml")
}

func TestNoteEditorRendering(t *testing.T) {
	assertEditorRenders(t, "t-note", "Spill at the Lokoja depot", fyne.NewSize(800, 700), "editor_note.xml")
}

func TestBriefingEditorRendering(t *testing.T) {
	assertEditorRenders(t, "t-brief", "Briefing for the Minister: the river pollution", fyne.NewSize(800, 1100), "editor_briefing.xml")
}

// assertEditorRenders opens the editor of item id (titled title) in the search pane, at
// size, and compares its rendering with the golden file.
func assertEditorRenders(t *testing.T, id, title string, size fyne.Size, golden string) {
	t.Helper()
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open(id)
	l.waitFor(t, title, func() bool { return viewTitle(p.view) == title })
	mw.onEdit()
	p.content.Resize(size)
	test.AssertObjectRendersToMarkup(t, golden, p.content)
}
