package ui

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// DossierReader reads a country's dossier: *store.DB is one.
type DossierReader interface {
	// Dossier reads what the knowledge base holds about a country (an alpha-3 code).
	Dossier(ctx context.Context, country string) (store.Dossier, error)
}

// dossierDeps is what the dossier screen needs.
type dossierDeps struct {
	reader DossierReader
	ctx    context.Context
	do     func(func())
	log    *slog.Logger
}

// dossierHandlers are what the dossier screen calls upward.
type dossierHandlers struct {
	onOpen func(id string) // an item of the dossier chosen: open it
}

// dossierScreen is a country's dossier: its names in the six UN languages, its
// counterparts with phone and last contact, its organisations, its latest notes and
// documents, its stated positions and the incidents it is part of. It stands beside the list of the country's items (the browse screen, one
// click from the Countries list), where the open item's pane is otherwise. It is read
// off the UI goroutine (load) and shown on it (showDossier).
type dossierScreen struct {
	dossierDeps
	on dossierHandlers

	header   *widget.Label
	names    *widget.Label // the names in the six UN languages, the demonyms
	status   *widget.Label // Loading…, or what went wrong
	sections *fyne.Container
	content  fyne.CanvasObject

	// State: UI goroutine only.
	alpha3 string
	gen    int
	shown  store.Dossier
	loaded bool
}

func newDossierScreen(deps dossierDeps, on dossierHandlers) *dossierScreen {
	d := &dossierScreen{dossierDeps: deps, on: on}
	d.header = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	d.names = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	d.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	d.sections = container.NewVBox()
	d.content = container.NewBorder(container.NewPadded(container.NewVBox(d.header, d.names)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(d.status, d.sections))))
	return d
}

// show reads and shows the dossier of a country (an alpha-3 code).
func (d *dossierScreen) show(alpha3 string) {
	if alpha3 != d.alpha3 {
		d.loaded = false
		d.sections.RemoveAll()
		d.header.SetText("Dossier: " + countryLabel(alpha3))
		d.names.SetText("")
	}
	d.alpha3 = alpha3
	d.gen++
	gen := d.gen
	if !d.loaded {
		d.status.SetText("Loading…")
		d.status.Show()
	}
	go func() {
		dossier, err := d.reader.Dossier(d.ctx, alpha3)
		d.do(func() { d.showDossier(gen, dossier, err) })
	}()
}

// showDossier shows what load read, unless another country was asked for since.
func (d *dossierScreen) showDossier(gen int, dossier store.Dossier, err error) {
	if gen != d.gen {
		return
	}
	if err != nil {
		d.log.Error("read dossier", "country", d.alpha3, "err", errKind(err))
		d.status.SetText(fmt.Sprintf("The dossier of %s could not be read: %v", countryLabel(d.alpha3), err))
		d.status.Show()
		return
	}
	d.shown, d.loaded = dossier, true
	d.status.Hide()
	d.header.SetText("Dossier: " + dossier.Country.Name)
	d.names.SetText(dossierNames(dossier.Names))

	var objs []fyne.CanvasObject
	objs = append(objs, d.section(fmt.Sprintf("Counterparts (%d)", len(dossier.Contacts)), "No contacts in this country yet.", dossier.Contacts, counterpartLine)...)
	objs = append(objs, d.section(fmt.Sprintf("Organisations (%d)", len(dossier.Organisations)), "No organisations in this country yet.", dossier.Organisations, organisationLine)...)
	objs = append(objs, d.section(latestHeading("notes", len(dossier.Notes), dossier.NoteCount), "No notes about this country yet.", dossier.Notes, datedLine)...)
	objs = append(objs, d.section(latestHeading("documents", len(dossier.Documents), dossier.DocumentCount), "No documents about this country yet.", dossier.Documents, datedLine)...)
	objs = append(objs, d.positions(dossier)...)
	objs = append(objs, d.section(fmt.Sprintf("Incidents (%d)", len(dossier.Incidents)), "This country is part of no incident.", dossier.Incidents, incidentLine)...)
	d.sections.Objects = objs
	d.sections.Refresh()
}

