package store_test

import (
	"errors"
	"slices"
	"testing"

	"chancery/store"
)

// The window lists an import's files from the same report the command line prints: each
// document read, then each other file that could not be imported, a document refused on
// saving listed once.
func TestImportReportFiles(t *testing.T) {
	rep := store.ImportReport{
		Saved: 3,
		Documents: []store.ImportedFile{
			{Path: "/in/a.pdf", ItemID: "a", Status: store.StatusOK},
			{Path: "/in/b.pdf", ItemID: "b", Status: store.StatusFailed, Reason: "above the ceiling"},
		},
		Failed: []store.ImportFailure{
			{Path: "/in/b.pdf", Err: errors.New("above the ceiling")},
			{Path: "/in/c.vcf", Err: errors.New("line 3: a card without END:VCARD")},
		},
	}
	want := []store.ImportedFile{
		{Path: "/in/a.pdf", ItemID: "a", Status: store.StatusOK},
		{Path: "/in/b.pdf", ItemID: "b", Status: store.StatusFailed, Reason: "above the ceiling"},
		{Path: "/in/c.vcf", Status: store.StatusFailed, Reason: "line 3: a card without END:VCARD"},
	}
	if got := rep.Files(); !slices.Equal(got, want) {
		t.Errorf("Files() = %+v\nwant %+v", got, want)
	}
	if got := rep.Failed[1].Error(); got != "/in/c.vcf: line 3: a card without END:VCARD" {
		t.Errorf("Error() = %q", got)
	}
	rep.Files()[0].Path = "changed"
	if rep.Documents[0].Path != "/in/a.pdf" {
		t.Error("Files shares the report's slice")
	}
}
