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

// callKeys are the statuses a call logged reaches, by the digit typed first on the log
// line (store.CallStatuses without "not called").
var callKeys = map[byte]string{'1': store.CallNoAnswer, '2': store.CallMessageLeft, '3': store.CallReached, '4': store.CallConfirmed}

// callPane is the incident's call sheet: one row per counterpart, in the downstream order
// of the affected countries, each with the counterpart's local time now, the last contact
// (from the timeline), the status, the outcome and the next action. It is marked
// "personal contact data — not for public release" with the highest marking of its rows.
//
// Logging a call is two keystrokes and a line of text: Alt+L (the line, on the selected
// row, or the first not yet confirmed), a digit for the status reached (1 no answer, 2
// message left, 3 reached, 4 receipt confirmed), what was said, Enter. It writes a
// timeline entry and the contact's last contact (store.LogCallWith), and moves to the next
// row still to call. Up and Down on the line choose the row.
type callPane struct {
	s        *incidentScreen
	rows     []store.CallRow
	list     *widget.List
	notice   *widget.Label
	badge    *classBadge
	line     *keyEntry
	status   *widget.Select
	hint     *widget.Label
	content  fyne.CanvasObject
	selected int
}

func newCallPane(s *incidentScreen) *callPane {
	p := &callPane{s: s, selected: -1}
	p.notice = &widget.Label{Text: strings.ToUpper(store.CallSheetNotice), TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.WarningImportance}
	p.badge = newClassBadge(false)
	p.status = widget.NewSelect(store.CallStatuses[1:], nil)
	p.status.SetSelected(store.CallReached)
	p.line = newKeyEntry(p.onKey)
	p.line.SetPlaceHolder("1 no answer · 2 message left · 3 reached · 4 receipt confirmed, then what was said — Enter logs the call")
	p.line.OnChanged = p.onLineChanged
	p.line.OnSubmitted = p.onSubmit
	p.hint = &widget.Label{Text: "No counterparts on the call sheet yet. Propose them from the contacts of the affected countries (Alt+O).",
		Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	p.list = widget.NewList(
		func() int { return len(p.rows) },
		func() fyne.CanvasObject {
			who := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
			status := &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
			reach := &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
			next := &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}
			dossier := &widget.Button{Text: "Dossier", Icon: theme.InfoIcon(), Importance: widget.LowImportance}
			if s.on.onDossier == nil {
				dossier.Hide()
			}
			return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(status, newClassBadge(false), dossier), who), reach, next)
		},
		p.updateRow,
	)
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i }
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1 }
	propose := &widget.Button{Text: "Propose from contacts", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance, OnTapped: p.onPropose}
	edit := &widget.Button{Text: "Edit row…", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance, OnTapped: p.onEdit}
	top := container.NewBorder(nil, nil, nil, container.NewHBox(p.badge, propose, edit), p.notice)
	bar := container.NewBorder(nil, nil, p.status, nil, p.line)
	p.content = container.NewBorder(container.NewPadded(top), container.NewPadded(bar), nil, nil, container.NewStack(p.list, p.hint))
	return p
}

func (p *callPane) reset() {
	p.rows, p.selected = nil, -1
	p.list.UnselectAll()
	p.list.Refresh()
}

// show shows the sheet; the selection stays on the row it was on.
func (p *callPane) show() {
	prev := ""
	if p.selected >= 0 && p.selected < len(p.rows) {
		prev = p.rows[p.selected].ID
	}
	p.rows = p.s.recs.CallSheet
	classes := make([]string, len(p.rows))
	for i, r := range p.rows {
		classes[i] = r.Class
	}
	p.badge.SetClass(p.s.highest(classes...))
	p.hint.Hidden = len(p.rows) > 0
	p.hint.Refresh()
	p.list.Refresh()
	if i := slices.IndexFunc(p.rows, func(r store.CallRow) bool { return r.ID == prev }); prev != "" && i >= 0 {
		p.list.Select(i)
	}
}

// marking is the sheet's marking line as a person reads it.
func (p *callPane) marking() string {
	return strings.TrimSpace(p.notice.Text + " " + p.badge.class)
}