// positions is the section of the country's stated positions: each its text, a line of
// when, where from and on which incident, and a button that opens the statement it comes
// from (else the incident).
func (d *dossierScreen) positions(dossier store.Dossier) []fyne.CanvasObject {
	out := []fyne.CanvasObject{widget.NewSeparator(), &widget.Label{Text: fmt.Sprintf("Positions (%d)", len(dossier.Positions)), TextStyle: fyne.TextStyle{Bold: true}}}
	if len(dossier.Positions) == 0 {
		return append(out, &widget.Label{Text: "No stated positions yet.", Importance: widget.LowImportance})
	}
	incidents := map[string]string{}
	for _, it := range dossier.Incidents {
		incidents[it.ID] = it.Title
	}
	for _, p := range dossier.Positions {
		open := p.Statement
		if open == "" {
			open = p.Incident
		}
		label := "“" + p.Text + "”"
		b := widget.NewButtonWithIcon(label, theme.DocumentIcon(), func() {
			if d.on.onOpen != nil {
				d.on.onOpen(open)
			}
		})
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		out = append(out, container.NewBorder(nil, nil, nil, newClassBadgeWith(p.Class), b))
		var parts []string
		if !p.Stated.IsZero() {
			parts = append(parts, "stated "+formatDate(p.Stated))
		}
		parts = append(parts, nonBlank(p.Source, p.Reliability)...)
		if t := incidents[p.Incident]; t != "" {
			parts = append(parts, "on "+t)
		}
		if len(parts) > 0 {
			out = append(out, &widget.Label{Text: strings.Join(parts, " · "), SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis})
		}
	}
	return out
}

// incidentLine is an incident's type, status, severity and zero hour.
func incidentLine(it store.Item) string {
	inc := it.Incident
	if inc == nil {
		return ""
	}
	status := "active"
	if !inc.Active() {
		status = "closed"
	}
	if inc.Exercise {
		status += " (exercise)"
	}
	parts := nonBlank(inc.Type, status, inc.Severity)
	if !inc.ZeroHour.IsZero() {
		parts = append(parts, "since "+formatDate(inc.ZeroHour))
	}
	return strings.Join(parts, " · ")
}

// section is a heading and one row per item: its title, which opens it, and a line
// about it; or the words for none.
func (d *dossierScreen) section(heading, none string, items []store.Item, line func(store.Item) string) []fyne.CanvasObject {
	out := []fyne.CanvasObject{widget.NewSeparator(), &widget.Label{Text: heading, TextStyle: fyne.TextStyle{Bold: true}}}
	if len(items) == 0 {
		return append(out, &widget.Label{Text: none, Importance: widget.LowImportance})
	}
	for _, it := range items {
		id := it.ID
		b := widget.NewButtonWithIcon(it.Title, kindIcon(it.Kind), func() {
			if d.on.onOpen != nil {
				d.on.onOpen(id)
			}
		})
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		row := container.NewBorder(nil, nil, nil, newClassBadgeWith(it.Class), b)
		out = append(out, row)
		if l := line(it); l != "" {
			out = append(out, &widget.Label{Text: l, SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis})
		}
	}
	return out
}

func newClassBadgeWith(class string) fyne.CanvasObject {
	b := newClassBadge(false)
	b.SetClass(class)
	return b
}

// latestHeading is "Latest notes (10 of 12)", or "Notes (3)" when all are shown.
func latestHeading(what string, shown, all int) string {
	if shown < all {
		return fmt.Sprintf("Latest %s (%d of %d)", what, shown, all)
	}
	return fmt.Sprintf("%s (%d)", strings.ToUpper(what[:1])+what[1:], all)
}

// counterpartLine is a contact's job, phone and last contact.
func counterpartLine(it store.Item) string {
	var parts []string
	c := it.Contact
	if c == nil {
		c = &store.Contact{}
	}
	if job := strings.TrimSpace(strings.Join(nonBlank(c.JobTitle, c.Role), ", ")); job != "" {
		parts = append(parts, job)
	}
	if len(c.Phones) > 0 {
		parts = append(parts, "☎ "+c.Phones[0].Value)
	} else {
		parts = append(parts, "no phone")
	}
	if c.LastContact.IsZero() {
		parts = append(parts, "never contacted")
	} else {
		parts = append(parts, "last contact "+formatDate(c.LastContact))
	}
	return strings.Join(parts, " · ")
}

