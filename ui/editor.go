package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// editor edits one item: its kind's form, then the fields every item has (date, tags,
// countries, topics, classification, source, reliability), each with a picker that
// completes as you type. It only collects what is typed; the item pane saves it.
type editor struct {
	env  *env
	orig store.Item // as last read or saved
	// onEdit is called on every change typed.
	onEdit func()

	banner *classBadge
	title  *widget.Entry
	date   *widget.Entry

	// note
	body      *bodyEntry
	preview   *widget.RichText
	prevScrl  *container.Scroll
	prevBox   *fyne.Container
	showPrev  *widget.Check
	bodySplit *container.Split
	meeting   *widget.Check
	location  *widget.Entry

	// contact
	honorific, given, family, jobTitle, role, languages, lastContact *widget.Entry
	org                                                              *completionEntry
	emails, phones, addresses                                        *labeledRows

	// organisation
	orgType        *completionEntry
	acronym, site  *widget.Entry
	parent         *completionEntry
	notes          *widget.Entry   // contact and organisation notes
	inc            *incidentFields // an incident's own fields (incidentform.go)
	comp           *composer       // a briefing's audience, purpose and sections (composer.go)
	tags           *multiPicker
	countries      *multiPicker
	topics         *multiPicker
	class          *completionEntry
	source         *completionEntry
	reliability    *completionEntry
	problem        *widget.Label
	content        fyne.CanvasObject
	scroll         *container.Scroll // the form of every kind but notes
	previewPending bool
}

// dateLayout is how dates are typed.
const dateLayout = "2006-01-02"

func newEditor(e *env, it store.Item) *editor {
	ed := &editor{env: e, orig: it}
	if e.wantTitles != nil {
		e.wantTitles() // the links and organisation pickers complete from the titles
	}
	changed := func(string) { ed.edited() }

	ed.banner = newClassBadge(true)
	ed.banner.SetClass(it.Class)
	ed.title = &widget.Entry{PlaceHolder: "Title"}
	ed.title.SetText(it.Title)
	ed.title.OnChanged = changed
	ed.date = &widget.Entry{PlaceHolder: "YYYY-MM-DD"}
	if !it.Date.IsZero() {
		ed.date.SetText(it.Date.Format(dateLayout))
	}
	ed.date.OnChanged = changed

	ed.tags = newMultiPicker("Add a tag…", func(q string) []suggestion { return prefixSuggestions(e.vocab.tags, q) }, normalizeTag, func(v string) string { return "#" + v })
	ed.tags.set(it.Tags)
	ed.countries = newMultiPicker("Add a country: name or code…", countrySuggestions, parseCountry, countryLabel)
	ed.countries.set(it.Countries)
	ed.topics = newMultiPicker("Add a topic…", e.vocab.topicSuggestions, e.vocab.parseTopic, e.vocab.topicLabel)
	ed.topics.set(it.Topics)
	for _, p := range []*multiPicker{ed.tags, ed.countries, ed.topics} {
		p.onChange = ed.edited
	}
	ed.class = newCompletionEntry(func(q string) []suggestion { return prefixSuggestions(e.vocab.allowedClasses(), q) })
	ed.class.SetText(it.Class)
	ed.class.onEdited = func(string) { ed.banner.SetClass(strings.ToUpper(strings.TrimSpace(ed.class.Text))); ed.edited() }
	ed.source = newCompletionEntry(func(q string) []suggestion { return prefixSuggestions(e.vocab.sources, q) })
	ed.source.SetText(it.Source)
	ed.source.onEdited = changed
	ed.reliability = newCompletionEntry(reliabilitySuggestions)
	ed.reliability.SetPlaceHolder("A–F and 1–6, e.g. B2")
	ed.reliability.SetText(it.Reliability)
	ed.reliability.onEdited = changed
	ed.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	ed.problem.Hide()
	if e.vocab.aboveCeiling(it.Class) {
		ed.class.Disable() // no marking above the ceiling is offered, nor one lowered here
		ed.showProblem(fmt.Sprintf("Marked %s, above %s, the highest marking allowed on this machine: "+
			"it can be read here, but changes to it cannot be saved.", it.Class, e.vocab.maxClass))
	}

	f := &fieldList{}
	if it.Kind != store.KindNote {
		f.addObject("Title", ed.title)
	}
	var main []fyne.CanvasObject
	switch it.Kind {
	case store.KindNote:
		main = ed.noteForm(f, it)
	case store.KindContact:
		ed.contactForm(f, it)
	case store.KindOrganisation:
		ed.organisationForm(f, it)
	case store.KindDocument:
		main = ed.documentForm(f, it)
	case store.KindBriefing:
		main = ed.briefingForm(f, it)
	case store.KindIncident:
		ed.incidentForm(f, it)
	}
	// A briefing's marking comes with its title and purpose, its sections next, and the
	// fields every item has after them.
	rest := f
	if it.Kind == store.KindBriefing {
		f.addObject("Marking", ed.class)
		rest = &fieldList{}
	}
	rest.addObject("Date", ed.date)
	if it.Kind != store.KindBriefing {
		rest.addObject("Classification", ed.class)
	}
	rest.addObject("Tags", ed.tags.content)
	rest.addObject("Countries", ed.countries.content)
	rest.addObject("Topics", ed.topics.content)
	rest.addObject("Source", ed.source)
	rest.addObject("Reliability", ed.reliability)

	form := container.New(layout.NewFormLayout(), f.objs...)
	if it.Kind == store.KindNote {
		// The text first: it is what a note is for. The fields follow under it.
		ed.content = container.NewBorder(container.NewVBox(ed.banner, ed.problem), nil, nil, nil,
			container.NewVSplit(ed.bodySplitView(main), container.NewScroll(container.NewPadded(form))))
		return ed
	}
	objs := append([]fyne.CanvasObject{form}, main...)
	if rest != f {
		objs = append(objs, sectionHeading("Details"), container.New(layout.NewFormLayout(), rest.objs...))
	}
	ed.scroll = container.NewScroll(container.NewPadded(container.NewVBox(objs...)))
	ed.content = container.NewBorder(container.NewVBox(ed.banner, ed.problem), nil, nil, nil, ed.scroll)
	return ed
}

