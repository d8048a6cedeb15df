package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/store/importer"
)

func TestFirstStartLoadsExample(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	deps.IsEmpty = func(ctx context.Context) (bool, error) {
		st, err := k.db.Stats(ctx)
		return st.Live == 0, err
	}
	loaded, seqs := make(chan int, 1), make(chan int64, 1)
	deps.LoadDemo = func(ctx context.Context) (int64, error) {
		n, err := importer.LoadDemo(ctx, k.db)
		loaded <- n
		seq, _ := k.db.LastSeq(ctx)
		seqs <- seq
		return seq, err
	}
	mw, l := openWindow(t, deps)
	c := mw.win.Canvas()

	l.waitFor(t, "the first-start offer", func() bool { return overlayButton(c, "Load example") != nil })
	offer := allText(c.Overlays().Top())
	for _, want := range []string{"Load the example knowledge base?", "oil spill", "five downstream countries", "Start empty"} {
		if !strings.Contains(offer, want) {
			t.Errorf("offer lacks %q:\n%s", want, offer)
		}
	}

	test.Tap(overlayButton(c, "Load example"))
	l.waitFor(t, "the example loaded and indexed", func() bool { return !mw.first.loading })
	n := <-loaded
	if seq, applied := <-seqs, k.ix.Status().Applied; applied < seq {
		t.Errorf("the example was shown with the index at change %d, before it held the example (%d)", applied, seq)
	}
	if top := c.Overlays().Top(); top != nil {
		t.Errorf("a dialog is still open after loading: %q", texts(top))
	}
	st, err := k.db.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Live != n {
		t.Errorf("store holds %d items, the example %d", st.Live, n)
	}
	// The screen searches the example at once.
	if got := mw.search.entry.Text; got != "oil spill" {
		t.Errorf("query after loading = %q, want an example query", got)
	}
	l.waitFor(t, "the example query's results", func() bool { return mw.search.query == "oil spill" })
	if hits := mw.search.hits; len(hits) > 0 {
		l.waitFor(t, "the top hit open", func() bool { return viewTitle(mw.search.view) == hits[0].Title })
	}
}

func TestFirstStartStartEmpty(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	deps.IsEmpty = func(context.Context) (bool, error) { return true, nil }
	var called atomic.Bool
	deps.LoadDemo = func(context.Context) (int64, error) { called.Store(true); return 0, nil }
	mw, l := openWindow(t, deps)
	c := mw.win.Canvas()

	l.waitFor(t, "the first-start offer", func() bool { return overlayButton(c, "Start empty") != nil })
	test.Tap(overlayButton(c, "Start empty"))
	// Loading would show its progress dialog at once, then call LoadDemo.
	l.waitFor(t, "the offer closed", func() bool { return c.Overlays().Top() == nil || called.Load() })
	if called.Load() {
		t.Error("Start empty loaded the example")
	}
	if top := c.Overlays().Top(); top != nil {
		t.Errorf("a dialog is still open: %q", texts(top))
	}
}

func TestFirstStartNotOfferedWhenFull(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	deps := k.deps()
	asked := make(chan struct{}, 1)
	deps.IsEmpty = func(ctx context.Context) (bool, error) {
		markGoroutine("first-start check")
		defer func() { asked <- struct{}{} }()
		st, err := k.db.Stats(ctx)
		return st.Live == 0, err
	}
	deps.LoadDemo = func(context.Context) (int64, error) { return 0, errors.New("must not be called") }
	mw, l := openWindow(t, deps)
	<-asked
	l.waitGone(t, "the first-start check to end", "first-start check")
	if top := mw.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog opened on a knowledge base with items: %q", texts(top))
	}
}

func TestFirstStartLoadFailure(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	deps.IsEmpty = func(context.Context) (bool, error) { return true, nil }
	deps.LoadDemo = func(context.Context) (int64, error) { return 0, errors.New("disk full") }
	mw, l := openWindow(t, deps)
	c := mw.win.Canvas()

	l.waitFor(t, "the first-start offer", func() bool { return overlayButton(c, "Load example") != nil })
	test.Tap(overlayButton(c, "Load example"))
	l.waitFor(t, "the error", func() bool {
		top := c.Overlays().Top()
		return top != nil && strings.Contains(allText(top), "disk full")
	})
	if !strings.Contains(allText(c.Overlays().Top()), "could not be loaded") {
		t.Errorf("error dialog says %q", texts(c.Overlays().Top()))
	}
}
