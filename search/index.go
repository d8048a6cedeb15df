package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"chancery/store"
)

// MappingVersion is the version of the index's mapping. An index built with another
// version is thrown away and rebuilt from the store.
const MappingVersion = "2"

var (
	keyVersion = []byte("chancery:mapping-version")
	keySeq     = []byte("chancery:seq")
	keyLangs   = []byte("chancery:languages")
	keyDB      = []byte("chancery:database")
)

// Source is what the index is derived from: the store's change feed. *store.DB is one.
type Source interface {
	LastSeq(ctx context.Context) (int64, error)
	PendingChanges(ctx context.Context, since int64) (int, error)
	EachChange(ctx context.Context, since int64, chunk int, fn func(store.Change) error) error
	LiveIDs(ctx context.Context) (map[string]bool, error)
	GetMany(ctx context.Context, ids []string) ([]store.Item, error)
	// Subscribe signals each commit that moved the change sequence (store.DB.Subscribe):
	// the index follows the store by it.
	Subscribe() (c <-chan struct{}, cancel func())
	// Identity tells one database from another (store.DB.Identity): an index built from
	// another database is rebuilt.
	Identity() string
}

// Progress reports how far a long piece of work has come: done of total items.
type Progress func(done, total int)

// Index is the full-text index of a knowledge base, kept in a folder of its own.
type Index struct {
	dir string
	src Source

	mu     sync.RWMutex // guards bi; held for writing only while it is replaced
	bi     bleve.Index  // nil while there is none (closed after a failure: see health.go)
	closed bool
	langs  map[string]bool // languages present, by body field
	syncMu sync.Mutex      // one catch-up at a time (catchup.go)
	facets facetCache

	// Opened says how the index was found on opening: "ok", or why it was rebuilt.
	Opened string

	broken   error      // why bi is unusable, nil when it is fine
	readOnly bool       // bi was opened read-only after a failed write (health.go): a catch-up reopens it for writing
	failures chan error // Bleve's background write failures, in words
	halting  atomic.Bool

	run           atomic.Pointer[bleveRun] // the Bleve index opened last, for its background work's failures (health.go)
	writeFailures atomic.Int64             // the failed writes Bleve reported
	asked         chan struct{}            // kick, for a WaitFor: forgotten when a catch-up fails (catchup.go)

	life context.Context // ends when the index is closed: background work stops
	stop context.CancelFunc
	bg   sync.WaitGroup // background work: the follower (catchup.go), damage.go
	kick chan struct{}  // asks the follower for one more catch-up

	building    atomic.Bool
	done, total atomic.Int64
	applied     atomic.Int64 // the change the batches on disk complete
	settled     atomic.Int64 // the change a catch-up finished with, on disk and compacted (WaitFor)

	state        sync.Mutex // guards what follows
	lastErr      error      // the last catch-up's failure, nil once one succeeds
	failCount    int        // catch-ups failed so far
	listeners    map[int]Progress
	nextListener int
	calling      sync.Mutex // held while listeners are called (report)

	waiting   int                     // WaitFor calls under way (guarded by state)
	stopRetry context.CancelCauseFunc // stops the catch-up retryForWaiters runs, if any (state)

	signals store.Signals // the index's subscribers (Subscribe) and WaitFor
}

// Status is the index's state, for a progress display.
type Status struct {
	Building    bool  // catching up with the store
	Done, Total int   // items indexed of those to index, while building (after: the last catch-up's)
	Applied     int64 // the store's change sequence number the index is up to date with
	Err         error // the last catch-up's failure, in words; nil once a later one succeeds
}

// Open opens the index in dir, or creates it empty when it is missing, was built with
// another mapping version, or cannot be opened (it is a cache: see the package doc), and
// starts following src: the index catches up with it at once, and again after each commit
// src announces, until Close (catchup.go). WaitFor waits until a change is searchable. A
// nil src (tests of the index alone) is not followed.
func Open(dir string, src Source) (*Index, error) {
	ix := &Index{dir: dir, src: src, langs: map[string]bool{}, failures: make(chan error, 1), kick: make(chan struct{}, 1), asked: make(chan struct{}, 1)}
	ix.life, ix.stop = context.WithCancel(context.Background())
	watch(ix)
	opened, err := ix.load()
	if err != nil {
		ix.stop()
		unwatch(ix)
		return nil, err
	}
	ix.Opened = opened
	if src != nil {
		commits, cancel := src.Subscribe() // before the first catch-up: no commit is missed
		ix.bg.Add(1)
		go ix.follow(commits, cancel)
	}
	return ix, nil
}

