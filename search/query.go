package search

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"chancery/store"
)

// Query is a parsed search: every clause must hold.
//
// The language: plain words (each must appear, in any form of the word, as a prefix of a
// longer word, or with a small typo), "exact phrases", -excluded words or -"phrases", OR
// between two words or phrases, and filters: kind:contact, country:NGA (or a name or alpha-2
// code), topic:environment, tag:oil-spill, class:restricted, lang:fr, year:2019,
// year:2010..2020, date:2026-11, date:2026-01-01..2026-06-30, after:2026-01-01,
// before:2026-06-30.
type Query struct {
	Clauses []Clause
}

// Clause is one condition: any of its terms (one, or several joined by OR), or, with Not,
// none of them.
type Clause struct {
	Any []Term
	Not bool
}

// Term is a word, a phrase or a filter.
type Term struct {
	Field  string // "" for text; otherwise kind, country, topic, tag, class, lang, date
	Text   string // the word, phrase or filter value (canonical: NGA, RESTRICTED, contact)
	Phrase bool
	// From and To bound a date filter: From <= date < To.
	From, To time.Time
	// Last marks the query's last plain word, the one being typed: it matches as a prefix
	// from its third letter on.
	Last bool
	// Raw is the term as the user wrote it, without a leading "-" (an unclosed quote
	// closed): what Query.String writes back. Empty for a term made in code.
	Raw string
}

// IsText reports whether the term searches the text (a word or phrase), not a filter.
func (t Term) IsText() bool { return t.Field == "" }

// String is the term in its canonical form: oil, "water intake", country:NGA,
// date:2010..2012, after:2026-01-01.
func (t Term) String() string {
	v := quoteIf(t.Text, t.Phrase || (t.Field == "" && t.Text == "OR"))
	if t.Field == "" {
		return v
	}
	name := t.Field
	if t.Field == "date" && !strings.Contains(t.Text, "..") {
		// date:D selects D; the other date filters are told apart by the interval.
		switch {
		case t.To.IsZero() && !t.From.IsZero():
			name = "after"
		case t.From.IsZero() && !t.To.IsZero():
			name = "before"
		case yearSpan(t.Text):
			name = "year" // year:2010-2020
		}
	}
	return name + ":" + v
}

// written is the term as Query.String writes it: as the user wrote it, else canonical.
func (t Term) written() string {
	if t.Raw != "" {
		return t.Raw
	}
	return t.String()
}

// quoteIf quotes v when asked or when it holds a space. The language has no escapes: a
// quote inside v ends the phrase, so quotes are dropped.
func quoteIf(v string, quote bool) string {
	if !quote && !strings.ContainsFunc(v, unicode.IsSpace) {
		return v
	}
	return `"` + strings.NewReplacer(`"`, "", "“", "", "”", "").Replace(v) + `"`
}

// yearSpan reports whether v is a range of years written with a dash: 2010-2020.
func yearSpan(v string) bool {
	a, b, ok := strings.Cut(v, "-")
	return ok && len(a) == 4 && len(b) == 4
}

