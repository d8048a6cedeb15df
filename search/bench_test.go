package search_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"chancery/search"
	"chancery/store"
)

// BenchmarkKnowledgeBase runs typical queries on an existing knowledge base, warm, as the
// app does: top 10 with snippets and facets. Point it at one with CHANCERY_BENCH_DATA, e.g.
// after `chancery --data /tmp/ungd import ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz`:
//
//	CHANCERY_BENCH_DATA=/tmp/ungd go test -run '^$' -bench KnowledgeBase ./search/
func BenchmarkKnowledgeBase(b *testing.B) {
	dir := os.Getenv("CHANCERY_BENCH_DATA")
	if dir == "" {
		b.Skip("set CHANCERY_BENCH_DATA to a knowledge base folder (for example the UN General Debate corpus imported)")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Sync(ctx, nil); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`nuclear disarmament`, `"law of the sea"`, `apartheid country:ZAF`, `decolonization year:1960..1969`,
		`disarm`, `climat`, `disarmamnet`, `refugees -syria`, `sanctions OR embargo`,
		`sustainable development goals`, `small island developing states sea level rise`, `clim`,
	} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, q, search.Options{Size: 10, Facets: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
