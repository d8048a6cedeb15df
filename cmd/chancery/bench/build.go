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
	Final      bool  // the build's last checkpoint
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

// BuildChancery builds a Chancery knowledge base from the corpus's statements in dir (see
// BuildChanceryAt): the statements become documents with country and year in the store, and
// the index (which follows the store's commits by itself) indexes them as they come, then
// catches up with the last of them. dir is emptied first only when the bench made it (its
// Marker is there) and no Chancery process has it open; otherwise the build is refused,
// naming dir.
func BuildChancery(ctx context.Context, corpus, dir string) (Build, error) {
	return BuildChanceryAt(ctx, corpus, dir, BuildOptions{})
}

// BuildFTS5 loads the same statements into the default FTS5 peer in dir (see BuildFTS5At).
func BuildFTS5(ctx context.Context, corpus, dir string) (Build, error) {
	return BuildFTS5At(ctx, corpus, dir, BuildOptions{})
}

// Open opens the three engines built in work (Chancery, the tuned FTS5 peer, the default
// FTS5 peer, in that order), with the mapping from Chancery's item IDs to the corpus's
// (ItemID). closeAll closes them.
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
	tdir := filepath.Join(work, TunedDir)
	if _, err := os.Stat(filepath.Join(tdir, fts5peer.TunedFileName)); err != nil {
		return nil, nil, fmt.Errorf("no tuned FTS5 peer built in %s: build again", tdir)
	}
	tdb, err := fts5peer.OpenTuned(ctx, tdir)
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() { tdb.Close() })
	fdir := filepath.Join(work, FTS5Dir)
	if _, err := os.Stat(filepath.Join(fdir, fts5peer.FileName)); err != nil {
		return nil, nil, fmt.Errorf("no FTS5 table built in %s", fdir)
	}
	fdb, err := fts5peer.Open(ctx, fdir)
	if err != nil {
		return nil, nil, err
	}
	closers = append(closers, func() { fdb.Close() })
	return []Engine{Chancery{Index: ix, IDs: statements}, FTS5Tuned{DB: tdb}, FTS5{DB: fdb}}, closeAll, nil
}

// DirSize is the size of the files under dir.
func DirSize(dir string) int64 {
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
