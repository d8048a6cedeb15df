package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"chancery/store"
)

// A query that names a country (store.LookupCountryName: a name in one of the six UN
// languages or a demonym, one word or several in a row: "Togo", "togolais", "Того",
// "Côte d'Ivoire", "South Africa") also matches the items marked with that country, besides
// those whose text has the words; marked items come first, the country's contacts (its
// counterparts) before its other items. In a query that names a country, a word naming a
// kind ("contacts", "organisations", "notes") also matches the items of that kind, so that
// "Togo contacts" lists Togo's counterparts. Codes are not names ("to", "in", "us" stay
// words); a negated word (-Togo) and a word in an OR stay words.

// maxNameWords is the most words a country name of the query may have.
const maxNameWords = 6

// Boosts of the alternatives a country name adds (the text's own weights are in textQuery).
const (
	countryBoost        = 4.0
	countryContactBoost = 6.0
	kindWordBoost       = 2.0
)

// countryRun is a run of clauses [start, end) that names a country.
type countryRun struct {
	start, end int
	alpha3     string
}

// namedCountries finds the runs of the query's clauses that name a country: each a plain
// word or phrase alone in its clause, not negated, the longest name first.
func namedCountries(q Query) map[int]countryRun {
	word := func(i int) (string, bool) {
		c := q.Clauses[i]
		if c.Not || len(c.Any) != 1 || !c.Any[0].IsText() {
			return "", false
		}
		return c.Any[0].Text, true
	}
	runs := map[int]countryRun{}
	for i := 0; i < len(q.Clauses); {
		found := false
		for n := min(maxNameWords, len(q.Clauses)-i); n >= 1; n-- {
			var ws []string
			for j := i; j < i+n; j++ {
				w, ok := word(j)
				if !ok {
					break
				}
				ws = append(ws, w)
			}
			if len(ws) < n {
				continue
			}
			if c, ok := store.LookupCountryName(strings.Join(ws, " ")); ok {
				runs[i] = countryRun{start: i, end: i + n, alpha3: c.Alpha3}
				i, found = i+n, true
				break
			}
		}
		if !found {
			i++
		}
	}
	return runs
}

// kindWords are the words that, in a query naming a country, also match a kind of item.
var kindWords = map[string]store.Kind{
	"contact": store.KindContact, "contacts": store.KindContact,
	"counterpart": store.KindContact, "counterparts": store.KindContact,
	"people": store.KindContact, "person": store.KindContact, "persons": store.KindContact,
	"contactos": store.KindContact, "контакты": store.KindContact,
	"organisation": store.KindOrganisation, "organisations": store.KindOrganisation,
	"organization": store.KindOrganisation, "organizations": store.KindOrganisation,
	"organismes": store.KindOrganisation, "organizaciones": store.KindOrganisation,
	"note": store.KindNote, "notes": store.KindNote, "notas": store.KindNote,
	"document": store.KindDocument, "documents": store.KindDocument, "documentos": store.KindDocument,
	"briefing": store.KindBriefing, "briefings": store.KindBriefing,
	"incident": store.KindIncident, "incidents": store.KindIncident,
}

// kindWord is the kind a clause's word names, when it is a plain word alone in its clause.
func kindWord(c Clause) (store.Kind, bool) {
	if c.Not || len(c.Any) != 1 || !c.Any[0].IsText() || c.Any[0].Phrase {
		return "", false
	}
	k, ok := kindWords[strings.ToLower(c.Any[0].Text)]
	return k, ok
}

// countryQuery matches the items marked with a country, its contacts higher.
func countryQuery(alpha3 string) query.Query {
	cq := bleve.NewTermQuery(alpha3)
	cq.SetField("country")
	contact := bleve.NewTermQuery(string(store.KindContact))
	contact.SetField("kind")
	contact.SetBoost(countryContactBoost)
	bq := bleve.NewBooleanQuery()
	bq.AddMust(cq)
	bq.AddShould(contact)
	bq.SetBoost(countryBoost)
	return bq
}

// kindQuery matches the items of a kind.
func kindQuery(k store.Kind) query.Query {
	kq := bleve.NewTermQuery(string(k))
	kq.SetField("kind")
	kq.SetBoost(kindWordBoost)
	return kq
}

// countryClause is the query of a run of clauses that names a country: its words as
// textQuery matches them (each required but for stop words), or the items marked with the
// country. words are the queries of the words, to highlight.
func (ix *Index) countryClause(run []Clause, alpha3 string, bodies []string) (query.Query, []query.Query) {
	text := bleve.NewBooleanQuery()
	var words, all []query.Query
	required := 0
	for _, c := range run {
		tq, stop, ws := ix.textQuery(c.Any[0], bodies)
		if tq == nil {
			continue
		}
		words, all = append(words, ws...), append(all, tq)
		if stop {
			text.AddShould(tq)
		} else {
			text.AddMust(tq)
			required++
		}
	}
	switch {
	case len(all) == 0:
		return countryQuery(alpha3), words
	case required == 0:
		// Only stop words of some language ("Того" is one in Russian): any of them.
		return bleve.NewDisjunctionQuery(bleve.NewDisjunctionQuery(all...), countryQuery(alpha3)), words
	}
	return bleve.NewDisjunctionQuery(text, countryQuery(alpha3)), words
}

// Countries returns the alpha-3 codes of the countries the query names by name or demonym
// (as a search expands them: not codes, not negated words, not words in an OR), in the
// order it names them, each once. A screen offers their dossiers.
func (q Query) Countries() []string {
	runs := namedCountries(q)
	var out []string
	for i := range q.Clauses {
		if r, ok := runs[i]; ok && !slices.Contains(out, r.alpha3) {
			out = append(out, r.alpha3)
		}
	}
	return out
}
