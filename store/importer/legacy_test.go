package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

// A contact imported by an earlier version (keyed by its file's name and row) is updated by
// a re-import of its file, not duplicated, and takes the key by content.
func TestContactKeyedByFileNameIsAdopted(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Item{Kind: store.KindContact, Title: "Ada Lovelace", SourceKey: "csv:" + recordHash("contacts.csv", 1),
		Contact: &store.Contact{GivenName: "Ada", FamilyName: "Lovelace", Emails: []store.Labeled{{Value: "ada@example.org"}}}})
	p := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(p, []byte("First Name,Last Name,E-mail Address\nAda,Lovelace,ada@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportContacts(ctx, db, []string{p}, Options{}); err != nil {
		t.Fatal(err)
	}
	items, err := db.List(ctx, store.ListOptions{Kind: store.KindContact})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].SourceKey[:8] != "contact:" {
		t.Errorf("contacts after the re-import: %d (first keyed %q), want the one, keyed by content", len(items), items[0].SourceKey)
	}
}