// key is what filter terms are compared by: the field and the canonical value, or for a
// date filter the interval it selects (year:2019 and date:2019-01-01..2019-12-31 are one
// filter).
func (t Term) key() string {
	if t.Field == "date" {
		return "date:" + t.From.Format(time.RFC3339) + ".." + t.To.Format(time.RFC3339)
	}
	return t.Field + ":" + t.Text
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// Filter is a filter of the query language as a value: which filter (kind, country, topic,
// tag, class, lang, year, date, after or before, or one of their aliases) and its value,
// as written or canonical. A facet term carries the filter that narrows a search to it
// (FacetTerm.Filter); the query answers whether it is on (Query.Has) and turns it on or off
// (Query.Toggle), comparing canonical values: country:nigeria, country:NG and Country:nga
// are one filter, kind:contacts and type:contact another, year:2019 and date:2019 a third.
type Filter struct {
	Field string
	Value string
}

// String is the filter in the query language: country:NGA, topic:"human rights".
func (f Filter) String() string { return f.Field + ":" + quoteIf(f.Value, false) }

// MarshalText writes the filter as String does (as in JSON output: "country:NGA").
func (f Filter) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// term reads f as a filter term of the query language; false when it is not a valid filter.
func (f Filter) term() (Term, bool) {
	field, ok := filterFields[strings.ToLower(f.Field)]
	if !ok {
		return Term{}, false
	}
	w := f.String()
	t, err := token{raw: w, written: w, field: field, text: f.Value}.term()
	if err != nil || t == nil {
		return Term{}, false
	}
	return *t, true
}

// is reports whether the clause is the single filter t, negated or not.
func (c Clause) is(t Term, not bool) bool {
	return c.Not == not && len(c.Any) == 1 && !c.Any[0].IsText() && c.Any[0].key() == t.key()
}

// Has reports whether the query narrows its search to f: a clause of its own, not negated,
// that is f compared canonically. A filter inside an OR (kind:note OR kind:contact) does
// not narrow the search to it, and a negated one (-country:NGA) excludes it: neither is on.
func (q Query) Has(f Filter) bool {
	ft, ok := f.term()
	return ok && slices.ContainsFunc(q.Clauses, func(c Clause) bool { return c.is(ft, false) })
}

// Toggle returns the query with f turned off when it is on (Has): every clause that is f
// is removed, however it was written. Else f is turned on: a clause excluding f
// (-country:NGA) becomes f where it stands, or f is added at the end. The other clauses
// stay as they were, in order. A filter that is not valid leaves the query as it is.
func (q Query) Toggle(f Filter) Query {
	ft, ok := f.term()
	if !ok {
		return q
	}
	var out Query
	if q.Has(f) {
		for _, c := range q.Clauses {
			if !c.is(ft, false) {
				out.Clauses = append(out.Clauses, c)
			}
		}
		return out
	}
	on := false
	for _, c := range q.Clauses {
		if c.is(ft, true) {
			if !on {
				c.Not, on = false, true
				out.Clauses = append(out.Clauses, c)
			}
			continue
		}
		out.Clauses = append(out.Clauses, c)
	}
	if !on {
		out.Clauses = append(out.Clauses, Clause{Any: []Term{ft}})
	}
	return out
}

// String writes the query back in the query language: its clauses in order, each term as
// the user wrote it (Raw; in canonical form when made in code), OR between the terms of a
// clause. Parse(q.String()) is q again. What Parse dropped (a lone quote, punctuation
// alone) is not written back.
func (q Query) String() string {
	var parts []string
	for _, c := range q.Clauses {
		var terms []string
		for _, t := range c.Any {
			terms = append(terms, t.written())
		}
		if c.Not {
			// not (a OR b) is -a -b; Parse makes negated clauses of one term only.
			parts = append(parts, "-"+strings.Join(terms, " -"))
		} else {
			parts = append(parts, strings.Join(terms, " OR "))
		}
	}
	return strings.Join(parts, " ")
}

// ParseError says what is wrong with a query, in words a user understands.
type ParseError struct {
	Term string
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s: %s", e.Term, e.Msg) }

// Parse reads a query in Chancery's query language.
func Parse(s string) (Query, error) {
	toks := lex(s)
	var q Query
	joinNext := false
	for _, tk := range toks {
		if tk.text == "OR" && !tk.quoted && !tk.not && tk.field == "" {
			if len(q.Clauses) > 0 && !q.Clauses[len(q.Clauses)-1].Not {
				joinNext = true
			}
			continue
		}
		term, err := tk.term()
		if err != nil {
			return Query{}, err
		}
		if term == nil {
			continue
		}
		if joinNext && !tk.not {
			last := &q.Clauses[len(q.Clauses)-1]
			last.Any = append(last.Any, *term)
		} else {
			q.Clauses = append(q.Clauses, Clause{Any: []Term{*term}, Not: tk.not})
		}
		joinNext = false
	}
	return q, nil
}

type token struct {
	raw     string // as written, with a leading "-" (for errors)
	written string // as written, without a leading "-", a quote closed (Term.Raw)
	field   string
	text    string
	quoted  bool
	not     bool
}

// lex splits a query into words, "phrases", -negations and field:values.
func lex(s string) []token {
	var toks []token
	r := []rune(s)
	for i := 0; i < len(r); {
		if unicode.IsSpace(r[i]) {
			i++
			continue
		}
		start := i
		var tk token
		if r[i] == '-' && i+1 < len(r) && !unicode.IsSpace(r[i+1]) {
			tk.not = true
			i++
		}
		after := i // after the "-"
		closed := true
		// field:
		j := i
		for j < len(r) && (unicode.IsLetter(r[j]) || r[j] == '#') {
			j++
		}
		if j < len(r) && r[j] == ':' && j > i {
			if f, ok := filterFields[strings.ToLower(string(r[i:j]))]; ok {
				tk.field = f
				i = j + 1
			}
		}
		if i < len(r) && (r[i] == '"' || r[i] == '“' || r[i] == '”') {
			i++
			end := i
			for end < len(r) && r[end] != '"' && r[end] != '”' && r[end] != '“' {
				end++
			}
			tk.text, tk.quoted = string(r[i:end]), true
			closed = end < len(r)
			i = end + 1
		} else {
			end := i
			for end < len(r) && !unicode.IsSpace(r[end]) {
				end++
			}
			tk.text = string(r[i:end])
			i = end
		}
		tk.raw = string(r[start:min(i, len(r))])
		tk.written = string(r[after:min(i, len(r))])
		if !closed {
			tk.written += `"`
		}
		toks = append(toks, tk)
	}
	return toks
}

// term turns a token into a term: nil when it holds nothing searchable.
func (tk token) term() (*Term, error) {
	text := strings.TrimSpace(tk.text)
	bad := func(msg string) error { return &ParseError{Term: tk.raw, Msg: msg} }
	switch tk.field {
	case "":
		if tk.quoted {
			if !hasWordChar(text) {
				return nil, nil
			}
			return &Term{Raw: tk.written, Text: text, Phrase: true}, nil
		}
		text = strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if text == "" {
			return nil, nil
		}
		return &Term{Raw: tk.written, Text: text}, nil
	case "kind":
		k := store.Kind(strings.TrimSuffix(strings.ToLower(text), "s"))
		if k == "organization" {
			k = store.KindOrganisation
		}
		if !k.Valid() {
			return nil, bad("no such kind; use note, contact, organisation, document, briefing or incident")
		}
		return &Term{Raw: tk.written, Field: "kind", Text: string(k)}, nil
	case "country":
		c, ok := store.LookupCountry(text)
		if !ok {
			return nil, bad("no such country; use an ISO 3166 code such as NGA or NG, or the English name")
		}
		return &Term{Raw: tk.written, Field: "country", Text: c.Alpha3}, nil
	case "topic", "lang":
		if text == "" {
			return nil, bad("say which " + tk.field)
		}
		return &Term{Raw: tk.written, Field: tk.field, Text: strings.ToLower(text)}, nil
	case "tag":
		if text == "" {
			return nil, bad("say which tag")
		}
		return &Term{Raw: tk.written, Field: "tag", Text: strings.ToLower(strings.Join(strings.Fields(text), "-"))}, nil
	case "class":
		if text == "" {
			return nil, bad("say which classification")
		}
		return &Term{Raw: tk.written, Field: "class", Text: strings.ToUpper(text)}, nil
	case "year", "date", "after", "before":
		from, to, err := dateRange(tk.field, text)
		if err != nil {
			return nil, bad(err.Error())
		}
		return &Term{Raw: tk.written, Field: "date", Text: text, From: from, To: to}, nil
	}
	return nil, bad("unknown filter")
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

// dateRange reads year:2019, year:2010..2020, date:2026-11, date:2026-11-03,
// date:A..B, after:D and before:D as a half-open interval [from, to).
func dateRange(field, v string) (from, to time.Time, err error) {
	lo, hi, isRange := strings.Cut(v, "..")
	if !isRange && field == "year" {
		// year:2010-2020 is a range too
		if a, b, ok := strings.Cut(v, "-"); ok && len(a) == 4 && len(b) == 4 {
			lo, hi, isRange = a, b, true
		}
	}
	parse := func(s string) (start, end time.Time, err error) {
		if s == "" {
			return time.Time{}, time.Time{}, nil
		}
		for _, layout := range []struct {
			l    string
			step func(time.Time) time.Time
		}{
			{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
			{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
			{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		} {
			if t, err := time.Parse(layout.l, s); err == nil {
				return t, layout.step(t), nil
			}
		}
		return time.Time{}, time.Time{}, fmt.Errorf("%q is not a date; write a year (2019), a month (2026-11) or a day (2026-11-03)", s)
	}
	if isRange {
		a, _, err := parse(lo)
		if err != nil {
			return from, to, err
		}
		_, b, err := parse(hi)
		if err != nil {
			return from, to, err
		}
		if a.IsZero() && b.IsZero() {
			return from, to, fmt.Errorf("give at least one end of the range")
		}
		if !a.IsZero() && !b.IsZero() && !a.Before(b) {
			return from, to, fmt.Errorf("the range ends before it starts")
		}
		return a, b, nil
	}
	a, b, err := parse(v)
	if err != nil {
		return from, to, err
	}
	if a.IsZero() {
		return from, to, fmt.Errorf("say which date")
	}
	switch field {
	case "after":
		return b, time.Time{}, nil
	case "before":
		return time.Time{}, a, nil
	}
	return a, b, nil
}
