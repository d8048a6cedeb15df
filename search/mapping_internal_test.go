package search

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestMappingIsItsVersion: the mapping the table of fields builds is the one recorded for
// MappingVersion (testdata/mapping-v<version>.json). A change to the mapping needs a new
// MappingVersion, so that older indexes are rebuilt, and a new file.
func TestMappingIsItsVersion(t *testing.T) {
	want, err := os.ReadFile("testdata/mapping-v" + MappingVersion + ".json")
	if err != nil {
		t.Fatalf("no mapping recorded for version %s: %v", MappingVersion, err)
	}
	got, err := json.MarshalIndent(newMapping(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the mapping is not that of version %s: give it a new MappingVersion\n%s", MappingVersion, got)
	}
}

// TestFacetsAreFilters: every facet's name is a filter of the query language, so that a facet
// term's Filter narrows a search to it and the query can say whether it is on.
func TestFacetsAreFilters(t *testing.T) {
	if len(facetFields) == 0 {
		t.Fatal("no facets")
	}
	for _, f := range facetFields {
		if filterFields[f.name] != f.name {
			t.Errorf("facet %s is not a filter name", f.name)
		}
		if _, ok := (Filter{Field: f.name, Value: map[string]string{"kind": "note", "country": "NGA", "topic": "x", "year": "2019"}[f.name]}).term(); !ok {
			t.Errorf("a %s facet term is not a valid filter", f.name)
		}
	}
	if want := []string{"kind", "title", "class", "country", "date"}; !slices.Equal(hitFields, want) {
		t.Errorf("hit fields %q, want %q", hitFields, want)
	}
}
