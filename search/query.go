package search

import (
	"fmt"
	"strconv"
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
}

// IsText reports whether the term searches the text (a word or phrase), not a filter.
func (t Term) IsText() bool { return t.Field == "" }

func (t Term) String() string {
	v := t.Text
	if t.Phrase || strings.ContainsFunc(v, unicode.IsSpace) {
		v = strconv.Quote(v)
	}
	if t.Field == "" {
		return v
	}
	return t.Field + ":" + v
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

var filterFields = map[string]string{
	"kind": "kind", "type": "kind",
	"country": "country", "countries": "country",
	"topic": "topic", "topics": "topic",
	"tag": "tag", "tags": "tag", "#": "tag",
	"class": "class", "classification": "class",
	"lang": "lang", "language": "lang",
	"year": "year", "date": "date", "after": "after", "before": "before",
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
	raw    string
	field  string
	text   string
	quoted bool
	not    bool
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
			return &Term{Text: text, Phrase: true}, nil
		}
		text = strings.TrimFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		if text == "" {
			return nil, nil
		}
		return &Term{Text: text}, nil
	case "kind":
		k := store.Kind(strings.TrimSuffix(strings.ToLower(text), "s"))
		if k == "organization" {
			k = store.KindOrganisation
		}
		if !k.Valid() {
			return nil, bad("no such kind; use note, contact, organisation, document or briefing")
		}
		return &Term{Field: "kind", Text: string(k)}, nil
	case "country":
		c, ok := store.LookupCountry(text)
		if !ok {
			return nil, bad("no such country; use an ISO 3166 code such as NGA or NG, or the English name")
		}
		return &Term{Field: "country", Text: c.Alpha3}, nil
	case "topic", "lang":
		if text == "" {
			return nil, bad("say which " + tk.field)
		}
		return &Term{Field: tk.field, Text: strings.ToLower(text)}, nil
	case "tag":
		if text == "" {
			return nil, bad("say which tag")
		}
		return &Term{Field: "tag", Text: strings.ToLower(strings.Join(strings.Fields(text), "-"))}, nil
	case "class":
		if text == "" {
			return nil, bad("say which classification")
		}
		return &Term{Field: "class", Text: strings.ToUpper(text)}, nil
	case "year", "date", "after", "before":
		from, to, err := dateRange(tk.field, text)
		if err != nil {
			return nil, bad(err.Error())
		}
		return &Term{Field: "date", Text: text, From: from, To: to}, nil
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
