package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/registry"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	simpleFragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simpleHighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
	"github.com/blevesearch/bleve/v2/search/query"

	// The analyzers of the languages analysed in their own language.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"

	"chancery/store"
)

// Markers around matched terms in fragments: control characters that cannot occur in
// indexed text runs the formatter keeps.
const (
	markStart = "\x02"
	markEnd   = "\x03"
)

const highlighterName = "chancery"

type markFormatter struct{}

// Format writes the fragment with each matched term between markStart and markEnd.
func (markFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	var b strings.Builder
	cur := f.Start
	for _, l := range locs {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.Start < cur {
			continue
		}
		if l.End > f.End {
			break
		}
		b.Write(clean(f.Orig[cur:l.Start]))
		b.WriteString(markStart)
		b.Write(clean(f.Orig[l.Start:l.End]))
		b.WriteString(markEnd)
		cur = l.End
	}
	b.Write(clean(f.Orig[cur:f.End]))
	return b.String()
}

// clean drops the marker characters from text and folds line breaks into spaces.
func clean(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case 0x02, 0x03:
		case '\n', '\r', '\t':
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	return out
}

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(map[string]any, *registry.Cache) (highlight.Highlighter, error) {
		return simpleHighlighter.NewHighlighter(simpleFragmenter.NewFragmenter(180), markFormatter{}, " … "), nil
	})
	if err != nil {
		panic(err)
	}
}

// Search parses q and runs it. See Query for the language.
func (ix *Index) Search(ctx context.Context, q string, opt Options) (Result, error) {
	parsed, err := Parse(q)
	if err != nil {
		return Result{}, err
	}
	return ix.SearchQuery(ctx, parsed, opt)
}

