package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// excerptChars is about how much of a document "Fill with the opening" copies into a
// section's excerpt box: whole paragraphs up to this many characters.
const excerptChars = 1500

// composer is the briefing's part of its editor: audience and purpose, the marking the
// pack will carry, and the sections as a list. A section is the briefing's own Markdown,
// or includes an item (a note, a contact's card, an organisation, a document's excerpt);
// each can be edited, removed, and moved (Alt+Up and Alt+Down on the focused section,
// its Move buttons, or by dragging its handle). Adding a section: own text, or an item
// chosen in the quick-open palette.
type composer struct {
	ed       *editor
	audience *widget.Entry
	purpose  *widget.Entry
	packMark *widget.Label // the pack's marking, in words
	box      *fyne.Container
	endMark  *canvas.Rectangle // where a section dragged past the last one would go
	rows     []*sectionRow
	// current is the section last focused, moved or added: Alt+Up and Alt+Down move it.
	current *sectionRow
	// dropAt is where the section being dragged would go; -1 when none is dragged.
	dropAt int
}

// sectionRow is one section in the composer.
type sectionRow struct {
	c       *composer
	sec     store.Section // as read: its Ref, and the Text of a section that has no box for it
	inc     store.Title   // the included item (ID empty for own text)
	heading *sectionEntry
	text    *sectionEntry // own Markdown or a document's excerpt; nil for other items
	number  *widget.Label
	what    *widget.Label
	badge   *classBadge
	fill    *widget.Button
	handle  *dragHandle
	up      *widget.Button
	down    *widget.Button
	remove  *widget.Button
	mark    *canvas.Rectangle // shown when a dragged section would go above this one
	content *fyne.Container
}

// briefingForm adds the briefing's audience and purpose to f and returns the composer's
// sections.
func (ed *editor) briefingForm(f *fieldList, it store.Item) []fyne.CanvasObject {
	b := it.Briefing
	if b == nil {
		b = &store.Briefing{}
	}
	c := &composer{ed: ed, dropAt: -1}
	ed.comp = c
	c.audience = ed.entry("Minister, Ambassador…", b.Audience)
	f.addObject("Audience", c.audience)
	c.purpose = ed.textArea(3, it.Body)
	c.purpose.SetPlaceHolder("What the pack is for, in Markdown")
	f.addObject("Purpose", c.purpose)
	c.packMark = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	c.endMark = dropMark()
	c.box = container.NewVBox()
	for _, s := range b.Sections {
		c.add(s, c.lookup(s.Ref))
	}
	c.layoutRows()
	c.showMarking()

	addText := widget.NewButtonWithIcon("Text", theme.ContentAddIcon(), c.onAddText)
	addItem := widget.NewButtonWithIcon("Include an item…", theme.SearchIcon(), c.onAddItem)
	hint := &widget.Label{Text: "Ctrl+B includes an item · Alt+Up and Alt+Down move the section you are in · drag a section by its handle to move it anywhere",
		Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	return []fyne.CanvasObject{
		container.NewBorder(nil, nil, nil, container.NewHBox(addText, addItem), sectionHeading("Sections")),
		hint, c.packMark, c.box,
	}
}

// lookup is what the knowledge base says of an included item: its title, kind and marking.
func (c *composer) lookup(id string) store.Title {
	if id == "" {
		return store.Title{}
	}
	if t, ok := c.ed.env.vocab.byID[id]; ok {
		return t
	}
	return store.Title{ID: id}
}

// add appends a section row (not yet laid out: see layoutRows).
func (c *composer) add(s store.Section, inc store.Title) *sectionRow {
	r := &sectionRow{c: c, sec: s, inc: inc}
	r.heading = newSectionEntry(r, false)
	r.heading.SetPlaceHolder("Heading")
	r.heading.SetText(s.Heading)
	r.heading.TextStyle.Bold = true
	r.heading.OnChanged = func(string) { c.ed.edited() }
	switch {
	case s.Ref == "":
		r.text = newSectionEntry(r, true)
		r.text.SetMinRowsVisible(4)
		r.text.SetPlaceHolder("The section's text, in Markdown")
	case inc.Kind == store.KindDocument:
		r.text = newSectionEntry(r, true)
		r.text.SetMinRowsVisible(5)
		r.text.SetPlaceHolder("The excerpt to print. Empty: the opening paragraphs of the document.")
		r.fill = widget.NewButtonWithIcon("Fill with the opening", theme.ContentPasteIcon(), r.onFill)
		r.fill.Importance = widget.LowImportance
	}
	if r.text != nil {
		r.text.SetText(s.Text)
		r.text.OnChanged = func(string) { c.ed.edited() }
	}
	r.number = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	r.what = &widget.Label{Text: sectionWhat(inc), Truncation: fyne.TextTruncateEllipsis}
	r.badge = newClassBadge(false)
	r.badge.SetClass(inc.Class)
	r.handle = newDragHandle(r)
	r.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { c.move(r, -1) })
	r.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { c.move(r, 1) })
	r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { c.removeRow(r) })
	for _, b := range []*widget.Button{r.up, r.down, r.remove} {
		b.Importance = widget.LowImportance
	}
	r.mark = dropMark()

	head := container.NewBorder(nil, nil, container.NewHBox(r.handle, r.number), container.NewHBox(r.up, r.down, r.remove), r.heading)
	icon := widget.NewIcon(theme.DocumentCreateIcon())
	if inc.ID != "" {
		icon.SetResource(kindIcon(inc.Kind))
	}
	badge := container.NewVBox(layout.NewSpacer(), r.badge, layout.NewSpacer())
	what := container.NewBorder(nil, nil, icon, badge, r.what)
	parts := []fyne.CanvasObject{r.mark, head, what}
	if r.text != nil {
		parts = append(parts, r.text)
	}
	if r.fill != nil {
		parts = append(parts, container.NewHBox(r.fill))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	r.content = container.NewStack(bg, container.NewPadded(container.NewVBox(parts...)))
	c.rows = append(c.rows, r)
	return r
}

