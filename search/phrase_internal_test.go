package search

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPhraseMatchesBleve: the phrase check (phrase.go) finds the items Bleve's phrase query
// finds, with the same scores and the same term locations for snippets, in every analysed language, phrases with stop words inside
// (a gap), a word twice, a phrase standing at a text's start and end, and phrases whose
// words are all there but not in order.
func TestPhraseMatchesBleve(t *testing.T) {
	bi := testBleve(t, map[string]map[string]any{
		"a": {"title": "Nuclear weapons", "body_en": "The elimination of nuclear weapons and weapons of mass destruction is the law of the sea."},
		"b": {"title": "Weapons", "body_en": "Weapons that are nuclear; the sea of law; mass weapons destruction. Nuclear. Weapons."},
		"c": {"body_en": "The new international economic order, a new international order, an economic order that is new and international."},
		"d": {"body_en": "Weapons of mass destruction, weapons of mass destruction, and nuclear weapons nuclear weapons."},
		"e": {"body_en": "the right to development and the development right to be heard: right to development"},
		"f": {"body_fr": "Les armes nucléaires et le droit de la mer; la mer du droit."},
		"g": {"body_ru": "ядерное оружие и право моря"},
		"h": {"body_cjk": "石油泄漏造成河流污染，下游国家面临风险。"},
		"i": {"body": "Kessa river commission, river Kessa"},
		"j": {"title": "Law of the Sea", "body_en": "sea law"},
		// Every word of a phrase, not in its order (the lazy check stops at the first word
		// out of place: phraseorder.go), or in its order only after the first places.
		"k": {"body_en": "order economic international new; the order of a new economy, international"},
		"l": {"body_en": "economic order, international order, new order: the new international economic order"},
		"m": {"body_en": "development to the right, rights to development, the right of development"},
		"n": {"body_en": "new international new international economic economic order order new international economic order"},
	})
	m := bi.Mapping()
	phrases := []string{"nuclear weapons", "weapons of mass destruction", "law of the sea", "new international economic order",
		"right to development", "development right", "weapons nuclear", "armes nucléaires", "droit de la mer", "ядерное оружие",
		"河流污染", "Kessa river", "river Kessa commission", "sea law", "mass destruction weapons", "the of"}
	fields := []string{"title", "body_en", "body_fr", "body_ru", "body_cjk", "body"}
	for _, p := range phrases {
		for _, f := range fields {
			for _, boost := range []float64{1, 2} {
				bq := bleve.NewMatchPhraseQuery(p)
				bq.SetField(f)
				bq.SetBoost(boost)
				want := run(t, bi, bq)
				var got string
				if pq := newPhraseQuery(m, p, f, boost); pq != nil {
					got = run(t, bi, pq)
				} else {
					got = run(t, bi, bleve.NewMatchNoneQuery())
				}
				if got != want {
					t.Errorf("%q in %s (boost %v): got %s, Bleve's phrase query %s", p, f, boost, got, want)
				}
			}
		}
	}
	// In a disjunction with other words, as searches use it.
	for _, p := range phrases {
		a, b := bleve.NewMatchPhraseQuery(p), bleve.NewMatchPhraseQuery(p)
		a.SetField("body_en")
		b.SetField("title")
		w := bleve.NewTermQuery("weapon")
		w.SetField("body_en")
		want := run(t, bi, bleve.NewDisjunctionQuery(a, b, w))
		alts := []query.Query{w}
		for _, f := range []string{"body_en", "title"} {
			if pq := newPhraseQuery(m, p, f, 1); pq != nil {
				alts = append(alts, pq)
			} else {
				alts = append(alts, bleve.NewMatchNoneQuery()) // as Bleve's phrase query of no words
			}
		}
		got := run(t, bi, bleve.NewDisjunctionQuery(alts...))
		if got != want {
			t.Errorf("%q or a word: got %s, Bleve %s", p, got, want)
		}
	}
}

