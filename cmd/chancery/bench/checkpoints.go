package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"chancery/cmd/chancery/bench/fts5peer"
	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

// The engines the bench builds, by the name a build worker is given.
const (
	EngineChancery = "chancery"
	EngineTuned    = "fts5-tuned"
	EngineDefault  = "fts5"
)

// TunedDir is the tuned FTS5 peer's folder inside a benchmark's work folder.
const TunedDir = "fts5tuned"

// Statements is the number of statements in the UN General Debate corpus: the size of the
// statements scale, and the first point of the curve.
const Statements = 10952

// CurveSizes are the curve's points, in items: the statements, then paragraphs after them,
// up to the whole corpus with its paragraphs (0: 233,523 items).
var CurveSizes = []int{Statements, 50000, 120000, 0}

// BuildOptions say what a build makes and where it stops to be measured.
type BuildOptions struct {
	// Paragraphs builds the larger corpus: every statement, then every paragraph of every
	// statement (importer.CorpusOptions.Paragraphs).
	Paragraphs bool
	// Sizes are the checkpoints, in items, ascending: the build stops at each one, makes
	// its index ready to be read by another process (Chancery's store and index closed,
	// FTS5's segments merged), calls Checkpoint with its figures so far, and goes on when
	// Checkpoint returns. The last size ends the build (none: the whole corpus). A size
	// beyond the corpus ends it at the corpus's end.
	Sizes []int
	// Checkpoint receives the figures at each checkpoint; the last call has Final set.
	Checkpoint func(Build) error
	// PeakRSS, when set, is the building process's peak resident memory so far, in bytes.
	PeakRSS func() int64
}

// loader is one engine's side of a build.
type loader interface {
	open(ctx context.Context) error
	add(ctx context.Context, it store.Item) error
	// ready flushes what is pending and leaves the folder ready to be read by another
	// process (closed), filling in the sizes on disk.
	ready(ctx context.Context, b *Build) error
}

// build runs a loader over the corpus items with checkpoints. The time a build reports at a
// checkpoint is the time spent adding items so far plus this checkpoint's ready (the
// earlier checkpoints' ready and the pauses are not counted): what building that many items
// at once costs, as near as one build can tell.
func build(ctx context.Context, corpus string, l loader, b Build, opt BuildOptions) (Build, error) {
	if err := CheckCorpus(corpus); err != nil {
		return b, err
	}
	sizes := normalSizes(opt.Sizes)
	limit := 0
	if len(sizes) > 0 {
		limit = sizes[len(sizes)-1] // 0: the whole corpus
	}
	if err := l.open(ctx); err != nil {
		return b, err
	}
	var adding time.Duration
	start := time.Now()
	next := 0
	checkpoint := func(final bool) error {
		adding += time.Since(start)
		t0 := time.Now()
		if err := l.ready(ctx, &b); err != nil {
			return err
		}
		b.Index = time.Since(t0)
		b.Store = adding
		b.Total = adding + b.Index
		b.Final = final
		if opt.PeakRSS != nil {
			b.PeakRSS = opt.PeakRSS()
		}
		if opt.Checkpoint != nil {
			if err := opt.Checkpoint(b); err != nil {
				return err
			}
		}
		if final {
			return nil
		}
		if err := l.open(ctx); err != nil {
			return err
		}
		start = time.Now()
		return nil
	}
	failed, err := importer.EachCorpusItem(ctx, corpus, importer.CorpusOptions{Paragraphs: opt.Paragraphs, Limit: limit},
		func(where string, it store.Item) error {
			if err := l.add(ctx, it); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			b.Items++
			if next < len(sizes)-1 && b.Items == sizes[next] {
				next++
				return checkpoint(false)
			}
			return nil
		})
	if err != nil {
		return b, err
	}
	if len(failed) > 0 {
		return b, fmt.Errorf("corpus: %d statements not read, first: %v", len(failed), failed[0])
	}
	return b, checkpoint(true)
}

// BuildChanceryAt builds a Chancery knowledge base from the corpus items in dir: the items
// go to the store in transactions of importer.BatchSize (store.DB.SaveImported, as
// `chancery import` saves them), and the index, which follows the store by itself, indexes
// them as they come; at each checkpoint the index catches up with the store's last change
// and both are closed. dir is emptied first only when the bench made it (see BuildChancery).
func BuildChanceryAt(ctx context.Context, corpus, dir string, opt BuildOptions) (Build, error) {
	if err := CheckCorpus(corpus); err != nil {
		return Build{Engine: "Chancery"}, err
	}
	if err := freshChancery(dir); err != nil {
		return Build{Engine: "Chancery"}, err
	}
	return build(ctx, corpus, &chanceryLoader{dir: dir}, Build{Engine: "Chancery"}, opt)
}

type chanceryLoader struct {
	dir     string
	db      *store.DB
	ix      *search.Index
	pending []store.Item
}

func (l *chanceryLoader) open(ctx context.Context) error {
	db, err := store.Open(ctx, l.dir)
	if err != nil {
		return err
	}
	ix, err := search.Open(filepath.Join(l.dir, "index"), db)
	if err != nil {
		db.Close()
		return err
	}
	l.db, l.ix = db, ix
	return nil
}

