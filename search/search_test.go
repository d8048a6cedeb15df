package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

type fixture struct {
	db  *store.DB
	ix  *search.Index
	dir string
	ids map[string]string // title -> ID
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var corpus = []store.Item{
	{Kind: store.KindNote, Title: "Oil spill at the Kessa depot", Date: day("2026-11-02"), Countries: []string{"NGA"},
		Topics: []string{"environment"}, Tags: []string{"oil-spill"}, Class: "RESTRICTED",
		Body: "Diesel spilled from the depot into the river. Contamination reached the water intake downstream."},
	{Kind: store.KindNote, Title: "Fisheries talks", Date: day("2025-03-10"), Countries: []string{"GHA"}, Topics: []string{"trade"},
		Body: "Negotiations on fishing quotas in the estuary; no spill was mentioned."},
	{Kind: store.KindContact, Title: "Dr Amara Okafor", Countries: []string{"NGA"}, Class: "CONFIDENTIAL",
		Contact: &store.Contact{JobTitle: "Director of Water Resources", Phones: []store.Labeled{{Value: "+234 555 0101"}}},
		Body:    "Counterpart for river incidents."},
	{Kind: store.KindOrganisation, Title: "Lower Kessa River Commission", Countries: []string{"NGA", "GHA"},
		Organisation: &store.Organisation{Acronym: "LKRC"}, Body: "Secretariat of the river convention."},
	{Kind: store.KindDocument, Title: "Communiqué du ministère", Date: day("2026-11-04"), Countries: []string{"BEN"}, Language: "fr",
		Body:     "Les rivières du pays sont menacées par la pollution aux hydrocarbures. Le ministère suit la situation.",
		Document: &store.Document{Status: store.StatusOK}},
	{Kind: store.KindNote, Title: "Справка о разливе", Countries: []string{"RUS"},
		Body: "Разлив нефти в реке угрожает водозаборам ниже по течению."},
	{Kind: store.KindNote, Title: "Nota sobre el vertido",
		Body: "La contaminación de los ríos preocupa a las autoridades."},
	{Kind: store.KindNote, Title: "مذكرة", Body: "تلوث الأنهار يهدد مياه الشرب في البلدان المجاورة"},
	{Kind: store.KindNote, Title: "备忘录", Body: "石油泄漏造成河流污染，下游国家面临风险。"},
	{Kind: store.KindNote, Title: "Previous position 2019", Date: day("2019-06-01"), Topics: []string{"environment", "legal"},
		Body: "Our delegation held that the operator bears strict liability for transboundary harm to the river."},
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{db: storetest.Open(t), ids: map[string]string{}}
	saved, err := f.db.SaveAll(context.Background(), corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range saved {
		f.ids[it.Title] = it.ID
	}
	f.dir = f.db.Dir()
	f.ix = searchtest.Open(t, f.db)
	return f
}

func (f *fixture) titles(t *testing.T, q string) []string {
	t.Helper()
	res, err := f.ix.Search(context.Background(), q, search.Options{Size: 20})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Title)
	}
	return out
}

