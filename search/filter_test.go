package search_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"chancery/search"
)

// canonical is a parsed query in canonical form, clause by clause: what two queries that
// mean the same have in common.
func canonical(t *testing.T, s string) []string {
	t.Helper()
	q, err := search.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	var out []string
	for _, c := range q.Clauses {
		var parts []string
		for _, tm := range c.Any {
			parts = append(parts, tm.String())
		}
		s := strings.Join(parts, " OR ")
		if c.Not {
			s = "-" + s
		}
		out = append(out, s)
	}
	return out
}

func TestQueryString(t *testing.T) {
	for _, tt := range []struct{ q, want string }{
		{"oil", "oil"},
		{"  oil   Country:nigeria  spill ", "oil Country:nigeria spill"}, // as written, spaces aside
		{`"law of the sea" -"oil spill" diesel OR quotas`, `"law of the sea" -"oil spill" diesel OR quotas`},
		{`“curly quotes” kind:Notes`, `“curly quotes” kind:Notes`},
		{`oil "unclosed phrase`, `oil "unclosed phrase"`},
		{`country:"united states`, `country:"united states"`},
		{"-a OR b", "-a b"}, // OR after a negation is dropped by Parse
		{"OR a", "a"},       // OR with nothing before it
		{"a OR -b", "a -b"}, // a negation is not joined
		{"+234 555 0101", "+234 555 0101"},
		{`oil , " -`, "oil"}, // what holds nothing searchable is dropped
		{"year:2010-2020 after:2026-01 before:2026-06-30 date:2026-11..", "year:2010-2020 after:2026-01 before:2026-06-30 date:2026-11.."},
		{"#:oil-spill lang:FR classification:secret", "#:oil-spill lang:FR classification:secret"},
	} {
		q, err := search.Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		got := q.String()
		if got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.q, got, tt.want)
		}
		// Written back, it means the same.
		if a, b := canonical(t, tt.q), canonical(t, got); !slices.Equal(a, b) {
			t.Errorf("%q parses as %q, written back as %q: %q", tt.q, a, got, b)
		}
	}
}

// TestTermStringCanonical: a term's canonical form means what the term does.
func TestTermStringCanonical(t *testing.T) {
	got := canonical(t, `Kind:Contacts type:organization country:ng countries:Nigeria topic:Environment tag:"Oil Spill" `+
		`class:restricted year:2019 year:2010-2020 year:2010..2012 date:2026-11 after:2026-01-01 before:2020 date:..2019 "OR"`)
	want := []string{"kind:contact", "kind:organisation", "country:NGA", "country:NGA", "topic:environment", "tag:oil-spill",
		"class:RESTRICTED", "date:2019", "year:2010-2020", "date:2010..2012", "date:2026-11", "after:2026-01-01", "before:2020",
		"date:..2019", `"OR"`}
	if !slices.Equal(got, want) {
		t.Fatalf("canonical\n got %q\nwant %q", got, want)
	}
	again := canonical(t, strings.Join(got, " "))
	if !slices.Equal(again, want) {
		t.Errorf("canonical form parsed again: %q", again)
	}
	// The canonical forms select the same dates as what was written.
	for _, pair := range [][2]string{{"after:2026-01-01", "date:2026-01-02.."}, {"before:2020", "date:..2019"}, {"year:2010-2020", "date:2010..2020"}} {
		a, _ := search.Parse(pair[0])
		b, _ := search.Parse(pair[1])
		ta, tb := a.Clauses[0].Any[0], b.Clauses[0].Any[0]
		if !ta.From.Equal(tb.From) || !ta.To.Equal(tb.To) {
			t.Errorf("%s is [%v, %v), %s is [%v, %v)", pair[0], ta.From, ta.To, pair[1], tb.From, tb.To)
		}
	}
}

func TestQueryHas(t *testing.T) {
	nga := search.Filter{Field: "country", Value: "NGA"}
	y2019 := search.Filter{Field: "year", Value: "2019"}
	for _, tt := range []struct {
		q    string
		f    search.Filter
		want bool
	}{
		{"country:NGA", nga, true},
		{"oil country:nigeria", nga, true},
		{"country:ng", nga, true},
		{"Country:nga", nga, true},
		{`countries:"Nigeria"`, nga, true},
		{"country:NGA", search.Filter{Field: "Country", Value: "nigeria"}, true}, // the filter as written too
		{"country:GHA", nga, false},
		{"oil nigeria", nga, false},                // a word is not a filter
		{"-country:NGA", nga, false},               // excluded, not on
		{"country:NGA OR country:GHA", nga, false}, // does not narrow the search to NGA
		{"country:GHA OR country:nigeria", nga, false},
		{"kind:contacts", search.Filter{Field: "kind", Value: "contact"}, true},
		{"type:Contact", search.Filter{Field: "kind", Value: "contact"}, true},
		{"kind:organization", search.Filter{Field: "kind", Value: "organisation"}, true},
		{"kind:note", search.Filter{Field: "kind", Value: "contact"}, false},
		{"topic:Environment", search.Filter{Field: "topic", Value: "environment"}, true},
		{`tag:"oil spill"`, search.Filter{Field: "tag", Value: "oil-spill"}, true},
		{"#:oil-spill", search.Filter{Field: "tags", Value: "Oil-Spill"}, true},
		{"class:restricted", search.Filter{Field: "class", Value: "RESTRICTED"}, true},
		{"language:FR", search.Filter{Field: "lang", Value: "fr"}, true},
		{"year:2019", y2019, true},
		{"date:2019", y2019, true},                                   // the same year
		{"date:2019-01-01..2019-12-31", y2019, true},                 // the same interval
		{"year:2019..2020", y2019, false},                            // a wider one
		{"after:2018", y2019, false},                                 // an open one
		{"date:2019-06", y2019, false},                               // a narrower one
		{"oil", search.Filter{Field: "country", Value: "XX"}, false}, // not a country
		{"oil", search.Filter{Field: "colour", Value: "red"}, false}, // not a filter
		{"", nga, false},
	} {
		q, err := search.Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		if got := q.Has(tt.f); got != tt.want {
			t.Errorf("Parse(%q).Has(%v) = %v, want %v", tt.q, tt.f, got, tt.want)
		}
	}
}

