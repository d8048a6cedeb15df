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

// announcer is the store's list of subscribers.
type announcer struct {
	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	closed bool
}

// Subscribe returns a channel that receives a signal after each committed transaction
// that moved the change sequence, and a function that ends the subscription. The channel
// has room for one signal, and signals coalesce: a subscriber that reads slowly misses
// none of the news (one pending signal stands for every commit since it last read; read
// LastSeq or the changes for what they were), and never holds a writer up. Cancel is
// idempotent and closes the channel; Close closes every subscription's channel too, so a
// reader ranging over it stops when the store is closed. Subscribing to a closed store
// gives a channel already closed.
func (db *DB) Subscribe() (c <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	a := &db.announce
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		close(ch)
		return ch, func() {}
	}
	if a.subs == nil {
		a.subs = map[chan struct{}]struct{}{}
	}
	a.subs[ch] = struct{}{}
	return ch, func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		if _, ok := a.subs[ch]; ok {
			delete(a.subs, ch)
			close(ch)
		}
	}
}

// announceCommit signals every subscriber, without waiting for any.
func (db *DB) announceCommit() {
	a := &db.announce
	a.mu.Lock()
	defer a.mu.Unlock()
	for ch := range a.subs {
		select {
		case ch <- struct{}{}:
		default: // one is pending already: it stands for this commit too
		}
	}
}

// closeSubscriptions closes every subscription's channel, for Close.
func (db *DB) closeSubscriptions() {
	a := &db.announce
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	for ch := range a.subs {
		close(ch)
	}
	a.subs = nil
}

// seqMoved holds the transactions in which nextSeq advanced the change sequence, until tx
// ends them: those are the commits announced.
var seqMoved sync.Map // *sql.Tx -> struct{}

// movedSeq tells whether nextSeq ran in tx, and forgets tx.
func movedSeq(tx *sql.Tx) bool {
	_, ok := seqMoved.LoadAndDelete(tx)
	return ok
}
