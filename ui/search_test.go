package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// riverItems is a small knowledge base with one item of each kind.
func riverItems() []store.Item {
	day := func(s string) time.Time {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []store.Item{
		{
			ID: "t-note", Kind: store.KindNote, Title: "Spill at the Lokoja depot",
			Class: "RESTRICTED", Countries: []string{"NGA"}, Topics: []string{"environment"},
			Tags: []string{"oil-spill"}, Date: day("2026-11-03"), Reliability: "B2",
			Body: "# Situation\n\nCrude **oil** leaked from a ruptured tank into the Niger river. " +
				"Fishermen downstream report a sheen.",
			Note:  &store.Note{Meeting: true, Location: "Abuja", Participants: []string{"t-contact"}},
			Links: []store.Link{{To: "t-contact", Rel: "participant"}},
		},
		{
			ID: "t-contact", Kind: store.KindContact, Title: "Amina Okafor",
			Class: "UNCLASSIFIED", Countries: []string{"NGA"},
			Body: "Leads the response to the spill for the ministry.",
			Contact: &store.Contact{
				JobTitle: "Director of Water Resources", OrgID: "t-org",
				Emails:    []store.Labeled{{Label: "work", Value: "a.okafor@water.example.gov"}},
				Phones:    []store.Labeled{{Label: "mobile", Value: "+234 800 000 0000"}},
				Languages: []string{"en", "ha"}, LastContact: day("2026-11-04"),
			},
		},
		{
			ID: "t-org", Kind: store.KindOrganisation, Title: "Niger Basin Authority",
			Class: "UNCLASSIFIED", Countries: []string{"NGA", "NER", "MLI"},
			Body:         "Nine member states share the basin.",
			Organisation: &store.Organisation{Type: "international", Acronym: "NBA"},
		},
		{
			ID: "t-doc", Kind: store.KindDocument, Title: "Depot inspection report",
			Class: "CONFIDENTIAL", Countries: []string{"NGA"}, Date: day("2026-10-20"),
			Body:     "The inspectors found corroded oil storage tanks and no spill barriers.",
			Document: &store.Document{FileName: "inspection.txt", Status: store.StatusOK},
		},
		{
			ID: "t-brief", Kind: store.KindBriefing, Title: "Briefing for the Minister: the river pollution",
			Class: "SECRET", Countries: []string{"NGA", "BEN"}, Date: day("2026-11-05"),
			Body: "Prepare the Minister's call with her Nigerian counterpart.",
			Briefing: &store.Briefing{Audience: "Minister", Sections: []store.Section{
				{Heading: "Background", Text: "An oil spill reached the river on 3 November."},
				{Heading: "Who to call", Ref: "t-contact"},
			}},
			Links: []store.Link{{To: "t-contact"}},
		},
	}
}

// typeQuery types q into the search box and waits until the list shows its hits.
func typeQuery(t *testing.T, mw *mainWindow, l *uiLoop, q string) {
	t.Helper()
	s := mw.search
	s.entry.SetText("")
	test.Type(s.entry, q)
	l.waitFor(t, "results for "+q, func() bool { return s.query == q && s.status.Importance != widget.DangerImportance })
}

// viewTitle is the title the item view shows.
func viewTitle(v *itemView) string {
	if len(v.body.Objects) == 0 {
		return ""
	}
	if l, ok := v.body.Objects[0].(*widget.Label); ok {
		return l.Text
	}
	return ""
}

func rowTitles(rows []*resultRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.title.Text)
	}
	return out
}

