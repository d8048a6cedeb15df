package pack

import (
	"context"
	"fmt"
	"slices"
	"time"

	"chancery/store"
)

// IncidentIDs are an incident and what it and its records link to: the items it links to
// (river, operator, treaties, lead...), the items its timeline entries link to, the
// contacts of its call sheet rows and the statements of its positions; live ones only,
// the incident first. Collect packs the incident's records with it.
func IncidentIDs(ctx context.Context, db *store.DB, id string) ([]string, error) {
	it, err := db.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("pack: incident %s: %w", id, err)
	}
	if it.Kind != store.KindIncident || it.Incident == nil {
		return nil, fmt.Errorf("pack: %s is a %s, not an incident", id, it.Kind)
	}
	if it.Deleted != nil {
		return nil, fmt.Errorf("pack: incident %s (%q) is in the trash", id, it.Title)
	}
	recs, err := db.Records(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := append([]string{it.ID}, it.References()...)
	ids = append(ids, recordRefs(recs)...)
	return Live(ctx, db, ids)
}

// recordRefs are the items an incident's records link to.
func recordRefs(r store.IncidentRecords) []string {
	var ids []string
	for _, e := range r.Timeline {
		ids = append(ids, e.Refs...)
	}
	for _, c := range r.CallSheet {
		if c.Contact != "" {
			ids = append(ids, c.Contact)
		}
	}
	for _, p := range r.Positions {
		if p.Statement != "" {
			ids = append(ids, p.Statement)
		}
	}
	return ids
}

// collectRecords reads the records of every incident the pack holds and releases them up
// to the ceiling (release).
func (p *Pack) collectRecords(ctx context.Context, db *store.DB, allowed func(string) bool) error {
	for _, e := range p.Entries {
		if len(e.Versions) == 0 {
			continue
		}
		cur := e.Versions[len(e.Versions)-1].Item
		if cur.Kind != store.KindIncident {
			continue
		}
		recs, err := db.Records(ctx, e.ID)
		if err != nil {
			return err
		}
		refs := recordRefs(recs)
		for _, s := range recs.Sitreps {
			for _, sec := range s.Sections {
				for _, l := range sec.Lines {
					if l.Ref != "" {
						refs = append(refs, l.Ref)
					}
				}
			}
		}
		slices.Sort(refs)
		refItems, err := db.GetMany(ctx, slices.Compact(refs))
		if err != nil {
			return err
		}
		hidden := map[string]bool{}
		for _, it := range refItems {
			if !allowed(it.Class) {
				hidden[it.ID] = true
			}
		}
		out, withheld := release(recs, allowed, func(id string) bool { return hidden[id] })
		p.Withheld = append(p.Withheld, withheld...)
		if len(out.Timeline)+len(out.CallSheet)+len(out.Actions)+len(out.Positions)+len(out.Sitreps) > 0 {
			p.Records = append(p.Records, out)
		}
	}
	return nil
}

// release is the copy of an incident's records that a pack up to a ceiling may carry
// (allowed says which markings), and the records it withholds, as "KIND ID (MARKING)" for
// the person exporting. hidden says which items are above the ceiling. See the package doc.
func release(r store.IncidentRecords, allowed func(string) bool, hidden func(string) bool) (store.IncidentRecords, []string) {
	out := store.IncidentRecords{Incident: r.Incident}
	var withheld []string
	gone := map[string]bool{} // withheld records, by ID
	hold := func(kind, id, class string) {
		gone[id] = true
		withheld = append(withheld, fmt.Sprintf("%s %s of incident %s (%s)", kind, id, r.Incident, class))
	}
	for _, c := range r.CallSheet {
		// A row copies its contact's card (name, phone, email): it goes with the contact.
		if !allowed(c.Class) {
			hold("call sheet row", c.ID, c.Class)
			continue
		}
		if c.Contact != "" && hidden(c.Contact) {
			hold("call sheet row", c.ID, c.Class+"; its contact is withheld")
			continue
		}
		c.LastContact = time.Time{} // the store derives it from the timeline
		out.CallSheet = append(out.CallSheet, c)
	}
	for _, e := range r.Timeline {
		// A call logged on a withheld row quotes it.
		switch {
		case !allowed(e.Class):
			hold("timeline entry", e.ID, e.Class)
		case e.CallRow != "" && gone[e.CallRow]:
			hold("timeline entry", e.ID, e.Class+"; a call on a withheld row")
		}
	}
	for _, e := range r.Timeline {
		if gone[e.ID] {
			continue
		}
		e.Refs = slices.DeleteFunc(slices.Clone(e.Refs), hidden)
		if len(e.Refs) == 0 {
			e.Refs = nil
		}
		if gone[e.Corrects] {
			e.Corrects = ""
		}
		e.CorrectedBy = ""
		out.Timeline = append(out.Timeline, e)
	}
	for _, a := range r.Actions {
		if !allowed(a.Class) {
			hold("action", a.ID, a.Class)
			continue
		}
		out.Actions = append(out.Actions, a)
	}
	for _, p := range r.Positions {
		if !allowed(p.Class) {
			hold("position", p.ID, p.Class)
			continue
		}
		if hidden(p.Statement) {
			p.Statement = ""
		}
		out.Positions = append(out.Positions, p)
	}
	for _, s := range r.Sitreps {
		if !allowed(s.Class) {
			hold("situation report", s.ID, s.Class)
		}
	}
	for _, s := range r.Sitreps {
		if gone[s.ID] {
			continue
		}
		cut := false
		secs := make([]store.SitrepSection, len(s.Sections))
		for i, sec := range s.Sections {
			secs[i] = store.SitrepSection{Heading: sec.Heading, Text: sec.Text}
			for _, l := range sec.Lines {
				if (l.Class != "" && !allowed(l.Class)) || gone[l.Ref] || hidden(l.Ref) {
					cut = true
					continue
				}
				secs[i].Lines = append(secs[i].Lines, l)
			}
		}
		if gone[s.Amends] {
			s.Amends, cut = "", true
		}
		if cut && s.IsIssued() {
			// An issued report never changes: one that would lose a line is withheld whole.
			hold("situation report", s.ID, s.Class+"; issued, and a line of it is withheld")
			continue
		}
		if cut {
			s.Sections = secs
		}
		out.Sitreps = append(out.Sitreps, s)
	}
	return out, withheld
}

