package search

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveutil "github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"
)

// A damaged index (bytes changed in a segment file by a failing disk, say) gives wrong
// results, read errors, or panics in Bleve. The index is a cache: whenever a read fails or
// panics, and whenever Check finds damage, it is thrown away and rebuilt from the store.

// sampleSize is how many documents Check compares with the store, spread over the IDs.
const sampleSize = 200

// Check compares the index with the store and returns what disagrees. A damaged index
// (see compare) is rebuilt from the store at once, then compared again; the damage found is
// reported first, saying it was rebuilt.
func (ix *Index) Check(ctx context.Context) ([]string, error) {
	kept, unchecked, err := ix.checkKeptSegments(ctx)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	problems, damage, err := ix.compare(ctx)
	ix.mu.RUnlock()
	problems = append(problems, unchecked...)
	damage = append(kept, damage...)
	if err != nil || len(damage) == 0 {
		return problems, err
	}
	cause := strings.Join(damage, "; ")
	if err := ix.rebuildDamaged(ctx, cause); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	problems, damage, err = ix.compare(ctx)
	ix.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := []string{fmt.Sprintf("the index was damaged (%s): it was rebuilt from the store", cause)}
	out = append(out, problems...)
	for _, d := range damage {
		out = append(out, "still damaged after a rebuild: "+d)
	}
	return out, nil
}

// rebuildDamaged throws a damaged index away and builds it again from the store, taking
// its turn with the follower's catch-ups.
func (ix *Index) rebuildDamaged(ctx context.Context, cause string) error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	if err := ix.recreate(cause); err != nil {
		return err
	}
	if err := ix.catchUpLocked(ctx, nil); err != nil {
		return fmt.Errorf("search: the index was damaged (%s); rebuilding it from the store failed: %w", cause, err)
	}
	return nil
}

// eachSegment calls fn for each segment of the index as it is now, with the path of its
// file ("" for one in memory, not written yet); the files are not removed while fn runs.
// Its error says, as damage, what failed. The caller holds mu.
func (ix *Index) eachSegment(fn func(ss *scorch.SegmentSnapshot, path string)) error {
	adv, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("opening it failed: %v", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("opening a reader failed: %v", err)
	}
	defer r.Close() // keeps the files from being removed while they are read
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil // not scorch (Chancery creates none): no segments to list
	}
	for _, ss := range snap.Segments() {
		path := ""
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			path = p.Path()
		}
		fn(ss, path)
	}
	return nil
}

// verifySegments checks the files of the segments the index reads now against the CRC-32
// written at their end, and names those that fail (checkKeptSegments checks those of the
// snapshots recorded on disk). It checks no other file in the index's folder: one no
// snapshot refers to is a segment Bleve is still writing (a merge, or a batch being
// persisted: segment numbers are taken when the work starts, so a merge begun earlier may
// end after a later batch is in use), or a file it made durable for no recorded snapshot
// yet, or one it is about to remove; Bleve opens none of them at a later start. The caller
// holds mu for reading.
func (ix *Index) verifySegments(ctx context.Context) []string {
	var bad []string
	checked := map[string]bool{}
	verify := func(path, kept string) {
		name := filepath.Base(path)
		if checked[name] || ctx.Err() != nil {
			return
		}
		checked[name] = true
		if err := verifyCRC(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			bad = append(bad, err.Error()+kept)
		}
	}
	err := ix.eachSegment(func(_ *scorch.SegmentSnapshot, path string) {
		if path != "" { // "": in memory, not written yet
			verify(path, "")
		}
	})
	if err != nil {
		return []string{err.Error()}
	}
	return bad
}