func TestSearchShowsRows(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	if mw.win.Canvas().Focused() != s.entry {
		t.Errorf("the search box does not have the focus on opening")
	}
	if !strings.Contains(s.entry.PlaceHolder, "kind:contact") {
		t.Errorf("placeholder %q does not explain the query language", s.entry.PlaceHolder)
	}

	typeQuery(t, mw, l, "oil")
	if !strings.HasSuffix(s.status.Text, " ms") || !strings.Contains(s.status.Text, "items") {
		t.Errorf("status line = %q, want a count and a duration", s.status.Text)
	}
	rows := visibleRows(s.list)
	titles := rowTitles(rows)
	for _, want := range []string{"Spill at the Lokoja depot", "Depot inspection report", "Briefing for the Minister: the river pollution"} {
		if !slices.Contains(titles, want) {
			t.Errorf("rows %q lack %q", titles, want)
		}
	}
	if slices.Contains(titles, "Niger Basin Authority") {
		t.Errorf("rows %q show an item without the word", titles)
	}
	classes := map[string]string{}
	for _, r := range rows {
		classes[r.title.Text] = r.badge.text.Text
		if !r.badge.Visible() || r.badge.rect.FillColor == nil {
			t.Errorf("row %q: classification badge not drawn", r.title.Text)
		}
	}
	if got := classes["Depot inspection report"]; got != "CONFIDENTIAL" {
		t.Errorf("inspection report shows marking %q, want CONFIDENTIAL", got)
	}
	if got := classes["Briefing for the Minister: the river pollution"]; got != "SECRET" {
		t.Errorf("briefing shows marking %q, want SECRET", got)
	}
	// The snippet highlights the match.
	for _, r := range rows {
		if r.title.Text != "Depot inspection report" {
			continue
		}
		var bold []string
		for _, seg := range r.snippet.Segments {
			if ts, ok := seg.(*widget.TextSegment); ok && ts.Style.TextStyle.Bold {
				bold = append(bold, ts.Text)
			}
		}
		if !slices.Contains(bold, "oil") {
			t.Errorf("snippet %q does not highlight the match (bold: %q)", r.snippet.String(), bold)
		}
		if !strings.Contains(allText(r), "Document · Nigeria · 20 Oct 2026") {
			t.Errorf("row shows %q, want its kind, country and date", texts(r))
		}
	}
}

func TestSearchSelectShowsItem(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	typeQuery(t, mw, l, "kind:note")
	if len(s.hits) != 1 {
		t.Fatalf("kind:note found %d hits, want 1", len(s.hits))
	}
	s.list.Select(0)
	l.waitFor(t, "the note in the view", func() bool { return strings.Contains(allText(s.view.content), "Spill at the Lokoja depot") })
	view := allText(s.view.content)
	for _, want := range []string{
		"RESTRICTED",            // banner
		"Crude oil leaked from", // the Markdown body, rendered
		"Abuja",                 // meeting location
		"Amina Okafor",          // participant, by title
		"Nigeria (NGA)",
		"#oil-spill",
		"B2 — usually reliable source, information probably true",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "**oil**") {
		t.Errorf("Markdown shown unrendered:\n%s", view)
	}
}

func TestItemViewKindsAndBacklinks(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	v := mw.search.view

	tests := []struct {
		id   string
		want []string
	}{
		{"t-contact", []string{"Amina Okafor", "UNCLASSIFIED", "Director of Water Resources", "Niger Basin Authority",
			"a.okafor@water.example.gov (work)", "+234 800 000 0000 (mobile)", "English, Hausa", "4 Nov 2026",
			"Leads the response", "Linked from", "Spill at the Lokoja depot", "Briefing for the Minister: the river pollution"}},
		{"t-org", []string{"Niger Basin Authority", "international", "NBA", "Nine member states"}},
		{"t-doc", []string{"Depot inspection report", "CONFIDENTIAL", "inspection.txt", "Imported", "corroded oil storage tanks"}},
		{"t-brief", []string{"Briefing for the Minister: the river pollution", "SECRET", "Minister", "Prepare the Minister's call", "1. Background", "An oil spill reached the river", "2. Who to call", "Amina Okafor"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			v.open(tt.id)
			l.waitFor(t, tt.id+" in the view", func() bool { return viewTitle(v) == tt.want[0] })
			text := allText(v.content)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("view of %s lacks %q:\n%s", tt.id, w, text)
				}
			}
		})
	}

	// A backlink opens the item linking here.
	v.open("t-contact")
	l.waitFor(t, "the contact", func() bool { return strings.Contains(allText(v.content), "Linked from") })
	var link *widget.Hyperlink
	for _, o := range visible(v.content) {
		if h, ok := o.(*widget.Hyperlink); ok && h.Text == "Spill at the Lokoja depot" {
			link = h
		}
	}
	if link == nil {
		t.Fatal("no link to the note linking to the contact")
	}
	test.TapAt(link, fyne.NewPos(theme.InnerPadding()+2, link.Size().Height/2))
	l.waitFor(t, "the linked note", func() bool { return viewTitle(v) == "Spill at the Lokoja depot" })
}

