package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

// signalled reports whether c has a signal, waiting a little for it.
func signalled(c <-chan struct{}) bool {
	select {
	case _, ok := <-c:
		return ok
	case <-time.After(2 * time.Second):
		return false
	}
}

// quiet reports whether c has no signal pending.
func quiet(c <-chan struct{}) bool {
	select {
	case <-c:
		return false
	default:
		return true
	}
}

// TestSubscribeSeesEveryKindOfWrite: a subscriber is signalled after each writer that
// moves the change sequence, and not after a write that changes nothing.
func TestSubscribeSeesEveryKindOfWrite(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t,
		person("a", "Ann Lee", "Ann", "Lee", "ann@x.org"),
		person("b", "A. Lee", "", "", "ann@x.org"))
	c, cancel := db.Subscribe()
	defer cancel()

	n := note("First", "text")
	n.ID = "n"
	writes := []struct {
		name string
		do   func() error
	}{
		{"Save", func() error { _, err := db.Save(ctx, n); return err }},
		{"Save again (a second revision)", func() error { n.Body = "changed"; _, err := db.Save(ctx, n); return err }},
		{"SaveAll", func() error {
			x, y := note("x", "1"), note("y", "2")
			x.ID, y.ID = "x", "y"
			_, err := db.SaveAll(ctx, []store.Item{x, y})
			return err
		}},
		{"SaveImported", func() error {
			it := note("Imported", "from a file")
			it.SourceKey = "test:1"
			_, err := db.SaveImported(ctx, []store.Item{it})
			return err
		}},
		{"Delete", func() error { return db.Delete(ctx, "n") }},
		{"Restore", func() error { return db.Restore(ctx, "n") }},
		{"RestoreRevision", func() error { _, err := db.RestoreRevision(ctx, "n", 1); return err }},
		{"MergeContacts", func() error { _, err := db.MergeContacts(ctx, []string{"a", "b"}); return err }},
		{"EmptyTrash", func() error {
			if err := db.Delete(ctx, "n"); err != nil {
				return err
			}
			if !signalled(c) {
				return fmt.Errorf("no signal after the Delete before it")
			}
			_, err := db.EmptyTrash(ctx)
			return err
		}},
	}
	for _, w := range writes {
		before, _ := db.LastSeq(ctx)
		if err := w.do(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		after, _ := db.LastSeq(ctx)
		if after == before {
			t.Fatalf("%s did not move the change sequence", w.name)
		}
		if !signalled(c) {
			t.Errorf("no signal after %s", w.name)
		}
	}
	// A save that changes nothing commits no change: no signal.
	same, err := db.Get(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, same); err != nil {
		t.Fatal(err)
	}
	if !quiet(c) {
		t.Error("a signal after a save that changed nothing")
	}
	// A failed write is not announced.
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote}); err == nil {
		t.Fatal("an item without a title was saved")
	}
	if !quiet(c) {
		t.Error("a signal after a failed save")
	}
}

// TestSlowSubscriberNeverBlocksWriter: a subscriber that never reads holds no writer up;
// its one pending signal stands for every commit since.
func TestSlowSubscriberNeverBlocksWriter(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	slow, cancelSlow := db.Subscribe()
	defer cancelSlow()
	done := make(chan error, 1)
	go func() {
		for i := range 50 {
			if _, err := db.Save(ctx, note(fmt.Sprint("note ", i), "")); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("50 saves did not finish while a subscriber did not read")
	}
	if !signalled(slow) {
		t.Fatal("the slow subscriber has no signal pending")
	}
	if !quiet(slow) {
		t.Error("signals did not coalesce: more than one pending")
	}
}

// TestCancelStopsSignals: after cancel, a subscription gets no signal and its channel is
// closed; cancel may be called again; Close closes the channels of those left.
func TestCancelStopsSignals(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := db.Subscribe()
	kept, keptCancel := db.Subscribe()
	cancel()
	cancel() // idempotent
	if _, err := db.Save(ctx, note("after cancel", "")); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-c; ok {
		t.Error("a cancelled subscription received a signal")
	}
	if !signalled(kept) {
		t.Error("the other subscription missed the save")
	}
	db.Close()
	select {
	case _, ok := <-kept:
		if ok {
			t.Error("a signal after Close")
		}
	case <-time.After(2 * time.Second):
		t.Error("Close left a subscription's channel open")
	}
	keptCancel() // after Close: no panic
	late, lateCancel := db.Subscribe()
	defer lateCancel()
	if _, ok := <-late; ok {
		t.Error("a subscription to a closed store is open")
	}
}
