package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// PrintBuilds prints the indexing table: Chancery against FTS5, with the ratio.
func PrintBuilds(w io.Writer, c, f Build) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Indexing %d statements\tChancery\tFTS5\tChancery/FTS5\t\n", c.Items)
	rate := func(b Build) float64 { return float64(b.Items) / b.Total.Seconds() }
	fmt.Fprintf(tw, "items/s\t%.0f\t%.0f\t%.2f\t\n", rate(c), rate(f), rate(c)/rate(f))
	fmt.Fprintf(tw, "total time\t%s\t%s\t%.2f\t\n", secs(c.Total), secs(f.Total), c.Total.Seconds()/f.Total.Seconds())
	fmt.Fprintf(tw, "  store written, index following\t%s\t-\t\t\n", secs(c.Store))
	fmt.Fprintf(tw, "  index catching up after\t%s\t-\t\t\n", secs(c.Index))
	fmt.Fprintf(tw, "index size on disk\t%s\t%s\t%.2f\t\n", mb(c.Bytes), mb(f.Bytes), float64(c.Bytes)/float64(f.Bytes))
	fmt.Fprintf(tw, "  store beside it\t%s\t-\t\t\n", mb(c.StoreBytes))
	if c.PeakRSS > 0 && f.PeakRSS > 0 {
		fmt.Fprintf(tw, "peak memory (RSS)\t%s\t%s\t%.2f\t\n", mb(c.PeakRSS), mb(f.PeakRSS), float64(c.PeakRSS)/float64(f.PeakRSS))
	}
	tw.Flush()
}

// PrintLatency prints p50/p95/p99 by query class for two engines, with the ratio of the
// first to the second.
func PrintLatency(w io.Writer, title string, names [2]string, lat [2]Latencies) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tn\tp50 %s\tp50 %s\tratio\tp95 %s\tp95 %s\tratio\tp99 %s\tp99 %s\tratio\t\n",
		title, names[0], names[1], names[0], names[1], names[0], names[1])
	var all [2][]time.Duration
	row := func(label string, a, b []time.Duration) {
		fmt.Fprintf(tw, "%s\t%d", label, len(a))
		for _, p := range []float64{50, 95, 99} {
			x, y := Percentile(a, p), Percentile(b, p)
			fmt.Fprintf(tw, "\t%s\t%s\t%s", ms(x), ms(y), ratio(x, y))
		}
		fmt.Fprint(tw, "\t\n")
	}
	for _, c := range Classes {
		a, b := lat[0][c], lat[1][c]
		if len(a) == 0 {
			continue
		}
		all[0], all[1] = append(all[0], a...), append(all[1], b...)
		row(c, a, b)
	}
	row("all", all[0], all[1])
	tw.Flush()
}

// PrintTyping prints the per-keystroke times of search as you type.
func PrintTyping(w io.Writer, names [2]string, t [2][]time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "As you type (per keystroke)\tn\tp50\tp95\tp99\tmax\t\n")
	for i, n := range names {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", n, len(t[i]), ms(Percentile(t[i], 50)), ms(Percentile(t[i], 95)), ms(Percentile(t[i], 99)), ms(Percentile(t[i], 100)))
	}
	tw.Flush()
}

// PrintRelevance prints precision@5 and recall@20, overall and by form of query.
func PrintRelevance(w io.Writer, s []Scores) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "Relevance\tqueries")
	for _, e := range s {
		fmt.Fprintf(tw, "\tP@5 %s\tR@20 %s", e.Engine, e.Engine)
	}
	fmt.Fprint(tw, "\t\n")
	count := func(form string) int {
		n := 0
		for _, q := range s[0].PerQuery {
			if q.Form == form {
				n++
			}
		}
		return n
	}
	for _, f := range Forms {
		if count(f) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d", formLabel[f], count(f))
		for _, e := range s {
			fmt.Fprintf(tw, "\t%.3f\t%.3f", e.ByForm[f][0], e.ByForm[f][1])
		}
		fmt.Fprint(tw, "\t\n")
	}
	fmt.Fprintf(tw, "all\t%d", s[0].Queries)
	for _, e := range s {
		fmt.Fprintf(tw, "\t%.3f\t%.3f", e.PrecisionAt5, e.RecallAt20)
	}
	fmt.Fprint(tw, "\t\n")
	tw.Flush()
}

// PrintRelevanceDetail lists the queries where the engines' figures differ.
func PrintRelevanceDetail(w io.Writer, s []Scores) {
	if len(s) != 2 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "query\tform\tP@5 %s\tR@20 %s\tP@5 %s\tR@20 %s\n", s[0].Engine, s[0].Engine, s[1].Engine, s[1].Engine)
	for i, a := range s[0].PerQuery {
		b := s[1].PerQuery[i]
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\n", a.Query, a.Form, a.P5, a.R20, b.P5, b.R20)
	}
	tw.Flush()
}

var formLabel = map[string]string{
	"whole": "whole word", "form": "other form (plural…)", "partial": "partial word", "misspelt": "misspelt",
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

func ratio(a, b time.Duration) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

// Rule draws a line under a heading.
func Rule(w io.Writer, heading string) {
	fmt.Fprintf(w, "\n%s\n%s\n", heading, strings.Repeat("─", len([]rune(heading))))
}

// ReportOptions choose the parts of a report after the indexes are built.
type ReportOptions struct {
	Latency, Typing, Relevance bool
	Rounds                     int  // repetitions of each query for the latency tables
	Detail                     bool // list each judged query's figures
}

// Report runs the chosen parts on two engines (Chancery's and the peer) and prints their
// tables to w.
func Report(ctx context.Context, w io.Writer, engines []Engine, opt ReportOptions) error {
	names := [2]string{engines[0].Name(), engines[1].Name()}
	if opt.Latency {
		qs := Queries()
		for _, facets := range []bool{false, true} {
			lat, err := RunLatency(ctx, engines, qs, opt.Rounds, facets)
			if err != nil {
				return err
			}
			title := "Top 10 + snippets"
			if facets {
				title += " + facets"
			}
			Rule(w, fmt.Sprintf("Latency: %s (%d queries × %d rounds, warm)", title, len(qs), opt.Rounds))
			PrintLatency(w, "class", names, [2]Latencies{lat[0], lat[1]})
		}
	}
	if opt.Typing {
		t, err := RunTyping(ctx, engines, Queries())
		if err != nil {
			return err
		}
		Rule(w, "Search as you type: top 10 + snippets + facets at every keystroke of the query set")
		PrintTyping(w, names, [2][]time.Duration{t[0], t[1]})
	}
	if opt.Relevance {
		js := Judgements()
		if err := CheckJudgements(js); err != nil {
			return err
		}
		s, err := RunRelevance(ctx, engines, js)
		if err != nil {
			return err
		}
		Rule(w, fmt.Sprintf("Relevance: %d queries on %d subjects (bench/judgements.json)", s[0].Queries, len(js)))
		PrintRelevance(w, s)
		if opt.Detail {
			fmt.Fprintln(w)
			PrintRelevanceDetail(w, s)
		}
	}
	return nil
}
