package bench_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/cmd/chancery/bench"
	"chancery/cmd/chancery/bench/fts5peer"
	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		q, match string
		filter   fts5peer.Filter
	}{
		{`apartheid`, `"apartheid"*`, fts5peer.Filter{}},
		{`nuclear disarmament`, `"nuclear" AND "disarmament"*`, fts5peer.Filter{}},
		{`"law of the sea"`, `"law of the sea"`, fts5peer.Filter{}},
		{`"law of the sea" convention`, `"law of the sea" AND "convention"*`, fts5peer.Filter{}},
		{`refugees -syria`, `"refugees"* NOT "syria"`, fts5peer.Filter{}},
		{`sanctions OR embargo`, `("sanctions" OR "embargo")`, fts5peer.Filter{}},
		{`apartheid country:ZAF`, `"apartheid"*`, fts5peer.Filter{Countries: []string{"ZAF"}}},
		{`debt year:1980..1989`, `"debt"*`, fts5peer.Filter{YearFrom: 1980, YearTo: 1989}},
		{`oil country:NGA year:1975`, `"oil"*`, fts5peer.Filter{Countries: []string{"NGA"}, YearFrom: 1975, YearTo: 1975}},
		{`country:GHA`, ``, fts5peer.Filter{Countries: []string{"GHA"}}},
	}
	for _, tc := range tests {
		match, f, err := bench.Translate(tc.q)
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if match != tc.match || !slices.Equal(f.Countries, tc.filter.Countries) || f.YearFrom != tc.filter.YearFrom || f.YearTo != tc.filter.YearTo {
			t.Errorf("Translate(%s) = %q %+v, want %q %+v", tc.q, match, f, tc.match, tc.filter)
		}
	}
	if _, _, err := bench.Translate("kind:note"); err == nil {
		t.Error("a filter FTS5 has no column for was accepted")
	}
}

func TestQuerySet(t *testing.T) {
	qs := bench.Queries()
	if len(qs) < 60 {
		t.Errorf("%d queries, the issue asks for at least 60", len(qs))
	}
	byClass := map[string]int{}
	for _, q := range qs {
		byClass[q.Class]++
		if !slices.Contains(bench.Classes, q.Class) {
			t.Errorf("%q: unknown class %q", q.Text, q.Class)
		}
		if _, err := search.Parse(q.Text); err != nil {
			t.Errorf("%q does not parse: %v", q.Text, err)
		}
		if m, _, err := bench.Translate(q.Text); err != nil || m == "" {
			t.Errorf("%q has no FTS5 translation: %q, %v", q.Text, m, err)
		}
	}
	for _, c := range bench.Classes {
		if byClass[c] < 10 {
			t.Errorf("class %s has %d queries, want at least 10", c, byClass[c])
		}
	}
}

func TestJudgementSet(t *testing.T) {
	js := bench.Judgements()
	if err := bench.CheckJudgements(js); err != nil {
		t.Fatal(err)
	}
	n := 0
	forms := map[string]int{}
	for _, j := range js {
		n += len(j.Queries)
		for _, q := range j.Queries {
			forms[q.Form]++
		}
	}
	if n < 40 {
		t.Errorf("%d judged queries, the issue asks for at least 40", n)
	}
	for _, f := range bench.Forms {
		if forms[f] == 0 {
			t.Errorf("no query of form %s", f)
		}
	}
}

