package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// Snippets are cut from an item's indexed text around the byte ranges where its matched
// terms are (their locations, which the index keeps): the windows of about snippetWidth
// bytes that hold the most different matched terms, then the most matches.

const (
	snippetWidth = 180
	snippetLead  = 30 // bytes of context before the first match, at most
	maxSnippets  = 2
)

type span struct{ start, end int }

// locationsIn returns the ranges of the matched terms of one field, in order, without
// overlaps.
func locationsIn(locs bsearch.TermLocationMap, text string) (spans []span, terms []string) {
	for term, ls := range locs {
		for _, l := range ls {
			if l == nil || int(l.End) > len(text) || l.Start >= l.End {
				continue
			}
			spans = append(spans, span{int(l.Start), int(l.End)})
			terms = append(terms, term)
		}
	}
	idx := make([]int, len(spans))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(spans[a].start, spans[b].start), cmp.Compare(spans[b].end, spans[a].end))
	})
	var outS []span
	var outT []string
	for _, i := range idx {
		if n := len(outS); n > 0 && spans[i].start < outS[n-1].end {
			continue
		}
		outS, outT = append(outS, spans[i]), append(outT, terms[i])
	}
	return outS, outT
}

// makeSnippets cuts up to maxSnippets snippets from text, best first.
func makeSnippets(text string, spans []span, terms []string) []Snippet {
	type window struct {
		first, last    int // spans[first..last] are inside
		distinct, hits int
	}
	windows := make([]window, 0, len(spans))
	seen := map[string]bool{}
	for i := range spans {
		end := spans[i].start + snippetWidth
		clear(seen)
		w := window{first: i, last: i}
		for j := i; j < len(spans) && spans[j].end <= end; j++ {
			w.last = j
			w.hits++
			if !seen[terms[j]] {
				seen[terms[j]] = true
				w.distinct++
			}
		}
		windows = append(windows, w)
	}
	slices.SortStableFunc(windows, func(a, b window) int {
		return cmp.Or(cmp.Compare(b.distinct, a.distinct), cmp.Compare(b.hits, a.hits))
	})
	var out []Snippet
	var taken []span
	for _, w := range windows {
		if len(out) == maxSnippets {
			break
		}
		// Start a few words before the first match (a result row shows the snippet's
		// beginning), at a word, and end at a word.
		matchLen := spans[w.last].end - spans[w.first].start
		lead := min(max(0, (snippetWidth-matchLen)/3), snippetLead)
		from := wordStart(text, max(0, spans[w.first].start-lead))
		to := wordEnd(text, min(len(text), from+snippetWidth), spans[w.last].end)
		if slices.ContainsFunc(taken, func(t span) bool { return from < t.end && t.start < to }) {
			continue
		}
		taken = append(taken, span{from, to})
		var s Snippet
		if from > 0 {
			s = append(s, Span{Text: "… "})
		}
		cur := from
		for _, sp := range spans[w.first : w.last+1] {
			if sp.end > to {
				break
			}
			if sp.start > cur {
				s = append(s, Span{Text: flatten(text[cur:sp.start])})
			}
			s = append(s, Span{Text: flatten(text[sp.start:sp.end]), Match: true})
			cur = sp.end
		}
		tail := flatten(text[cur:to])
		if to < len(text) {
			tail += " …"
		}
		if tail != "" {
			s = append(s, Span{Text: tail})
		}
		out = append(out, s)
	}
	return out
}

// wordStart moves i back to the start of the word it is in.
func wordStart(text string, i int) int {
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	return i
}

// wordEnd moves i forward to the end of the word it is in, but not before atLeast.
func wordEnd(text string, i, atLeast int) int {
	i = max(i, atLeast)
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// flatten folds line breaks and tabs into spaces and drops invalid UTF-8.
func flatten(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return strings.ToValidUTF8(s, "")
}
