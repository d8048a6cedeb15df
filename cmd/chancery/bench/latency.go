package bench

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"
)

//go:embed queries.txt
var queriesFile string

// Query is one query of the benchmark's set.
type Query struct {
	Class, Text string
}

// Classes are the query classes in the order the tables show them.
var Classes = []string{"word", "words", "phrase", "partial", "misspelt", "filtered"}

// Queries is the committed query set (queries.txt).
func Queries() []Query {
	var out []Query
	sc := bufio.NewScanner(strings.NewReader(queriesFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		class, text, ok := strings.Cut(line, "\t")
		if !ok {
			panic("bench: queries.txt: no tab in " + line)
		}
		out = append(out, Query{Class: class, Text: text})
	}
	return out
}

// Latencies are the times one engine took, by query class.
type Latencies map[string][]time.Duration

// Percentile returns the p-th percentile (0 < p <= 100) of ds, by the nearest-rank method.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(float64(len(s))*p/100+0.999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

// RunLatency runs every query rounds times on each engine (after one round to warm up),
// top 10 with snippets, and with facets when facets is set, and returns the times by class.
// The engines take turns query by query, so that both see the same machine.
func RunLatency(ctx context.Context, engines []Engine, queries []Query, rounds int, facets bool) ([]Latencies, error) {
	out := make([]Latencies, len(engines))
	for i := range out {
		out[i] = Latencies{}
	}
	for r := -1; r < rounds; r++ {
		for _, q := range queries {
			for i, e := range engines {
				fresh(e)
				start := time.Now()
				if _, err := e.Search(ctx, q.Text, 10, facets); err != nil {
					return nil, fmt.Errorf("%s: %q: %w", e.Name(), q.Text, err)
				}
				if r >= 0 {
					out[i][q.Class] = append(out[i][q.Class], time.Since(start))
				}
			}
		}
	}
	return out, nil
}

// RunTyping types each query of the set a character at a time and searches at every
// keystroke, as the search screen does (top 10, snippets, facets; the screen asks for 100
// hits, which on 233,523 items took "nuclear" as long within noise), and returns each
// engine's times per keystroke. A keystroke that leaves an unfinished query (an open quote,
// "country:Z") is answered with its error, and counted too.
func RunTyping(ctx context.Context, engines []Engine, queries []Query) ([][]time.Duration, error) {
	out := make([][]time.Duration, len(engines))
	for _, q := range queries {
		r := []rune(q.Text)
		for n := 1; n <= len(r); n++ {
			typed := string(r[:n])
			if strings.TrimSpace(typed) == "" {
				continue
			}
			for i, e := range engines {
				fresh(e)
				start := time.Now()
				_, _ = e.Search(ctx, typed, 10, true)
				out[i] = append(out[i], time.Since(start))
			}
		}
	}
	return out, nil
}
