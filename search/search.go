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
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	// The analyzers of the languages analysed in their own language.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
)

// Search parses q and runs it. See Query for the language.
func (ix *Index) Search(ctx context.Context, q string, opt Options) (Result, error) {
	parsed, err := Parse(q)
	if err != nil {
		return Result{}, err
	}
	return ix.SearchQuery(ctx, parsed, opt)
}

// SearchQuery runs a parsed query. A search that meets a damaged index (a read error or a
// panic in Bleve) fails in words, and has the index rebuilt from the store (damage.go).
func (ix *Index) SearchQuery(ctx context.Context, q Query, opt Options) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = Result{}, ix.damaged(fmt.Sprintf("a search failed: %v", r))
		}
	}()
	res, err = ix.searchQuery(ctx, q, opt)
	if err != nil && isReadError(ctx, err) {
		return Result{}, ix.damaged(err.Error())
	}
	return res, err
}

func (ix *Index) searchQuery(ctx context.Context, q Query, opt Options) (Result, error) {
	start := time.Now()
	res := Result{Partial: ix.building.Load()}
	if q.Empty() || opt.Only != nil && len(opt.Only) == 0 {
		return res, nil
	}
	if opt.Size <= 0 {
		opt.Size = 10
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if err := ix.unavailable(); err != nil {
		return Result{}, err
	}
	bq, fields, leaves := ix.compile(q)
	if opt.Only != nil {
		bq.AddMust(bleve.NewDocIDQuery(opt.Only))
	}
	req := bleve.NewSearchRequestOptions(bq, opt.Size, opt.From, false)
	// The hits' stored fields are read once, in the snippet pass, which reads their stored
	// documents anyway; a search without words to highlight reads them here, with the lead.
	if len(fields) == 0 || len(leaves) == 0 {
		req.Fields = append(slices.Clone(hitFields), leadName) // nothing to highlight: show how items begin
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
	var shown map[string]*bsearch.DocumentMatch
	if req.Fields == nil {
		if shown, err = ix.highlight(ctx, leaves, fields, sr.Hits); err != nil {
			return Result{}, err
		}
	}
	for _, h := range sr.Hits {
		s := shown[h.ID]
		if s != nil {
			h.Fields = s.Fields
		}
		hit := Hit{ID: h.ID, Score: h.Score}
		readHit(&hit, h.Fields)
		for _, f := range fields {
			if s == nil || len(s.Locations[f]) == 0 || len(hit.Snippets) >= maxSnippets {
				continue
			}
			text := str(s.Fields[f])
			spans, terms := locationsIn(s.Locations[f], text)
			hit.Snippets = append(hit.Snippets, makeSnippets(text, spans, terms)...)
		}
		if lead := str(h.Fields[leadName]); len(hit.Snippets) == 0 && lead != "" {
			hit.Snippets = []Snippet{{{Text: lead}}}
		}
		if len(hit.Snippets) > maxSnippets {
			hit.Snippets = hit.Snippets[:maxSnippets]
		}
		res.Hits = append(res.Hits, hit)
	}
	if counter != nil {
		res.Facets = counter.facets()
		for _, f := range res.Facets {
			if f.Name == "year" {
				slices.SortFunc(f.Terms, func(a, b FacetTerm) int { return strings.Compare(b.Term, a.Term) })
			}
			for i := range f.Terms {
				f.Terms[i].Active = q.Has(f.Terms[i].Filter)
			}
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// highlight reads the hits' stored fields and the locations of their matched terms, by ID
// (makeSnippets cuts the snippets). Term locations
// are read for these hits only, with a query of the matching words alone (leaves: the
// compiled query's word, phrase, completion and typo queries, in a disjunction), since
// which hits match the whole query is already known.
func (ix *Index) highlight(ctx context.Context, leaves []query.Query, fields []string, hits bsearch.DocumentMatchCollection) (map[string]*bsearch.DocumentMatch, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	leaves = onlyIn(leaves, ids) // phrase.go
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), bleve.NewDisjunctionQuery(leaves...)), len(ids), 0, false)
	req.IncludeLocations = true
	req.Score = bleve.ScoreNone // the hits are ranked already: no scores to compute again
	// The stored fields are read from the snapshot searched (stored.go), held open here.
	var held, searched index.IndexReader
	if adv, err := ix.bi.Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			held = r
			defer r.Close()
		}
	}
	sr, err := ix.bi.SearchInContext(context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, readerOf(&searched)), req)
	if err != nil {
		return nil, fmt.Errorf("search: snippets: %w", err)
	}
	var stored *storedReader
	if held != nil && searched == held {
		stored = newStoredReader(held, ix.facets.expansionsFor(held))
	}
	want := map[string]bool{}
	wanted := append(slices.Clone(hitFields), fields...)
	for _, f := range wanted {
		want[f] = true
	}
	wantKey := strings.Join(wanted, ",")
	out := make(map[string]*bsearch.DocumentMatch, len(hits))
	var unread []string
	for _, h := range sr.Hits {
		out[h.ID] = h
		if stored != nil {
			if f, ok := stored.fields(h, want, wantKey); ok {
				h.Fields = f
				continue
			}
		}
		unread = append(unread, h.ID)
	}
	if len(unread) > 0 {
		// As Bleve reads them.
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(unread), len(unread), 0, false)
		req.Fields = append(slices.Clone(hitFields), fields...)
		sr, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: hits: %w", err)
		}
		for _, h := range sr.Hits {
			if o := out[h.ID]; o != nil {
				o.Fields = h.Fields
			}
		}
	}
	if len(out) < len(ids) {
		// Hits that match none of the words alone (a word found only in another form of
		// a phrase, say): their fields without snippets.
		var missing []string
		for _, id := range ids {
			if out[id] == nil {
				missing = append(missing, id)
			}
		}
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(missing), len(missing), 0, false)
		req.Fields = append(slices.Clone(hitFields), leadName)
		sr, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: hits: %w", err)
		}
		for _, h := range sr.Hits {
			out[h.ID] = h
		}
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