// sectionWhat says what a section is: own text, or which item it includes and how.
func sectionWhat(inc store.Title) string {
	if inc.ID == "" {
		return "Own text (Markdown)"
	}
	if inc.Title == "" {
		return "An included item no longer in the knowledge base: the export leaves it out"
	}
	switch inc.Kind {
	case store.KindNote:
		return "Included note: " + inc.Title
	case store.KindContact:
		return "Contact card: " + inc.Title
	case store.KindOrganisation:
		return "Organisation: " + inc.Title
	case store.KindDocument:
		return "Document excerpt: " + inc.Title
	}
	return "Included " + strings.ToLower(kindLabel(inc.Kind)) + ": " + inc.Title
}

// layoutRows puts the rows in the list in their order and numbers them.
func (c *composer) layoutRows() {
	objs := make([]fyne.CanvasObject, 0, len(c.rows)+2)
	for i, r := range c.rows {
		r.number.SetText(fmt.Sprintf("%d.", i+1))
		setEnabled(r.up, i > 0)
		setEnabled(r.down, i < len(c.rows)-1)
		objs = append(objs, r.content)
	}
	if len(c.rows) == 0 {
		objs = append(objs, &widget.Label{Text: "No sections yet: add text, or include a note, contact, organisation or document.", Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord})
	}
	objs = append(objs, c.endMark)
	c.box.Objects = objs
	c.box.Refresh()
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// showMarking says which marking the pack will carry: the highest of the briefing's own
// and its included items', in the scheme's order.
func (c *composer) showMarking() {
	classes := c.ed.env.vocab.classes
	own := strings.ToUpper(strings.TrimSpace(c.ed.class.Text))
	high, from := own, ""
	for _, r := range c.rows {
		if r.inc.Class != "" && slices.Index(classes, r.inc.Class) > slices.Index(classes, high) {
			high, from = r.inc.Class, r.heading.Text
		}
	}
	switch {
	case high == "":
		c.packMark.SetText("")
	case from == "":
		c.packMark.SetText("The pack will be marked " + high + ": nothing it includes is marked higher than the briefing.")
	default:
		c.packMark.SetText(fmt.Sprintf("The pack will be marked %s, the highest marking of what it includes (“%s”). A release copy with a lower ceiling leaves such sections out.", high, from))
	}
}

// collect writes the sections into b; empty own-text sections are dropped.
func (c *composer) collect(it *store.Item) {
	b := store.Briefing{}
	if it.Briefing != nil {
		b = *it.Briefing
	}
	b.Audience = strings.TrimSpace(c.audience.Text)
	b.Sections = nil
	for _, r := range c.rows {
		s := store.Section{Heading: strings.TrimSpace(r.heading.Text), Ref: r.sec.Ref, Text: r.sec.Text}
		if r.text != nil {
			s.Text = r.text.Text
		}
		if s.Heading == "" && strings.TrimSpace(s.Text) == "" && s.Ref == "" {
			continue
		}
		b.Sections = append(b.Sections, s)
	}
	it.Briefing = &b
	it.Body = c.purpose.Text
}

// onAddText adds an own-text section at the end and puts the cursor in its heading.
func (c *composer) onAddText() {
	r := c.add(store.Section{}, store.Title{})
	c.added(r)
}

// onAddItem opens the palette to choose the item a new section includes.
func (c *composer) onAddItem() {
	c.ed.env.pickTitle("Include in the briefing… (type part of a title)", func(t store.Title) {
		if err := c.includeTitle(t); err != nil {
			c.ed.showProblem(err.Error())
		}
	}, nil)
}

// includeTitle adds a section including item t, headed by its title.
func (c *composer) includeTitle(t store.Title) error {
	if t.Kind == store.KindBriefing {
		return fmt.Errorf("“%s” is a briefing: a briefing includes notes, contacts, organisations and documents, not other briefings", t.Title)
	}
	if t.ID == c.ed.orig.ID {
		return fmt.Errorf("a briefing cannot include itself")
	}
	c.ed.showProblem("")
	r := c.add(store.Section{Heading: t.Title, Ref: t.ID}, t)
	c.added(r)
	return nil
}

func (c *composer) added(r *sectionRow) {
	c.current = r
	c.layoutRows()
	c.showMarking()
	c.ed.edited()
	c.reveal(r)
	c.ed.env.win.Canvas().Focus(r.heading)
}

// reveal scrolls the editor so that row r is in view.
func (c *composer) reveal(r *sectionRow) {
	s := c.ed.scroll
	if s == nil || s.Content == nil {
		return
	}
	s.Refresh()
	// The new row is not drawn yet, so the driver does not know where it is: its place in
	// the list, which is, does.
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(c.box).Y + r.content.Position().Y - d.AbsolutePositionForObject(s.Content).Y
	top := max(0, min(y-theme.Padding()*4, s.Content.Size().Height-s.Size().Height))
	s.ScrollToOffset(fyne.NewPos(s.Offset.X, top))
}

// removeRow takes a section out of the briefing (saving keeps the earlier version in the
// history).
func (c *composer) removeRow(r *sectionRow) {
	i := slices.Index(c.rows, r)
	if i < 0 {
		return
	}
	c.rows = slices.Delete(c.rows, i, i+1)
	if c.current == r {
		c.current = nil
		if len(c.rows) > 0 {
			c.current = c.rows[min(i, len(c.rows)-1)]
		}
	}
	c.layoutRows()
	c.showMarking()
	c.ed.edited()
}

// move moves a section one place up (-1) or down (+1).
func (c *composer) move(r *sectionRow, step int) {
	i := slices.Index(c.rows, r)
	if i < 0 {
		return
	}
	c.moveTo(i, i+step)
}

// moveTo moves the section at from so that it ends up at index to.
func (c *composer) moveTo(from, to int) {
	if from < 0 || from >= len(c.rows) || to < 0 || to >= len(c.rows) || from == to {
		return
	}
	r := c.rows[from]
	c.rows = slices.Delete(c.rows, from, from+1)
	c.rows = slices.Insert(c.rows, to, r)
	c.current = r
	c.layoutRows()
	c.ed.edited()
}

// moveFocused moves the section holding the focus (or the one last touched) by step.
func (c *composer) moveFocused(step int) bool {
	r := c.focusedRow()
	if r == nil {
		return false
	}
	focused := c.ed.env.win.Canvas().Focused()
	c.move(r, step)
	if focused != nil {
		c.ed.env.win.Canvas().Focus(focused) // keep typing where one was
	}
	return true
}

// focusedRow is the section whose heading, text or buttons have the focus, else the one
// last focused, moved or added.
func (c *composer) focusedRow() *sectionRow {
	f := c.ed.env.win.Canvas().Focused()
	for _, r := range c.rows {
		for _, o := range []fyne.Focusable{r.heading, r.text, r.up, r.down, r.remove} {
			if f != nil && o != nil && o == f {
				return r
			}
		}
	}
	if slices.Contains(c.rows, c.current) {
		return c.current
	}
	return nil
}

// dropIndex is where a section dropped at absolute height y goes: before the first row
// whose middle is below y, else after the last.
func (c *composer) dropIndex(y float32) int {
	box := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.box).Y
	for i, r := range c.rows {
		top := box + r.content.Position().Y
		if y < top+r.content.Size().Height/2 {
			return i
		}
	}
	return len(c.rows)
}