// rowText is what row number n shows: who, how to reach them and their local time now, last
// contact; what was said and what is next.
func (p *callPane) rowText(n int, r store.CallRow) (who, reach, next string) {
	name := r.Name
	if name == "" {
		name = "(no counterpart named)"
	}
	who = fmt.Sprintf("%d. %s — %s", n, countryNames([]string{r.Country}), name)
	if inst := strings.Join(slices.DeleteFunc([]string{r.Institution, r.Role}, func(s string) bool { return s == "" }), ", "); inst != "" {
		who += " · " + inst
	}
	var parts []string
	for _, v := range []string{r.Phone, r.Email} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	local := r.LocalTime(p.s.now())
	zone := r.TimeZone
	if zone == "" {
		zone = "UTC"
	}
	parts = append(parts, fmt.Sprintf("their time %s (%s)", local.Format("Mon 15:04"), zone))
	if r.LastContact.IsZero() {
		parts = append(parts, "no contact yet")
	} else {
		parts = append(parts, "last contact "+p.s.when(r.LastContact))
	}
	reach = strings.Join(parts, " · ")
	var nx []string
	if r.Outcome != "" {
		nx = append(nx, "Outcome: "+r.Outcome)
	}
	if r.NextAction != "" {
		n := "Next: " + r.NextAction
		if !r.NextDue.IsZero() {
			n += ", due " + p.s.when(r.NextDue)
		}
		nx = append(nx, n)
	}
	return who, reach, strings.Join(nx, " · ")
}

func (p *callPane) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(p.rows) {
		return
	}
	r := p.rows[i]
	box := o.(*fyne.Container)
	head := box.Objects[0].(*fyne.Container)
	who, reach, next := p.rowText(i+1, r)
	head.Objects[0].(*widget.Label).SetText(who)
	right := head.Objects[1].(*fyne.Container)
	st := right.Objects[0].(*widget.Label)
	status := r.Status
	if status == "" {
		status = store.CallNotCalled
	}
	st.Importance = callStatusImportance(status)
	st.SetText(status)
	right.Objects[1].(*classBadge).SetClass(r.Class)
	dossier := right.Objects[2].(*widget.Button)
	dossier.Text = countryNames([]string{r.Country}) + " dossier"
	dossier.OnTapped = func() { p.openDossier(r.Country) }
	dossier.Refresh()
	box.Objects[1].(*widget.Label).SetText(reach)
	box.Objects[2].(*widget.Label).SetText(next)
}

// onDossier (Ctrl+Shift+D in the workspace) opens the dossier of the selected row's
// country, else of the first affected country; false when there is neither.
func (p *callPane) onDossier() bool {
	switch {
	case p.selected >= 0 && p.selected < len(p.rows):
		p.openDossier(p.rows[p.selected].Country)
	case p.s.has && len(p.s.item.Incident.Affected) > 0:
		p.openDossier(p.s.item.Incident.Affected[0])
	default:
		return false
	}
	return true
}

// openDossier opens country alpha3's dossier (Ctrl+Shift+I comes back to the workspace).
func (p *callPane) openDossier(alpha3 string) {
	if p.s.on.onDossier != nil && alpha3 != "" {
		p.s.on.onDossier(alpha3)
	}
}

// callStatusImportance colours a status: not called stands out, confirmed is done.
func callStatusImportance(status string) widget.Importance {
	switch status {
	case store.CallConfirmed:
		return widget.SuccessImportance
	case store.CallReached:
		return widget.HighImportance
	case store.CallNotCalled, "":
		return widget.DangerImportance
	}
	return widget.WarningImportance
}

// onLog (Alt+L) puts the focus on the log line, for the selected row or else the first
// one not yet confirmed.
func (p *callPane) onLog() {
	if p.selected < 0 {
		p.selectNext(-1)
	}
	p.s.win.Canvas().Focus(p.line)
}

// selectNext selects the first row after after whose status is not yet receipt confirmed
// (wrapping round), or none.
func (p *callPane) selectNext(after int) {
	for k := 1; k <= len(p.rows); k++ {
		i := (after + k + len(p.rows)) % len(p.rows)
		if p.rows[i].Status != store.CallConfirmed {
			p.list.Select(i)
			return
		}
	}
}

// onLineChanged: a digit typed first chooses the status, and is not part of the text.
func (p *callPane) onLineChanged(text string) {
	if len(text) >= 1 {
		if st, ok := callKeys[text[0]]; ok && (len(text) == 1 || text[1] == ' ') {
			p.status.SetSelected(st)
			p.line.SetText(strings.TrimLeft(text[1:], " "))
		}
	}
}

// onKey: Up and Down choose the row from the line.
func (p *callPane) onKey(key fyne.KeyName) bool {
	return stepSelection(p.list, key, p.selected, len(p.rows))
}

// stepSelection moves a pane's selection in list (n rows, selected -1 for none) one row
// up or down for the Up and Down keys typed in the pane's line; from none, Down and Up
// both choose the first row. It reports whether the key was used.
func stepSelection(list *widget.List, key fyne.KeyName, selected, n int) bool {
	if key != fyne.KeyUp && key != fyne.KeyDown || n == 0 {
		return false
	}
	next := 0
	if selected >= 0 {
		next = selected + map[fyne.KeyName]int{fyne.KeyUp: -1, fyne.KeyDown: 1}[key]
	}
	list.Select(max(0, min(next, n-1)))
	return true
}