// compile turns a parsed query into a Bleve query, and returns the body fields worth
// highlighting and the queries of the words to highlight.
func (ix *Index) compile(q Query) (bq *query.BooleanQuery, fields []string, leaves []query.Query) {
	bodies := ix.bodyFields()
	markLast(&q)
	bq = bleve.NewBooleanQuery()
	var must, should, not []query.Query
	var filters []query.Query
	named := namedCountries(q) // countries.go
	for ci := 0; ci < len(q.Clauses); ci++ {
		c := q.Clauses[ci]
		if run, ok := named[ci]; ok {
			// The words of the name, or the items marked with the country.
			cq, words := ix.countryClause(q.Clauses[run.start:run.end], run.alpha3, bodies)
			leaves = append(leaves, words...)
			must = append(must, cq)
			ci = run.end - 1
			continue
		}
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
		if k, ok := kindWord(c); ok && len(named) > 0 {
			alts, required = append(alts, kindQuery(k)), true // "Togo contacts": countries.go
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
		if t.Phrase && len(toks[i]) > 1 {
			// Matched by the phrase check of phrase.go, which gives Bleve's matches and scores.
			var pq query.Query = bleve.NewMatchNoneQuery()
			if p := newPhraseQuery(m, t.Text, field, boost); p != nil {
				pq = p
			}
			alts, hl = append(alts, pq), append(hl, pq)
			continue
		}
		if t.Phrase {
			// A phrase of one word is that word as it is: no completions, no typos, and no
			// positions to read.
			add(bleve.NewMatchQuery(t.Text), field, boost)
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
			fuzziness := 1
			if n >= 8 {
				fuzziness = 2
			}
			fq := newFuzzyQuery(field, stem, fuzziness, boost*0.2) // fuzzy.go
			fq.cache = &ix.facets
			alts, hl = append(alts, fq), append(hl, fq)
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

// completionPostings bounds the matches the completions of a word add together: beyond the
// most frequent completion, a completion is taken only while their matches add up to no
// more than this. A common word ("peace") then completes to a few words ("peaceful",
// "peacekeeping"), a rare one to all it starts.
const completionPostings = 20000

// completions returns the terms of field, other than the prefixes themselves, that start
// with one of prefixes (the word as typed and its stem): the most frequent first, at most
// limit, and within completionPostings.
func (ix *Index) completions(field string, prefixes []string, limit int) []string {
	var found []dictEntry
	seen := map[string]bool{}
	_ = ix.withReader(func(r index.IndexReader, ex *expansions) error { // expand.go
		for _, p := range prefixes {
			if seen[p] || utf8.RuneCountInString(p) < 3 {
				continue
			}
			seen[p] = true
			es, err := ex.prefixed(r, field, p)
			if err != nil {
				continue
			}
			for _, e := range es {
				if !seen[e.term] {
					seen[e.term] = true
					found = append(found, e)
				}
			}
		}
		return nil
	})
	slices.SortFunc(found, func(a, b dictEntry) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return strings.Compare(a.term, b.term)
	})
	var out []string
	var postings uint64
	for _, e := range found[:min(limit, len(found))] {
		if postings += e.count; len(out) > 0 && postings > completionPostings {
			break
		}
		out = append(out, e.term)
	}
	return out
}

// termExists reports whether the index holds term in field.
func (ix *Index) termExists(field, term string) bool {
	known := false
	_ = ix.withReader(func(r index.IndexReader, ex *expansions) error { // expand.go
		var err error
		known, err = ex.known(r, field, term)
		return err
	})
	return known
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
