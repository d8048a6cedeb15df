package search

import (
	"context"
	"sync"
)

// Follower keeps the index catching up with a store while it is being written to, so that
// a long import is indexed as it goes instead of after it: the store's writer and the
// index's analysis then run side by side.
type Follower struct {
	kick chan struct{}
	done chan struct{}
	mu   sync.Mutex
	err  error
}

// Follow starts following the store: after each Notify a Sync runs (one at a time; notices
// that arrive while one runs start one more after it).
func (ix *Index) Follow(ctx context.Context) *Follower {
	f := &Follower{kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(f.done)
		for range f.kick {
			if err := ix.Sync(ctx, nil); err != nil {
				f.mu.Lock()
				if f.err == nil {
					f.err = err
				}
				f.mu.Unlock()
				if ctx.Err() != nil {
					for range f.kick {
					}
					return
				}
			}
		}
	}()
	return f
}

// Notify tells the follower the store has committed more changes.
func (f *Follower) Notify() {
	select {
	case f.kick <- struct{}{}:
	default: // a Sync is already due
	}
}

// Stop waits for the Sync under way, if any, and returns the first error a Sync met. Call
// Sync afterwards to index what was committed since.
func (f *Follower) Stop() error {
	close(f.kick)
	<-f.done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}