// onSubmit logs the call on the selected row with the status chosen.
func (p *callPane) onSubmit(text string) {
	if p.selected < 0 || p.selected >= len(p.rows) {
		if len(p.rows) > 0 {
			dialog.ShowInformation("Log a call", "Choose the counterpart first: Up and Down on this line, or a row of the sheet.", p.s.win)
		}
		return
	}
	row, status, line := p.rows[p.selected], p.status.Selected, text
	c := store.CallLog{Incident: p.s.id, Row: row.ID, Status: status, Text: strings.TrimSpace(text), At: p.s.now().UTC()}
	// Ready for the next call at once: a failure puts the text back.
	p.line.SetText("")
	p.status.SetSelected(store.CallReached)
	if status == store.CallConfirmed || status == store.CallReached {
		p.selectNext(p.selected)
	}
	p.s.write(fmt.Sprintf("Logging the call to %s", row.Name), func(ctx context.Context) error {
		_, err := p.s.incidents.LogCallWith(ctx, c)
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

// onPropose (Alt+O) adds to the sheet the contacts of the affected countries not on it
// yet (store.ProposeCallSheet), in downstream order.
func (p *callPane) onPropose() {
	if !p.s.has {
		return
	}
	id := p.s.id
	p.s.write("Proposing the call sheet", func(ctx context.Context) error {
		rows, err := p.s.incidents.ProposeCallSheet(ctx, id)
		if err != nil || len(rows) == 0 {
			return err
		}
		_, err = p.s.incidents.SaveCallRows(ctx, id, rows)
		return err
	}, nil)
}

// onEdit edits the selected row: counterpart, phone, email, time zone, outcome, next
// action and its due time.
func (p *callPane) onEdit() {
	if p.selected < 0 || p.selected >= len(p.rows) {
		return
	}
	r := p.rows[p.selected]
	entry := func(v string) *widget.Entry { e := widget.NewEntry(); e.SetText(v); return e }
	name, inst, role, phone, email := entry(r.Name), entry(r.Institution), entry(r.Role), entry(r.Phone), entry(r.Email)
	zone, outcome, next := entry(r.TimeZone), entry(r.Outcome), entry(r.NextAction)
	due := entry("")
	if !r.NextDue.IsZero() {
		due.SetText(r.NextDue.In(p.s.loc).Format("2006-01-02 15:04"))
	}
	status := widget.NewSelect(store.CallStatuses, nil)
	status.SetSelected(cmpOr(r.Status, store.CallNotCalled))
	items := []*widget.FormItem{
		widget.NewFormItem("Counterpart", name), widget.NewFormItem("Institution", inst), widget.NewFormItem("Role", role),
		widget.NewFormItem("Phone", phone), widget.NewFormItem("Email", email), widget.NewFormItem("Time zone", zone),
		widget.NewFormItem("Status", status), widget.NewFormItem("Outcome", outcome),
		widget.NewFormItem("Next action", next), widget.NewFormItem("Due (your time)", due),
	}
	d := dialog.NewForm("Call sheet: "+countryNames([]string{r.Country}), "Save", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		t, err := p.s.parseLocal(due.Text)
		if err != nil {
			dialog.ShowError(err, p.s.win)
			return
		}
		r.Name, r.Institution, r.Role, r.Phone, r.Email = name.Text, inst.Text, role.Text, phone.Text, email.Text
		r.TimeZone, r.Status, r.Outcome, r.NextAction, r.NextDue = zone.Text, status.Selected, outcome.Text, next.Text, t
		p.s.write("Saving the call sheet row", func(ctx context.Context) error {
			_, err := p.s.incidents.SaveCallRow(ctx, r)
			return err
		}, nil)
	}, p.s.win)
	d.Resize(fyne.NewSize(560, 560))
	d.Show()
}

// cmpOr is v, or else when v is empty.
func cmpOr(v, or string) string {
	if v == "" {
		return or
	}
	return v
}

// dueText is a due time in the desk's local time and in the zone it was given in:
// "Sun 6 Dec 09:00 (10:00 Africa/Lagos)".
func (s *incidentScreen) dueText(t time.Time, zone string) string {
	if t.IsZero() {
		return ""
	}
	text := s.when(t)
	if zone != "" {
		if loc, err := time.LoadLocation(zone); err == nil && loc.String() != s.loc.String() {
			text += fmt.Sprintf(" (%s %s)", t.In(loc).Format("15:04"), zone)
		}
	}
	return text
}
