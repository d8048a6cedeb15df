package search

import (
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv17 "github.com/blevesearch/zapx/v17"
)

// TestMergeReleasesPages: a merge through Chancery's segment plugin leaves none of the
// pages of the segment files it read resident in the process (they were, before it), the
// files' contents as they were, and the merged segment holding every document.
func TestMergeReleasesPages(t *testing.T) {
	// Each segment file comes from an index of its own, closed before the merge: a live
	// index's own merger and reads would map the same pages while the test counts them.
	words := strings.Repeat("sediment basin gauge reading delta ", 2000) // ~70 kB a document
	const files, perFile = 3, 4
	var (
		segs  []segment.Segment
		paths []string
		sums  []uint32
		docs  uint64
	)
	for b := range files {
		dir := filepath.Join(t.TempDir(), "index")
		ix, err := Open(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		batch := ix.bi.NewBatch()
		for i := range perFile {
			d := map[string]any{"body_en": fmt.Sprintf("doc%d_%d %s", b, i, words), "title": fmt.Sprintf("Doc %d %d", b, i)}
			if err := batch.Index(fmt.Sprintf("d%d-%d", b, i), d); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.batchDurably(ix.bi, batch); err != nil { // on disk: one segment file
			t.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		found, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		if err != nil || len(found) != 1 {
			t.Fatalf("index %d: segment files %v (%v), want one", b, found, err)
		}
		s, err := (&zapv17.ZapPlugin{}).Open(found[0])
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		m, ok := s.(mapped)
		if !ok {
			t.Fatalf("segment %s is not read through a map", found[0])
		}
		segs = append(segs, m)
		paths = append(paths, m.Path())
		sums = append(sums, crc32.ChecksumIEEE(m.Data())) // reads every page
		docs += m.Count()
	}
	if kb := residentKiB(t, paths); kb == 0 {
		t.Fatalf("no page of the segment files read is resident: the test shows nothing")
	}
	out := filepath.Join(t.TempDir(), "merged.zap")
	_, _, err := releasingPlugin{&zapv17.ZapPlugin{}}.MergeUsing(segs, make([]*roaring.Bitmap, len(segs)), out, make(chan struct{}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if kb := residentKiB(t, paths); kb != 0 {
		t.Errorf("%d KiB of the merged segment files still resident after the merge", kb)
	}
	for i, s := range segs {
		if sum := crc32.ChecksumIEEE(s.(mapped).Data()); sum != sums[i] {
			t.Errorf("segment %s reads otherwise after its pages were released", paths[i])
		}
	}
	merged, err := (&zapv17.ZapPlugin{}).Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	if merged.Count() != docs {
		t.Errorf("merged segment holds %d documents, want %d", merged.Count(), docs)
	}
}

// residentKiB is how many KiB of the files at paths are resident in this process's maps
// (/proc/self/smaps).
func residentKiB(t *testing.T, paths []string) int64 {
	t.Helper()
	b, err := residentOf(paths)
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	return b >> 10
}
