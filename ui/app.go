package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	// Status tells whether the index is still being built, how far it has come, and the
	// change of the store it has applied.
	Status() search.Status
	// Subscribe signals (coalescing) after the index's state changed: changes applied, a
	// catch-up started, progressed or failed. The window refreshes from it; cancel stops it.
	Subscribe() (c <-chan struct{}, cancel func())
	// WaitFor returns once the index has applied every change of the store up to seq.
	WaitFor(ctx context.Context, seq int64) error
}

// Items reads items: *store.DB is one.
type Items interface {
	Get(ctx context.Context, id string) (store.Item, error)
	Backlinks(ctx context.Context, id string) ([]store.Link, error)
}

// Library browses and changes the knowledge base: *store.DB is one.
type Library interface {
	Items
	List(ctx context.Context, opt store.ListOptions) ([]store.Item, error)
	Count(ctx context.Context, opt store.ListOptions) (int, error)
	Titles(ctx context.Context) ([]store.Title, error)
	TermCounts(ctx context.Context, what string) ([]store.Term, error)
	Topics(ctx context.Context) ([]store.Topic, error)
	Classes(ctx context.Context) ([]string, error)
	Stats(ctx context.Context) (store.Stats, error)
	Save(ctx context.Context, it store.Item) (store.Item, error)
	Delete(ctx context.Context, id string) error
	Restore(ctx context.Context, id string) error
	EmptyTrash(ctx context.Context) (int, error)
	Revisions(ctx context.Context, id string) ([]store.Revision, error)
	RestoreRevision(ctx context.Context, id string, rev int) (store.Item, error)
	Original(ctx context.Context, id string) ([]byte, error)
	// Subscribe signals (coalescing) after every commit that changed the knowledge base,
	// whoever wrote it (this window, an import, later sync); cancel stops it.
	Subscribe() (c <-chan struct{}, cancel func())
}

// Deps is what the main window needs from the composition root.
type Deps struct {
	Items    Items
	Searcher Searcher
	// Library browses and edits the knowledge base. Nil: Items, which must then be one
	// (*store.DB is).
	Library Library
	// DataDir is the knowledge base's folder, shown in the status line.
	DataDir string
	// IsEmpty reports whether the knowledge base holds no items; when it does, the window
	// offers the example knowledge base. Nil: never offer it on opening.
	IsEmpty func(ctx context.Context) (bool, error)
	// LoadDemo saves the example knowledge base into the store and returns the store's
	// change sequence after it (the window waits for the index to reach it). Nil: not
	// offered.
	LoadDemo func(ctx context.Context) (seq int64, err error)
	// Import imports files and folders (paths), marking what it saves class (chosen by the
	// person; a file naming a higher marking keeps it), telling p how it goes, then waits
	// for the search index (which follows the store by itself) to hold it. It returns what it did even when it fails or ctx is
	// cancelled: what was saved before stays. Nil: no importing from the window.
	Import func(ctx context.Context, paths []string, class string, p ImportProgress) (store.ImportReport, error)
	// Log receives what goes wrong; slog.Default() when nil.
	Log *slog.Logger
	// ExportBriefing writes briefing id as a pack in format ("pdf", "docx", "html", "md")
	// to w: a release copy leaving out what is marked above ceiling (a marking of
	// Library.Classes). Nil: export is not offered.
	ExportBriefing func(ctx context.Context, id, format, ceiling string, w io.Writer) (ExportInfo, error)
	// Memory keeps what is remembered between runs (the place, the item, the search) in
	// the knowledge base. Nil: Library, when it is one (*store.DB is); else nothing is.
	Memory Memory
	// ForgetSearches is the policy's remember_searches = false: nothing of a search is
	// kept between runs.
	ForgetSearches bool
	// ExportCeiling is the administrator's export_ceiling: the highest ceiling an export
	// offers, and the one it chooses by default; "" for none (then any, and the lowest).
	ExportCeiling string
	// ExportPack writes what search query finds as a knowledge pack to w, up to ceiling,
	// encrypted to to (age keys or contact IDs) or passphrase (packs.go). ImportPack reads
	// one from r with a passphrase or an age identity file and says what it did, a line an
	// item changed and one of counts. Nil: not offered.
	ExportPack func(ctx context.Context, query, ceiling string, to []string, passphrase string, w io.Writer) (PackInfo, error)
	ImportPack func(ctx context.Context, r io.Reader, name, passphrase, identityFile string) ([]string, error)
	// Kept keeps the standing searches (kept.go). Nil: Library, when it is one
	// (*store.DB is); else none are kept.
	Kept Kept
	// Incidents keeps the incidents' records (incident.go). Nil: Library, when it is one
	// (*store.DB is); else no workspace is offered.
	Incidents Incidents
	// ExportSitrep writes situation report id as ExportBriefing writes a briefing: in
	// format, a release copy up to ceiling, with the banner. Nil: not offered.
	ExportSitrep func(ctx context.Context, id, format, ceiling string, w io.Writer) (ExportInfo, error)
}

