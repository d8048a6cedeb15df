package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/storetest"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// openWithBatches opens an index on a new store and has it index n transactions of 50
// notes, each waited for: a segment each.
func openWithBatches(t *testing.T, n int) (*Index, func(batch int)) {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	ix, err := Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	save := func(batch int) {
		t.Helper()
		var items []store.Item
		for i := range 50 {
			items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d.%d", batch, i), Body: "river gauge reading"})
		}
		if _, err := db.SaveAll(ctx, items); err != nil {
			t.Fatal(err)
		}
		last, _ := db.LastSeq(ctx)
		if err := ix.WaitFor(ctx, last); err != nil {
			t.Fatal(err)
		}
	}
	for b := range n {
		save(b)
	}
	return ix, save
}

// TestCheckSkipsSegmentsBeingWritten (D11): Check verifies the segment files in use and
// those of the snapshots Bleve keeps recorded on disk, and no other: a file no snapshot
// refers to yet, such as the one a merge is still writing (its number taken when the merge
// began, below a batch persisted since), is not damage; a recorded one cut short is.
func TestCheckSkipsSegmentsBeingWritten(t *testing.T) {
	ctx := context.Background()
	ix, _ := openWithBatches(t, 3)
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("Check of a sound index = %q, %v", p, err)
	}
	// With Bleve closed, as Check reads its records: segment numbers start at 1, so this
	// one is numbered below every segment in use, and empty, as a merge's file is when the
	// merge has just begun.
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.closeBleve(); err != nil {
		t.Fatal(err)
	}
	dir := ix.bleveStorePath()
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%012x.zap", 0)), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if damage := verifyRecorded(ctx, dir); len(damage) != 0 {
		t.Errorf("a segment file no snapshot refers to is reported: %q", damage)
	}
	snaps, err := recordedSegments(dir)
	if err != nil || len(snaps) == 0 || len(snaps[0]) == 0 {
		t.Fatalf("recorded snapshots %v, %v", snaps, err)
	}
	if err := os.Truncate(snaps[0][0], 10); err != nil {
		t.Fatal(err)
	}
	if damage := verifyRecorded(ctx, dir); len(damage) == 0 {
		t.Errorf("a recorded segment cut short is not reported")
	}
	if _, err := ix.load(); err != nil {
		t.Log(err) // the index is thrown away with the test
	}
}

// TestCheckFindsDamagedKeptSegment (D11): a segment file that only an older snapshot Bleve
// keeps recorded refers to (a later start may open that snapshot), damaged, is damage that
// Check finds, and the index is rebuilt.
func TestCheckFindsDamagedKeptSegment(t *testing.T) {
	ctx := context.Background()
	ix, save := openWithBatches(t, 3)
	// Bleve drops the older snapshots soon after it opens an index again, so the damage is
	// done while Check has Bleve closed, before it reads the records: to a file that only
	// an older recorded snapshot uses.
	var damaged string
	closedForCheck = func(dir string) {
		snaps, err := recordedSegments(dir)
		if err != nil || len(snaps) < 2 {
			return
		}
		for _, paths := range snaps[1:] {
			for _, p := range paths {
				if slices.Contains(snaps[0], p) || damaged != "" {
					continue
				}
				f, err := os.OpenFile(p, os.O_RDWR, 0)
				if err != nil {
					continue
				}
				st, _ := f.Stat()
				if _, err := f.WriteAt([]byte("damaged by a test"), st.Size()/2); err == nil {
					damaged = p
				}
				f.Close()
			}
		}
	}
	t.Cleanup(func() { closedForCheck = nil })
	for attempt := range 10 {
		save(10 + attempt)
		ix.mu.RLock()
		adv, err := ix.bi.Advanced()
		ix.mu.RUnlock()
		if err != nil {
			t.Fatal(err)
		}
		opts := mergeplan.SingleSegmentMergePlanOptions
		if err := adv.(*scorch.Scorch).ForceMerge(ctx, &opts); err != nil {
			t.Fatal(err)
		}
		p, err := ix.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if damaged == "" {
			if len(p) > 0 {
				t.Fatalf("Check of a sound index = %q", p)
			}
			continue // no older snapshot recorded this time: again
		}
		if len(p) == 0 || !strings.Contains(p[0], "damaged") || !strings.Contains(p[0], "rebuilt") || !strings.Contains(p[0], filepath.Base(damaged)) {
			t.Fatalf("Check = %q: want the damage to %s reported and the index rebuilt", p, filepath.Base(damaged))
		}
		if len(p) > 1 {
			t.Errorf("Check after the rebuild = %q", p)
		}
		return
	}
	t.Fatal("no attempt met a damaged segment kept by an older snapshot")
}
