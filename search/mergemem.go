package search

import (
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv16 "github.com/blevesearch/zapx/v16"
	zapv17 "github.com/blevesearch/zapx/v17"
)

// Bleve reads the segment files it merges through memory maps: every page of them a merge
// reads stays resident in the process (and counts in its resident memory) until the merged
// segments are let go, after the merge is introduced. Merging the last tiers of a large
// index reads most of the index: 232 MiB of mapped segment files were resident at the peak
// of a build of 10,952 UN statements (434-459 MiB in all), 213 MiB at 233,523 items (443
// MiB), and the merges release them (to 35-53 MiB; figures in the package doc). The pages are file pages the kernel keeps in its page
// cache anyway (as it does for SQLite's reads); only their mapping into this process is
// what counts. So Chancery's segment plugin is Bleve's own (the same files, type "zap",
// versions 16 and 17), except that while a merge runs it tells the kernel, every
// releaseEvery, that the pages of the segments merged are not needed in this process
// (madvise MADV_DONTNEED on Linux, see mergemem_linux.go; nothing elsewhere): a page read
// again comes back from the page cache, its contents unchanged (the maps are shared and
// read-only). Only segments on disk are advised, and only while the merge holds them (the
// merger holds a reference to the snapshot they belong to until the merge returns; the
// goroutine advising them stops before it returns), so a range advised is always still
// the segment's map.

// releaseEvery is how often a merge's segments are released while it runs.
const releaseEvery = 100 * time.Millisecond

func init() {
	scorch.RegisterSegmentPlugin(releasingPlugin{&zapv16.ZapPlugin{}}, false)
	scorch.RegisterSegmentPlugin(releasingPlugin{&zapv17.ZapPlugin{}}, true) // Bleve's default
}

// releasingPlugin is a Bleve segment plugin whose merges release the pages of the
// segments they read (see above).
type releasingPlugin struct{ scorch.SegmentPlugin }

func (p releasingPlugin) Merge(segs []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error) {
	defer releaseWhileMerging(segs)()
	return p.SegmentPlugin.Merge(segs, drops, path, closeCh, s)
}

func (p releasingPlugin) MergeUsing(segs []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter, config map[string]any) ([][]uint64, uint64, error) {
	defer releaseWhileMerging(segs)()
	return p.SegmentPlugin.MergeUsing(segs, drops, path, closeCh, s, config)
}

// mapped is a segment read through a memory map of its file (zapx's *Segment; segments
// still in memory are not).
type mapped interface {
	segment.PersistedSegment
	Data() []byte
}

// releaseWhileMerging releases the mapped pages of segs every releaseEvery until the
// function it returns is called, and once more then; that function returns once the
// releasing has stopped. The caller holds segs for that long.
func releaseWhileMerging(segs []segment.Segment) func() {
	var maps [][]byte
	for _, s := range segs {
		if m, ok := s.(mapped); ok && len(m.Data()) > 0 {
			maps = append(maps, m.Data())
		}
	}
	if len(maps) == 0 || !canRelease {
		return func() {}
	}
	release := func() {
		for _, m := range maps {
			releasePages(m)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(releaseEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				release()
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		release()
	}
}