// load opens the index in ix.dir for writing, or creates it empty when it must be rebuilt,
// and says which: "ok", or why it is rebuilt. The caller holds mu, or has ix to itself.
func (ix *Index) load() (string, error) { return ix.loadAs(false) }

// loadAs is load, or, read-only (after a failed write: see halt), opens the index as it is on
// disk for searches, without Bleve's background work, and fails instead of creating it.
func (ix *Index) loadAs(readOnly bool) (string, error) {
	ix.bi = nil
	ix.readOnly = readOnly
	ix.langs = map[string]bool{}
	ix.applied.Store(0)
	ix.settled.Store(0)
	var opened string
	bi, v, err := openBleve(ix.dir, readOnly)
	switch {
	case err == nil:
		ix.started(bi)
		if string(v) == MappingVersion {
			ix.bi, opened = bi, "ok"
		} else {
			bi.Close()
			opened = fmt.Sprintf("built with mapping version %q, this Chancery uses %q: rebuilding", v, MappingVersion)
		}
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
		opened = "missing: building"
	case isTimeout(err):
		return "", fmt.Errorf("search: open index %s: it is in use by another process", ix.dir)
	default:
		opened = fmt.Sprintf("could not be opened (%v): rebuilding", err)
	}
	if ix.bi == nil {
		if readOnly {
			return opened, fmt.Errorf("search: open index %s: %s", ix.dir, opened)
		}
		return opened, ix.create()
	}
	seq, err := ix.bi.GetInternal(keySeq)
	if err == nil && len(seq) > 0 {
		n, _ := strconv.ParseInt(string(seq), 10, 64)
		ix.applied.Store(n)
		ix.settled.Store(n)
	}
	if why := ix.replacedDatabase(); why != "" {
		ix.bi.Close()
		ix.bi = nil
		if readOnly {
			return why, fmt.Errorf("search: open index %s: it %s", ix.dir, why)
		}
		return why + ": rebuilding", ix.create()
	}
	if !readOnly && ix.interruptedCompact() {
		// Killed while compacting after a purge: the purged items' text may remain in
		// the segment files, and the placeholder in the index. Rebuilt, neither does.
		ix.bi.Close()
		ix.bi = nil
		return "was interrupted while it removed purged items: rebuilding", ix.create()
	}
	if b, err := ix.bi.GetInternal(keyLangs); err == nil && len(b) > 0 {
		_ = json.Unmarshal(b, &ix.langs)
	}
	go ix.warmFacets()
	return opened, nil
}

// openBleve opens the Bleve index in dir, read-only or not, and reads its mapping version.
// Bleve panics on some damaged segment files: that is an error here (the index is then
// rebuilt).
func openBleve(dir string, readOnly bool) (bi bleve.Index, version []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			bi, version, err = nil, nil, fmt.Errorf("damaged: %v", r)
		}
	}()
	config := indexConfig()
	if readOnly {
		config["read_only"] = true // no persister, no merger: nothing is written
	}
	bi, err = bleve.OpenUsing(dir, config)
	if err != nil {
		return nil, nil, err
	}
	version, err = bi.GetInternal(keyVersion)
	if err != nil {
		bi.Close()
		return nil, nil, err
	}
	return bi, version, nil
}

// replacedDatabase tells why the index cannot be brought up to date from src by its change
// feed, "" when it can: it was built from another database (another Identity), or it has
// applied changes the database does not have (the database was replaced by an older copy of
// itself, such as a restored backup).
func (ix *Index) replacedDatabase() string {
	if ix.src == nil {
		return ""
	}
	if id, err := ix.bi.GetInternal(keyDB); err != nil || string(id) != ix.src.Identity() {
		if err == nil && len(id) == 0 {
			return "records no database identity"
		}
		return "was built from another database"
	}
	last, err := ix.src.LastSeq(context.Background())
	if err == nil && ix.applied.Load() > last {
		return fmt.Sprintf("is ahead of its database (change %d, the database at %d): the database was replaced by an older copy", ix.applied.Load(), last)
	}
	return ""
}

