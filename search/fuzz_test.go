package search

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse: any text typed in the search box parses or gives an error, never a panic, and
// what parses can be printed back.
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
	})
}
