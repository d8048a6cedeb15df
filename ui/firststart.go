package ui

import (
	"context"
	"fmt"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
)

// firstStart offers the example knowledge base when the knowledge base is empty, and loads
// it on request: the items, then the index, with progress.
type firstStart struct {
	firstStartDeps
	// onLoaded runs on the UI goroutine once the example is loaded and indexed.
	onLoaded func()

	// State: UI goroutine only.
	offerDialog    *dialog.ConfirmDialog
	progressDialog *dialog.CustomDialog
	progressText   *widget.Label
	loading        bool
	indexing       bool
}

// firstStartDeps is what the first start needs.
type firstStartDeps struct {
	win fyne.Window
	ctx context.Context
	do  func(func())
	log *slog.Logger
	// isEmpty and loadDemo are Deps.IsEmpty and Deps.LoadDemo; waitFor is the index's
	// (Searcher.WaitFor): the example is shown once it is indexed.
	isEmpty  func(ctx context.Context) (bool, error)
	loadDemo func(ctx context.Context) (seq int64, err error)
	waitFor  func(ctx context.Context, seq int64) error
}

// newFirstStart is the first start over deps; onLoaded runs once the example is loaded
// and indexed.
func newFirstStart(deps firstStartDeps, onLoaded func()) *firstStart {
	return &firstStart{firstStartDeps: deps, onLoaded: onLoaded}
}

// check asks isEmpty (off the UI goroutine) and offers the example when the knowledge base
// is empty.
func (f *firstStart) check(ctx context.Context) {
	empty, err := f.isEmpty(ctx)
	if err != nil {
		f.log.Warn("could not tell whether the knowledge base is empty", "err", err)
		return
	}
	if empty && ctx.Err() == nil {
		f.do(f.offer)
	}
}

// offer shows the dialog offering the example knowledge base.
func (f *firstStart) offer() {
	if f.loadDemo == nil || f.loading || f.ctx.Err() != nil {
		return
	}
	question := &widget.Label{
		Text:      "Load the example knowledge base?",
		TextStyle: fyne.TextStyle{Bold: true},
	}
	about := &widget.Label{
		Text: "A fictional case to explore Chancery with: an oil spill from a depot into an " +
			"international river, with five downstream countries — notes, contacts, " +
			"organisations, documents and a briefing.",
		Wrapping: fyne.TextWrapWord,
	}
	later := &widget.Label{
		Text:      "Or start empty, and import your own files. The example can be loaded later from the File menu.",
		Wrapping:  fyne.TextWrapWord,
		TextStyle: fyne.TextStyle{Italic: true},
	}
	d := dialog.NewCustomConfirm("Welcome to Chancery", "Load example", "Start empty",
		container.NewVBox(question, about, later), f.onAnswer, f.win)
	d.Resize(fyne.NewSize(560, 300))
	f.offerDialog = d
	d.Show()
}

func (f *firstStart) onAnswer(load bool) {
	f.offerDialog = nil
	if load {
		f.onLoad()
	}
}

// onLoad loads the example off the UI goroutine, showing progress until it is indexed.
func (f *firstStart) onLoad() {
	if f.loading {
		return
	}
	f.loading, f.indexing = true, false
	f.progressText = widget.NewLabel("Saving the example items…")
	bar := widget.NewProgressBarInfinite()
	f.progressDialog = dialog.NewCustomWithoutButtons("Loading the example knowledge base",
		container.NewVBox(f.progressText, bar), f.win)
	f.progressDialog.Resize(fyne.NewSize(440, 140))
	f.progressDialog.Show()
	go func() {
		seq, err := f.loadDemo(f.ctx)
		if err == nil && f.waitFor != nil {
			f.do(func() { f.indexing = true })
			err = f.waitFor(f.ctx, seq)
		}
		if f.ctx.Err() != nil {
			return
		}
		f.do(func() { f.showLoaded(err) })
	}()
}

// showLoaded closes the progress and shows the example, or says what went wrong.
func (f *firstStart) showLoaded(err error) {
	f.loading, f.indexing = false, false
	if f.progressDialog != nil {
		f.progressDialog.Hide()
		f.progressDialog = nil
	}
	if err != nil {
		f.log.Error("load the example knowledge base", "err", err)
		dialog.NewError(fmt.Errorf("the example knowledge base could not be loaded: %w", err), f.win).Show()
		return
	}
	if f.onLoaded != nil {
		f.onLoaded()
	}
}

// showIndexStatus shows the indexing progress while the example is being indexed.
func (f *firstStart) showIndexStatus(st search.Status) {
	if !f.loading || f.progressText == nil {
		return
	}
	if f.indexing && st.Building && st.Total > 0 {
		f.progressText.SetText(fmt.Sprintf("Indexing the example items… %s of %s", thousands(st.Done), thousands(st.Total)))
	}
}