// Default window size: room for the navigation, the list and the open item side by side.
const (
	windowWidth  = 1200
	windowHeight = 800
)

// mainWindow is the app's one window, the workbench: the navigation column, and beside it
// the search screen or a list (browse screen), each with the selected item's pane; the
// menu with the global shortcuts; the quick-open palette; the first-start offer. It builds
// each screen from what that screen declares it needs (its deps) and wires the screens
// together through the handlers each calls upward; it does not write into their fields.
type mainWindow struct {
	app    fyne.App
	win    fyne.Window
	deps   Deps
	do     func(func())
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	env    *env // what the item panes and their editors share

	nav      *navColumn
	kept     *keptPanel      // the kept searches under the navigation (kept.go)
	incident *incidentScreen // an incident's workspace (incident.go)
	search   *searchScreen
	browse   *browseScreen
	palette  *palette
	first    *firstStart
	imports  *importPanel
	briefs   *briefingDesk
	packs    *packDesk      // File > Export Pack…, Import Pack… (packs.go)
	sync     *syncBar       // team sync's status line, nil without team sync (sync.go)
	confl    *conflictsView // the Conflicts view while shown (conflicts.go)
	dialogs  *helpDialogs
	center   *fyne.Container
	split    *container.Split

	place       place
	wasBuilding bool
	// vocabReading: a read of the vocabulary is under way (reloadVocab); vocabAgain: the
	// store changed meanwhile, read it once more after.
	vocabReading, vocabAgain bool
	// titlesWanted: an editor was opened; the vocabulary is read with every title and
	// source from then on, however large the knowledge base (vocabEager).
	titlesWanted bool
	applied      int64 // the store's change the index had applied when last seen
	seenIndex    bool  // the index's status has been seen once
	closing      bool
	// remembering is closed when remember has written where the window was.
	remembering chan struct{}
	// keptReading: the kept searches are being counted (reloadKept); keptAgain: count
	// them once more after. onKeptCounts: who else shows the counts.
	keptReading, keptAgain bool
	onKeptCounts           []func([]keptCount)
}

// NewMainWindow builds the main window over deps. Show it with ShowAndRun (it is the
// master window: closing it quits the app); build it before the app runs, as its own
// reads start when the app has started. Closing it saves what is being edited, and
// cancels the work it started.
func NewMainWindow(a fyne.App, deps Deps) fyne.Window {
	mw := buildMainWindow(a, deps, fyne.Do)
	// What the window reads for itself (the vocabulary and the navigation's counts, the
	// kept searches' news) waits until the window is up, so that on a large knowledge
	// base it does not compete with the window's start (0.2 s of CPU on 234,000 items).
	a.Lifecycle().SetOnStarted(mw.readAll)
	mainWindows[mw.win] = mw
	return mw.win
}

// mainWindows are the windows NewMainWindow made (UI goroutine only).
var mainWindows = map[fyne.Window]*mainWindow{}

// RequestClose closes w as its close button does: what is being edited is saved first,
// and what cannot be saved is kept as a draft without asking (offered at the next start).
// Call it on the UI goroutine (through fyne.Do), for example when the process is asked to
// stop; a window NewMainWindow did not make is just closed.
func RequestClose(w fyne.Window) {
	if mw, ok := mainWindows[w]; ok {
		delete(mainWindows, w)
		mw.requestClose(false)
		return
	}
	w.Close()
}

// newMainWindow is NewMainWindow with the function that hands work to the UI goroutine
// (fyne.Do, except in tests).
func newMainWindow(a fyne.App, deps Deps, do func(func())) *mainWindow {
	mw := buildMainWindow(a, deps, do)
	mw.readAll()
	return mw
}

