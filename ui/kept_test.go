package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// keptText waits until the navigation's kept searches show want for the search named name
// ("Spill 1 new · 1 changed", or the name alone when nothing is new).
func keptText(t *testing.T, mw *mainWindow, l *uiLoop, name, want string) {
	t.Helper()
	l.waitFor(t, "kept search "+want, func() bool {
		for _, r := range mw.kept.rows {
			if r.k.Name == name {
				return mw.kept.text(r.k.ID) == want && strings.Contains(allText(mw.kept.content), strings.TrimSpace(want[len(name):]))
			}
		}
		return false
	})
}

// chooseKept chooses the entry of the navigation's kept searches and incidents named name.
func chooseKept(t *testing.T, mw *mainWindow, name string) {
	t.Helper()
	for i, e := range mw.kept.entries {
		if e.kept != nil && e.kept.k.Name == name || e.incident != nil && e.incident.Title == name {
			mw.kept.list.Select(i)
			return
		}
	}
	t.Fatalf("no %q under the navigation", name)
}

// overlayEntry is the first entry of the dialog over the window.
func overlayEntry(mw *mainWindow) *widget.Entry {
	top := mw.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range visible(top) {
		if e, ok := o.(*widget.Entry); ok {
			return e
		}
	}
	return nil
}

// keepSearch types q in the search, keeps it under name with the button and the dialog,
// and waits for it to be listed.
func keepSearch(t *testing.T, mw *mainWindow, l *uiLoop, q, name string) {
	t.Helper()
	mw.search.entry.SetText(q)
	l.waitFor(t, "results of "+q, func() bool { return mw.search.query == q && len(mw.search.hits) > 0 && mw.search.keepBtn.Visible() })
	test.Tap(mw.search.keepBtn)
	e := overlayEntry(mw)
	if e == nil || e.Text != q {
		t.Fatalf("the keep dialog offers %v as the name", e)
	}
	e.SetText(name)
	test.Tap(overlayButton(mw.win.Canvas(), "Keep"))
	keptText(t, mw, l, name, name)
}

func TestKeptSearchCountsFollowSavesAndOpeningClearsThem(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	if !strings.Contains(allText(mw.kept.content), "keep a search with Ctrl+Shift+K") {
		t.Errorf("no hint where the kept searches go:\n%s", allText(mw.kept.content))
	}
	keepSearch(t, mw, l, "spill", "Lokoja spill")
	l.waitFor(t, "the kept search's name in the status", func() bool {
		return strings.HasPrefix(mw.search.status.Text, "Kept search “Lokoja spill”: nothing new")
	})
	mw.search.entry.SetText("") // look elsewhere
	ctx := context.Background()

	// A save by another writer (an import, a sync): counted without a restart.
	if _, err := k.db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Second spill reported", Body: "A new spill downstream."}); err != nil {
		t.Fatal(err)
	}
	keptText(t, mw, l, "Lokoja spill", "Lokoja spill 1 new")
	old, err := k.db.Get(ctx, "t-contact")
	if err != nil {
		t.Fatal(err)
	}
	old.Body += " Called twice about the spill."
	if _, err := k.db.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	// An item that does not match is not counted.
	if _, err := k.db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Fisheries", Body: "Quotas."}); err != nil {
		t.Fatal(err)
	}
	keptText(t, mw, l, "Lokoja spill", "Lokoja spill 1 new · 1 changed")

	// Opening it: new first, then changed, then the rest, each marked; then seen. The
	// list starts at the top even when a result was selected before.
	mw.search.entry.SetText("spill")
	l.waitFor(t, "a plain search", func() bool { return mw.search.query == "spill" && len(mw.search.hits) > 3 })
	mw.search.list.Select(len(mw.search.hits) - 1)
	chooseKept(t, mw, "Lokoja spill")
	l.waitFor(t, "the kept search's results", func() bool {
		return mw.search.query == "spill" && mw.search.kept != nil && mw.search.kept.loaded && len(mw.search.hits) >= 4
	})
	if got := mw.search.status.Text; !strings.HasPrefix(got, "Kept search “Lokoja spill”: 1 new, 1 changed since you last looked · ") {
		t.Errorf("status = %q", got)
	}
	rows := visibleRows(mw.search.list)
	if len(rows) < 4 {
		t.Fatalf("%d rows", len(rows))
	}
	if mw.search.selected != -1 {
		t.Errorf("row %d stays selected", mw.search.selected)
	}
	if rows[0].title.Text != "Second spill reported" || !strings.HasPrefix(rows[0].meta.Text, "New · Note") {
		t.Errorf("first row %q %q, want the new note marked New", rows[0].title.Text, rows[0].meta.Text)
	}
	if rows[1].title.Text != "Amina Okafor" || !strings.HasPrefix(rows[1].meta.Text, "Changed · Contact") {
		t.Errorf("second row %q %q, want the changed contact marked Changed", rows[1].title.Text, rows[1].meta.Text)
	}
	seen := map[string]int{}
	for _, h := range mw.search.hits {
		seen[h.ID]++
		if seen[h.ID] > 1 {
			t.Errorf("%s listed twice", h.Title)
		}
	}
	for _, r := range rows[2:] {
		if strings.HasPrefix(r.meta.Text, "New") || strings.HasPrefix(r.meta.Text, "Changed") {
			t.Errorf("the rest marked: %q %q", r.title.Text, r.meta.Text)
		}
	}
	keptText(t, mw, l, "Lokoja spill", "Lokoja spill") // opening cleared the counts
	if rows := visibleRows(mw.search.list); rows[0].title.Text != "Second spill reported" {
		t.Errorf("the marks went while it is open: first row %q", rows[0].title.Text)
	}

	// Another query leaves the kept search: no marks, the plain order.
	mw.search.entry.SetText("spill depot")
	l.waitFor(t, "another query", func() bool { return mw.search.query == "spill depot" })
	if mw.search.kept != nil || strings.HasPrefix(mw.search.status.Text, "Kept") {
		t.Errorf("still the kept search: %q", mw.search.status.Text)
	}
}

