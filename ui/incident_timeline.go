package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// entryTypeLabels are the timeline entry types as offered (store.EntryTypes).
var entryTypeLabels = map[string]string{
	store.EntryEvent: "Event", store.EntryDecision: "Decision", store.EntryCall: "Call",
	store.EntryMessageSent: "Message sent", store.EntryMessageReceived: "Message received", store.EntryObservation: "Observation",
}

func entryTypeLabel(t string) string {
	if l, ok := entryTypeLabels[t]; ok {
		return l
	}
	return t
}

// timelinePane is the incident's timeline: every entry, oldest first, in the desk's local
// time (stored in UTC); one line and Enter adds one (now, or at a time typed first:
// "14:05 …"), of the type chosen (Alt+E goes to the next), significant or not (Alt+S). An
// entry is never edited: Alt+C corrects the selected one with a new entry naming it, and
// the corrected one reads as such.
type timelinePane struct {
	s       *incidentScreen
	entries []store.TimelineEntry
	list    *widget.List
	typ     *widget.Select
	sig     *widget.Check
	line    *keyEntry
	corr    *widget.Label // what the line corrects, when it does
	hint    *widget.Label
	content fyne.CanvasObject

	selected   int    // the selected entry; -1 when none
	correcting string // the entry the line corrects, "" when none
}

