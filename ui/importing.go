package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// ImportProgress hears how an import goes. Deps.Import calls its methods on the goroutine
// that imports, never on the UI goroutine.
type ImportProgress interface {
	// Reading says a file's reading begins.
	Reading(path string)
	// Read says what became of a document file once it is read.
	Read(f store.ImportedFile)
	// Saved says how many items are saved so far, of total (0 when not known). It is
	// called after each commit; the count starts again for each part of an import (the
	// notes, then the contacts...).
	Saved(done, total int)
	// Indexing says how far the search index has caught up: done of total items.
	Indexing(done, total int)
}

// importCounts are what a summary tells.
type importCounts struct {
	imported, empty, refused, again int
	emptyWhy                        string // the one reason of every file without text, if they share one
}

func importCountsOf(s store.ImportReport) importCounts {
	var c importCounts
	var keptOdd int // documents saved that are not fully imported
	why := map[string]bool{}
	for _, f := range s.Files() {
		switch {
		case f.Again:
			c.again++
		case f.Status == store.StatusEmpty:
			c.empty++
			keptOdd++
			why[telling(f.Reason)] = true
		case f.Status == store.StatusFailed:
			c.refused++
			if f.ItemID != "" {
				keptOdd++
			}
		}
	}
	c.imported = max(s.Saved-keptOdd, 0)
	if len(why) == 1 {
		for r := range why {
			c.emptyWhy = r
		}
	}
	return c
}

// describeImport is the summary in a line: "12 imported, 2 without text (no text layer), 1
// refused".
func describeImport(s store.ImportReport) string {
	c := importCountsOf(s)
	parts := []string{thousands(c.imported) + " imported"}
	if c.empty > 0 {
		p := thousands(c.empty) + " without text"
		if c.emptyWhy != "" {
			p += " (" + c.emptyWhy + ")"
		}
		parts = append(parts, p)
	}
	if c.refused > 0 {
		parts = append(parts, thousands(c.refused)+" refused")
	}
	if c.again > 0 {
		parts = append(parts, thousands(c.again)+" already in the knowledge base")
	}
	if n := len(s.Both); n == 1 {
		parts = append(parts, "1 changed both here and in its file")
	} else if n > 1 {
		parts = append(parts, thousands(n)+" changed both here and in their files")
	}
	return strings.Join(parts, ", ")
}

// bothWords names the items changed both in the app and in their file, for the summary:
// nothing was overwritten, and where the file's version went.
func bothWords(s store.ImportReport) string {
	if len(s.Both) == 0 {
		return ""
	}
	names := s.Both
	more := ""
	if len(names) > 10 {
		names, more = names[:10], fmt.Sprintf(" and %s more", thousands(len(s.Both)-10))
	}
	return "\n\nChanged both here and in the file since the last import (your version is kept; the file's is in the item's History): " +
		strings.Join(names, "; ") + more + "."
}

// statusWords says in words what became of a document: "Imported", "Imported without text
// — no text layer", "Refused — the file is encrypted".
func statusWords(status, reason string) string {
	switch status {
	case store.StatusOK, "":
		return "Imported"
	case store.StatusEmpty:
		if reason = telling(reason); reason == "" {
			return "Imported without text"
		}
		return "Imported without text — " + reason
	case store.StatusFailed:
		return "Refused — " + cmp.Or(reason, "the file could not be read")
	}
	return status
}

// telling is a reason for a document without text, unless it only says that again ("no
// text").
func telling(reason string) string {
	if r := strings.TrimSpace(reason); !strings.EqualFold(strings.TrimSuffix(r, "."), "no text") {
		return r
	}
	return ""
}

func fileWords(f store.ImportedFile) string {
	w := statusWords(f.Status, f.Reason)
	if f.Again {
		w += " (imported before: nothing added)"
	}
	return w
}

