package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// briefingFromResults is how many of the search's hits (top first) a briefing started
// from the results includes.
const briefingFromResults = 20

// ExportInfo is what an export says of the pack it wrote.
type ExportInfo struct {
	Marking  string   // the banner: the highest marking of what the pack includes
	Withheld []string // the sections a release copy left out, by number and marking only
	Notices  []string // what could not be rendered properly, in words
}

// exportFormats are the formats a briefing is exported as: the file extension Deps.
// ExportBriefing takes, and its name for people.
var exportFormats = []struct{ ext, label string }{
	{"pdf", "PDF"},
	{"docx", "Word (DOCX)"},
	{"html", "Web page (HTML)"},
	{"md", "Markdown"},
}

// briefingDeps is what the briefing actions need.
type briefingDeps struct {
	lib   Library
	ctx   context.Context
	do    func(func())
	log   *slog.Logger
	win   fyne.Window
	vocab func() *vocab // the markings
	// exportBriefing is Deps.ExportBriefing (nil: export is not offered); ceiling is
	// Deps.ExportCeiling.
	exportBriefing func(ctx context.Context, id, format, ceiling string, w io.Writer) (ExportInfo, error)
	ceiling        string
	// choose opens the palette over the titles keep accepts, with extra choices.
	choose func(prompt string, keep func(store.Title) bool, extra []store.Title, pick func(store.Title), cancel func())
}

// briefingHandlers are what the briefing actions ask of the window.
type briefingHandlers struct {
	pane    func() *itemPane                         // the pane of the place shown: the item acted on
	panes   func() []*itemPane                       // every pane: a briefing open in an editor gets its section there
	results func() (query string, hits []search.Hit) // the search shown; none elsewhere
	// onCreated shows a new briefing in its editor.
	onCreated func(it store.Item, note string)
}

// briefingDesk is what acts on briefings from anywhere in the window: a new briefing from
// the search's results, Add to Briefing, moving a section, and the export.
type briefingDesk struct {
	briefingDeps
	on briefingHandlers
	// saveFile asks where to write a file named name (the save dialog; tests replace it).
	saveFile func(name string, done func(fyne.URIWriteCloser, error))
	export   *exportRun // the export started last
}

func newBriefingDesk(deps briefingDeps, on briefingHandlers) *briefingDesk {
	d := &briefingDesk{briefingDeps: deps, on: on}
	d.saveFile = d.showSaveDialog
	return d
}

// onNewBriefingFromResults saves a new briefing whose sections include the top hits of the
// search shown (at most briefingFromResults; briefings among them are left out: a
// briefing does not include another), and opens it in the composer.
func (d *briefingDesk) onNewBriefingFromResults() {
	query, hits := d.on.results()
	if len(hits) == 0 || strings.TrimSpace(query) == "" {
		dialog.ShowInformation("New briefing from results", "Search first: the briefing includes the top results of the search shown.", d.win)
		return
	}
	it, left := briefingFromHits(query, hits, d.vocab().classes)
	if len(it.Briefing.Sections) == 0 {
		dialog.ShowInformation("New briefing from results", "The top results are all briefings, and a briefing does not include another. Search for the notes, contacts, organisations or documents to include.", d.win)
		return
	}
	note := "New briefing: " + plural(len(it.Briefing.Sections), "section", "sections") + " from the search"
	if left > 0 {
		note += fmt.Sprintf(" (%s left out: a briefing does not include briefings)", plural(left, "briefing", "briefings"))
	}
	d.createBriefing(it, note)
}

// briefingFromHits is a new briefing including the top hits, in their order; it also
// returns how many briefings it left out.
func briefingFromHits(q string, hits []search.Hit, classes []string) (store.Item, int) {
	it := newBriefing("Briefing: "+strings.TrimSpace(q), classes)
	left := 0
	for _, h := range hits[:min(len(hits), briefingFromResults)] {
		if h.Kind == store.KindBriefing {
			left++
			continue
		}
		it.Briefing.Sections = append(it.Briefing.Sections, store.Section{Heading: h.Title, Ref: h.ID})
	}
	return it, left
}

// newBriefing is an empty briefing marked with the scheme's lowest marking (its sections
// carry their own; the pack shows the highest).
func newBriefing(title string, classes []string) store.Item {
	it := store.Item{Kind: store.KindBriefing, Title: title, Briefing: &store.Briefing{}}
	if len(classes) > 0 {
		it.Class = classes[0]
	}
	return it
}

