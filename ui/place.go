package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"chancery/store"
)

// place is where the navigation goes: the search, the items of a kind, the trash, the
// tags, countries or topics in use, or the items with one of them. Places are values:
// compare them with ==. The zero place is none: where a screen is before it shows one.
type place struct {
	kind  placeKind
	items store.Kind // placeItems: the kind listed
	terms string     // placeTerms and placeTerm: store.TermTag, TermCountry or TermTopic
	value string     // placeTerm: the tag, the country's code or the topic
}

// placeKind is what a place shows.
type placeKind int

const (
	placeNone     placeKind = iota // no place yet
	placeSearch                    // the search screen
	placeItems                     // the items of a kind
	placeTrash                     // the items in the trash
	placeTerms                     // the tags, countries or topics in use, with their counts
	placeTerm                      // the items with one tag, country or topic
	placeIncident                  // an incident's workspace (value: its ID)
)

var (
	searchPlace = place{kind: placeSearch}
	trashPlace  = place{kind: placeTrash}
)

// itemsPlace lists the items of kind k.
func itemsPlace(k store.Kind) place { return place{kind: placeItems, items: k} }

// termsPlace lists the terms in use (store.TermTag, TermCountry, TermTopic).
func termsPlace(terms string) place { return place{kind: placeTerms, terms: terms} }

// termPlace lists the items with one term: a tag, a country, a topic.
func termPlace(terms, value string) place {
	return place{kind: placeTerm, terms: terms, value: value}
}

// incidentPlace is the workspace of incident id.
func incidentPlace(id string) place { return place{kind: placeIncident, value: id} }

// termsNames are the words a place of terms is written with: "tags", and "tag:x" for one.
var termsNames = map[string]string{store.TermTag: "tags", store.TermCountry: "countries", store.TermTopic: "topics"}

// String is the place as it is remembered between runs: "search", "kind:note", "trash",
// "tags", "tag:oil-spill"...
func (p place) String() string {
	switch p.kind {
	case placeItems:
		return "kind:" + string(p.items)
	case placeTrash:
		return "trash"
	case placeTerms:
		return termsNames[p.terms]
	case placeTerm:
		return p.terms + ":" + p.value
	case placeSearch:
		return "search"
	case placeIncident:
		return "incident:" + p.value
	}
	return ""
}

// parsePlace reads a place written by String; ok is false when s names none.
func parsePlace(s string) (p place, ok bool) {
	if s == "search" {
		return searchPlace, true
	}
	if s == "trash" {
		return trashPlace, true
	}
	for terms, name := range termsNames {
		if s == name {
			return termsPlace(terms), true
		}
	}
	kind, value, found := strings.Cut(s, ":")
	if !found {
		return place{}, false
	}
	switch kind {
	case "incident":
		if value != "" {
			return incidentPlace(value), true
		}
		return place{}, false
	case "kind":
		if k := store.Kind(value); k.Valid() {
			return itemsPlace(k), true
		}
		return place{}, false
	case store.TermTag, store.TermCountry, store.TermTopic:
		return termPlace(kind, value), true
	}
	return place{}, false
}

// listOptions are what the items of a place are listed with (zero for the search and the
// places of terms).
func (p place) listOptions() store.ListOptions {
	var opt store.ListOptions
	switch p.kind {
	case placeItems:
		opt.Kind = p.items
	case placeTrash:
		opt.Trash = true
	case placeTerm:
		switch p.terms {
		case store.TermTag:
			opt.Tag = p.value
		case store.TermCountry:
			opt.Country = p.value
		case store.TermTopic:
			opt.Topic = p.value
		}
	}
	return opt
}

// parent is where Back goes from p (the items with a tag go back to the tags); ok is
// false for a place of the navigation itself.
func (p place) parent() (parent place, ok bool) {
	if p.kind == placeTerm {
		return termsPlace(p.terms), true
	}
	return place{}, false
}

// navEntry is the place of the navigation column p belongs to (for the items with a
// tag, Tags).
func (p place) navEntry() place {
	if parent, ok := p.parent(); ok {
		return parent
	}
	return p
}

// title names a place for its list's header.
func (p place) title(v *vocab) string {
	if p.kind == placeTerm {
		switch p.terms {
		case store.TermTag:
			return "Tag #" + p.value
		case store.TermCountry:
			return countryLabel(p.value)
		case store.TermTopic:
			return "Topic: " + v.topicLabel(p.value)
		}
	}
	for _, e := range navPlaces {
		if e.place == p {
			return e.label
		}
	}
	return p.String()
}

// icon is the icon of p's entry in the navigation.
func (p place) icon() fyne.Resource {
	for _, e := range navPlaces {
		if e.place == p {
			return e.icon()
		}
	}
	return theme.FolderIcon()
}
