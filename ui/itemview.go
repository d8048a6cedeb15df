package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

const (
	// maxShownText is how much of a document's text the view shows; the rest is cut, with
	// a note saying so.
	maxShownText = 40000
	// maxLinks is how many links in or out of an item the view lists.
	maxLinks = 200
)

// itemView shows one item: a classification banner, its title, its kind's details, its
// text, and the items that link to it (tap one to open it).
type itemView struct {
	items Items
	do    func(func())
	log   *slog.Logger
	ctx   context.Context
	// onOpen is called with the ID of a linked item tapped in the view.
	onOpen func(id string)
	// beforeOpen is called when another item is about to be opened (the pane leaves its
	// editor); onShown when an item is on screen.
	beforeOpen func()
	onShown    func(store.Item)
	// out renders the item's text without reaching outside the app by itself.
	out *outside

	banner  *classBadge
	body    *fyne.Container
	scroll  *container.Scroll
	content fyne.CanvasObject

	// State: UI goroutine only.
	gen     int
	cancel  context.CancelFunc
	shownID string // the item open, or being opened
}

// itemDetail is what the view shows of an item: the item, and the titles of the items it
// refers to or is linked from.
type itemDetail struct {
	item      store.Item
	backlinks []store.Link
	titles    map[string]string // by ID; missing items are absent
}

// viewDeps is what an item view needs.
type viewDeps struct {
	items Items
	ctx   context.Context
	do    func(func())
	log   *slog.Logger
	out   *outside // renders the item's text (outside.go)
}

// newItemView is a view over deps; onOpen is called with the ID of a linked item tapped in
// it.
func newItemView(deps viewDeps, onOpen func(id string)) *itemView {
	v := &itemView{items: deps.items, do: deps.do, log: deps.log, ctx: deps.ctx, out: deps.out, onOpen: onOpen}
	v.banner = newClassBadge(true)
	v.banner.Hide()
	v.body = container.NewVBox()
	// Scrolling both ways keeps anything too wide to wrap from widening the window.
	v.scroll = container.NewScroll(container.NewPadded(v.body))
	v.content = container.NewBorder(v.banner, nil, nil, nil, v.scroll)
	v.showMessage("Select a result to read it here.")
	return v
}

// open reads the item id and shows it; a newer open wins over an older one.
func (v *itemView) open(id string) {
	if v.beforeOpen != nil {
		v.beforeOpen()
	}
	v.gen++
	gen := v.gen
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancel = cancel
	v.shownID = id
	go func() {
		d, err := v.load(ctx, id)
		if ctx.Err() != nil {
			return
		}
		v.do(func() { v.show(gen, d, err) })
	}()
}

// load reads the item, its backlinks, and the titles of the items it refers to.
func (v *itemView) load(ctx context.Context, id string) (itemDetail, error) {
	it, err := v.items.Get(ctx, id)
	if err != nil {
		return itemDetail{}, err
	}
	d := itemDetail{item: it, titles: map[string]string{}}
	d.backlinks, err = v.items.Backlinks(ctx, id)
	if err != nil {
		v.log.Warn("read backlinks", "id", id, "err", err)
	}
	if len(d.backlinks) > maxLinks {
		d.backlinks = d.backlinks[:maxLinks]
	}
	for _, ref := range referencedIDs(it, d.backlinks) {
		if _, ok := d.titles[ref]; ok || ref == "" {
			continue
		}
		linked, err := v.items.Get(ctx, ref)
		switch {
		case err == nil && linked.Deleted == nil:
			d.titles[ref] = linked.Title
		case err != nil && !errors.Is(err, store.ErrNotFound):
			if ctx.Err() != nil {
				return itemDetail{}, ctx.Err()
			}
			v.log.Warn("read linked item", "id", ref, "err", err)
		}
	}
	return d, nil
}

// referencedIDs lists the items an item's view names: its organisation, parent,
// participants, briefing sections, links, and the items linking to it.
func referencedIDs(it store.Item, backlinks []store.Link) []string {
	var ids []string
	switch {
	case it.Contact != nil:
		ids = append(ids, it.Contact.OrgID)
	case it.Organisation != nil:
		ids = append(ids, it.Organisation.ParentID)
	case it.Note != nil:
		ids = append(ids, it.Note.Participants...)
	case it.Briefing != nil:
		for _, s := range it.Briefing.Sections {
			ids = append(ids, s.Ref)
		}
	}
	for i, l := range it.Links {
		if i >= maxLinks {
			break
		}
		ids = append(ids, l.To)
	}
	for _, l := range backlinks {
		ids = append(ids, l.From)
	}
	return ids
}