// readAll reads what the window shows beside the place (the vocabulary, the counts, the
// kept searches' news), off the UI goroutine; commits read them again (storeChanged).
func (mw *mainWindow) readAll() {
	mw.reloadVocab()
	mw.reloadKept()
}

// buildMainWindow is newMainWindow without the first readAll.
func buildMainWindow(a fyne.App, deps Deps, do func(func())) *mainWindow {
	log := deps.Log
	if log == nil {
		log = slog.Default()
	}
	if lib, ok := deps.Items.(Library); ok && deps.Library == nil {
		deps.Library = lib
	}
	if mem, ok := deps.Library.(Memory); ok && deps.Memory == nil {
		deps.Memory = mem
	}
	if kept, ok := deps.Library.(Kept); ok && deps.Kept == nil {
		deps.Kept = kept
	}
	if inc, ok := deps.Library.(Incidents); ok && deps.Incidents == nil {
		deps.Incidents = inc
	}
	ctx, cancel := context.WithCancel(context.Background())
	mw := &mainWindow{
		app:    a,
		win:    a.NewWindow("Chancery"),
		deps:   deps,
		do:     do,
		log:    log,
		ctx:    ctx,
		cancel: cancel,
	}
	if p := a.Preferences(); p.String(prefTheme) != "" || p.Float(prefTextScale) != 0 {
		applyTheme(a) // chosen in the settings; else the app's own theme stays
	}
	mw.env = &env{lib: deps.Library, do: do, log: log, ctx: ctx, win: mw.win, vocab: emptyVocab(), drafts: newDraftStore(deps.DataDir),
		pickTitle: func(prompt string, pick func(store.Title), cancel func()) { mw.palette.open(prompt, pick, cancel) }}
	mw.env.wantTitles = mw.wantTitles
	mw.env.out = newOutside(ctx, do)
	mw.env.out.win = mw.win
	mw.env.opened = newOpenedCopies(deps.DataDir)
	go mw.env.opened.start()
	vocab := func() *vocab { return mw.env.vocab }

	mw.palette = newPalette(paletteDeps{lib: deps.Library, ctx: ctx, do: do, log: log, win: mw.win, vocab: vocab})
	mw.briefs = newBriefingDesk(briefingDeps{lib: deps.Library, ctx: ctx, do: do, log: log, win: mw.win, vocab: vocab,
		exportBriefing: deps.ExportBriefing, ceiling: deps.ExportCeiling, choose: mw.palette.choose},
		briefingHandlers{pane: mw.pane, panes: mw.panes, results: func() (string, []search.Hit) {
			if mw.place != searchPlace {
				return "", nil
			}
			return mw.search.query, mw.search.hits
		}, onCreated: mw.openComposer})
	panes := paneHandlers{onAddToBriefing: mw.briefs.onAddToBriefing}
	if deps.Incidents != nil {
		panes.onOpenIncident = mw.openIncident
	}
	if deps.ExportBriefing != nil {
		panes.onExportBriefing = mw.briefs.onExportBriefing
	}
	newPane := func(v *itemView) *itemPane { return newItemPane(mw.env, v, panes) }
	listSplit := a.Preferences().FloatWithFallback(prefListSplit, 0.42)
	mw.search = newSearchScreen(ctx, searchDeps{searcher: deps.Searcher, items: deps.Items, dataDir: deps.DataDir, do: do, log: log, out: mw.env.out, newPane: newPane, listSplit: listSplit, keptStore: deps.Kept},
		searchHandlers{onNewBriefing: mw.briefs.onNewBriefingFromResults, onDossier: mw.openDossier, onKeep: mw.onKeepSearch, onKeptSeen: func(store.KeptSearch) { mw.reloadKept() }})
	mw.browse = newBrowseScreen(browseDeps{lib: deps.Library, ctx: ctx, do: do, log: log, win: mw.win, vocab: vocab,
		drafts: mw.env.drafts, opened: mw.env.opened, out: mw.env.out, newPane: newPane, listSplit: listSplit, dossiers: dossierReader(deps.Library)},
		browseHandlers{onGo: mw.goTo})
	mw.nav = newNavColumn(mw.goTo)
	var onIncident func(string)
	if deps.Incidents != nil {
		onIncident = mw.openIncident
	}
	mw.kept = newKeptPanel(mw.openKept, mw.onRenameKept, mw.onDeleteKept, onIncident)
	mw.incident = newIncidentScreen(incidentDeps{incidents: deps.Incidents, ctx: ctx, do: do, log: log, win: mw.win,
		classes: func() []string { return mw.env.vocab.classes }, searcher: deps.Searcher},
		incidentHandlers{onOpenKept: mw.openKept, onKeep: mw.onKeepForIncident, onOpenItem: mw.openFound, onDossier: mw.openDossier})
	if deps.ExportSitrep != nil {
		mw.incident.on.onExport = mw.exportSitrep
	}
	mw.onKeptCounts = append(mw.onKeptCounts, mw.incident.showKeptCounts)
	mw.first = newFirstStart(firstStartDeps{win: mw.win, ctx: ctx, do: do, log: log, isEmpty: deps.IsEmpty, loadDemo: deps.LoadDemo, waitFor: deps.Searcher.WaitFor}, mw.onDemoLoaded)
	mw.imports = newImportPanel(importDeps{app: a, win: mw.win, ctx: ctx, do: do, log: log, run: deps.Import, vocab: vocab},
		importHandlers{onOpen: func(id string) { mw.openAt(itemsPlace(store.KindDocument), id) }})
	mw.dialogs = &helpDialogs{app: a, win: mw.win, dataDir: deps.DataDir}
	mw.packs = newPackDesk(packDeps{ctx: ctx, do: do, log: log, win: mw.win, vocab: vocab, ceiling: deps.ExportCeiling,
		query: func() string { return mw.search.query }, export: deps.ExportPack, load: deps.ImportPack})

	p := a.Preferences()
	mw.incident.content.Hide()
	mw.center = container.NewStack(mw.search.content, mw.browse.content, mw.incident.content)
	left := mw.nav.content
	if deps.Kept != nil {
		navSplit := container.NewVSplit(mw.nav.content, mw.kept.content)
		navSplit.Offset = 0.62
		left = navSplit
	}
	mw.split = container.NewHSplit(left, mw.center)
	mw.split.Offset = p.FloatWithFallback(prefNavSplit, 0.15)
	mw.win.SetContent(mw.imports.wrap(mw.split))
	if deps.Import != nil {
		mw.win.SetOnDropped(mw.imports.onDropped)
	}
	mw.win.SetMainMenu(mw.menu())
	mw.win.Resize(fyne.NewSize(float32(p.FloatWithFallback(prefWidth, windowWidth)), float32(p.FloatWithFallback(prefHeight, windowHeight))))
	mw.win.SetMaster()
	mw.win.SetCloseIntercept(mw.onCloseRequested)
	mw.win.SetOnClosed(mw.onClosed)
	mw.win.Canvas().SetOnTypedKey(mw.dialogs.onKey)

	removeLegacyPrefs(p, deps.DataDir)
	mw.restorePlace()
	go mw.follow(ctx)
	go draftOffer{drafts: mw.env.drafts, ctx: ctx, do: do, log: log, win: mw.win, onRestore: func(d draft) { mw.pane().restoreDraft(d) }}.offer()
	if deps.IsEmpty != nil && deps.LoadDemo != nil {
		go mw.first.check(ctx)
	}
	return mw
}

