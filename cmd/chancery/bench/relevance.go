package bench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

//go:embed judgements.json
var judgementsFile []byte

// Judgement is a subject of the relevance set: the statements that must come back for it,
// and the queries that ask for it, written as a person would type them (the whole word, a
// partial word, a misspelling, another form of the word).
//
// Rule says how the statements were chosen, so that anyone can check them against the
// corpus: each pattern (a case-insensitive regular expression) must occur in the statement
// at least as many times as given. Relevant is the list of statements the rule selects.
type Judgement struct {
	Subject  string         `json:"subject"`
	Rule     map[string]int `json:"rule"`
	Queries  []JudgedQuery  `json:"queries"`
	Relevant []string       `json:"relevant"`
}

// JudgedQuery is one way of asking for a judgement's subject.
type JudgedQuery struct {
	Form string `json:"form"` // whole, partial, misspelt, form (plural/singular/other inflection)
	Text string `json:"text"`
}

// Judgements is the committed relevance set (judgements.json).
func Judgements() []Judgement {
	var js []Judgement
	if err := json.Unmarshal(judgementsFile, &js); err != nil {
		panic("bench: judgements.json: " + err.Error())
	}
	return js
}

// Matches reports whether a statement's text satisfies the judgement's rule.
func (j Judgement) Matches(text string) bool {
	for pat, n := range j.Rule {
		re := ruleRegexp(pat)
		if len(re.FindAllStringIndex(text, n)) < n {
			return false
		}
	}
	return true
}

var ruleCache = map[string]*regexp.Regexp{}

func ruleRegexp(pat string) *regexp.Regexp {
	re, ok := ruleCache[pat]
	if !ok {
		re = regexp.MustCompile("(?i)" + pat)
		ruleCache[pat] = re
	}
	return re
}

// Scores are an engine's relevance figures: means over the queries, overall and by form.
type Scores struct {
	Engine            string
	PrecisionAt5      float64
	RecallAt20        float64
	ByForm            map[string][2]float64 // form: precision@5, recall@20
	Queries           int
	PerQuery          []QueryScore
	formSums          map[string][3]float64
	sumP, sumR, count float64
}

// QueryScore is the figures of one query.
type QueryScore struct {
	Query, Form string
	P5, R20     float64
}

// PrecisionRecall computes precision at 5 (relevant among the first five, over five) and
// recall at 20 (relevant among the first twenty, over the relevant ones, or over 20 where
// there are more than 20) for one ranked answer.
func PrecisionRecall(ranked, relevant []string) (p5, r20 float64) {
	rel := make(map[string]bool, len(relevant))
	for _, id := range relevant {
		rel[id] = true
	}
	hits := 0
	for i, id := range ranked[:min(len(ranked), 20)] {
		if rel[id] {
			hits++
		}
		if i == 4 {
			p5 = float64(hits) / 5
		}
	}
	if len(ranked) < 5 {
		p5 = float64(hits) / 5
	}
	if len(relevant) > 0 {
		r20 = float64(hits) / float64(min(len(relevant), 20))
	}
	return p5, r20
}

// RunRelevance asks each engine every judged query (top 20) and scores the answers.
func RunRelevance(ctx context.Context, engines []Engine, js []Judgement) ([]Scores, error) {
	out := make([]Scores, len(engines))
	for i, e := range engines {
		s := &out[i]
		s.Engine = e.Name()
		s.formSums = map[string][3]float64{}
		for _, j := range js {
			for _, q := range j.Queries {
				a, err := e.Search(ctx, q.Text, 20, false)
				if err != nil {
					return nil, fmt.Errorf("%s: %q: %w", e.Name(), q.Text, err)
				}
				p, r := PrecisionRecall(a.IDs, j.Relevant)
				s.PerQuery = append(s.PerQuery, QueryScore{Query: q.Text, Form: q.Form, P5: p, R20: r})
				s.sumP += p
				s.sumR += r
				s.count++
				f := s.formSums[q.Form]
				s.formSums[q.Form] = [3]float64{f[0] + p, f[1] + r, f[2] + 1}
			}
		}
		s.Queries = int(s.count)
		if s.count > 0 {
			s.PrecisionAt5, s.RecallAt20 = s.sumP/s.count, s.sumR/s.count
		}
		s.ByForm = map[string][2]float64{}
		for f, v := range s.formSums {
			s.ByForm[f] = [2]float64{v[0] / v[2], v[1] / v[2]}
		}
	}
	return out, nil
}

// Forms are the query forms in the order the relevance table shows them.
var Forms = []string{"whole", "form", "partial", "misspelt"}

// CheckJudgements checks the set is well formed: every subject has a rule, queries and
// relevant statements, and every form is known.
func CheckJudgements(js []Judgement) error {
	var problems []string
	for _, j := range js {
		if len(j.Rule) == 0 || len(j.Queries) == 0 || len(j.Relevant) == 0 {
			problems = append(problems, j.Subject+": needs a rule, queries and relevant statements")
		}
		for _, q := range j.Queries {
			if !slices.Contains(Forms, q.Form) {
				problems = append(problems, fmt.Sprintf("%s: query %q has unknown form %q", j.Subject, q.Text, q.Form))
			}
		}
		for pat := range j.Rule {
			if _, err := regexp.Compile(pat); err != nil {
				problems = append(problems, fmt.Sprintf("%s: rule %q: %v", j.Subject, pat, err))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("judgements: %s", strings.Join(problems, "; "))
	}
	return nil
}