// createBriefing saves a new briefing and opens it in the composer, in the Briefings place.
func (d *briefingDesk) createBriefing(it store.Item, note string) {
	e := d
	go func() {
		saved, err := e.lib.Save(context.WithoutCancel(e.ctx), it)
		e.do(func() {
			if err != nil {
				e.log.Error("save new briefing", "err", err)
				dialog.ShowError(fmt.Errorf("the briefing “%s” could not be saved: %w", it.Title, err), e.win)
				return
			}
			d.on.onCreated(saved, note)
		})
	}()
}

// openComposer shows briefing it in the Briefings place, in its editor.
func (mw *mainWindow) openComposer(it store.Item, note string) {
	if mw.place != itemsPlace(store.KindBriefing) {
		mw.goTo(itemsPlace(store.KindBriefing))
	}
	mw.browse.selectWhenListed(it.ID)
	p := mw.browse.pane
	if !p.leaveNow(func() { mw.openComposer(it, note) }) {
		return
	}
	p.view.gen++ // an item still loading must not replace the editor
	p.view.shownID = it.ID
	p.edit(it)
	p.setState(note)
}

// onMoveSection moves the composer's focused section up (-1) or down (+1): Alt+Up and
// Alt+Down.
func (d *briefingDesk) onMoveSection(step int) {
	if p := d.on.pane(); p.ed != nil && p.ed.comp != nil {
		p.ed.comp.moveFocused(step)
	}
}

// newBriefingChoice is the palette's "new briefing" row when adding an item to a
// briefing: no item yet, so no ID.
var newBriefingChoice = store.Title{Kind: store.KindBriefing, Title: "New briefing…"}

// onAddToBriefing asks which briefing (an existing one, or a new one) the open item goes
// into, and appends a section including it. With a briefing open, it includes an item in
// it instead (the palette chooses which).
func (d *briefingDesk) onAddToBriefing() {
	p := d.on.pane()
	if !p.has || p.item.ID == "" || p.item.Deleted != nil {
		dialog.ShowInformation("Add to briefing", "Open a note, contact, organisation or document first: it is what is added.", d.win)
		return
	}
	if p.item.Kind == store.KindBriefing {
		// In a briefing, the same key includes an item in it.
		if p.ed == nil {
			p.onEdit()
		}
		if p.ed != nil && p.ed.comp != nil {
			p.ed.comp.onAddItem()
		}
		return
	}
	p.save(func(err error) {
		if err != nil {
			return
		}
		it := p.item
		inc := store.Title{ID: it.ID, Kind: it.Kind, Title: it.Title, Class: it.Class}
		d.choose(fmt.Sprintf("Add “%s” to which briefing? (type part of its title)", it.Title),
			func(t store.Title) bool { return t.Kind == store.KindBriefing },
			[]store.Title{newBriefingChoice},
			func(t store.Title) { d.addToBriefing(p, t, inc) }, nil)
	})
}

// addToBriefing appends a section including inc to briefing b (a new one when b has no
// ID). A briefing open in an editor gets the section there; any other is read, changed
// and saved off the UI goroutine.
func (d *briefingDesk) addToBriefing(from *itemPane, b store.Title, inc store.Title) {
	if b.ID == "" {
		it := newBriefing("Briefing: "+inc.Title, d.vocab().classes)
		it.Briefing.Sections = []store.Section{{Heading: inc.Title, Ref: inc.ID}}
		d.createBriefing(it, "New briefing including “"+inc.Title+"”")
		return
	}
	for _, p := range d.on.panes() {
		if p.ed != nil && p.ed.comp != nil && p.ed.orig.ID == b.ID {
			if err := p.ed.comp.includeTitle(inc); err != nil {
				dialog.ShowError(err, d.win)
				return
			}
			from.setState(fmt.Sprintf("Added as section %d of “%s” (open in its editor)", len(p.ed.comp.rows), b.Title))
			return
		}
	}
	e := d
	go func() {
		n, err := appendSection(context.WithoutCancel(e.ctx), e.lib, b.ID, inc)
		e.do(func() {
			if err != nil {
				e.log.Error("add to briefing", "briefing", b.ID, "item", inc.ID, "err", err)
				msg := fmt.Errorf("“%s” could not be added to the briefing “%s”: %w", inc.Title, b.Title, err)
				if errors.Is(err, store.ErrConflict) {
					msg = fmt.Errorf("“%s” was not added: the briefing “%s” changed while it was being added to; try again", inc.Title, b.Title)
				}
				dialog.ShowError(msg, e.win)
				return
			}
			from.setState(fmt.Sprintf("Added as section %d of “%s”", n, b.Title))
		})
	}()
}

