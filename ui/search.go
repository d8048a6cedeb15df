package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

const (
	// debounce is how long typing must pause before the query runs.
	debounce = 150 * time.Millisecond
	// pageSize is how many hits one search asks for; scrolling to the end asks for more.
	pageSize = 100
	// facetTerms is how many values of each facet are offered as filters.
	facetTerms = 8
)

const searchPlaceholder = `Search everything — words, "phrases", -exclude, kind:contact country:NGA year:2020`

// searchDeps is what the search screen needs.
type searchDeps struct {
	searcher Searcher
	items    Items
	dataDir  string // shown in the status line
	do       func(func())
	log      *slog.Logger
	out      *outside // renders the open item's text (outside.go)
	// newPane makes the pane of the item open beside the results, over its view.
	newPane func(*itemView) *itemPane
	// listSplit is the results' share of the width (the layout remembered).
	listSplit float64
}

// searchHandlers are what the search screen calls upward.
type searchHandlers struct {
	onNewBriefing func() // New briefing from these results (briefings.go)
}

// searchScreen is the main window's screen: a query box, a status line, facet filters, the
// result list and the open item beside it.
type searchScreen struct {
	searchDeps
	ctx context.Context // ends when the window closes

	entry     *keyEntry
	status    *widget.Label // the result summary, or what is wrong with the query
	index     *widget.Label // the index status, or the data folder
	statusBar *fyne.Container
	facets    *fyne.Container
	list      *widget.List
	hint      *widget.Label  // over the list when it is empty
	briefBtn  *widget.Button // New briefing from the results (briefings.go)
	view      *itemView
	pane      *itemPane        // the open item: its toolbar, and its view or editor
	split     *container.Split // the results, and the open item (its pane) beside them
	content   fyne.CanvasObject

	backupNote string // what the last backup did, after the folder (ShowBackupStatus)

	// State: read and written on the UI goroutine only.
	gen         int                // generation of the latest query; older results are dropped
	cancel      context.CancelFunc // cancels the latest query's work
	searchCtx   context.Context    // the latest query's context, for its further pages
	query       string             // the query the shown hits answer
	hits        []search.Hit
	total       uint64
	partial     bool // the shown hits came from an index still being built
	loadingMore bool
	openTop     bool // Enter was pressed: open the top hit as soon as there is one
	selected    int  // index of the selected row; -1 when none
	on          searchHandlers
}

func newSearchScreen(ctx context.Context, deps searchDeps, on searchHandlers) *searchScreen {
	s := &searchScreen{searchDeps: deps, ctx: ctx, selected: -1, on: on}

	s.entry = newKeyEntry(s.onEntryKey)
	s.entry.SetPlaceHolder(searchPlaceholder)
	s.entry.OnChanged = s.onQueryChanged
	s.entry.OnSubmitted = s.onSubmitted

	s.status = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	s.index = &widget.Label{Text: s.folderText(), Alignment: fyne.TextAlignTrailing, Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	s.statusBar = container.New(statusBarLayout{right: s.index}, s.status, s.index)
	s.facets = container.New(layout.NewRowWrapLayoutWithCustomPadding(4, 4))
	s.hint = &widget.Label{
		Text:      "Type above to search the knowledge base.",
		Alignment: fyne.TextAlignCenter,
		Wrapping:  fyne.TextWrapWord,
	}

	s.list = widget.NewList(
		func() int { return len(s.hits) },
		func() fyne.CanvasObject { return newResultRow() },
		s.updateRow,
	)
	s.list.OnSelected = s.onSelected
	s.list.OnUnselected = func(widget.ListItemID) { s.selected = -1 }

	s.briefBtn = widget.NewButtonWithIcon("New briefing from these results", theme.ListIcon(), func() {
		if s.on.onNewBriefing != nil {
			s.on.onNewBriefing()
		}
	})
	s.briefBtn.Importance = widget.LowImportance
	s.briefBtn.Hide()

	s.view = newItemView(viewDeps{items: deps.items, ctx: ctx, do: deps.do, log: deps.log, out: deps.out}, s.onOpenLinked)
	s.pane = deps.newPane(s.view)

	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, s.entry),
		s.statusBar,
	)
	results := container.NewBorder(
		container.NewVBox(s.facets),
		container.NewHBox(s.briefBtn), nil, nil,
		container.NewStack(s.list, container.NewPadded(container.NewVBox(layout.NewSpacer(), s.hint, layout.NewSpacer()))),
	)
	s.split = container.NewHSplit(results, s.pane.content)
	s.split.Offset = deps.listSplit
	s.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, s.split)
	return s
}