func (ed *editor) bodySplitView(top []fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(container.NewVBox(top...), nil, nil, nil, ed.bodySplit)
}

// noteForm adds a note's fields; it returns the Markdown editor with its preview.
func (ed *editor) noteForm(f *fieldList, it store.Item) []fyne.CanvasObject {
	n := it.Note
	if n == nil {
		n = &store.Note{}
	}
	ed.meeting = widget.NewCheck("Meeting record", func(bool) { ed.edited() })
	ed.meeting.SetChecked(n.Meeting)
	ed.location = ed.entry("Where", n.Location)
	f.addObject("Meeting", container.NewBorder(nil, nil, ed.meeting, nil, ed.location))

	ed.body = newBodyEntry()
	ed.body.SetPlaceHolder("Write in Markdown. Type [[ or @ to link to a contact, organisation or note.")
	ed.body.SetText(it.Body)
	ed.body.OnChanged = func(string) { ed.edited(); ed.schedulePreview() }
	ed.body.onLinkTrigger = ed.onLinkTrigger
	ed.preview = &widget.RichText{Wrapping: fyne.TextWrapWord}
	ed.updatePreview()
	ed.prevBox = container.NewPadded(ed.preview)
	ed.prevScrl = container.NewVScroll(ed.prevBox)
	ed.bodySplit = container.NewHSplit(ed.body, ed.prevScrl)
	ed.bodySplit.Offset = 0.5
	ed.showPrev = widget.NewCheck("Preview beside", ed.onShowPreview)
	ed.showPrev.SetChecked(fyne.CurrentApp().Preferences().BoolWithFallback(prefPreview, true))
	hint := &widget.Label{Text: "Markdown · [[ or @ links an item", Importance: widget.LowImportance}
	ed.title.TextStyle.Bold = true
	return []fyne.CanvasObject{ed.title, container.NewBorder(nil, nil, ed.showPrev, nil, hint)}
}

func (ed *editor) onShowPreview(on bool) {
	fyne.CurrentApp().Preferences().SetBool(prefPreview, on)
	if on {
		ed.bodySplit.Trailing.Show()
		ed.bodySplit.SetOffset(0.5)
	} else {
		ed.bodySplit.Trailing.Hide()
		ed.bodySplit.SetOffset(1)
	}
	ed.bodySplit.Refresh()
}

