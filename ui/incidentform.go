package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// incidentFields are an incident's own fields in the item editor (store.Incident): type,
// status and the time it closed, the exercise flag, zero hour, place, the affected
// countries in downstream order, severity, lead and lead organisation, the operational
// period, and its description. Times are typed and shown in the desk's local time.
type incidentFields struct {
	typ                    *completionEntry
	status                 *widget.Select
	closed                 *widget.Entry
	exercise               *widget.Check
	zero, place            *widget.Entry
	affected               *widget.Entry
	affectedLine           *widget.Label // the countries read, in order, or what is wrong
	severity               *widget.Select
	lead, leadOrg          *widget.Entry
	periodStart, periodEnd *widget.Entry
	body                   *widget.Entry
}

// incidentTypes are the types offered as one types (any other may be written).
var incidentTypes = []string{"oil spill", "chemical spill", "flood", "drought", "wildfire", "earthquake", "epidemic", "industrial accident", "dam failure"}

// noSeverity is how "no severity" is offered.
const noSeverity = "(not set)"

// localTimeLayout is how an incident's times are typed (the desk's local time).
const localTimeLayout = "2006-01-02 15:04"

// localTime is t as its field shows it, "" for none.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.Local).Format(localTimeLayout)
}

// parseLocalTime reads a time typed in the desk's local time ("2026-11-08 05:30", or a day
// alone: its start); empty is zero.
func parseLocalTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{localTimeLayout, "2006-01-02T15:04", dateLayout} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s is not a time; write 2026-11-08 05:30 (your local time)", s)
}

// incidentForm adds an incident's fields to f.
func (ed *editor) incidentForm(f *fieldList, it store.Item) {
	inc := it.Incident
	if inc == nil {
		inc = &store.Incident{}
	}
	x := &incidentFields{}
	ed.inc = x
	x.typ = newCompletionEntry(func(q string) []suggestion { return prefixSuggestions(incidentTypes, q) })
	x.typ.SetPlaceHolder("oil spill, flood…")
	x.typ.SetText(inc.Type)
	x.typ.onEdited = func(string) { ed.edited() }
	f.addObject("Type", x.typ)

	x.status = widget.NewSelect([]string{store.IncidentActive, store.IncidentClosed}, nil)
	x.status.SetSelected(cmpOr(inc.Status, store.IncidentActive))
	x.closed = ed.entry("closed at: 2026-11-10 18:00 (now when empty)", localTime(inc.Closed))
	x.status.OnChanged = func(s string) {
		x.closed.Hidden = s != store.IncidentClosed
		x.closed.Refresh()
		ed.edited()
	}
	x.closed.Hidden = x.status.Selected != store.IncidentClosed
	x.exercise = widget.NewCheck("Exercise", func(bool) { ed.edited() })
	x.exercise.SetChecked(inc.Exercise)
	f.addObject("Status", container.NewBorder(nil, nil, container.NewHBox(x.status, x.exercise), nil, x.closed))

	x.zero = ed.entry("2026-11-08 05:30 (your time)", localTime(inc.ZeroHour))
	f.addObject("Zero hour", x.zero)
	x.place = ed.entry("Where it happened", inc.Place)
	f.addObject("Place", x.place)

	x.affected = ed.entry("Downstream order, first in line first: GHA, TGO, BEN (names or codes)", strings.Join(inc.Affected, ", "))
	x.affectedLine = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	x.affected.OnChanged = func(string) { x.showAffected(); ed.edited() }
	x.showAffected()
	f.addObject("Affected countries", container.NewVBox(x.affected, x.affectedLine))

	x.severity = widget.NewSelect(append([]string{noSeverity}, store.Severities...), func(string) { ed.edited() })
	x.severity.SetSelected(cmpOr(inc.Severity, noSeverity))
	f.addObject("Severity", x.severity)
	x.lead = ed.entry("Who leads the response", inc.Lead)
	x.leadOrg = ed.entry("The lead organisation", inc.LeadOrg)
	f.addObject("Lead", container.NewGridWithColumns(2, x.lead, x.leadOrg))
	x.periodStart = ed.entry("from: 2026-11-08 06:00", localTime(inc.PeriodStart))
	x.periodEnd = ed.entry("to: 2026-11-09 06:00", localTime(inc.PeriodEnd))
	f.addObject("Operational period", container.NewGridWithColumns(2, x.periodStart, x.periodEnd))
	x.body = ed.textArea(4, it.Body)
	f.addObject("Description", x.body)
}