func TestSearchParseError(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	test.Type(s.entry, "oil country:XX")
	l.waitFor(t, "an error", func() bool { return s.status.Importance == widget.DangerImportance })
	got := s.status.Text
	if !strings.Contains(got, "country:XX") || !strings.Contains(got, "no such country") {
		t.Errorf("status = %q, want the faulty term and what is wrong, in words", got)
	}

	// Correcting the query clears the error.
	s.entry.SetText("oil country:NG")
	l.waitFor(t, "results", func() bool { return s.query == "oil country:NG" })
	if s.status.Importance == widget.DangerImportance || len(s.hits) == 0 {
		t.Errorf("status %q with %d hits after correcting the query", s.status.Text, len(s.hits))
	}
}

func TestSearchStaleResultsDropped(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	deps := k.deps()
	deps.Searcher = markedSearcher{k.ix}
	mw, l := openWindow(t, deps)
	s := mw.search

	// Typing character by character starts a search per keystroke; only the last counts.
	test.Type(s.entry, "inspection")
	l.waitFor(t, "the final query", func() bool { return s.query == "inspection" })
	l.waitGone(t, "every search to end", "search")
	if s.query != "inspection" || len(s.hits) != 1 || s.hits[0].ID != "t-doc" {
		t.Errorf("shown query %q with %d hits, want inspection's single hit", s.query, len(s.hits))
	}
	// A result for an older generation is ignored.
	s.showResult(s.gen-1, "oil", search.Result{Total: 9, Hits: []search.Hit{{ID: "x", Title: "stale"}}}, nil)
	if s.query != "inspection" || len(s.hits) != 1 {
		t.Errorf("a stale result replaced the shown one")
	}
}

// gatedSearcher holds each of the search screen's searches (those with facets) until the
// test lets it go, and records which queries ran and how many ran at once.
type gatedSearcher struct {
	Searcher
	gate    chan struct{}
	mu      sync.Mutex
	started []string
	running int
	most    int
}

func (g *gatedSearcher) Search(ctx context.Context, q string, opt search.Options) (search.Result, error) {
	if !opt.Facets {
		return g.Searcher.Search(ctx, q, opt)
	}
	markGoroutine("search")
	g.mu.Lock()
	g.started = append(g.started, q)
	g.running++
	g.most = max(g.most, g.running)
	g.mu.Unlock()
	<-g.gate // a search that notices its cancelling only when it ends
	defer func() {
		g.mu.Lock()
		g.running--
		g.mu.Unlock()
	}()
	return g.Searcher.Search(ctx, q, opt)
}

func (g *gatedSearcher) ran() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.started)
}

