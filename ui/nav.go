package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// navPlace is an entry of the navigation column.
type navPlace struct {
	place place
	label string
	icon  func() fyne.Resource
}

// navPlaces are the navigation's entries, in order (Ctrl+1… go to the first seven).
var navPlaces = []navPlace{
	{searchPlace, "Search", theme.SearchIcon},
	{itemsPlace(store.KindNote), "Notes", theme.DocumentIcon},
	{itemsPlace(store.KindContact), "Contacts", theme.AccountIcon},
	{itemsPlace(store.KindOrganisation), "Organisations", theme.HomeIcon},
	{itemsPlace(store.KindDocument), "Documents", theme.FileTextIcon},
	{itemsPlace(store.KindBriefing), "Briefings", theme.ListIcon},
	{trashPlace, "Trash", theme.DeleteIcon},
	{termsPlace(store.TermTag), "Tags", theme.MenuIcon},
	{termsPlace(store.TermCountry), "Countries", theme.GridIcon},
	{termsPlace(store.TermTopic), "Topics", theme.FolderIcon},
}

// navColumn is the navigation column: Search, the kinds, the trash, and the vocabularies
// to browse by, each with its count.
type navColumn struct {
	onGo    func(place) // a place was chosen
	list    *widget.List
	counts  map[place]int
	quiet   bool
	content fyne.CanvasObject
}

// newNavColumn is the column; onGo is called with the place chosen.
func newNavColumn(onGo func(place)) *navColumn {
	n := &navColumn{onGo: onGo, counts: map[place]int{}}
	n.list = widget.NewList(
		func() int { return len(navPlaces) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()),
				&widget.Label{Importance: widget.LowImportance}, &widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			p := navPlaces[i]
			c.Objects[0].(*widget.Label).SetText(p.label)
			c.Objects[1].(*widget.Icon).SetResource(p.icon())
			count := ""
			if v, ok := n.counts[p.place]; ok {
				count = thousands(v)
			}
			c.Objects[2].(*widget.Label).SetText(count)
		},
	)
	n.list.OnSelected = func(i widget.ListItemID) {
		if !n.quiet {
			n.onGo(navPlaces[i].place)
		}
	}
	n.content = n.list
	return n
}

// highlight selects the entry of pl (for the items with a tag, Tags) without going there
// again.
func (n *navColumn) highlight(pl place) {
	entry := pl.navEntry()
	for i, p := range navPlaces {
		if p.place == entry {
			n.quiet = true
			n.list.Select(i)
			n.quiet = false
		}
	}
}

// showCounts shows how many items each kind and the trash hold.
func (n *navColumn) showCounts(st store.Stats) {
	for k, v := range st.Kinds {
		n.counts[itemsPlace(k)] = v
	}
	for _, k := range store.Kinds {
		n.counts[itemsPlace(k)] = st.Kinds[k]
	}
	n.counts[trashPlace] = st.Trash
	n.list.Refresh()
}