func isTimeout(err error) bool {
	return err != nil && strings.Contains(err.Error(), "timeout")
}

// create replaces whatever is in dir with a new, empty index.
func (ix *Index) create() error {
	ix.bi = nil
	if err := clearDir(ix.dir); err != nil {
		return fmt.Errorf("search: remove old index %s: %w", ix.dir, err)
	}
	bi, err := bleve.NewUsing(ix.dir, newMapping(), "scorch", "scorch", indexConfig())
	if err != nil {
		return fmt.Errorf("search: create index %s: %w", ix.dir, err)
	}
	ix.started(bi)
	ix.readOnly = false
	b := bi.NewBatch()
	b.SetInternal(keyVersion, []byte(MappingVersion))
	if ix.src != nil {
		b.SetInternal(keyDB, []byte(ix.src.Identity()))
	}
	if err := ix.batchDurably(bi, b); err != nil {
		bi.Close()
		return fmt.Errorf("search: create index %s: %w", ix.dir, err)
	}
	ix.bi = bi
	ix.facets.reset()
	ix.langs = map[string]bool{}
	ix.applied.Store(0)
	ix.settled.Store(0)
	return nil
}

// clearDir removes what dir holds, keeping dir itself (it may be a mount point).
func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return os.RemoveAll(dir) // not a folder: a file in the way
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the follower (a catch-up under way stops; what its batches completed is
// kept) and closes the index. It closes the channels of the index's subscriptions.
func (ix *Index) Close() error {
	ix.stop()
	ix.bg.Wait()
	defer ix.signals.Close()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	unwatch(ix)
	ix.facets.reset()
	return ix.closeBleve()
}

// Status tells whether the index is catching up, how far it has come, and how the last
// catch-up ended.
func (ix *Index) Status() Status {
	ix.state.Lock()
	err := ix.lastErr
	ix.state.Unlock()
	return Status{Building: ix.building.Load(), Done: int(ix.done.Load()), Total: int(ix.total.Load()),
		Applied: ix.applied.Load(), Err: err}
}

// Applied is the store's change sequence number the index is up to date with.
func (ix *Index) Applied() int64 { return ix.applied.Load() }

// Rebuild throws the index away and builds it again from the store, in the caller's
// goroutine (the follower waits for it), reporting to progress.
func (ix *Index) Rebuild(ctx context.Context, progress Progress) error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	_ = ix.closeBleve() // thrown away: an error closing it does not matter
	err := ix.create()
	ix.mu.Unlock()
	if err != nil {
		return err
	}
	return ix.catchUpLocked(ctx, progress)
}

// maxBatch is how many items a catch-up puts in one batch at most (see also maxBatchText).
const maxBatch = 500