// importRank orders the summary's list: refused files first, then those without text,
// then the imported, then those imported before.
func importRank(f store.ImportedFile) int {
	switch {
	case f.Again:
		return 3
	case f.Status == store.StatusFailed:
		return 0
	case f.Status == store.StatusEmpty:
		return 1
	}
	return 2
}

// importPanel runs imports in the background and shows them in a strip at the foot of
// the window (what is being read, how many items are saved, a progress bar, Cancel), so
// the window stays usable; at the end a dialog sums up and lists each file.
type importPanel struct {
	app  fyne.App
	win  fyne.Window
	run  func(ctx context.Context, paths []string, class string, p ImportProgress) (store.ImportReport, error)
	do   func(func())
	log  *slog.Logger
	ctx  context.Context
	open func(id string) // shows an imported item
	done func()          // after an import: the lists, counts and index catch up

	vocab   func() *vocab  // the markings, and the default one
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
	// parent holds content at the foot of the window; it is laid out again when the
	// strip shows or hides.
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

func newImportPanel(app fyne.App, e *env, run func(context.Context, []string, string, ImportProgress) (store.ImportReport, error), open func(id string), done func()) *importPanel {
	p := &importPanel{app: app, win: e.win, run: run, do: e.do, log: e.log, ctx: e.ctx, open: open, done: done, vocab: func() *vocab { return e.vocab }}
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

// checkPaths says, in words, which of paths cannot be imported because it is not there or
// cannot be opened.
func checkPaths(paths []string) error {
	for _, path := range paths {
		_, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("there is no file or folder %s", path)
		case err != nil:
			return fmt.Errorf("%s cannot be opened (%v)", path, err)
		}
	}
	return nil
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
	if p.done != nil {
		p.done()
	}
	p.showSummary()
}

// heading is the summary's title.
func (p *importPanel) heading() string {
	switch {
	case p.cancelled:
		return "Import cancelled"
	case p.err != nil:
		return "Import stopped"
	case p.sum.Saved == 0 && len(p.sum.Files()) == 0:
		return "Nothing imported"
	}
	return "Import finished: " + describeImport(p.sum)
}

// sentence says in a line what the import did, and for a cancelled or stopped one what
// it kept.
func (p *importPanel) sentence() string {
	kept := p.sum.Saved > 0 || len(p.sum.Files()) > 0
	switch {
	case p.cancelled && kept:
		return "Before the cancel: " + describeImport(p.sum) + ". What was saved is kept; importing the same files again finishes the import."
	case p.cancelled:
		return "Nothing was imported before the cancel."
	case p.err != nil && kept:
		return upperFirst(p.err.Error()) + ". Before that: " + describeImport(p.sum) + "; what was saved is kept."
	case p.err != nil:
		return upperFirst(p.err.Error()) + ". Nothing was imported."
	case !kept:
		return "No file Chancery can read was found there."
	}
	return describeImport(p.sum) + "."
}

// upperFirst is s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// showSummary shows the summary and each file with what became of it, refused ones
// first; choosing a file opens its item.
func (p *importPanel) showSummary() {
	if p.running {
		return
	}
	if p.dlg != nil {
		p.dlg.Hide()
	}
	head := &widget.Label{Text: p.sentence() + bothWords(p.sum), Wrapping: fyne.TextWrapWord}
	var list fyne.CanvasObject
	p.chosen = &widget.Label{Text: "Choose a file to open what it was imported as, or to read in full why it was refused.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	foot := fyne.CanvasObject(p.chosen)
	switch {
	case len(p.rows) == 0 && p.sum.Saved == 0:
		list, foot = layout.NewSpacer(), nil
	case len(p.rows) == 0:
		foot = nil
		list = &widget.Label{Text: "Only document files are listed one by one: the notes, contacts and other items imported are in their places in the navigation.",
			Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	default:
		p.list = widget.NewList(func() int { return len(p.rows) }, newImportRow, p.updateRow)
		p.list.OnSelected = p.onRowSelected
		list = p.list
	}
	copyBtn := widget.NewButtonWithIcon("Copy list", theme.ContentCopyIcon(), p.onCopy)
	closeBtn := widget.NewButton("Close", func() { p.dlg.Hide() })
	closeBtn.Importance = widget.HighImportance
	title := "Import"
	switch {
	case p.cancelled:
		title = "Import cancelled"
	case p.err != nil:
		title = "Import stopped"
	case len(p.rows) > 0 || p.sum.Saved > 0:
		title = "Import finished"
	}
	d := dialog.NewCustomWithoutButtons(title, container.NewBorder(head, foot, nil, nil, list), p.win)
	if len(p.rows) > 0 {
		d.SetButtons([]fyne.CanvasObject{copyBtn, closeBtn})
		d.Resize(fyne.NewSize(680, 480))
	} else {
		d.SetButtons([]fyne.CanvasObject{closeBtn})
		d.Resize(fyne.NewSize(520, 200))
	}
	d.SetOnClosed(func() {
		if p.dlg == d {
			p.dlg = nil
		}
	})
	p.dlg = d
	d.Show()
}

// importRow is a row of the summary's list: an icon for the status, the file's name and
// folder, and what became of it.
type importRow struct {
	widget.BaseWidget
	icon   *widget.Icon
	name   *widget.Label
	status *widget.Label
}

func newImportRow() fyne.CanvasObject {
	r := &importRow{
		icon:   widget.NewIcon(theme.ConfirmIcon()),
		name:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		status: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *importRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.icon), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(0), r.name, r.status)))
}

