package search

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Bleve writes to disk in the background (its persister and merger goroutines). When a
// write fails, a full disk say, it fires an "async error" and tries again at once, for ever:
// the process spins, and whoever waits for the write waits for ever. Chancery registers a
// callback for those errors, and on a failed write holds the goroutine that reported it
// (it would only try again) until the Bleve index is being closed, closes it (halt), reopens
// read-only what reached the disk (no persister, no merger), and tells the catch-up waiting
// for it. Nothing tries the write again by itself: the follower's next catch-up does,
// opening the index for writing (catchup.go).

// asyncErrorCallback is the name Chancery's callbacks are registered under in Bleve (the
// index's configuration names it: see indexConfig).
const asyncErrorCallback = "chancery-index"

// watched are the open indexes, by the path Bleve reports errors under.
var watched sync.Map // string -> *Index

// runs are the open Bleve indexes' runs, by Bleve's index, for the event that says one is
// being closed.
var runs sync.Map // *scorch.Scorch -> *bleveRun

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = func(err error, path string) {
		if v, ok := watched.Load(path); ok {
			v.(*Index).writeFailed(err)
		}
	}
	scorch.RegistryEventCallbacks[asyncErrorCallback] = func(e scorch.Event) bool {
		if e.Kind == scorch.EventKindCloseStart {
			// Fired inside Scorch.Close, just before it tells its goroutines to stop
			// and waits for them: those held in writeFailed go, and stop.
			if v, ok := runs.LoadAndDelete(e.Scorch); ok {
				close(v.(*bleveRun).closing)
			}
		}
		return true // the default: go on (a merge, say)
	}
}

// bleveRun is one opened Bleve index, from its opening to its closing.
type bleveRun struct {
	closing chan struct{} // closed once closing the Bleve index has begun
	halting atomic.Bool   // a failed write has it closed (halt) already
}

// started records bi, just opened or created, as the Bleve index whose background work
// reports to ix, before anything is written to it. The caller holds mu, or has ix to itself.
func (ix *Index) started(bi bleve.Index) {
	r := &bleveRun{closing: make(chan struct{})}
	if adv, err := bi.Advanced(); err == nil {
		if sc, ok := adv.(*scorch.Scorch); ok {
			runs.Store(sc, r)
		}
	}
	ix.run.Store(r)
}

// bleveStorePath is where Bleve keeps an index's files inside its folder, the path its
// background errors name.
func (ix *Index) bleveStorePath() string { return ix.dir + string(os.PathSeparator) + "store" }

func watch(ix *Index)   { watched.Store(ix.bleveStorePath(), ix) }
func unwatch(ix *Index) { watched.CompareAndDelete(ix.bleveStorePath(), ix) }

// writeFailed is called by Bleve's background work on an error, in its goroutine. A failed
// write stops that work, which would otherwise retry for ever, and fails the catch-up
// waiting; a panic there means damage (damage.go).
func (ix *Index) writeFailed(err error) {
	if errors.Is(err, scorch.ErrAsyncPanic) {
		// Bleve's background work panics on damaged segments: reopening them would
		// panic again.
		if ix.halting.CompareAndSwap(false, true) {
			ix.damagedLater(err.Error(), func() { ix.halting.Store(false) })
		}
		return
	}
	if !errors.Is(err, scorch.ErrPersist) {
		return
	}
	ix.writeFailures.Add(1)
	werr := fmt.Errorf("search: the search index in %s could not be written to disk (the disk may be full: %v). "+
		"Everything is kept in the store; the index catches up once there is room (at the next start, or with chancery check)", ix.dir, err)
	select {
	case ix.failures <- werr:
	default: // one is waiting to be read already
	}
	r := ix.run.Load()
	if r == nil {
		return
	}
	if r.halting.CompareAndSwap(false, true) {
		go ix.halt(r, werr) // not here: closing Bleve waits for the goroutine calling us
	}
	// Bleve tries the write again as soon as this returns, and again, without a pause:
	// its goroutine waits here instead, until the Bleve index is being closed (by halt, or
	// by whoever replaced or closed it first), then stops.
	<-r.closing
}

