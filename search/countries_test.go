package search_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// togoCorpus has Togo's counterparts (contacts marked TGO, whose text never names Togo),
// a Togo organisation, items that mention Togo in six languages without being marked, a
// long statement marked TGO that names Togo many times, and others.
var togoCorpus = []store.Item{
	{Kind: store.KindContact, Title: "Komla Mensah", Countries: []string{"TGO"},
		Contact: &store.Contact{JobTitle: "Director of Environment", Phones: []store.Labeled{{Value: "+228 2221 0000"}}},
		Body:    "Counterpart for river pollution."},
	{Kind: store.KindContact, Title: "Afi Agbeko", Countries: []string{"TGO"},
		Contact: &store.Contact{JobTitle: "Deputy Permanent Secretary"}, Body: "Water resources."},
	{Kind: store.KindContact, Title: "Koffi Dossou", Countries: []string{"BEN"},
		Contact: &store.Contact{JobTitle: "Director of Water"}, Body: "Benin's focal point; often travels to Togo."},
	{Kind: store.KindOrganisation, Title: "Ministère de l'Environnement", Countries: []string{"TGO"},
		Organisation: &store.Organisation{Acronym: "MERF"}, Language: "fr", Body: "Lomé."},
	{Kind: store.KindNote, Title: "Regional meeting in Cotonou", Countries: []string{"BEN"},
		Body: "Delegations from Togo, Ghana and Benin discussed the river basin. The Togolese delegation asked for data."},
	{Kind: store.KindNote, Title: "Statement of the Togolese Republic", Countries: []string{"TGO"},
		Body: strings.Repeat("Togo welcomes the cooperation of its neighbours on the river. ", 30)},
	{Kind: store.KindDocument, Title: "Note de la délégation", Language: "fr", Document: &store.Document{Status: store.StatusOK},
		Body: "La délégation togolaise a présenté la position du Togo sur la pollution du fleuve."},
	{Kind: store.KindNote, Title: "Справка", Language: "ru", Body: "Делегация Того выступила по вопросу загрязнения реки."},
	{Kind: store.KindNote, Title: "备忘录", Language: "zh", Body: "多哥代表团就河流污染问题发言。"},
	{Kind: store.KindNote, Title: "مذكرة", Language: "ar", Body: "تحدث وفد توغو عن تلوث النهر."},
	{Kind: store.KindNote, Title: "Nota de la reunión", Language: "es", Body: "La delegación de la República Togolesa habló de la contaminación del río."},
	{Kind: store.KindNote, Title: "Ghana fisheries", Countries: []string{"GHA"}, Body: "Fishing quotas in the Volta estuary."},
}