func (l *chanceryLoader) flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	if _, err := l.db.SaveImported(ctx, l.pending); err != nil {
		return fmt.Errorf("saving items up to %s: %w", l.pending[len(l.pending)-1].SourceKey, err)
	}
	l.pending = l.pending[:0]
	return nil
}

func (l *chanceryLoader) add(ctx context.Context, it store.Item) error {
	l.pending = append(l.pending, it)
	if len(l.pending) >= importer.BatchSize {
		return l.flush(ctx)
	}
	return nil
}

func (l *chanceryLoader) ready(ctx context.Context, b *Build) error {
	err := l.flush(ctx)
	if err == nil {
		var last int64
		if last, err = l.db.LastSeq(ctx); err == nil {
			err = l.ix.WaitFor(ctx, last)
		}
	}
	err = errors.Join(err, l.ix.Close(), l.db.Close())
	if err != nil {
		return err
	}
	b.Bytes = DirSize(filepath.Join(l.dir, "index"))
	b.StoreBytes = DirSize(l.dir) - b.Bytes
	return nil
}

// BuildFTS5At loads the same items into the default FTS5 peer in dir (emptied first only
// when the bench made it): their IDs (the corpus record's, "GHA_45_1990" or
// "GHA_45_1990#3" for a paragraph), titles and texts, in transactions of
// importer.BatchSize rows, then FTS5's optimize at each checkpoint.
func BuildFTS5At(ctx context.Context, corpus, dir string, opt BuildOptions) (Build, error) {
	if err := CheckCorpus(corpus); err != nil {
		return Build{Engine: "FTS5"}, err
	}
	if err := freshFTS5(dir); err != nil {
		return Build{Engine: "FTS5"}, err
	}
	return build(ctx, corpus, &fts5Loader{dir: dir}, Build{Engine: "FTS5"}, opt)
}

// BuildTunedAt loads the same items into the tuned FTS5 peer in dir, as BuildFTS5At does
// for the default one.
func BuildTunedAt(ctx context.Context, corpus, dir string, opt BuildOptions) (Build, error) {
	if err := CheckCorpus(corpus); err != nil {
		return Build{Engine: "FTS5 tuned"}, err
	}
	if err := freshFTS5(dir); err != nil {
		return Build{Engine: "FTS5 tuned"}, err
	}
	return build(ctx, corpus, &fts5Loader{dir: dir, tuned: true}, Build{Engine: "FTS5 tuned"}, opt)
}

type fts5Loader struct {
	dir   string
	tuned bool
	db    *fts5peer.DB
	tdb   *fts5peer.Tuned
	rows  []fts5peer.Row
	trows []fts5peer.TunedRow
}

func (l *fts5Loader) open(ctx context.Context) (err error) {
	if l.tuned {
		l.tdb, err = fts5peer.OpenTuned(ctx, l.dir)
	} else {
		l.db, err = fts5peer.Open(ctx, l.dir)
	}
	return err
}

// ItemID is the ID both peers and the tables give a corpus item: its source key without
// "ungd:" ("GHA_45_1990", "GHA_45_1990#3").
func ItemID(sourceKey string) string { return strings.TrimPrefix(sourceKey, "ungd:") }

// StatementOf is the statement an item ID belongs to: itself, or the statement of a
// paragraph ("GHA_45_1990#3" → "GHA_45_1990").
func StatementOf(id string) string {
	s, _, _ := strings.Cut(id, "#")
	return s
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func (l *fts5Loader) add(ctx context.Context, it store.Item) error {
	id, country, year := ItemID(it.SourceKey), first(it.Countries), it.DisplayDate().Year()
	if l.tuned {
		l.trows = append(l.trows, fts5peer.TunedRow{ID: id, Kind: string(it.Kind), Country: country,
			Topic: first(it.Topics), Year: year, Title: it.Title, Body: it.Body})
	} else {
		l.rows = append(l.rows, fts5peer.Row{ID: id, Title: it.Title, Country: country, Year: year, Body: it.Body})
	}
	if len(l.rows)+len(l.trows) >= importer.BatchSize {
		return l.flush(ctx)
	}
	return nil
}

func (l *fts5Loader) flush(ctx context.Context) error {
	var err error
	if l.tuned && len(l.trows) > 0 {
		err = l.tdb.Insert(ctx, l.trows)
	} else if !l.tuned && len(l.rows) > 0 {
		err = l.db.Insert(ctx, l.rows)
	}
	l.rows, l.trows = l.rows[:0], l.trows[:0]
	return err
}

func (l *fts5Loader) ready(ctx context.Context, b *Build) error {
	err := l.flush(ctx)
	if l.tuned {
		if err == nil {
			err = l.tdb.Optimize(ctx)
		}
		err = errors.Join(err, l.tdb.Close())
	} else {
		if err == nil {
			err = l.db.Optimize(ctx)
		}
		err = errors.Join(err, l.db.Close())
	}
	b.Bytes = DirSize(l.dir)
	return err
}
