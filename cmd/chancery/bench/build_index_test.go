//go:build unix

package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/cmd/chancery/bench"
	"chancery/cmd/chancery/bench/fts5peer"
	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

// BenchmarkBuildIndex imports the first CHANCERY_BUILD_ITEMS items of the paragraph corpus
// (importer.ImportCorpusItems: the 10,952 statements first, then their paragraphs; 0 or
// "all" for all 233,523) into a new knowledge base, as `chancery import` does, the index
// following the store, and waits until the index has caught up. It prints items/s, the
// process's peak resident memory (getrusage: run one benchmark per process, -benchtime=1x)
// and the store's and index's size on disk, the segment files left, and a timeline of what
// the resident memory is made of (memtimeline_test.go: anonymous, file-backed, the segment
// files mapped and resident, the Go heap; the largest of each with when). It asserts
// nothing about them:
//
//	CHANCERY_BUILD_ITEMS=10952 go test -tags ci,migrated_fynedo -run '^$' -bench 'BuildIndex$' -benchtime=1x ./cmd/chancery/bench/
//	CHANCERY_BUILD_ITEMS=10952 go test -tags ci,migrated_fynedo -run '^$' -bench 'BuildFTS5$' -benchtime=1x ./cmd/chancery/bench/
//
// BenchmarkBuildFTS5 loads the same items into the FTS5 peer, for a comparison in the same
// run. Give the corpus with CHANCERY_CORPUS when it is not ../shared beside the project,
// CHANCERY_BUILD_KEEP=DIR (a new folder) to keep the knowledge base built, and
// CHANCERY_BUILD_HEAPPROFILE=FILE for a heap profile near the peak.
func BenchmarkBuildIndex(b *testing.B) {
	corpus, co := buildCorpus(b)
	for b.Loop() {
		dir := b.TempDir()
		if keep := os.Getenv("CHANCERY_BUILD_KEEP"); keep != "" {
			// A new folder to look into afterwards (chancery search --data DIR).
			if err := os.Mkdir(keep, 0o700); err != nil {
				b.Fatal(err)
			}
			dir = keep
		}
		ctx := context.Background()
		stopProfile := heapProfiles(b)
		tl := startMemTimeline(filepath.Join(dir, "index"))
		cpu0 := bench.CPUTime()
		start := time.Now()
		db, err := store.Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := search.Open(filepath.Join(dir, "index"), db)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := importer.ImportCorpusItems(ctx, db, corpus, co, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		stored := time.Since(start)
		tl.mark("store written")
		last, err := db.LastSeq(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.WaitFor(ctx, last); err != nil {
			b.Fatal(err)
		}
		tl.mark("index caught up")
		segs := zapCount(filepath.Join(dir, "index"))
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		tl.mark("index closed")
		took, cpu := time.Since(start), bench.CPUTime()-cpu0
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		stopProfile()
		tl.stop()
		indexBytes := bench.DirSize(filepath.Join(dir, "index"))
		storeBytes := bench.DirSize(dir) - indexBytes
		b.ReportMetric(float64(rep.Saved)/took.Seconds(), "items/s")
		b.ReportMetric(float64(bench.SelfPeakRSS())/1e6, "peakRSS-MB")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(indexBytes)/1e6, "index-MB")
		b.ReportMetric(float64(storeBytes)/1e6, "store-MB")
		b.ReportMetric(float64(segs), "segments")
		fmt.Fprintf(os.Stderr, "chancery: %d items in %s (store written after %s; CPU %s): %.0f items/s, peak RSS %d MB, index %d MB + store %d MB = %d MB, %d segments (GOMAXPROCS %d)\n",
			rep.Saved, took.Round(time.Millisecond), stored.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(rep.Saved)/took.Seconds(),
			bench.SelfPeakRSS()>>20, indexBytes>>20, storeBytes>>20, (indexBytes+storeBytes)>>20, segs, runtime.GOMAXPROCS(0))
	}
}

// BenchmarkBuildFTS5 is BenchmarkBuildIndex for the FTS5 peer: the same items' title,
// country, year and text, in transactions of importer.BatchSize rows, then optimize.
func BenchmarkBuildFTS5(b *testing.B) {
	corpus, co := buildCorpus(b)
	for b.Loop() {
		dir := b.TempDir()
		ctx := context.Background()
		cpu0 := bench.CPUTime()
		start := time.Now()
		db, err := fts5peer.Open(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		var rows []fts5peer.Row
		n := 0
		flush := func() error {
			err := db.Insert(ctx, rows)
			n += len(rows)
			rows = rows[:0]
			return err
		}
		_, err = importer.EachCorpusItem(ctx, corpus, co, func(_ string, it store.Item) error {
			var country string
			if len(it.Countries) > 0 {
				country = it.Countries[0]
			}
			rows = append(rows, fts5peer.Row{ID: it.SourceKey, Title: it.Title, Country: country, Year: it.Date.Year(), Body: it.Body})
			if len(rows) >= importer.BatchSize {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err == nil {
			err = db.Optimize(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		took, cpu := time.Since(start), bench.CPUTime()-cpu0
		size := bench.DirSize(dir)
		b.ReportMetric(float64(n)/took.Seconds(), "items/s")
		b.ReportMetric(float64(bench.SelfPeakRSS())/1e6, "peakRSS-MB")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(size)/1e6, "db-MB")
		fmt.Fprintf(os.Stderr, "fts5: %d items in %s (CPU %s): %.0f items/s, peak RSS %d MB, database %d MB\n",
			n, took.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(n)/took.Seconds(), bench.SelfPeakRSS()>>20, size>>20)
	}
}

// buildCorpus is the corpus file and the items to build from, or skips when the corpus is
// missing.
func buildCorpus(b *testing.B) (string, importer.CorpusOptions) {
	corpus := os.Getenv("CHANCERY_CORPUS")
	if corpus == "" {
		corpus = filepath.Join("..", "..", "..", "..", "shared", "corpora", "ungd", "ungd-1946-2024.jsonl.gz")
	}
	if _, err := os.Stat(corpus); err != nil {
		b.Skipf("no corpus at %s (set CHANCERY_CORPUS)", corpus)
	}
	co := importer.CorpusOptions{Paragraphs: true, Limit: 10952}
	if s := strings.TrimSpace(os.Getenv("CHANCERY_BUILD_ITEMS")); s == "all" || s == "0" {
		co.Limit = 0
	} else if s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			b.Fatalf("CHANCERY_BUILD_ITEMS=%q: a number of items, or all", s)
		}
		co.Limit = n
	}
	return corpus, co
}

// heapProfiles writes a heap profile to $CHANCERY_BUILD_HEAPPROFILE each time the heap
// grows by a tenth over the largest it has been, so that the last one written shows what
// the heap held near its peak (go tool pprof -sample_index=inuse_space). It returns the
// function that stops it.
func heapProfiles(b *testing.B) func() {
	path := os.Getenv("CHANCERY_BUILD_HEAPPROFILE")
	if path == "" {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var peak uint64
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(os.Stderr, "heap objects peaked at about %d MB\n", peak>>20)
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak+peak/10 {
				peak = v
				f, err := os.Create(path)
				if err != nil {
					b.Error(err)
					return
				}
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}()
	return func() { close(done); <-stopped }
}