// TestCountryNameSearch checks that a query naming a country in any of the six UN
// languages or by a demonym finds the items marked with the country, its contacts near the
// top, as well as the items that mention it; that codes, negations and other words are
// left as they were; and that snippets and facets stay exact.
func TestCountryNameSearch(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := db.SaveAll(ctx, togoCorpus); err != nil {
		t.Fatal(err)
	}
	ix := searchtest.Open(t, db)
	marked := []string{"Komla Mensah", "Afi Agbeko", "Ministère de l'Environnement", "Statement of the Togolese Republic"}
	counterparts := []string{"Komla Mensah", "Afi Agbeko"}
	for _, tc := range []struct {
		q       string
		mention []string // items that mention Togo in the query's words: found too
		top     []string // in the first len(top) hits, in any order
	}{
		{"Togo", []string{"Regional meeting in Cotonou", "Note de la délégation", "Koffi Dossou"}, counterparts},
		{"togo", nil, counterparts},
		{"TOGO", nil, counterparts},
		{"Togolese", []string{"Regional meeting in Cotonou"}, counterparts},
		{"togolais", nil, counterparts},
		{"Togolaise", nil, counterparts},
		{"Того", nil, counterparts}, // a Russian stop word: Справка, which has it, is not found by it
		{"多哥", []string{"备忘录"}, counterparts},
		{"توغو", []string{"مذكرة"}, counterparts},
		{"República Togolesa", []string{"Nota de la reunión"}, counterparts},
		{`"République togolaise"`, nil, counterparts},
		{"Togo contacts", nil, counterparts},
		{"togolese counterparts", nil, counterparts},
		{"Того контакты", nil, counterparts},
		{"Togo organisations", nil, []string{"Ministère de l'Environnement"}},
	} {
		res, err := ix.Search(ctx, tc.q, search.Options{Size: 20, Facets: true})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Title)
			if len(h.Snippets) == 0 && slices.Contains(counterparts, h.Title) {
				t.Errorf("%q: %q has no snippet", tc.q, h.Title) // found by its country: its lead
			}
		}
		want := marked
		if strings.Contains(tc.q, " ") && !strings.HasPrefix(tc.q, "Rep") && !strings.HasPrefix(tc.q, `"`) {
			want = tc.top // with a kind word: the marked items of that kind
		}
		for _, w := range append(slices.Clone(want), tc.mention...) {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q not found; got %q", tc.q, w, got)
			}
		}
		if slices.Contains(got, "Ghana fisheries") {
			t.Errorf("%q found an item that has nothing of Togo: %q", tc.q, got)
		}
		if len(got) < len(tc.top) {
			continue
		}
		for _, w := range tc.top {
			if !slices.Contains(got[:len(tc.top)], w) {
				t.Errorf("%q: %q not among the first %d: %q", tc.q, w, len(tc.top), got)
			}
		}
		// Facets count exactly what matched.
		wantFacets, _, err := search.BleveFacetsForTest(ix, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		for _, fc := range res.Facets {
			counts := map[string]int{}
			for _, term := range fc.Terms {
				counts[term.Term] = term.Count
			}
			if !maps.Equal(counts, wantFacets[fc.Name]) {
				t.Errorf("%q: facet %s = %v, Bleve counts %v", tc.q, fc.Name, counts, wantFacets[fc.Name])
			}
		}
		if int(res.Total) != len(got) {
			t.Errorf("%q: total %d, %d hits", tc.q, res.Total, len(got))
		}
	}

	// A marked item found by its country alone shows how it begins; one that has the word
	// shows it highlighted.
	res, err := ix.Search(ctx, "Togo", search.Options{Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		var text strings.Builder
		highlighted := false
		for _, sn := range h.Snippets {
			for _, sp := range sn {
				text.WriteString(sp.Text)
				highlighted = highlighted || sp.Match
			}
		}
		switch h.Title {
		case "Komla Mensah":
			if highlighted || !strings.Contains(text.String(), "Director of Environment") {
				t.Errorf("Komla Mensah's snippet = %q (highlighted %v); want the lead, nothing highlighted", text.String(), highlighted)
			}
		case "Regional meeting in Cotonou":
			if !highlighted {
				t.Errorf("the meeting's snippet %q has nothing highlighted", text.String())
			}
		}
	}

	// What is left alone: codes, a negated name, a word that is no name.
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"-Togo river", nil}, // checked below
		{"TGO", nil},         // a code is not a name: nothing says "TGO"
		{"volta", []string{"Ghana fisheries"}},
		{"country:togolais", marked},
		{"country:Того kind:contact", counterparts},
	} {
		res, err := ix.Search(ctx, tc.q, search.Options{Size: 20})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Title)
		}
		if tc.q == "-Togo river" {
			// Items that say "river" without "Togo": the contact Komla Mensah is marked TGO
			// but a negated name stays a word, so he is found.
			if !slices.Contains(got, "Komla Mensah") || slices.Contains(got, "Regional meeting in Cotonou") {
				t.Errorf("%q = %q; want Komla Mensah, not the Cotonou meeting", tc.q, got)
			}
			continue
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(got, want) {
			t.Errorf("%q = %q; want %q", tc.q, got, want)
		}
	}
}

func TestQueryCountries(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"Togo", []string{"TGO"}},
		{"Togo contacts", []string{"TGO"}},
		{"oil spill togolais Benin", []string{"TGO", "BEN"}},
		{"Côte d'Ivoire Togo togolese", []string{"CIV", "TGO"}},
		{"South Africa", []string{"ZAF"}},
		{"Соединённые Штаты", []string{"USA"}},
		{"多哥", []string{"TGO"}},
		{"TGO", nil},
		{"-Togo river", nil},
		{"Togo OR Benin", nil},
		{"country:TGO", nil},
		{"river", nil},
	} {
		q, err := search.Parse(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Countries(); !slices.Equal(got, tc.want) {
			t.Errorf("Parse(%q).Countries() = %q; want %q", tc.q, got, tc.want)
		}
	}
}
