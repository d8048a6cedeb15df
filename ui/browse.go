package ui

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// browsePage is how many items one read of a list brings. The list is as long as the
// place has items from the start; a page is read when one of its rows is first drawn, so
// jumping to the end of ten thousand items reads one page, not twenty.
const browsePage = 500

// browseKeep is how many pages of a list are kept read: scrolling on reads the pages
// reached and forgets those farthest from the rows drawn, so that a list of 234,000
// items holds a few thousand in memory, not all it was scrolled through (a var for tests).
var browseKeep = 8

// browseScreen is every place of the navigation but Search: the items of a kind, the
// trash, the tags, countries and topics in use, and the items with one of them. A list
// (a widget.List over a slice this screen owns, read page by page off the UI goroutine)
// and, beside it, the selected item's pane.
type browseScreen struct {
	browseDeps
	on browseHandlers

	header   *widget.Label
	back     *widget.Button
	newBtn   *widget.Button
	emptyBtn *widget.Button
	filter   *statusFilter // the Documents' import status filter
	list     *widget.List
	hint     *widget.Label
	pane     *itemPane
	split    *container.Split
	content  fyne.CanvasObject

	// State: UI goroutine only.
	place    place
	opt      store.ListOptions
	terms    bool                 // the list shows tags, countries or topics, not items
	read     map[int][]store.Item // the pages read (page n: rows n*browsePage…), browseKeep at most
	pages    map[int]bool         // pages read or being read
	drawn    int                  // the page of the row drawn last: pages far from it are forgotten
	vals     []store.Term
	total    int
	gen      int
	loading  bool   // the first page (or the terms) is being read
	quiet    bool   // a selection made by the screen itself: do not open it again
	reselect string // select this item when it is loaded
	// openWhenRead is the row chosen while its page was being read; -1 when none.
	openWhenRead int

	// dossier stands beside the list of a country's items (dossier.go); nil when the
	// knowledge base reads none. dossierBtn shows it again.
	dossier    *dossierScreen
	dossierBtn *widget.Button
}

// browseDeps is what the browse screen needs.
type browseDeps struct {
	lib   Library
	ctx   context.Context
	do    func(func())
	log   *slog.Logger
	win   fyne.Window
	vocab func() *vocab // names the topics in headers and rows
	// Emptying the trash removes the drafts of the items it purges, and the copies of
	// their originals opened.
	drafts *draftStore
	opened *openedCopies
	out    *outside // renders the open item's text
	// newPane makes the pane of the item open beside the list, over its view.
	newPane func(*itemView) *itemPane
	// listSplit is the list's share of the width (the layout remembered).
	listSplit float64
	// dossiers reads a country's dossier, shown beside its items; nil: none.
	dossiers DossierReader
}

// browseHandlers are what the browse screen calls upward.
type browseHandlers struct {
	onGo func(place) // a term chosen (the items with it), Back
}

func newBrowseScreen(deps browseDeps, on browseHandlers) *browseScreen {
	b := &browseScreen{browseDeps: deps, on: on}
	b.header = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	b.back = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), b.onBack)
	b.back.Importance = widget.LowImportance
	b.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), b.onNew)
	b.emptyBtn = widget.NewButtonWithIcon("Empty trash", theme.DeleteIcon(), b.onEmptyTrash)
	b.emptyBtn.Importance = widget.DangerImportance
	b.filter = newStatusFilter(func() { b.show(b.place) })
	b.hint = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	b.list = widget.NewList(b.length, func() fyne.CanvasObject { return newResultRow() }, b.updateRow)
	b.list.OnSelected = b.onSelected
	b.pane = deps.newPane(newItemView(viewDeps{items: deps.lib, ctx: deps.ctx, do: deps.do, log: deps.log, out: deps.out}, b.onOpenLinked))

	b.newBrowseDossier(deps.dossiers) // the dossier of a country, in the pane's place (dossier.go)
	top := container.NewBorder(nil, nil, b.back, container.NewHBox(b.dossierBtn, b.newBtn, b.emptyBtn, b.filter.content), b.header)
	left := container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewStack(b.list, container.NewPadded(container.NewVBox(layout.NewSpacer(), b.hint, layout.NewSpacer()))))
	b.split = container.NewHSplit(left, b.pane.content)
	b.split.Offset = deps.listSplit
	b.content = b.split
	return b
}