func (s *searchScreen) folderText() string {
	if s.dataDir == "" {
		return ""
	}
	if s.backupNote != "" {
		return "Knowledge base: " + s.dataDir + " · " + s.backupNote
	}
	return "Knowledge base: " + s.dataDir
}

// onQueryChanged runs the query after a pause in the typing, cancelling the one before.
func (s *searchScreen) onQueryChanged(q string) {
	s.start(q, debounce)
}

// refresh runs the current query again at once (the index changed).
func (s *searchScreen) refresh() {
	s.partial = false
	s.start(s.entry.Text, 0)
}

// start runs q after wait in a goroutine; its result comes back to showResult.
func (s *searchScreen) start(q string, wait time.Duration) {
	s.gen++
	gen := s.gen
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if strings.TrimSpace(q) == "" {
		s.showResult(gen, q, search.Result{}, nil)
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.cancel, s.searchCtx = cancel, ctx
	go func() {
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return
			}
		}
		res, err := s.searcher.Search(ctx, q, search.Options{Size: pageSize, Facets: true})
		if ctx.Err() != nil {
			return
		}
		s.do(func() { s.showResult(gen, q, res, err) })
	}()
}

// showResult shows the answer to query generation gen, unless a newer query was typed.
func (s *searchScreen) showResult(gen int, q string, res search.Result, err error) {
	if gen != s.gen {
		return
	}
	if err != nil {
		// Keep the hits of the last good query: the query is likely being typed.
		s.openTop = false
		s.status.Importance = widget.DangerImportance
		s.status.SetText(searchErrorText(err))
		if !isParseError(err) {
			s.log.Error("search failed", "err", errKind(err)) // not the query: logs keep no text searched
		}
		return
	}
	prevID := ""
	if s.selected >= 0 && s.selected < len(s.hits) {
		prevID = s.hits[s.selected].ID
	}
	s.query, s.hits, s.total, s.partial = q, res.Hits, res.Total, res.Partial
	s.loadingMore = false
	s.status.Importance = widget.MediumImportance
	s.status.SetText(resultSummary(q, res))
	s.showFacets(res.Facets, q)
	s.showHint()

	s.list.UnselectAll()
	s.list.Refresh()
	s.list.ScrollToTop()
	switch {
	case s.openTop && len(s.hits) > 0:
		s.openTop = false
		s.list.Select(0)
	case prevID != "":
		if i := slices.IndexFunc(s.hits, func(h search.Hit) bool { return h.ID == prevID }); i >= 0 {
			s.list.Select(i)
		}
	}
}

func (s *searchScreen) showHint() {
	switch {
	case strings.TrimSpace(s.query) == "":
		s.hint.SetText("Type above to search the knowledge base.")
		s.hint.Show()
	case len(s.hits) == 0:
		s.hint.SetText(fmt.Sprintf("Nothing matches %s.\nTry fewer or other words, or remove a filter.", strings.TrimSpace(s.query)))
		s.hint.Show()
	default:
		s.hint.Hide()
	}
	if n := min(len(s.hits), briefingFromResults); n > 0 {
		s.briefBtn.SetText(fmt.Sprintf("New briefing from the top %s", plural(n, "result", "results")))
		s.briefBtn.Show()
	} else {
		s.briefBtn.Hide()
	}
}