// TestJudgementsHoldInCorpus checks that each judgement's statements are exactly those its
// rule selects from the corpus. It reads the whole corpus, so it runs only when
// CHANCERY_CORPUS names the file:
//
//	CHANCERY_CORPUS=$PWD/../shared/corpora/ungd/ungd-1946-2024.jsonl.gz go test -run Judgements ./cmd/chancery/bench/
func TestJudgementsHoldInCorpus(t *testing.T) {
	path := os.Getenv("CHANCERY_CORPUS")
	if path == "" {
		t.Skip("set CHANCERY_CORPUS to the UN General Debate corpus file to check the judgements against it")
	}
	js := bench.Judgements()
	got := make([][]string, len(js))
	_, err := importer.EachStatement(context.Background(), path, func(_ string, st importer.Statement) error {
		for i, j := range js {
			if j.Matches(st.Text) {
				got[i] = append(got[i], st.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range js {
		slices.Sort(got[i])
		if !slices.Equal(got[i], j.Relevant) {
			t.Errorf("%s: the rule selects %d statements %v, the file lists %d", j.Subject, len(got[i]), got[i], len(j.Relevant))
		}
	}
}

func TestPrecisionRecall(t *testing.T) {
	rel := []string{"a", "b", "c"}
	tests := []struct {
		ranked  []string
		p5, r20 float64
		comment string
	}{
		{[]string{"a", "b", "c", "x", "y"}, 0.6, 1, "all found"},
		{[]string{"a"}, 0.2, 1.0 / 3, "fewer than five hits"},
		{[]string{"x", "y", "z", "w", "v", "a"}, 0, 1.0 / 3, "found after the fifth"},
		{nil, 0, 0, "nothing"},
	}
	for _, tc := range tests {
		p, r := bench.PrecisionRecall(tc.ranked, rel)
		if !near(p, tc.p5) || !near(r, tc.r20) {
			t.Errorf("%s: P@5 %.3f R@20 %.3f, want %.3f %.3f", tc.comment, p, r, tc.p5, tc.r20)
		}
	}
	// More than 20 relevant: recall is over 20, the most a top 20 can hold.
	var many, top []string
	for i := range 30 {
		many = append(many, string(rune('A'+i)))
	}
	top = many[:10]
	if _, r := bench.PrecisionRecall(top, many); !near(r, 0.5) {
		t.Errorf("R@20 with 30 relevant and 10 found = %.3f, want 0.5", r)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(101-i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := bench.Percentile(ds, p); got != want {
			t.Errorf("p%.0f = %v, want %v", p, got, want)
		}
	}
	if got := bench.Percentile(nil, 50); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
}

// writeCorpus writes a small corpus file in the UN General Debate format.
func writeCorpus(t *testing.T, sts []importer.Statement) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mini.jsonl.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	for _, s := range sts {
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBothEngines builds both engines from a small corpus and checks they answer the same
// queries, with the figures the tables print.
func TestBothEngines(t *testing.T) {
	ctx := context.Background()
	filler := " The General Assembly meets again this year to consider the questions before it."
	corpus := writeCorpus(t, []importer.Statement{
		{ID: "UKR_41_1986", Country: "UKR", Session: 41, Year: 1986, Text: "The accident at the Chernobyl nuclear power station. Chernobyl showed the dangers." + filler},
		{ID: "BLR_45_1990", Country: "BLR", Session: 45, Year: 1990, Text: "Belarus still suffers from Chernobyl." + filler},
		{ID: "IDN_60_2005", Country: "IDN", Session: 60, Year: 2005, Text: "The tsunami destroyed Aceh. Tsunamis can strike again." + filler},
		{ID: "GHA_45_1990", Country: "GHA", Session: 45, Year: 1990, Text: "Ghana condemns the invasion of Kuwait." + filler},
		{ID: "FRA_50_1995", Country: "FRA", Session: 50, Year: 1995, Text: "France speaks of disarmament and the test-ban treaty." + filler},
	})
	work := t.TempDir()
	cb, err := bench.BuildChancery(ctx, corpus, filepath.Join(work, bench.ChanceryDir))
	if err != nil {
		t.Fatal(err)
	}
	fb, err := bench.BuildFTS5(ctx, corpus, filepath.Join(work, bench.FTS5Dir))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := bench.BuildTunedAt(ctx, corpus, filepath.Join(work, bench.TunedDir), bench.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cb.Items != 5 || fb.Items != 5 || tb.Items != 5 || cb.Bytes == 0 || fb.Bytes == 0 || tb.Bytes == 0 || cb.StoreBytes == 0 {
		t.Errorf("builds: %+v %+v %+v", cb, fb, tb)
	}
	engines, closeAll, err := bench.Open(ctx, work)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	for _, e := range engines {
		a, err := e.Search(ctx, "Chernobyl", 10, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.IDs) != 2 || a.IDs[0] != "UKR_41_1986" {
			t.Errorf("%s: Chernobyl → %v, want UKR_41_1986 first of two", e.Name(), a.IDs)
		}
		if !strings.Contains(a.Snippets[0], "\x02Chernobyl\x03") {
			t.Errorf("%s: snippet %q does not mark the word", e.Name(), a.Snippets[0])
		}
		if a.Facets == 0 {
			t.Errorf("%s: no facets", e.Name())
		}
		a, err = e.Search(ctx, "invasion country:GHA year:1990", 10, false)
		if err != nil || len(a.IDs) != 1 || a.IDs[0] != "GHA_45_1990" {
			t.Errorf("%s: filtered search → %v, %v", e.Name(), a.IDs, err)
		}
	}

	js := []bench.Judgement{{
		Subject:  "Chernobyl",
		Rule:     map[string]int{"chernobyl": 1},
		Queries:  []bench.JudgedQuery{{Form: "whole", Text: "Chernobyl"}, {Form: "misspelt", Text: "Chernobil"}},
		Relevant: []string{"BLR_45_1990", "UKR_41_1986"},
	}}
	s, err := bench.RunRelevance(ctx, engines, js)
	if err != nil {
		t.Fatal(err)
	}
	// Both find the whole word; only Chancery forgives the typo.
	if c := s[0].ByForm["whole"]; !near(c[0], 0.4) || !near(c[1], 1) {
		t.Errorf("Chancery whole word: %v, want P@5 0.4 R@20 1", c)
	}
	for _, f := range s[1:] {
		if w := f.ByForm["whole"]; !near(w[0], 0.4) || !near(w[1], 1) {
			t.Errorf("%s whole word: %v, want P@5 0.4 R@20 1", f.Engine, w)
		}
		if m := f.ByForm["misspelt"]; m[1] != 0 {
			t.Errorf("%s misspelt: %v, want nothing found", f.Engine, m)
		}
	}
	if c := s[0].ByForm["misspelt"]; !near(c[1], 1) {
		t.Errorf("Chancery misspelt: %v, want R@20 1", c)
	}

	lat, err := bench.RunLatency(ctx, engines, []bench.Query{{Class: "word", Text: "tsunami"}, {Class: "phrase", Text: `"invasion of Kuwait"`}}, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range engines {
		if len(lat[i]["word"]) != 2 || len(lat[i]["phrase"]) != 2 {
			t.Errorf("%s: latencies %v, want two per class", engines[i].Name(), lat[i])
		}
	}
	typing, err := bench.RunTyping(ctx, engines, []bench.Query{{Class: "word", Text: "tsu"}})
	if err != nil || len(typing[0]) != 3 || len(typing[1]) != 3 || len(typing[2]) != 3 {
		t.Errorf("typing: %v, %v; want three keystrokes each", typing, err)
	}
}

func TestMissingCorpus(t *testing.T) {
	_, err := bench.BuildChancery(context.Background(), filepath.Join(t.TempDir(), "nope.jsonl.gz"), t.TempDir())
	if !errors.Is(err, bench.ErrNoCorpus) || !strings.Contains(err.Error(), "nope.jsonl.gz") {
		t.Errorf("err = %v, want ErrNoCorpus naming the file", err)
	}
}

// TestBuildDeletesOnlyItsOwnFolder: a build deletes the folder it builds in only when the
// bench made it (its marker is there) and no Chancery process has it open; a knowledge base
// of the user's (no marker), or one open in the app, is refused in words naming it and kept.
func TestBuildDeletesOnlyItsOwnFolder(t *testing.T) {
	ctx := context.Background()
	corpus := writeCorpus(t, []importer.Statement{
		{ID: "GHA_45_1990", Country: "GHA", Session: 45, Year: 1990, Text: "Ghana condemns the invasion of Kuwait."},
	})
	work := t.TempDir()

	// A real knowledge base where --work points (--work ~/.local/share), not made by the bench.
	mine := filepath.Join(work, bench.ChanceryDir)
	db, err := store.Open(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "My only copy", Body: "years of notes"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	fts := filepath.Join(work, bench.FTS5Dir)
	if err := os.MkdirAll(fts, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fts, "someone-else.txt"), []byte("not the bench's"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, build := range []struct {
		name string
		dir  string
		run  func(context.Context, string, string) (bench.Build, error)
	}{{"Chancery", mine, bench.BuildChancery}, {"FTS5", fts, bench.BuildFTS5}} {
		_, err := build.run(ctx, corpus, build.dir)
		if err == nil || !strings.Contains(err.Error(), build.dir) || !strings.Contains(err.Error(), "not made by the bench") {
			t.Errorf("%s build in a folder the bench did not make: %v", build.name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(fts, "someone-else.txt")); err != nil {
		t.Errorf("the FTS5 build deleted a folder it did not make: %v", err)
	}
	db, err = store.Open(ctx, mine)
	if err != nil {
		t.Fatal(err)
	}
	if ts, err := db.Titles(ctx); err != nil || len(ts) != 1 || ts[0].Title != "My only copy" {
		t.Errorf("the user's knowledge base after the bench: %+v, %v", ts, err)
	}
	db.Close()

	// A folder the bench made is built again, but not while the app has it open.
	own := filepath.Join(t.TempDir(), bench.ChanceryDir)
	if _, err := bench.BuildChancery(ctx, corpus, own); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bench.BuildChancery(ctx, corpus, own)
	if err == nil || !strings.Contains(err.Error(), own) || !strings.Contains(err.Error(), "open in another") {
		t.Errorf("build while the app has it open: %v", err)
	}
	if st, err := db.Stats(ctx); err != nil || st.Live != 1 {
		t.Errorf("the open knowledge base after the bench: %+v, %v", st, err)
	}
	db.Close()
	if b, err := bench.BuildChancery(ctx, corpus, own); err != nil || b.Items != 1 {
		t.Errorf("rebuilding the bench's own folder: %+v, %v", b, err)
	}
}
