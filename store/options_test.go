package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"chancery/store"
)

// TestMaxClassRefusesItemsAbove: with a ceiling, items marked above it are refused on
// every saving path (Save, SaveAll, RestoreRevision), naming the item and both markings,
// and nothing of a refused batch is written.
func TestMaxClassRefusesItemsAbove(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.OpenWith(ctx, dir, store.Options{MaxClass: "restricted"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.MaxClass() != "RESTRICTED" {
		t.Errorf("MaxClass = %q", db.MaxClass())
	}
	ok, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Allowed", Class: "RESTRICTED"})
	if err != nil {
		t.Fatalf("RESTRICTED under a RESTRICTED ceiling: %v", err)
	}
	_, err = db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Cable 42", Class: "secret"})
	if !errors.Is(err, store.ErrAboveCeiling) || !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("SECRET under a RESTRICTED ceiling: %v", err)
	}
	for _, want := range []string{`"Cable 42"`, "SECRET", "RESTRICTED"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
	_, err = db.SaveAll(ctx, []store.Item{{Kind: store.KindNote, Title: "Fine"}, {Kind: store.KindNote, Title: "Too high", Class: "CONFIDENTIAL"}})
	if !errors.Is(err, store.ErrAboveCeiling) {
		t.Fatalf("batch with a CONFIDENTIAL item: %v", err)
	}
	if items, _ := db.List(ctx, store.ListOptions{}); len(items) != 1 {
		t.Errorf("after a refused batch the store holds %d items, want 1", len(items))
	}
	// Raising an allowed item above the ceiling is refused too.
	ok.Class = "SECRET"
	if _, err := db.Save(ctx, ok); !errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("raising an item to SECRET: %v", err)
	}
	db.Close()

	// Without the ceiling a SECRET item is saved; with it back, restoring that revision
	// over a lower one is refused.
	free, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := free.Save(ctx, store.Item{Kind: store.KindNote, Title: "Once secret", Class: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	s.Class = "UNCLASSIFIED"
	if _, err := free.Save(ctx, s); err != nil {
		t.Fatal(err)
	}
	free.Close()
	db, err = store.OpenWith(ctx, dir, store.Options{MaxClass: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RestoreRevision(ctx, s.ID, 1); !errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("restoring a SECRET revision: %v", err)
	}
	// Items saved above the ceiling before it was set are listed.
	db.Close()
	free, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	old, err := free.Save(ctx, store.Item{Kind: store.KindNote, Title: "Old cable", Class: "CONFIDENTIAL"})
	if err != nil {
		t.Fatal(err)
	}
	if above, err := free.AboveCeiling(ctx); above != nil || err != nil {
		t.Errorf("without a ceiling: %v %v", above, err)
	}
	free.Close()
	db, err = store.OpenWith(ctx, dir, store.Options{MaxClass: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	above, err := db.AboveCeiling(ctx)
	if err != nil || len(above) != 1 || above[0] != old.ID+" (CONFIDENTIAL) Old cable" {
		t.Errorf("above the ceiling: %q %v", above, err)
	}
}

func TestOptionsScheme(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.OpenWith(ctx, dir, store.Options{Classes: []string{"public", "Internal", "RESTRICTED"}, MaxClass: "INTERNAL"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Classes(ctx); !slices.Equal(got, []string{"PUBLIC", "INTERNAL", "RESTRICTED"}) {
		t.Errorf("scheme %v", got)
	}
	it, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Default marking"})
	if err != nil || it.Class != "PUBLIC" {
		t.Errorf("an unmarked item gets the lowest marking: %q %v", it.Class, err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Old scheme", Class: "SECRET"}); !errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("a marking outside the scheme: %v", err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Internal memo", Class: "internal"}); err != nil {
		t.Error(err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Restricted memo", Class: "RESTRICTED"}); !errors.Is(err, store.ErrAboveCeiling) {
		t.Errorf("above the ceiling in the new scheme: %v", err)
	}
	db.Close()

	// A scheme without a marking items carry is refused, naming it, and changes nothing.
	_, err = store.OpenWith(ctx, dir, store.Options{Classes: []string{"PUBLIC", "SECRET"}})
	if err == nil || !strings.Contains(err.Error(), "INTERNAL") {
		t.Fatalf("dropping a marking in use: %v", err)
	}
	for _, bad := range []store.Options{
		{MaxClass: "TOP SECRET"},
		{Classes: []string{"A", "a"}},
		{Classes: []string{"A", " "}},
	} {
		if db, err := store.OpenWith(ctx, dir, bad); err == nil {
			db.Close()
			t.Errorf("%+v opened", bad)
		}
	}
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, _ := db.Classes(ctx); !slices.Equal(got, []string{"PUBLIC", "INTERNAL", "RESTRICTED"}) {
		t.Errorf("after refused schemes: %v", got)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Setting(ctx, "seed"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing setting: %v", err)
	}
	for _, v := range []string{"one", "two"} {
		if err := db.SetSetting(ctx, "seed", v); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.Setting(ctx, "seed"); v != "two" || err != nil {
		t.Errorf("setting after reopening: %q %v", v, err)
	}
}
