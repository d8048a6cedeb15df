package search

import (
	"context"
	"errors"
	"testing"
	"time"
)

// isReadOnly tells whether the index is open read-only (after a failed write).
func (ix *Index) isReadOnly() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.bi != nil && ix.readOnly
}

// TestHaltReopensReadOnly (D8): after a failed write the index is reopened read-only, so that
// Bleve does no background work (its merger would only fail again on a full disk, for ever),
// searches go on, and the next catch-up opens it for writing again.
func TestHaltReopensReadOnly(t *testing.T) {
	ctx := context.Background()
	ix, save := openWithBatches(t, 2)
	ix.halt(ix.run.Load(), errors.New("no space left on device"))
	if !ix.isReadOnly() {
		t.Fatal("after a failed write the index is not open read-only")
	}
	if res, err := ix.Search(ctx, "river", Options{}); err != nil || res.Total != 100 {
		t.Fatalf("search of the read-only index: %d hits, %v; want 100", res.Total, err)
	}
	save(2) // a commit: the follower catches up, opening the index for writing
	if ix.isReadOnly() {
		t.Fatal("a catch-up left the index read-only")
	}
	if res, err := ix.Search(ctx, "river", Options{}); err != nil || res.Total != 150 {
		t.Fatalf("search after the catch-up: %d hits, %v; want 150", res.Total, err)
	}
}

// TestQuiesceStopsBackgroundWork (D8): a catch-up tried again for waiters who have gone puts
// the index back to read-only (quiesce); the next commit is indexed as usual.
func TestQuiesceStopsBackgroundWork(t *testing.T) {
	ctx := context.Background()
	ix, save := openWithBatches(t, 1)
	ix.syncMu.Lock()
	ix.quiesce()
	ix.syncMu.Unlock()
	if !ix.isReadOnly() {
		t.Fatal("quiesce left the index writable")
	}
	if res, err := ix.Search(ctx, "river", Options{}); err != nil || res.Total != 50 {
		t.Fatalf("search of the quiesced index: %d hits, %v; want 50", res.Total, err)
	}
	save(1)
	if ix.isReadOnly() {
		t.Fatal("a catch-up left the index read-only")
	}
}

// TestPacedBatches: a paced catch-up's batches are sized to about pacedBatch of work each,
// growing at most twice, never past maxBatch, never empty.
func TestPacedBatches(t *testing.T) {
	for _, c := range []struct {
		n    int
		took time.Duration
		want int
	}{
		{8, pacedBatch / 10, 16},     // fast: twice as many, no more
		{8, 4 * pacedBatch, 2},       // slow: fewer
		{400, pacedBatch / 100, 500}, // never past maxBatch
		{1, 100 * pacedBatch, 1},     // never empty
		{10, 0, 20},                  // no time measured: twice as many
	} {
		if got := nextPacedBatch(c.n, c.took); got != c.want {
			t.Errorf("nextPacedBatch(%d, %s) = %d, want %d", c.n, c.took, got, c.want)
		}
	}
}
