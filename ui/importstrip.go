package ui

import (
	"chancery/store"
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// importPanel runs imports in the background and shows them in a strip at the foot of
// the window (what is being read, how many items are saved, a progress bar, Cancel), so
// the window stays usable; at the end a dialog sums up and lists each file.
type importPanel struct {
	importDeps
	on importHandlers

	marking *widget.Select // the marking asked for the next import (ask)
	asked   []string       // the paths the marking is asked for

	title      *widget.Label
	detail     *widget.Label
	bar        *widget.ProgressBar
	spinner    *widget.ProgressBarInfinite
	cancelBtn  *widget.Button
	detailsBtn *widget.Button
	closeBtn   *widget.Button
	content    fyne.CanvasObject
	// parent holds content at the foot of the window (wrap); it is laid out again when
	// the strip shows or hides.
	parent *fyne.Container

	// State: UI goroutine only.
	gen       int
	running   bool
	cancel    context.CancelFunc
	cancelled bool   // the person cancelled this import
	afterStop func() // runs once the import has stopped (closing the window)
	what      string // what is imported: a file's or folder's name, or how many
	current   string // the document file being read
	filesRead int
	saved     int
	total     int
	indexing  bool
	idxDone   int
	idxTotal  int
	sum       store.ImportReport
	err       error
	rows      []store.ImportedFile // the summary's list, refused first
	dlg       *dialog.CustomDialog
	list      *widget.List
	chosen    *widget.Label // below the list: the file chosen, in full
}

// importDeps is what the importing needs.
type importDeps struct {
	app fyne.App // its clipboard (Copy list)
	win fyne.Window
	ctx context.Context
	do  func(func())
	log *slog.Logger
	// run is Deps.Import; nil: no importing from the window.
	run   func(ctx context.Context, paths []string, class string, p ImportProgress) (store.ImportReport, error)
	vocab func() *vocab // the markings, and the default one
}

// importHandlers are what the importing calls upward.
type importHandlers struct {
	onOpen func(id string) // shows an item an import made
}

func newImportPanel(deps importDeps, on importHandlers) *importPanel {
	p := &importPanel{importDeps: deps, on: on}
	p.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	p.detail = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	p.bar = widget.NewProgressBar()
	p.spinner = widget.NewProgressBarInfinite()
	p.spinner.Stop()
	p.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.onCancel)
	p.detailsBtn = widget.NewButtonWithIcon("Details…", theme.ListIcon(), p.showSummary)
	p.closeBtn = widget.NewButtonWithIcon("", theme.WindowCloseIcon(), p.onDismiss)
	p.closeBtn.Importance = widget.LowImportance
	buttons := container.NewHBox(p.cancelBtn, p.detailsBtn, p.closeBtn)
	body := container.NewBorder(nil, nil, nil, container.NewCenter(buttons), container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.DownloadIcon()), nil, p.title),
		p.detail, container.NewStack(p.bar, p.spinner)))
	p.content = container.NewVBox(widget.NewSeparator(), container.NewPadded(body))
	p.content.Hide()
	return p
}

// start imports paths in the background, marking what it saves class (the default
// marking when ""). While an import runs, another waits: the person is told so.
func (p *importPanel) start(paths []string, class string) {
	if len(paths) == 0 || p.run == nil {
		return
	}
	if p.running {
		dialog.ShowInformation("An import is under way",
			"Wait until it ends, or cancel it, before importing more files.", p.win)
		return
	}
	p.gen++
	gen := p.gen
	ctx, cancel := context.WithCancel(p.ctx)
	p.running, p.cancel, p.cancelled, p.afterStop = true, cancel, false, nil
	p.current, p.filesRead, p.saved, p.total = "", 0, 0, 0
	p.what = pathsWords(paths)
	p.indexing, p.idxDone, p.idxTotal = false, 0, 0
	p.sum, p.err, p.rows = store.ImportReport{}, nil, nil
	p.cancelBtn.Enable()
	p.cancelBtn.Show()
	p.detailsBtn.Hide()
	p.closeBtn.Hide()
	p.showProgress()
	p.setShown(true)
	p.log.Info("import started", "paths", len(paths)) // a count: logs keep no file paths
	if class == "" {
		class = p.vocab().newClass()
	}
	go func() {
		if err := checkPaths(paths); err != nil {
			p.do(func() { p.finish(gen, store.ImportReport{}, err) })
			return
		}
		sum, err := p.run(ctx, paths, class, importListener{p: p, gen: gen})
		cancel()
		p.do(func() { p.finish(gen, sum, err) })
	}()
}

// importListener hands an import's progress to the UI goroutine.
type importListener struct {
	p   *importPanel
	gen int
}

