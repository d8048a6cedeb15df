package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"chancery/store"
)

// TestOriginalHashVerified (M): altered bytes of an original are refused by Original, naming
// the item, and reported by Check; sound originals pass.
func TestOriginalHashVerified(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	good, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Convention", Document: &store.Document{FileName: "c.txt", Original: []byte("Article 1")}})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Treaty", Document: &store.Document{FileName: "t.txt", Original: []byte("Article 2")}})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := db.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("Check before tampering = %q, %v", p, err)
	}
	db.Close()
	rawExec(t, dir, "UPDATE files SET data = CAST('Article 9' AS BLOB) WHERE sha256 = '"+bad.Document.SHA256+"'")

	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if b, err := db.Original(ctx, good.ID); err != nil || string(b) != "Article 1" {
		t.Errorf("sound original = %q, %v", b, err)
	}
	b, err := db.Original(ctx, bad.ID)
	if err == nil || b != nil {
		t.Fatalf("altered original handed out: %q", b)
	}
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), "Treaty") {
		t.Errorf("error %q: want ErrDamaged naming the item", err)
	}
	problems, err := db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], bad.ID) || !strings.Contains(problems[0], "Treaty") {
		t.Errorf("Check = %q, want one problem naming %s", problems, bad.ID)
	}
}
