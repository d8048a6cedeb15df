package search_test

import (
	"context"
	"slices"
	"testing"

	"chancery/search"
)

// Options.Only restricts a search to some items: which of them the query matches.
func TestSearchOnlySomeItems(t *testing.T) {
	f := newFixture(t)
	spill, fish, okafor := f.ids["Oil spill at the Kessa depot"], f.ids["Fisheries talks"], f.ids["Dr Amara Okafor"]
	for _, tc := range []struct {
		q    string
		only []string
		want []string
	}{
		{"spill", []string{spill, okafor}, []string{spill}},
		{"spill", []string{spill, fish}, []string{spill, fish}}, // "no spill was mentioned"
		{"river", []string{okafor, fish}, []string{okafor}},
		{"kind:contact", []string{spill, okafor}, []string{okafor}},
		{"spill", []string{}, nil},
		{"spill", []string{"no-such-item"}, nil},
	} {
		res, err := f.ix.Search(context.Background(), tc.q, search.Options{Size: 10, Only: tc.only})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
			t.Errorf("%q only %v: %v (total %d), want %v", tc.q, tc.only, got, res.Total, want)
		}
	}
}
