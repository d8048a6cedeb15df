package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// TestFuzzyMatchesBleve: the fuzzy query that looks its terms up once (fuzzy.go) finds what
// Bleve's fuzzy query finds, with the same scores, run once and run again.
func TestFuzzyMatchesBleve(t *testing.T) {
	bi := testBleve(t, map[string]map[string]any{
		"a": {"title": "Disarmament", "body_en": "disarmament and the environment, governments"},
		"b": {"body_en": "disarmed environmental government apartheid apartheid"},
		"c": {"body_en": "terrorism terrorist terror sovereignty"},
		"d": {"body_en": "Chernobyl, Palestinian refugees, colonialism"},
		"e": {"body": "kessa river commission"},
	})
	found := 0
	for _, w := range []string{"disarmamnet", "enviroment", "goverment", "aparthied", "terorism", "sovereignity", "chernobil", "kesa", "nothingsimilar"} {
		for _, field := range []string{"title", "body_en", "body"} {
			for _, fuzziness := range []int{1, 2} {
				bq := bleve.NewFuzzyQuery(w)
				bq.SetField(field)
				bq.SetFuzziness(fuzziness)
				bq.SetBoost(0.2)
				want := run(t, bi, bq)
				if want != "0:" {
					found++
				}
				fq := newFuzzyQuery(field, w, fuzziness, 0.2)
				for round := range 2 {
					if got := run(t, bi, fq); got != want {
						t.Errorf("%q in %s, fuzziness %d, run %d: got %s, Bleve %s", w, field, fuzziness, round+1, got, want)
					}
				}
			}
		}
	}
	if found < 10 {
		t.Errorf("only %d of the fuzzy queries find anything: the test checks too little", found)
	}
}
