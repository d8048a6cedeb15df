package ui

// The reusable widgets, in one place: the pickers (completionEntry, multiPicker,
// labeledRows, tapRow), keyEntry (an entry that hands navigation keys to its screen), the
// facet chip, the classification badge, and resultRow, the row every list of items draws
// (the search's and the browse screen's).

import (
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxSuggestions is how many completions a picker offers at once.
const maxSuggestions = 8

// suggestion is one completion a picker offers: the text shown, and the value it stands
// for ("Nigeria (NGA)" stands for "NGA").
type suggestion struct {
	Text  string
	Value string
}

// completionEntry is a one-line entry that offers completions under it as you type: Up and
// Down move through them, Enter or a tap picks one, Escape closes them. The suggestions
// are tappable rows, not a focusable list, so the entry keeps the focus.
type completionEntry struct {
	widget.Entry
	// suggest returns the completions for the text typed (on the UI goroutine).
	suggest func(text string) []suggestion
	// onPick is called with the suggestion picked; nil: the entry takes its text.
	onPick func(suggestion)
	// onEnter is called when Enter is pressed with no suggestion open.
	onEnter func(text string)
	// onEdited is called on every change typed (not on picks).
	onEdited func(text string)

	popup  *widget.PopUp
	rows   *fyne.Container
	shown  []suggestion
	sel    int
	picked bool // the text was set by a pick: do not suggest again for it
	focus  bool
}

func newCompletionEntry(suggest func(string) []suggestion) *completionEntry {
	e := &completionEntry{suggest: suggest, sel: -1}
	e.ExtendBaseWidget(e)
	e.OnChanged = e.onChanged
	e.OnSubmitted = func(string) {}
	return e
}

func (e *completionEntry) onChanged(text string) {
	if e.picked {
		e.picked = false
		return
	}
	if e.onEdited != nil {
		e.onEdited(text)
	}
	e.showSuggestions(text)
}

// showSuggestions opens (or updates, or closes) the completions for text.
func (e *completionEntry) showSuggestions(text string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil || !e.focus || strings.TrimSpace(text) == "" || e.suggest == nil {
		e.hideSuggestions()
		return
	}
	e.shown = e.suggest(text)
	if len(e.shown) > maxSuggestions {
		e.shown = e.shown[:maxSuggestions]
	}
	if len(e.shown) == 0 {
		e.hideSuggestions()
		return
	}
	e.sel = 0
	if e.rows == nil {
		e.rows = container.New(layout.NewCustomPaddedVBoxLayout(0))
	}
	e.fillRows()
	if e.popup == nil {
		e.popup = widget.NewPopUp(e.rows, c)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	e.popup.ShowAtPosition(pos.Add(fyne.NewPos(0, e.Size().Height)))
	e.popup.Resize(fyne.NewSize(max(e.Size().Width, 260), e.rows.MinSize().Height))
}

func (e *completionEntry) fillRows() {
	objs := make([]fyne.CanvasObject, len(e.shown))
	for i, s := range e.shown {
		objs[i] = newTapRow(s.Text, i == e.sel, func() { e.pick(i) })
	}
	e.rows.Objects = objs
	e.rows.Refresh()
}

func (e *completionEntry) hideSuggestions() {
	e.shown = nil
	e.sel = -1
	if e.popup != nil {
		e.popup.Hide()
	}
}

// suggesting reports whether completions are open.
func (e *completionEntry) suggesting() bool { return len(e.shown) > 0 }

// pick takes suggestion i.
func (e *completionEntry) pick(i int) {
	if i < 0 || i >= len(e.shown) {
		return
	}
	s := e.shown[i]
	e.hideSuggestions()
	if e.onPick != nil {
		e.onPick(s)
		return
	}
	e.picked = true
	e.SetText(s.Value)
	e.CursorColumn = len([]rune(s.Value))
	e.Refresh()
	if e.onEdited != nil {
		e.onEdited(s.Value)
	}
}

// TypedKey moves through the completions, picks one, or closes them.
func (e *completionEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.suggesting() {
		switch ev.Name {
		case fyne.KeyDown:
			e.sel = min(e.sel+1, len(e.shown)-1)
			e.fillRows()
			return
		case fyne.KeyUp:
			e.sel = max(e.sel-1, 0)
			e.fillRows()
			return
		case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
			e.pick(e.sel)
			return
		case fyne.KeyEscape:
			e.hideSuggestions()
			return
		}
	}
	if (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && e.onEnter != nil {
		e.onEnter(e.Text)
		return
	}
	e.Entry.TypedKey(ev)
}

// FocusGained lets the entry offer completions.
func (e *completionEntry) FocusGained() {
	e.focus = true
	e.Entry.FocusGained()
}

// FocusLost closes the completions.
func (e *completionEntry) FocusLost() {
	e.focus = false
	e.Entry.FocusLost()
	e.hideSuggestions()
}

// tapRow is a row of text that can be tapped: a completion.
type tapRow struct {
	widget.BaseWidget
	text     string
	selected bool
	onTapped func()
}

func newTapRow(text string, selected bool, tapped func()) *tapRow {
	r := &tapRow{text: text, selected: selected, onTapped: tapped}
	r.ExtendBaseWidget(r)
	return r
}

func (r *tapRow) Tapped(*fyne.PointEvent) { r.onTapped() }

func (r *tapRow) CreateRenderer() fyne.WidgetRenderer {
	l := &widget.Label{Text: r.text, Truncation: fyne.TextTruncateEllipsis}
	if !r.selected {
		return widget.NewSimpleRenderer(l)
	}
	l.TextStyle.Bold = true
	bg := canvasRect(theme.ColorNameSelection)
	return widget.NewSimpleRenderer(container.NewStack(bg, l))
}

// multiPicker edits a list of values (tags, countries, topics): each value is a chip with
// a button to remove it, and an entry that completes as you type adds more.
type multiPicker struct {
	values   []string
	label    func(value string) string // how a value is shown; nil: as it is
	parse    func(text string) (value string, ok bool)
	onChange func()

	entry   *completionEntry
	chips   *fyne.Container
	content fyne.CanvasObject
}

// newMultiPicker makes a picker; suggest offers values for what is typed, parse turns
// typed text into a value (nil: the text trimmed is the value).
func newMultiPicker(placeholder string, suggest func(string) []suggestion, parse func(string) (string, bool), label func(string) string) *multiPicker {
	p := &multiPicker{parse: parse, label: label}
	p.entry = newCompletionEntry(suggest)
	p.entry.SetPlaceHolder(placeholder)
	p.entry.onPick = func(s suggestion) { p.add(s.Value) }
	p.entry.onEnter = func(text string) {
		if v, ok := p.parseText(text); ok {
			p.add(v)
		}
	}
	p.chips = container.New(layout.NewRowWrapLayoutWithCustomPadding(4, 4))
	p.content = container.NewVBox(p.chips, p.entry)
	return p
}

func (p *multiPicker) parseText(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", false
	}
	if p.parse == nil {
		return text, true
	}
	return p.parse(text)
}

// set shows values (without calling onChange).
func (p *multiPicker) set(values []string) {
	p.values = slices.Clone(values)
	p.showChips()
}

// get returns the values, with what is still typed in the entry added when it parses.
func (p *multiPicker) get() []string {
	out := slices.Clone(p.values)
	if v, ok := p.parseText(p.entry.Text); ok && !slices.Contains(out, v) {
		out = append(out, v)
	}
	return out
}

func (p *multiPicker) add(v string) {
	p.entry.picked = true
	p.entry.SetText("")
	if !slices.Contains(p.values, v) {
		p.values = append(p.values, v)
		p.showChips()
	}
	if p.onChange != nil {
		p.onChange()
	}
}

func (p *multiPicker) remove(v string) {
	p.values = slices.DeleteFunc(p.values, func(x string) bool { return x == v })
	p.showChips()
	if p.onChange != nil {
		p.onChange()
	}
}

func (p *multiPicker) showChips() {
	objs := make([]fyne.CanvasObject, 0, len(p.values))
	for _, v := range p.values {
		text := v
		if p.label != nil {
			text = p.label(v)
		}
		objs = append(objs, newChip(text+"  ×", true, func() { p.remove(v) }))
	}
	p.chips.Objects = objs
	p.chips.Refresh()
}

// labeledRows edits a repeatable list of labelled values (emails, phones, addresses): a
// row per value with its label and a remove button, and an Add button.
type labeledRows struct {
	what      string // "email", "phone", "address"
	labels    []string
	multiline bool
	onChange  func()

	rows    []*labeledRow
	box     *fyne.Container
	content fyne.CanvasObject
}

type labeledRow struct {
	label *completionEntry
	value *widget.Entry
}

func newLabeledRows(what string, labels []string, multiline bool) *labeledRows {
	lr := &labeledRows{what: what, labels: labels, multiline: multiline}
	lr.box = container.NewVBox()
	add := widget.NewButtonWithIcon("Add "+what, theme.ContentAddIcon(), func() { lr.addRow(Labeled{}); lr.changed() })
	add.Importance = widget.LowImportance
	lr.content = container.NewVBox(lr.box, container.NewHBox(add))
	return lr
}

// Labeled is a label and value pair as the rows edit it.
type Labeled struct{ Label, Value string }

func (lr *labeledRows) changed() {
	if lr.onChange != nil {
		lr.onChange()
	}
}

func (lr *labeledRows) set(values []Labeled) {
	lr.rows = nil
	lr.box.Objects = nil
	for _, v := range values {
		lr.addRow(v)
	}
	lr.box.Refresh()
}

func (lr *labeledRows) addRow(v Labeled) {
	row := &labeledRow{}
	row.label = newCompletionEntry(func(text string) []suggestion { return prefixSuggestions(lr.labels, text) })
	row.label.SetPlaceHolder("label")
	row.label.SetText(v.Label)
	row.label.onEdited = func(string) { lr.changed() }
	if lr.multiline {
		row.value = widget.NewMultiLineEntry()
		row.value.SetMinRowsVisible(2)
	} else {
		row.value = widget.NewEntry()
	}
	row.value.SetPlaceHolder(lr.what)
	row.value.SetText(v.Value)
	row.value.OnChanged = func(string) { lr.changed() }
	lr.rows = append(lr.rows, row)
	var line *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		lr.rows = slices.DeleteFunc(lr.rows, func(r *labeledRow) bool { return r == row })
		lr.box.Remove(line)
		lr.changed()
	})
	remove.Importance = widget.LowImportance
	labelBox := container.NewGridWrap(fyne.NewSize(110, row.label.MinSize().Height), row.label)
	line = container.NewBorder(nil, nil, labelBox, remove, row.value)
	lr.box.Add(line)
}