func (l importListener) update(f func()) {
	l.p.do(func() {
		if l.gen == l.p.gen && l.p.running {
			f()
			l.p.showProgress()
		}
	})
}

func (l importListener) Reading(path string) {
	l.update(func() {
		l.p.current = path
		if l.p.total > 0 && l.p.saved >= l.p.total {
			l.p.saved, l.p.total = 0, 0 // that part is done; the documents' own begins
		}
	})
}

func (l importListener) Read(f store.ImportedFile) {
	l.update(func() { l.p.filesRead++ })
}

func (l importListener) Saved(done, total int) {
	l.update(func() { l.p.saved, l.p.total = done, total })
}

func (l importListener) Indexing(done, total int) {
	l.update(func() { l.p.indexing, l.p.idxDone, l.p.idxTotal = true, done, total })
}

// showProgress shows how far the running import has come.
func (p *importPanel) showProgress() {
	var title string
	var parts []string
	fraction := -1.0
	switch {
	case p.cancelled:
		title = "Cancelling the import… (what is already saved is kept)"
	case p.indexing:
		title = "Importing: updating the search index"
	case p.current != "":
		title = "Importing " + filepath.Base(p.current)
	default:
		title = "Importing " + p.what
	}
	if p.filesRead > 0 {
		parts = append(parts, plural(p.filesRead, "document read", "documents read"))
	}
	switch {
	case p.total > 0:
		parts = append(parts, fmt.Sprintf("%s of %s items saved", thousands(p.saved), thousands(p.total)))
		fraction = float64(p.saved) / float64(p.total)
	case p.saved > 0:
		parts = append(parts, plural(p.saved, "item saved", "items saved"))
	}
	if p.indexing && p.idxTotal > 0 {
		parts = append(parts, fmt.Sprintf("%s of %s indexed", thousands(p.idxDone), thousands(p.idxTotal)))
		fraction = float64(p.idxDone) / float64(p.idxTotal)
	}
	if len(parts) == 0 {
		parts = append(parts, "Reading the files…")
	}
	p.title.SetText(title)
	p.detail.SetText(strings.Join(parts, " · "))
	p.detail.Show()
	if fraction >= 0 {
		p.spinner.Stop()
		p.spinner.Hide()
		p.bar.SetValue(min(fraction, 1))
		p.bar.Show()
	} else {
		p.bar.Hide()
		p.spinner.Show()
		p.spinner.Start()
	}
}

// onCancel cancels the running import: what it saved so far stays.
func (p *importPanel) onCancel() {
	if !p.running {
		return
	}
	p.cancelled = true
	p.cancel()
	p.cancelBtn.Disable()
	p.showProgress()
}

// stop cancels the running import, if any, and runs then once it has stopped.
func (p *importPanel) stop(then func()) {
	if !p.running {
		then()
		return
	}
	p.afterStop = then
	p.onCancel()
}

// finish shows how the import gen ended.
func (p *importPanel) finish(gen int, sum store.ImportReport, err error) {
	if gen != p.gen || !p.running {
		return
	}
	p.running = false
	if f := p.afterStop; f != nil {
		p.afterStop = nil
		f()
		return
	}
	if errors.Is(err, context.Canceled) {
		p.cancelled = true
	}
	p.sum, p.err = sum, err
	p.rows = sum.Files()
	slices.SortStableFunc(p.rows, func(a, b store.ImportedFile) int {
		return cmp.Or(cmp.Compare(importRank(a), importRank(b)), strings.Compare(a.Path, b.Path))
	})
	if err != nil && !p.cancelled {
		p.log.Error("import stopped", "err", errKind(err), "saved", sum.Saved)
	} else {
		p.log.Info("import ended", "saved", sum.Saved, "files", len(sum.Files()), "cancelled", p.cancelled)
	}
	p.spinner.Stop()
	p.spinner.Hide()
	p.bar.Hide()
	p.cancelBtn.Hide()
	p.detailsBtn.Show()
	p.closeBtn.Show()
	p.title.SetText(p.heading())
	p.detail.SetText(p.sentence())
	// A finished import says it all in the heading.
	setVisible(p.detail, p.cancelled || p.err != nil || strings.HasPrefix(p.heading(), "Nothing"))
	p.showSummary()
}

// onDismiss hides the strip once the import has ended.
func (p *importPanel) onDismiss() {
	if !p.running {
		p.setShown(false)
	}
}

// wrap puts the strip at the foot of body: the window's content.
func (p *importPanel) wrap(body fyne.CanvasObject) fyne.CanvasObject {
	p.parent = container.NewBorder(nil, p.content, nil, nil, body)
	return p.parent
}

func (p *importPanel) setShown(on bool) {
	setVisible(p.content, on)
	if p.parent != nil {
		p.parent.Refresh()
	}
}