// recordedSegments lists, newest snapshot first, the segment files of each snapshot Bleve
// has recorded in its root database (root.bolt in dir): files it wrote in full and synced
// before recording them, and keeps until no recorded snapshot refers to them. Bleve must be
// closed: its root database is then read directly, without Bleve (reading its records
// through a running index races with Bleve's own goroutines).
func recordedSegments(dir string) ([][]string, error) {
	db, err := bolt.Open(filepath.Join(dir, "root.bolt"), 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var snaps [][]string
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bleveutil.BoltSnapshotsBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			snap := b.Bucket(k)
			if v != nil || snap == nil {
				continue
			}
			var paths []string
			err := snap.ForEach(func(sk, sv []byte) error {
				if sv != nil || sk[0] == bleveutil.BoltInternalKey[0] || sk[0] == bleveutil.BoltMetaDataKey[0] {
					return nil
				}
				if seg := snap.Bucket(sk); seg != nil {
					if p := seg.Get(bleveutil.BoltPathKey); p != nil {
						paths = append(paths, filepath.Join(dir, string(p)))
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			snaps = append(snaps, paths)
		}
		return nil
	})
	return snaps, err
}

// verifyRecorded verifies the segment files of every snapshot recorded in the root
// database in dir (recordedSegments; Bleve closed) and returns those that fail, as damage.
// Other files in dir are not read: no snapshot refers to them, and Bleve opens none of them
// at a later start.
func verifyRecorded(ctx context.Context, dir string) (damage []string) {
	snaps, err := recordedSegments(dir)
	if err != nil {
		return []string{fmt.Sprintf("its record of snapshots cannot be read (%v)", err)}
	}
	checked := map[string]bool{}
	for _, paths := range snaps {
		for _, p := range paths {
			if checked[p] || ctx.Err() != nil {
				continue
			}
			checked[p] = true
			if err := verifyCRC(p); err != nil {
				damage = append(damage, err.Error()+" (kept by a snapshot recorded on disk)")
			}
		}
	}
	return damage
}

// checkKeptSegments verifies the segment files of every snapshot Bleve keeps recorded on
// disk (a later start opens the newest, and falls back on an older one), and returns those
// that fail, as damage. It closes the Bleve index for the time it takes (its background
// work stops; nothing is lost: every catch-up waits until its batches are on disk) and
// opens it again. Check is rare (chancery check), so the index is offline for a moment
// rather than read while Bleve writes. A catch-up under way is waited for a moment; when it
// goes on longer, the recorded snapshots are not checked, and a problem says so.
func (ix *Index) checkKeptSegments(ctx context.Context) (damage, problems []string, err error) {
	if !ix.lockCatchUp(ctx, 2*time.Second) {
		return nil, []string{"the snapshots kept on disk were not checked: the index was being brought up to date"}, ctx.Err()
	}
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil, nil, fmt.Errorf("search: the index in %s is %w", ix.dir, errUnavailable)
	}
	if ix.bi == nil {
		return nil, nil, nil // unusable already: compare says why
	}
	ix.facets.reset()
	if err := ix.closeBleve(); err != nil {
		damage = append(damage, fmt.Sprintf("closing it failed: %v", err))
	}
	if closedForCheck != nil {
		closedForCheck(ix.bleveStorePath())
	}
	damage = append(damage, verifyRecorded(ctx, ix.bleveStorePath())...)
	opened, err := ix.loadAs(ix.readOnly) // as it was: read-only after a failed write (health.go)
	if err != nil {
		ix.broken = err
		return damage, nil, err
	}
	if opened != "ok" {
		damage = append(damage, "it could not be opened again: "+opened)
		ix.kickFollower()
	}
	return damage, nil, nil
}

// closedForCheck, when set (by a test), is called while checkKeptSegments has Bleve closed.
var closedForCheck func(dir string)

// lockCatchUp takes the catch-up lock (syncMu), waiting at most wait for a catch-up under
// way to end; it reports whether it took it.
func (ix *Index) lockCatchUp(ctx context.Context, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for !ix.syncMu.TryLock() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// verifyCRC checks a segment file against the CRC-32 (IEEE) of everything before it,
// which is its last four bytes, big-endian.
func verifyCRC(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("segment %s cannot be read: %w", filepath.Base(path), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() < 4 {
		return fmt.Errorf("segment %s is cut short", filepath.Base(path))
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.LimitReader(f, st.Size()-4)); err != nil {
		return fmt.Errorf("segment %s cannot be read: %v", filepath.Base(path), err)
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil {
		return fmt.Errorf("segment %s cannot be read: %v", filepath.Base(path), err)
	}
	want := uint32(tail[0])<<24 | uint32(tail[1])<<16 | uint32(tail[2])<<8 | uint32(tail[3])
	if h.Sum32() != want {
		return fmt.Errorf("segment %s fails its checksum", filepath.Base(path))
	}
	return nil
}

// compareSample compares the stored fields of up to sampleSize documents, spread over ids
// (sorted), with the items in the store. The caller holds mu for reading.
func (ix *Index) compareSample(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var sample []string
	step := max(1, len(ids)/sampleSize)
	for i := 0; i < len(ids) && len(sample) < sampleSize; i += step {
		sample = append(sample, ids[i])
	}
	items, err := ix.src.GetMany(ctx, sample)
	if err != nil {
		return nil, fmt.Errorf("search: check index: %w", err)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(sample), len(sample), 0, false)
	req.Fields = []string{"kind", "title", "class"}
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []string{fmt.Sprintf("reading its documents failed: %v", err)}, nil
	}
	byID := map[string]map[string]any{}
	for _, h := range res.Hits {
		byID[h.ID] = h.Fields
	}
	var wrong []string
	for _, it := range items {
		f, ok := byID[it.ID]
		if !ok {
			continue // reported as missing
		}
		if str(f["title"]) != it.Title || str(f["kind"]) != string(it.Kind) || str(f["class"]) != it.Class {
			wrong = append(wrong, it.ID)
		}
	}
	if len(wrong) > 0 {
		return []string{fmt.Sprintf("%d of %d documents compared with the store differ (%s)", len(wrong), len(sample), strings.Join(wrong[:min(5, len(wrong))], ", "))}, nil
	}
	return nil, nil
}

// isReadError tells whether err, from a search, comes from reading the index (and so may
// mean damage), rather than from the context ending, the index being closed, or a query
// too large.
func isReadError(ctx context.Context, err error) bool {
	return ctx.Err() == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) &&
		!errors.Is(err, errUnavailable) && !strings.Contains(err.Error(), "TooManyClauses")
}

// damaged throws a damaged index away (what a read met: detail) and starts rebuilding it
// from the store in the background; it returns the error a search that met it reports.
func (ix *Index) damaged(detail string) error {
	err := ix.recreate(detail)
	if err == nil {
		ix.kickFollower() // it rebuilds the index in the background, until it is closed
		err = fmt.Errorf("search: the search index was damaged (%s); it is being rebuilt from the store, try again in a moment", detail)
	}
	return err
}

// damagedLater is damaged for a reader that holds mu (or Bleve's background work, which
// closing the index waits for): the work is done in a goroutine, then each of then runs.
func (ix *Index) damagedLater(detail string, then ...func()) {
	ix.bg.Add(1)
	go func() {
		defer ix.bg.Done()
		_ = ix.damaged(detail)
		for _, f := range then {
			f()
		}
	}()
}

// recreate replaces the index by a new, empty one (a catch-up then fills it from the store).
func (ix *Index) recreate(why string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return fmt.Errorf("search: the index in %s is %w", ix.dir, errUnavailable)
	}
	_ = ix.closeBleve() // it is damaged; closing it may fail too
	ix.facets.reset()
	if err := ix.create(); err != nil {
		ix.broken = err
		return fmt.Errorf("search: the index was damaged (%s), and could not be made again: %w", why, err)
	}
	ix.broken = nil
	return nil
}
