package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/store"
)

// TestNewIncidentForm: File → New Incident opens the incident form; an unknown affected
// country is refused with a message naming it and nothing is saved; corrected, every field
// is saved (countries in the order typed); opened again the form holds them, and closing
// it records the time it closed.
func TestNewIncidentForm(t *testing.T) {
	setAutosave(t, time.Hour)
	ctx := context.Background()
	k := openTestKB(t)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	menuItem(t, mw, "New Incident").Action()
	p := mw.browse.pane
	l.waitFor(t, "the incident form", func() bool { return p.ed != nil && p.ed.inc != nil })
	ed, x := p.ed, p.ed.inc
	text := allText(ed.content)
	for _, want := range []string{"Type", "Status", "Exercise", "Zero hour", "Place", "Affected countries", "Severity", "Lead", "Operational period", "Description"} {
		if !strings.Contains(text, want) {
			t.Errorf("the form lacks %q:\n%s", want, text)
		}
	}
	ed.title.SetText("Lake Volta flood")
	x.typ.SetText("flood")
	x.exercise.SetChecked(true)
	x.zero.SetText("2026-11-08 05:30")
	x.place.SetText("Akosombo dam")
	x.severity.SetSelected("major")
	x.lead.SetText("Desk officer Amegah")
	x.leadOrg.SetText("Ministry of Environment")
	x.periodStart.SetText("2026-11-08 06:00")
	x.periodEnd.SetText("2026-11-09 06:00")
	x.body.SetText("The spillway opened.")
	x.affected.SetText("Ghana, Atlantis, BEN")
	if !strings.Contains(x.affectedLine.Text, "“Atlantis” is not a country") {
		t.Errorf("under the countries: %q", x.affectedLine.Text)
	}
	mw.onSave()
	l.waitFor(t, "the problem shown", func() bool { return ed.problem.Visible() && strings.Contains(ed.problem.Text, "Atlantis") })
	if !strings.Contains(ed.problem.Text, "Affected countries") {
		t.Errorf("the problem: %q", ed.problem.Text)
	}
	if incs, err := k.db.Incidents(ctx, ""); err != nil || len(incs) != 0 {
		t.Fatalf("saved with an unknown country: %d incidents, %v", len(incs), err)
	}

	x.affected.SetText("Ghana, TGO, Benin")
	if x.affectedLine.Text != "Downstream, first in line first: 1 Ghana · 2 Togo · 3 Benin" {
		t.Errorf("under the countries: %q", x.affectedLine.Text)
	}
	mw.onSave()
	var inc store.Item
	l.waitFor(t, "the incident saved", func() bool {
		incs, _ := k.db.Incidents(ctx, "")
		if len(incs) == 1 {
			inc = incs[0]
		}
		return len(incs) == 1
	})
	local := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		return tm.UTC()
	}
	got := inc.Incident
	if inc.Title != "Lake Volta flood" || got.Type != "flood" || !got.Exercise || got.Place != "Akosombo dam" || got.Severity != "major" ||
		got.Lead != "Desk officer Amegah" || got.LeadOrg != "Ministry of Environment" || got.Status != store.IncidentActive ||
		!slices.Equal(got.Affected, []string{"GHA", "TGO", "BEN"}) || !got.ZeroHour.Equal(local("2026-11-08 05:30")) ||
		!got.PeriodStart.Equal(local("2026-11-08 06:00")) || !got.PeriodEnd.Equal(local("2026-11-09 06:00")) || inc.Body != "The spillway opened." {
		t.Errorf("the incident saved: %q %+v", inc.Title, *got)
	}

	// Open it again: the form holds what was saved; close it at a time given.
	mw.onEdit() // back to reading
	l.waitFor(t, "reading", func() bool { return p.ed == nil })
	mw.onEdit()
	l.waitFor(t, "the form again", func() bool { return p.ed != nil && p.ed.inc != nil })
	x = p.ed.inc
	if x.affected.Text != "GHA, TGO, BEN" || x.zero.Text != "2026-11-08 05:30" || !x.exercise.Checked || x.severity.Selected != "major" || x.closed.Visible() {
		t.Errorf("the form opened again: %q %q %v %q", x.affected.Text, x.zero.Text, x.exercise.Checked, x.severity.Selected)
	}
	x.status.SetSelected(store.IncidentClosed)
	if !x.closed.Visible() {
		t.Error("no closing time offered")
	}
	x.closed.SetText("2026-11-10 18:00")
	mw.onSave()
	l.waitFor(t, "closed", func() bool {
		it := getItem(t, k, inc.ID)
		return it.Incident.Status == store.IncidentClosed && it.Incident.Closed.Equal(local("2026-11-10 18:00"))
	})
}
