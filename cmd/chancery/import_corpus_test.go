package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `chancery import --paragraphs` adds each statement's paragraphs as items of their own,
// `--limit` stops after that many items; a file that is not the corpus is refused, by
// name, with nothing stored.
func TestImportParagraphsFromCLI(t *testing.T) {
	corpus, _ := writeCorpus(t, 6)
	dir := t.TempDir()
	out := run(t, "--data", dir, "import", "--paragraphs", corpus)
	if !strings.Contains(out, "imported 12 items, 0 failed") { // each statement is one paragraph here
		t.Errorf("import --paragraphs said:\n%s", out)
	}
	if out := run(t, "--data", dir, "check"); !strings.Contains(out, "(12 items,") {
		t.Errorf("check after import --paragraphs:\n%s", out)
	}

	small := t.TempDir()
	if out := run(t, "--data", small, "import", "--paragraphs", "--limit", "8", corpus); !strings.Contains(out, "imported 8 items, 0 failed") {
		t.Errorf("import --paragraphs --limit 8 said:\n%s", out)
	}

	note := filepath.Join(t.TempDir(), "note.md")
	if err := os.WriteFile(note, []byte("# A note\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	b, err := chancery("--data", other, "import", "--limit", "3", note).CombinedOutput()
	if err == nil || !strings.Contains(string(b), note) || !strings.Contains(string(b), "UN General Debate corpus") {
		t.Errorf("import --limit of a note: %v\n%s", err, b)
	}
	if out := run(t, "--data", other, "check"); !strings.Contains(out, "(0 items,") {
		t.Errorf("a refused import stored something:\n%s", out)
	}
}