// appendSection reads briefing id, appends a section including inc and saves it; it
// returns the number of sections.
func appendSection(ctx context.Context, lib Library, id string, inc store.Title) (int, error) {
	b, err := lib.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	if b.Kind != store.KindBriefing {
		return 0, fmt.Errorf("“%s” is not a briefing", b.Title)
	}
	if b.Briefing == nil {
		b.Briefing = &store.Briefing{}
	}
	b.Briefing.Sections = append(b.Briefing.Sections, store.Section{Heading: inc.Title, Ref: inc.ID})
	if _, err := lib.Save(ctx, b); err != nil {
		return 0, err
	}
	return len(b.Briefing.Sections), nil
}

// exportRun is one export of a briefing: the choice of format and release, the file,
// the work in the background with its progress, and what it says when done.
type exportRun struct {
	desk *briefingDesk
	item store.Item
	// exporter, when set, writes item instead of desk's exportBriefing (a situation
	// report: incident_sitreps.go).
	exporter func(ctx context.Context, id, format, ceiling string, w io.Writer) (ExportInfo, error)
	format   *widget.RadioGroup
	release  *widget.Select
	ask      dialog.Dialog // format and release
	// progress is shown while the export runs; cancelBtn stops it.
	progress  dialog.Dialog
	cancelBtn *widget.Button
	bar       *widget.ProgressBarInfinite
	cancel    context.CancelFunc
	done      dialog.Dialog // where it was written, the notices, what was withheld
	doneText  string        // the same, as text
	ext       string
	ceiling   string
	ended     bool // the background work has finished (cancelled or not)
}

// onExportBriefing exports the open briefing (saved first): it asks for the format and
// an optional release ceiling, then where to write it.
func (d *briefingDesk) onExportBriefing() {
	p := d.on.pane()
	if !p.has || p.item.ID == "" || p.item.Kind != store.KindBriefing {
		dialog.ShowInformation("Export briefing", "Open a briefing first (Ctrl+6 lists them): it is what is exported.", d.win)
		return
	}
	if d.exportBriefing == nil {
		dialog.ShowInformation("Export briefing", "This build of Chancery cannot export briefings.", d.win)
		return
	}
	p.save(func(err error) {
		if err == nil {
			d.export = newExportRun(d, p.item)
		}
	})
}

func newExportRun(d *briefingDesk, it store.Item) *exportRun {
	x := &exportRun{desk: d, item: it}
	var labels []string
	for _, f := range exportFormats {
		labels = append(labels, f.label)
	}
	x.format = widget.NewRadioGroup(labels, nil)
	x.format.Required = true
	x.format.SetSelected(labels[0])
	classes := exportCeilings(d.vocab().classes, d.ceiling)
	var opts []string
	for _, c := range classes {
		opts = append(opts, releaseLabel+c)
	}
	x.release = widget.NewSelect(opts, nil)
	if c := defaultCeiling(classes, d.ceiling, it.Class); c != "" {
		x.release.SetSelected(releaseLabel + c)
	}
	hint := &widget.Label{Text: "Every copy leaves out the sections whose item is marked above its ceiling, and lists them by section number and marking only (a heading is often a title). The file is readable by you only.", Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	form := container.New(layout.NewFormLayout(),
		&widget.Label{Text: "Format", TextStyle: fyne.TextStyle{Bold: true}}, x.format,
		&widget.Label{Text: "Copy", TextStyle: fyne.TextStyle{Bold: true}}, x.release)
	// Keyboard first: Export… has the focus, so Enter exports with the choice shown and
	// Escape cancels (Tab reaches the format and the ceiling).
	ask := dialog.NewCustomWithoutButtons("Export “"+it.Title+"”", container.NewVBox(form, hint), d.win)
	ok := newEnterButton("Export…", func() { ask.Hide(); x.onChosen() }, ask.Hide)
	ask.SetButtons([]fyne.CanvasObject{&widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: ask.Hide}, ok})
	x.ask = ask
	x.ask.Resize(fyne.NewSize(520, 330))
	x.ask.Show()
	d.win.Canvas().Focus(ok)
	return x
}