func (ed *editor) schedulePreview() {
	if ed.previewPending {
		return
	}
	ed.previewPending = true
	go func() {
		time.Sleep(200 * time.Millisecond)
		ed.env.do(func() {
			ed.previewPending = false
			ed.updatePreview()
		})
	}()
}

func (ed *editor) updatePreview() {
	if ed.preview == nil {
		return
	}
	md := linkMarkup.ReplaceAllString(ed.body.Text, "**$1**")
	if ed.prevBox == nil {
		ed.env.out.setMarkdown(ed.preview, md)
		return
	}
	ed.preview = replaceMarkdown(ed.env.out, ed.prevBox, md)
	ed.prevScrl.Refresh()
}

// onLinkTrigger opens the palette to choose the item a link typed in the body points to;
// trigger is what was typed ("[[" or "@"), replaced by the link.
func (ed *editor) onLinkTrigger(trigger string) {
	ed.env.pickTitle("Link to… (type part of a title)", func(t store.Title) {
		ed.body.replaceBeforeCursor(trigger, "[["+t.Title+"]]")
		ed.env.win.Canvas().Focus(ed.body)
		if _, ok := ed.env.vocab.byTitle[fold(t.Title)]; !ok {
			ed.env.vocab.byTitle[fold(t.Title)] = t.ID
		}
	}, func() { ed.env.win.Canvas().Focus(ed.body) })
}

func (ed *editor) contactForm(f *fieldList, it store.Item) {
	c := it.Contact
	if c == nil {
		c = &store.Contact{}
	}
	ed.honorific = ed.entry("H.E., Dr, Ms…", c.Honorific)
	ed.given = ed.entry("Given name", c.GivenName)
	ed.family = ed.entry("Family name", c.FamilyName)
	f.addObject("Name", container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(90, ed.honorific.MinSize().Height), ed.honorific), nil,
		container.NewGridWithColumns(2, ed.given, ed.family)))
	ed.jobTitle = ed.entry("Job title", c.JobTitle)
	f.addObject("Job title", ed.jobTitle)
	ed.org = ed.orgPicker("Type to choose an organisation", c.OrgID)
	f.addObject("Organisation", ed.org)
	ed.role = ed.entry("Role", c.Role)
	f.addObject("Role", ed.role)
	ed.emails = newLabeledRows("email", []string{"work", "personal", "other"}, false)
	ed.phones = newLabeledRows("phone", []string{"office", "mobile", "home", "fax"}, false)
	ed.addresses = newLabeledRows("address", []string{"work", "home"}, true)
	for _, lr := range []*labeledRows{ed.emails, ed.phones, ed.addresses} {
		lr.onChange = ed.edited
	}
	ed.emails.set(toLabeled(c.Emails))
	ed.phones.set(toLabeled(c.Phones))
	ed.addresses.set(toLabeled(c.Addresses))
	f.addObject("Emails", ed.emails.content)
	f.addObject("Phones", ed.phones.content)
	f.addObject("Addresses", ed.addresses.content)
	ed.languages = ed.entry("en, fr…", strings.Join(c.Languages, ", "))
	f.addObject("Languages", ed.languages)
	lc := ""
	if !c.LastContact.IsZero() {
		lc = c.LastContact.Format(dateLayout)
	}
	ed.lastContact = ed.entry("YYYY-MM-DD", lc)
	f.addObject("Last contact", ed.lastContact)
	ed.notes = ed.textArea(5, it.Body)
	f.addObject("Notes", ed.notes)
}

func (ed *editor) organisationForm(f *fieldList, it store.Item) {
	o := it.Organisation
	if o == nil {
		o = &store.Organisation{}
	}
	ed.orgType = newCompletionEntry(func(q string) []suggestion {
		return prefixSuggestions([]string{"ministry", "embassy", "international", "ngo", "company", "agency"}, q)
	})
	ed.orgType.SetText(o.Type)
	ed.orgType.onEdited = func(string) { ed.edited() }
	f.addObject("Type", ed.orgType)
	ed.acronym = ed.entry("Acronym", o.Acronym)
	f.addObject("Acronym", ed.acronym)
	ed.parent = ed.orgPicker("Type to choose the parent organisation", o.ParentID)
	f.addObject("Part of", ed.parent)
	ed.site = ed.entry("https://…", o.Website)
	f.addObject("Website", ed.site)
	ed.notes = ed.textArea(5, it.Body)
	f.addObject("Notes", ed.notes)
}