// dragEdge is how close to the top or bottom of the editor a dragged section scrolls it,
// and dragStep how far each movement of the pointer there scrolls.
const dragEdge, dragStep = 40, 24

// onDragged shows where the dragged section would go; near the top or bottom of the
// editor it scrolls, to reach sections out of view.
func (c *composer) onDragged(y float32) {
	if s := c.ed.scroll; s != nil && s.Content != nil {
		top := fyne.CurrentApp().Driver().AbsolutePositionForObject(s).Y
		maxY := max(0, s.Content.Size().Height-s.Size().Height)
		switch {
		case y > top+s.Size().Height-dragEdge && s.Offset.Y < maxY:
			s.ScrollToOffset(fyne.NewPos(s.Offset.X, min(maxY, s.Offset.Y+dragStep)))
		case y < top+dragEdge && s.Offset.Y > 0:
			s.ScrollToOffset(fyne.NewPos(s.Offset.X, max(0, s.Offset.Y-dragStep)))
		}
	}
	at := c.dropIndex(y)
	if at == c.dropAt {
		return
	}
	c.dropAt = at
	for i, r := range c.rows {
		setVisible(r.mark, i == at)
	}
	setVisible(c.endMark, at == len(c.rows))
	c.box.Refresh()
}

// onDrop moves the dragged section where it was dropped.
func (c *composer) onDrop(r *sectionRow) {
	at := c.dropAt
	c.dropAt = -1
	for _, row := range c.rows {
		row.mark.Hide()
	}
	c.endMark.Hide()
	from := slices.Index(c.rows, r)
	if from < 0 || at < 0 {
		c.box.Refresh()
		return
	}
	if at > from {
		at-- // the rows below close up once it is taken out
	}
	if at == from {
		c.box.Refresh()
		return
	}
	c.moveTo(from, at)
}