// get returns the rows with a value, in order.
func (lr *labeledRows) get() []Labeled {
	var out []Labeled
	for _, r := range lr.rows {
		if v := strings.TrimSpace(r.value.Text); v != "" {
			out = append(out, Labeled{Label: strings.TrimSpace(r.label.Text), Value: v})
		}
	}
	return out
}

// prefixSuggestions offers the options that contain what is typed, those starting with
// it first.
func prefixSuggestions(options []string, text string) []suggestion {
	q := fold(strings.TrimSpace(text))
	var first, then []suggestion
	for _, o := range options {
		f := fold(o)
		switch {
		case strings.HasPrefix(f, q):
			first = append(first, suggestion{Text: o, Value: o})
		case strings.Contains(f, q):
			then = append(then, suggestion{Text: o, Value: o})
		}
	}
	return append(first, then...)
}

// keyEntry is an Entry that passes navigation keys to its screen first (the search box,
// the palette's box): onKey reports whether it used the key.
type keyEntry struct {
	widget.Entry
	onKey func(fyne.KeyName) bool
}

func newKeyEntry(onKey func(fyne.KeyName) bool) *keyEntry {
	e := &keyEntry{onKey: onKey}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey gives the screen the first look at a key.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev.Name) {
		return
	}
	e.Entry.TypedKey(ev)
}