// show puts a loaded item on screen, unless another was opened since.
func (v *itemView) show(gen int, d itemDetail, err error) {
	if gen != v.gen {
		return
	}
	if err != nil {
		v.banner.Hide()
		if errors.Is(err, store.ErrNotFound) {
			v.showMessage("This item is no longer in the knowledge base.")
		} else {
			v.log.Error("open item", "id", v.shownID, "err", err)
			v.showMessage("This item could not be read: " + err.Error())
		}
		return
	}
	it := d.item
	v.banner.SetClass(it.Class)
	v.banner.Show()

	var objs []fyne.CanvasObject
	title := &widget.Label{Text: it.Title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameHeadingText, Selectable: true}
	objs = append(objs, title)

	sub := []string{kindLabel(it.Kind)}
	if !it.Date.IsZero() {
		sub = append(sub, formatDate(it.Date))
	} else if !it.Created.IsZero() {
		sub = append(sub, "added "+formatDate(it.Created))
	}
	if it.Deleted != nil {
		sub = append(sub, "in the trash")
	}
	subtitle := &widget.Label{Text: strings.Join(sub, " · ")}
	objs = append(objs, container.NewHBox(widget.NewIcon(kindIcon(it.Kind)), subtitle))

	f := &fieldList{}
	v.kindFields(f, d)
	f.add("Countries", countryList(it.Countries))
	f.add("Topics", strings.Join(it.Topics, ", "))
	f.add("Tags", hashTags(it.Tags))
	f.add("Source", it.Source)
	f.add("Reliability", reliabilityWords(it.Reliability))
	if it.Language != "" {
		f.add("Language", languageNames(it.Language))
	}
	if len(f.objs) > 0 {
		objs = append(objs, container.New(layout.NewFormLayout(), f.objs...))
	}

	objs = append(objs, v.bodySection(d)...)

	if links := v.linkList(it.Links, d.titles, func(l store.Link) string { return l.To }); len(links) > 0 {
		objs = append(objs, sectionHeading("Links to"))
		objs = append(objs, links...)
	}
	if links := v.linkList(d.backlinks, d.titles, func(l store.Link) string { return l.From }); len(links) > 0 {
		objs = append(objs, sectionHeading("Linked from"))
		objs = append(objs, links...)
	}

	v.body.Objects = objs
	v.body.Refresh()
	v.scroll.ScrollToTop()
	if v.onShown != nil {
		v.onShown(it)
	}
}

// kindFields adds the fields only one kind has.
func (v *itemView) kindFields(f *fieldList, d itemDetail) {
	it := d.item
	switch {
	case it.Contact != nil:
		c := it.Contact
		f.add("Job title", c.JobTitle)
		if c.OrgID != "" {
			f.addObject("Organisation", v.linkTo(c.OrgID, d.titles))
		}
		f.add("Role", c.Role)
		f.add("Email", labeledList(c.Emails))
		f.add("Phone", labeledList(c.Phones))
		f.add("Address", labeledList(c.Addresses))
		f.add("Languages", languageNames(c.Languages...))
		f.add("Last contact", formatDate(c.LastContact))
	case it.Organisation != nil:
		o := it.Organisation
		f.add("Type", o.Type)
		f.add("Acronym", o.Acronym)
		if o.ParentID != "" {
			f.addObject("Part of", v.linkTo(o.ParentID, d.titles))
		}
		if o.Website != "" {
			if u, err := url.Parse(o.Website); err == nil && openableLink(u) {
				h := widget.NewHyperlink(o.Website, u)
				h.OnTapped = func() { v.out.confirmOpen(u) }
				f.addObject("Website", h)
			} else {
				f.add("Website", o.Website)
			}
		}
	case it.Document != nil:
		doc := it.Document
		f.add("File", doc.FileName)
		f.add("Status", documentStatus(doc))
		if doc.Pages > 0 {
			f.add("Pages", thousands(doc.Pages))
		}
		if doc.Size > 0 {
			f.add("Size", byteSize(doc.Size))
		}
	case it.Note != nil:
		n := it.Note
		if n.Meeting {
			f.add("Meeting", "yes")
		}
		f.add("Location", n.Location)
		if len(n.Participants) > 0 {
			var links []fyne.CanvasObject
			for _, p := range n.Participants {
				links = append(links, v.linkTo(p, d.titles))
			}
			f.addObject("Participants", container.NewVBox(links...))
		}
	case it.Briefing != nil:
		f.add("Audience", it.Briefing.Audience)
	}
}