// goTo shows a place of the navigation (place.go).
// What the editors hold is saved first; when it cannot be, the place stays and the user
// is asked (Keep editing, Discard changes).
func (mw *mainWindow) goTo(to place) { mw.goThen(to, nil) }

// goThen goes to place to (see goTo), then runs then (when not nil).
func (mw *mainWindow) goThen(to place, then func()) {
	if then == nil {
		then = func() {}
	}
	if to == mw.place && to == searchPlace {
		then()
		return
	}
	mw.flush(func(failed []saveFailure) {
		if len(failed) > 0 {
			failed[0].pane.askLeave(failed[0].err, func() { mw.goThen(to, then) })
			return
		}
		mw.show(to)
		then()
	})
}

// show shows place to at once.
func (mw *mainWindow) show(to place) {
	mw.place = to
	mw.nav.highlight(to)
	setVisible(mw.incident.content, to.kind == placeIncident)
	if to.kind == placeIncident {
		mw.search.content.Hide()
		mw.browse.content.Hide()
		mw.incident.open(to.value)
		mw.win.Canvas().Focus(nil)
		mw.incident.focusPane()
	} else if to == searchPlace {
		mw.browse.content.Hide()
		mw.search.content.Show()
		if mw.search.stale {
			mw.search.refresh()
		}
		mw.win.Canvas().Focus(mw.search.entry)
	} else {
		mw.search.content.Hide()
		mw.browse.content.Show()
		mw.browse.show(to)
		mw.win.Canvas().Focus(nil)
	}
	mw.center.Refresh()
}