func TestQueryLanguage(t *testing.T) {
	f := newFixture(t)
	spill := "Oil spill at the Kessa depot"
	for _, tc := range []struct {
		q    string
		want []string // exactly these, in any order
	}{
		{"spill", []string{spill, "Fisheries talks"}},
		{"spills", []string{spill, "Fisheries talks"}},             // plural finds singular
		{"contam", []string{spill, "Nota sobre el vertido"}},       // partial word
		{"contaminaton", []string{spill, "Nota sobre el vertido"}}, // typo
		{"transbondary", []string{"Previous position 2019"}},       // typo inside the word
		{`"water intake"`, []string{spill}},                        // phrase
		{`"intake water"`, nil},                                    // phrase order matters
		{"spill -diesel", []string{"Fisheries talks"}},             // exclusion
		{"diesel OR quotas", []string{spill, "Fisheries talks"}},   // OR
		{"river kind:organisation", []string{"Lower Kessa River Commission"}},
		{"river country:GHA", []string{"Lower Kessa River Commission"}},
		{"river country:nigeria", []string{spill, "Dr Amara Okafor", "Lower Kessa River Commission"}},
		{"topic:legal", []string{"Previous position 2019"}},
		{"tag:oil-spill", []string{spill}},
		{"class:confidential", []string{"Dr Amara Okafor"}},
		{"river year:2019", []string{"Previous position 2019"}},
		{"date:2026-11-01..2026-11-10", []string{spill, "Communiqué du ministère"}},
		{"after:2026-11-02 before:2026-11-10", []string{"Communiqué du ministère"}},
		{"before:2020 kind:note", []string{"Previous position 2019"}},
		{"LKRC", []string{"Lower Kessa River Commission"}}, // organisation acronym
		{"+234 555 0101", []string{"Dr Amara Okafor"}},     // contact phone
		{"rivière", []string{"Communiqué du ministère"}},   // French stemming
		{"нефть", []string{"Справка о разливе"}},           // Russian stemming (нефти)
		{"country:BEN lang:fr", []string{"Communiqué du ministère"}},
		{"río", []string{"Nota sobre el vertido"}},     // Spanish stemming (ríos)
		{"lang:es", []string{"Nota sobre el vertido"}}, // detected, not given
		{"الأنهار", []string{"مذكرة"}},                 // Arabic
		{"lang:ar", []string{"مذكرة"}},
		{"污染", []string{"备忘录"}}, // Chinese, in bigrams
		{"lang:zh", []string{"备忘录"}},
		// "the" is a stop word, not required; French "rivières" shares the stem of "river"
		{"the river", []string{spill, "Dr Amara Okafor", "Lower Kessa River Commission", "Previous position 2019", "Communiqué du ministère"}},
		{"kind:contact OR kind:organisation", []string{"Dr Amara Okafor", "Lower Kessa River Commission"}},
		{"diesel OR kind:contact", []string{spill, "Dr Amara Okafor"}}, // a word or a filter
		{"kind:contact OR diesel", []string{spill, "Dr Amara Okafor"}},
		{"zanzibar", nil},
	} {
		got := f.titles(t, tc.q)
		if !sameSet(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.q, got, tc.want)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestRankingTitleFirst(t *testing.T) {
	f := newFixture(t)
	got := f.titles(t, "oil spill")
	if len(got) == 0 || got[0] != "Oil spill at the Kessa depot" {
		t.Errorf("oil spill: %q", got)
	}
}

func TestSnippetsAndFacets(t *testing.T) {
	f := newFixture(t)
	res, err := f.ix.Search(context.Background(), "river", search.Options{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 5 {
		t.Fatalf("total %d", res.Total)
	}
	for _, h := range res.Hits {
		if len(h.Snippets) == 0 {
			t.Errorf("%s: no snippet", h.Title)
			continue
		}
		var matched []string
		for _, sp := range h.Snippets[0] {
			if sp.Match {
				matched = append(matched, strings.ToLower(sp.Text))
			}
		}
		if !slices.ContainsFunc(matched, func(m string) bool { return strings.HasPrefix(m, "riv") }) {
			t.Errorf("%s: snippet %q does not mark river", h.Title, h.Snippets[0].String())
		}
	}
	facets := map[string]map[string]int{}
	for _, fc := range res.Facets {
		facets[fc.Name] = map[string]int{}
		for _, term := range fc.Terms {
			facets[fc.Name][term.Term] = term.Count
			if term.Filter.String() != fc.Name+":"+term.Term {
				t.Errorf("filter %q", term.Filter)
			}
		}
	}
	want := map[string]map[string]int{
		"kind":    {"note": 2, "contact": 1, "organisation": 1, "document": 1},
		"country": {"NGA": 3, "GHA": 1, "BEN": 1},
		"topic":   {"environment": 2, "legal": 1},
	}
	for name, terms := range want {
		for term, n := range terms {
			if facets[name][term] != n {
				t.Errorf("facet %s %s = %d, want %d (all: %v)", name, term, facets[name][term], n, facets[name])
			}
		}
	}
	hit := res.Hits[0]
	if hit.Kind == "" || hit.Title == "" || hit.Class == "" || hit.ID == "" {
		t.Errorf("hit lacks what a result shows: %+v", hit)
	}
}

func TestFiltersOnlyShowTheLead(t *testing.T) {
	f := newFixture(t)
	res, err := f.ix.Search(context.Background(), "kind:contact country:NGA", search.Options{})
	if err != nil || res.Total != 1 {
		t.Fatalf("%d hits, %v", res.Total, err)
	}
	h := res.Hits[0]
	if len(h.Snippets) != 1 || len(h.Snippets[0]) != 1 || h.Snippets[0][0].Match {
		t.Fatalf("lead snippet %+v", h.Snippets)
	}
	if got := h.Snippets[0].String(); got != "Director of Water Resources · Counterpart for river incidents." {
		t.Errorf("lead = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, q := range []string{"country:XX", "kind:memo", "year:abc", "date:2026-13", "year:2020..2010", "after:"} {
		if _, err := search.Parse(q); err == nil {
			t.Errorf("Parse(%q) accepted", q)
		}
	}
	got := canonical(t, `a "b c" -d e OR f kind:notes country:ng year:2010..2012`)
	want := []string{"a", `"b c"`, "-d", "e OR f", "kind:note", "country:NGA", "date:2010..2012"}
	if !slices.Equal(got, want) {
		t.Errorf("parsed %q, want %q", got, want)
	}
}

func TestIndexFollowsStore(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	release := search.HoldCatchUpForTest(f.ix) // for Check to see it behind
	id := f.ids["Fisheries talks"]
	it, _ := f.db.Get(ctx, id)
	it.Body = "Quotas for the lagoon's sardines."
	if _, err := f.db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	_ = f.db.Delete(ctx, f.ids["Previous position 2019"])
	if problems, _ := f.ix.Check(ctx); len(problems) == 0 {
		t.Error("Check found nothing while the index is behind the store")
	}
	release()
	if err := searchtest.WaitForStore(ctx, f.ix, f.db); err != nil {
		t.Fatal(err)
	}
	if got := f.titles(t, "sardines"); !slices.Equal(got, []string{"Fisheries talks"}) {
		t.Errorf("updated text not found: %q", got)
	}
	if got := f.titles(t, "quotas estuary"); len(got) != 0 {
		t.Errorf("old text still found: %q", got)
	}
	if got := f.titles(t, "liability"); len(got) != 0 {
		t.Errorf("trashed item found: %q", got)
	}
	_ = f.db.Restore(ctx, f.ids["Previous position 2019"])
	_ = searchtest.WaitForStore(ctx, f.ix, f.db)
	if got := f.titles(t, "liability"); len(got) != 1 {
		t.Errorf("restored item not found: %q", got)
	}
	_ = f.db.Delete(ctx, f.ids["Previous position 2019"])
	if _, err := f.db.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	_ = searchtest.WaitForStore(ctx, f.ix, f.db)
	if got := f.titles(t, "liability"); len(got) != 0 {
		t.Errorf("purged item found: %q", got)
	}
	if problems, err := f.ix.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("Check after sync: %v %v", problems, err)
	}
}

func TestIndexIsRebuiltFromStore(t *testing.T) {
	ctx := context.Background()
	for _, damage := range []struct {
		name string
		do   func(t *testing.T, dir string)
		says string
	}{
		{"deleted", func(t *testing.T, dir string) { os.RemoveAll(dir) }, "missing"},
		{"garbage", func(t *testing.T, dir string) {
			os.RemoveAll(dir)
			os.MkdirAll(dir, 0o700)
			os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600)
		}, "could not be opened"},
		{"old mapping", func(t *testing.T, dir string) {
			ix, err := search.Open(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			search.SetMappingVersionForTest(ix, "0")
			ix.Close()
		}, "mapping version"},
	} {
		t.Run(damage.name, func(t *testing.T) {
			f := newFixture(t)
			f.ix.Close()
			dir := filepath.Join(f.dir, "index")
			damage.do(t, dir)
			ix, err := search.Open(dir, f.db)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if !strings.Contains(ix.Opened, damage.says) {
				t.Errorf("Opened = %q, want it to say %q", ix.Opened, damage.says)
			}
			// The follower rebuilds it from the store at once; its Status keeps the figures.
			if err := searchtest.WaitForStore(ctx, ix, f.db); err != nil {
				t.Fatal(err)
			}
			if last := ix.Status().Total; last != len(corpus) {
				t.Errorf("rebuild progress total %d, want %d", last, len(corpus))
			}
			res, err := ix.Search(ctx, "kessa", search.Options{})
			if err != nil || res.Total != 2 {
				t.Errorf("after rebuild: %d hits, %v", res.Total, err)
			}
			if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
				t.Errorf("Check = %v, %v", p, err)
			}
		})
	}
}

// TestSyncLargeTransactionAndResume: one transaction of many items is indexed in several
// batches, and a catch-up interrupted midway is finished by the next one (the follower's).
func TestSyncLargeTransactionAndResume(t *testing.T) {
	ctx := context.Background()
	var items []store.Item
	for i := range 1300 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Body: "river gauge reading"})
	}
	db := storetest.Open(t)
	ix, err := search.Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The follower is held while the items are saved: the catch-up interrupted below is
	// the one that meets them.
	release := search.HoldCatchUpForTest(ix)
	if _, err := db.SaveAll(ctx, items); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	var flushes []int
	err = search.CatchUpHeldForTest(ix, cctx, func(done, total int) {
		flushes = append(flushes, done)
		if done >= 500 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("interrupted catch-up reported success")
	}
	if len(flushes) < 2 || flushes[1] != 500 {
		t.Errorf("progress %v: want a flush after 500 items of one transaction", flushes)
	}
	if p, _ := ix.Check(ctx); len(p) == 0 {
		t.Error("Check found nothing wrong with a half-built index")
	}
	if st := ix.Status(); st.Err == nil {
		t.Error("Status has no error after the catch-up was interrupted")
	}
	release()
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if st := ix.Status(); st.Err != nil || st.Building {
		t.Errorf("Status after catching up = %+v, want no error", st)
	}
	res, err := ix.Search(ctx, "gauge", search.Options{})
	if err != nil || res.Total != 1300 {
		t.Errorf("after resuming: %d hits, %v", res.Total, err)
	}
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("Check = %v, %v", p, err)
	}
}
