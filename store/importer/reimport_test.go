package importer_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// Outlook and Google both export "contacts.csv": two of them, from two folders, must both
// be kept, and importing one again adds nothing.
func TestImportTwoContactsCSVNamedAlike(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, file, a, b string
	}{
		{"csv", "contacts.csv",
			"First Name,Last Name,E-mail Address\nAda,Lovelace,ada@example.org\nAlan,Turing,alan@example.org\n",
			"First Name,Last Name,E-mail Address\nGrace,Hopper,grace@example.org\nEdsger,Dijkstra,\n"},
		{"vcard", "contacts.vcf",
			"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEMAIL:ada@example.org\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Alan Turing\nEND:VCARD\n",
			"BEGIN:VCARD\nVERSION:3.0\nFN:Grace Hopper\nEMAIL:grace@example.org\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Edsger Dijkstra\nEND:VCARD\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := storetest.Open(t)
			dir := t.TempDir()
			first := write(t, filepath.Join(dir, "outlook"), tc.file, tc.a)
			second := write(t, filepath.Join(dir, "google"), tc.file, tc.b)
			for _, p := range []string{first, second} {
				if _, err := importer.Import(ctx, db, []string{p}, importer.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			want := []string{"Ada Lovelace", "Alan Turing", "Edsger Dijkstra", "Grace Hopper"}
			got := slices.Sorted(maps.Keys(contactsByTitle(t, db)))
			if !slices.Equal(got, want) {
				t.Fatalf("contacts after importing both files = %v, want %v", got, want)
			}
			if _, err := importer.Import(ctx, db, []string{first, second}, importer.Options{}); err != nil {
				t.Fatal(err)
			}
			items, err := db.List(ctx, store.ListOptions{Kind: store.KindContact})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(want) {
				t.Errorf("%d contacts after importing the same files again, want %d", len(items), len(want))
			}
		})
	}
}