// pane is the item pane of the place shown.
func (mw *mainWindow) pane() *itemPane {
	if mw.place == searchPlace {
		return mw.search.pane
	}
	return mw.browse.pane
}

// panes are the window's item panes: the search's and the browse screen's.
func (mw *mainWindow) panes() []*itemPane { return []*itemPane{mw.search.pane, mw.browse.pane} }

// openAt goes to the browsing place to and opens item id there (none when ""), selecting
// its row once listed: an item an import made (in the Documents), the place remembered.
func (mw *mainWindow) openAt(to place, id string) {
	if mw.place == to && id != "" {
		mw.browse.onOpenLinked(id)
		return
	}
	mw.browse.selectWhenListed(id)
	mw.goTo(to)
	if id != "" {
		mw.browse.pane.open(id)
	}
}

// openItem shows an item in the place shown.
func (mw *mainWindow) openItem(id string) {
	if mw.place == searchPlace {
		mw.search.onOpenLinked(id)
		return
	}
	mw.browse.onOpenLinked(id)
}

// saveFailure is an editor whose content could not be saved, and why.
type saveFailure struct {
	pane *itemPane
	err  error
}

// flush saves what the editors hold (waiting for the saves running); done runs (on the UI
// goroutine) when every save has ended, with those that failed.
func (mw *mainWindow) flush(done func([]saveFailure)) {
	waiting := 1
	var failed []saveFailure
	finish := func(p *itemPane, err error) {
		if err != nil {
			failed = append(failed, saveFailure{p, err})
		}
		waiting--
		if waiting == 0 && done != nil {
			done(failed)
		}
	}
	for _, p := range mw.panes() {
		if p.ed != nil {
			waiting++
			p.save(func(err error) { finish(p, err) })
		}
	}
	finish(nil, nil)
}

// storeChanged runs after every commit to the knowledge base, whoever made it (a save or
// a trash here, an import, later sync): the list shown and the counts and pickers are read
// again. The search runs again once the index holds the change (indexChanged).
func (mw *mainWindow) storeChanged() {
	if mw.closing || mw.ctx.Err() != nil {
		return
	}
	if mw.place.kind == placeIncident {
		mw.incident.reload()
	} else if mw.place != searchPlace {
		mw.browse.reload()
	}
	mw.reloadVocab()
	mw.reloadKept()
}

// reloadVocab reads the vocabulary and the counts again, off the UI goroutine: one read at
// a time, and one more after it when commits came meanwhile (an import commits often).
func (mw *mainWindow) reloadVocab() {
	if mw.vocabReading {
		mw.vocabAgain = true
		return
	}
	mw.vocabReading = true
	go mw.loadVocab(mw.titlesWanted)
}

// wantTitles reads the vocabulary with every title and source, from now on (env.wantTitles).
func (mw *mainWindow) wantTitles() {
	if mw.titlesWanted {
		return
	}
	mw.titlesWanted = true
	if !mw.env.vocab.full {
		mw.reloadVocab()
	}
}

// loadVocab reads what the pickers complete from and the navigation's counts (off the UI
// goroutine).
func (mw *mainWindow) loadVocab(titles bool) {
	st, err := mw.deps.Library.Stats(mw.ctx)
	var v *vocab
	if err == nil {
		v, err = loadVocab(mw.ctx, mw.deps.Library, titles || st.Live <= vocabEager)
	}
	if mw.ctx.Err() != nil {
		return
	}
	mw.do(func() {
		if mw.vocabReading {
			mw.vocabReading = false
			if mw.vocabAgain {
				mw.vocabAgain = false
				mw.reloadVocab()
			}
		}
		if err != nil {
			mw.log.Error("read the vocabulary", "err", err)
			return
		}
		// Keep links picked since the read began.
		for k, id := range mw.env.vocab.byTitle {
			if _, ok := v.byTitle[k]; !ok {
				v.byTitle[k] = id
			}
		}
		mw.env.vocab = v
		mw.nav.showCounts(st)
	})
}

