package fts5peer_test

import (
	"context"
	"strings"
	"testing"

	"chancery/cmd/chancery/bench/fts5peer"
)

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db, err := fts5peer.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := []fts5peer.Row{
		{ID: "GHA_45_1990", Title: "Ghana 1990", Country: "GHA", Year: 1990, Body: "The invasion of Kuwait must be reversed. Kuwait is a member of this Organization."},
		{ID: "TGO_45_1990", Title: "Togo 1990", Country: "TGO", Year: 1990, Body: "We condemn the invasion of Kuwait."},
		{ID: "GHA_60_2005", Title: "Ghana 2005", Country: "GHA", Year: 2005, Body: "The tsunamis of December struck the Indian Ocean."},
		{ID: "NGA_60_2005", Title: "Nigeria 2005", Country: "NGA", Year: 2005, Body: "Debt relief for the poorest countries."},
	}
	if err := db.Insert(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Count(ctx); err != nil || n != 4 {
		t.Fatalf("Count = %d, %v; want 4", n, err)
	}
	tests := []struct {
		match  string
		filter fts5peer.Filter
		want   []string // IDs, best first
	}{
		{`"kuwait"`, fts5peer.Filter{}, []string{"GHA_45_1990", "TGO_45_1990"}}, // two mentions rank first
		{`"tsunami"`, fts5peer.Filter{}, []string{"GHA_60_2005"}},               // the porter stemmer
		{`"kuwait"`, fts5peer.Filter{Countries: []string{"TGO"}}, []string{"TGO_45_1990"}},
		{`"ghana"`, fts5peer.Filter{YearFrom: 2000}, []string{"GHA_60_2005"}}, // titles are searched
		{`"invasion of kuwait" NOT "member"`, fts5peer.Filter{}, []string{"TGO_45_1990"}},
		{`"relie"*`, fts5peer.Filter{YearFrom: 2005, YearTo: 2005}, []string{"NGA_60_2005"}},
		{`"kuwait"`, fts5peer.Filter{YearTo: 1989}, nil},
	}
	for _, tc := range tests {
		res, err := db.Search(ctx, tc.match, tc.filter, 10, false)
		if err != nil {
			t.Fatalf("%s: %v", tc.match, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s %+v: got %v, want %v", tc.match, tc.filter, got, tc.want)
		}
	}

	res, err := db.Search(ctx, `"kuwait" OR "tsunami"`, fts5peer.Filter{}, 10, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 {
		t.Fatalf("got %d hits, want 3", len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.ID == "TGO_45_1990" && h.Snippet != "We condemn the invasion of \x02Kuwait\x03." {
			t.Errorf("snippet %q does not mark Kuwait", h.Snippet)
		}
	}
	want := map[string]int{"GHA": 2, "TGO": 1}
	if len(res.Countries) != 2 || res.Countries[0] != (fts5peer.FacetTerm{Term: "GHA", Count: want["GHA"]}) || res.Countries[1].Count != want["TGO"] {
		t.Errorf("country facet = %+v, want GHA 2, TGO 1", res.Countries)
	}
	if len(res.Years) != 2 || res.Years[0] != (fts5peer.FacetTerm{Term: "1990", Count: 2}) {
		t.Errorf("year facet = %+v, want 1990: 2, 2005: 1", res.Years)
	}
	if _, err := db.Search(ctx, `"unclosed`, fts5peer.Filter{}, 10, false); err == nil {
		t.Error("a malformed MATCH expression gave no error")
	}
}
