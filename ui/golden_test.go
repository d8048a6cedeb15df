package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/search"
	"chancery/store"
)

// Golden renderings of the search screen's parts: a result row, and an open note. When a
// change to the layout is intended, copy testdata/failed/<name> over testdata/<name>.

func TestResultRowRendering(t *testing.T) {
	test.NewTempApp(t)
	r := newResultRow()
	r.set(search.Hit{
		ID: "x", Kind: store.KindDocument, Title: "Depot inspection report", Class: "CONFIDENTIAL",
		Countries: []string{"NGA", "BEN"}, Date: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC),
		Snippets: []search.Snippet{{{Text: "The inspectors found corroded "}, {Text: "oil", Match: true}, {Text: " storage tanks."}}},
	})
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
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.searchPane
	p.open("t-contact")
	l.waitFor(t, "the contact", func() bool { return viewTitle(p.view) == "Amina Okafor" })
	mw.onEdit()
	p.content.Resize(fyne.NewSize(640, 1000))
	test.AssertObjectRendersToMarkup(t, "editor_contact.xml", p.content)
}

func TestNoteEditorRendering(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.searchPane
	p.open("t-note")
	l.waitFor(t, "the note", func() bool { return viewTitle(p.view) == "Spill at the Lokoja depot" })
	mw.onEdit()
	p.content.Resize(fyne.NewSize(800, 700))
	test.AssertObjectRendersToMarkup(t, "editor_note.xml", p.content)
}