// onCloseRequested saves what is being edited and the window's layout, then closes; an
// edit that cannot be saved is asked about (Save as draft, Discard, Cancel).
func (mw *mainWindow) onCloseRequested() { mw.requestClose(true) }

// requestClose saves what is being edited and the window's layout, then closes. An edit
// that cannot be saved is asked about (ask), or else kept as a draft.
func (mw *mainWindow) requestClose(ask bool) {
	if mw.closing {
		return
	}
	mw.closing = true
	mw.savePrefs()
	mw.flush(func(failed []saveFailure) {
		switch {
		case len(failed) == 0:
			mw.imports.stop(mw.win.Close)
		case ask:
			mw.askClose(failed)
		default:
			mw.keepDrafts(failed, false)
		}
	})
}

// askClose asks what to do with the edits that could not be saved, on closing: keep them
// as drafts and close, discard them and close, or cancel closing.
func (mw *mainWindow) askClose(failed []saveFailure) {
	var lines []string
	for _, f := range failed {
		lines = append(lines, fmt.Sprintf("“%s” could not be saved. %s.", f.pane.editTitle(), saveProblem(f.err)))
	}
	msg := &widget.Label{Wrapping: fyne.TextWrapWord, Text: strings.Join(lines, "\n") + "\n\n" +
		"Save as draft keeps what you typed in the data folder, and Chancery offers it again when it next starts. Discard loses it."}
	d := dialog.NewCustomWithoutButtons("Close without saving?", msg, mw.win)
	asDraft := &widget.Button{Text: "Save as draft", Importance: widget.HighImportance, OnTapped: func() {
		d.Hide()
		mw.keepDrafts(failed, true)
	}}
	discard := &widget.Button{Text: "Discard", Importance: widget.DangerImportance, OnTapped: func() {
		d.Hide()
		waiting := len(failed)
		for _, f := range failed {
			f.pane.discard(func() {
				if waiting--; waiting == 0 {
					mw.imports.stop(mw.win.Close)
				}
			})
		}
	}}
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() {
		d.Hide()
		mw.closing = false
	}}
	d.SetButtons([]fyne.CanvasObject{cancel, discard, asDraft})
	d.Resize(fyne.NewSize(560, 220))
	d.Show()
}

// keepDrafts keeps the edits that could not be saved as drafts, then closes. When a draft
// cannot be written either and the user was asked (asked), the window stays open and says
// so; else it closes anyway.
func (mw *mainWindow) keepDrafts(failed []saveFailure, asked bool) {
	waiting := len(failed)
	var errs []error
	for _, f := range failed {
		f.pane.writeDraft(func(err error) {
			if err != nil {
				errs = append(errs, err)
			}
			if waiting--; waiting > 0 {
				return
			}
			if len(errs) > 0 && asked {
				mw.closing = false
				dialog.ShowError(fmt.Errorf("what you typed could not be kept as a draft either, so the window stays open: %w", errors.Join(errs...)), mw.win)
				return
			}
			mw.imports.stop(mw.win.Close)
		})
	}
}

func (mw *mainWindow) savePrefs() {
	p := mw.app.Preferences()
	size := mw.win.Canvas().Size()
	if size.Width > 100 && size.Height > 100 {
		p.SetFloat(prefWidth, float64(size.Width))
		p.SetFloat(prefHeight, float64(size.Height))
	}
	p.SetFloat(prefNavSplit, mw.split.Offset)
	if mw.place == searchPlace {
		p.SetFloat(prefListSplit, mw.search.split.Offset)
	} else {
		p.SetFloat(prefListSplit, mw.browse.split.Offset)
	}
	mw.remember() // in the knowledge base, not in the preferences (remember.go)
}

// onClosed runs when the window has closed: the work it started is cancelled, and what
// is remembered is written before the store is closed.
func (mw *mainWindow) onClosed() {
	mw.cancel()
	mw.waitRemembered()
	if err := mw.env.opened.removeAll(); err != nil {
		mw.log.Warn("remove the copies of originals opened", "err", errKind(err))
	}
}