// onChosen checks the choice and asks where to write the file.
func (x *exportRun) onChosen() {
	x.ext = exportFormats[max(0, slices.IndexFunc(exportFormats, func(f struct{ ext, label string }) bool { return f.label == x.format.Selected }))].ext
	x.ceiling = strings.TrimPrefix(x.release.Selected, releaseLabel)
	classes := x.desk.vocab().classes
	if x.ceiling == "" {
		dialog.ShowError(errors.New("choose the copy's ceiling: the highest marking it may carry"), x.desk.win)
		return
	}
	if slices.Index(classes, x.item.Class) > slices.Index(classes, x.ceiling) {
		advice := "Choose a higher ceiling, or lower the briefing's own marking"
		if top := exportCeilings(classes, x.desk.ceiling); slices.Index(top, x.item.Class) < 0 {
			advice = fmt.Sprintf("The administrator's policy allows exports up to %s only; lower the briefing's own marking", x.desk.ceiling)
		}
		dialog.ShowError(fmt.Errorf("no release copy up to %s can be made: the briefing “%s” itself is marked %s, above that ceiling. %s",
			x.ceiling, x.item.Title, x.item.Class, advice), x.desk.win)
		return
	}
	name := exportFileName(x.item.Title, x.ceiling, x.ext)
	x.desk.saveFile(name, func(w fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			dialog.ShowError(fmt.Errorf("the file could not be created: %w", err), x.desk.win)
		case w != nil:
			x.run(w)
		}
	})
}

// exportFileName is the file name offered: the title without characters file systems
// refuse, the release ceiling, the extension.
func exportFileName(title, ceiling, ext string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, strings.TrimSpace(strings.ReplaceAll(title, ":", " -")))
	if r := []rune(name); len(r) > 100 {
		// Cut at a word, without a dangling bracket or comma.
		name = string(r[:100])
		if i := strings.LastIndexByte(name, ' '); i > 50 {
			name = name[:i]
		}
		if i := strings.LastIndexByte(name, '('); i > 0 && !strings.Contains(name[i:], ")") {
			name = name[:i]
		}
		name = strings.TrimRight(name, " ,;-")
	}
	if name == "" {
		name = "briefing"
	}
	if ceiling != "" {
		name += " (release " + strings.ToLower(ceiling) + ")"
	}
	return name + "." + ext
}

// run composes and writes the pack in the background, with a progress dialog and a
// Cancel button; a cancelled or failed export leaves no file behind.
func (x *exportRun) run(w fyne.URIWriteCloser) {
	d := x.desk
	ctx, cancel := context.WithCancel(d.ctx)
	x.cancel = cancel
	x.bar = widget.NewProgressBarInfinite()
	x.cancelBtn = widget.NewButton("Cancel", x.onCancel)
	msg := &widget.Label{Text: fmt.Sprintf("Writing “%s” as %s…", x.item.Title, strings.ToUpper(x.ext)), Wrapping: fyne.TextWrapWord}
	x.progress = dialog.NewCustomWithoutButtons("Exporting the "+x.noun(), container.NewVBox(msg, x.bar, container.NewHBox(layout.NewSpacer(), x.cancelBtn)), d.win)
	x.progress.Resize(fyne.NewSize(460, 160))
	x.progress.Show()
	export, id, format, ceiling := d.exportBriefing, x.item.ID, x.ext, x.ceiling
	if x.exporter != nil {
		export = x.exporter
	}
	go func() {
		var buf bytes.Buffer
		info, err := export(ctx, id, format, ceiling, &buf)
		if err == nil && ctx.Err() == nil {
			err = ownerOnly(w.URI())
		}
		if err == nil && ctx.Err() == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil || ctx.Err() != nil {
			if derr := storage.Delete(w.URI()); derr != nil {
				d.log.Warn("remove the unfinished export", "file", w.URI().String(), "err", derr)
			}
		}
		d.do(func() { x.finish(ctx, w.URI(), info, err) })
	}()
}

// noun is what is exported, as the dialogs name it.
func (x *exportRun) noun() string {
	if x.exporter != nil {
		return "situation report"
	}
	return "briefing"
}

// onCancel stops the export; the file is removed.
func (x *exportRun) onCancel() {
	x.cancel()
	x.hideProgress()
	x.desk.on.pane().setState("Export cancelled: no file was written")
}

func (x *exportRun) hideProgress() {
	if x.progress != nil {
		x.bar.Stop()
		x.progress.Hide()
		x.progress = nil
	}
}

