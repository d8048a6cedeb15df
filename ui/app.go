package ui

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// Searcher finds items: *search.Index is one.
type Searcher interface {
	// Search parses q in the query language and runs it. A query that cannot be parsed
	// fails with a *search.ParseError saying why in words.
	Search(ctx context.Context, q string, opt search.Options) (search.Result, error)
	// Status tells whether the index is still being built, and how far it has come.
	Status() search.Status
}

// Items reads items: *store.DB is one.
type Items interface {
	Get(ctx context.Context, id string) (store.Item, error)
	Backlinks(ctx context.Context, id string) ([]store.Link, error)
}

// Deps is what the main window needs from the composition root.
type Deps struct {
	Items    Items
	Searcher Searcher
	// DataDir is the knowledge base's folder, shown in the status line.
	DataDir string
	// IsEmpty reports whether the knowledge base holds no items; when it does, the window
	// offers the example knowledge base. Nil: never offer it on opening.
	IsEmpty func(ctx context.Context) (bool, error)
	// LoadDemo saves the example knowledge base into the store. Nil: not offered.
	LoadDemo func(ctx context.Context) error
	// Sync brings the search index up to date with the store (after LoadDemo).
	Sync func(ctx context.Context) error
	// Log receives what goes wrong; slog.Default() when nil.
	Log *slog.Logger
}

// Default window size: room for the result list and the open item side by side.
const (
	windowWidth  = 1200
	windowHeight = 800
	// statusEvery is how often the index status is read while the window is open.
	statusEvery = 250 * time.Millisecond
)

// mainWindow is the app's one window: the search screen, its menu, and the first-start
// offer.
type mainWindow struct {
	win    fyne.Window
	deps   Deps
	do     func(func())
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	search *searchScreen
	first  *firstStart

	wasBuilding bool
}

// NewMainWindow builds the main window over deps. Show it with ShowAndRun (it is the
// master window: closing it quits the app). Closing it also cancels the work it started.
func NewMainWindow(a fyne.App, deps Deps) fyne.Window {
	return newMainWindow(a, deps, fyne.Do).win
}

// newMainWindow is NewMainWindow with the function that hands work to the UI goroutine
// (fyne.Do, except in tests).
func newMainWindow(a fyne.App, deps Deps, do func(func())) *mainWindow {
	log := deps.Log
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	mw := &mainWindow{
		win:    a.NewWindow("Chancery"),
		deps:   deps,
		do:     do,
		log:    log,
		ctx:    ctx,
		cancel: cancel,
	}
	mw.search = newSearchScreen(ctx, searchDeps{
		searcher: deps.Searcher,
		items:    deps.Items,
		dataDir:  deps.DataDir,
		do:       do,
		log:      log,
	})
	mw.first = newFirstStart(ctx, mw.win, deps, do, log, mw.search.onDemoLoaded)

	mw.win.SetContent(mw.search.content)
	mw.win.SetMainMenu(mw.menu())
	mw.win.Resize(fyne.NewSize(windowWidth, windowHeight))
	mw.win.SetMaster()
	mw.win.SetOnClosed(cancel)
	mw.win.Canvas().Focus(mw.search.entry)

	go mw.watchIndex(ctx)
	if deps.IsEmpty != nil && deps.LoadDemo != nil {
		go mw.first.check(ctx, deps.IsEmpty)
	}
	return mw
}

// menu is the main menu. Global shortcuts live on menu items: a shortcut added to the
// canvas does not fire while the search box has the focus.
func (mw *mainWindow) menu() *fyne.MainMenu {
	find := fyne.NewMenuItem("Find", mw.onFind)
	find.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	file := fyne.NewMenu("File")
	if mw.deps.LoadDemo != nil {
		file.Items = append(file.Items, fyne.NewMenuItem("Load the Example Knowledge Base…", mw.first.offer))
	}
	return fyne.NewMainMenu(file, fyne.NewMenu("Edit", find))
}

// onFind puts the focus in the search box with its text selected, ready to be replaced.
func (mw *mainWindow) onFind() {
	mw.win.Canvas().Focus(mw.search.entry)
	mw.search.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// watchIndex reads the index status every statusEvery until ctx ends, and hands it to the
// UI goroutine.
func (mw *mainWindow) watchIndex(ctx context.Context) {
	t := time.NewTicker(statusEvery)
	defer t.Stop()
	for {
		st := mw.deps.Searcher.Status()
		mw.do(func() { mw.onIndexStatus(st) })
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// onIndexStatus shows the index status and, when the index has finished building, runs the
// search again: it may find more now.
func (mw *mainWindow) onIndexStatus(st search.Status) {
	if mw.ctx.Err() != nil {
		return
	}
	mw.search.showIndexStatus(st)
	mw.first.showIndexStatus(st)
	if !st.Building && (mw.wasBuilding || mw.search.partial) {
		mw.search.refresh()
	}
	mw.wasBuilding = st.Building
}

// ShowStartError shows, in a window of its own, why Chancery could not open the knowledge
// base (for people who started it from a desktop menu and have no terminal to read), and
// returns when the window is closed.
func ShowStartError(a fyne.App, err error) {
	w := a.NewWindow("Chancery")
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Close", w.Close)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(
		widget.NewLabelWithStyle("Chancery cannot open the knowledge base", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(layout.NewSpacer(), quit), nil, nil, msg))
	w.Resize(fyne.NewSize(520, 200))
	w.SetMaster()
	w.ShowAndRun()
}