// show lists place, selecting (without opening) item when it is there.
func (b *browseScreen) show(pl place) {
	if pl != b.place {
		b.pane.clear("Select an item in the list to read it here.")
	}
	b.place = pl
	opt, terms := pl.listOptions(), ""
	if pl.kind == placeTerms {
		terms = pl.terms
	}
	_, back := pl.parent()
	if opt.Kind == store.KindDocument {
		opt.Status = b.filter.status
	}
	b.opt, b.terms = opt, terms != ""
	b.read, b.vals, b.total, b.pages, b.drawn = nil, nil, 0, map[int]bool{0: true}, 0
	b.openWhenRead = -1
	b.quiet = true
	b.list.UnselectAll()
	b.quiet = false
	b.list.Refresh()
	b.list.ScrollToTop()
	setVisible(b.back, back)
	setVisible(b.newBtn, opt.Kind != "" && opt.Kind != store.KindDocument)
	if opt.Kind != "" {
		b.newBtn.SetText("New " + strings.ToLower(kindLabel(opt.Kind)))
	}
	setVisible(b.emptyBtn, opt.Trash)
	setVisible(b.filter.content, opt.Kind == store.KindDocument)
	b.header.SetText(pl.title(b.vocab()))
	b.hint.SetText("Loading…")
	b.hint.Show()
	b.showDossierFor(pl)
	b.load(terms)
}

// reload reads the place again (after a change), keeping the selection.
func (b *browseScreen) reload() {
	if b.place == (place{}) { // never shown yet
		return
	}
	if b.pane.has {
		b.reselect = b.pane.item.ID
	}
	b.show(b.place)
}

func (b *browseScreen) load(terms string) {
	b.gen++
	gen, opt := b.gen, b.opt
	b.loading = true
	go func() {
		if terms != "" {
			vals, err := b.lib.TermCounts(b.ctx, terms)
			b.do(func() { b.showTerms(gen, vals, err) })
			return
		}
		total, err := b.lib.Count(b.ctx, opt)
		var page []store.Item
		if err == nil {
			opt.Limit = browsePage
			page, err = b.lib.List(b.ctx, opt)
		}
		b.do(func() { b.showPage(gen, 0, total, page, err) })
		if opt.Kind == store.KindDocument && err == nil {
			counts, err := countStatuses(b.ctx, b.lib)
			b.do(func() { b.showStatusCounts(gen, counts, err) })
		}
	}()
}

func (b *browseScreen) showTerms(gen int, vals []store.Term, err error) {
	if gen != b.gen {
		return
	}
	b.loading = false
	if err != nil {
		b.log.Error("list terms", "place", b.place, "err", err)
		b.hint.SetText("This list could not be read: " + err.Error())
		return
	}
	if b.place.terms == store.TermCountry {
		slices.SortFunc(vals, func(x, y store.Term) int { return strings.Compare(countryLabel(x.Value), countryLabel(y.Value)) })
	}
	b.vals, b.total = vals, len(vals)
	b.showCount()
	b.list.Refresh()
}

func (b *browseScreen) showPage(gen, from, total int, page []store.Item, err error) {
	if gen != b.gen {
		return
	}
	if from == 0 {
		b.loading = false
	}
	if err != nil {
		b.log.Error("list items", "place", b.place, "err", err)
		b.hint.SetText("This list could not be read: " + err.Error())
		delete(b.pages, from/browsePage)
		return
	}
	if b.read == nil { // the first read since show (page 0 may be read again later)
		b.total = total
		b.read = map[int][]store.Item{}
	}
	b.read[from/browsePage] = page
	b.forget()
	if w := b.openWhenRead; w >= from && w < from+len(page) && w < b.total {
		b.openWhenRead = -1
		b.pane.open(page[w-from].ID)
	}
	if b.opt.Trash && total == 0 {
		b.emptyBtn.Disable()
	} else {
		b.emptyBtn.Enable()
	}
	b.showCount()
	b.list.Refresh()
	if b.reselect != "" {
		if i := b.indexOf(b.reselect); i >= 0 {
			b.quiet = true
			b.list.Select(i)
			b.quiet = false
		}
		b.reselect = ""
	}
}

func (b *browseScreen) showCount() {
	head := b.place.title(b.vocab()) + " · " + thousands(b.total)
	if b.opt.Kind == store.KindDocument {
		head += b.filter.note()
	}
	b.header.SetText(head)
	switch {
	case b.total > 0:
		b.hint.Hide()
	case b.opt.Trash:
		b.hint.SetText("The trash is empty.")
		b.hint.Show()
	case b.terms:
		b.hint.SetText("None in use yet.")
		b.hint.Show()
	case b.opt.Kind == store.KindDocument:
		b.hint.SetText(b.filter.emptyHint())
		b.hint.Show()
	default:
		b.hint.SetText("Nothing here yet.")
		b.hint.Show()
	}
}

// showStatusCounts shows how many documents each choice of the status filter keeps.
func (b *browseScreen) showStatusCounts(gen int, counts map[string]int, err error) {
	if gen != b.gen {
		return
	}
	if err != nil {
		b.log.Error("count documents by status", "err", err)
		return
	}
	b.filter.showCounts(counts)
	b.showCount()
}

