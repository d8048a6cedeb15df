package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chancery/cmd/chancery/bench"
	"chancery/store/importer"
)

// corpusFile is the UN General Debate corpus when it is at hand ($CHANCERY_CORPUS, or
// ../shared beside the worktree), else "".
func corpusFile() string {
	if c := os.Getenv("CHANCERY_CORPUS"); c != "" {
		return c
	}
	p := filepath.Join("..", "..", "..", "..", "shared", "corpora", "ungd", "ungd-1946-2024.jsonl.gz")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// TestTunedMatchesDefault builds both FTS5 peers from the same items and checks that the
// tuned peer returns the default's top 10 (IDs and snippets) for every query of the set:
// over a small corpus with paragraphs, and over the real corpus's first 1,000 statements
// when it is at hand.
func TestTunedMatchesDefault(t *testing.T) {
	t.Run("mini", func(t *testing.T) {
		compareTuned(t, miniCorpus(t), bench.BuildOptions{Paragraphs: true})
	})
	corpus := corpusFile()
	if corpus == "" || testing.Short() {
		t.Log("the real corpus is not at hand (or -short): only the small one is compared")
		return
	}
	t.Run("ungd-1000", func(t *testing.T) {
		compareTuned(t, corpus, bench.BuildOptions{Paragraphs: true, Sizes: []int{1000}})
	})
}

func compareTuned(t *testing.T, corpus string, opt bench.BuildOptions) {
	ctx := context.Background()
	work := t.TempDir()
	tb, err := bench.BuildTunedAt(ctx, corpus, filepath.Join(work, bench.TunedDir), opt)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := bench.BuildFTS5At(ctx, corpus, filepath.Join(work, bench.FTS5Dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Items != fb.Items || tb.Items == 0 || !tb.Final {
		t.Fatalf("builds: tuned %+v, default %+v", tb, fb)
	}
	if _, err := bench.BuildChanceryAt(ctx, miniCorpus(t), filepath.Join(work, bench.ChanceryDir), bench.BuildOptions{}); err != nil {
		t.Fatal(err) // Open wants the three engines; Chancery's is not compared here
	}
	engines, closeAll, err := bench.Open(ctx, work)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	tuned, def := engines[1], engines[2]
	qs := bench.Queries()
	qs = append(qs, bench.Query{Class: "words", Text: "the"}, bench.Query{Class: "words", Text: "nuclear OR sanctions -war"})
	compared := 0
	for _, q := range qs {
		for _, facets := range []bool{false, true} {
			a, err := tuned.Search(ctx, q.Text, 10, facets)
			if err != nil {
				t.Fatalf("tuned %q: %v", q.Text, err)
			}
			b, err := def.Search(ctx, q.Text, 10, facets)
			if err != nil {
				t.Fatalf("default %q: %v", q.Text, err)
			}
			if !slices.Equal(a.IDs, b.IDs) {
				t.Errorf("%q: tuned %v, default %v", q.Text, a.IDs, b.IDs)
			}
			if !slices.Equal(a.Snippets, b.Snippets) {
				t.Errorf("%q: the snippets differ", q.Text)
			}
			if facets && len(a.IDs) > 0 && a.Facets == 0 {
				t.Errorf("%q: the tuned peer counted no facets", q.Text)
			}
			compared += len(a.IDs)
		}
	}
	if compared == 0 {
		t.Fatal("no query found anything")
	}
	for _, id := range []string{"GHA_45_1990#2", "GHA_45_1990"} {
		if bench.StatementOf(id) != "GHA_45_1990" {
			t.Errorf("StatementOf(%s) = %s", id, bench.StatementOf(id))
		}
	}
}

// miniCorpus writes a small corpus of statements of several paragraphs each, made of the
// query set's words, so that every class of query finds something.
func miniCorpus(t *testing.T) string {
	t.Helper()
	var words []string
	for _, q := range bench.Queries() {
		for _, w := range strings.Fields(q.Text) {
			if !strings.Contains(w, ":") {
				words = append(words, strings.Trim(w, `"-`))
			}
		}
	}
	countries := []string{"GHA", "TGO", "NGA", "FRA", "UKR", "BLR", "IDN", "ZAF"}
	var sts []importer.Statement
	for i := range 40 {
		var paras []string
		for p := range 4 {
			var b strings.Builder
			for k := range 12 {
				b.WriteString(words[(i*7+p*13+k*k)%len(words)] + " ")
			}
			b.WriteString("the Assembly.")
			paras = append(paras, b.String())
		}
		c, year := countries[i%len(countries)], 1970+i
		sts = append(sts, importer.Statement{ID: fmt.Sprintf("%s_%d_%d", c, year-1945, year), Country: c,
			Session: year - 1945, Year: year, Text: strings.Join(paras, "\n\n")})
	}
	return writeCorpus(t, sts)
}