// documentForm shows a document's metadata and import status, and its extracted text
// (read only: it comes from the file).
func (ed *editor) documentForm(f *fieldList, it store.Item) []fyne.CanvasObject {
	if d := it.Document; d != nil {
		f.add("File", d.FileName)
		f.add("Type", d.MIME)
		f.add("Import status", documentStatus(d))
		if d.Pages > 0 {
			f.add("Pages", thousands(d.Pages))
		}
		if d.Size > 0 {
			f.add("Size", byteSize(d.Size))
		}
	}
	text := strings.TrimSpace(it.Body)
	if text == "" {
		return []fyne.CanvasObject{sectionHeading("Extracted text"), &widget.Label{Text: "No text was extracted from this file.", Importance: widget.LowImportance}}
	}
	if r := []rune(text); len(r) > maxShownText {
		text = string(r[:maxShownText]) + "\n…"
	}
	return []fyne.CanvasObject{sectionHeading("Extracted text"), &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Selectable: true}}
}

func (ed *editor) edited() {
	if ed.comp != nil && ed.class != nil {
		ed.comp.showMarking()
	}
	if ed.onEdit != nil {
		ed.onEdit()
	}
}

// collect builds the item from what is typed; it fails, in words naming the field, when a
// field cannot be read. The item it returns holds every field that could be read (one that
// could not keeps its value as opened): a draft keeps it.
func (ed *editor) collect() (it store.Item, problem error) {
	bad := func(field, format string, a ...any) {
		if problem == nil {
			problem = fmt.Errorf(field+": "+format, a...)
		}
	}
	it = ed.orig
	it.Title = strings.TrimSpace(ed.title.Text)
	if it.Title == "" {
		bad("Title", "empty; write a title")
	}
	if d, err := parseDate(ed.date.Text); err != nil {
		bad("Date", "%s is not a date; write 2026-11-16", strings.TrimSpace(ed.date.Text))
	} else {
		it.Date = d
	}
	it.Tags, it.Countries, it.Topics = ed.tags.get(), ed.countries.get(), ed.topics.get()
	it.Class = strings.ToUpper(strings.TrimSpace(ed.class.Text))
	if it.Class == "" {
		it.Class = ed.env.vocab.newClass()
	}
	if len(ed.env.vocab.classes) > 0 && !slices.Contains(ed.env.vocab.classes, it.Class) {
		bad("Classification", "%s is not a marking; choose one of %s", it.Class, strings.Join(ed.env.vocab.allowedClasses(), ", "))
		it.Class = ed.orig.Class
	} else if ed.env.vocab.aboveCeiling(it.Class) {
		bad("Classification", "%s is above %s, the highest marking allowed on this machine", it.Class, ed.env.vocab.maxClass)
		it.Class = ed.orig.Class
	}
	it.Source = strings.TrimSpace(ed.source.Text)
	it.Reliability = strings.ToUpper(strings.TrimSpace(ed.reliability.Text))
	if it.Reliability != "" && !validReliability(it.Reliability) {
		bad("Reliability", "%s is not a grade; write a letter A–F and a digit 1–6, like B2", it.Reliability)
		it.Reliability = ed.orig.Reliability
	}
	switch it.Kind {
	case store.KindNote:
		n := store.Note{}
		if it.Note != nil {
			n = *it.Note
		}
		n.Meeting, n.Location = ed.meeting.Checked, strings.TrimSpace(ed.location.Text)
		it.Note = &n
		old := it.Body
		it.Body = ed.body.Text
		it.Links = mentionLinks(it.Links, old, it.Body, ed.env.resolveTitle)
	case store.KindContact:
		c := store.Contact{}
		if it.Contact != nil {
			c = *it.Contact
		}
		c.Honorific, c.GivenName, c.FamilyName = strings.TrimSpace(ed.honorific.Text), strings.TrimSpace(ed.given.Text), strings.TrimSpace(ed.family.Text)
		c.JobTitle, c.Role = strings.TrimSpace(ed.jobTitle.Text), strings.TrimSpace(ed.role.Text)
		if ed.org.Text != ed.env.vocab.orgTitle(c.OrgID) || ed.env.vocab.orgID(ed.org.Text) != "" {
			c.OrgID = ed.env.vocab.orgID(ed.org.Text)
		}
		if strings.TrimSpace(ed.org.Text) != "" && c.OrgID == "" {
			bad("Organisation", "no organisation is called %q; choose one from the list as you type", ed.org.Text)
		}
		c.Emails, c.Phones, c.Addresses = fromLabeled(ed.emails.get()), fromLabeled(ed.phones.get()), fromLabeled(ed.addresses.get())
		c.Languages = nil
		for _, l := range strings.FieldsFunc(ed.languages.Text, func(r rune) bool { return r == ',' || r == ' ' }) {
			c.Languages = append(c.Languages, strings.ToLower(l))
		}
		if lc, err := parseDate(ed.lastContact.Text); err != nil {
			bad("Last contact", "%s is not a date; write 2026-11-16", strings.TrimSpace(ed.lastContact.Text))
		} else {
			c.LastContact = lc
		}
		it.Contact = &c
		it.Body = ed.notes.Text
		it.Links = replaceLink(it.Links, "member-of", c.OrgID)
	case store.KindOrganisation:
		o := store.Organisation{}
		if it.Organisation != nil {
			o = *it.Organisation
		}
		o.Type, o.Acronym, o.Website = strings.TrimSpace(ed.orgType.Text), strings.TrimSpace(ed.acronym.Text), strings.TrimSpace(ed.site.Text)
		if ed.parent.Text != ed.env.vocab.orgTitle(o.ParentID) || ed.env.vocab.orgID(ed.parent.Text) != "" {
			o.ParentID = ed.env.vocab.orgID(ed.parent.Text)
		}
		if strings.TrimSpace(ed.parent.Text) != "" && o.ParentID == "" {
			bad("Part of", "no organisation is called %q; choose one from the list as you type", ed.parent.Text)
		}
		it.Organisation = &o
		it.Body = ed.notes.Text
	case store.KindBriefing:
		ed.comp.collect(&it)
	case store.KindIncident:
		ed.inc.collect(&it, bad)
	}
	return it, problem
}

