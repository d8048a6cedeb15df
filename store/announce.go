package store

import (
	"database/sql"
	"sync"
)

// The store announces its commits: after every committed transaction that moved the
// change sequence (a save, a trash or restore, emptying the trash, merging contacts,
// restoring a revision: every writer goes through tx), each subscriber is signalled.
// What derives from the store (the search index) follows it by this signal alone, so a
// write by any caller, an importer or a later sync is followed without being told.

// Signals is a set of coalescing subscriptions: each subscriber's channel has room for one
// signal, and a signal sent while one is pending is folded into it, so a subscriber that
// reads slowly misses none of the news (one pending signal stands for everything since it
// last read) and never holds the sender up. The store announces its commits with one; the
// search index its own news (search.Index.Subscribe). The zero value is ready to use.
type Signals struct {
	mu      sync.Mutex
	subs    map[chan struct{}]struct{}
	closed  bool
	changed chan struct{} // closed at the next Send, then replaced (Next)
}

// Subscribe returns a channel that receives a signal after each Send, and a function that
// ends the subscription. Cancel is idempotent and closes the channel; Close closes every
// subscription's channel too, so a reader ranging over it stops. Subscribing after Close
// gives a channel already closed.
func (s *Signals) Subscribe() (c <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	if s.subs == nil {
		s.subs = map[chan struct{}]struct{}{}
	}
	s.subs[ch] = struct{}{}
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}
}

// Next returns a channel closed at the next Send (or Close): for a caller that waits for
// a condition, reading Next before checking it, then waiting on it.
func (s *Signals) Next() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed == nil {
		s.changed = make(chan struct{})
		if s.closed {
			close(s.changed)
		}
	}
	return s.changed
}

// Send signals every subscriber, without waiting for any.
func (s *Signals) Send() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default: // one is pending already: it stands for this one too
		}
	}
}

// Close closes every subscription's channel and wakes whoever waits on Next.
func (s *Signals) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	for ch := range s.subs {
		close(ch)
	}
	s.subs = nil
}

// Subscribe returns a channel that receives a signal after each committed transaction
// that moved the change sequence, and a function that ends the subscription (Signals:
// signals coalesce, and never hold a writer up; read LastSeq or the changes for what they
// were). Close closes every subscription's channel.
func (db *DB) Subscribe() (c <-chan struct{}, cancel func()) { return db.announce.Subscribe() }

// seqMoved holds the transactions in which nextSeq advanced the change sequence, until tx
// ends them: those are the commits announced.
var seqMoved sync.Map // *sql.Tx -> struct{}

// movedSeq tells whether nextSeq ran in tx, and forgets tx.
func movedSeq(tx *sql.Tx) bool {
	_, ok := seqMoved.LoadAndDelete(tx)
	return ok
}
