package importer_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
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

// A re-import never lowers a marking and never overwrites an edit made in the app: when only
// the file changed it updates, when only the app's copy changed it keeps it, and when both
// changed it keeps both (the app's version current, the file's as a revision) and says so.
func TestReimportKeepsEditsAndMarkings(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	write(t, dir, "edited.md", "# Edited\n\nAs first imported.\n")
	write(t, dir, "fileonly.md", "---\nclass: CONFIDENTIAL\n---\n# File only\n\nAs first imported.\n")
	write(t, dir, "apponly.md", "# App only\n\nAs first imported.\n")
	write(t, dir, "people.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEMAIL:ada@example.org\nTITLE:Analyst\nEND:VCARD\n")
	all := []string{dir}
	if _, err := importer.Import(ctx, db, all, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	// Edits in the app: a note's text and marking, another note's text, a contact's title.
	items := byTitle(t, db)
	edit := func(title string, f func(*store.Item)) {
		t.Helper()
		it, ok := items[title]
		if !ok {
			t.Fatalf("no item %q after the first import", title)
		}
		f(&it)
		if _, err := db.Save(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	edit("Edited", func(it *store.Item) { it.Body = "Edited in the app."; it.Class = "SECRET" })
	edit("App only", func(it *store.Item) { it.Body = "Edited in the app."; it.Class = "SECRET" })
	edit("Ada Lovelace", func(it *store.Item) { it.Contact.JobTitle = "Director"; it.Class = "SECRET" })

	// The same files again: nothing is written, the app's edits stay.
	rep, err := importer.Import(ctx, db, all, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 0 || len(rep.Both) != 0 {
		t.Errorf("importing unchanged files again: saved %d, both changed %v; want 0 and none", rep.Saved, rep.Both)
	}
	check := func(when string) {
		t.Helper()
		items = byTitle(t, db)
		for title, want := range map[string]string{"Edited": "Edited in the app.", "App only": "Edited in the app."} {
			if it := items[title]; it.Body != want || it.Class != "SECRET" {
				t.Errorf("%s: %q is %s %q, want SECRET %q", when, title, it.Class, it.Body, want)
			}
		}
		if it := items["Ada Lovelace"]; it.Contact == nil || it.Contact.JobTitle != "Director" || it.Class != "SECRET" {
			t.Errorf("%s: the contact edited in the app is %s %+v", when, it.Class, it.Contact)
		}
	}
	check("after importing unchanged files")

	// Now the files change too: one edited in the app as well, one only in the file (and
	// marked lower there), one edited only in the app.
	write(t, dir, "edited.md", "# Edited\n\nChanged in the file.\n")
	write(t, dir, "fileonly.md", "---\nclass: UNCLASSIFIED\n---\n# File only\n\nChanged in the file.\n")
	write(t, dir, "people.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEMAIL:ada@example.org\nTITLE:Chief Analyst\nEND:VCARD\n")
	rep, err = importer.Import(ctx, db, all, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check("after importing changed files")
	if it := byTitle(t, db)["File only"]; !strings.Contains(it.Body, "Changed in the file.") || it.Class != "CONFIDENTIAL" {
		t.Errorf("a note changed only in its file is %s %q, want CONFIDENTIAL (never lowered) %q", it.Class, it.Body, "Changed in the file.")
	}
	slices.Sort(rep.Both)
	if len(rep.Both) != 2 || !strings.Contains(rep.Both[0], "Ada Lovelace") || !strings.Contains(rep.Both[1], "Edited") {
		t.Errorf("report of items changed in both places = %v, want Ada Lovelace and Edited", rep.Both)
	}
	// The file's version is kept as a revision of the item edited in the app.
	revs, err := db.Revisions(ctx, items["Edited"].ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range revs {
		found = found || strings.Contains(r.Item.Body, "Changed in the file.")
	}
	if !found {
		t.Errorf("the file's version of an item changed in both places is not among its %d revisions", len(revs))
	}
	// And once more: nothing new to say.
	rep, err = importer.Import(ctx, db, all, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 0 || len(rep.Both) != 0 {
		t.Errorf("importing the same changed files again: saved %d, both changed %v; want 0 and none", rep.Saved, rep.Both)
	}
	check("after importing the changed files again")
}
