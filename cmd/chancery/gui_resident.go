package main

import (
	"context"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chancery/search"
)

// releaseAfter is how long the window's searches must pause before what they read is let
// go of: longer than a pause between keystrokes, so that typing never pays for it. A
// search after a release maps again what it reads, from the page cache: on 233,523 items
// the query set's p50 went from 7.2-9.2 ms to 10.5-12.6 ms with a release before every
// search (three rounds each, 6 December 2026, 2 idle cores).
const releaseAfter = 2 * time.Second

// residentCeiling is the resident memory above which a search's mapped pages are let go
// of as soon as it returns, without waiting for a pause: the window types a search at
// every keystroke, and each partial word reads other postings.
const residentCeiling = 300 << 20

// releasingIndex is the search index as the window uses it: once its searches pause (a
// query typed and answered, a page of results read), the pages of the index's files they
// mapped into memory are let go of (search.Index.ReleaseResident: they stay in the
// system's page cache) and the memory the Go heap freed is returned to the system. On
// 234,000 items that is the difference between some 450 MB resident after ten searches
// and the bare window's 160 MB plus what the screen shows; the next search maps again
// what it reads, from the page cache.
//
// Searches that follow each other with no pause, as typing does, release what they mapped
// at once whenever the process's resident memory is over residentCeiling (read from
// /proc/self/statm after each search; where there is none, they never do).
type releasingIndex struct {
	*search.Index
	mu        sync.Mutex
	timer     *time.Timer
	releasing atomic.Bool // a release over the ceiling is running
	ceiling   int64       // residentCeiling when 0
}

func (r *releasingIndex) Search(ctx context.Context, q string, opt search.Options) (search.Result, error) {
	res, err := r.Index.Search(ctx, q, opt)
	r.releaseLater()
	ceiling := r.ceiling
	if ceiling == 0 {
		ceiling = residentCeiling
	}
	if residentBytes() > ceiling && r.releasing.CompareAndSwap(false, true) {
		go func() {
			defer r.releasing.Store(false)
			r.Index.ReleaseResident()
		}()
	}
	return res, err
}

// residentBytes is the process's resident memory, 0 where /proc/self/statm is not.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// releaseLater releases releaseAfter after the last search (the timer is pushed back by
// every search meanwhile).
func (r *releasingIndex) releaseLater() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer == nil {
		r.timer = time.AfterFunc(releaseAfter, r.release)
		return
	}
	r.timer.Reset(releaseAfter)
}

func (r *releasingIndex) release() {
	r.Index.ReleaseResident()
	debug.FreeOSMemory()
}

// stop stops a release waiting (before the index is closed).
func (r *releasingIndex) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
	}
}