// sync is one pass of a catch-up, under syncMu (catchUpWork). It reports whether an item
// indexed before was purged.
func (ix *Index) sync(ctx context.Context, progress Progress) (purged bool, err error) {
	if err := ix.reviveAfterFailure(); err != nil {
		return false, err
	}
	ix.drainFailures()
	since := ix.applied.Load()
	// Every change up to last is committed, so the listing below holds all of them.
	last, err := ix.src.LastSeq(ctx)
	if err != nil {
		return false, fmt.Errorf("search: sync: %w", err)
	}
	if last == since {
		return false, nil
	}
	total, err := ix.src.PendingChanges(ctx, since)
	if err != nil {
		return false, fmt.Errorf("search: sync: %w", err)
	}
	ix.done.Store(0)
	ix.total.Store(int64(total))
	ix.building.Store(true)
	defer bulkMemory(total)()
	defer func() { ix.building.Store(false); ix.notify() }()
	ix.report(progress, 0, total)

	ix.mu.RLock()
	bi, err := ix.bi, ix.unavailable() // closed since, or reopened and failed
	ix.mu.RUnlock()
	if err != nil {
		return false, err
	}
	limit := maxBatch // items per batch
	if paced(ctx) {
		limit = firstPacedBatch
	}
	var (
		batch     = bi.NewBatch()
		batchText int
		done      int
		curSeq    = since
		complete  = since // every change with seq <= complete is in a flushed or pending batch
		langsNew  bool
	)
	// flush writes the batch. Batches reach the disk in the background (indexConfig); the
	// last one of a catch-up is waited for, so that one that returns has its work on disk.
	var unpersisted []chan error // the batches handed to Bleve and not on disk yet, oldest first
	// toDisk waits until the batch whose callback sends on persisted is on disk. Bleve
	// retries a failed write for ever; its error comes through ix.failures (see health.go).
	toDisk := func(persisted chan error) error {
		select {
		case err := <-persisted:
			if err != nil {
				return fmt.Errorf("search: write index batch to disk: %w", err)
			}
			return nil
		case err := <-ix.failures:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	flush := func(upTo int64, last bool) error {
		var persisted chan error
		if last || maxUnpersisted > 0 {
			persisted = make(chan error, 1)
			batch.SetPersistedCallback(func(err error) { persisted <- err })
		}
		// Bleve keeps a batch in memory until its persister has written it: handing it more
		// while it is behind piles them up (see maxUnpersisted).
		for maxUnpersisted > 0 && len(unpersisted) >= maxUnpersisted {
			if err := toDisk(unpersisted[0]); err != nil {
				return err
			}
			unpersisted = unpersisted[1:]
		}
		batch.SetInternal(keySeq, []byte(strconv.FormatInt(upTo, 10)))
		if langsNew {
			b, _ := json.Marshal(ix.langs)
			batch.SetInternal(keyLangs, b)
			langsNew = false
		}
		n, start := batch.Size(), time.Now()
		if err := bi.Batch(batch); err != nil {
			if ferr := ix.failure(); ferr != nil { // the index was closed after a failed write
				return ferr
			}
			return fmt.Errorf("search: write index batch: %w", err)
		}
		if paced(ctx) {
			limit = nextPacedBatch(n, time.Since(start))
		}
		// A new batch, not Reset: Bleve's analysis goroutine may still be ranging over the
		// old one's operations after Batch returns (a data race the race detector reports).
		batch = bi.NewBatch()
		batchText = 0
		if last {
			unpersisted = nil
			if err := toDisk(persisted); err != nil {
				return err
			}
		} else if persisted != nil {
			unpersisted = append(unpersisted, persisted)
		}
		// A failed write may have reopened the index from disk since (health.go): then what
		// it holds is what it recorded, not this batch.
		ix.mu.RLock()
		same := ix.bi == bi
		if same {
			ix.applied.Store(upTo)
		}
		ix.mu.RUnlock()
		if !same {
			if ferr := ix.failure(); ferr != nil {
				return ferr
			}
			return fmt.Errorf("search: the index in %s was reopened after a failure while it was being brought up to date", ix.dir)
		}
		ix.report(progress, done, total)
		return nil
	}
	err = ix.src.EachChange(ctx, since, 200, func(c store.Change) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.Seq != curSeq {
			// Every change of curSeq has been seen: a flush may record it.
			complete, curSeq = curSeq, c.Seq
		}
		if batch.Size() >= limit || batchText >= maxBatchText {
			// A flush in the middle of one transaction's changes records only what is
			// complete; the rest of them are indexed again if this catch-up is interrupted.
			if err := flush(complete, false); err != nil {
				return err
			}
		}
		if c.Live() {
			d, field := document(*c.Item)
			ix.mu.Lock()
			if !ix.langs[field] {
				ix.langs[field] = true
				langsNew = true
			}
			ix.mu.Unlock()
			if err := batch.Index(c.ID, d); err != nil {
				return fmt.Errorf("search: index %s: %w", c.ID, err)
			}
			batchText += len(c.Item.Body)
		} else {
			batch.Delete(c.ID)
			purged = purged || (c.Item == nil && since > 0) // a new index never held it
		}
		done++
		ix.done.Store(int64(done))
		if done%100 == 0 {
			ix.notify()
		}
		return nil
	})
	if err != nil {
		if batch.Size() > 0 && complete > ix.applied.Load() && !(paced(ctx) && ctx.Err() != nil) {
			// Keep what is complete; changes after it are indexed again next time. (Not
			// for a paced catch-up stopped: it stops at once.)
			_ = flush(complete, false)
		}
		return false, err
	}
	batch.Delete(compactID) // left behind by an interrupted compact, if any
	if err := flush(max(curSeq, last), true); err != nil {
		return false, err
	}
	go ix.warmFacets()
	return purged, nil
}

// document builds what the index keeps of an item (the table of fields, and the item's text
// in the body field of its language), and names the body field it uses.
func document(it store.Item) (map[string]any, string) {
	field := bodyField(it.Language) // filled by the store when an item is saved without one
	d := map[string]any{field: searchText(it)}
	for _, f := range fields {
		if v := f.value(it); v != nil {
			d[f.name] = v
		}
	}
	return d, field
}

// searchText is the text of an item that plain words are matched against: its body and, by
// kind, the fields a person would search for it by.
func searchText(it store.Item) string {
	var parts []string
	add := func(s ...string) {
		for _, v := range s {
			if v = strings.TrimSpace(v); v != "" {
				parts = append(parts, v)
			}
		}
	}
	labeled := func(ls []store.Labeled) {
		for _, l := range ls {
			add(l.Value)
		}
	}
	switch {
	case it.Contact != nil:
		c := it.Contact
		add(c.Honorific, c.GivenName, c.FamilyName, c.JobTitle, c.Role)
		labeled(c.Emails)
		labeled(c.Phones)
		labeled(c.Addresses)
	case it.Organisation != nil:
		add(it.Organisation.Acronym, it.Organisation.Website)
	case it.Note != nil:
		add(it.Note.Location)
	case it.Document != nil:
		add(it.Document.FileName)
	case it.Briefing != nil:
		add(it.Briefing.Audience)
		for _, s := range it.Briefing.Sections {
			add(s.Heading, s.Text)
		}
	case it.Incident != nil:
		add(it.Incident.Type, it.Incident.Place, it.Incident.Severity, it.Incident.Lead, it.Incident.LeadOrg)
	}
	add(it.Source, it.Body)
	return strings.Join(parts, "\n")
}

// leadText is the start of what an item says, shown for hits that have no matched words to
// highlight (a search by filters only): a contact's job, an organisation's acronym, then
// the body, without Markdown markers, cut at a word after about 200 characters.
func leadText(it store.Item) string {
	var parts []string
	switch {
	case it.Contact != nil:
		parts = append(parts, it.Contact.JobTitle, it.Contact.Role)
	case it.Organisation != nil:
		parts = append(parts, it.Organisation.Acronym)
	case it.Briefing != nil:
		parts = append(parts, it.Briefing.Audience)
	}
	body := it.Body[:min(len(it.Body), 2000)]
	parts = append(parts, strings.NewReplacer("**", "", "__", "", "`", "", "#", "", "> ", "").Replace(body))
	parts = slices.DeleteFunc(parts, func(p string) bool { return strings.TrimSpace(p) == "" })
	words := strings.Fields(strings.Join(parts, " · "))
	n := 0
	for i, w := range words {
		if n += utf8.RuneCountInString(w) + 1; n > 200 {
			words = append(words[:i], "…")
			break
		}
	}
	return strings.ToValidUTF8(strings.Join(words, " "), "")
}

// newMapping is the index's static mapping (MappingVersion). Only what results show is
// stored: title, kind, class, countries, date, a lead, and the body for snippets.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = "standard"

	keyword := func(store, facet bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.DocValues, f.IncludeInAll, f.IncludeTermVectors = store, facet, false, false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range fields {
		stored := f.hit != nil
		switch f.typ {
		case keywordField:
			dm.AddFieldMappingsAt(f.name, keyword(stored, true)) // doc values: every keyword field is a facet or a filter
		case dateField:
			date := bleve.NewDateTimeFieldMapping()
			date.Store, date.IncludeInAll, date.DocValues = stored, false, true
			dm.AddFieldMappingsAt(f.name, date)
		case textField:
			text := bleve.NewTextFieldMapping()
			text.Analyzer, text.Store, text.IncludeInAll, text.IncludeTermVectors, text.DocValues = "standard", stored, false, true, false
			dm.AddFieldMappingsAt(f.name, text)
		case leadField:
			lead := bleve.NewTextFieldMapping()
			lead.Index, lead.Store, lead.IncludeInAll, lead.IncludeTermVectors, lead.DocValues = false, true, false, false, false
			dm.AddFieldMappingsAt(f.name, lead)
		}
	}

	for _, l := range languages {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = l.analyzer, true, false, true, false
		dm.AddFieldMappingsAt(l.field, f)
	}
	im.DefaultMapping = dm
	return im
}

// compare compares the index with the store and returns what disagrees: problems a catch-up
// repairs (changes not applied yet, items missing), and damage, which only a rebuild
// repairs (a segment file failing its checksum, a sample of documents not holding what the
// store does, a read that fails or panics). The caller holds mu for reading.
func (ix *Index) compare(ctx context.Context) (problems, damage []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			damage = append(damage, fmt.Sprintf("reading it failed: %v", r))
		}
	}()
	last, err := ix.src.LastSeq(ctx)
	if err != nil {
		return nil, nil, err
	}
	if applied := ix.applied.Load(); applied != last {
		problems = append(problems, fmt.Sprintf("index is at change %d, the store at %d", applied, last))
	}
	ids, err := ix.src.LiveIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := ix.unavailable(); err != nil {
		return nil, nil, err
	}
	damage = ix.verifySegments(ctx)
	count, err := ix.bi.DocCount()
	if err != nil {
		return problems, append(damage, fmt.Sprintf("counting its documents failed: %v", err)), nil
	}
	if int(count) != len(ids) {
		problems = append(problems, fmt.Sprintf("index holds %d items, the store %d live items", count, len(ids)))
	}
	all := make([]string, 0, len(ids))
	for id := range ids {
		all = append(all, id)
	}
	slices.Sort(all)
	var missing []string
	for chunk := range slices.Chunk(all, 1000) {
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(chunk), len(chunk), 0, false)
		res, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return problems, append(damage, fmt.Sprintf("reading it failed: %v", err)), nil
		}
		if len(res.Hits) == len(chunk) {
			continue
		}
		found := map[string]bool{}
		for _, h := range res.Hits {
			found[h.ID] = true
		}
		for _, id := range chunk {
			if !found[id] {
				missing = append(missing, id)
			}
		}
	}
	if len(missing) > 0 {
		show := missing[:min(5, len(missing))]
		problems = append(problems, fmt.Sprintf("%d items are missing from the index (%s)", len(missing), strings.Join(show, ", ")))
	}
	more, err := ix.compareSample(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	return problems, append(damage, more...), nil
}

// indexConfig is how the index is opened. Batches are not synced to disk one by one
// ("unsafe_batch"): the index is a cache, and each batch carries the store change it
// completes, so after a crash the batches that did not reach the disk are indexed again.
// Another process opening the index gives up after two seconds instead of waiting. Errors
// of Bleve's background work reach Index.writeFailed, and the start of its closing
// releases the goroutines writeFailed holds (health.go).
func indexConfig() map[string]any {
	return map[string]any{"bolt_timeout": "2s", "unsafe_batch": true,
		"asyncErrorCallbackName": asyncErrorCallback, "eventCallbackName": asyncErrorCallback}
}

// batchDurably writes a batch and waits until it is on disk, or until Bleve reports that
// it could not write it (it would retry for ever: see health.go), or the index is closed.
func (ix *Index) batchDurably(bi bleve.Index, b *bleve.Batch) error {
	persisted := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { persisted <- err })
	if err := bi.Batch(b); err != nil {
		return err
	}
	select {
	case err := <-persisted:
		return err
	case err := <-ix.failures:
		return err
	case <-ix.life.Done():
		return fmt.Errorf("search: the index in %s is %w", ix.dir, errUnavailable)
	}
}