// resultRow is one row of the result list: kind icon, bold title and classification
// badge; kind, countries and date; one snippet with the matches highlighted.
type resultRow struct {
	widget.BaseWidget
	icon    *widget.Icon
	title   *widget.Label
	badge   *classBadge
	meta    *widget.Label
	snippet *widget.RichText
}

func newResultRow() *resultRow {
	r := &resultRow{
		icon:    widget.NewIcon(theme.DocumentIcon()),
		title:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		badge:   newClassBadge(false),
		meta:    &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		snippet: &widget.RichText{Truncation: fyne.TextTruncateEllipsis, Scroll: container.ScrollNone},
	}
	r.ExtendBaseWidget(r)
	return r
}

// set shows rw.
func (r *resultRow) set(rw row) {
	icon := rw.icon
	if icon == nil {
		icon = kindIcon(rw.kind)
	}
	r.icon.SetResource(icon)
	r.title.SetText(rw.title)
	r.badge.SetClass(rw.marking)
	r.meta.SetText(rw.metaLine())
	if len(rw.snippet) > 0 {
		r.snippet.Segments = snippetSegments(rw.snippet)
	} else {
		r.snippet.Segments = nil
	}
	r.snippet.Refresh()
}

func (r *resultRow) CreateRenderer() fyne.WidgetRenderer {
	badge := container.NewVBox(layout.NewSpacer(), r.badge, layout.NewSpacer())
	line := container.NewBorder(nil, nil, r.icon, badge, r.title)
	tight := layout.NewCustomPaddedVBoxLayout(-theme.Padding() * 2)
	inset := layout.NewCustomPaddedLayout(0, 0, 0, theme.Padding()*2) // clear of the scroll bar
	return widget.NewSimpleRenderer(container.New(inset, container.New(tight, line, r.meta, r.snippet)))
}

