package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// positionsPane is the affected countries' stated positions, in downstream order: the
// country, its position, when it was stated, the source and its reliability, and the
// statement it comes from (opened by choosing the row). Alt+P adds one; each row's Edit
// button (Alt+Shift+P on the selected row) edits it.
type positionsPane struct {
	s         *incidentScreen
	positions []store.Position
	list      *widget.List
	hint      *widget.Label
	content   fyne.CanvasObject
	selected  int
}

func newPositionsPane(s *incidentScreen) *positionsPane {
	p := &positionsPane{s: s, selected: -1}
	p.hint = &widget.Label{Text: "No positions recorded yet (Alt+P adds one).", Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	p.list = widget.NewList(
		func() int { return len(p.positions) },
		func() fyne.CanvasObject {
			head := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
			text := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
			edit := &widget.Button{Text: "Edit…", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance}
			return container.NewBorder(nil, nil, nil, container.NewHBox(container.NewCenter(newClassBadge(false)), edit), container.NewVBox(head, text))
		},
		p.updateRow,
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.selected = i
		if i >= 0 && i < len(p.positions) && p.positions[i].Statement != "" && p.s.on.onOpenItem != nil {
			p.s.on.onOpenItem(p.positions[i].Statement)
		}
	}
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	add := &widget.Button{Text: "Add a position…", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: p.onAdd}
	p.content = container.NewBorder(nil, container.NewPadded(container.NewHBox(add)), nil, nil, container.NewStack(p.list, p.hint))
	return p
}

func (p *positionsPane) show() {
	p.positions = p.s.recs.Positions
	p.hint.Hidden = len(p.positions) > 0
	p.hint.Refresh()
	p.list.Refresh()
}

// rowText is a position as its row shows it: "Togo · 5 Dec 2026 · Ministry statement B2"
// and the position.
func (p *positionsPane) rowText(pos store.Position) (head, text string) {
	parts := []string{countryNames([]string{pos.Country})}
	if d := formatDate(pos.Stated); d != "" {
		parts = append(parts, d)
	}
	if src := strings.TrimSpace(pos.Source + " " + pos.Reliability); src != "" {
		parts = append(parts, src)
	}
	if pos.Statement != "" {
		parts = append(parts, "statement on file")
	}
	return strings.Join(parts, " · "), pos.Text
}

func (p *positionsPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(p.positions) {
		return
	}
	c := o.(*fyne.Container)
	box := c.Objects[0].(*fyne.Container)
	head, text := p.rowText(p.positions[i])
	box.Objects[0].(*widget.Label).SetText(head)
	box.Objects[1].(*widget.Label).SetText(text)
	right := c.Objects[1].(*fyne.Container)
	right.Objects[0].(*fyne.Container).Objects[0].(*classBadge).SetClass(p.positions[i].Class)
	pos := p.positions[i]
	right.Objects[1].(*widget.Button).OnTapped = func() { p.edit(pos) }
}

// onEdit (Alt+Shift+P) edits the selected position (the only one, when there is one).
func (p *positionsPane) onEdit() {
	switch {
	case p.selected >= 0 && p.selected < len(p.positions):
		p.edit(p.positions[p.selected])
	case len(p.positions) == 1:
		p.edit(p.positions[0])
	}
}

// onAdd (Alt+P) asks for a position: the country (an affected one), what it said, when,
// the source and its reliability.
func (p *positionsPane) onAdd() { p.edit(store.Position{}) }

// edit asks for a position, pos's values filled in: a new one when pos has no ID, else
// pos changed (store.SavePosition; its statement and marking stay).
func (p *positionsPane) edit(pos store.Position) {
	if !p.s.has {
		return
	}
	affected := slices.Clone(p.s.item.Incident.Affected)
	if pos.Country != "" && !slices.Contains(affected, pos.Country) {
		affected = append(affected, pos.Country) // no longer affected: still its own
	}
	names := make([]string, len(affected))
	for i, c := range affected {
		names[i] = countryNames([]string{c})
	}
	country := widget.NewSelect(names, nil)
	if i := slices.Index(affected, pos.Country); i >= 0 {
		country.SetSelectedIndex(i)
	} else if len(names) > 0 {
		country.SetSelectedIndex(0)
	}
	text := widget.NewMultiLineEntry()
	text.SetMinRowsVisible(3)
	text.SetText(pos.Text)
	stated := &widget.Entry{PlaceHolder: "2026-12-05 (your time)", Text: p.formatStatedLocal(pos.Stated)}
	source := &widget.Entry{PlaceHolder: "Ministry press release", Text: pos.Source}
	rel := &widget.Entry{PlaceHolder: "B2", Text: pos.Reliability}
	title, button, doing := "Add a position", "Add", "Adding the position of %s"
	if pos.ID != "" {
		title, button, doing = "Edit the position of "+countryNames([]string{pos.Country}), "Save", "Saving the position of %s"
	}
	items := []*widget.FormItem{widget.NewFormItem("Country", country), widget.NewFormItem("Position", text),
		widget.NewFormItem("Stated", stated), widget.NewFormItem("Source", source), widget.NewFormItem("Reliability", rel)}
	d := dialog.NewForm(title, button, "Cancel", items, func(ok bool) {
		if !ok || country.SelectedIndex() < 0 {
			return
		}
		t, err := p.s.parseLocal(stated.Text)
		if err != nil {
			dialog.ShowError(err, p.s.win)
			return
		}
		pos.Incident, pos.Country, pos.Text, pos.Stated = p.s.id, affected[country.SelectedIndex()], strings.TrimSpace(text.Text), t
		pos.Source, pos.Reliability = strings.TrimSpace(source.Text), strings.ToUpper(strings.TrimSpace(rel.Text))
		p.s.write(fmt.Sprintf(doing, names[country.SelectedIndex()]), func(ctx context.Context) error {
			_, err := p.s.incidents.SavePosition(ctx, pos)
			return err
		}, nil)
	}, p.s.win)
	d.Resize(fyne.NewSize(560, 420))
	d.Show()
	p.s.win.Canvas().Focus(text)
}

// formatStatedLocal is when a position was stated as its field takes it: the day alone when
// it is one (00:00 UTC), else the local time.
func (p *positionsPane) formatStatedLocal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if u := t.UTC(); u.Hour() == 0 && u.Minute() == 0 {
		return u.Format("2006-01-02")
	}
	return t.In(p.s.loc).Format("2006-01-02 15:04")
}