// SearchQuery runs a parsed query.
func (ix *Index) SearchQuery(ctx context.Context, q Query, opt Options) (Result, error) {
	start := time.Now()
	res := Result{Partial: ix.building.Load()}
	if q.Empty() {
		return res, nil
	}
	if opt.Size <= 0 {
		opt.Size = 10
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bq, fields, leaves := ix.compile(q)
	req := bleve.NewSearchRequestOptions(bq, opt.Size, opt.From, false)
	req.Fields = []string{"kind", "title", "class", "country", "date"}
	if len(fields) == 0 {
		req.Fields = append(req.Fields, "lead") // nothing to highlight: show how items begin
	}
	sctx := ctx
	var counter *facetCounter
	if opt.Facets {
		sctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, ix.countingHandler(&counter))
	}
	sr, err := ix.bi.SearchInContext(sctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	res.Total = sr.Total
	// Snippets in a second pass over the hits only: asking for term locations while
	// collecting would read them for every match, not just the top ones.
	fragments, err := ix.highlight(ctx, leaves, fields, sr.Hits)
	if err != nil {
		return Result{}, err
	}
	for _, h := range sr.Hits {
		h.Fragments = fragments[h.ID]
		hit := Hit{ID: h.ID, Score: h.Score}
		hit.Kind = store.Kind(str(h.Fields["kind"]))
		hit.Title = str(h.Fields["title"])
		hit.Class = str(h.Fields["class"])
		hit.Countries = strs(h.Fields["country"])
		if d, err := time.Parse(time.RFC3339, str(h.Fields["date"])); err == nil {
			hit.Date = d
		}
		for _, f := range fields {
			for _, frag := range h.Fragments[f] {
				hit.Snippets = append(hit.Snippets, parseFragment(frag))
			}
		}
		if lead := str(h.Fields["lead"]); len(hit.Snippets) == 0 && lead != "" {
			hit.Snippets = []Snippet{{{Text: lead}}}
		}
		if len(hit.Snippets) > 2 {
			hit.Snippets = hit.Snippets[:2]
		}
		res.Hits = append(res.Hits, hit)
	}
	if counter != nil {
		res.Facets = counter.facets()
		for _, f := range res.Facets {
			if f.Name == "year" {
				slices.SortFunc(f.Terms, func(a, b FacetTerm) int { return strings.Compare(b.Term, a.Term) })
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// highlight returns the highlighted fragments of the hits, by ID.
// Term locations are read for these hits only, with a query of the matching words alone
// (leaves, the compiled query's word, phrase, prefix and typo queries, in a disjunction):
// which hits match the whole query is already known.
func (ix *Index) highlight(ctx context.Context, leaves []query.Query, fields []string, hits bsearch.DocumentMatchCollection) (map[string]bsearch.FieldFragmentMap, error) {
	if len(hits) == 0 || len(fields) == 0 || len(leaves) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), bleve.NewDisjunctionQuery(leaves...)), len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle(highlighterName)
	req.Highlight.Fields = fields
	sr, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: snippets: %w", err)
	}
	out := make(map[string]bsearch.FieldFragmentMap, len(sr.Hits))
	for _, h := range sr.Hits {
		out[h.ID] = h.Fragments
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// parseFragment splits a highlighted fragment into spans.
func parseFragment(frag string) Snippet {
	var s Snippet
	for frag != "" {
		i := strings.Index(frag, markStart)
		if i < 0 {
			s = append(s, Span{Text: frag})
			break
		}
		if i > 0 {
			s = append(s, Span{Text: frag[:i]})
		}
		frag = frag[i+len(markStart):]
		j := strings.Index(frag, markEnd)
		if j < 0 {
			j = len(frag)
		}
		s = append(s, Span{Text: frag[:j], Match: true})
		frag = frag[min(j+len(markEnd), len(frag)):]
	}
	return s
}

// compile turns a parsed query into a Bleve query, and returns the body fields worth
// highlighting and the queries of the words to highlight.
func (ix *Index) compile(q Query) (bq *query.BooleanQuery, fields []string, leaves []query.Query) {
	bodies := ix.bodyFields()
	markLast(&q)
	bq = bleve.NewBooleanQuery()
	var must, should, not []query.Query
	var filters []query.Query
	for _, c := range q.Clauses {
		if !allText(c.Any) {
			fq := ix.filterClause(c)
			if c.Not {
				not = append(not, fq)
			} else {
				filters = append(filters, fq)
			}
			continue
		}
		var alts []query.Query
		required := true
		for _, t := range c.Any {
			tq, stop, words := ix.textQuery(t, bodies)
			if tq == nil {
				continue
			}
			alts = append(alts, tq)
			required = required && !stop
			if !c.Not {
				leaves = append(leaves, words...)
			}
		}
		if len(alts) == 0 {
			continue
		}
		var cq query.Query = alts[0]
		if len(alts) > 1 {
			cq = bleve.NewDisjunctionQuery(alts...)
		}
		switch {
		case c.Not:
			not = append(not, cq)
		case required:
			must = append(must, cq)
		default:
			should = append(should, cq)
		}
	}
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	if len(must) > 0 {
		bq.AddMust(must...)
	}
	if len(should) > 0 {
		bq.AddShould(should...)
	}
	if len(not) > 0 {
		bq.AddMustNot(not...)
	}
	if len(filters) > 0 {
		var f query.Query = filters[0]
		if len(filters) > 1 {
			f = bleve.NewConjunctionQuery(filters...)
		}
		bq.AddFilter(f)
	}
	if len(must) == 1 && len(should) == 0 {
		if _, all := must[0].(*query.MatchAllQuery); all {
			return bq, nil, nil // filters only: nothing to highlight, hits show their lead
		}
	}
	return bq, bodies, leaves
}

func allText(terms []Term) bool {
	for _, t := range terms {
		if !t.IsText() {
			return false
		}
	}
	return true
}

// markLast marks the last plain word of the query: the one being typed.
func markLast(q *Query) {
	for i := len(q.Clauses) - 1; i >= 0; i-- {
		c := &q.Clauses[i]
		if t := &c.Any[len(c.Any)-1]; !c.Not && t.IsText() && !t.Phrase {
			t.Last = true
			return
		}
	}
}

// bodyFields are the body fields of the languages present in the index (all of them while
// it is empty).
func (ix *Index) bodyFields() []string {
	var out []string
	for _, l := range languages {
		if len(ix.langs) == 0 || ix.langs[l.field] {
			out = append(out, l.field)
		}
	}
	return out
}

// textQuery matches a word or phrase against the title and every body field: the word in
// that language's analysis (stemmed), as a prefix of longer words, and, when the index does
// not know the word, with a small typo.
// stop reports that the word is a stop word in some language present, so it may not be
// required of every item; leaves are the queries the disjunction q is made of.
func (ix *Index) textQuery(t Term, bodies []string) (q query.Query, stop bool, leaves []query.Query) {
	m := ix.bi.Mapping()
	fields := append([]string{"title"}, bodies...)
	// The word in each field's analysis; and whether it is a word the index knows.
	toks := make([][]string, len(fields))
	known := false
	for i, field := range fields {
		if an := m.AnalyzerNamed(m.AnalyzerNameForPath(field)); an != nil {
			for _, tok := range an.Analyze([]byte(t.Text)) {
				toks[i] = append(toks[i], string(tok.Term))
			}
		}
		if len(toks[i]) == 1 && !known {
			known = ix.termExists(field, toks[i][0])
		}
	}
	var alts, hl []query.Query
	add := func(q interface {
		query.Query
		SetField(string)
		SetBoost(float64)
	}, field string, boost float64) {
		q.SetField(field)
		q.SetBoost(boost)
		alts = append(alts, q)
		hl = append(hl, q)
	}
	for i, field := range fields {
		if len(toks[i]) == 0 {
			stop = true
			continue
		}
		boost := 1.0
		if field == "title" {
			boost = 2.0
		}
		if t.Phrase {
			add(bleve.NewMatchPhraseQuery(t.Text), field, boost)
			continue
		}
		mq := bleve.NewMatchQuery(t.Text)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		add(mq, field, boost)
		if len(toks[i]) != 1 || !fuzzyField(field) {
			continue
		}
		word, stem := strings.ToLower(t.Text), toks[i][0]
		// Short prefixes expand to thousands of terms: only the word being typed (the last)
		// is taken as a prefix from three letters, the others from four.
		// The word being typed is completed from three letters; the others from four, and
		// only when the index does not know them as they are (a partial word).
		if n := utf8.RuneCountInString(word); (n >= 4 && (t.Last || !known)) || (n == 3 && t.Last) {
			for _, term := range ix.completions(field, []string{word, stem}, maxCompletions) {
				add(bleve.NewTermQuery(term), field, boost*0.4)
			}
		}
		if known {
			continue // typo tolerance only for words the index does not know
		}
		if n := utf8.RuneCountInString(stem); n >= 5 {
			fq := bleve.NewFuzzyQuery(stem)
			fq.SetFuzziness(1)
			if n >= 8 {
				fq.SetFuzziness(2)
			}
			add(fq, field, boost*0.2)
		}
		// A typo near the end of a word defeats the stemmer ("disarmamnet" stays whole while
		// "disarmament" is indexed as "disarma"): match the stems the word starts with.
		if r := []rune(word); len(r) >= 7 {
			for k := len(r) - 1; k >= max(5, len(r)-4); k-- {
				add(bleve.NewTermQuery(string(r[:k])), field, boost*0.15)
			}
		}
	}
	if len(alts) == 0 {
		return nil, true, nil
	}
	return bleve.NewDisjunctionQuery(alts...), stop, hl
}

// maxCompletions is how many longer words a word is completed to, the most frequent first:
// a short prefix ("dev") starts hundreds of words, and each of them would be another list
// of matches to merge.
const maxCompletions = 12

// completions returns the terms of field, other than the prefixes themselves, that start
// with one of prefixes (the word as typed and its stem), the limit most frequent.
func (ix *Index) completions(field string, prefixes []string, limit int) []string {
	type entry struct {
		term  string
		count uint64
	}
	var found []entry
	seen := map[string]bool{}
	for _, p := range prefixes {
		if seen[p] || utf8.RuneCountInString(p) < 3 {
			continue
		}
		seen[p] = true
		d, err := ix.bi.FieldDictPrefix(field, []byte(p))
		if err != nil {
			continue
		}
		for {
			e, err := d.Next()
			if err != nil || e == nil {
				break
			}
			if !seen[e.Term] {
				seen[e.Term] = true
				found = append(found, entry{e.Term, e.Count})
			}
		}
		d.Close()
	}
	slices.SortFunc(found, func(a, b entry) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return strings.Compare(a.term, b.term)
	})
	out := make([]string, 0, min(limit, len(found)))
	for _, e := range found[:min(limit, len(found))] {
		out = append(out, e.term)
	}
	return out
}

// termExists reports whether the index holds term in field.
func (ix *Index) termExists(field, term string) bool {
	d, err := ix.bi.FieldDictRange(field, []byte(term), []byte(term))
	if err != nil {
		return false
	}
	defer d.Close()
	e, err := d.Next()
	return err == nil && e != nil && e.Term == term
}

func fuzzyField(field string) bool {
	if field == "title" {
		return true
	}
	for _, l := range languages {
		if l.field == field {
			return l.fuzzy
		}
	}
	return false
}

// filterClause is a filter (or several joined by OR) as an unscored query.
func (ix *Index) filterClause(c Clause) query.Query {
	var alts []query.Query
	for _, t := range c.Any {
		if t.IsText() {
			if tq, _, _ := ix.textQuery(t, ix.bodyFields()); tq != nil {
				alts = append(alts, tq)
			}
			continue
		}
		if t.Field == "date" {
			dq := bleve.NewDateRangeQuery(t.From, t.To)
			dq.SetField("date")
			alts = append(alts, dq)
			continue
		}
		tq := bleve.NewTermQuery(t.Text)
		tq.SetField(t.Field)
		alts = append(alts, tq)
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return bleve.NewDisjunctionQuery(alts...)
}
