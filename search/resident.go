package search

import (
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// ReleaseResident lets go of the pages of the index's segment files that searches have
// read into this process's resident memory. The segments are mapped from disk: what a
// search touches stays resident (file-backed, clean) until the system reclaims it, and on
// 234,000 items ten searches leave some 150 MB of it counted in the process's resident
// set. Released, the pages stay in the system's page cache, so the next search that needs
// them maps them again without reading the disk (unless the system has reclaimed them
// meanwhile). Nothing the index holds changes; a search running meanwhile only maps again
// what it reads. It is safe at any time and from any goroutine: only the files of the
// snapshot it holds open are touched, and they stay mapped while it is held. It returns how
// many bytes of mappings it released (0 where the system offers no way to do so: only
// Linux does).
func (ix *Index) ReleaseResident() int64 {
	if !canRelease {
		return 0
	}
	var released int64
	ix.eachMapped(func(m mapped) {
		releasePages(m.Data())
		released += int64(len(m.Data()))
	})
	return released
}

// Resident is how many bytes of the index's segment files are resident in this process
// (Linux only: 0 elsewhere, or when it cannot be read), as searches left them or
// ReleaseResident let go of them.
func (ix *Index) Resident() int64 {
	var paths []string
	ix.eachMapped(func(m mapped) { paths = append(paths, m.Path()) })
	n, err := residentOf(paths)
	if err != nil {
		return 0
	}
	return n
}

// eachMapped calls f with each segment of the index as it is now that is mapped from a
// file, which stays mapped while f runs (eachSegment); not when the index is closed or
// unavailable.
func (ix *Index) eachMapped(f func(mapped)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.bi == nil {
		return
	}
	_ = ix.eachSegment(func(ss *scorch.SegmentSnapshot, _ string) {
		if m, ok := ss.Segment().(mapped); ok && len(m.Data()) > 0 {
			f(m)
		}
	})
}
