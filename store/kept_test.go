package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

func TestKeptSearchRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, note("Ossera spill", "oil in the river")); err != nil {
		t.Fatal(err)
	}
	seq, _ := db.LastSeq(ctx)
	k, err := db.KeepSearch(ctx, store.KeptSearch{Name: "  Ossera ", Query: "ossera oil", Incident: "inc1"})
	if err != nil {
		t.Fatal(err)
	}
	if k.ID == "" || k.Name != "Ossera" || k.Query != "ossera oil" || k.Incident != "inc1" || k.SeenSeq != seq || k.Seen.IsZero() || k.Created.IsZero() {
		t.Fatalf("kept = %+v (latest change %d)", k, seq)
	}
	other, err := db.KeepSearch(ctx, store.KeptSearch{Name: "atlas", Query: "kind:contact country:TGO"})
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := db.LastSeq(ctx); after != seq {
		t.Errorf("keeping a search moved the change sequence: %d -> %d", seq, after)
	}

	k.Name, k.Query = "Ossera river", "ossera"
	if _, err := db.KeepSearch(ctx, k); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = store.Open(ctx, dir) // what is kept survives a restart
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.KeptSearches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != other.ID || all[1].Name != "Ossera river" || all[1].Query != "ossera" || all[1].SeenSeq != seq {
		t.Fatalf("after reopening: %+v", all)
	}
	of, err := db.IncidentSearches(ctx, "inc1")
	if err != nil || len(of) != 1 || of[0].ID != k.ID {
		t.Fatalf("IncidentSearches = %+v, %v", of, err)
	}
	if err := db.DeleteKeptSearch(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.KeptSearch(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted search: %v, want ErrNotFound", err)
	}
	if err := db.DeleteKeptSearch(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
}

func TestKeptSearchRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	good, err := db.KeepSearch(ctx, store.KeptSearch{Name: "spill", Query: "oil"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		k    store.KeptSearch
		want error
		says string
	}{
		{"no name", store.KeptSearch{Name: " ", Query: "oil"}, store.ErrInvalid, "needs a name"},
		{"no query", store.KeptSearch{Name: "spill", Query: "  "}, store.ErrInvalid, `"spill" has no query`},
		{"long name", store.KeptSearch{Name: strings.Repeat("é", 201), Query: "oil"}, store.ErrInvalid, "longer than 200"},
		{"long query", store.KeptSearch{Name: "x", Query: strings.Repeat("oil ", 1001)}, store.ErrInvalid, "longer than 4000"},
		{"unknown ID", store.KeptSearch{ID: "nope", Name: "x", Query: "oil"}, store.ErrNotFound, "nope"},
		{"rename to nothing", store.KeptSearch{ID: good.ID, Name: "", Query: "oil"}, store.ErrInvalid, "needs a name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.KeepSearch(ctx, tc.k)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err = %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
	got, err := db.KeptSearch(ctx, good.ID)
	if err != nil || got.Name != "spill" || got.Query != "oil" {
		t.Errorf("a refused change changed the search: %+v, %v", got, err)
	}
	if _, err := db.MarkKeptSeen(ctx, "nope", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("MarkKeptSeen(unknown) = %v", err)
	}
}

// freshIDs splits FreshSince(since) into the new and the changed items' titles.
func freshIDs(t *testing.T, db *store.DB, since int64) (fresh, changed []string) {
	t.Helper()
	fs, err := db.FreshSince(context.Background(), since)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		it, err := db.Get(context.Background(), f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Seq != it.Seq {
			t.Errorf("%s: Seq %d, item's %d", it.Title, f.Seq, it.Seq)
		}
		if f.New {
			fresh = append(fresh, it.Title)
		} else {
			changed = append(changed, it.Title)
		}
	}
	return fresh, changed
}

func TestFreshSinceTellsNewFromChanged(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	old, err := db.Save(ctx, note("old", "before"))
	if err != nil {
		t.Fatal(err)
	}
	gone, err := db.Save(ctx, note("gone", "before"))
	if err != nil {
		t.Fatal(err)
	}
	back, err := db.Save(ctx, note("back", "before"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, back.ID); err != nil {
		t.Fatal(err)
	}
	inc, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "spill", Incident: &store.Incident{Affected: []string{"TGO"}}})
	if err != nil {
		t.Fatal(err)
	}
	untouched, err := db.Save(ctx, note("untouched", "before"))
	if err != nil {
		t.Fatal(err)
	}
	_ = untouched
	k, err := db.KeepSearch(ctx, store.KeptSearch{Name: "all", Query: "before OR after"})
	if err != nil {
		t.Fatal(err)
	}
	if fresh, changed := freshIDs(t, db, k.SeenSeq); len(fresh)+len(changed) != 0 {
		t.Fatalf("just kept: new %v changed %v", fresh, changed)
	}

	// A new item, saved again (still new), an old one edited (changed), one trashed (gone),
	// and an import whose items carry a Created long before: new all the same.
	born, err := db.Save(ctx, note("born", "after"))
	if err != nil {
		t.Fatal(err)
	}
	born.Body = "after, edited"
	if _, err := db.Save(ctx, born); err != nil {
		t.Fatal(err)
	}
	old.Body = "after"
	if _, err := db.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	// Moved without a new revision: restored from the trash, a record added to an incident.
	if err := db.Restore(ctx, back.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, Text: "sheen seen"}); err != nil {
		t.Fatal(err)
	}
	imported := note("imported", "after")
	imported.Created = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
	imported.SourceKey = "file:abc"
	if _, err := db.SaveImported(ctx, []store.Item{imported}); err != nil {
		t.Fatal(err)
	}
	fresh, changed := freshIDs(t, db, k.SeenSeq)
	if !slices.Equal(fresh, []string{"born", "imported"}) || !slices.Equal(changed, []string{"old", "back", "spill"}) {
		t.Errorf("new %v changed %v, want new [born imported] changed [old back spill]", fresh, changed)
	}

	// Opening marks it seen at the change the index had applied: what came after it stays.
	latest, _ := db.LastSeq(ctx)
	seen, err := db.MarkKeptSeen(ctx, k.ID, latest-1)
	if err != nil {
		t.Fatal(err)
	}
	if seen.SeenSeq != latest-1 || !seen.Seen.After(k.Seen.Add(-time.Millisecond)) {
		t.Errorf("seen = %+v, want seq %d", seen, latest-1)
	}
	if fresh, changed := freshIDs(t, db, seen.SeenSeq); !slices.Equal(fresh, []string{"imported"}) || len(changed) != 0 {
		t.Errorf("after seen at %d: new %v changed %v, want the import alone", latest-1, fresh, changed)
	}
	// Never backwards, never beyond the latest change.
	if s, _ := db.MarkKeptSeen(ctx, k.ID, 1); s.SeenSeq != latest-1 {
		t.Errorf("an older seq took the seen state back to %d", s.SeenSeq)
	}
	if s, _ := db.MarkKeptSeen(ctx, k.ID, latest+100); s.SeenSeq != latest {
		t.Errorf("seen beyond the latest change: %d, want %d", s.SeenSeq, latest)
	}
	if fresh, changed := freshIDs(t, db, latest); len(fresh)+len(changed) != 0 {
		t.Errorf("all seen: new %v changed %v", fresh, changed)
	}
}
