package importer_test

import (
	"context"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// A vCard whose card has a huge field (a 5 MB title, folded as vCard folds long lines) has
// that card refused by name; the other cards are imported.
func TestVCardWithHugeFieldIsRefusedByName(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n")
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bomb\r\nTITLE:")
	chunk := strings.Repeat("x", 74)
	for range (5 << 20) / 74 {
		b.WriteString(chunk)
		b.WriteString("\r\n ")
	}
	b.WriteString("end\r\nEND:VCARD\r\n")
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEND:VCARD\r\n")
	db, _ := importOne(t, "cards.vcf", b.String(), 1, "card 2")
	got := contactsByTitle(t, db)
	if _, ok := got["Ada Lovelace"]; !ok || len(got) != 2 {
		t.Errorf("contacts imported: %d, want Ada Lovelace and Grace Hopper", len(got))
	}
	if _, ok := got["Grace Hopper"]; !ok {
		t.Error("the card after the refused one was not imported")
	}
}

// Under a memory budget, DOCX zip bombs are refused (what each may unpack is its share of
// the budget), and the import goes on.
func TestDOCXBombsRefusedWithinTheBudget(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.docx", "b.docx"} {
		write(t, dir, name, string(importer.ZipBombForTest(t, 48<<20, name)))
	}
	write(t, dir, "note.md", "# Note\n")
	db := storetest.Open(t)
	rep, err := importer.Import(context.Background(), db, []string{dir}, importer.Options{MemoryBudget: 32 << 20})
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, d := range rep.Documents {
		if d.Status == store.StatusFailed && strings.Contains(d.Reason, "unpacks to more than") {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("documents: %+v; want both bombs refused as unpacking to too much", rep.Documents)
	}
}
