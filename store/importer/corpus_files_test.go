package importer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/internal/corpusfiles"
	"chancery/store/storetest"
)

// TestImportRealWorldFiles imports the whole real-world files corpus (../shared/corpora/files:
// PDF, DOCX, HTML, Markdown and vCard files, broken and hostile ones included) the way a
// user would, folder by folder, and checks that every document ends with the status its
// class calls for, the notes keep their links, the contacts come in, and importing it all
// again adds nothing. Package extract's tests check each reader's text file by file.
func TestImportRealWorldFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 40 MB of real files")
	}
	dir, rows := corpusfiles.ForTest(t)
	ctx := context.Background()
	db := storetest.Open(t)
	folders := []string{"pdf", "docx", "html", "md", "vcard"}
	var paths []string
	for _, f := range folders {
		paths = append(paths, filepath.Join(dir, f))
	}
	start := time.Now()
	rep, err := importer.Import(ctx, db, paths, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported the corpus in %s: %d items saved, %d files or records failed", time.Since(start).Round(time.Millisecond), rep.Saved, len(rep.Failed))
	for _, f := range rep.Failed {
		t.Logf("failed: %v", f)
	}

	byPath := map[string]store.ImportedFile{}
	for _, r := range rep.Documents {
		if _, dup := byPath[r.Path]; dup {
			t.Errorf("%s reported twice", r.Path)
		}
		byPath[r.Path] = r
	}
	// outcomes[folder/class][status] counts the documents, for the table below.
	outcomes := map[string]map[string]int{}
	for _, row := range rows {
		if !isDoc(row.File) {
			continue
		}
		r, ok := byPath[row.Path(dir)]
		if !ok {
			t.Errorf("%s/%s: no result", row.Folder, row.File)
			continue
		}
		key := row.Folder + " " + row.Class
		if outcomes[key] == nil {
			outcomes[key] = map[string]int{}
		}
		outcomes[key][r.Status]++
		want := expectedStatuses(row)
		if !slices.Contains(want, r.Status) {
			t.Errorf("%s/%s (%s: %s): %s %q, want %v", row.Folder, row.File, row.Class, row.Note, r.Status, r.Reason, want)
		}
		if r.Status != store.StatusOK && r.Reason == "" {
			t.Errorf("%s/%s: %s without a reason", row.Folder, row.File, r.Status)
		}
		if r.ItemID == "" {
			t.Errorf("%s/%s: not stored", row.Folder, row.File)
		}
		if r.Again {
			// Only an identical copy of another file may be "again".
			t.Logf("%s/%s: same content as another file of the corpus", row.Folder, row.File)
		}
	}
	var keys []string
	for k := range outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-16s %6s %8s %8s %8s\n", "folder class", "files", "imported", "no text", "refused")
	for _, k := range keys {
		o := outcomes[k]
		fmt.Fprintf(&table, "%-16s %6d %8d %8d %8d\n", k, o[store.StatusOK]+o[store.StatusEmpty]+o[store.StatusFailed], o[store.StatusOK], o[store.StatusEmpty], o[store.StatusFailed])
	}
	t.Log(table.String())

	// Markdown: the Foam notes, with their [[wikilinks]] as links between them.
	notes, err := db.List(ctx, store.ListOptions{Kind: store.KindNote})
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, n := range notes {
		if len(n.Links) > 0 {
			linked++
		}
	}
	if len(notes) < 86 || linked < 30 {
		t.Errorf("%d notes, %d with links; want the 86 Foam notes, most of the 48 with wikilinks linked", len(notes), linked)
	}
	contacts, err := db.Count(ctx, store.ListOptions{Kind: store.KindContact})
	if err != nil {
		t.Fatal(err)
	}
	if contacts < 20 {
		t.Errorf("%d contacts from the vCard folder, want at least 20", contacts)
	}

	// Again: nothing is added.
	before, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := importer.Import(ctx, db, paths, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep2.Documents {
		if !r.Again {
			t.Errorf("second import: %s was imported again", r.Path)
		}
	}
	after, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Live != before.Live {
		t.Errorf("importing the corpus again: %d items, before %d", after.Live, before.Live)
	}
}

// expectedStatuses are the statuses a document of the corpus may end with, by its class
// and, where the class alone does not decide, by what the manifest's note says of it.
func expectedStatuses(r corpusfiles.Row) []string {
	ok, empty, failed := store.StatusOK, store.StatusEmpty, store.StatusFailed
	note := strings.ToLower(r.Note)
	switch r.Folder + " " + r.Class {
	case "pdf ok":
		if strings.Contains(note, "no text") {
			return []string{empty}
		}
		return []string{ok}
	case "pdf non-latin", "html ok", "html non-latin":
		return []string{ok}
	case "pdf scanned":
		// An OCR text layer, junk or not, is text. scan-bad.pdf carries a few words of text
		// beside its scan ("pdf.js"), which pdftotext finds too.
		if strings.Contains(note, "ocr") || r.File == "scan-bad.pdf" {
			return []string{ok, empty}
		}
		return []string{empty}
	case "pdf encrypted":
		switch {
		case strings.Contains(note, "user password '") || strings.Contains(note, "needs a user password"):
			return []string{failed}
		case strings.Contains(note, "without password") || strings.Contains(note, "owner password only"):
			return []string{ok, empty}
		}
		return []string{ok, empty, failed}
	case "pdf broken", "pdf huge":
		// Any status, reached within the limits: the test ending is the check. Package
		// extract's corpus test says which broken files are repaired.
		return []string{ok, empty, failed}
	case "docx ok":
		return []string{ok, empty} // many of python-docx's files have no body text
	}
	return nil
}