// resultSummary is the status line for a result: "42 items · 3.1 ms".
func resultSummary(q string, res search.Result) string {
	if strings.TrimSpace(q) == "" {
		return ""
	}
	var b strings.Builder
	if res.Total == 0 {
		b.WriteString("No items match")
	} else {
		b.WriteString(plural(int(res.Total), "item", "items"))
	}
	b.WriteString(" · " + formatTook(res.Took))
	if res.Partial {
		b.WriteString(" · the search index is still being built: more may match")
	}
	return b.String()
}

func isParseError(err error) bool {
	var pe *search.ParseError
	return errors.As(err, &pe)
}

// searchErrorText says what went wrong with a search in words.
func searchErrorText(err error) string {
	var pe *search.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("Cannot search for “%s”: %s.", pe.Term, strings.TrimSuffix(pe.Msg, "."))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "The search took too long. Try more specific words."
	}
	return "The search failed: " + err.Error()
}

// onSubmitted (Enter) opens the top hit: now if the hits answer what is typed, else as soon
// as they do.
func (s *searchScreen) onSubmitted(q string) {
	if q == s.query && s.gen > 0 && !s.searching() {
		if len(s.hits) > 0 {
			s.list.Select(0)
		}
		return
	}
	s.openTop = true
	s.start(q, 0)
}

// searching reports whether a newer query than the shown hits is still running.
func (s *searchScreen) searching() bool {
	return s.entry.Text != s.query
}

// onEntryKey moves through the results from the search box: Up/Down, Page Up/Down;
// Escape clears the query. It reports whether it used the key.
func (s *searchScreen) onEntryKey(key fyne.KeyName) bool {
	step := 0
	switch key {
	case fyne.KeyDown:
		step = 1
	case fyne.KeyUp:
		step = -1
	case fyne.KeyPageDown:
		step = 10
	case fyne.KeyPageUp:
		step = -10
	case fyne.KeyEscape:
		if s.entry.Text == "" {
			return false
		}
		s.entry.SetText("")
		return true
	default:
		return false
	}
	if len(s.hits) == 0 {
		return true
	}
	next := s.selected + step
	if s.selected < 0 {
		next = 0
	}
	next = max(0, min(next, len(s.hits)-1))
	s.list.Select(next)
	return true
}

func (s *searchScreen) onSelected(id widget.ListItemID) {
	s.selected = id
	if id < 0 || id >= len(s.hits) {
		return
	}
	if s.view.shownID != s.hits[id].ID {
		s.view.open(s.hits[id].ID)
	}
}

// onOpenLinked opens an item reached through a link in the open item, selecting its row
// when it is among the hits.
func (s *searchScreen) onOpenLinked(id string) {
	if i := slices.IndexFunc(s.hits, func(h search.Hit) bool { return h.ID == id }); i >= 0 {
		s.list.Select(i)
		return
	}
	s.list.UnselectAll()
	s.view.open(id)
}

// updateRow fills a list row; reaching the last row asks for the next page.
func (s *searchScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(s.hits) {
		return
	}
	o.(*resultRow).set(hitRow(s.hits[id]))
	if id == len(s.hits)-1 {
		s.onReachedEnd()
	}
}

// onReachedEnd fetches the next page of hits, once at a time.
func (s *searchScreen) onReachedEnd() {
	if s.loadingMore || uint64(len(s.hits)) >= s.total || s.searchCtx == nil || s.entry.Text != s.query {
		return
	}
	s.loadingMore = true
	ctx, gen, q, from := s.searchCtx, s.gen, s.query, len(s.hits)
	go func() {
		res, err := s.searcher.Search(ctx, q, search.Options{Size: pageSize, From: from})
		if ctx.Err() != nil {
			return
		}
		s.do(func() { s.showMore(gen, from, res, err) })
	}()
}

