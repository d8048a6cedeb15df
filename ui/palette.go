package ui

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"chancery/store"
)

// paletteRows is how many titles the quick-open palette lists.
const paletteRows = 50

// palette is the quick-open palette (Ctrl+K): a box over every title with fuzzy matching;
// Enter opens the top (or chosen) title, Escape closes. The same palette picks the target
// of a link typed in a note ([[ or @).
type palette struct {
	paletteDeps
	entry    *paletteEntry
	list     *widget.List
	hint     *widget.Label
	popup    *widget.PopUp
	titles   []store.Title // every live title, loaded when the palette opens
	shown    []store.Title
	sel      int
	onPick   func(store.Title)
	onCancel func()
	gen      int
	// keep, when set, limits the titles offered; extra are offered before them (a "New
	// briefing…" choice that is no item yet). Both are reset by every open.
	keep  func(store.Title) bool
	extra []store.Title
}

// paletteDeps is what the palette needs.
type paletteDeps struct {
	lib   Library // the titles, when the vocabulary has not read them yet
	ctx   context.Context
	do    func(func())
	log   *slog.Logger
	win   fyne.Window
	vocab func() *vocab // the titles read with the vocabulary
}

func newPalette(deps paletteDeps) *palette {
	p := &palette{paletteDeps: deps}
	p.entry = newPaletteEntry(p.onKey)
	p.entry.OnChanged = func(string) { p.filter() }
	p.hint = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	p.list = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject { return newPaletteRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.shown) {
				o.(*paletteRow).set(p.shown[i], i == p.sel)
			}
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.list.UnselectAll()
		p.pick(i)
	}
	return p
}

// open shows the palette; pick is called with the title chosen, cancel (when not nil) if
// it is closed without a choice. prompt is the placeholder.
func (p *palette) open(prompt string, pick func(store.Title), cancel func()) {
	p.choose(prompt, nil, nil, pick, cancel)
}

// choose is open over the titles keep accepts (all when nil), after extra.
func (p *palette) choose(prompt string, keep func(store.Title) bool, extra []store.Title, pick func(store.Title), cancel func()) {
	p.onPick, p.onCancel = pick, cancel
	p.keep, p.extra = keep, extra
	p.entry.SetPlaceHolder(prompt)
	p.entry.SetText("")
	p.shown, p.sel = nil, 0
	p.hint.SetText("Loading titles…")
	p.list.Refresh()
	c := p.win.Canvas()
	if p.popup == nil {
		box := container.NewBorder(container.NewVBox(p.entry, p.hint), nil, nil, nil, p.list)
		p.popup = widget.NewModalPopUp(container.NewPadded(box), c)
	}
	size := c.Size()
	w, h := min(640, size.Width-40), min(440, size.Height-80)
	p.popup.Resize(fyne.NewSize(w, h))
	p.popup.ShowAtPosition(fyne.NewPos((size.Width-w)/2, 60))
	c.Focus(p.entry)
	p.gen++
	if v := p.vocab(); v.titles != nil {
		// The titles read with the vocabulary (again after every change): on ten thousand
		// items, reading them takes a noticeable moment.
		p.titles = v.titles
		p.filter()
		return
	}
	gen := p.gen
	go func() {
		titles, err := p.lib.Titles(p.ctx)
		p.do(func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				p.log.Error("list titles", "err", err)
				p.hint.SetText("The titles could not be read: " + err.Error())
				return
			}
			p.titles = titles
			p.filter()
		})
	}()
}

func (p *palette) visible() bool { return p.popup != nil && p.popup.Visible() }

func (p *palette) close() {
	if p.popup != nil {
		p.popup.Hide()
	}
	p.gen++
	if c := p.onCancel; c != nil {
		p.onCancel = nil
		c()
	}
}

// filter lists the titles matching what is typed, best first.
func (p *palette) filter() {
	titles := p.titles
	if p.keep != nil && titles != nil {
		titles = slices.DeleteFunc(slices.Clone(titles), func(t store.Title) bool { return !p.keep(t) })
	}
	switch {
	case len(p.extra) == 0:
		p.shown = fuzzyTitles(titles, p.entry.Text, paletteRows)
	case strings.TrimSpace(p.entry.Text) == "":
		p.shown = append(slices.Clone(p.extra), fuzzyTitles(titles, "", paletteRows-len(p.extra))...)
	default:
		p.shown = fuzzyTitles(append(slices.Clone(p.extra), titles...), p.entry.Text, paletteRows)
	}
	p.sel = 0
	switch {
	case p.titles == nil:
	case len(p.shown) == 0:
		p.hint.SetText("No title matches. Enter searches the full text instead.")
	case strings.TrimSpace(p.entry.Text) == "":
		p.hint.SetText(plural(len(titles), "item", "items") + " — type part of a title; Up and Down to choose, Enter to open, Esc to close")
	default:
		p.hint.SetText("Up and Down to choose, Enter to open, Esc to close")
	}
	p.list.Refresh()
	p.list.ScrollToTop()
}

