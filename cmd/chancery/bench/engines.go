package bench

import (
	"context"
	"fmt"
	"strings"

	"chancery/cmd/chancery/bench/fts5peer"
	"chancery/search"
)

// Engine is a search engine under measurement: Chancery's index or the FTS5 peer.
type Engine interface {
	Name() string
	// Search answers a query as a search screen asks it: the top n with highlighted
	// snippets, and facet counts when facets is set. It returns the hits' IDs (statement IDs,
	// like "GHA_45_1990") and snippets.
	Search(ctx context.Context, q string, n int, facets bool) (Answer, error)
}

// Answer is what an engine returned for one query.
type Answer struct {
	IDs      []string
	Snippets []string // one per hit, matched terms between \x02 and \x03
	Facets   int      // facet values returned
}

// Chancery is Chancery's own index as an engine. IDs maps the store's item IDs to
// statement IDs.
type Chancery struct {
	Index *search.Index
	IDs   map[string]string
}

func (Chancery) Name() string { return "Chancery" }

// Forget drops what the index keeps from one search to the next (search.Index.ForgetKept):
// timed searches each start from nothing kept, as a new query does.
func (c Chancery) Forget() { c.Index.ForgetKept() }

// forgetter is an engine that keeps something from one search to the next.
type forgetter interface{ Forget() }

// fresh makes e forget what its searches kept, before a search that is timed: the bench's
// rounds repeat every query, and what Chancery keeps for an index snapshot (a word's
// completions and typo neighbours, the last hits' stored fields) would answer the repeats
// (and the keystrokes, after the rounds) faster than a new query. FTS5 keeps nothing of
// the kind (SQLite's page cache is kept, as the system keeps Chancery's index pages).
func fresh(e Engine) {
	if f, ok := e.(forgetter); ok {
		f.Forget()
	}
}

func (c Chancery) Search(ctx context.Context, q string, n int, facets bool) (Answer, error) {
	res, err := c.Index.Search(ctx, q, search.Options{Size: n, Facets: facets})
	if err != nil {
		return Answer{}, err
	}
	var a Answer
	for _, h := range res.Hits {
		id := c.IDs[h.ID]
		if id == "" {
			id = h.ID
		}
		a.IDs = append(a.IDs, id)
		var sb strings.Builder
		for i, s := range h.Snippets {
			if i > 0 {
				sb.WriteString(" … ")
			}
			for _, sp := range s {
				if sp.Match {
					sb.WriteString("\x02" + sp.Text + "\x03")
				} else {
					sb.WriteString(sp.Text)
				}
			}
		}
		a.Snippets = append(a.Snippets, sb.String())
	}
	for _, f := range res.Facets {
		a.Facets += len(f.Terms)
	}
	return a, nil
}

// FTS5 is the peer as an engine.
type FTS5 struct {
	DB *fts5peer.DB
}

func (FTS5) Name() string { return "FTS5 default" }

func (f FTS5) Search(ctx context.Context, q string, n int, facets bool) (Answer, error) {
	return fts5Answer(q, func(match string, filter fts5peer.Filter) ([]fts5peer.Hit, int, error) {
		res, err := f.DB.Search(ctx, match, filter, n, facets)
		return res.Hits, len(res.Countries) + len(res.Years), err
	})
}

// fts5Answer asks an FTS5 peer (search: its hits and how many facet values it counted)
// the query q in its own syntax (Translate); a query with nothing to match has no answer.
func fts5Answer(q string, search func(match string, filter fts5peer.Filter) ([]fts5peer.Hit, int, error)) (Answer, error) {
	match, filter, err := Translate(q)
	if err != nil {
		return Answer{}, err
	}
	if match == "" {
		return Answer{}, nil
	}
	hits, facets, err := search(match, filter)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Facets: facets}
	for _, h := range hits {
		a.IDs = append(a.IDs, h.ID)
		a.Snippets = append(a.Snippets, h.Snippet)
	}
	return a, nil
}

// FTS5Tuned is the tuned peer as an engine.
type FTS5Tuned struct {
	DB *fts5peer.Tuned
}

func (FTS5Tuned) Name() string { return "FTS5 tuned" }

func (f FTS5Tuned) Search(ctx context.Context, q string, n int, facets bool) (Answer, error) {
	return fts5Answer(q, func(match string, filter fts5peer.Filter) ([]fts5peer.Hit, int, error) {
		res, err := f.DB.Search(ctx, match, filter, n, facets)
		return res.Hits, len(res.Kinds) + len(res.Countries) + len(res.Topics) + len(res.Years), err
	})
}

// Translate turns a query in Chancery's language into what a developer using FTS5 would
// send for it: each word quoted (so that FTS5 syntax in it is taken literally) and joined by
// AND, the last word as a prefix (results as you type), "phrases", OR, NOT, and the
// country and year filters as a WHERE clause. Filters FTS5 has no column for (kind, topic,
// tag, class, language) are an error: the query set does not use them.
func Translate(q string) (string, fts5peer.Filter, error) {
	parsed, err := search.Parse(q)
	if err != nil {
		return "", fts5peer.Filter{}, err
	}
	var f fts5peer.Filter
	var must, not []string
	lastWord := -1
	for _, c := range parsed.Clauses {
		var alts []string
		for _, t := range c.Any {
			switch t.Field {
			case "":
				s := `"` + strings.ReplaceAll(t.Text, `"`, `""`) + `"`
				if !t.Phrase && !c.Not {
					lastWord = len(must)
				}
				alts = append(alts, s)
			case "country":
				f.Countries = append(f.Countries, t.Text)
			case "date":
				if !t.From.IsZero() {
					f.YearFrom = t.From.Year()
				}
				if !t.To.IsZero() {
					f.YearTo = t.To.Add(-1).Year()
				}
			default:
				return "", f, fmt.Errorf("the FTS5 peer has no %s column: %s", t.Field, q)
			}
		}
		if len(alts) == 0 {
			continue
		}
		s := strings.Join(alts, " OR ")
		if len(alts) > 1 {
			s = "(" + s + ")"
		}
		if c.Not {
			not = append(not, s)
		} else {
			must = append(must, s)
		}
	}
	if lastWord >= 0 && !strings.HasPrefix(must[lastWord], "(") {
		must[lastWord] += "*"
	}
	if len(must) == 0 {
		return "", f, nil
	}
	match := strings.Join(must, " AND ")
	for _, n := range not {
		match += " NOT " + n
	}
	return match, f, nil
}
