package importer_test

import (
	"context"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// TestDefaultMarking: items saved without a marking get the policy's default (not the
// lowest), and an import can choose its own marking (never lowering a file's own).
func TestDefaultMarking(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenWith(ctx, t.TempDir(), store.Options{DefaultClass: "restricted"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.DefaultClass() != "RESTRICTED" {
		t.Errorf("DefaultClass() = %q, want RESTRICTED", db.DefaultClass())
	}
	saved, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "New note"})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Class != "RESTRICTED" {
		t.Errorf("a note saved without a marking is %s, want the policy's default RESTRICTED", saved.Class)
	}
	dir := t.TempDir()
	write(t, dir, "plain.md", "# Plain note\n")
	write(t, dir, "page.html", "<html><head><title>Page</title></head><body><p>Text of the page.</p></body></html>")
	if _, err := importer.Import(ctx, db, []string{dir}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	items := byTitle(t, db)
	for _, title := range []string{"Plain note", "Page"} {
		if c := items[title].Class; c != "RESTRICTED" {
			t.Errorf("imported %q is %q, want the policy's default RESTRICTED", title, c)
		}
	}

	// chancery import --class CONFIDENTIAL: the import's marking, unless a file's own is higher.
	other := t.TempDir()
	write(t, other, "memo.md", "# Memo\n")
	write(t, other, "cable.md", "---\nclass: SECRET\n---\n# Cable\n")
	write(t, other, "report.html", "<html><head><title>Report</title></head><body><p>Text.</p></body></html>")
	rep, err := importer.Import(ctx, db, []string{other}, importer.Options{Class: "confidential"})
	if err != nil || len(rep.Failed) > 0 {
		t.Fatal(err, rep.Failed)
	}
	items = byTitle(t, db)
	for title, want := range map[string]string{"Memo": "CONFIDENTIAL", "Report": "CONFIDENTIAL", "Cable": "SECRET"} {
		if c := items[title].Class; c != want {
			t.Errorf("imported with --class CONFIDENTIAL, %q is %q, want %s", title, c, want)
		}
	}
	if _, err := importer.Import(ctx, db, []string{other}, importer.Options{Class: "TOP SECRET"}); err == nil || !strings.Contains(err.Error(), "TOP SECRET") {
		t.Errorf("an unknown marking for an import: %v", err)
	}
	// A default above the machine's ceiling could never be saved: refused at once.
	if db, err := store.OpenWith(ctx, t.TempDir(), store.Options{DefaultClass: "SECRET", MaxClass: "RESTRICTED"}); err == nil {
		db.Close()
		t.Error("a default marking above the highest allowed was accepted")
	}
}

// Importing again without --class what was imported with a higher one changes nothing, and
// says so.
func TestReimportWithoutClassKeepsTheHigherOne(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	write(t, dir, "memo.md", "# Memo\n")
	if _, err := importer.Import(ctx, db, []string{dir}, importer.Options{Class: "CONFIDENTIAL"}); err != nil {
		t.Fatal(err)
	}
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := byTitle(t, db)["Memo"].Class; c != "CONFIDENTIAL" || rep.Saved != 0 {
		t.Errorf("after importing again without a marking: %s, saved %d; want CONFIDENTIAL, 0", c, rep.Saved)
	}
}
