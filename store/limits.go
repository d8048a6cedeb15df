package store

import (
	"fmt"
	"unicode/utf8"
)

// Field limits: far above any real value, low enough that one hostile file (a vCard with a
// 31 MB title) cannot make an item that costs gigabytes to show, index and export. In bytes
// of UTF-8, and in entries for lists. Body is bounded by the importers (a document's text,
// a note's file), except on contacts and organisations, whose notes are short.
const (
	maxTitle       = 2000
	maxName        = 500  // honorific, given and family name, acronym, type, label
	maxLine        = 2000 // job title, role, source, location, website, file name, heading, audience, address
	maxEmail       = 500
	maxPhone       = 200
	maxTerm        = 200 // a tag, country, topic or language
	maxList        = 1000
	maxContactBody = 1 << 20
)

// CheckLengths refuses an item with a field longer than its limit (ErrInvalid), naming the
// item (shortened) and the field. Saving checks it; importers check it too, to name the
// record of a file that is refused.
func (it *Item) CheckLengths() error {
	var err error
	str := func(field, v string, max int) {
		if err == nil && len(v) > max {
			err = fmt.Errorf("%w: %q: the %s is %s long; at most %d characters are kept", ErrInvalid, shortTitle(it.Title), field, size(len(v)), max)
		}
	}
	list := func(field string, n int) {
		if err == nil && n > maxList {
			err = fmt.Errorf("%w: %q has %d %s; at most %d", ErrInvalid, shortTitle(it.Title), n, field, maxList)
		}
	}
	labeled := func(field string, ls []Labeled, max int) {
		list(field+"s", len(ls))
		for _, l := range ls {
			str(field+" label", l.Label, maxName)
			str(field, l.Value, max)
		}
	}
	str("title", it.Title, maxTitle)
	str("source", it.Source, maxLine)
	for _, l := range []struct {
		field string
		vs    []string
	}{{"tag", it.Tags}, {"country", it.Countries}, {"topic", it.Topics}} {
		list(l.field+"s", len(l.vs))
		for _, v := range l.vs {
			str(l.field, v, maxTerm)
		}
	}
	list("links", len(it.Links))
	if c := it.Contact; c != nil {
		str("honorific", c.Honorific, maxName)
		str("given name", c.GivenName, maxName)
		str("family name", c.FamilyName, maxName)
		str("job title", c.JobTitle, maxLine)
		str("role", c.Role, maxLine)
		labeled("email", c.Emails, maxEmail)
		labeled("phone", c.Phones, maxPhone)
		labeled("address", c.Addresses, maxLine)
		list("languages", len(c.Languages))
		for _, v := range c.Languages {
			str("language", v, maxTerm)
		}
	}
	if o := it.Organisation; o != nil {
		str("type", o.Type, maxName)
		str("acronym", o.Acronym, maxName)
		str("website", o.Website, maxLine)
	}
	if it.Contact != nil || it.Organisation != nil {
		str("notes", it.Body, maxContactBody)
	}
	if n := it.Note; n != nil {
		str("location", n.Location, maxLine)
		list("participants", len(n.Participants))
	}
	if d := it.Document; d != nil {
		str("file name", d.FileName, maxLine)
	}
	if b := it.Briefing; b != nil {
		str("audience", b.Audience, maxLine)
		list("sections", len(b.Sections))
		for _, s := range b.Sections {
			str("section heading", s.Heading, maxLine)
		}
	}
	return err
}

// shortTitle is a title short enough to name an item in an error.
func shortTitle(t string) string {
	const n = 80
	if len(t) <= n {
		return t
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(t[cut]) {
		cut--
	}
	return t[:cut] + "…"
}

// size writes a length in bytes for people.
func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d characters", n)
}
