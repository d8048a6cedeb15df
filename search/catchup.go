package search

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The index follows the store by itself. Open starts a follower, owned by the index and
// stopped by Close: it catches up at once, and again after every commit the store
// announces (Source.Subscribe), after a damaged index is thrown away, and when a caller
// waits for a change the index has not applied. One catch-up runs at a time (syncMu):
// Rebuild and Check take their turn with the follower's. A catch-up that fails answers the
// waits that asked for one before it failed: nothing tries again by itself, only a later
// commit, or a WaitFor that starts after the failure; a catch-up tried again for WaitFor
// calls alone stops when none of them waits any more (retryForWaiters).

// follow is the follower's loop; Open starts it (in bg) with the subscription it took.
func (ix *Index) follow(commits <-chan struct{}, cancel func()) {
	defer ix.bg.Done()
	defer cancel()
	asked := false // the catch-up due was asked for by WaitFor calls only
	for {
		// Its failure is in Status and fails the WaitFor calls waiting.
		if asked && ix.Status().Err != nil {
			ix.retryForWaiters()
		} else {
			_ = ix.catchUp(ix.life, nil)
		}
		asked = false
		select {
		case <-ix.life.Done():
			return
		case _, ok := <-commits:
			if !ok {
				commits = nil // the store is closed: nothing more to follow
			}
		case <-ix.kick:
		case <-ix.asked:
			asked = true
		}
	}
}

// errNoWaiters stops a catch-up tried again for WaitFor calls that have all returned.
var errNoWaiters = errors.New("search: no one waits for the catch-up any more")

// retryForWaiters is the catch-up after a failed one that WaitFor calls asked for, no commit
// since: it stops, without counting as a failure, once none of them waits (their context
// ended), so that a cancelled WaitFor on a full disk leaves no work behind: it stops within
// about a tenth of a second (paced), keeping nothing of a batch it had not handed to Bleve,
// and the index goes back to read-only, as the failure left it (quiesce), so that Bleve
// does not go on writing and merging what it was handed. A commit or a later WaitFor asks
// again.
func (ix *Index) retryForWaiters() {
	ctx, stop := context.WithCancelCause(ix.life)
	defer stop(nil)
	ctx = context.WithValue(ctx, pacedKey{}, true)
	ix.state.Lock()
	if ix.waiting == 0 {
		ix.state.Unlock()
		return
	}
	ix.stopRetry = stop
	ix.state.Unlock()
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	err := ix.catchUpLocked(ctx, nil)
	ix.state.Lock()
	ix.stopRetry = nil
	ix.state.Unlock()
	if err != nil && errors.Is(context.Cause(ctx), errNoWaiters) {
		ix.quiesce()
	}
}

// A paced catch-up (retryForWaiters) hands Bleve batches of about pacedBatch of work each:
// Bleve's Batch, which analyses the documents and builds their segment, cannot be
// interrupted, so a batch of 500 notes would go on for a second or more (many more under the
// race detector) after the catch-up's context ended. Its first batch holds firstPacedBatch
// items; each next one is sized by how long the one before took (at most twice as many, and
// at most the 500 of any catch-up).
const (
	pacedBatch      = 100 * time.Millisecond
	firstPacedBatch = 8
)

type pacedKey struct{}

// paced tells whether the catch-up running under ctx is paced.
func paced(ctx context.Context) bool { b, _ := ctx.Value(pacedKey{}).(bool); return b }

// nextPacedBatch is how many items a paced catch-up puts in its next batch, the last one of
// n items having taken took.
func nextPacedBatch(n int, took time.Duration) int {
	next := 2 * n
	if took > 0 {
		next = min(next, int(int64(n)*int64(pacedBatch)/int64(took)))
	}
	return max(1, min(next, maxBatch))
}

// kickFollower asks the follower for one more catch-up (after the one under way, if any).
func (ix *Index) kickFollower() { poke(ix.kick) }

// ask is kickFollower for a WaitFor: a catch-up that fails answers it (finished forgets
// it). The caller holds state, and has seen no failure since it began to wait.
func (ix *Index) ask() { poke(ix.asked) }

// poke sends on a channel of buffer one, unless a send is pending already.
func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default: // one is due already
	}
}

// catchUp brings the index up to date with the store, one catch-up at a time.
func (ix *Index) catchUp(ctx context.Context, progress Progress) error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	return ix.catchUpLocked(ctx, progress)
}

// catchUpLocked is catchUp for a caller holding syncMu: it indexes every item changed
// since the last catch-up and removes those trashed or purged; after a purge, no segment
// file keeps the purged items' text (compact). Each batch records the sequence number it
// completes, so an interrupted catch-up resumes where it stopped. Its outcome is recorded
// for Status and WaitFor.
func (ix *Index) catchUpLocked(ctx context.Context, progress Progress) error {
	err := ix.catchUpWork(ctx, progress)
	ix.finished(ctx, err)
	return err
}

