package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

const (
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
	// keptStore keeps the kept searches (kept.go); nil: none are.
	keptStore Kept
}

// searchHandlers are what the search screen calls upward.
type searchHandlers struct {
	onNewBriefing func() // New briefing from these results (briefings.go)
	// onDossier opens the dossier of the country the query names (dossier.go).
	onDossier func(alpha3 string)
	onKeep    func() // Keep this search (kept.go)
	// onKeptSeen: the kept search open was marked seen.
	onKeptSeen func(store.KeptSearch)
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
	keepBtn   *widget.Button // Keep this search (kept.go)
	view      *itemView
	pane      *itemPane        // the open item: its toolbar, and its view or editor
	split     *container.Split // the results, and the open item (its pane) beside them
	content   fyne.CanvasObject

	backupNote string // what the last backup did, after the folder (ShowBackupStatus)

	// running holds a token while a query runs, from its goroutine: one runs at a time,
	// the newest (start).
	running chan struct{}

	// State: read and written on the UI goroutine only.
	gen         int                // generation of the latest query; older results are dropped
	cancel      context.CancelFunc // cancels the latest query's work
	searchCtx   context.Context    // the latest query's context, for its further pages
	query       string             // the query the shown hits answer
	hits        []search.Hit
	total       uint64
	partial     bool // the shown hits came from an index still being built
	stale       bool // the index changed while another place was shown: refresh when shown
	loadingMore bool
	openTop     bool     // Enter was pressed: open the top hit as soon as there is one
	selected    int      // index of the selected row; -1 when none
	consumed    int      // hits of the query read so far (the pages asked for)
	kept        *keptRun // the kept search open, nil when none (kept.go)
	on          searchHandlers

	// dossierBtn opens the dossier of dossierFor, the country the query names (dossier.go).
	dossierBtn *widget.Button
	dossierFor string
}

func newSearchScreen(ctx context.Context, deps searchDeps, on searchHandlers) *searchScreen {
	s := &searchScreen{searchDeps: deps, ctx: ctx, selected: -1, on: on, running: make(chan struct{}, 1)}

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
	s.dossierBtn = widget.NewButtonWithIcon("Open dossier", theme.InfoIcon(), s.onOpenDossier)
	s.dossierBtn.Importance = widget.LowImportance
	s.dossierBtn.Hide()
	s.keepBtn = &widget.Button{Text: "Keep this search…", Icon: theme.HistoryIcon(), Importance: widget.LowImportance, OnTapped: func() {
		if s.on.onKeep != nil {
			s.on.onKeep()
		}
	}}
	s.keepBtn.Hide()

	s.view = newItemView(viewDeps{items: deps.items, ctx: ctx, do: deps.do, log: deps.log, out: deps.out}, s.onOpenLinked)
	s.pane = deps.newPane(s.view)

	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, s.entry),
		s.statusBar,
	)
	results := container.NewBorder(
		container.NewVBox(s.facets),
		container.NewHBox(s.briefBtn, s.dossierBtn, s.keepBtn), nil, nil,
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

// onQueryChanged runs the query as typed, cancelling the one before: each keystroke's
// results show as soon as they are ready, unless the next keystroke came first.
func (s *searchScreen) onQueryChanged(q string) {
	if s.keptFor(q) == nil {
		s.kept = nil // another query: no longer the kept search
	}
	s.start(q)
}

// refresh runs the current query again at once (the index changed).
func (s *searchScreen) refresh() {
	s.partial, s.stale = false, false
	s.start(s.entry.Text)
}

// start runs q in a goroutine, cancelling the query before it; its result comes back to
// showResult. Queries run one at a time: q waits for the one cancelled to stop (a search
// notices its cancelling within a few thousand matches), and a query cancelled while it
// waits never runs, so typing fast runs no pile of searches whose results nobody sees.
func (s *searchScreen) start(q string) {
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
	kr := s.keptFor(q)
	readNews := kr != nil && !kr.loaded && s.keptStore != nil
	go func() {
		select {
		case s.running <- struct{}{}:
		case <-ctx.Done():
			return
		}
		defer func() { <-s.running }()
		if ctx.Err() != nil {
			return
		}
		var news keptNews
		var newsErr error
		if readNews {
			news, newsErr = loadKeptNews(ctx, s.keptStore, s.searcher, kr.k, keptWait)
		}
		res, err := s.searcher.Search(ctx, q, search.Options{Size: pageSize, Facets: true})
		if ctx.Err() != nil {
			return
		}
		s.do(func() {
			if readNews {
				s.showKeptNews(gen, kr, news, newsErr)
			}
			s.showResult(gen, q, res, err)
		})
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
	s.consumed, s.hits = len(res.Hits), s.keptFor(q).arrange(q, res.Hits)
	s.loadingMore = false
	s.status.Importance = widget.MediumImportance
	s.status.SetText(s.keptFor(q).summary(q) + resultSummary(q, res))
	s.showFacets(res.Facets, q)
	s.showHint()
	s.showDossierOffer(q)

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
	s.keepBtn.Hidden = strings.TrimSpace(s.query) == "" || s.keptStore == nil || s.keptFor(s.query) != nil
	s.keepBtn.Refresh()
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
	s.start(q)
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
	rw := hitRow(s.hits[id])
	if m := s.kept.mark(rw.id); m != "" {
		rw.meta = m + " · " + rw.metaLine() // what a kept search found new or changed
	}
	o.(*resultRow).set(rw)
	if id == len(s.hits)-1 {
		s.onReachedEnd()
	}
}

// onReachedEnd fetches the next page of hits, once at a time.
func (s *searchScreen) onReachedEnd() {
	if s.loadingMore || uint64(s.consumed) >= s.total || s.searchCtx == nil || s.entry.Text != s.query {
		return
	}
	s.loadingMore = true
	ctx, gen, q, from := s.searchCtx, s.gen, s.query, s.consumed
	go func() {
		res, err := s.searcher.Search(ctx, q, search.Options{Size: pageSize, From: from})
		if ctx.Err() != nil {
			return
		}
		s.do(func() { s.showMore(gen, from, res, err) })
	}()
}

func (s *searchScreen) showMore(gen, from int, res search.Result, err error) {
	if gen != s.gen || from != s.consumed {
		return
	}
	s.loadingMore = false
	if err != nil {
		s.log.Error("search: next page failed", "err", errKind(err))
		return
	}
	s.consumed += len(res.Hits)
	s.hits = append(s.hits, s.keptFor(s.query).without(res.Hits)...)
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
