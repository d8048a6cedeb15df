package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ParseSizes reads a list of sizes ("10952,50000,120000,233523"; "all" or 0 for the whole
// corpus), ascending, without repeats.
func ParseSizes(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(strings.ReplaceAll(f, "_", ""))
		if f == "" {
			continue
		}
		if f == "all" {
			out = append(out, 0)
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("--sizes: %q is not a number of items", f)
		}
		out = append(out, n)
	}
	return normalSizes(out), nil
}

// normalSizes sorts sizes, 0 (the whole corpus) last, without repeats.
func normalSizes(sizes []int) []int {
	out := slices.Clone(sizes)
	for i := range out {
		if out[i] <= 0 {
			out[i] = math.MaxInt
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	for i := range out {
		if out[i] == math.MaxInt {
			out[i] = 0
		}
	}
	return out
}

// Sizes are the points a bench measures for a scale: the whole corpus of the scale (0), or
// the curve (CurveSizes, up to the scale's size) when curve is set; explicit sizes win.
// The statements scale is the corpus's 10,952 statements, the paragraphs scale adds
// their 222,571 paragraphs (233,523 items).
func Sizes(scale string, curve bool, explicit []int) ([]int, bool, error) {
	var paragraphs bool
	switch scale {
	case "statements", "":
	case "paragraphs":
		paragraphs = true
	default:
		return nil, false, fmt.Errorf("--scale: %q is not statements or paragraphs", scale)
	}
	if len(explicit) > 0 {
		if !paragraphs && slices.ContainsFunc(explicit, func(n int) bool { return n > Statements }) {
			paragraphs = true // sizes beyond the statements take paragraphs ("all" is the scale's)
		}
		return explicit, paragraphs, nil
	}
	if !curve {
		return []int{0}, paragraphs, nil
	}
	if !paragraphs {
		return []int{0}, false, nil // the statements scale is the curve's first point
	}
	return slices.Clone(CurveSizes), true, nil
}

// RoundsAt is how many rounds the latency tables run at a size: rounds at the statements
// scale, fewer as the corpus grows (at least two), so that one run of the whole curve
// stays within its time.
func RoundsAt(rounds, items int) int {
	if items <= Statements {
		return rounds
	}
	r := (rounds*Statements + items - 1) / items
	return min(rounds, max(2, r))
}

// shuffled is a fixed shuffle of n positions, the same in every run: an engine whose time
// budget runs out has been measured on a fair sample, not on the first queries only.
func shuffled(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	r := rand.New(rand.NewPCG(15, 2026))
	r.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// timed runs work for each engine in turn over items (in a fixed shuffled order), each
// engine until it has spent budget (0: no limit), after warming up on the first items in
// their given order for at most a quarter of budget (or one pass when budget is 0 and warm
// is set). It returns the times by engine and item.
func timed(ctx context.Context, engines []Engine, n int, warm bool, budget time.Duration, run func(e Engine, item int) error) ([][]int, [][]time.Duration, error) {
	items := make([][]int, len(engines))
	times := make([][]time.Duration, len(engines))
	if warm {
		spent := make([]time.Duration, len(engines))
		for k := range n {
			for i, e := range engines {
				if budget > 0 && spent[i] >= budget/4 {
					continue
				}
				fresh(e)
				start := time.Now()
				if err := run(e, k); err != nil {
					return nil, nil, err
				}
				spent[i] += time.Since(start)
			}
		}
	}
	spent := make([]time.Duration, len(engines))
	for _, k := range shuffled(n) {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for i, e := range engines {
			if budget > 0 && spent[i] >= budget {
				continue
			}
			fresh(e)
			start := time.Now()
			if err := run(e, k); err != nil {
				return nil, nil, err
			}
			d := time.Since(start)
			spent[i] += d
			items[i] = append(items[i], k)
			times[i] = append(times[i], d)
		}
	}
	return items, times, nil
}

// RunLatencyBudget is RunLatency with a time budget per engine: the query set's rounds are
// run in a fixed shuffled order, engines taking turns query by query, and an engine stops
// when it has spent budget (0: no limit); the warm-up round gets a quarter of it.
func RunLatencyBudget(ctx context.Context, engines []Engine, queries []Query, rounds int, facets bool, budget time.Duration) ([]Latencies, error) {
	n := len(queries) * rounds
	items, times, err := timed(ctx, engines, n, true, budget, func(e Engine, k int) error {
		q := queries[k%len(queries)]
		if _, err := e.Search(ctx, q.Text, 10, facets); err != nil {
			return fmt.Errorf("%s: %q: %w", e.Name(), q.Text, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Latencies, len(engines))
	for i := range engines {
		out[i] = Latencies{}
		for j, k := range items[i] {
			c := queries[k%len(queries)].Class
			out[i][c] = append(out[i][c], times[i][j])
		}
	}
	return out, nil
}

// Keystrokes are what typing the queries a character at a time sends, one search each.
func Keystrokes(queries []Query) []string {
	var out []string
	for _, q := range queries {
		r := []rune(q.Text)
		for n := 1; n <= len(r); n++ {
			if typed := string(r[:n]); strings.TrimSpace(typed) != "" {
				out = append(out, typed)
			}
		}
	}
	return out
}

// RunTypingBudget is RunTyping with a time budget per engine, the keystrokes in a fixed
// shuffled order (see RunLatencyBudget); no warm-up (the latency tables ran before).
func RunTypingBudget(ctx context.Context, engines []Engine, queries []Query, budget time.Duration) ([][]time.Duration, error) {
	keys := Keystrokes(queries)
	_, times, err := timed(ctx, engines, len(keys), false, budget, func(e Engine, k int) error {
		_, _ = e.Search(ctx, keys[k], 10, true)
		return nil
	})
	return times, err
}

// ByStatement is an engine over a corpus with paragraphs, answering for statements: it asks
// for five times as many hits, maps each paragraph to its statement (StatementOf), keeps
// the first of each, and returns the first n. The relevance set judges statements, so
// this is how it is scored where paragraphs are items of their own.
type ByStatement struct{ Engine }

func (s ByStatement) Search(ctx context.Context, q string, n int, facets bool) (Answer, error) {
	a, err := s.Engine.Search(ctx, q, n*5, facets)
	if err != nil {
		return a, err
	}
	var out Answer
	out.Facets = a.Facets
	seen := map[string]bool{}
	for i, id := range a.IDs {
		st := StatementOf(id)
		if seen[st] || len(out.IDs) == n {
			continue
		}
		seen[st] = true
		out.IDs = append(out.IDs, st)
		out.Snippets = append(out.Snippets, a.Snippets[i])
	}
	return out, nil
}
