package store

import (
	"context"
	"testing"
)

// TestLanguageFilledOnSave: an item saved without a language gets the one its text is in,
// once, from the store; one given is kept. A knowledge base written before the store did
// this has its items' languages filled when it is opened, without a new change sequence
// (the index used the same language).
func TestLanguageFilledOnSave(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := db.Save(ctx, Item{Kind: KindNote, Title: "Pollution du fleuve", Body: "La délégation a exprimé sa préoccupation au sujet de la pollution du fleuve."})
	if err != nil {
		t.Fatal(err)
	}
	given, err := db.Save(ctx, Item{Kind: KindNote, Title: "Pollution", Body: "The delegation expressed concern about the river.", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if fr.Language != "fr" || given.Language != "es" {
		t.Fatalf("languages %q and %q, want fr (detected) and es (given)", fr.Language, given.Language)
	}
	// As an older Chancery left it.
	if _, err := db.sql.ExecContext(ctx, "UPDATE items SET language = '' WHERE id = ?", fr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.sql.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", keyLanguagesFilled); err != nil {
		t.Fatal(err)
	}
	seq, _ := db.LastSeq(ctx)
	db.Close()
	if db, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Get(ctx, fr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Language != "fr" {
		t.Errorf("after reopening, language %q, want fr", got.Language)
	}
	if now, _ := db.LastSeq(ctx); now != seq {
		t.Errorf("filling languages moved the change sequence from %d to %d", seq, now)
	}
}