func nonBlank(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// organisationLine is an organisation's acronym and type.
func organisationLine(it store.Item) string {
	if o := it.Organisation; o != nil {
		return strings.Join(nonBlank(o.Acronym, o.Type), " · ")
	}
	return ""
}

// datedLine is an item's date.
func datedLine(it store.Item) string { return formatDate(it.DisplayDate()) }

// dossierNames are a country's names in the six UN languages and its demonyms, on a line.
func dossierNames(n store.CountryNames) string {
	var parts []string
	for _, l := range store.UNLanguages {
		if vs := n.Names[l]; len(vs) > 0 {
			parts = append(parts, vs[0])
		}
	}
	var dem []string
	for _, l := range []string{"en", "fr"} {
		dem = append(dem, n.Demonyms[l]...)
	}
	s := strings.Join(parts, " · ")
	if len(dem) > 0 {
		s += "\n" + strings.Join(dem, ", ")
	}
	return s
}

// The browse screen's side of the dossier: the list of a country's items shows its dossier
// beside it until an item is opened; the Dossier button shows it again.

// showDossierFor shows the dossier beside the list when pl is a country's items, and the
// item pane otherwise.
func (b *browseScreen) showDossierFor(pl place) {
	country := pl.kind == placeTerm && pl.terms == store.TermCountry && b.dossier != nil
	setVisible(b.dossierBtn, country)
	if !country {
		b.hideDossier()
		return
	}
	kept := b.dossierShown() && b.dossier.alpha3 == pl.value // read again after a change
	b.dossier.show(pl.value)
	if kept || b.reselect == "" { // an item to reopen (after a change) keeps its pane
		b.showDossier()
	} else {
		b.hideDossier()
	}
}

// showDossier puts the dossier in the pane's place beside the list.
func (b *browseScreen) showDossier() {
	if b.dossier == nil || b.dossierShown() {
		return
	}
	b.split.Trailing = b.dossier.content
	b.split.Refresh()
	b.dossierBtn.Disable()
}

// hideDossier puts the pane back beside the list.
func (b *browseScreen) hideDossier() {
	if !b.dossierShown() {
		return
	}
	b.split.Trailing = b.pane.content
	b.split.Refresh()
	b.dossierBtn.Enable()
}

// dossierShown reports whether the dossier stands beside the list.
func (b *browseScreen) dossierShown() bool {
	return b.dossier != nil && b.split != nil && b.split.Trailing == b.dossier.content
}

// onDossier (the Dossier button) shows the country's dossier again.
func (b *browseScreen) onDossier() {
	b.quiet = true
	b.list.UnselectAll()
	b.quiet = false
	b.showDossier()
}

// onDossierOpen opens an item chosen in the dossier, in the pane.
func (b *browseScreen) onDossierOpen(id string) {
	b.hideDossier()
	b.onOpenLinked(id)
}

// newBrowseDossier builds the dossier that takes the pane's place beside the list, when
// the knowledge base reads dossiers, and the Dossier button.
func (b *browseScreen) newBrowseDossier(reader DossierReader) {
	b.dossierBtn = widget.NewButtonWithIcon("Dossier", theme.InfoIcon(), b.onDossier)
	b.dossierBtn.Hide()
	if reader != nil {
		b.dossier = newDossierScreen(dossierDeps{reader: reader, ctx: b.ctx, do: b.do, log: b.log}, dossierHandlers{onOpen: b.onDossierOpen})
	}
}

// The search screen's side: a query naming a country offers that country's dossier.

// showDossierOffer offers the dossier of the first country query q names, when there is a
// handler for it.
func (s *searchScreen) showDossierOffer(q string) {
	s.dossierFor = ""
	if s.on.onDossier != nil {
		if parsed, err := search.Parse(q); err == nil {
			if cs := parsed.Countries(); len(cs) > 0 {
				s.dossierFor = cs[0]
			}
		}
	}
	if s.dossierFor == "" {
		s.dossierBtn.Hide()
		return
	}
	name := s.dossierFor
	if c, ok := store.LookupCountry(name); ok {
		name = c.Name
	}
	s.dossierBtn.SetText("Open dossier: " + name)
	s.dossierBtn.Show()
}

func (s *searchScreen) onOpenDossier() {
	if s.dossierFor != "" && s.on.onDossier != nil {
		s.on.onDossier(s.dossierFor)
	}
}

// openDossier goes to a country's items with its dossier beside them: what the search's
// "Open dossier" does, and what a call sheet's row calls (an alpha-3 code).
func (mw *mainWindow) openDossier(alpha3 string) {
	mw.goThen(termPlace(store.TermCountry, alpha3), func() { mw.browse.showDossier() })
}

// dossierReader is lib as a DossierReader, when it is one (*store.DB is); else nil.
func dossierReader(lib Library) DossierReader {
	if r, ok := lib.(DossierReader); ok {
		return r
	}
	return nil
}

// onDossier (Ctrl+Shift+D) opens a country's dossier: of the country the search names, when
// the search is shown; in an incident's workspace, of the call sheet's selected row (else
// the first affected country); of the country listed, when the dossier was put aside for an item;
// else of the open item's first country; else it goes to the Countries list to choose one.
func (mw *mainWindow) onDossier() {
	if mw.place.kind == placeIncident && mw.incident.calls.onDossier() { // the call sheet's row
		return
	}
	if mw.place == searchPlace && mw.search.dossierFor != "" {
		mw.openDossier(mw.search.dossierFor)
		return
	}
	if pl := mw.place; pl.kind == placeTerm && pl.terms == store.TermCountry && mw.browse.dossier != nil {
		mw.browse.onDossier()
		return
	}
	if p := mw.pane(); p.has && len(p.item.Countries) > 0 {
		mw.openDossier(p.item.Countries[0])
		return
	}
	mw.goTo(termsPlace(store.TermCountry))
}
