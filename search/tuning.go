package search

import (
	"runtime/debug"
	"sync"
)

// How a catch-up holds its memory down (measured with BenchmarkBuildIndex in
// cmd/chancery/bench; the figures are in the package doc).

// maxBatchText is how much text (bytes of item bodies) a catch-up puts in one batch at
// most. Bleve analyses a whole batch before it builds the batch's segment, and the analysed
// words of a batch, with the term locations snippets need, take about 25 times its text:
// 500 statements of the UN corpus (6 MB) held some 250 MB at once. 1 MB (was 2 MB) took the
// Go heap's peak from 158-177 MiB to 118-122 MiB and the resident memory's from 273-286
// MiB to 220 MiB at 10,952 items, from 259-277 MiB to 230 MiB at 50,000, the time within
// the noise of a shared machine (BenchmarkBuildIndex, load 3-5: 50.4 s and 82.8 s, against
// 62-96 s and 85-96 s); a build ends with 7 and 12 segments (6-7 and 10-12 before).
const maxBatchText = 1 << 20

// maxUnpersisted is how many batches a catch-up hands Bleve ahead of its persister at most.
// Batches are not synced one by one ("unsafe_batch"), so Bleve returns as soon as a batch's
// segment is built in memory, and nothing else stops segments piling up in memory while the
// persister (which merges them and writes them out) is behind.
const maxUnpersisted = 2

// bulkMemoryLimit is the Go runtime's soft memory limit while a catch-up of at least
// bulkChanges changes runs (a first build, a large import, a rebuild). Go's collector
// otherwise lets the heap grow to twice what is live before it collects, and a catch-up's
// batches leave much garbage behind; with the limit it collects sooner instead. It is a
// soft limit: the heap grows past it when that much is live (the collector then takes at
// most about half the CPU). A lower limit the process has (GOMEMLIMIT, or
// debug.SetMemoryLimit before) is kept; the limit before is put back when the catch-up ends.
const bulkMemoryLimit int64 = 300 << 20

// bulkChanges is how many changes a catch-up applies at least for bulkMemoryLimit to hold.
const bulkChanges = 2000

var bulk struct {
	sync.Mutex
	n    int   // catch-ups under way under bulkMemoryLimit
	prev int64 // the limit before the first of them
}

// bulkMemory sets bulkMemoryLimit for a catch-up of pending changes, and returns the
// function that ends it.
func bulkMemory(pending int) func() {
	if pending < bulkChanges {
		return func() {}
	}
	bulk.Lock()
	defer bulk.Unlock()
	if bulk.n == 0 {
		bulk.prev = debug.SetMemoryLimit(-1)
		if bulk.prev > bulkMemoryLimit {
			debug.SetMemoryLimit(bulkMemoryLimit)
		}
	}
	bulk.n++
	return func() {
		bulk.Lock()
		defer bulk.Unlock()
		if bulk.n--; bulk.n == 0 {
			debug.SetMemoryLimit(bulk.prev)
		}
	}
}
