package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any text typed in the search box parses or gives an error, never a panic, and
// what parses can be printed back: written back (Query.String), it parses as the same query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`oil spill`, `"water intake" -diesel`, `a OR b OR`, `country:ng year:2010..2012`,
		`-"`, `date:..2020`, `kind:`, `“curly” quotes`, `OR OR -OR`, `tag:"two words"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			return
		}
		for _, c := range q.Clauses {
			if len(c.Any) == 0 {
				t.Fatalf("%q: empty clause", s)
			}
			for _, term := range c.Any {
				if utf8.ValidString(s) && !utf8.ValidString(term.String()) {
					t.Fatalf("%q: term %q", s, term.String())
				}
			}
		}
		again, err := Parse(q.String())
		if err != nil {
			t.Fatalf("%q written back as %q: %v", s, q.String(), err)
		}
		if a, b := clauseKeys(q), clauseKeys(again); !slices.Equal(a, b) {
			t.Fatalf("%q written back as %q parses as %q, not %q", s, q.String(), b, a)
		}
	})
}

// clauseKeys is what a query means, clause by clause.
func clauseKeys(q Query) []string {
	var out []string
	for _, c := range q.Clauses {
		var k []string
		for _, t := range c.Any {
			k = append(k, fmt.Sprintf("%s/%v", t.key(), t.Phrase))
		}
		out = append(out, fmt.Sprintf("%v:%s", c.Not, strings.Join(k, "|")))
	}
	return out
}
