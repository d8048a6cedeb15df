package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestTrashAndRestore(t *testing.T) {
	k, mw, l := openFirst(t, "kind:note", "Spill at the Lokoja depot", riverItems()...)
	p := mw.browse.pane

	test.Tap(p.trashBtn)
	l.waitFor(t, "the note in the trash", func() bool { return getItem(t, k, "t-note").Deleted != nil && p.restoreBtn.Visible() })
	if p.trashBtn.Visible() || p.editBtn.Visible() {
		t.Error("a trashed item still offers Trash or Edit")
	}
	if !strings.Contains(allText(p.content), "in the trash") {
		t.Errorf("the view does not say the item is in the trash:\n%s", allText(p.content))
	}
	l.waitFor(t, "the notes without it", func() bool { return len(visibleRows(mw.browse.list)) == 0 && !mw.browse.loading })
	l.waitFor(t, "the trash count", func() bool { return mw.nav.counts[pl(t, "trash")] == 1 })

	// The trash lists it; Restore brings it back.
	mw.goTo(pl(t, "trash"))
	rows := browseRows(t, mw, l)
	if got := rowTitles(rows); !slices.Equal(got, []string{"Spill at the Lokoja depot"}) {
		t.Fatalf("trash rows = %q", got)
	}
	if rows[0].badge.text.Text != "RESTRICTED" || !strings.Contains(rows[0].snippet.String(), "deleted") {
		t.Errorf("trash row: badge %q, line %q", rows[0].badge.text.Text, rows[0].snippet.String())
	}
	mw.browse.list.Select(0)
	l.waitFor(t, "the trashed note", func() bool { return p.has && p.restoreBtn.Visible() })
	test.Tap(p.restoreBtn)
	l.waitFor(t, "the note restored", func() bool { return getItem(t, k, "t-note").Deleted == nil })
	l.waitFor(t, "the trash empty", func() bool { return mw.browse.total == 0 && !mw.browse.loading })
	if !strings.Contains(allText(mw.browse.content), "The trash is empty.") {
		t.Errorf("the empty trash says:\n%s", allText(mw.browse.content))
	}

	// Empty trash asks first, then removes for good.
	mw.search.pane.open("t-doc")
	l.waitFor(t, "the document", func() bool { return mw.search.pane.has && mw.search.pane.item.ID == "t-doc" })
	mw.search.pane.onTrash()
	l.waitFor(t, "the document in the trash", func() bool { return getItem(t, k, "t-doc").Deleted != nil })
	mw.browse.reload()
	browseRows(t, mw, l)
	test.Tap(mw.browse.emptyBtn)
	c := mw.win.Canvas()
	if !strings.Contains(allText(c.Overlays().Top()), "cannot be undone") {
		t.Fatalf("Empty trash did not ask first")
	}
	test.Tap(overlayButton(c, "Yes"))
	l.waitFor(t, "the trash emptied", func() bool {
		_, err := k.db.Get(t.Context(), "t-doc")
		return err != nil
	})
}

func TestHistoryRestoresAVersion(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open("t-org")
	l.waitFor(t, "the organisation", func() bool { return viewTitle(p.view) == "Niger Basin Authority" })
	mw.onEdit()
	p.ed.title.SetText("Niger Basin Authority (renamed)")
	mw.onSave()
	l.waitFor(t, "saved", func() bool { return !p.dirty && !p.saving })
	mw.onEdit() // back to the view

	mw.onHistory()
	c := mw.win.Canvas()
	l.waitFor(t, "the history", func() bool {
		return c.Overlays().Top() != nil && strings.Contains(allText(c.Overlays().Top()), "Version 1")
	})
	h := allText(c.Overlays().Top())
	if !strings.Contains(h, "History of “Niger Basin Authority (renamed)”") || !strings.Contains(h, "1 earlier version") {
		t.Errorf("history shows:\n%s", h)
	}
	// Choose the version, read it, restore it.
	hist := p.history
	hist.list.Select(0)
	if !strings.Contains(hist.preview.String(), "Niger Basin Authority") || hist.restore.Disabled() {
		t.Errorf("preview %q, restore disabled %v", hist.preview.String(), hist.restore.Disabled())
	}
	test.Tap(hist.restore)
	l.waitFor(t, "the version restored", func() bool { return getItem(t, k, "t-org").Title == "Niger Basin Authority" })
	l.waitFor(t, "the history closed", func() bool { return c.Overlays().Top() == nil })
	l.waitFor(t, "the view", func() bool {
		return viewTitle(p.view) == "Niger Basin Authority" && p.state.Text == "An earlier version was restored."
	})
}