// typedFields are the fields whose text may not read as typed (a date, a marking, a grade,
// an organisation's name): a draft keeps their text as typed.
func (ed *editor) typedFields() map[string]*widget.Entry {
	f := map[string]*widget.Entry{"title": ed.title, "date": ed.date, "class": &ed.class.Entry, "reliability": &ed.reliability.Entry}
	if ed.lastContact != nil {
		f["lastContact"] = ed.lastContact
	}
	if ed.org != nil {
		f["org"] = &ed.org.Entry
	}
	if ed.parent != nil {
		f["parent"] = &ed.parent.Entry
	}
	if ed.inc != nil {
		ed.inc.typed(f)
	}
	return f
}

// draft is what the editor holds, to be kept as the draft named key.
func (ed *editor) draft(key string) draft {
	it, _ := ed.collect()
	typed := map[string]string{}
	for name, e := range ed.typedFields() {
		typed[name] = e.Text
	}
	return draft{Key: key, Written: time.Now().UTC(), Item: it, Typed: typed}
}

// setTyped puts a draft's text back into the fields it names.
func (ed *editor) setTyped(typed map[string]string) {
	fields := ed.typedFields()
	for name, text := range typed {
		if e, ok := fields[name]; ok && !e.Disabled() {
			e.SetText(text)
		}
	}
}

// showProblem shows why the item cannot be saved, or nothing.
func (ed *editor) showProblem(msg string) {
	ed.problem.SetText(msg)
	ed.problem.Hidden = msg == ""
	ed.problem.Refresh()
}

// focus puts the cursor where one starts typing: the title of a new item, else the text
// of a note, else the title.
func (ed *editor) focus(c fyne.Canvas) {
	if ed.body != nil && ed.orig.ID != "" {
		c.Focus(ed.body)
		return
	}
	c.Focus(ed.title)
}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t, nil
	}
	return time.Parse("2006", s)
}