// halt closes the Bleve index of run r after a failed write, then opens again, read-only, what
// reached the disk (what did not is indexed again by the next catch-up, since the index
// records the change it completed with each batch): searches go on, and Bleve does no
// background work, which would only fail again (opened for writing, its merger sets about
// merging the segments on disk at once; on a full disk that fails, which halts and reopens
// it, and so on). The next catch-up opens it for writing (reviveAfterFailure). An index
// closed or replaced since is left as it is.
func (ix *Index) halt(r *bleveRun, cause error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	select {
	case <-r.closing:
		return // closed already: the index, or a Bleve index that create gave up
	default:
	}
	if ix.closed || ix.run.Load() != r {
		return
	}
	_ = ix.closeBleve() // it failed already; its close error adds nothing
	ix.broken = cause
	ix.facets.reset()
	if _, err := ix.loadAs(true); err == nil {
		ix.broken = nil
	} else {
		ix.broken = fmt.Errorf("%w; reopening it failed too: %v", cause, err)
	}
}

// quiesce reopens the index read-only, as halt does, after a catch-up tried again for WaitFor
// calls stopped because none of them waits any more (retryForWaiters): the batches it handed
// to Bleve would otherwise go on being written and merged in the background for no one (on
// a full disk, to fail again); what did not reach the disk is indexed by the next catch-up,
// which opens it for writing. The caller holds syncMu.
func (ix *Index) quiesce() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed || ix.bi == nil || ix.readOnly {
		return
	}
	_ = ix.closeBleve() // what it would write is written again by the next catch-up
	ix.facets.reset()
	if _, err := ix.loadAs(true); err != nil {
		ix.broken = fmt.Errorf("search: the index in %s could not be opened again after a catch-up no one waited for stopped: %w", ix.dir, err)
	}
}

// closeBleve closes the Bleve index, if there is one, and forgets it (closing it twice
// panics). The caller holds mu.
func (ix *Index) closeBleve() error {
	bi := ix.bi
	if bi == nil {
		return nil
	}
	ix.bi = nil
	return bi.Close()
}

// reviveAfterFailure opens the index again for writing when a failure left it closed or
// read-only, and fails, in words, when it cannot be.
func (ix *Index) reviveAfterFailure() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return fmt.Errorf("search: the index in %s is closed", ix.dir)
	}
	if ix.bi != nil && !ix.readOnly {
		return nil
	}
	cause := ix.broken
	if ix.bi != nil {
		cause = fmt.Errorf("the index in %s was read-only after a failed write", ix.dir)
		_ = ix.closeBleve() // read-only: nothing to lose
		ix.facets.reset()
	}
	if _, err := ix.load(); err != nil {
		err = fmt.Errorf("%v; opening it again failed: %w", cause, err)
		if ix.broken == nil { // it was read-only: searches now say why it cannot be used
			ix.broken = err
		}
		return err
	}
	ix.broken = nil
	return nil
}

// failure takes a failure Bleve reported that nobody has read yet; nil when there is none.
func (ix *Index) failure() error {
	select {
	case err := <-ix.failures:
		return err
	default:
		return nil
	}
}

// drainFailures forgets the failures reported before now (a catch-up waits only for its own).
func (ix *Index) drainFailures() {
	for ix.failure() != nil {
	}
}

// errUnavailable: the index is closed, or cannot be opened.
var errUnavailable = errors.New("closed")

// unavailable is the error of a search while the index cannot be used. The caller holds mu.
func (ix *Index) unavailable() error {
	if ix.bi != nil {
		return nil
	}
	if ix.broken != nil {
		return fmt.Errorf("search: the index cannot be used: %w (%w)", ix.broken, errUnavailable)
	}
	return fmt.Errorf("search: the index in %s is %w", ix.dir, errUnavailable)
}
