package importer_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func byTitle(t *testing.T, db *store.DB) map[string]store.Item {
	t.Helper()
	items, err := db.List(context.Background(), store.ListOptions{WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.Item{}
	for _, it := range items {
		m[it.Title] = it
	}
	return m
}

func TestImportNotesFolder(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	write(t, dir, "river.md", "---\ntitle: The Kessa river\ntags: [water, Border Rivers]\ncountries:\n  - NGA\n  - gh\ntopics: water\nclass: restricted\ndate: 2026-11-02\n---\n# Ignored heading\nSee [[depot]] and [[Missing note]]. #oil-spill\n\n```\n#not-a-tag [[not-a-link]]\n```\n")
	write(t, dir, "sub/depot.md", "# Kessa depot\nOperated by Delta Storage. Links back to [[The Kessa river|the river]].\n")
	write(t, dir, "plain.txt", "Just text, no heading.\r\nSecond line.\n")
	write(t, dir, "cp1252.txt", "Caf\xe9 cr\xe8me \x96 d\xe9j\xe0 vu\n")
	write(t, dir, ".hidden/secret.md", "# Hidden\n")
	write(t, dir, "binary.md", "abc\x00def")
	write(t, dir, "image.png", "\x89PNG")

	var progress []int
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{Progress: func(c, total int) { progress = append(progress, c) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 4 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Error(), "binary.md") {
		t.Fatalf("report %+v", rep)
	}
	if !slices.Equal(progress, []int{4}) {
		t.Errorf("progress %v", progress)
	}
	notes := byTitle(t, db)
	river, ok := notes["The Kessa river"]
	if !ok {
		t.Fatalf("titles: %v", slices.Collect(maps.Keys(notes)))
	}
	if !slices.Equal(river.Tags, []string{"border-rivers", "oil-spill", "water"}) || !slices.Equal(river.Countries, []string{"GHA", "NGA"}) ||
		!slices.Equal(river.Topics, []string{"water"}) || river.Class != "RESTRICTED" || river.Date.Format("2006-01-02") != "2026-11-02" {
		t.Errorf("front matter not applied: %+v", river)
	}
	depot := notes["Kessa depot"]
	if len(river.Links) != 1 || river.Links[0].To != depot.ID {
		t.Errorf("river links %v, want one to %s", river.Links, depot.ID)
	}
	if len(depot.Links) != 1 || depot.Links[0].To != river.ID {
		t.Errorf("depot links %v, want one to %s", depot.Links, river.ID)
	}
	if got := notes["cp1252"].Body; got != "Café crème – déjà vu" {
		t.Errorf("Windows-1252 text read as %q", got)
	}
	if _, ok := notes["plain"]; !ok {
		t.Error("plain text file not imported under its file name")
	}
	if notes["plain"].Language != "en" {
		t.Errorf("language of plain = %q", notes["plain"].Language)
	}

	// Importing again duplicates nothing and writes no new version.
	if _, err := importer.Import(ctx, db, []string{dir}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if again := byTitle(t, db); len(again) != len(notes) || again["The Kessa river"].Rev != 1 {
		t.Errorf("re-import: %d items (was %d), rev %d", len(again), len(notes), again["The Kessa river"].Rev)
	}
}

func TestImportNoteWithBadFrontMatterGoesOn(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	write(t, dir, "a.md", "---\nclass: COSMIC\n---\n# Bad class\n")
	write(t, dir, "b.md", "# Good\n")
	rep, err := importer.Import(ctx, db, []string{dir}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 1 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Error(), "a.md") || !strings.Contains(rep.Failed[0].Error(), "COSMIC") {
		t.Errorf("report %+v", rep)
	}
}

// writeCorpus writes n records in the UN General Debate corpus format, gzipped, with one
// malformed line in the middle.
func writeCorpus(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ungd.jsonl.gz")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	countries := []string{"AGO", "FRA", "YUG", "EU"}
	for i := range n {
		if i == n/2 {
			fmt.Fprintln(zw, `{"id": "broken`)
		}
		c := countries[i%len(countries)]
		fmt.Fprintf(zw, `{"id": "%s_%d_%d", "country": "%s", "session": %d, "year": %d, "text": "Statement %d on disarmament and the climate."}`+"\n",
			c, i+1, 1946+i, c, i+1, 1946+i, i)
	}
	zw.Close()
	f.Close()
	return p
}

func TestImportCorpus(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := writeCorpus(t, 1203)
	var commits []int
	rep, err := importer.ImportCorpus(ctx, db, p, importer.Options{Progress: func(c, total int) {
		commits = append(commits, c)
		if total != 1204 {
			t.Errorf("total %d", total)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 1203 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Path, "line 602") {
		t.Fatalf("report: saved %d failed %v", rep.Saved, rep.Failed)
	}
	if !slices.Equal(commits, []int{500, 1000, 1203}) {
		t.Errorf("commits %v", commits)
	}
	ids, err := db.SourceKeyIDs(ctx, []string{"ungd:YUG_3_1948", "ungd:EU_4_1949"})
	if err != nil || len(ids) != 2 {
		t.Fatalf("records missing: %v %v", ids, err)
	}
	it, _ := db.Get(ctx, ids["ungd:YUG_3_1948"])
	if it.Kind != store.KindDocument || !slices.Equal(it.Countries, []string{"YUG"}) || it.Date.Year() != 1948 ||
		!strings.Contains(it.Title, "Yugoslavia") || it.Language != "en" {
		t.Errorf("record imported as %+v", it)
	}
	// Again: no duplicates.
	if _, err := importer.ImportCorpus(ctx, db, p, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.Stats(ctx); s.Live != 1203 {
		t.Errorf("%d items after re-import", s.Live)
	}
}

func TestImportCorpusCancelledKeepsCommitted(t *testing.T) {
	db := storetest.Open(t)
	p := writeCorpus(t, 1500)
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := importer.ImportCorpus(ctx, db, p, importer.Options{Progress: func(c, _ int) {
		if c >= 500 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("cancelled import reported success")
	}
	if s, _ := db.Stats(context.Background()); s.Live != rep.Saved || rep.Saved != 500 {
		t.Errorf("saved %d, store has %d", rep.Saved, s.Live)
	}
}

// TestImportRealMarkdown imports the Foam documentation workspace from the shared corpus.
func TestImportRealMarkdown(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "files", "md")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real-world Markdown corpus not found at %s: %v", dir, err)
	}
	db := storetest.Open(t)
	rep, err := importer.Import(context.Background(), db, []string{dir}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved < 80 || len(rep.Failed) != 0 {
		t.Errorf("saved %d, failed %v", rep.Saved, rep.Failed)
	}
	items, _ := db.List(context.Background(), store.ListOptions{})
	links := 0
	for _, it := range items {
		links += len(it.Links)
	}
	if links < 40 {
		t.Errorf("only %d wikilinks resolved", links)
	}
}
