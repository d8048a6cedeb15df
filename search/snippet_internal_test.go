package search

import (
	"strings"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

func TestMakeSnippets(t *testing.T) {
	text := "Début : la rivière Ossera.\nPlus loin, rien. " + strings.Repeat("Mot neutre ", 40) +
		"Ici la rivière et le dépôt de Kassiba, puis encore la rivière."
	find := func(word string, nth int) *bsearch.Location {
		i := -1
		for range nth + 1 {
			j := strings.Index(text[i+1:], word)
			i += 1 + j
		}
		return &bsearch.Location{Start: uint64(i), End: uint64(i + len(word))}
	}
	locs := bsearch.TermLocationMap{
		"rivi":  {find("rivière", 0), find("rivière", 1), find("rivière", 2)},
		"dépôt": {find("dépôt", 0)},
	}
	spans, terms := locationsIn(locs, text)
	got := makeSnippets(text, spans, terms)
	if len(got) != 2 {
		t.Fatalf("%d snippets, want 2: %v", len(got), got)
	}
	// Best first: the window with both words, then the one at the start.
	first, second := got[0].String(), got[1].String()
	var marked []string
	for _, sp := range got[0] {
		if sp.Match {
			marked = append(marked, sp.Text)
		}
	}
	if strings.Join(marked, "|") != "rivière|dépôt|rivière" {
		t.Errorf("first snippet marks %v, want rivière, dépôt, rivière: %q", marked, first)
	}
	if !strings.HasPrefix(first, "… ") || strings.HasSuffix(first, "…") {
		t.Errorf("first snippet %q: want a leading … and no trailing one (it reaches the end)", first)
	}
	if !strings.HasPrefix(second, "Début : la «rivière» Ossera. Plus") || !strings.HasSuffix(second, " …") {
		t.Errorf("second snippet %q: want the start of the text, line break folded, cut at a word", second)
	}
	for _, s := range got {
		for _, sp := range s {
			if !strings.Contains(text, strings.TrimSuffix(strings.TrimPrefix(sp.Text, "… "), " …")) && !strings.Contains(strings.ReplaceAll(text, "\n", " "), strings.TrimSuffix(strings.TrimPrefix(sp.Text, "… "), " …")) {
				t.Errorf("span %q is not text of the item", sp.Text)
			}
		}
	}
	// Locations beyond the text (a stale index) are ignored rather than cut wrongly.
	spans, _ = locationsIn(bsearch.TermLocationMap{"x": {{Start: 5, End: uint64(len(text) + 10)}}}, text)
	if len(spans) != 0 {
		t.Errorf("a location past the end was kept: %v", spans)
	}
}
