package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// navPlace is an entry of the navigation column.
type navPlace struct {
	key   string
	label string
	icon  func() fyne.Resource
}

// navPlaces are the navigation's entries, in order (Ctrl+1… go to the first seven).
var navPlaces = []navPlace{
	{"search", "Search", theme.SearchIcon},
	{"kind:note", "Notes", theme.DocumentIcon},
	{"kind:contact", "Contacts", theme.AccountIcon},
	{"kind:organisation", "Organisations", theme.HomeIcon},
	{"kind:document", "Documents", theme.FileTextIcon},
	{"kind:briefing", "Briefings", theme.ListIcon},
	{"trash", "Trash", theme.DeleteIcon},
	{"tags", "Tags", theme.MenuIcon},
	{"countries", "Countries", theme.GridIcon},
	{"topics", "Topics", theme.FolderIcon},
}

// navColumn is the navigation column: Search, the kinds, the trash, and the vocabularies
// to browse by, each with its count.
type navColumn struct {
	env     *env
	list    *widget.List
	counts  map[string]int
	quiet   bool
	content fyne.CanvasObject
}

func newNavColumn(e *env) *navColumn {
	n := &navColumn{env: e, counts: map[string]int{}}
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
			if v, ok := n.counts[p.key]; ok {
				count = thousands(v)
			}
			c.Objects[2].(*widget.Label).SetText(count)
		},
	)
	n.list.OnSelected = func(i widget.ListItemID) {
		if !n.quiet {
			n.env.goTo(navPlaces[i].key)
		}
	}
	n.content = n.list
	return n
}

// highlight selects the entry of place (for "tag:x", Tags) without going there again.
func (n *navColumn) highlight(place string) {
	key := place
	if kind, _, ok := strings.Cut(place, ":"); ok && kind != "kind" {
		key = map[string]string{"tag": "tags", "country": "countries", "topic": "topics"}[kind]
	}
	for i, p := range navPlaces {
		if p.key == key {
			n.quiet = true
			n.list.Select(i)
			n.quiet = false
		}
	}
}

// showCounts shows how many items each kind and the trash hold.
func (n *navColumn) showCounts(st store.Stats) {
	for k, v := range st.Kinds {
		n.counts["kind:"+string(k)] = v
	}
	for _, k := range store.Kinds {
		n.counts["kind:"+string(k)] = st.Kinds[k]
	}
	n.counts["trash"] = st.Trash
	n.list.Refresh()
}
