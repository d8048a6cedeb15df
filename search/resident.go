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
	ix.withMapped(func(segs []mapped) {
		for _, m := range segs {
			releasePages(m.Data())
			released += int64(len(m.Data()))
		}
	})
	return released
}

// Resident is how many bytes of the index's segment files are resident in this process
// (Linux only: 0 elsewhere, or when it cannot be read), as searches left them or
// ReleaseResident let go of them.
func (ix *Index) Resident() int64 {
	var paths []string
	ix.withMapped(func(segs []mapped) {
		for _, m := range segs {
			paths = append(paths, m.Path())
		}
	})
	n, err := residentOf(paths)
	if err != nil {
		return 0
	}
	return n
}

// withMapped calls f with the segments of the index's current snapshot that are mapped
// from files, holding the snapshot (and so the maps) meanwhile; not when the index is
// closed or unavailable.
func (ix *Index) withMapped(f func([]mapped)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.bi == nil {
		return
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return
	}
	r, err := adv.Reader()
	if err != nil {
		return
	}
	defer r.Close() // the segments stay mapped until then
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return
	}
	var segs []mapped
	for _, s := range snap.Segments() {
		if m, ok := s.Segment().(mapped); ok && len(m.Data()) > 0 {
			segs = append(segs, m)
		}
	}
	f(segs)
}
