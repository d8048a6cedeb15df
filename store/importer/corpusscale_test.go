package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

func TestEachCorpusItemParagraphs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	data := `{"id":"ARG_01_1946","country":"ARG","session":1,"year":1946,"text":"First one.\n\n  Second one. \n\nThird."}
not json
{"id":"FRA_01_1946","country":"FRA","session":1,"year":1946,"text":"Un.\n\nDeux."}
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var got []store.Item
	failed, err := EachCorpusItem(context.Background(), path, CorpusOptions{Paragraphs: true}, func(_ string, it store.Item) error {
		got = append(got, it)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Path, "line 2") {
		t.Errorf("failures = %v, want the one bad line (line 2)", failed)
	}
	want := []string{"ungd:ARG_01_1946", "ungd:FRA_01_1946", "ungd:ARG_01_1946#1", "ungd:ARG_01_1946#2", "ungd:ARG_01_1946#3", "ungd:FRA_01_1946#1", "ungd:FRA_01_1946#2"}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i, it := range got {
		if it.SourceKey != want[i] {
			t.Errorf("item %d = %s, want %s", i, it.SourceKey, want[i])
		}
	}
	if got[3].Body != "Second one." || got[3].Countries[0] != "ARG" || got[3].Date.Year() != 1946 {
		t.Errorf("paragraph 2 = %q %v %v", got[3].Body, got[3].Countries, got[3].Date)
	}
	var limited int
	if _, err := EachCorpusItem(context.Background(), path, CorpusOptions{Paragraphs: true, Limit: 4}, func(string, store.Item) error {
		limited++
		return nil
	}); err != nil || limited != 4 {
		t.Errorf("Limit 4: %d items, %v", limited, err)
	}
}

func TestParagraphsJoinWrappedLines(t *testing.T) {
	long := strings.Repeat("word ", 150) // 750 characters
	text := "short line one\nshort line two.\n\n" + long + "ends here.\nnext " + long + "\nstill going.\n"
	got := Paragraphs(text)
	want := []string{"short line one short line two.", long[:len(long)-1] + " ends here.", "next " + long[:len(long)-1] + " still going."}
	if len(got) != len(want) {
		t.Fatalf("got %d paragraphs %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("paragraph %d = %q, want %q", i, got[i], want[i])
		}
	}
}