// readAffected reads the affected countries typed, in their order: alpha-3 codes, or the
// first one not known.
func (x *incidentFields) readAffected() (codes []string, unknown string) {
	for _, part := range strings.FieldsFunc(x.affected.Text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, ok := parseCountry(part)
		if !ok {
			return codes, part
		}
		codes = append(codes, code)
	}
	return codes, ""
}

// showAffected shows under the field the countries read, in downstream order, or the one
// not known.
func (x *incidentFields) showAffected() {
	codes, unknown := x.readAffected()
	switch {
	case unknown != "":
		x.affectedLine.Importance = widget.DangerImportance
		x.affectedLine.SetText(fmt.Sprintf("“%s” is not a country: write its name or ISO code (GHA, Togo…)", unknown))
	case len(codes) == 0:
		x.affectedLine.Importance = widget.LowImportance
		x.affectedLine.SetText("No affected countries given.")
	default:
		x.affectedLine.Importance = widget.MediumImportance
		x.affectedLine.SetText(affectedLine(codes))
	}
}

// collect puts the incident's fields into it; bad is told of each that cannot be read.
func (x *incidentFields) collect(it *store.Item, bad func(field, format string, a ...any)) {
	inc := store.Incident{}
	if it.Incident != nil {
		inc = *it.Incident
	}
	inc.Type, inc.Place = strings.TrimSpace(x.typ.Text), strings.TrimSpace(x.place.Text)
	inc.Lead, inc.LeadOrg = strings.TrimSpace(x.lead.Text), strings.TrimSpace(x.leadOrg.Text)
	inc.Exercise = x.exercise.Checked
	inc.Status = x.status.Selected
	inc.Severity = x.severity.Selected
	if inc.Severity == noSeverity {
		inc.Severity = ""
	}
	times := []struct {
		field string
		e     *widget.Entry
		to    *time.Time
	}{{"Closed", x.closed, &inc.Closed}, {"Zero hour", x.zero, &inc.ZeroHour},
		{"Operational period", x.periodStart, &inc.PeriodStart}, {"Operational period", x.periodEnd, &inc.PeriodEnd}}
	for _, tf := range times {
		if t, err := parseLocalTime(tf.e.Text); err != nil {
			bad(tf.field, "%v", err)
		} else {
			*tf.to = t
		}
	}
	if inc.Status != store.IncidentClosed {
		inc.Closed = time.Time{}
	}
	if !inc.PeriodStart.IsZero() && !inc.PeriodEnd.IsZero() && inc.PeriodEnd.Before(inc.PeriodStart) {
		bad("Operational period", "it ends (%s) before it starts (%s)", strings.TrimSpace(x.periodEnd.Text), strings.TrimSpace(x.periodStart.Text))
	}
	codes, unknown := x.readAffected()
	if unknown != "" {
		bad("Affected countries", "“%s” is not a country; write its name or ISO code, such as GHA or Togo", unknown)
	} else {
		inc.Affected = codes
	}
	it.Incident = &inc
	it.Body = x.body.Text
}

// typed adds the incident's fields whose text may not read as typed.
func (x *incidentFields) typed(f map[string]*widget.Entry) {
	for name, e := range map[string]*widget.Entry{"incClosed": x.closed, "incZero": x.zero, "incAffected": x.affected,
		"incPeriodStart": x.periodStart, "incPeriodEnd": x.periodEnd} {
		f[name] = e
	}
}