// addRecords checks incident records read from a pack: they follow their incident's item
// record, once, each record has an ID and belongs to the incident.
func (p *Pack) addRecords(incident string, r store.IncidentRecords) error {
	if len(p.Entries) == 0 || p.Entries[len(p.Entries)-1].ID != incident || incident == "" {
		return fmt.Errorf("the records of incident %q do not follow its item", incident)
	}
	e := p.Entries[len(p.Entries)-1]
	if cur := e.Versions[len(e.Versions)-1].Item; cur.Kind != store.KindIncident {
		return fmt.Errorf("records follow %s, a %s, not an incident", incident, cur.Kind)
	}
	if r.Incident != incident {
		return fmt.Errorf("the records of incident %s name incident %q", incident, r.Incident)
	}
	seen := map[string]bool{}
	check := func(kind, id, inc string) error {
		if id == "" || seen[kind+id] {
			return fmt.Errorf("a %s of incident %s has no ID, or one used twice (%q)", kind, incident, id)
		}
		seen[kind+id] = true
		if inc != "" && inc != incident {
			return fmt.Errorf("%s %s is listed with incident %s but names %s", kind, id, incident, inc)
		}
		return nil
	}
	for i := range r.Timeline {
		if err := check("timeline entry", r.Timeline[i].ID, r.Timeline[i].Incident); err != nil {
			return err
		}
		r.Timeline[i].Incident = incident
	}
	for i := range r.CallSheet {
		if err := check("call sheet row", r.CallSheet[i].ID, r.CallSheet[i].Incident); err != nil {
			return err
		}
		r.CallSheet[i].Incident = incident
	}
	for i := range r.Actions {
		if err := check("action", r.Actions[i].ID, r.Actions[i].Incident); err != nil {
			return err
		}
		r.Actions[i].Incident = incident
	}
	for i := range r.Positions {
		if err := check("position", r.Positions[i].ID, r.Positions[i].Incident); err != nil {
			return err
		}
		r.Positions[i].Incident = incident
	}
	for i := range r.Sitreps {
		s := r.Sitreps[i]
		if err := check("situation report", s.ID, s.Incident); err != nil {
			return err
		}
		r.Sitreps[i].Incident = incident
		if s.IsIssued() {
			s.Incident = incident
			if store.SitrepHash(s) != s.SHA256 {
				return fmt.Errorf("situation report %s of incident %s does not match the SHA-256 it was issued with: altered", s.ID, incident)
			}
		}
	}
	for _, have := range p.Records {
		if have.Incident == incident {
			return fmt.Errorf("the records of incident %s are in it twice", incident)
		}
	}
	p.Records = append(p.Records, r)
	return nil
}

// RecordCount counts the incident records the pack holds.
func (p *Pack) RecordCount() int {
	n := 0
	for _, r := range p.Records {
		n += len(r.Timeline) + len(r.CallSheet) + len(r.Actions) + len(r.Positions) + len(r.Sitreps)
	}
	return n
}
