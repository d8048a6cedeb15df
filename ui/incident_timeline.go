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

	"chancery/search"
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
//
// "Found items" (a toggle) merges in, by time, the items the incident's standing searches
// find (their date, else when they were written): shown apart (italic, "Found ·", no
// type), never entries; choosing one opens the item (a click, or Enter on the empty line).
type timelinePane struct {
	s        *incidentScreen
	entries  []store.TimelineEntry
	rows     []timelineRow // what the list shows: the entries, and the items found when asked
	found    []search.Hit  // the dated items the standing searches find (when foundOn)
	foundOn  *widget.Check
	gen      int    // of the search for found items; a later one wins
	foundFor string // the incident the items were searched for
	keying   bool   // the selection moves by the keyboard: a found item is not opened
	list     *widget.List
	typ      *widget.Select
	sig      *widget.Check
	line     *keyEntry
	corr     *widget.Label // what the line corrects, when it does
	hint     *widget.Label
	content  fyne.CanvasObject

	selected   int    // the selected row; -1 when none
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
	p.foundOn = widget.NewCheck("Found items", p.onFoundToggled)
	if s.searcher == nil {
		p.foundOn.Hide()
	}
	p.list = widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject {
			when := &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
			badge := newClassBadge(false)
			return container.NewBorder(nil, nil, when, container.NewCenter(badge), &widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		p.updateRow,
	)
	p.list.OnSelected = p.onSelected
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	bar := container.NewBorder(p.corr, nil, container.NewHBox(p.typ, p.sig), p.foundOn, p.line)
	p.content = container.NewBorder(nil, container.NewPadded(bar), nil, nil, container.NewStack(p.list, p.hint))
	return p
}

// reset forgets the entries of the incident shown before.
func (p *timelinePane) reset() {
	p.entries, p.rows, p.found, p.foundFor, p.selected = nil, nil, nil, "", -1
	p.gen++
	p.cancelCorrection()
	p.list.UnselectAll()
	p.list.Refresh()
}

// show shows the incident's entries, keeping the selection and scrolling to the newest
// when one was added.
func (p *timelinePane) show() {
	grew := len(p.s.recs.Timeline) > len(p.entries)
	p.entries = p.s.recs.Timeline
	p.merge(grew)
	if p.foundOn.Checked && p.foundFor != p.s.id {
		p.loadFound()
	}
}

// timelineRow is a row of the timeline: an entry (entry ≥ 0, its index in entries) or an
// item the standing searches find (entry -1).
type timelineRow struct {
	entry int
	hit   search.Hit
}

// id is the row's entry's or item's ID.
func (p *timelinePane) id(r timelineRow) string {
	if r.entry >= 0 {
		return p.entries[r.entry].ID
	}
	return r.hit.ID
}

// merge puts the entries and the items found (when shown) in time order, an entry before
// an item at the same time, keeping the selection; grew scrolls to the newest.
func (p *timelinePane) merge(grew bool) {
	prev := ""
	if p.selected >= 0 && p.selected < len(p.rows) {
		prev = p.id(p.rows[p.selected])
	}
	rows := make([]timelineRow, 0, len(p.entries)+len(p.found))
	for i := range p.entries {
		rows = append(rows, timelineRow{entry: i})
	}
	if p.foundOn.Checked {
		for _, h := range p.found {
			rows = append(rows, timelineRow{entry: -1, hit: h})
		}
	}
	slices.SortStableFunc(rows, func(a, b timelineRow) int { return p.rowTime(a).Compare(p.rowTime(b)) })
	p.rows = rows
	p.hint.Hidden = len(p.rows) > 0
	p.hint.Refresh()
	p.list.Refresh()
	if i := slices.IndexFunc(p.rows, func(r timelineRow) bool { return p.id(r) == prev }); prev != "" && i >= 0 {
		p.keying = true
		p.list.Select(i)
		p.keying = false
	} else {
		p.list.UnselectAll()
	}
	if grew {
		p.list.ScrollToBottom()
	}
}

func (p *timelinePane) rowTime(r timelineRow) time.Time {
	if r.entry >= 0 {
		return p.entries[r.entry].At
	}
	return r.hit.Date
}

// entryAt is the entry of row i, when it is one.
func (p *timelinePane) entryAt(i int) (store.TimelineEntry, bool) {
	if i < 0 || i >= len(p.rows) || p.rows[i].entry < 0 {
		return store.TimelineEntry{}, false
	}
	return p.entries[p.rows[i].entry], true
}

// onSelected: a found item chosen (not by moving with the keys) opens.
func (p *timelinePane) onSelected(i widget.ListItemID) {
	p.selected = i
	if !p.keying && i >= 0 && i < len(p.rows) && p.rows[i].entry < 0 {
		p.openFound(i)
	}
}

// openFound opens the item of row i.
func (p *timelinePane) openFound(i int) {
	id := p.rows[i].hit.ID
	p.list.Unselect(i) // chosen again later, it opens again
	if p.s.on.onOpenItem != nil {
		p.s.on.onOpenItem(id)
	}
}

// foundMax is how many items each standing search brings to the timeline at most (the
// best matches).
const foundMax = 200

// onFoundToggled shows the items found, searching for them first, or hides them.
func (p *timelinePane) onFoundToggled(on bool) {
	if on {
		p.loadFound()
		return
	}
	p.gen++
	p.found = nil
	p.merge(false)
}

// loadFound runs the incident's standing searches (off the UI goroutine) and merges the
// dated items they find, but the incident itself, into the timeline. The window calls it
// again after it counted the standing searches (showKeptCounts): after every save, import
// or sync the index has applied.
func (p *timelinePane) loadFound() {
	if !p.foundOn.Checked || p.s.searcher == nil || p.s.id == "" {
		return
	}
	var queries []string
	for _, r := range p.s.keptRows {
		if r.k.Incident == p.s.id && !slices.Contains(queries, r.k.Query) {
			queries = append(queries, r.k.Query)
		}
	}
	p.gen++
	p.foundFor = p.s.id
	gen, self, ctx, searcher := p.gen, p.s.id, p.s.ctx, p.s.searcher
	go func() {
		var found []search.Hit
		seen := map[string]bool{self: true}
		var errs []string
		for _, q := range queries {
			res, err := searcher.Search(ctx, q, search.Options{Size: foundMax})
			if err != nil {
				errs = append(errs, fmt.Sprintf("“%s”: %v", q, err))
				continue
			}
			for _, h := range res.Hits {
				if !seen[h.ID] && !h.Date.IsZero() {
					seen[h.ID] = true
					found = append(found, h)
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		p.s.do(func() {
			if gen != p.gen {
				return
			}
			if len(errs) > 0 {
				p.s.log.Warn("incident: the standing search for the timeline", "err", strings.Join(errs, "; "))
			}
			p.found = found
			p.merge(false)
		})
	}()
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
	if i < 0 || i >= len(p.rows) {
		return
	}
	c := o.(*fyne.Container)
	text := c.Objects[0].(*widget.Label)
	if p.rows[i].entry < 0 {
		h := p.rows[i].hit
		c.Objects[1].(*widget.Label).SetText(p.foundWhen(h.Date))
		c.Objects[2].(*fyne.Container).Objects[0].(*classBadge).SetClass(h.Class)
		text.TextStyle = fyne.TextStyle{Italic: true}
		text.Importance = widget.LowImportance
		text.SetText(foundText(h))
		return
	}
	e := p.entries[p.rows[i].entry]
	text.TextStyle.Italic = false
	c.Objects[1].(*widget.Label).SetText(p.s.when(e.At))
	c.Objects[2].(*fyne.Container).Objects[0].(*classBadge).SetClass(e.Class)
	text.TextStyle.Bold = e.Significant && !e.Corrected()
	text.Importance = widget.MediumImportance
	if e.Corrected() {
		text.Importance = widget.LowImportance
	}
	text.SetText(p.text(e))
}

// foundText is a found item as its row shows it: "Found · Note · Sheen seen at Lomé".
func foundText(h search.Hit) string {
	return "Found · " + kindLabel(h.Kind) + " · " + h.Title
}

// foundWhen is a found item's date: the day alone when it is one (00:00 UTC, as items'
// dates are), else the local time.
func (p *timelinePane) foundWhen(t time.Time) string {
	if u := t.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 {
		return u.Format("Mon 2 Jan") + "      "
	}
	return p.s.when(t)
}

// onKey: Up and Down move through the rows from the line, Escape stops a correction.
func (p *timelinePane) onKey(key fyne.KeyName) bool {
	switch key {
	case fyne.KeyEscape:
		if p.correcting != "" {
			p.cancelCorrection()
			return true
		}
		return false
	case fyne.KeyUp, fyne.KeyDown:
		if len(p.rows) == 0 {
			return true
		}
		next := len(p.rows) - 1
		if p.selected >= 0 {
			next = p.selected + map[fyne.KeyName]int{fyne.KeyUp: -1, fyne.KeyDown: 1}[key]
		}
		p.keying = true
		p.list.Select(max(0, min(next, len(p.rows)-1)))
		p.keying = false
		return true
	}
	return false
}

// onSubmit adds the line as an entry: now, or at the local time it begins with.
func (p *timelinePane) onSubmit(line string) {
	text := strings.TrimSpace(line)
	if text == "" && p.selected >= 0 && p.selected < len(p.rows) && p.rows[p.selected].entry < 0 {
		p.openFound(p.selected) // Enter on the empty line opens the found item selected
		return
	}
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
	e, ok := p.entryAt(p.selected)
	if !ok {
		if len(p.entries) == 0 {
			return
		}
		e = p.entries[len(p.entries)-1]
	}
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