// testBleve is a Bleve index with the mapping of the index, on disk as the index is, holding
// docs (by ID, their fields).
func testBleve(t *testing.T, docs map[string]map[string]any) bleve.Index {
	t.Helper()
	bi, err := bleve.NewUsing(filepath.Join(t.TempDir(), "bleve"), newMapping(), "scorch", "scorch", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bi.Close() })
	b := bi.NewBatch()
	for id, d := range docs {
		if err := b.Index(id, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := bi.Batch(b); err != nil {
		t.Fatal(err)
	}
	return bi
}

// run returns the total, the hits with their scores, and with the term locations read for
// snippets (sorted).
func run(t *testing.T, bi bleve.Index, q query.Query) string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 20, 0, false)
	req.IncludeLocations = true
	sr, err := bi.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	s := fmt.Sprintf("%d:", sr.Total)
	// Hits of equal score come in the order of their numbers in the snapshot searched, and
	// the index's merger may renumber them between two searches: ties are put in ID order.
	hits := slices.Clone(sr.Hits)
	slices.SortStableFunc(hits, func(a, b *bsearch.DocumentMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	for _, h := range hits {
		s += fmt.Sprintf(" %s=%.9f", h.ID, h.Score) + fmt.Sprint(sortedLocations(h))
	}
	return s
}

// sortedLocations lists the term locations of a hit, field/term@position[start:end], sorted.
func sortedLocations(h *bsearch.DocumentMatch) []string {
	var locs []string
	for f, tlm := range h.Locations {
		for term, ls := range tlm {
			for _, l := range ls {
				locs = append(locs, fmt.Sprintf("%s/%s@%d[%d:%d]", f, term, l.Pos, l.Start, l.End))
			}
		}
	}
	slices.Sort(locs)
	return locs
}

// TestPhraseAcrossSegments: the phrase check reading postings segment by segment
// (phraseseg.go) finds what Bleve's phrase query finds on an index of several segments,
// with documents replaced (their old versions deleted in earlier segments) and a phrase's
// words in some segments only.
func TestPhraseAcrossSegments(t *testing.T) {
	bi := testBleve(t, nil)
	bodies := []string{
		"the new international economic order and a new order",
		"economic order, international, new",
		"nuclear weapons and the right to development",
		"the right to development of the new international economic order",
		"weapons nuclear; development right",
	}
	for batch := range 5 {
		b := bi.NewBatch()
		for i := range 3 {
			id := fmt.Sprintf("d%d", (batch*2+i)%7)
			if err := b.Index(id, map[string]any{"body_en": bodies[(batch+i)%len(bodies)], "title": bodies[(batch*3+i)%len(bodies)]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	adv, _ := bi.Advanced()
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	segs := newSegPostings(r, "body_en", []string{"order"})
	r.Close()
	if len(segs) != 1 || len(segs[0].segs) < 2 {
		t.Fatalf("want postings read from several segments, got %v", segs)
	}
	m := bi.Mapping()
	for _, p := range []string{"new international economic order", "right to development", "nuclear weapons", "economic order", "order new", "weapons nuclear"} {
		for _, f := range []string{"body_en", "title"} {
			bq := bleve.NewMatchPhraseQuery(p)
			bq.SetField(f)
			want := run(t, bi, bq)
			if got := run(t, bi, newPhraseQuery(m, p, f, 1)); got != want {
				t.Errorf("%q in %s: got %s, Bleve %s", p, f, got, want)
			}
		}
	}
}

// TestPhraseOnlyIn: a phrase restricted to some items (the snippet pass, onlyIn) finds
// among them what the phrase finds, with the same term locations, in a search that does
// not score, as the snippet pass asks.
func TestPhraseOnlyIn(t *testing.T) {
	bi := testBleve(t, map[string]map[string]any{
		"a": {"body_en": "the new international economic order"},
		"b": {"body_en": "order economic international new"},
		"c": {"body_en": "a new international economic order, and another new international economic order"},
		"d": {"body_en": "nuclear weapons"},
		"e": {"body_en": "new international economic order", "title": "New international economic order"},
	})
	unscored := func(q query.Query) string {
		req := bleve.NewSearchRequestOptions(q, 20, 0, false)
		req.IncludeLocations = true
		req.Score = bleve.ScoreNone
		sr, err := bi.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf("%d:", sr.Total)
		for _, h := range sr.Hits {
			s += fmt.Sprint(" ", h.ID, sortedLocations(h))
		}
		return s
	}
	m := bi.Mapping()
	for _, ids := range [][]string{{"a", "b", "c"}, {"e"}, {"b", "d"}, {"c", "e", "zz"}} {
		for _, f := range []string{"body_en", "title"} {
			pq := newPhraseQuery(m, "new international economic order", f, 1)
			want := unscored(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), pq))
			got := unscored(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), onlyIn([]query.Query{pq}, ids)[0]))
			if got != want {
				t.Errorf("%v in %s: got %s, want %s", ids, f, got, want)
			}
			if pq.only != nil {
				t.Error("onlyIn changed the phrase it was given")
			}
		}
	}
}
