package store

import "slices"

// WithheldSection is the text of a briefing section whose included item a copy withholds
// (a knowledge pack above whose ceiling it is marked).
const WithheldSection = "(withheld: above the pack's ceiling)"

// References are the IDs of the items an item names: its links, a note's participants, a
// contact's organisation, an organisation's parent, the items a briefing includes.
func (it Item) References() []string {
	var out []string
	for _, l := range it.Links {
		out = append(out, l.To)
	}
	if n := it.Note; n != nil {
		out = append(out, n.Participants...)
	}
	if c := it.Contact; c != nil && c.OrgID != "" {
		out = append(out, c.OrgID)
	}
	if o := it.Organisation; o != nil && o.ParentID != "" {
		out = append(out, o.ParentID)
	}
	if b := it.Briefing; b != nil {
		for _, s := range b.Sections {
			if s.Ref != "" {
				out = append(out, s.Ref)
			}
		}
	}
	return out
}

// Without is a copy of the item that names none of the hidden items: links to them are
// dropped, and so are they as participants, organisation and parent; a briefing section
// including one keeps its place but holds only WithheldSection (its heading is often the
// item's title, its text an excerpt of it). Local bookkeeping (Seq, Deleted, SourceKey)
// is cleared. The item itself is not changed.
func (it Item) Without(hidden func(id string) bool) Item {
	it.Seq, it.Deleted, it.SourceKey = 0, nil, ""
	var links []Link
	for _, l := range it.Links {
		if !hidden(l.To) {
			links = append(links, l)
		}
	}
	it.Links = links
	if n := it.Note; n != nil {
		c := *n
		c.Participants = slices.DeleteFunc(slices.Clone(n.Participants), hidden)
		if len(c.Participants) == 0 {
			c.Participants = nil
		}
		it.Note = &c
	}
	if ct := it.Contact; ct != nil {
		c := *ct
		if c.OrgID != "" && hidden(c.OrgID) {
			c.OrgID = ""
		}
		it.Contact = &c
	}
	if o := it.Organisation; o != nil {
		c := *o
		if c.ParentID != "" && hidden(c.ParentID) {
			c.ParentID = ""
		}
		it.Organisation = &c
	}
	if b := it.Briefing; b != nil {
		c := *b
		c.Sections = slices.Clone(b.Sections)
		for i, s := range c.Sections {
			if s.Ref != "" && hidden(s.Ref) {
				c.Sections[i] = Section{Text: WithheldSection}
			}
		}
		it.Briefing = &c
	}
	if d := it.Document; d != nil {
		c := *d
		c.Original = nil
		it.Document = &c
	}
	return it
}

// restoreWithheld puts back into v (a version that came without them) the references of
// here that the pack never named: links, participants, organisation, parent, and the
// briefing sections whose places v holds as WithheldSection, in order.
func restoreWithheld(v, here Item, hidden func(string) bool) Item {
	for _, l := range here.Links {
		if hidden(l.To) {
			l.From = v.ID
			v.Links = append(slices.Clone(v.Links), l)
		}
	}
	if n, h := v.Note, here.Note; n != nil && h != nil {
		c := *n
		for _, p := range h.Participants {
			if hidden(p) && !slices.Contains(c.Participants, p) {
				c.Participants = append(slices.Clone(c.Participants), p)
			}
		}
		v.Note = &c
	}
	if ct, h := v.Contact, here.Contact; ct != nil && h != nil && ct.OrgID == "" && h.OrgID != "" && hidden(h.OrgID) {
		c := *ct
		c.OrgID = h.OrgID
		v.Contact = &c
	}
	if o, h := v.Organisation, here.Organisation; o != nil && h != nil && o.ParentID == "" && h.ParentID != "" && hidden(h.ParentID) {
		c := *o
		c.ParentID = h.ParentID
		v.Organisation = &c
	}
	if b, h := v.Briefing, here.Briefing; b != nil && h != nil {
		var kept []Section
		for _, s := range h.Sections {
			if s.Ref != "" && hidden(s.Ref) {
				kept = append(kept, s)
			}
		}
		c := *b
		c.Sections = slices.Clone(b.Sections)
		for i, s := range c.Sections {
			if len(kept) > 0 && s == (Section{Text: WithheldSection}) {
				c.Sections[i], kept = kept[0], kept[1:]
			}
		}
		v.Briefing = &c
	}
	return v
}