func (s *searchScreen) showMore(gen, from int, res search.Result, err error) {
	if gen != s.gen || from != len(s.hits) {
		return
	}
	s.loadingMore = false
	if err != nil {
		s.log.Error("search: next page failed", "err", errKind(err))
		return
	}
	s.hits = append(s.hits, res.Hits...)
	s.list.Refresh()
}

// showFacets offers the kind, country, topic and year counts as toggles that add or remove their
// filter in the query. A chip is on when the query searched has its filter on, however it was
// written (country:nigeria turns the NGA chip on): the result says so (FacetTerm.Active).
func (s *searchScreen) showFacets(facets []search.Facet, _ string) {
	var objs []fyne.CanvasObject
	for _, f := range facets {
		if f.Name != "kind" && f.Name != "country" && f.Name != "topic" && f.Name != "year" {
			continue
		}
		for i, t := range f.Terms {
			if i >= facetTerms {
				break
			}
			label := t.Term
			if f.Name == "kind" {
				label = kindLabel(store.Kind(t.Term))
			}
			filter := t.Filter
			c := newChip(fmt.Sprintf("%s %s", label, thousands(t.Count)), t.Active, func() { s.onToggleFilter(filter) })
			objs = append(objs, c)
		}
	}
	s.facets.Objects = objs
	s.facets.Refresh()
}

// onToggleFilter adds a filter (country:NGA) to the query in the box, or removes it when the
// query has it on.
func (s *searchScreen) onToggleFilter(f search.Filter) {
	s.entry.SetText(toggleFilter(s.entry.Text, f))
}

// toggleFilter turns f off in the query q when q has it on, in whatever form it is written,
// else on (search.Query.Toggle), and writes the query back as the user wrote it. A query that
// does not parse (being typed) gets the filter added at the end.
func toggleFilter(q string, f search.Filter) string {
	parsed, err := search.Parse(q)
	if err != nil {
		return strings.TrimSpace(strings.TrimSpace(q) + " " + f.String())
	}
	return parsed.Toggle(f).String()
}

// showIndexStatus shows the index's progress while it builds, else the data folder.
func (s *searchScreen) showIndexStatus(st search.Status) {
	text := s.folderText()
	if st.Building {
		text = "Building the search index…"
		if st.Total > 0 {
			text += fmt.Sprintf(" %s of %s", thousands(st.Done), thousands(st.Total))
		}
	}
	if s.index.Text != text {
		s.index.SetText(text)
		s.statusBar.Refresh() // the label's share of the bar follows its text
	}
}

// onDemoLoaded runs after the example knowledge base was loaded and indexed: it searches
// the example and opens the top hit.
func (s *searchScreen) onDemoLoaded() {
	if strings.TrimSpace(s.entry.Text) == "" {
		s.openTop = true
		s.entry.SetText("oil spill")
		return
	}
	s.refresh()
}

// statusBarLayout puts the status on the left and the index label on the right, giving the
// right one its natural width but at most 40% of the bar, so that a long folder path is
// shortened instead of widening the window.
type statusBarLayout struct {
	right *widget.Label
}

func (l statusBarLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(2*theme.InnerPadding(), h)
}

func (l statusBarLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	natural := (&widget.Label{Text: l.right.Text, TextStyle: l.right.TextStyle}).MinSize()
	rw := min(natural.Width+theme.Padding(), size.Width*0.4) // slack for rounding in text measurement
	if l.right.Text == "" {
		rw = 0
	}
	for _, o := range objs {
		if o == fyne.CanvasObject(l.right) {
			o.Move(fyne.NewPos(size.Width-rw, 0))
			o.Resize(fyne.NewSize(rw, size.Height))
		} else {
			o.Move(fyne.NewPos(0, 0))
			o.Resize(fyne.NewSize(size.Width-rw, size.Height))
		}
	}
}