// TestSearchOneAtATime: typing runs one search at a time. A keystroke's query starts at
// once when none is running; the keystrokes typed while one runs cancel each other, and
// only the last of them runs, once the one running has ended.
func TestSearchOneAtATime(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	deps := k.deps()
	g := &gatedSearcher{Searcher: k.ix, gate: make(chan struct{})}
	deps.Searcher = g
	mw, l := openWindow(t, deps)
	s := mw.search

	test.Type(s.entry, "i")
	l.waitFor(t, "the first keystroke's search to start", func() bool { return len(g.ran()) == 1 })
	test.Type(s.entry, "nspection")
	// While "i" runs, nothing else starts (a screen that waited for a pause in the typing,
	// instead, started "inspection" beside it once the pause was over).
	time.Sleep(400 * time.Millisecond)
	if got := g.ran(); len(got) != 1 {
		t.Errorf("while the first search ran, these started: %q", got)
	}
	g.gate <- struct{}{} // "i" ends; its result is dropped
	l.waitFor(t, "the last query to start", func() bool { return len(g.ran()) == 2 })
	g.gate <- struct{}{}
	l.waitFor(t, "the last query's results", func() bool { return s.query == "inspection" })
	l.waitGone(t, "every search to end", "search")
	if got := g.ran(); !slices.Equal(got, []string{"i", "inspection"}) {
		t.Errorf("searches run %q, want the first keystroke's and the last's only", got)
	}
	if g.most != 1 {
		t.Errorf("%d searches ran at once, want 1", g.most)
	}
	if len(s.hits) != 1 || s.hits[0].ID != "t-doc" {
		t.Errorf("%d hits shown, want inspection's single hit", len(s.hits))
	}
}

func TestSearchEnterOpensTopHit(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	test.Type(s.entry, "inspection")
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	l.waitFor(t, "the top hit open", func() bool { return strings.Contains(allText(s.view.content), "corroded oil storage") })
	if s.selected != 0 {
		t.Errorf("selected row %d, want 0", s.selected)
	}

	// Down and Up move through the hits from the search box.
	typeQuery(t, mw, l, "oil")
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if s.selected != 0 {
		t.Fatalf("Down selected %d, want 0", s.selected)
	}
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if s.selected != 1 {
		t.Errorf("second Down selected %d, want 1", s.selected)
	}
	s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.entry.Text != "" {
		t.Errorf("Escape left %q in the search box", s.entry.Text)
	}
}

func TestSearchFacetToggles(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	typeQuery(t, mw, l, "oil")
	var doc *chip
	for _, o := range s.facets.Objects {
		if c := o.(*chip); strings.HasPrefix(c.text, "Document ") {
			doc = c
		}
	}
	if doc == nil {
		t.Fatalf("no Document facet among %q", texts(s.facets))
	}
	test.Tap(doc)
	if s.entry.Text != "oil kind:document" {
		t.Fatalf("query after tapping the facet = %q", s.entry.Text)
	}
	l.waitFor(t, "filtered results", func() bool { return s.query == "oil kind:document" })
	if len(s.hits) != 1 || s.hits[0].ID != "t-doc" {
		t.Errorf("filtered to %d hits", len(s.hits))
	}
	for _, o := range s.facets.Objects {
		if c := o.(*chip); strings.HasPrefix(c.text, "Document ") {
			if !c.on {
				t.Errorf("the active facet is not shown as on")
			}
			test.Tap(c)
		}
	}
	if s.entry.Text != "oil" {
		t.Errorf("query after tapping the facet again = %q", s.entry.Text)
	}
}

func TestToggleFilter(t *testing.T) {
	nga := search.Filter{Field: "country", Value: "NGA"}
	tests := []struct {
		q      string
		filter search.Filter
		want   string
	}{
		{"oil", nga, "oil country:NGA"},
		{"oil country:NGA", nga, "oil"},
		{"oil  Country:nga spill", nga, "oil spill"},
		{"", search.Filter{Field: "year", Value: "2026"}, "year:2026"},
		{"oil country:nigeria", nga, "oil"},                  // any form of the filter
		{"oil country:nigeria country:NG", nga, "oil"},       // every copy of it
		{"oil -country:nigeria", nga, "oil country:nigeria"}, // an exclusion turned round
		{`"oil spill" kind:contacts`, search.Filter{Field: "kind", Value: "contact"}, `"oil spill"`},
		{"oil country:XX", nga, "oil country:XX country:NGA"}, // does not parse: added
	}
	for _, tt := range tests {
		if got := toggleFilter(tt.q, tt.filter); got != tt.want {
			t.Errorf("toggleFilter(%q, %v) = %q, want %q", tt.q, tt.filter, got, tt.want)
		}
	}
}