func (p *palette) pick(i int) {
	if i < 0 || i >= len(p.shown) {
		return
	}
	t := p.shown[i]
	p.onCancel = nil
	p.close()
	if p.onPick != nil {
		p.onPick(t)
	}
}

func (p *palette) onKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyDown:
		p.move(1)
	case fyne.KeyUp:
		p.move(-1)
	case fyne.KeyPageDown:
		p.move(10)
	case fyne.KeyPageUp:
		p.move(-10)
	case fyne.KeyReturn, fyne.KeyEnter:
		p.pick(p.sel)
	case fyne.KeyEscape:
		p.close()
	default:
		return false
	}
	return true
}

func (p *palette) move(step int) {
	if len(p.shown) == 0 {
		return
	}
	p.sel = max(0, min(p.sel+step, len(p.shown)-1))
	p.list.Refresh()
	p.list.ScrollTo(p.sel)
}

// paletteRow is a title in the palette: kind icon, title, kind and classification badge.
type paletteRow struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	icon  *widget.Icon
	title *widget.Label
	kind  *widget.Label
	badge *classBadge
}

func newPaletteRow() *paletteRow {
	r := &paletteRow{
		bg:    canvas.NewRectangle(theme.Color(theme.ColorNameSelection)),
		icon:  widget.NewIcon(theme.DocumentIcon()),
		title: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		kind:  &widget.Label{Importance: widget.LowImportance},
		badge: newClassBadge(false),
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *paletteRow) set(t store.Title, selected bool) {
	r.icon.SetResource(kindIcon(t.Kind))
	r.title.SetText(t.Title)
	r.title.TextStyle.Bold = selected
	r.title.Refresh()
	r.kind.SetText(kindLabel(t.Kind))
	r.badge.SetClass(t.Class)
	if selected {
		r.bg.Show()
	} else {
		r.bg.Hide()
	}
}

func (r *paletteRow) CreateRenderer() fyne.WidgetRenderer {
	right := container.NewHBox(r.kind, container.NewVBox(layout.NewSpacer(), r.badge, layout.NewSpacer()))
	return widget.NewSimpleRenderer(container.NewStack(r.bg, container.NewBorder(nil, nil, r.icon, right, r.title)))
}

// fuzzyTitles returns at most n titles matching q, best first: every character of q must
// appear in the title in order; matches at the start of words and in runs score higher.
// An empty q lists the first n titles as they come.
func fuzzyTitles(titles []store.Title, q string, n int) []store.Title {
	q = fold(strings.TrimSpace(q))
	if q == "" {
		return titles[:min(n, len(titles))]
	}
	type scored struct {
		t     store.Title
		score int
	}
	var out []scored
	for _, t := range titles {
		if s, ok := fuzzyScore(fold(t.Title), q); ok {
			out = append(out, scored{t, s})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return len(a.t.Title) - len(b.t.Title)
	})
	res := make([]store.Title, 0, min(n, len(out)))
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].t)
	}
	return res
}

// fuzzyScore matches q's characters (spaces skipped) in order in s, and scores the match.
func fuzzyScore(s, q string) (int, bool) {
	sr, qr := []rune(s), []rune(strings.ReplaceAll(q, " ", ""))
	score, j, last := 0, 0, -2
	for i := 0; i < len(sr) && j < len(qr); i++ {
		if sr[i] != qr[j] {
			continue
		}
		score++
		if i == 0 || !unicode.IsLetter(sr[i-1]) && !unicode.IsDigit(sr[i-1]) {
			score += 8 // start of a word
		}
		if last == i-1 {
			score += 5 // a run
		}
		last = i
		j++
	}
	if j < len(qr) {
		return 0, false
	}
	for _, w := range strings.Fields(q) {
		if strings.Contains(s, w) {
			score += 10 * len([]rune(w))
		}
	}
	return score, true
}

// fold lowers s and strips its accents, so that "lome" finds "Lomé".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// canvasRect is a rectangle filled with a theme colour.
func canvasRect(name fyne.ThemeColorName) *canvas.Rectangle {
	return canvas.NewRectangle(theme.Color(name))
}