func (r *importRow) set(f store.ImportedFile) {
	switch {
	case f.Status == store.StatusFailed:
		r.icon.SetResource(theme.ErrorIcon())
		r.status.Importance = widget.DangerImportance
	case f.Status == store.StatusEmpty:
		r.icon.SetResource(theme.WarningIcon())
		r.status.Importance = widget.WarningImportance
	default:
		r.icon.SetResource(theme.ConfirmIcon())
		r.status.Importance = widget.MediumImportance
	}
	r.name.SetText(filepath.Base(f.Path) + "  —  " + filepath.Dir(f.Path))
	r.status.SetText(fileWords(f))
}

func (p *importPanel) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < len(p.rows) {
		o.(*importRow).set(p.rows[id])
	}
}

// onRowSelected opens the item of the file chosen; a file that was not kept has none.
func (p *importPanel) onRowSelected(id widget.ListItemID) {
	if id >= len(p.rows) {
		return
	}
	f := p.rows[id]
	if f.ItemID == "" {
		p.chosen.Importance = widget.MediumImportance
		p.chosen.SetText(f.Path + "\n" + fileWords(f))
		return
	}
	p.list.Unselect(id)
	if p.dlg != nil {
		p.dlg.Hide()
	}
	p.open(f.ItemID)
}

// listText is the summary and the list as text: each file, what became of it.
func (p *importPanel) listText() string {
	var b strings.Builder
	b.WriteString(p.sentence() + "\n")
	for _, f := range p.rows {
		b.WriteString(f.Path + "\t" + fileWords(f) + "\n")
	}
	return b.String()
}

func (p *importPanel) onCopy() {
	p.app.Clipboard().SetContent(p.listText())
}

// onDismiss hides the strip once the import has ended.
func (p *importPanel) onDismiss() {
	if !p.running {
		p.setShown(false)
	}
}

func (p *importPanel) setShown(on bool) {
	setVisible(p.content, on)
	if p.parent != nil {
		p.parent.Refresh()
	}
}

