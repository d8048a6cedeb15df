package ui

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// A screen is built from what it declares it needs and tells the window what happens
// through its handlers: the navigation and the browse screen work on their own, without
// a main window, and call upward with places, not text.
func TestScreensCallUpwardThroughTheirHandlers(t *testing.T) {
	a := test.NewTempApp(t)
	k := openTestKB(t, riverItems()...)
	l := newUILoop(t)
	win := a.NewWindow("screens")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	var went []place
	nav := newNavColumn(func(p place) { went = append(went, p) })
	nav.list.Select(2)
	nav.highlight(termPlace(store.TermTag, "oil-spill")) // selects Tags without going there
	if !slices.Equal(went, []place{itemsPlace(store.KindContact)}) {
		t.Fatalf("the navigation went to %v, want the contacts only", went)
	}

	e := &env{lib: k.db, do: l.do, log: slog.New(slog.DiscardHandler), ctx: ctx, win: win, vocab: emptyVocab(), out: newOutside(ctx, l.do)}
	b := newBrowseScreen(browseDeps{lib: k.db, ctx: ctx, do: l.do, log: e.log, win: win, vocab: func() *vocab { return e.vocab }, out: e.out,
		newPane: func(v *itemView) *itemPane {
			return newItemPane(e, v, paneHandlers{})
		}, listSplit: 0.4},
		browseHandlers{onGo: func(p place) { went = append(went, p) }})
	win.SetContent(b.content)
	b.show(termsPlace(store.TermCountry))
	l.waitFor(t, "the countries", func() bool { return !b.loading && len(b.vals) > 0 })
	i := slices.IndexFunc(b.vals, func(t store.Term) bool { return t.Value == "NGA" })
	if i < 0 {
		t.Fatalf("no Nigeria among %v", b.vals)
	}
	b.list.Select(i)
	if got := went[len(went)-1]; got != termPlace(store.TermCountry, "NGA") {
		t.Errorf("choosing Nigeria went to %v", got)
	}
	if b.split.Offset != 0.4 {
		t.Errorf("list split %v, want the one given", b.split.Offset)
	}

	// The pane writes to the store it was given (the window hears of it from the store).
	b.show(itemsPlace(store.KindNote))
	l.waitFor(t, "the notes", func() bool { return !b.loading && b.length() > 0 && b.has(0) })
	b.list.Select(0)
	l.waitFor(t, "the note", func() bool { return b.pane.has })
	first, _ := b.itemAt(0)
	id := first.ID
	b.pane.onTrash()
	l.waitFor(t, "the note in the trash", func() bool {
		it, err := k.db.Get(ctx, id)
		return err == nil && it.Deleted != nil
	})
}
