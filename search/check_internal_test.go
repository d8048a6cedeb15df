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
// began, below a batch persisted since), is not damage.
func TestCheckSkipsSegmentsBeingWritten(t *testing.T) {
	ctx := context.Background()
	ix, _ := openWithBatches(t, 3)
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Fatalf("Check of a sound index = %q, %v", p, err)
	}
	// Segment numbers start at 1: this one is numbered below every segment in use, and
	// empty, as a merge's file is when the merge has just begun. Bleve removes a file no
	// snapshot refers to when it next records one: Check has met the file when the file is
	// still there after it.
	writing := filepath.Join(ix.bleveStorePath(), fmt.Sprintf("%012x.zap", 0))
	for range 20 {
		if err := os.WriteFile(writing, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
			t.Fatalf("Check with a segment file being written = %q, %v: want nothing wrong", p, err)
		}
		if _, err := os.Stat(writing); err == nil {
			return
		}
	}
	t.Fatal("Bleve removed the file each time before Check could meet it")
}

// TestCheckFindsDamagedKeptSegment (D11): a segment file that only an older snapshot Bleve
// keeps recorded refers to (a later start may open that snapshot), damaged, is damage that
// Check finds, and the index is rebuilt.
func TestCheckFindsDamagedKeptSegment(t *testing.T) {
	ctx := context.Background()
	ix, save := openWithBatches(t, 3)
	// keptOnly names the files of the recorded snapshots that the index does not use now.
	keptOnly := func() []string {
		ix.mu.RLock()
		defer ix.mu.RUnlock()
		live := map[string]bool{}
		if err := ix.eachSegment(func(_ *scorch.SegmentSnapshot, p string) { live[p] = true }); err != nil {
			t.Fatal(err)
		}
		var kept []string
		if damage := ix.eachKeptSegment(func(p string) {
			if !live[p] && !slices.Contains(kept, p) {
				kept = append(kept, p)
			}
		}); len(damage) > 0 {
			t.Fatalf("a sound index: %q", damage)
		}
		return kept
	}
	// Bleve drops an older snapshot when it next records one: the damage is done again
	// until Check has met it while it was kept.
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
		kept := keptOnly()
		if len(kept) == 0 {
			continue
		}
		// In place: the file keeps its size (a reader of it may have it mapped).
		f, err := os.OpenFile(kept[0], os.O_RDWR, 0)
		if err != nil {
			continue // removed since
		}
		st, _ := f.Stat()
		_, werr := f.WriteAt([]byte("damaged by a test"), st.Size()/2)
		f.Close()
		if werr != nil {
			t.Fatal(werr)
		}
		p, err := ix.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) > 0 && strings.Contains(p[0], "damaged") && strings.Contains(p[0], "rebuilt") {
			if len(p) > 1 {
				t.Errorf("Check after the rebuild = %q", p)
			}
			return
		}
		if len(p) > 0 {
			t.Fatalf("Check = %q: want the damage reported and the index rebuilt", p)
		}
		if slices.Contains(keptOnly(), kept[0]) {
			t.Fatalf("Check found nothing wrong with %s, damaged and kept by a recorded snapshot", filepath.Base(kept[0]))
		}
		// Bleve dropped the snapshot (and will remove the file) meanwhile: again.
	}
	t.Fatal("no attempt met a damaged segment kept by an older snapshot")
}