// ask asks which marking to give what the import of paths saves (offering the policy's
// default), then starts it.
func (p *importPanel) ask(paths []string) {
	if len(paths) == 0 || p.run == nil {
		return
	}
	v := p.vocab()
	p.marking = widget.NewSelect(v.allowedClasses(), nil) // nothing above the ceiling: it would only be refused
	p.marking.SetSelected(v.newClass())
	p.asked = paths
	help := &widget.Label{Text: "Mark what is imported from " + pathsWords(paths) + " as (a file that names a higher marking keeps it):",
		Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm("Import", "Import", "Cancel", container.NewVBox(help, p.marking), p.onAsked, p.win)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}

// pathsWords names what an import of paths reads: the file or folder's name, or how many.
func pathsWords(paths []string) string {
	if len(paths) > 1 {
		return plural(len(paths), "file or folder", "files and folders")
	}
	return filepath.Base(paths[0])
}

// onAsked starts the import asked for, with the marking chosen, unless it was cancelled.
func (p *importPanel) onAsked(ok bool) {
	paths := p.asked
	p.asked = nil
	if !ok || p.marking == nil {
		return
	}
	p.start(paths, p.marking.Selected)
}

// onImport asks for a file to import (File > Import…, Ctrl+I).
func (mw *mainWindow) onImport() {
	if mw.deps.Import == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("the file could not be opened: %w", err), mw.win)
			return
		}
		if r == nil {
			return // cancelled
		}
		r.Close()
		mw.imports.ask(localPaths([]fyne.URI{r.URI()}))
	}, mw.win)
	d.SetTitleText("Import a file: notes, contacts, documents")
	d.SetConfirmText("Import")
	d.Show()
	d.Resize(dialogSize(mw.win)) // after Show: a file dialog has no size to change before
}

// onImportFolder asks for a folder to import, with everything Chancery reads inside it.
func (mw *mainWindow) onImportFolder() {
	if mw.deps.Import == nil {
		return
	}
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("the folder could not be opened: %w", err), mw.win)
			return
		}
		if dir == nil {
			return // cancelled
		}
		mw.imports.ask(localPaths([]fyne.URI{dir}))
	}, mw.win)
	d.SetTitleText("Import a folder and everything in it")
	d.SetConfirmText("Import")
	d.Show()
	d.Resize(dialogSize(mw.win)) // after Show: a file dialog has no size to change before
}

// onImportPath asks for the paths of files and folders to import, typed or pasted, one
// a line.
func (mw *mainWindow) onImportPath() {
	if mw.deps.Import == nil {
		return
	}
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("One file or folder a line, for example\n/home/me/Documents/cables")
	entry.SetMinRowsVisible(4)
	entry.Wrapping = fyne.TextWrapOff
	help := &widget.Label{Text: "Type or paste the path of each file or folder to import, one a line. Folders are imported with everything inside them.",
		Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm("Import from a path", "Import", "Cancel", container.NewBorder(help, nil, nil, nil, entry),
		func(ok bool) {
			if ok {
				mw.imports.ask(typedPaths(entry.Text))
			}
		}, mw.win)
	d.Resize(fyne.NewSize(620, 300))
	d.Show()
	mw.win.Canvas().Focus(entry)
}

// typedPaths are the paths typed or pasted one a line, without the quotes a copied path
// may carry.
func typedPaths(text string) []string {
	var paths []string
	for line := range strings.Lines(text) {
		if p := strings.Trim(strings.TrimSpace(line), `"'`); p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// onDropped imports the files and folders dropped on the window.
func (mw *mainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	mw.imports.ask(localPaths(uris))
}

// localPaths are the paths of the local files among uris.
func localPaths(uris []fyne.URI) []string {
	var paths []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	return paths
}

// dialogSize is a file dialog's size: most of the window.
func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(max(s.Width*0.85, 600), max(s.Height*0.85, 420))
}

// showImported opens an item an import made, in the Documents (the summary lists
// document files only).
func (mw *mainWindow) showImported(id string) {
	if mw.place == "kind:document" {
		mw.browse.onOpenLinked(id)
		return
	}
	mw.browse.reselect = id
	mw.goTo("kind:document")
	mw.browse.pane.open(id)
}

// afterImport reads the lists, counts and pickers again; the index catches up and the
// search runs again.
func (mw *mainWindow) afterImport() { mw.onChanged("") }