func TestQueryToggle(t *testing.T) {
	nga := search.Filter{Field: "country", Value: "NGA"}
	y2019 := search.Filter{Field: "year", Value: "2019"}
	for _, tt := range []struct {
		q    string
		f    search.Filter
		want string
	}{
		{"oil", nga, "oil country:NGA"},
		{"", search.Filter{Field: "year", Value: "2026"}, "year:2026"},
		{"oil country:nigeria spill", nga, "oil spill"},                  // removed as written
		{"oil Country:nga spill country:NG", nga, "oil spill"},           // every copy of it
		{"oil -country:nigeria spill", nga, "oil country:nigeria spill"}, // an exclusion turned round where it stands
		{"-country:NGA oil -country:ng", nga, "country:NGA oil"},
		{"country:NGA OR country:GHA", nga, "country:NGA OR country:GHA country:NGA"}, // narrowed to NGA
		{"kind:contacts", search.Filter{Field: "kind", Value: "contact"}, ""},
		{"type:organization oil", search.Filter{Field: "kind", Value: "organisation"}, "oil"},
		{`tag:"oil spill" "water intake"`, search.Filter{Field: "tag", Value: "oil-spill"}, `"water intake"`},
		{"date:2019 oil", y2019, "oil"},
		{`"law of the sea" year:2019..2020`, y2019, `"law of the sea" year:2019..2020 year:2019`},
		{"diesel OR quotas -spill", nga, "diesel OR quotas -spill country:NGA"},
		{`"unclosed oil`, nga, `"unclosed oil" country:NGA`},
		{"oil", search.Filter{Field: "topic", Value: "human rights"}, `oil topic:"human rights"`},
		{"oil", search.Filter{Field: "country", Value: "XX"}, "oil"}, // not a filter: nothing changes
	} {
		q, err := search.Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		toggled := q.Toggle(tt.f)
		if got := toggled.String(); got != tt.want {
			t.Errorf("Parse(%q).Toggle(%v) = %q, want %q", tt.q, tt.f, got, tt.want)
		}
		if _, err := search.Parse(tt.want); err != nil {
			t.Errorf("%q does not parse: %v", tt.want, err)
		}
		if tt.f.Value != "XX" && toggled.Has(tt.f) == q.Has(tt.f) {
			t.Errorf("Parse(%q).Toggle(%v) did not turn it %s", tt.q, tt.f, map[bool]string{true: "off", false: "on"}[q.Has(tt.f)])
		}
		// Toggling twice comes back to a query that means the same (the filter at the end),
		// but for an exclusion turned round, and duplicates removed.
		if again := toggled.Toggle(tt.f); !strings.Contains(tt.q, "-country") && !strings.Contains(tt.q, "country:NG") &&
			!sameSet(canonical(t, again.String()), canonical(t, tt.q)) {
			t.Errorf("toggled twice: %q, was %q", again.String(), tt.q)
		}
	}
}

func TestFilterString(t *testing.T) {
	for _, tt := range []struct {
		f    search.Filter
		want string
	}{
		{search.Filter{Field: "country", Value: "NGA"}, "country:NGA"},
		{search.Filter{Field: "topic", Value: "human rights"}, `topic:"human rights"`},
		{search.Filter{Field: "year", Value: "2019"}, "year:2019"},
	} {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.f, got, tt.want)
		}
	}
	// In JSON (chancery search --json), a facet term's filter is written as before.
	b, err := json.Marshal(search.FacetTerm{Term: "NGA", Count: 3, Filter: search.Filter{Field: "country", Value: "NGA"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Term":"NGA","Count":3,"Filter":"country:NGA","Active":false}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

// TestFacetTermsActive: a result's facet terms say which of them the query has on, however
// the query wrote them.
func TestFacetTermsActive(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		q      string
		active []string // facet:term
	}{
		{"river", nil},
		{"river country:nigeria", []string{"country:NGA"}},
		{"river Country:ng kind:Notes", []string{"kind:note", "country:NGA"}},
		{"kind:contact OR kind:organisation", nil},
		{"date:2019 kind:note", []string{"kind:note", "year:2019"}},
		{"type:organization", []string{"kind:organisation"}},
		{"kind:note -country:GHA", []string{"kind:note"}},
	} {
		res, err := f.ix.Search(context.Background(), tt.q, search.Options{Facets: true})
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		var active []string
		for _, fc := range res.Facets {
			for _, term := range fc.Terms {
				if term.Active {
					active = append(active, fc.Name+":"+term.Term)
				}
			}
		}
		if !slices.Equal(active, tt.active) {
			t.Errorf("%q: active facet terms %q, want %q", tt.q, active, tt.active)
		}
	}
}