// bodySection is the item's text under a heading that says what it is.
func (v *itemView) bodySection(d itemDetail) []fyne.CanvasObject {
	it := d.item
	var objs []fyne.CanvasObject
	body := strings.TrimSpace(it.Body)
	switch it.Kind {
	case store.KindDocument:
		if body == "" {
			return nil
		}
		objs = append(objs, sectionHeading("Text"))
		shown, cut := body, false
		if utf8.RuneCountInString(body) > maxShownText {
			shown, cut = string([]rune(body)[:maxShownText]), true
		}
		objs = append(objs, &widget.Label{Text: shown, Wrapping: fyne.TextWrapWord, Selectable: true})
		if cut {
			objs = append(objs, &widget.Label{
				Text:       fmt.Sprintf("The text goes on: the first %s of %s characters are shown.", thousands(maxShownText), thousands(utf8.RuneCountInString(body))),
				Importance: widget.LowImportance,
				Wrapping:   fyne.TextWrapWord,
			})
		}
	case store.KindBriefing:
		if body != "" {
			objs = append(objs, sectionHeading("Purpose"), v.markdown(body))
		}
		if it.Briefing != nil {
			for i, s := range it.Briefing.Sections {
				heading := s.Heading
				if heading == "" {
					heading = fmt.Sprintf("Section %d", i+1)
				}
				objs = append(objs, sectionHeading(fmt.Sprintf("%d. %s", i+1, heading)))
				if t := strings.TrimSpace(s.Text); t != "" {
					objs = append(objs, v.markdown(t))
				}
				if s.Ref != "" {
					objs = append(objs, v.linkTo(s.Ref, d.titles))
				}
			}
		}
	case store.KindContact, store.KindOrganisation:
		if body != "" {
			objs = append(objs, sectionHeading("Notes"), v.markdown(body))
		}
	default:
		if body != "" {
			ids := map[string]string{}
			for _, l := range it.Links {
				if t, ok := d.titles[l.To]; ok {
					ids[fold(t)] = l.To
				}
			}
			objs = append(objs, widget.NewSeparator(), linkedMarkdown(v.out, body, ids, v.onOpen))
		}
	}
	return objs
}

// linkList is one link per line to the items id names, by title.
func (v *itemView) linkList(links []store.Link, titles map[string]string, id func(store.Link) string) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, l := range links {
		target := id(l)
		link := v.linkTo(target, titles)
		if l.Rel != "" && l.Rel != "mentions" {
			objs = append(objs, container.NewBorder(nil, nil, nil, &widget.Label{Text: l.Rel, Importance: widget.LowImportance}, link))
		} else {
			objs = append(objs, link)
		}
	}
	return objs
}

// linkTo is a link that opens item id, shown by its title.
func (v *itemView) linkTo(id string, titles map[string]string) fyne.CanvasObject {
	title, ok := titles[id]
	if !ok {
		return &widget.Label{Text: "(an item no longer in the knowledge base)", Importance: widget.LowImportance}
	}
	h := widget.NewHyperlink(title, nil)
	h.Truncation = fyne.TextTruncateEllipsis
	h.OnTapped = func() {
		if v.onOpen != nil {
			v.onOpen(id)
		}
	}
	return h
}

// showMessage shows a line of text instead of an item.
func (v *itemView) showMessage(msg string) {
	v.body.Objects = []fyne.CanvasObject{
		&widget.Label{Text: msg, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance},
	}
	v.body.Refresh()
}

func sectionHeading(s string) fyne.CanvasObject {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord}
}

// markdown renders text of the item (outside.markdown: it fetches and opens nothing).
func (v *itemView) markdown(md string) fyne.CanvasObject {
	return v.out.markdown(md, v.onOpen)
}

// fieldList collects label–value rows for a form layout.
type fieldList struct {
	objs []fyne.CanvasObject
}

func (f *fieldList) add(label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	f.addObject(label, &widget.Label{Text: value, Wrapping: fyne.TextWrapWord, Selectable: true})
}

func (f *fieldList) addObject(label string, o fyne.CanvasObject) {
	f.objs = append(f.objs, &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignTrailing}, o)
}

func countryList(codes []string) string {
	var parts []string
	for _, c := range codes {
		if ct, ok := store.LookupCountry(c); ok && ct.Name != "" && ct.Name != c {
			parts = append(parts, ct.Name+" ("+c+")")
		} else {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, ", ")
}

func hashTags(tags []string) string {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = "#" + t
	}
	return strings.Join(parts, "  ")
}

func labeledList(ls []store.Labeled) string {
	lines := make([]string, 0, len(ls))
	for _, l := range ls {
		if l.Label != "" {
			lines = append(lines, l.Value+" ("+l.Label+")")
		} else {
			lines = append(lines, l.Value)
		}
	}
	return strings.Join(lines, "\n")
}

// documentStatus says in words what became of a document's file when it was imported:
// "Imported", "Imported without text — no text layer", "Refused — reason".
func documentStatus(d *store.Document) string { return statusWords(d.Status, d.StatusReason) }

func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
