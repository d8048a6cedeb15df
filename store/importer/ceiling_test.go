package importer_test

import (
	"context"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
)

// TestImportRefusesItemsAboveTheCeiling: under a machine's highest marking, an import saves
// what is allowed and reports each file above it, by name, with both markings.
func TestImportRefusesItemsAboveTheCeiling(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenWith(ctx, t.TempDir(), store.Options{MaxClass: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	write(t, dir, "cable.md", "---\nclass: SECRET\n---\n# Cable from the embassy\n")
	write(t, dir, "memo.md", "---\nclass: RESTRICTED\n---\n# Memo\n")
	write(t, dir, "plain.md", "# Plain note\n")
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 2 || len(rep.Failed) != 1 {
		t.Fatalf("saved %d, failed %v", rep.Saved, rep.Failed)
	}
	msg := rep.Failed[0].Error()
	for _, want := range []string{"cable.md", "SECRET", "highest marking allowed here is RESTRICTED"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %q", msg, want)
		}
	}
}
