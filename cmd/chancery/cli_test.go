package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type jsonResult struct {
	Total int `json:"total"`
	Hits  []struct {
		ID       string   `json:"id"`
		Kind     string   `json:"kind"`
		Title    string   `json:"title"`
		Snippets []string `json:"snippets"`
	} `json:"hits"`
	Facets []struct {
		Name string `json:"Name"`
	} `json:"facets"`
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := chancery(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("chancery %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func searchJSON(t *testing.T, dir, q string) jsonResult {
	t.Helper()
	out, err := chancery("--data", dir, "search", "--json", q).Output()
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var r jsonResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("search %q: not JSON: %v\n%s", q, err, out)
	}
	return r
}

// TestDemoSearchReindexCheck walks the CLI: demo, search, losing the index, reindex, check.
func TestDemoSearchReindexCheck(t *testing.T) {
	dir := t.TempDir()
	if out := run(t, "--data", dir, "demo"); !strings.Contains(out, "example knowledge base loaded") {
		t.Fatalf("demo said: %s", out)
	}
	r := searchJSON(t, dir, "oil spill")
	if r.Total < 10 || r.Hits[0].Kind != "note" || len(r.Hits[0].Snippets) == 0 || !strings.Contains(r.Hits[0].Snippets[0], "«") {
		t.Fatalf("oil spill: %+v", r)
	}
	if len(r.Facets) != 4 {
		t.Errorf("--json facets: %+v", r.Facets)
	}
	top := r.Hits[0].ID

	// Deleting the index loses nothing: the next command rebuilds it from the store.
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	out := run(t, "--data", dir, "check")
	if !strings.Contains(out, "missing: building") || !strings.Contains(out, "index: ok") {
		t.Errorf("check after deleting the index: %s", out)
	}
	if again := searchJSON(t, dir, "oil spill"); again.Total != r.Total || again.Hits[0].ID != top {
		t.Errorf("after rebuild: %d hits, first %s; before: %d, first %s", again.Total, again.Hits[0].ID, r.Total, top)
	}
	if out := run(t, "--data", dir, "reindex"); !strings.Contains(out, "indexing") {
		t.Errorf("reindex said: %s", out)
	}
	if out := run(t, "--data", dir, "check"); !strings.Contains(out, "database: ok") || !strings.Contains(out, "index: ok") {
		t.Errorf("check: %s", out)
	}
	if out, err := chancery("--data", dir, "search", "country:XX").CombinedOutput(); err == nil || !strings.Contains(string(out), "no such country") {
		t.Errorf("bad query: %v %s", err, out)
	}
}

func TestImportNotesFromCLI(t *testing.T) {
	dir, notes := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(notes, "a.md"), []byte("# Water-sharing talks\nThe Volta allocation, see [[b]]. #water\n"), 0o600)
	os.WriteFile(filepath.Join(notes, "b.txt"), []byte("Allocation formula for the dry season.\n"), 0o600)
	os.WriteFile(filepath.Join(notes, "c.md"), []byte("bad\x00binary"), 0o600)
	os.WriteFile(filepath.Join(notes, "d.pdf"), []byte("%PDF-1.4 truncated"), 0o600)
	out, err := chancery("--data", dir, "import", notes).CombinedOutput()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"imported 3 items, 1 failed", "c.md", "refused: " + filepath.Join(notes, "d.pdf") + ": ", "documents: 0 imported, 0 without text, 1 refused, 0 already there"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("import said %s\nwant %q", out, want)
		}
	}
	out, err = chancery("--data", dir, "import", notes).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "1 already there") {
		t.Errorf("importing again: %v\n%s", err, out)
	}
	if r := searchJSON(t, dir, "allocation tag:water"); r.Total != 1 || r.Hits[0].Title != "Water-sharing talks" {
		t.Errorf("search after import: %+v", r)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range []string{"import", "search", "reindex", "check", "demo"} {
		out := run(t, c, "--help")
		if !strings.Contains(out, "Usage:") || !strings.Contains(out, "--data") {
			t.Errorf("%s --help: %s", c, out)
		}
	}
}

// TestBenchCommand runs `chancery bench` end to end on a small corpus: both engines built in
// child processes, every table printed; and a missing corpus is said to be missing.
func TestBenchCommand(t *testing.T) {
	corpus, _ := writeCorpus(t, 120)
	work := t.TempDir()
	out := run(t, "bench", "--corpus", corpus, "--work", work, "--rounds", "1")
	for _, want := range []string{
		"120 items (statements)", "Indexing", "FTS5 tuned", "items/s", "on disk (index + store)", "peak memory (RSS)",
		"Top 10 + snippets (66 queries × 1 rounds, warm", "Top 10 + snippets + facets",
		"phrase", "misspelt", "filtered", "Search as you type", "per keystroke",
		"Relevance: 57 queries on 18 subjects", "P@5 Chancery", "R@20 FTS5 default",
		"Targets (issue 15)", "targets met",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
	// A curve: the builds stop at each point, the figures are taken, a table per figure
	// and the plot follow.
	work2 := t.TempDir()
	out = run(t, "bench", "--corpus", corpus, "--work", work2, "--rounds", "1", "--budget", "2s", "--sizes", "40,80")
	for _, want := range []string{"40 items (statements)", "80 items (statements)", "How cost grows", "indexing time (s)", "growth", "curve.png"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench --sizes output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"curve.png", "report.txt"} {
		if _, err := os.Stat(filepath.Join(work2, f)); err != nil {
			t.Errorf("bench --sizes wrote no %s: %v", f, err)
		}
	}
	// A second run uses what the first built.
	out = run(t, "bench", "--corpus", corpus, "--work", work, "--only", "relevance")
	if strings.Contains(out, "Indexing") || !strings.Contains(out, "Relevance") {
		t.Errorf("--only relevance with a built work folder:\n%s", out)
	}
	missing := filepath.Join(t.TempDir(), "ungd.jsonl.gz")
	b, err := chancery("bench", "--corpus", missing).CombinedOutput()
	if err == nil || !strings.Contains(string(b), "corpus is missing: "+missing) {
		t.Errorf("missing corpus: %v\n%s", err, b)
	}
}