// onFill fills a document section's excerpt box with the document's opening paragraphs,
// read off the UI goroutine, for the person to cut down to the passage wanted.
func (r *sectionRow) onFill() {
	if r.text == nil || r.sec.Ref == "" {
		return
	}
	e, id := r.c.ed.env, r.sec.Ref
	r.fill.Disable()
	go func() {
		it, err := e.lib.Get(e.ctx, id)
		e.do(func() {
			r.fill.Enable()
			if err != nil {
				e.log.Error("read document for an excerpt", "id", id, "err", err)
				r.c.ed.showProblem(fmt.Sprintf("The text of “%s” could not be read: %v.", r.inc.Title, err))
				return
			}
			ex := openingParagraphs(it.Body, excerptChars)
			if ex == "" {
				r.c.ed.showProblem(fmt.Sprintf("“%s” has no extracted text to take an excerpt from.", it.Title))
				return
			}
			r.text.SetText(ex) // OnChanged marks the briefing edited
			r.c.current = r
			e.win.Canvas().Focus(r.text)
		})
	}()
}

// openingParagraphs returns the first paragraphs of text, whole, up to about n characters
// (at least one paragraph, cut at n when that one is longer).
func openingParagraphs(text string, n int) string {
	var out []string
	size := 0
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if len(out) > 0 && size+len([]rune(p)) > n {
			break
		}
		if r := []rune(p); len(r) > n {
			p = string(r[:n]) + "…"
		}
		out = append(out, p)
		size += len([]rune(p))
	}
	return strings.Join(out, "\n\n")
}

// dropMark is the bar that shows where a dragged section would go.
func dropMark() *canvas.Rectangle {
	m := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	m.SetMinSize(fyne.NewSize(10, 4))
	m.Hide()
	return m
}

// sectionEntry is a section's heading or text box: it records which section has the
// focus, and moves it with Alt+Up and Alt+Down when the menu does not (a native menu).
type sectionEntry struct {
	widget.Entry
	row *sectionRow
}

func newSectionEntry(r *sectionRow, multi bool) *sectionEntry {
	e := &sectionEntry{row: r}
	e.MultiLine = multi
	if multi {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// FocusGained makes this section the one Alt+Up and Alt+Down move.
func (e *sectionEntry) FocusGained() {
	e.row.c.current = e.row
	e.Entry.FocusGained()
}

// TypedShortcut moves the section on Alt+Up and Alt+Down.
func (e *sectionEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.Modifier == fyne.KeyModifierAlt {
		switch cs.KeyName {
		case fyne.KeyUp:
			e.row.c.moveFocused(-1)
			return
		case fyne.KeyDown:
			e.row.c.moveFocused(1)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// dragHandle is the grip at the left of a section: drag it up or down to move the
// section; a bar shows where it will go.
type dragHandle struct {
	widget.BaseWidget
	row  *sectionRow
	icon *widget.Icon
}

func newDragHandle(r *sectionRow) *dragHandle {
	h := &dragHandle{row: r, icon: widget.NewIcon(theme.MenuIcon())}
	h.ExtendBaseWidget(h)
	return h
}

// Dragged follows the pointer and shows where the section would be dropped.
func (h *dragHandle) Dragged(ev *fyne.DragEvent) {
	h.row.c.current = h.row
	h.row.c.onDragged(ev.AbsolutePosition.Y)
}

// DragEnd moves the section where the bar shows.
func (h *dragHandle) DragEnd() { h.row.c.onDrop(h.row) }

// Cursor shows that the handle moves up and down.
func (h *dragHandle) Cursor() desktop.Cursor { return desktop.VResizeCursor }

func (h *dragHandle) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(h.icon)
}
