package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// compactID is the ID of a placeholder document that compact adds for the time of a merge:
// Bleve merges two segments or more, never one alone.
const compactID = "chancery:compact"

// compact rewrites the index's segments without the documents deleted from them, and has
// the files that held them removed: Bleve's deletion only marks a document, whose text stays
// in its segment file until a merge rewrites it, and in the old file until nothing refers
// to it. It costs a rewrite of the whole index, so a catch-up does it only after a purge. It
// reports whether the index is clean afterwards (a single segment, no deleted document left
// but the placeholder, no other segment file); when it is not, the catch-up rebuilds the index. The
// caller holds syncMu.
func (ix *Index) compact(ctx context.Context) (clean bool, err error) {
	ix.mu.RLock()
	bi, err := ix.bi, ix.unavailable()
	ix.mu.RUnlock()
	if err != nil {
		return false, err
	}
	adv, err := bi.Advanced()
	if err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return false, nil
	}
	b := bi.NewBatch()
	if err := b.Index(compactID, map[string]any{}); err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	if err := ix.batchDurably(bi, b); err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	if err := sc.ForceMerge(ctx, &opts); err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	b = bi.NewBatch()
	b.Delete(compactID)
	b.SetInternal(keySeq, []byte(strconv.FormatInt(ix.applied.Load(), 10)))
	if err := ix.batchDurably(bi, b); err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	// Reopening removes the segment files no snapshot on disk refers to any more.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed || ix.bi != bi {
		return false, nil
	}
	if err := ix.closeBleve(); err != nil {
		return false, fmt.Errorf("search: compact index: %w", err)
	}
	ix.facets.reset()
	if _, err := ix.load(); err != nil {
		ix.broken = err
		return false, fmt.Errorf("search: reopen index after compacting it: %w", err)
	}
	return ix.compacted(), nil
}

// interruptedCompact tells whether the index holds compact's placeholder: a compact was
// interrupted (the process killed) between adding and removing it. The caller holds mu.
func (ix *Index) interruptedCompact() bool {
	d, err := ix.bi.Document(compactID)
	return err == nil && d != nil
}

// compacted tells whether the index holds no deleted document but the placeholder, and no
// segment file but those it uses. The caller holds mu.
func (ix *Index) compacted() bool {
	var deleted uint64
	used := map[string]bool{}
	err := ix.eachSegment(func(ss *scorch.SegmentSnapshot, path string) {
		if d := ss.Deleted(); d != nil {
			deleted += d.GetCardinality()
		}
		used[filepath.Base(path)] = true
	})
	if err != nil || deleted > 1 {
		return false
	}
	files, err := filepath.Glob(filepath.Join(ix.bleveStorePath(), "*.zap"))
	if err != nil {
		return false
	}
	for _, f := range files {
		if !used[filepath.Base(f)] {
			if _, err := os.Stat(f); err == nil {
				return false
			}
		}
	}
	return true
}
