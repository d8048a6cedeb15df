package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// positionsPane is the affected countries' stated positions, in downstream order: the
// country, its position, when it was stated, the source and its reliability, and the
// statement it comes from (opened by choosing the row). Alt+P adds one.
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
			return container.NewBorder(nil, nil, nil, container.NewCenter(newClassBadge(false)), container.NewVBox(head, text))
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
	c.Objects[1].(*fyne.Container).Objects[0].(*classBadge).SetClass(p.positions[i].Class)
}

// onAdd (Alt+P) asks for a position: the country (an affected one), what it said, when,
// the source and its reliability.
func (p *positionsPane) onAdd() {
	if !p.s.has {
		return
	}
	affected := p.s.item.Incident.Affected
	names := make([]string, len(affected))
	for i, c := range affected {
		names[i] = countryNames([]string{c})
	}
	country := widget.NewSelect(names, nil)
	if len(names) > 0 {
		country.SetSelectedIndex(0)
	}
	text := widget.NewMultiLineEntry()
	text.SetMinRowsVisible(3)
	stated := &widget.Entry{PlaceHolder: "2026-12-05 (your time)"}
	source := &widget.Entry{PlaceHolder: "Ministry press release"}
	rel := &widget.Entry{PlaceHolder: "B2"}
	items := []*widget.FormItem{widget.NewFormItem("Country", country), widget.NewFormItem("Position", text),
		widget.NewFormItem("Stated", stated), widget.NewFormItem("Source", source), widget.NewFormItem("Reliability", rel)}
	d := dialog.NewForm("Add a position", "Add", "Cancel", items, func(ok bool) {
		if !ok || country.SelectedIndex() < 0 {
			return
		}
		t, err := p.s.parseLocal(stated.Text)
		if err != nil {
			dialog.ShowError(err, p.s.win)
			return
		}
		pos := store.Position{Incident: p.s.id, Country: affected[country.SelectedIndex()], Text: strings.TrimSpace(text.Text), Stated: t,
			Source: strings.TrimSpace(source.Text), Reliability: strings.ToUpper(strings.TrimSpace(rel.Text))}
		p.s.write(fmt.Sprintf("Adding the position of %s", names[country.SelectedIndex()]), func(ctx context.Context) error {
			_, err := p.s.incidents.SavePosition(ctx, pos)
			return err
		}, nil)
	}, p.s.win)
	d.Resize(fyne.NewSize(560, 420))
	d.Show()
	p.s.win.Canvas().Focus(text)
}
