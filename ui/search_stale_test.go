package ui

import (
	"context"
	"testing"

	"chancery/store"
)

// A search left behind a workspace is not run again on every commit while the workspace is
// shown; it runs again, with what changed, when it is shown.
func TestSearchBehindWorkspaceRunsWhenShown(t *testing.T) {
	f := openWorkspace(t)
	f.mw.search.entry.SetText("sheen")
	f.l.drain()
	gen := f.mw.search.gen
	if _, err := f.k.db.Save(context.Background(), store.Item{Kind: store.KindNote, Title: "Sheen at Lomé", Body: "Oil sheen at the intake."}); err != nil {
		t.Fatal(err)
	}
	f.l.waitFor(t, "the search marked to run again", func() bool { return f.mw.search.stale })
	if f.mw.search.gen != gen {
		t.Errorf("the search ran behind the workspace (gen %d, was %d)", f.mw.search.gen, gen)
	}
	f.mw.goTo(searchPlace)
	f.l.waitFor(t, "the new note found once the search is shown", func() bool {
		return f.mw.place == searchPlace && len(f.mw.search.hits) == 1 && f.mw.search.hits[0].Title == "Sheen at Lomé"
	})
	if f.mw.search.stale {
		t.Error("still marked to run again")
	}
}