// chip is a small toggle for a facet value: filled with the primary colour when on.
type chip struct {
	widget.BaseWidget
	text     string
	on       bool
	onTapped func()
	bg       *canvas.Rectangle
	label    *canvas.Text
}

func newChip(text string, on bool, tapped func()) *chip {
	c := &chip{text: text, on: on, onTapped: tapped}
	c.bg = canvas.NewRectangle(color.Transparent)
	c.bg.CornerRadius = 10
	c.bg.StrokeWidth = 1
	c.label = canvas.NewText(text, color.Black)
	c.label.TextSize = theme.CaptionTextSize() + 1
	c.ExtendBaseWidget(c)
	return c
}

// Tapped toggles the filter.
func (c *chip) Tapped(*fyne.PointEvent) {
	if c.onTapped != nil {
		c.onTapped()
	}
}

// Cursor shows a hand over the chip.
func (c *chip) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (c *chip) CreateRenderer() fyne.WidgetRenderer {
	c.applyTheme()
	return &chipRenderer{c: c, inner: container.NewStack(c.bg, container.New(layout.NewCustomPaddedLayout(2, 2, 9, 9), c.label))}
}

func (c *chip) applyTheme() {
	th := c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	if c.on {
		c.bg.FillColor = th.Color(theme.ColorNamePrimary, v)
		c.bg.StrokeColor = c.bg.FillColor
		c.label.Color = th.Color(theme.ColorNameForegroundOnPrimary, v)
		c.label.TextStyle.Bold = true
	} else {
		c.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
		c.bg.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
		c.label.Color = th.Color(theme.ColorNameForeground, v)
		c.label.TextStyle.Bold = false
	}
}

type chipRenderer struct {
	c     *chip
	inner *fyne.Container
}

func (r *chipRenderer) Layout(s fyne.Size) { r.inner.Resize(s) }

func (r *chipRenderer) MinSize() fyne.Size { return r.inner.MinSize() }

func (r *chipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.inner} }

func (r *chipRenderer) Destroy() {}

func (r *chipRenderer) Refresh() {
	r.c.applyTheme()
	r.inner.Refresh()
}

// classBadge shows a classification marking as white (or black) capitals on its colour: a
// small badge in result rows, a full-width banner above an open item.
type classBadge struct {
	widget.BaseWidget
	class  string
	banner bool
	rect   *canvas.Rectangle
	text   *canvas.Text
}

func newClassBadge(banner bool) *classBadge {
	b := &classBadge{banner: banner, rect: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.White)}
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	if banner {
		b.text.Alignment = fyne.TextAlignCenter
	} else {
		b.rect.CornerRadius = 4
		b.text.TextSize = theme.CaptionTextSize() + 1
	}
	b.ExtendBaseWidget(b)
	return b
}

// SetClass shows another marking.
func (b *classBadge) SetClass(class string) {
	b.class = class
	fill, text := classColor(class)
	b.rect.FillColor = fill
	b.text.Color = text
	b.text.Text = class
	if class == "" {
		b.rect.FillColor = color.Transparent
	}
	b.Refresh()
}

func (b *classBadge) CreateRenderer() fyne.WidgetRenderer {
	pad := layout.NewCustomPaddedLayout(1, 1, 6, 6)
	if b.banner {
		pad = layout.NewCustomPaddedLayout(3, 3, 8, 8)
	}
	return widget.NewSimpleRenderer(container.NewStack(b.rect, container.New(pad, b.text)))
}

// paletteEntry is the palette's box: a keyEntry, as its own type so that renderings name
// it (testdata/palette.xml).
type paletteEntry struct{ keyEntry }

func newPaletteEntry(onKey func(fyne.KeyName) bool) *paletteEntry {
	e := &paletteEntry{keyEntry{onKey: onKey}}
	e.ExtendBaseWidget(e)
	return e
}
