package ui

import (
	"fmt"
	"slices"
	"testing"

	"chancery/store"
)

// The Documents' status filter counts each status (read through the store's status index)
// and lists only the documents of the status chosen; scrolled far down, the list of all
// of them shows the rows of that place.
func TestDocumentsStatusFilterOnManyDocuments(t *testing.T) {
	var items []store.Item
	for i := range 1200 {
		d := &store.Document{Status: store.StatusOK}
		switch {
		case i%100 == 7:
			d = &store.Document{Status: store.StatusFailed, StatusReason: "not a PDF"}
		case i%40 == 3:
			d = &store.Document{Status: store.StatusEmpty}
		}
		items = append(items, store.Item{Kind: store.KindDocument, Title: fmt.Sprintf("Statement %04d", i), Document: d})
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	mw.goTo(pl(t, "kind:document"))
	browseRows(t, mw, l)
	b := mw.browse
	want := []string{"All (1,200)", "Imported (1,158)", "Without text (30)", "Refused (12)"}
	l.waitFor(t, "the status counts", func() bool { return slices.Equal(b.filter.sel.Options, want) })

	b.list.ScrollTo(1105)
	l.waitFor(t, "row 1,105 drawn", func() bool {
		return slices.ContainsFunc(visibleRows(b.list), func(r *resultRow) bool { return r.title.Text == "Statement 1105" })
	})

	b.filter.sel.SetSelected("Refused (12)")
	l.waitFor(t, "the refused documents", func() bool {
		rows := visibleRows(b.list)
		return b.length() == 12 && len(rows) > 0 && rows[0].title.Text == "Statement 0007"
	})
	for _, r := range visibleRows(b.list) {
		var n int
		if _, err := fmt.Sscanf(r.title.Text, "Statement %d", &n); err != nil || n%100 != 7 {
			t.Errorf("the refused documents list %q", r.title.Text)
		}
	}
}