// finish says where the pack was written, its marking, what a release copy withheld and
// what could not be rendered; or what went wrong.
func (x *exportRun) finish(ctx context.Context, u fyne.URI, info ExportInfo, err error) {
	x.ended = true
	if ctx.Err() != nil {
		return // cancelled: said so already
	}
	x.cancel()
	x.hideProgress()
	d := x.desk
	if err != nil {
		d.log.Error("export briefing", "id", x.item.ID, "format", x.ext, "err", err)
		dialog.ShowError(fmt.Errorf("“%s” could not be exported as %s: %w", x.item.Title, strings.ToUpper(x.ext), err), d.win)
		return
	}
	where := u.Path()
	if u.Scheme() != "file" {
		where = u.String()
	}
	lines := []string{"Written to " + where}
	mark := "Marked " + info.Marking
	if x.ceiling != "" {
		mark += fmt.Sprintf(" · release copy up to %s", x.ceiling)
	}
	if info.Marking != "" {
		lines = append(lines, mark)
	}
	objs := []fyne.CanvasObject{}
	for _, l := range lines {
		objs = append(objs, &widget.Label{Text: l, Wrapping: fyne.TextWrapWord})
	}
	if len(info.Withheld) > 0 {
		head := fmt.Sprintf("Withheld from this release copy (marked above %s): %s", x.ceiling, plural(len(info.Withheld), "section", "sections"))
		lines = append(lines, head)
		objs = append(objs, &widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
		for _, h := range info.Withheld {
			lines = append(lines, "• "+h)
			objs = append(objs, &widget.Label{Text: "• " + h, Wrapping: fyne.TextWrapWord})
		}
	} else if x.ceiling != "" {
		none := fmt.Sprintf("Nothing withheld: nothing included is marked above %s", x.ceiling)
		lines = append(lines, none)
		objs = append(objs, &widget.Label{Text: none, Wrapping: fyne.TextWrapWord})
	}
	if len(info.Notices) > 0 {
		lines = append(lines, "Notices")
		objs = append(objs, &widget.Label{Text: "Notices", TextStyle: fyne.TextStyle{Bold: true}})
		for _, n := range info.Notices {
			lines = append(lines, "• "+n)
			objs = append(objs, &widget.Label{Text: "• " + n, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
		}
	}
	x.doneText = strings.Join(lines, "\n")
	x.done = dialog.NewCustomConfirm(strings.ToUpper(x.noun()[:1])+x.noun()[1:]+" exported", "Open", "Close", container.NewVScroll(container.NewVBox(objs...)), func(open bool) {
		if open {
			link, err := url.Parse(u.String())
			if err == nil {
				err = fyne.CurrentApp().OpenURL(link)
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("no viewer could open %s: %w", where, err), d.win)
			}
		}
	}, d.win)
	x.done.Resize(fyne.NewSize(560, 320))
	x.done.Show()
	d.on.pane().setState("Exported to " + u.Name())
}

// releaseLabel starts each choice of ceiling in the export dialog.
const releaseLabel = "Release copy up to "

// exportCeilings are the ceilings an export may take: the scheme's markings up to the
// policy's export ceiling (all when there is none).
func exportCeilings(classes []string, policy string) []string {
	if i := slices.Index(classes, policy); i >= 0 {
		return classes[:i+1]
	}
	return classes
}

// defaultCeiling is the ceiling the export dialog chooses: the policy's export ceiling, or
// else the lowest marking; raised to the briefing's own marking (the lowest a copy of it
// can carry) when that is allowed.
func defaultCeiling(allowed []string, policy, own string) string {
	if len(allowed) == 0 {
		return ""
	}
	c := allowed[0]
	if slices.Contains(allowed, policy) {
		c = policy
	}
	if i := slices.Index(allowed, own); i > slices.Index(allowed, c) {
		c = allowed[i]
	}
	return c
}

// ownerOnly makes an exported file readable and writable by its owner only, before
// anything is written to it; a file that is not on this computer's disk is left as its
// place makes it.
func ownerOnly(u fyne.URI) error {
	if u.Scheme() != "file" {
		return nil
	}
	if err := os.Chmod(u.Path(), 0o600); err != nil {
		return fmt.Errorf("the file could not be made readable by you only: %w", err)
	}
	return nil
}

// showSaveDialog is the save dialog, offering name.
func (d *briefingDesk) showSaveDialog(name string, done func(fyne.URIWriteCloser, error)) {
	fd := dialog.NewFileSave(done, d.win)
	fd.SetFileName(name)
	fd.Show() // before Resize: a file dialog not shown yet has nothing to resize (Fyne 2.8.1)
	if size := d.win.Canvas().Size(); size.Width > 200 {
		fd.Resize(fyne.NewSize(min(900, size.Width-40), min(640, size.Height-40)))
	}
}