func (ix *Index) catchUpWork(ctx context.Context, progress Progress) error {
	purged, err := ix.sync(ctx, progress)
	if err != nil || !purged {
		return err
	}
	// Purged means gone from the disk: Bleve only marks a deletion.
	clean, err := ix.compact(ctx)
	if err != nil || clean {
		return err
	}
	if err := ix.recreate("a purged item's text remained in its files after compacting them"); err != nil {
		return err
	}
	_, err = ix.sync(ctx, progress)
	return err
}

// finished records how a catch-up ended: what it settled, or its failure.
func (ix *Index) finished(ctx context.Context, err error) {
	ix.state.Lock()
	switch {
	case err == nil:
		ix.lastErr = nil
		ix.settled.Store(ix.applied.Load())
	case ix.life.Err() != nil, errors.Is(context.Cause(ctx), errNoWaiters):
		// The index is being closed, or no one waits for this retry any more: not a
		// failure of the catch-up.
	default:
		ix.lastErr = err
		ix.failCount++
		// Every WaitFor that asked for a catch-up so far is answered by this failure (each
		// asked before seeing it): a catch-up for them would only fail again.
		select {
		case <-ix.asked:
		default:
		}
	}
	ix.state.Unlock()
	ix.notify()
}

// WaitFor returns nil once the index has applied every change up to seq (store.Item.Seq
// after a save, or the store's LastSeq), a purge's compaction included: what was written
// by then is searchable. A catch-up that fails while it waits fails it, in words (a full
// disk, say; the store keeps everything); it returns ctx.Err() when ctx ends, and an error
// when the index is closed. A seq the store has not reached yet is waited for.
func (ix *Index) WaitFor(ctx context.Context, seq int64) error {
	return ix.WaitForProgress(ctx, seq, nil)
}

// WaitForProgress is WaitFor reporting the catch-ups it waits for: progress is called
// with the items indexed of those to index when a catch-up starts and after each batch
// (from the index's goroutine, one call at a time: keep it short), for a terminal or a
// progress bar.
func (ix *Index) WaitForProgress(ctx context.Context, seq int64, progress Progress) error {
	if progress != nil {
		defer ix.listen(progress)()
	}
	ix.state.Lock()
	failures := ix.failCount
	ix.waiting++
	ix.state.Unlock()
	defer func() {
		ix.state.Lock()
		defer ix.state.Unlock()
		if ix.waiting--; ix.waiting == 0 && ix.stopRetry != nil {
			ix.stopRetry(errNoWaiters)
		}
	}()
	kicked := false
	for {
		changed := ix.signals.Next()
		if ix.settled.Load() >= seq {
			return nil
		}
		ix.state.Lock()
		failed, err := ix.failCount != failures, ix.lastErr
		if !kicked && !(failed && err != nil) {
			// After a failure, or before a commit's news reached the follower: one more
			// catch-up costs nothing when there is nothing to do. Asked under state, so
			// that a catch-up failing after this forgets the request with the failure.
			ix.ask()
			kicked = true
		}
		ix.state.Unlock()
		if failed && err != nil {
			return err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-ix.life.Done():
			return fmt.Errorf("search: the index in %s is %w", ix.dir, errUnavailable)
		}
	}
}

// listen adds progress to those a catch-up reports to, until the returned function is
// called.
func (ix *Index) listen(progress Progress) func() {
	ix.state.Lock()
	defer ix.state.Unlock()
	ix.nextListener++
	id := ix.nextListener
	if ix.listeners == nil {
		ix.listeners = map[int]Progress{}
	}
	ix.listeners[id] = progress
	return func() {
		ix.calling.Lock() // a call under way ends first: none comes after this returns
		defer ix.calling.Unlock()
		ix.state.Lock()
		defer ix.state.Unlock()
		delete(ix.listeners, id)
	}
}

// report tells progress (a caller's, nil for none) and every listener how far the
// catch-up under way has come, and the index's subscribers that its state changed.
func (ix *Index) report(progress Progress, done, total int) {
	if progress != nil {
		progress(done, total)
	}
	ix.calling.Lock()
	ix.state.Lock()
	fns := make([]Progress, 0, len(ix.listeners))
	for _, fn := range ix.listeners {
		fns = append(fns, fn)
	}
	ix.state.Unlock()
	for _, fn := range fns {
		fn(done, total)
	}
	ix.calling.Unlock()
	ix.notify()
}

// Subscribe returns a channel signalled after the index's state changed (a batch applied,
// a catch-up started or finished, progress, a failure), for a screen that shows it: read
// Status then. Signals coalesce in a buffer of one; a subscriber that does not read holds
// nothing up. Cancel is idempotent and closes the channel; Close closes every
// subscription's channel.
func (ix *Index) Subscribe() (<-chan struct{}, func()) {
	return ix.signals.Subscribe()
}

// notify signals the index's subscribers and wakes the WaitFor calls waiting.
func (ix *Index) notify() { ix.signals.Send() }