func newTimelinePane(s *incidentScreen) *timelinePane {
	p := &timelinePane{s: s, selected: -1}
	labels := make([]string, len(store.EntryTypes))
	for i, t := range store.EntryTypes {
		labels[i] = entryTypeLabel(t)
	}
	p.typ = widget.NewSelect(labels, nil)
	p.typ.SetSelectedIndex(0)
	p.sig = widget.NewCheck("Significant", nil)
	p.line = newKeyEntry(p.onKey)
	p.line.SetPlaceHolder("What happened — Enter adds it now (or type a time first: 14:05 …)")
	p.line.OnSubmitted = p.onSubmit
	p.corr = &widget.Label{Importance: widget.WarningImportance, Truncation: fyne.TextTruncateEllipsis}
	p.corr.Hide()
	p.hint = &widget.Label{Text: "Nothing on the timeline yet. Type what happened below and press Enter.", Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	p.list = widget.NewList(
		func() int { return len(p.entries) },
		func() fyne.CanvasObject {
			when := &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
			badge := newClassBadge(false)
			return container.NewBorder(nil, nil, when, container.NewCenter(badge), &widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		p.updateRow,
	)
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i }
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	bar := container.NewBorder(p.corr, nil, container.NewHBox(p.typ, p.sig), nil, p.line)
	p.content = container.NewBorder(nil, container.NewPadded(bar), nil, nil, container.NewStack(p.list, p.hint))
	return p
}

// reset forgets the entries of the incident shown before.
func (p *timelinePane) reset() {
	p.entries, p.selected = nil, -1
	p.cancelCorrection()
	p.list.UnselectAll()
	p.list.Refresh()
}

// show shows the incident's entries, keeping the selection and scrolling to the newest
// when one was added.
func (p *timelinePane) show() {
	prev := ""
	if p.selected >= 0 && p.selected < len(p.entries) {
		prev = p.entries[p.selected].ID
	}
	grew := len(p.s.recs.Timeline) > len(p.entries)
	p.entries = p.s.recs.Timeline
	p.hint.Hidden = len(p.entries) > 0
	p.hint.Refresh()
	p.list.Refresh()
	if i := slices.IndexFunc(p.entries, func(e store.TimelineEntry) bool { return e.ID == prev }); prev != "" && i >= 0 {
		p.list.Select(i)
	} else {
		p.list.UnselectAll()
	}
	if grew {
		p.list.ScrollToBottom()
	}
}

// text is an entry as its row shows it: "Event ★ text", a correction "Correction: text",
// a corrected one "(corrected) text".
func (p *timelinePane) text(e store.TimelineEntry) string {
	var b strings.Builder
	b.WriteString(entryTypeLabel(e.Type))
	if e.Significant {
		b.WriteString(" ★")
	}
	b.WriteString(" · ")
	switch {
	case e.Corrected():
		b.WriteString("(corrected) ")
	case e.Corrects != "":
		if i := slices.IndexFunc(p.entries, func(o store.TimelineEntry) bool { return o.ID == e.Corrects }); i >= 0 {
			fmt.Fprintf(&b, "Correction of %s: ", p.s.when(p.entries[i].At))
		} else {
			b.WriteString("Correction: ")
		}
	}
	b.WriteString(e.Text)
	if e.Source != "" || e.Reliability != "" {
		b.WriteString(" — " + strings.TrimSpace(e.Source+" "+e.Reliability))
	}
	return b.String()
}

func (p *timelinePane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(p.entries) {
		return
	}
	e := p.entries[i]
	c := o.(*fyne.Container)
	text := c.Objects[0].(*widget.Label)
	c.Objects[1].(*widget.Label).SetText(p.s.when(e.At))
	c.Objects[2].(*fyne.Container).Objects[0].(*classBadge).SetClass(e.Class)
	text.TextStyle.Bold = e.Significant && !e.Corrected()
	text.Importance = widget.MediumImportance
	if e.Corrected() {
		text.Importance = widget.LowImportance
	}
	text.SetText(p.text(e))
}

// onKey: Up and Down move through the entries from the line, Escape stops a correction.
func (p *timelinePane) onKey(key fyne.KeyName) bool {
	switch key {
	case fyne.KeyEscape:
		if p.correcting != "" {
			p.cancelCorrection()
			return true
		}
		return false
	case fyne.KeyUp, fyne.KeyDown:
		if len(p.entries) == 0 {
			return true
		}
		next := len(p.entries) - 1
		if p.selected >= 0 {
			next = p.selected + map[fyne.KeyName]int{fyne.KeyUp: -1, fyne.KeyDown: 1}[key]
		}
		p.list.Select(max(0, min(next, len(p.entries)-1)))
		return true
	}
	return false
}

// onSubmit adds the line as an entry: now, or at the local time it begins with.
func (p *timelinePane) onSubmit(line string) {
	text := strings.TrimSpace(line)
	if text == "" || !p.s.has {
		return
	}
	at := p.s.now().UTC()
	if hm, rest, ok := strings.Cut(text, " "); ok && len(hm) == 5 && hm[2] == ':' {
		if t, err := p.s.parseLocal(hm); err == nil {
			if t.After(at) { // a time later than now today is yesterday's
				t = t.Add(-24 * time.Hour)
			}
			at, text = t, strings.TrimSpace(rest)
		}
	}
	e := store.TimelineEntry{Incident: p.s.id, At: at, Type: store.EntryTypes[max(0, p.typ.SelectedIndex())], Text: text,
		Significant: p.sig.Checked, Corrects: p.correcting}
	// The line is ready for the next entry at once; a failure puts the text back.
	p.line.SetText("")
	p.sig.SetChecked(false)
	p.cancelCorrection()
	p.s.write("Adding to the timeline", func(ctx context.Context) error {
		_, err := p.s.incidents.AddEntry(ctx, e)
		if err != nil {
			p.s.do(func() {
				if p.line.Text == "" {
					p.line.SetText(line)
				}
			})
		}
		return err
	}, nil)
}

// onNextType (Alt+E) chooses the next entry type.
func (p *timelinePane) onNextType() {
	p.typ.SetSelectedIndex((p.typ.SelectedIndex() + 1) % len(store.EntryTypes))
}

// onSignificant (Alt+S) marks the next entry significant, or not.
func (p *timelinePane) onSignificant() { p.sig.SetChecked(!p.sig.Checked) }

// onCorrect (Alt+C) starts a correction of the selected entry (the latest when none is):
// the line holds its text to change, and Enter adds the correction.
func (p *timelinePane) onCorrect() {
	i := p.selected
	if i < 0 {
		i = len(p.entries) - 1
	}
	if i < 0 {
		return
	}
	e := p.entries[i]
	p.correcting = e.ID
	p.corr.SetText(fmt.Sprintf("Correcting the entry of %s: %s — Enter adds the correction, Esc stops", p.s.when(e.At), e.Text))
	p.corr.Show()
	p.typ.SetSelected(entryTypeLabel(e.Type))
	p.sig.SetChecked(e.Significant)
	p.line.SetText(e.Text)
	p.s.win.Canvas().Focus(p.line)
}

func (p *timelinePane) cancelCorrection() {
	p.correcting = ""
	p.corr.Hide()
}