var reliabilityGrade = regexp.MustCompile(`^[A-F][1-6]?$`)

func validReliability(s string) bool { return reliabilityGrade.MatchString(s) }

func reliabilitySuggestions(q string) []suggestion {
	var out []suggestion
	q = strings.ToUpper(strings.TrimSpace(q))
	for _, l := range "ABCDEF" {
		for _, d := range "123456" {
			g := string(l) + string(d)
			if strings.HasPrefix(g, q) {
				out = append(out, suggestion{Text: reliabilityWords(g), Value: g})
			}
		}
	}
	return out
}

func normalizeTag(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(strings.TrimSpace(s), "#")), "-"))
	return s, s != ""
}

// countrySuggestions offers the countries whose name or code starts with (or contains)
// what is typed.
func countrySuggestions(q string) []suggestion {
	q = fold(strings.TrimSpace(q))
	var first, then []suggestion
	for _, c := range store.Countries() {
		s := suggestion{Text: c.Name + " (" + c.Alpha3 + ")", Value: c.Alpha3}
		name := fold(c.Name)
		switch {
		case strings.EqualFold(c.Alpha3, q) || strings.EqualFold(c.Alpha2, q) || strings.HasPrefix(name, q):
			first = append(first, s)
		case strings.Contains(name, q):
			then = append(then, s)
		}
	}
	return append(first, then...)
}

func parseCountry(s string) (string, bool) {
	if c, ok := store.LookupCountry(strings.TrimSpace(s)); ok {
		return c.Alpha3, true
	}
	if sug := countrySuggestions(s); len(sug) == 1 {
		return sug[0].Value, true
	}
	return "", false
}

func countryLabel(code string) string {
	if c, ok := store.LookupCountry(code); ok && c.Name != "" {
		return c.Name + " (" + code + ")"
	}
	return code
}

func toLabeled(ls []store.Labeled) []Labeled {
	out := make([]Labeled, len(ls))
	for i, l := range ls {
		out[i] = Labeled{Label: l.Label, Value: l.Value}
	}
	return out
}

func fromLabeled(ls []Labeled) []store.Labeled {
	var out []store.Labeled
	for _, l := range ls {
		out = append(out, store.Labeled{Label: l.Label, Value: l.Value})
	}
	return out
}

// replaceLink keeps one link of rel, to target (none when target is empty).
func replaceLink(links []store.Link, rel, target string) []store.Link {
	out := slices.DeleteFunc(slices.Clone(links), func(l store.Link) bool { return l.Rel == rel })
	if target != "" {
		out = append(out, store.Link{To: target, Rel: rel})
	}
	return out
}

// replaceMarkdown shows md in box (a container holding one RichText) with a new RichText:
// parsing again into a RichText on screen leaves its rows drawn as they were (Fyne 2.8.1).
// It renders through out: nothing is fetched or opened by itself.
func replaceMarkdown(out *outside, box *fyne.Container, md string) *widget.RichText {
	rt := out.markdown(md, nil)
	box.Objects = []fyne.CanvasObject{rt}
	box.Refresh()
	return rt
}

// entry is a one-line field holding text whose edits count as editing the item.
func (ed *editor) entry(placeholder, text string) *widget.Entry {
	e := &widget.Entry{PlaceHolder: placeholder}
	e.SetText(text)
	e.OnChanged = func(string) { ed.edited() }
	return e
}

// textArea is a wrapping field of at least rows lines whose edits count as editing the item.
func (ed *editor) textArea(rows int, text string) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(rows)
	e.SetText(text)
	e.OnChanged = func(string) { ed.edited() }
	return e
}

// orgPicker is a field that completes organisation titles, showing the one with ID id;
// its edits count as editing the item.
func (ed *editor) orgPicker(placeholder, id string) *completionEntry {
	e := newCompletionEntry(ed.env.vocab.orgSuggestions)
	e.SetPlaceHolder(placeholder)
	e.SetText(ed.env.vocab.orgTitle(id))
	e.onEdited = func(string) { ed.edited() }
	return e
}