func TestFindFocusesSearch(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, _ := openWindow(t, k.deps())
	mw.win.Canvas().Unfocus()
	mw.search.entry.SetText("oil")
	mw.onFind()
	if mw.win.Canvas().Focused() != mw.search.entry {
		t.Errorf("Find did not focus the search box")
	}
	if got := mw.search.entry.SelectedText(); got != "oil" {
		t.Errorf("Find selected %q, want the whole query", got)
	}
	var find *fyne.MenuItem
	for _, m := range mw.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Find" {
				find = it
			}
		}
	}
	if find == nil || find.Shortcut == nil {
		t.Fatalf("no Find menu item with a shortcut")
	}
}

func TestIndexStatusLine(t *testing.T) {
	k := openTestKB(t)
	mw, _ := openWindow(t, k.deps())
	s := mw.search
	mw.indexChanged(search.Status{Building: true, Done: 1234, Total: 10952})
	if got := s.index.Text; got != "Building the search index… 1,234 of 10,952" {
		t.Errorf("index status = %q", got)
	}
	mw.indexChanged(search.Status{})
	if !strings.Contains(s.index.Text, k.db.Dir()) {
		t.Errorf("index status = %q, want the data folder once built", s.index.Text)
	}
}

func TestSearchLoadsMoreAtTheEnd(t *testing.T) {
	const n = pageSize + 30
	items := make([]store.Item, n)
	for i := range items {
		items[i] = store.Item{Kind: store.KindNote, Title: fmt.Sprintf("River gauge reading %03d", i), Body: "The river rose again."}
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	typeQuery(t, mw, l, "gauge")
	if s.total != n || len(s.hits) != pageSize {
		t.Fatalf("first page: %d of %d hits, want %d of %d", len(s.hits), s.total, pageSize, n)
	}
	if !strings.HasPrefix(s.status.Text, "130 items · ") {
		t.Errorf("status = %q", s.status.Text)
	}
	s.list.ScrollToBottom()
	l.waitFor(t, "the next page", func() bool { return len(s.hits) == n })
	seen := map[string]bool{}
	for _, h := range s.hits {
		if seen[h.ID] {
			t.Fatalf("hit %s listed twice", h.ID)
		}
		seen[h.ID] = true
	}
}

// TestSearchFacetFollowsWrittenFilter: a filter written in any of its forms shows its chip on,
// and tapping the chip removes the filter instead of adding a second one.
func TestSearchFacetFollowsWrittenFilter(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	s := mw.search

	chipFor := func(prefix string) *chip {
		for _, o := range s.facets.Objects {
			if c := o.(*chip); strings.HasPrefix(c.text, prefix) {
				return c
			}
		}
		t.Fatalf("no %q chip among %q", prefix, texts(s.facets))
		return nil
	}
	for _, tt := range []struct{ q, chip, after string }{
		{"country:nigeria", "NGA ", ""},
		{"oil Country:ng spill", "NGA ", "oil spill"},
		{"kind:Contacts", "Contact ", ""},
		{"oil year:2026", "2026 ", "oil"},
	} {
		typeQuery(t, mw, l, tt.q)
		c := chipFor(tt.chip)
		if !c.on {
			t.Errorf("%q: the %s chip is off", tt.q, c.text)
		}
		test.Tap(c)
		if s.entry.Text != tt.after {
			t.Errorf("%q: tapping the %s chip made the query %q, want %q", tt.q, c.text, s.entry.Text, tt.after)
		}
	}
	// A chip of a filter the query does not have is off, and tapping it adds the filter.
	typeQuery(t, mw, l, "oil -country:ben")
	if c := chipFor("NGA "); c.on {
		t.Errorf("the NGA chip is on for a query without it")
	} else {
		test.Tap(c)
		if want := "oil -country:ben country:NGA"; s.entry.Text != want {
			t.Errorf("tapping the NGA chip made the query %q, want %q", s.entry.Text, want)
		}
	}
}
