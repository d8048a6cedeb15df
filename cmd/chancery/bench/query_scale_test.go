//go:build unix

package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"chancery/cmd/chancery/bench"
	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

// TestQueryScale measures Chancery's query latency alone (no peer) on a knowledge base in
// $CHANCERY_SCALE_WORK, top 10 with snippets and facets by query class, and each keystroke
// of the query set typed a letter at a time: the figures of the query path at either scale.
// The folder is either one a bench run built (its chancery/ folder, the 10,952 statements)
// or, when empty or missing, is filled once with the paragraph corpus (statements and their
// paragraphs, about 234,000 items; $CHANCERY_SCALE_LIMIT items when set), which takes a long
// while, and is used again by later runs. With $CHANCERY_SCALE_ANSWERS set to a file, the
// answers to every keystroke of the set are written there first, to diff two builds'.
// Figures are printed, never asserted:
//
//	CHANCERY_SCALE_WORK=/tmp/scale go test -tags ci,migrated_fynedo -run QueryScale -v -timeout 0 ./cmd/chancery/bench/
func TestQueryScale(t *testing.T) {
	dir := os.Getenv("CHANCERY_SCALE_WORK")
	if dir == "" {
		t.Skip("set CHANCERY_SCALE_WORK to a folder (a bench's chancery/ folder, or a new one to build the paragraph corpus in)")
	}
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		buildScale(t, ctx, dir)
	}
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	last, err := db.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	rounds := 5
	if r, err := strconv.Atoi(os.Getenv("CHANCERY_SCALE_ROUNDS")); err == nil && r > 0 {
		rounds = r
	}
	eng := []bench.Engine{bench.Chancery{Index: ix}}
	if out := os.Getenv("CHANCERY_SCALE_ANSWERS"); out != "" {
		writeAnswers(t, ctx, eng[0], out)
	}
	lat, err := bench.RunLatency(ctx, eng, bench.Queries(), rounds, true)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	// The processor time a query of each class takes (all of the process's, garbage
	// collection included), less noisy than the wall clock on a shared machine.
	cpu := map[string]time.Duration{}
	var cpuAll time.Duration
	for _, c := range bench.Classes {
		n := 0
		before := bench.CPUTime()
		for range rounds {
			for _, q := range bench.Queries() {
				if q.Class == c {
					if _, err := eng[0].Search(ctx, q.Text, 10, true); err != nil {
						t.Fatal(err)
					}
					n++
				}
			}
		}
		d := bench.CPUTime() - before
		cpuAll += d
		cpu[c] = d / time.Duration(max(n, 1))
	}
	cpu["all"] = cpuAll / time.Duration(len(bench.Queries())*rounds)
	fmt.Fprintf(tw, "class\tn\tp50\tp95\tp99\tmax\tcpu/query\t\n")
	var all []time.Duration
	row := func(class string, ds []time.Duration) {
		c := "-"
		if d, ok := cpu[class]; ok {
			c = ms(d)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", class, len(ds), ms(bench.Percentile(ds, 50)),
			ms(bench.Percentile(ds, 95)), ms(bench.Percentile(ds, 99)), ms(bench.Percentile(ds, 100)), c)
	}
	for _, c := range bench.Classes {
		row(c, lat[0][c])
		all = append(all, lat[0][c]...)
	}
	row("all", all)
	typing, err := bench.RunTyping(ctx, eng, bench.Queries())
	if err != nil {
		t.Fatal(err)
	}
	row("keystroke", typing[0])
	tw.Flush()
	t.Logf("%s, top 10 with snippets and facets, %d rounds:\n%s", dir, rounds, b.String())
}

// writeAnswers writes what the engine answers to every query of the set and to each
// keystroke of it (hits, snippets, facet values), one line each, to compare two builds
// with diff: a change that makes search faster must leave this file as it was.
func writeAnswers(t *testing.T, ctx context.Context, e bench.Engine, path string) {
	var b strings.Builder
	for _, q := range bench.Queries() {
		r := []rune(q.Text)
		for n := 1; n <= len(r); n++ {
			a, err := e.Search(ctx, string(r[:n]), 10, true)
			fmt.Fprintf(&b, "%q\t%v\t%q\t%d\t%v\n", string(r[:n]), a.IDs, a.Snippets, a.Facets, err)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// buildScale imports the paragraph corpus into a new knowledge base in dir and waits for
// the index to follow.
func buildScale(t *testing.T, ctx context.Context, dir string) {
	corpus := os.Getenv("CHANCERY_CORPUS")
	if corpus == "" {
		corpus = filepath.Join("..", "..", "..", "..", "shared", "corpora", "ungd", "ungd-1946-2024.jsonl.gz")
	}
	co := importer.CorpusOptions{Paragraphs: true}
	if l, err := strconv.Atoi(os.Getenv("CHANCERY_SCALE_LIMIT")); err == nil {
		co.Limit = l
	}
	start := time.Now()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rep, err := importer.ImportCorpusItems(ctx, db, corpus, co, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	last, err := db.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	t.Logf("built %d items in %s in %s", rep.Saved, dir, time.Since(start).Round(time.Second))
}
