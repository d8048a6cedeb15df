package ui

import (
	"fmt"
	"testing"

	"chancery/store"
)

// has reports whether row i of the browse list is read.
func (b *browseScreen) has(i int) bool {
	_, ok := b.itemAt(i)
	return ok
}

// A long list keeps only browseKeep pages read: scrolling on reads the pages reached and
// forgets the one farthest from the rows drawn, and a row forgotten is read again when it
// is drawn again.
func TestBrowseForgetsPagesFarFromTheRowsDrawn(t *testing.T) {
	saved := browseKeep
	browseKeep = 2
	t.Cleanup(func() { browseKeep = saved })
	var items []store.Item
	for i := range 1234 { // three pages
		items = append(items, store.Item{Kind: store.KindDocument, Title: fmt.Sprintf("Statement %04d", i)})
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	mw.goTo(pl(t, "kind:document"))
	browseRows(t, mw, l)
	b := mw.browse

	b.list.ScrollToBottom()
	l.waitFor(t, "the last page", func() bool { return b.has(1233) })
	if len(b.read) != 2 || !b.has(0) {
		t.Fatalf("after the end: pages read %d, first row read %v; want the first and the last", len(b.read), b.has(0))
	}
	b.list.ScrollTo(browsePage + 10) // the middle page; one of the others is forgotten
	l.waitFor(t, "the middle page", func() bool { return b.has(browsePage + 10) })
	if len(b.read) != 2 {
		t.Errorf("pages read = %d, want at most %d", len(b.read), browseKeep)
	}
	b.list.ScrollToTop()
	l.waitFor(t, "the first page again", func() bool { return b.has(0) })
	l.waitFor(t, "the first rows drawn", func() bool {
		rows := visibleRows(b.list)
		return len(rows) > 0 && rows[0].title.Text == "Statement 0000"
	})
	if len(b.read) != 2 || b.has(1233) {
		t.Errorf("after going back to the top: %d pages read, last row read %v; want two, not the last", len(b.read), b.has(1233))
	}
	b.list.Select(1)
	l.waitFor(t, "the second item", func() bool { return viewTitle(b.pane.view) == "Statement 0001" })
	if b.length() != 1234 {
		t.Errorf("rows = %d, want 1,234", b.length())
	}
}