// menu is the main menu. Global shortcuts live on menu items: a shortcut added to the
// canvas does not fire while an entry has the focus.
func (mw *mainWindow) menu() *fyne.MainMenu {
	item := func(label string, key fyne.KeyName, f func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, f)
		if key != "" {
			m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		}
		return m
	}
	shiftItem := func(label string, key fyne.KeyName, f func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, f)
		m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
		return m
	}
	altItem := func(label string, key fyne.KeyName, f func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, f)
		m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}
		return m
	}
	file := fyne.NewMenu("File",
		item("New Note", fyne.KeyN, func() { mw.onNew(store.KindNote) }),
		item("New Contact", "", func() { mw.onNew(store.KindContact) }),
		item("New Organisation", "", func() { mw.onNew(store.KindOrganisation) }),
		item("New Briefing", "", func() { mw.onNew(store.KindBriefing) }),
		item("New Incident", "", func() { mw.onNew(store.KindIncident) }), // its form: incidentform.go
		shiftItem("New Briefing from Results", fyne.KeyB, mw.briefs.onNewBriefingFromResults),
		shiftItem("Export Briefing…", fyne.KeyE, mw.briefs.onExportBriefing),
		fyne.NewMenuItemSeparator(),
	)
	if mw.deps.Import != nil {
		file.Items = append(file.Items,
			item("Import…", fyne.KeyI, mw.imports.onImportFile),
			item("Import Folder…", "", mw.imports.onImportFolder),
			item("Import from a Path…", "", mw.imports.onImportPath),
			fyne.NewMenuItemSeparator())
	}
	if mw.deps.ExportPack != nil && mw.deps.ImportPack != nil {
		file.Items = append(file.Items, item("Export Pack…", "", mw.packs.onExportPack),
			item("Import Pack…", "", mw.packs.onImportPack), fyne.NewMenuItemSeparator())
	}
	file.Items = append(file.Items,
		item("Save", fyne.KeyS, mw.onSave),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma, mw.dialogs.onSettings),
	)
	if mw.deps.LoadDemo != nil {
		file.Items = append(file.Items, fyne.NewMenuItem("Load the Example Knowledge Base…", mw.first.offer))
	}
	// Quit closes the window as its close button does: what is typed is saved first.
	quit := item("Quit", fyne.KeyQ, mw.onCloseRequested)
	quit.IsQuit = true
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), quit)
	edit := fyne.NewMenu("Edit",
		item("Find", fyne.KeyF, mw.onFind),
		item("Quick Open…", fyne.KeyK, mw.onQuickOpen),
		fyne.NewMenuItemSeparator(),
		item("Edit Item", fyne.KeyE, mw.onEdit),
		item("Move to Trash", fyne.KeyDelete, mw.onTrash),
		item("History…", fyne.KeyH, mw.onHistory),
		fyne.NewMenuItemSeparator(),
		item("Add to Briefing…", fyne.KeyB, mw.briefs.onAddToBriefing),
		altItem("Move Section Up", fyne.KeyUp, func() { mw.briefs.onMoveSection(-1) }),
		altItem("Move Section Down", fyne.KeyDown, func() { mw.briefs.onMoveSection(1) }),
	)
	if mw.deps.Kept != nil {
		edit.Items = append(edit.Items, fyne.NewMenuItemSeparator(),
			shiftItem("Keep This Search…", fyne.KeyK, mw.onKeepSearch),
			shiftItem("Rename Kept Search…", fyne.KeyR, func() { mw.onKeptCommand(mw.onRenameKept) }),
			shiftItem("Delete Kept Search…", fyne.KeyDelete, func() { mw.onKeptCommand(mw.onDeleteKept) }))
	}
	var goItems []*fyne.MenuItem
	for i, p := range navPlaces {
		key := fyne.KeyName("")
		if i < 7 {
			key = fyne.KeyName(string(rune('1' + i)))
		}
		to := p.place
		goItems = append(goItems, item(p.label, key, func() { mw.goTo(to) }))
	}
	goItems = append(goItems, fyne.NewMenuItemSeparator(), shiftItem("Country Dossier", fyne.KeyD, mw.onDossier)) // dossier.go
	help := fyne.NewMenu("Help", item("Keyboard Shortcuts", fyne.KeySlash, mw.dialogs.onHelp))
	if mw.deps.Incidents != nil {
		return fyne.NewMainMenu(file, edit, fyne.NewMenu("Go", goItems...), mw.incidentMenu(), help)
	}
	return fyne.NewMainMenu(file, edit, fyne.NewMenu("Go", goItems...), help)
}