func TestKeptSearchRenameAndDelete(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	keepSearch(t, mw, l, "oil", "Oil")

	mw.onKeptCommand(mw.onRenameKept) // Edit > Rename Kept Search… on the search open
	e := overlayEntry(mw)
	if e == nil || e.Text != "Oil" {
		t.Fatalf("rename offers %v", e)
	}
	e.SetText("Crude oil")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter renames it
	keptText(t, mw, l, "Crude oil", "Crude oil")
	l.waitFor(t, "the new name in the status", func() bool { return strings.HasPrefix(mw.search.status.Text, "Kept search “Crude oil”") })

	mw.onKeptCommand(mw.onDeleteKept)
	del, ok := mw.win.Canvas().Focused().(*enterButton)
	if !ok || del.Text != "Delete" {
		t.Fatalf("Delete has not the focus: %v", mw.win.Canvas().Focused())
	}
	del.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter deletes it
	l.waitFor(t, "the search forgotten", func() bool { return len(mw.kept.rows) == 0 && mw.kept.hint.Visible() })
	if ks, _ := k.db.KeptSearches(context.Background()); len(ks) != 0 {
		t.Errorf("still kept: %+v", ks)
	}
	if mw.search.kept != nil {
		t.Errorf("the search screen still shows a deleted kept search")
	}
}

// The counts follow saves, imports and a restart: store and index closed and opened again.
func TestKeptCountsAcrossImportAndRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() (*store.DB, *search.Index) {
		db, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := search.Open(filepath.Join(dir, "index"), db)
		if err != nil {
			t.Fatal(err)
		}
		last, _ := db.LastSeq(ctx)
		if err := ix.WaitFor(ctx, last); err != nil {
			t.Fatal(err)
		}
		return db, ix
	}
	counts := func(db *store.DB, ix *search.Index) string {
		t.Helper()
		last, _ := db.LastSeq(ctx)
		if err := ix.WaitFor(ctx, last); err != nil {
			t.Fatal(err)
		}
		rows, err := loadKeptCounts(ctx, db, ix)
		if err != nil || len(rows) != 1 {
			t.Fatalf("counts: %v, %v", rows, err)
		}
		return rows[0].news.counts()
	}
	db, ix := openKB(t, open, riverItems())
	k, err := db.KeepSearch(ctx, store.KeptSearch{Name: "Spill", Query: "spill"})
	if err != nil {
		t.Fatal(err)
	}
	if got := counts(db, ix); got != "" {
		t.Errorf("just kept: %q", got)
	}
	imported := []store.Item{
		{Kind: store.KindDocument, Title: "Spill bulletin 1", Body: "spill spreading", SourceKey: "file:1", Document: &store.Document{Status: store.StatusOK}},
		{Kind: store.KindDocument, Title: "Spill bulletin 2", Body: "spill contained", SourceKey: "file:2", Document: &store.Document{Status: store.StatusOK}},
		{Kind: store.KindDocument, Title: "Weather", Body: "rain", SourceKey: "file:3", Document: &store.Document{Status: store.StatusOK}},
	}
	if _, err := db.SaveImported(ctx, imported); err != nil {
		t.Fatal(err)
	}
	if got := counts(db, ix); got != "2 new" {
		t.Errorf("after an import: %q, want 2 new", got)
	}
	ix.Close()
	db.Close()

	db, ix = open() // a restart
	defer db.Close()
	defer ix.Close()
	if got := counts(db, ix); got != "2 new" {
		t.Errorf("after a restart: %q, want 2 new", got)
	}
	note, err := db.Get(ctx, "t-note")
	if err != nil {
		t.Fatal(err)
	}
	note.Title = "Spill at the Lokoja depot, contained"
	if _, err := db.Save(ctx, note); err != nil {
		t.Fatal(err)
	}
	if got := counts(db, ix); got != "2 new · 1 changed" {
		t.Errorf("after a save: %q", got)
	}
	rows, _ := loadKeptCounts(ctx, db, ix)
	if _, err := db.MarkKeptSeen(ctx, k.ID, rows[0].news.applied); err != nil {
		t.Fatal(err)
	}
	if got := counts(db, ix); got != "" {
		t.Errorf("after opening: %q", got)
	}
}

// openKB opens the knowledge base with open and saves items into it.
func openKB(t *testing.T, open func() (*store.DB, *search.Index), items []store.Item) (*store.DB, *search.Index) {
	t.Helper()
	db, ix := open()
	if _, err := db.SaveAll(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return db, ix
}
