package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chancery/cmd/chancery/bench/fts5peer"
	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

// The engines' folders inside a benchmark's work folder.
const (
	ChanceryDir = "chancery"
	FTS5Dir     = "fts5"
)

// Build is what building one engine's index took.
type Build struct {
	Engine     string
	Items      int
	Store      time.Duration // Chancery: writing the store (the system of record), indexing alongside
	Index      time.Duration // Chancery: the index catching up after the store is written; FTS5: the whole table
	Total      time.Duration
	Bytes      int64 // index size on disk
	StoreBytes int64 // Chancery: the store's database, which FTS5's table has no counterpart of
	PeakRSS    int64 // bytes; 0 when not measured
}

// ErrNoCorpus says the corpus file is not where it was looked for.
var ErrNoCorpus = errors.New("the UN General Debate corpus is missing")

// CheckCorpus returns a clear error when the corpus file is missing.
func CheckCorpus(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%w: %s (give its path with --corpus or $CHANCERY_CORPUS; it is ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz beside the project)", ErrNoCorpus, path)
	}
	return nil
}

// BuildChancery imports the corpus into a new knowledge base in dir, as `chancery import`
// does: statements become documents with country and year in the store, and the index
// (which follows the store's commits by itself) indexes them as they come, then catches up
// with the last of them. dir is
// emptied first only when the bench made it (its Marker is there) and no Chancery process
// has it open; otherwise the build is refused, naming dir.
func BuildChancery(ctx context.Context, corpus, dir string) (Build, error) {
	b := Build{Engine: "Chancery"}
	if err := CheckCorpus(corpus); err != nil {
		return b, err
	}
	if err := freshChancery(dir); err != nil {
		return b, err
	}
	start := time.Now()
	db, err := store.Open(ctx, dir)
	if err != nil {
		return b, err
	}
	defer db.Close()
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		return b, err
	}
	defer ix.Close()
	rep, err := importer.ImportCorpus(ctx, db, corpus, importer.Options{})
	if err != nil {
		return b, err
	}
	if len(rep.Failed) > 0 {
		return b, fmt.Errorf("corpus: %d statements not imported, first: %v", len(rep.Failed), rep.Failed[0])
	}
	b.Store = time.Since(start)
	last, err := db.LastSeq(ctx)
	if err != nil {
		return b, err
	}
	if err := ix.WaitFor(ctx, last); err != nil {
		return b, err
	}
	if err := ix.Close(); err != nil {
		return b, err
	}
	b.Total = time.Since(start)
	b.Index = b.Total - b.Store
	b.Items = rep.Saved
	b.Bytes = dirSize(filepath.Join(dir, "index"))
	b.StoreBytes = dirSize(dir) - b.Bytes
	return b, nil
}

// BuildFTS5 loads the same statements into the FTS5 peer in dir (emptied first only when
// the bench made it, as for BuildChancery): the same title and text
// Chancery stores, in transactions of importer.BatchSize rows, then FTS5's optimize.
func BuildFTS5(ctx context.Context, corpus, dir string) (Build, error) {
	b := Build{Engine: "FTS5"}
	if err := CheckCorpus(corpus); err != nil {
		return b, err
	}
	if err := freshFTS5(dir); err != nil {
		return b, err
	}
	start := time.Now()
	db, err := fts5peer.Open(ctx, dir)
	if err != nil {
		return b, err
	}
	defer db.Close()
	var rows []fts5peer.Row
	flush := func() error {
		err := db.Insert(ctx, rows)
		b.Items += len(rows)
		rows = rows[:0]
		return err
	}
	failed, err := importer.EachStatement(ctx, corpus, func(_ string, st importer.Statement) error {
		c, _ := store.LookupCountry(st.Country)
		rows = append(rows, fts5peer.Row{
			ID:      st.ID,
			Title:   fmt.Sprintf("%s — General Debate %d (session %d)", c.Name, st.Year, st.Session),
			Country: st.Country,
			Year:    st.Year,
			Body:    strings.TrimSpace(st.Text),
		})
		if len(rows) >= importer.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil && len(rows) > 0 {
		err = flush()
	}
	if err != nil {
		return b, err
	}
	if len(failed) > 0 {
		return b, fmt.Errorf("corpus: %d statements not read, first: %v", len(failed), failed[0])
	}
	if err := db.Optimize(ctx); err != nil {
		return b, err
	}
	b.Total = time.Since(start)
	b.Index = b.Total
	b.Bytes = dirSize(dir)
	return b, nil
}

// Open opens the two engines built in work, with the mapping from Chancery's item IDs to
// statement IDs. close closes both.
func Open(ctx context.Context, work string) (engines []Engine, closeAll func(), err error) {
	var closers []func()
	closeAll = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	dir := filepath.Join(work, ChanceryDir)
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		return nil, nil, fmt.Errorf("no Chancery knowledge base built in %s", dir)
	}
	db, err := store.Open(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() { db.Close() })
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() { ix.Close() })
	if ix.Opened != "ok" {
		return nil, nil, fmt.Errorf("the index in %s is not usable (%s): build again", dir, ix.Opened)
	}
	last, err := db.LastSeq(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := ix.WaitFor(ctx, last); err != nil {
		return nil, nil, err
	}
	ids, err := db.SourceKeysWithPrefix(ctx, "ungd:")
	if err != nil {
		return nil, nil, err
	}
	statements := make(map[string]string, len(ids))
	for key, id := range ids {
		statements[id] = strings.TrimPrefix(key, "ungd:")
	}
	fdir := filepath.Join(work, FTS5Dir)
	if _, err := os.Stat(filepath.Join(fdir, fts5peer.FileName)); err != nil {
		return nil, nil, fmt.Errorf("no FTS5 table built in %s", fdir)
	}
	fdb, err := fts5peer.Open(ctx, fdir)
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() { fdb.Close() })
	return []Engine{Chancery{Index: ix, IDs: statements}, FTS5{DB: fdb}}, closeAll, nil
}

// dirSize is the size of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