// loadPage reads the page of row id when it was not read yet.
func (b *browseScreen) loadPage(id int) {
	n := id / browsePage
	if b.terms || b.pages[n] {
		return
	}
	b.pages[n] = true
	gen, opt, from := b.gen, b.opt, n*browsePage
	opt.Limit, opt.Offset = browsePage, from
	go func() {
		page, err := b.lib.List(b.ctx, opt)
		b.do(func() { b.showPage(gen, from, b.total, page, err) })
	}()
}

// forget drops the pages read farthest from the rows drawn, keeping browseKeep.
func (b *browseScreen) forget() {
	for len(b.read) > browseKeep {
		far, dist := -1, -1
		for n := range b.read {
			if d := max(n-b.drawn, b.drawn-n); d > dist {
				far, dist = n, d
			}
		}
		delete(b.read, far)
		delete(b.pages, far)
	}
}

// itemAt is the item of row i, when its page is read.
func (b *browseScreen) itemAt(i int) (store.Item, bool) {
	page := b.read[i/browsePage]
	if j := i % browsePage; i >= 0 && j < len(page) {
		return page[j], true
	}
	return store.Item{}, false
}

// indexOf is the row of item id among the pages read, or -1.
func (b *browseScreen) indexOf(id string) int {
	for n, page := range b.read {
		if j := slices.IndexFunc(page, func(it store.Item) bool { return it.ID == id }); j >= 0 {
			return n*browsePage + j
		}
	}
	return -1
}

func (b *browseScreen) length() int {
	if b.terms {
		return len(b.vals)
	}
	if b.read == nil {
		return 0
	}
	return b.total
}

func (b *browseScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*resultRow)
	if b.terms {
		if id < len(b.vals) {
			r.set(termRow(b.place.terms, b.vals[id], b.vocab()))
		}
		return
	}
	if id >= b.length() {
		return
	}
	b.drawn = id / browsePage
	it, ok := b.itemAt(id)
	if !ok {
		b.loadPage(id)
		r.set(row{title: "…"}) // its page is being read
		return
	}
	r.set(itemRow(it))
}

func (b *browseScreen) onSelected(id widget.ListItemID) {
	if b.quiet {
		return
	}
	if b.terms {
		if id < len(b.vals) {
			b.on.onGo(termPlace(b.place.terms, b.vals[id].Value))
		}
		return
	}
	b.hideDossier()
	it, ok := b.itemAt(id)
	if !ok && id < b.length() {
		b.openWhenRead = id // a row chosen before its page arrived
		b.loadPage(id)
		return
	}
	if ok && it.ID != b.pane.view.shownID {
		b.pane.open(it.ID)
	}
}

// selectWhenListed selects item id (without opening it again) once the list shows it.
func (b *browseScreen) selectWhenListed(id string) { b.reselect = id }

// onOpenLinked opens a linked item in the pane, selecting its row when it is listed.
func (b *browseScreen) onOpenLinked(id string) {
	if i := b.indexOf(id); i >= 0 {
		b.list.Select(i)
		return
	}
	b.quiet = true
	b.list.UnselectAll()
	b.quiet = false
	b.pane.open(id)
}

func (b *browseScreen) onBack() {
	if parent, ok := b.place.parent(); ok {
		b.on.onGo(parent)
	}
}

func (b *browseScreen) onNew() {
	if b.opt.Kind != "" {
		b.quiet = true
		b.list.UnselectAll()
		b.quiet = false
		b.hideDossier()
		b.pane.newItem(b.opt.Kind)
	}
}

func (b *browseScreen) onEmptyTrash() {
	if b.total == 0 {
		return
	}
	dialog.ShowConfirm("Empty the trash?",
		fmt.Sprintf("%s will be removed for good, with their history. This cannot be undone.", plural(b.total, "item", "items")),
		func(ok bool) {
			if !ok {
				return
			}
			go func() {
				n, err := b.lib.EmptyTrash(context.WithoutCancel(b.ctx))
				b.do(func() {
					if err != nil {
						dialog.ShowError(fmt.Errorf("the trash could not be emptied: %w", err), b.win)
						return
					}
					b.log.Info("trash emptied", "items", n)
					seq := b.drafts.next()
					go func() { // the copies of originals opened from the purged items go too, and their drafts
						if err := b.opened.removePurged(context.WithoutCancel(b.ctx), b.lib); err != nil {
							b.log.Warn("remove the copies of purged originals", "err", errKind(err))
						}
						if err := b.drafts.removePurged(context.WithoutCancel(b.ctx), b.lib, seq); err != nil {
							b.log.Warn("remove the drafts of purged items", "err", errKind(err))
						}
					}()
					b.pane.clear("The trash is empty.")
				})
			}()
		}, b.win)
}

// termLabel is how a term of a list of terms is shown: "#oil-spill", "Nigeria".
func termLabel(terms, value string, v *vocab) string {
	switch terms {
	case store.TermTag:
		return "#" + value
	case store.TermCountry:
		return countryLabel(value)
	case store.TermTopic:
		return v.topicLabel(value)
	}
	return value
}