// onFind goes to the search and puts the focus in its box with its text selected, ready
// to be replaced.
func (mw *mainWindow) onFind() {
	mw.palette.close()
	mw.goTo(searchPlace)
	mw.win.Canvas().Focus(mw.search.entry)
	mw.search.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// onQuickOpen opens the palette over every title; the title chosen opens in the place
// shown.
func (mw *mainWindow) onQuickOpen() {
	mw.palette.open("Open… (type part of a title)", func(t store.Title) { mw.openItem(t.ID) }, nil)
}

func (mw *mainWindow) onNew(k store.Kind) {
	if to := itemsPlace(k); mw.place != to {
		mw.goThen(to, mw.browse.onNew)
		return
	}
	mw.browse.onNew()
}

func (mw *mainWindow) onSave() {
	if mw.confl != nil && mw.confl.ed != nil {
		mw.confl.onSaveMerge() // the merge being written in the Conflicts view
		return
	}
	if mw.place.kind == placeIncident {
		mw.incident.sitreps.onSave() // the situation report being drafted
		return
	}
	mw.pane().save(nil)
}

// The open item's actions; an incident's workspace has no item pane shown, so none act
// there (on an item hidden behind it).
func (mw *mainWindow) onEdit()    { mw.onPane((*itemPane).onEdit) }
func (mw *mainWindow) onTrash()   { mw.onPane((*itemPane).onTrash) }
func (mw *mainWindow) onHistory() { mw.onPane((*itemPane).onHistory) }

func (mw *mainWindow) onPane(f func(*itemPane)) {
	if mw.place.kind != placeIncident {
		f(mw.pane())
	}
}

// onDemoLoaded shows the example once loaded: its search for the spill, and the counts.
func (mw *mainWindow) onDemoLoaded() {
	mw.goTo(searchPlace)
	mw.search.onDemoLoaded()
	mw.reloadVocab()
}

// follow hands the knowledge base's news to the window, on the UI goroutine, until ctx
// ends: the store's commits to storeChanged, the index's to indexChanged. The one source of
// refreshes: no screen polls, and none asks the index to catch up.
func (mw *mainWindow) follow(ctx context.Context) {
	commits, stopCommits := mw.deps.Library.Subscribe()
	defer stopCommits()
	indexed, stopIndexed := mw.deps.Searcher.Subscribe()
	defer stopIndexed()
	st := mw.deps.Searcher.Status()
	mw.do(func() { mw.indexChanged(st) })
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-commits:
			if !ok {
				commits = nil // the store is closed
				continue
			}
			mw.do(mw.storeChanged)
		case _, ok := <-indexed:
			if !ok {
				indexed = nil // the index is closed
				continue
			}
			st := mw.deps.Searcher.Status()
			mw.do(func() { mw.indexChanged(st) })
		}
	}
}

// indexChanged shows the index status (in the search's status line, and in the first
// start's progress) and, once a catch-up has finished, runs the search again: after the
// index was built it may find more, and after changes were applied (a save, an import,
// later sync) it finds them.
func (mw *mainWindow) indexChanged(st search.Status) {
	if mw.ctx.Err() != nil {
		return
	}
	mw.search.showIndexStatus(st)
	mw.first.showIndexStatus(st)
	applied := mw.seenIndex && st.Applied != mw.applied
	if applied || mw.wasBuilding && !st.Building {
		mw.reloadKept() // what the kept searches find has changed with the index
	}
	if !st.Building && (mw.wasBuilding || mw.search.partial || applied && mw.search.entry.Text != "") {
		if mw.place == searchPlace || mw.search.entry.Text == "" {
			mw.search.refresh()
		} else {
			mw.search.stale = true // run again when shown (show), not behind another place
		}
	}
	mw.wasBuilding, mw.applied, mw.seenIndex = st.Building, st.Applied, true
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
