package ui

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// uiLoop stands in for Fyne's event loop in tests.
//
// On the test driver fyne.Do runs its function at once, on the goroutine that calls it: the
// screen's background goroutines would then touch widgets while the test reads them. So
// the tests give the window this loop's do instead: it queues the function, and the test
// goroutine (which plays the UI goroutine: it types, taps and reads widgets) runs the queue
// in waitFor until what it waits for is on screen. Everything the screen shows still
// arrives the way it does in the app: from a goroutine, through do.
type uiLoop struct {
	queue chan func()
	stop  chan struct{}
}

func newUILoop(t *testing.T) *uiLoop {
	l := &uiLoop{queue: make(chan func(), 4096), stop: make(chan struct{})}
	t.Cleanup(func() { close(l.stop) })
	return l
}

func (l *uiLoop) do(f func()) {
	select {
	case l.queue <- f:
	case <-l.stop:
	}
}

// waitFor runs queued UI work until cond holds, and fails the test after ten seconds. cond
// is checked after each piece of work, and every few milliseconds without: some effects
// (a draft written, a file removed) come from goroutines that hand the UI nothing.
func (l *uiLoop) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case f := <-l.queue:
			f()
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// drain runs the UI work handed over so far, without waiting for more.
func (l *uiLoop) drain() {
	for {
		select {
		case f := <-l.queue:
			f()
		default:
			return
		}
	}
}

// testLabel is the profiler label that marks the goroutines a test waits to end.
const testLabel = "chancery-test"

// markGoroutine labels the calling goroutine (and the goroutines it starts from now on)
// name. A test's wrapper of a dependency calls it, so that waitGone can tell when the
// goroutines that called the dependency have done all they do after the call.
func markGoroutine(name string) {
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(testLabel, name)))
}

// marked reports whether a goroutine labelled name (markGoroutine) is still running.
func marked(name string) bool {
	var b bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
	return strings.Contains(b.String(), fmt.Sprintf("%q:%q", testLabel, name))
}

// waitGone runs queued UI work until no goroutine labelled name is left, then the work
// they handed over: what they were going to show is shown. For asserting that something
// does not happen, once the goroutines that would make it happen have ended. It fails the
// test after ten seconds.
func (l *uiLoop) waitGone(t *testing.T, what, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for marked(name) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case f := <-l.queue:
			f()
		case <-time.After(5 * time.Millisecond):
		}
	}
	l.drain()
}

// markedMemory is a Memory whose readers are labelled name (markGoroutine), and counted.
type markedMemory struct {
	Memory
	name  string
	reads atomic.Int32
}

func (m *markedMemory) Setting(ctx context.Context, key string) (string, error) {
	markGoroutine(m.name)
	m.reads.Add(1)
	return m.Memory.Setting(ctx, key)
}

// markedSearcher labels the goroutines that search "search" (markGoroutine).
type markedSearcher struct{ Searcher }

func (m markedSearcher) Search(ctx context.Context, q string, opt search.Options) (search.Result, error) {
	markGoroutine("search")
	return m.Searcher.Search(ctx, q, opt)
}

// kb is a real knowledge base in a temporary folder: SQLite store and Bleve index.
type kb struct {
	db *store.DB
	ix *search.Index
}

func openTestKB(t *testing.T, items ...store.Item) *kb {
	t.Helper()
	db := storetest.Open(t, items...)
	return &kb{db: db, ix: searchtest.Open(t, db)}
}

// openTestKBWith is the knowledge base in dir opened with opts (a policy's ceiling, its
// default marking).
func openTestKBWith(t *testing.T, dir string, opts store.Options) *kb {
	t.Helper()
	db, err := store.OpenWith(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &kb{db: db, ix: searchtest.Open(t, db)}
}

// deps wires the knowledge base as cmd/chancery does.
func (k *kb) deps() Deps {
	return Deps{Items: k.db, Library: k.db, Searcher: k.ix, DataDir: k.db.Dir(), Log: slog.New(slog.DiscardHandler)}
}

// openWindow builds the main window on a test app, with l as its event loop.
func openWindow(t *testing.T, deps Deps) (*mainWindow, *uiLoop) {
	t.Helper()
	a := test.NewTempApp(t)
	l := newUILoop(t)
	mw := newMainWindow(a, deps, l.do)
	mw.win.Show()
	t.Cleanup(func() {
		if mw.ctx.Err() == nil { // not closed by the test
			mw.win.Close()
		}
	})
	return mw, l
}

// visible returns o and every object drawn inside it (through the widgets' current
// renderers), leaving out what is hidden.
func visible(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	switch c := o.(type) {
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			out = append(out, visible(child)...)
		}
	case *fyne.Container:
		for _, child := range c.Objects {
			out = append(out, visible(child)...)
		}
	}
	return out
}

// texts collects the text a person sees in o: labels, rich text, links, buttons, canvas
// text, in layout order (each once: not again for the parts a label draws with).
func texts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Label:
		return []string{w.Text}
	case *widget.RichText:
		return []string{w.String()}
	case *widget.Hyperlink:
		return []string{w.Text}
	case *widget.Button:
		return []string{w.Text}
	case *canvas.Text:
		return []string{w.Text}
	case fyne.Widget:
		var out []string
		for _, child := range test.WidgetRenderer(w).Objects() {
			out = append(out, texts(child)...)
		}
		return out
	case *fyne.Container:
		var out []string
		for _, child := range w.Objects {
			out = append(out, texts(child)...)
		}
		return out
	}
	return nil
}

func allText(o fyne.CanvasObject) string { return strings.Join(texts(o), "\n") }

// visibleRows returns the result rows the list draws, top to bottom.
func visibleRows(l *widget.List) []*resultRow {
	var rows []*resultRow
	for _, obj := range visible(l) {
		if r, ok := obj.(*resultRow); ok && r.title.Text != "" {
			rows = append(rows, r)
		}
	}
	d := fyne.CurrentApp().Driver()
	slices.SortFunc(rows, func(a, b *resultRow) int {
		return cmp.Compare(d.AbsolutePositionForObject(a).Y, d.AbsolutePositionForObject(b).Y)
	})
	return rows
}

// overlayButton finds the button labelled text in the window's top overlay (a dialog).
func overlayButton(c fyne.Canvas, text string) *widget.Button {
	top := c.Overlays().Top()
	if top == nil {
		return nil
	}
	for _, obj := range visible(top) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
		if b, ok := obj.(*enterButton); ok && b.Text == text {
			return &b.Button
		}
	}
	return nil
}

// openFirst opens a window on a knowledge base of items, goes to place (a search or a
// browsing place such as "kind:note"), opens the first row, and waits until the pane shows
// the item titled want.
func openFirst(t *testing.T, place, want string, items ...store.Item) (*kb, *mainWindow, *uiLoop) {
	t.Helper()
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.goTo(pl(t, place))
	browseRows(t, mw, l)
	mw.browse.list.Select(0)
	l.waitFor(t, want, func() bool { return viewTitle(mw.browse.pane.view) == want })
	return k, mw, l
}

// pl is the place written s ("kind:note", "tag:oil-spill"...), as it is remembered.
func pl(t *testing.T, s string) place {
	t.Helper()
	p, ok := parsePlace(s)
	if !ok {
		t.Fatalf("no place %q", s)
	}
	return p
}
