package ui

import (
	"testing"

	"chancery/store"
)

// A place is remembered as text between runs: every place reads back as itself, and text
// naming no place is refused (the window then opens on the search).
func TestPlaceRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		text   string
		p      place
		parent string // "" when none
	}{
		{"search", searchPlace, ""},
		{"kind:note", itemsPlace(store.KindNote), ""},
		{"kind:document", itemsPlace(store.KindDocument), ""},
		{"trash", trashPlace, ""},
		{"tags", termsPlace(store.TermTag), ""},
		{"countries", termsPlace(store.TermCountry), ""},
		{"topics", termsPlace(store.TermTopic), ""},
		{"tag:oil-spill", termPlace(store.TermTag, "oil-spill"), "tags"},
		{"country:NGA", termPlace(store.TermCountry, "NGA"), "countries"},
		{"topic:environment", termPlace(store.TermTopic, "environment"), "topics"},
	} {
		got, ok := parsePlace(tc.text)
		if !ok || got != tc.p {
			t.Errorf("parsePlace(%q) = %+v, %v; want %+v", tc.text, got, ok, tc.p)
		}
		if s := tc.p.String(); s != tc.text {
			t.Errorf("%+v.String() = %q, want %q", tc.p, s, tc.text)
		}
		parent, ok := tc.p.parent()
		if (tc.parent != "") != ok || ok && parent.String() != tc.parent {
			t.Errorf("%s: parent %v %v, want %q", tc.text, parent, ok, tc.parent)
		}
	}
	for _, bad := range []string{"", "kind:nothing", "shelf", "tag", "colour:red"} {
		if p, ok := parsePlace(bad); ok {
			t.Errorf("parsePlace(%q) = %v, want none", bad, p)
		}
	}
	opt := termPlace(store.TermCountry, "NGA").listOptions()
	if opt.Country != "NGA" || opt.Tag != "" || opt.Kind != "" {
		t.Errorf("country:NGA lists %+v", opt)
	}
	if termPlace(store.TermTag, "x").navEntry() != termsPlace(store.TermTag) {
		t.Error("the items with a tag are not under Tags in the navigation")
	}
}
