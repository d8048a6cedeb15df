package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// actionsPane is the incident's objectives and actions: what, who, when it is due (in the
// desk's local time, and in the zone it was given in), and its status. Overdue ones stand
// out: first, in red, marked OVERDUE. One line and Enter adds one (with the owner and due
// time beside it, optional); Alt+D marks the selected one done.
type actionsPane struct {
	s        *incidentScreen
	actions  []store.IncidentAction // shown order: overdue first, then pending by due, then the rest
	list     *widget.List
	line     *keyEntry
	owner    *widget.Entry
	due      *widget.Entry
	zone     *widget.Entry
	summary  *widget.Label
	content  fyne.CanvasObject
	selected int
}

func newActionsPane(s *incidentScreen) *actionsPane {
	p := &actionsPane{s: s, selected: -1}
	p.line = newKeyEntry(p.onKey)
	p.line.SetPlaceHolder("New objective or action — Enter adds it")
	p.line.OnSubmitted = p.onSubmit
	p.owner = &widget.Entry{PlaceHolder: "Owner"}
	p.due = &widget.Entry{PlaceHolder: "Due (your time): 18:00, 6 Dec 09:00"}
	p.zone = &widget.Entry{PlaceHolder: "Zone (Africa/Lome)"}
	p.summary = &widget.Label{}
	p.list = widget.NewList(
		func() int { return len(p.actions) },
		func() fyne.CanvasObject {
			what := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
			meta := &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
			return container.NewBorder(nil, nil, nil, container.NewCenter(newClassBadge(false)), container.NewVBox(what, meta))
		},
		p.updateRow,
	)
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i }
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	done := &widget.Button{Text: "Done", Importance: widget.LowImportance, OnTapped: p.onDone}
	fields := container.NewGridWithColumns(3, p.owner, p.due, p.zone)
	bar := container.NewVBox(container.NewBorder(nil, nil, nil, done, p.line), fields)
	p.content = container.NewBorder(container.NewPadded(p.summary), container.NewPadded(bar), nil, nil, p.list)
	return p
}

// show shows the actions: overdue ones first (earliest due first), then the others still
// to do by due time, then those done or cancelled.
func (p *actionsPane) show() {
	prev := ""
	if p.selected >= 0 && p.selected < len(p.actions) {
		prev = p.actions[p.selected].ID
	}
	now := p.s.now()
	p.actions = slices.Clone(p.s.recs.Actions)
	rank := func(a store.IncidentAction) int {
		switch {
		case a.Overdue(now):
			return 0
		case a.Pending():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(p.actions, func(a, b store.IncidentAction) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		switch {
		case a.Due.IsZero() && !b.Due.IsZero():
			return 1
		case b.Due.IsZero() && !a.Due.IsZero():
			return -1
		}
		return a.Due.Compare(b.Due)
	})
	overdue := len(store.Overdue(p.actions, now))
	pending := 0
	for _, a := range p.actions {
		if a.Pending() {
			pending++
		}
	}
	switch {
	case len(p.actions) == 0:
		p.summary.SetText("No actions yet. Type one below and press Enter.")
		p.summary.Importance = widget.LowImportance
	case overdue > 0:
		p.summary.SetText(plural(overdue, "action is overdue", "actions are overdue") + " · " + plural(pending, "to do", "to do"))
		p.summary.Importance = widget.DangerImportance
	default:
		p.summary.SetText(plural(pending, "action", "actions") + " to do, none overdue")
		p.summary.Importance = widget.MediumImportance
	}
	p.summary.Refresh()
	p.list.Refresh()
	if i := slices.IndexFunc(p.actions, func(a store.IncidentAction) bool { return a.ID == prev }); prev != "" && i >= 0 {
		p.list.Select(i)
	} else {
		p.list.UnselectAll()
	}
}

// rowText is an action as its row shows it.
func (p *actionsPane) rowText(a store.IncidentAction) (what, meta string, overdue bool) {
	overdue = a.Overdue(p.s.now())
	what = a.Text
	if overdue {
		what = "OVERDUE · " + what
	}
	parts := []string{cmpOr(a.Status, store.ActionOpen)}
	if a.Owner != "" {
		parts = append(parts, a.Owner)
	}
	if !a.Due.IsZero() {
		parts = append(parts, "due "+p.s.dueText(a.Due, a.Zone))
	}
	if !a.Done.IsZero() && a.Status == store.ActionDone {
		parts = append(parts, "done "+p.s.when(a.Done))
	}
	return what, strings.Join(parts, " · "), overdue
}

func (p *actionsPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(p.actions) {
		return
	}
	a := p.actions[i]
	c := o.(*fyne.Container)
	box := c.Objects[0].(*fyne.Container)
	what, meta, overdue := p.rowText(a)
	l := box.Objects[0].(*widget.Label)
	l.TextStyle.Bold = overdue
	switch {
	case overdue:
		l.Importance = widget.DangerImportance
	case !a.Pending():
		l.Importance = widget.LowImportance
	default:
		l.Importance = widget.MediumImportance
	}
	l.SetText(what)
	box.Objects[1].(*widget.Label).SetText(meta)
	c.Objects[1].(*fyne.Container).Objects[0].(*classBadge).SetClass(a.Class)
}

func (p *actionsPane) onKey(key fyne.KeyName) bool {
	return stepSelection(p.list, key, p.selected, len(p.actions))
}

// onSubmit adds the line as an action, with the owner, due time and zone typed beside it.
func (p *actionsPane) onSubmit(text string) {
	text = strings.TrimSpace(text)
	if text == "" || !p.s.has {
		return
	}
	due, err := p.s.parseLocal(p.due.Text)
	if err != nil {
		dialog.ShowError(err, p.s.win)
		return
	}
	a := store.IncidentAction{Incident: p.s.id, Text: text, Owner: strings.TrimSpace(p.owner.Text), Due: due, Zone: strings.TrimSpace(p.zone.Text)}
	line := p.line.Text
	p.s.write("Adding the action", func(ctx context.Context) error {
		_, err := p.s.incidents.SaveAction(ctx, a)
		return err
	}, func() {
		if p.line.Text == line {
			p.line.SetText("")
			p.due.SetText("")
		}
	})
}

// onDone (Alt+D) marks the selected action done.
func (p *actionsPane) onDone() {
	if p.selected < 0 || p.selected >= len(p.actions) {
		return
	}
	a := p.actions[p.selected]
	a.Status = store.ActionDone
	p.s.write("Marking the action done", func(ctx context.Context) error {
		_, err := p.s.incidents.SaveAction(ctx, a)
		return err
	}, nil)
}
