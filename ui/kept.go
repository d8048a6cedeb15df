package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/search"
	"chancery/store"
)

// Kept keeps standing searches and says what was written since one was last opened:
// *store.DB is one.
type Kept interface {
	KeptSearches(ctx context.Context) ([]store.KeptSearch, error)
	KeepSearch(ctx context.Context, k store.KeptSearch) (store.KeptSearch, error)
	DeleteKeptSearch(ctx context.Context, id string) error
	MarkKeptSeen(ctx context.Context, id string, seq int64) (store.KeptSearch, error)
	FreshSince(ctx context.Context, since int64) ([]store.Fresh, error)
	LastSeq(ctx context.Context) (int64, error)
}

// keptWait is how long opening a kept search waits for the index to hold the store's
// latest changes, so that what it marks seen is what it showed.
const keptWait = time.Second

// keptNews is what a kept search finds that was written since it was last opened: new
// items, then changed ones, each ranked by the query.
type keptNews struct {
	fresh, changed []search.Hit
	// applied is the store's change the index had applied when it counted: opening the
	// search marks it seen as of this change, not a later one it could not see yet.
	applied int64
}

// loadKeptNews asks the store which items were written since k was last opened, and the
// index which of them k's query matches (off the UI goroutine). With wait, it first waits
// that long at most for the index to hold the store's latest change (opening the search:
// what is marked seen then is what was shown); the navigation's counts do not wait, they
// are counted again when the index catches up.
func loadKeptNews(ctx context.Context, kept Kept, s Searcher, k store.KeptSearch, wait time.Duration) (keptNews, error) {
	if wait > 0 {
		if last, err := kept.LastSeq(ctx); err == nil {
			wctx, cancel := context.WithTimeout(ctx, wait)
			_ = s.WaitFor(wctx, last) // not there in time: what it had applied is marked seen
			cancel()
		}
	}
	n := keptNews{applied: s.Status().Applied}
	fresh, err := kept.FreshSince(ctx, k.SeenSeq)
	if err != nil || len(fresh) == 0 {
		return n, err
	}
	isNew := make(map[string]bool, len(fresh))
	ids := make([]string, len(fresh))
	for i, f := range fresh {
		ids[i], isNew[f.ID] = f.ID, f.New
	}
	res, err := s.Search(ctx, k.Query, search.Options{Size: len(ids), Only: ids})
	if err != nil {
		return n, err
	}
	for _, h := range res.Hits {
		if isNew[h.ID] {
			n.fresh = append(n.fresh, h)
		} else {
			n.changed = append(n.changed, h)
		}
	}
	return n, nil
}

// counts is "3 new · 1 changed", "" when nothing is.
func (n keptNews) counts() string {
	var parts []string
	if len(n.fresh) > 0 {
		parts = append(parts, fmt.Sprintf("%s new", thousands(len(n.fresh))))
	}
	if len(n.changed) > 0 {
		parts = append(parts, fmt.Sprintf("%s changed", thousands(len(n.changed))))
	}
	return strings.Join(parts, " · ")
}

// keptRun is the kept search open in the search screen: what was new and changed when it
// was opened stays marked, first in the results, while its query is in the box.
type keptRun struct {
	k      store.KeptSearch
	news   keptNews
	loaded bool // news was read
	seen   bool // it was marked seen
	marks  map[string]string
}

// keptFor is the kept search open for query q, nil when none is (UI goroutine).
func (s *searchScreen) keptFor(q string) *keptRun {
	if s.kept == nil || strings.TrimSpace(q) != s.kept.k.Query {
		return nil
	}
	return s.kept
}

// showKeptNews keeps what kr found new and changed, for the results about to be shown,
// and marks the search seen (once) as of the change the index had applied.
func (s *searchScreen) showKeptNews(gen int, kr *keptRun, news keptNews, err error) {
	if gen != s.gen || kr == nil || s.kept != kr || kr.loaded {
		return
	}
	if err != nil {
		if !isParseError(err) {
			s.log.Error("kept search: read what is new", "err", errKind(err))
		}
		return
	}
	kr.news, kr.loaded = news, true
	kr.marks = map[string]string{}
	for _, h := range news.fresh {
		kr.marks[h.ID] = "New"
	}
	for _, h := range news.changed {
		kr.marks[h.ID] = "Changed"
	}
	if kr.seen || s.keptStore == nil {
		return
	}
	kr.seen = true
	id, seq := kr.k.ID, news.applied
	go func() {
		k, err := s.keptStore.MarkKeptSeen(s.ctx, id, seq)
		if s.ctx.Err() != nil {
			return
		}
		s.do(func() {
			if err != nil {
				s.log.Error("kept search: mark it seen", "err", errKind(err))
				return
			}
			if s.on.onKeptSeen != nil {
				s.on.onKeptSeen(k)
			}
		})
	}()
}

// arrange puts the new hits first, then the changed ones, then the rest of hits (without
// them again); hits as they are when no kept search is open for the query shown.
func (kr *keptRun) arrange(q string, hits []search.Hit) []search.Hit {
	if kr == nil || !kr.loaded || strings.TrimSpace(q) != kr.k.Query {
		return hits
	}
	out := append(slices.Clone(kr.news.fresh), kr.news.changed...)
	return append(out, kr.without(hits)...)
}

// without leaves out of hits those shown first as new or changed.
func (kr *keptRun) without(hits []search.Hit) []search.Hit {
	if kr == nil || len(kr.marks) == 0 {
		return hits
	}
	out := make([]search.Hit, 0, len(hits))
	for _, h := range hits {
		if kr.marks[h.ID] == "" {
			out = append(out, h)
		}
	}
	return out
}

// mark is "New" or "Changed" for a hit of the open kept search, "" otherwise.
func (kr *keptRun) mark(id string) string {
	if kr == nil {
		return ""
	}
	return kr.marks[id]
}

// summary begins the status line of the open kept search: its name and what was new.
func (kr *keptRun) summary(q string) string {
	if kr == nil || strings.TrimSpace(q) != kr.k.Query {
		return ""
	}
	news := "nothing new or changed since you last looked"
	if c := kr.news.counts(); c != "" {
		news = strings.ReplaceAll(c, " · ", ", ") + " since you last looked"
	}
	return fmt.Sprintf("Kept search “%s”: %s · ", kr.k.Name, news)
}

// openKept runs kept search k in the search screen: its query in the box, what was new
// and changed since it was last opened first and marked; then it is marked seen.
func (s *searchScreen) openKept(k store.KeptSearch) {
	s.kept = &keptRun{k: k}
	s.list.UnselectAll() // its results start at the top: the new ones
	s.selected = -1
	if s.entry.Text != k.Query {
		s.entry.SetText(k.Query)
	}
	s.refresh()
}

// keptCount is a kept search with what it finds new and changed (or why it cannot say).
type keptCount struct {
	k    store.KeptSearch
	news keptNews
	err  error
}

// keptPanel lists, in the navigation column, the live incidents (each with what its
// standing searches find new and changed) and the kept searches of no incident (each with
// its own); choosing an incident opens its workspace, choosing a search runs it.
type keptPanel struct {
	list      *widget.List
	rows      []keptCount  // every kept search, counted
	incidents []store.Item // the live incidents
	entries   []keptEntry  // what the list shows
	hint      *widget.Label
	content   fyne.CanvasObject

	onOpen     func(store.KeptSearch)
	onRename   func(store.KeptSearch)
	onDelete   func(store.KeptSearch)
	onIncident func(id string) // open an incident's workspace; nil: incidents are not listed
}

// keptEntry is a line of the panel: a heading, an incident, or a kept search.
type keptEntry struct {
	heading  string
	incident *store.Item
	kept     *keptCount
	counts   string // "3 new · 1 changed"
}

func newKeptPanel(onOpen, onRename, onDelete func(store.KeptSearch), onIncident func(string)) *keptPanel {
	p := &keptPanel{onOpen: onOpen, onRename: onRename, onDelete: onDelete, onIncident: onIncident}
	p.hint = &widget.Label{Text: "Kept searches: keep a search with Ctrl+Shift+K to see here what is new in it.", Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	p.list = widget.NewList(
		func() int { return len(p.entries) },
		func() fyne.CanvasObject {
			return newKeptRow()
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(p.entries) {
				return
			}
			e := p.entries[i]
			c := o.(*fyne.Container)
			lines := c.Objects[0].(*fyne.Container)
			name, counts := lines.Objects[0].(*widget.Label), lines.Objects[1].(*widget.Label)
			icon := c.Objects[1].(*widget.Icon)
			menu := c.Objects[2].(*widget.Button)
			counts.SetText(e.counts)
			counts.Hidden = e.counts == ""
			name.TextStyle.Bold = e.heading != ""
			switch {
			case e.heading != "":
				name.SetText(e.heading)
				icon.Hide()
				menu.Hide()
				return
			case e.incident != nil:
				name.SetText(e.incident.Title)
				icon.SetResource(theme.WarningIcon())
				icon.Show()
				menu.Hide()
				return
			}
			name.SetText(e.kept.k.Name)
			icon.SetResource(theme.HistoryIcon())
			icon.Show()
			menu.Show()
			k := e.kept.k
			menu.OnTapped = func() {
				m := fyne.NewMenu("", fyne.NewMenuItem("Open", func() { p.onOpen(k) }),
					fyne.NewMenuItem("Rename…", func() { p.onRename(k) }),
					fyne.NewMenuItem("Delete", func() { p.onDelete(k) }))
				c := fyne.CurrentApp().Driver().CanvasForObject(menu)
				if c == nil {
					return
				}
				widget.ShowPopUpMenuAtRelativePosition(m, c, fyne.NewPos(0, menu.Size().Height), menu)
			}
		},
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.list.Unselect(i) // choosing it again opens it again
		if i < 0 || i >= len(p.entries) {
			return
		}
		switch e := p.entries[i]; {
		case e.incident != nil:
			p.onIncident(e.incident.ID)
		case e.kept != nil:
			p.onOpen(e.kept.k)
		}
	}
	p.content = container.NewStack(p.list, container.NewVBox(p.hint))
	return p
}

// newKeptRow is a line of the panel: icon, name, and under it what is new (counts), menu.
func newKeptRow() fyne.CanvasObject {
	menu := &widget.Button{Icon: theme.MoreVerticalIcon(), Importance: widget.LowImportance}
	counts := &widget.Label{Importance: widget.HighImportance, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameCaptionText}
	name := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	lines := container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2), name, counts)
	return container.NewBorder(nil, nil, widget.NewIcon(theme.HistoryIcon()), menu, lines)
}

// show shows the incidents and the kept searches with their counts.
func (p *keptPanel) show(rows []keptCount, incidents []store.Item) {
	p.rows, p.incidents = rows, incidents
	p.entries = p.entries[:0]
	if len(incidents) > 0 && p.onIncident != nil {
		p.entries = append(p.entries, keptEntry{heading: "Incidents"})
		for i := range incidents {
			var sum keptNews
			for _, r := range rows {
				if r.k.Incident == incidents[i].ID {
					sum.fresh = append(sum.fresh, r.news.fresh...)
					sum.changed = append(sum.changed, r.news.changed...)
				}
			}
			p.entries = append(p.entries, keptEntry{incident: &incidents[i], counts: sum.distinct().counts()})
		}
	}
	live := map[string]bool{}
	for _, it := range incidents {
		live[it.ID] = true
	}
	var kept []keptEntry
	for i, r := range rows {
		if r.k.Incident != "" && live[r.k.Incident] && p.onIncident != nil {
			continue // counted with its incident
		}
		counts := r.news.counts()
		if r.err != nil {
			counts = "?"
		}
		kept = append(kept, keptEntry{kept: &rows[i], counts: counts})
	}
	if len(kept) > 0 {
		p.entries = append(p.entries, keptEntry{heading: "Kept searches"})
		p.entries = append(p.entries, kept...)
	}
	// A line with counts has them under its name: two lines high; the others one.
	two := newKeptRow().MinSize().Height
	one := (&widget.Label{Text: "X"}).MinSize().Height
	for i, e := range p.entries {
		h := one
		if e.counts != "" {
			h = two
		}
		p.list.SetItemHeight(i, h)
	}
	empty := len(p.entries) == 0
	p.hint.Hidden = !empty
	p.hint.Refresh()
	p.list.Refresh()
}

// text is what the panel shows of kept search or incident id: "Ossera spill 3 new · 1
// changed".
func (p *keptPanel) text(id string) string {
	for _, e := range p.entries {
		switch {
		case e.kept != nil && e.kept.k.ID == id:
			return strings.TrimSpace(e.kept.k.Name + " " + e.counts)
		case e.incident != nil && e.incident.ID == id:
			return strings.TrimSpace(e.incident.Title + " " + e.counts)
		}
	}
	for _, r := range p.rows { // a search of an incident: counted with it
		if r.k.ID == id {
			return strings.TrimSpace(r.k.Name + " " + r.news.counts())
		}
	}
	return ""
}

// distinct is n with each item once (an item several searches of an incident find).
func (n keptNews) distinct() keptNews {
	seen := map[string]bool{}
	var out keptNews
	for _, h := range n.fresh {
		if !seen[h.ID] {
			seen[h.ID] = true
			out.fresh = append(out.fresh, h)
		}
	}
	for _, h := range n.changed {
		if !seen[h.ID] {
			seen[h.ID] = true
			out.changed = append(out.changed, h)
		}
	}
	return out
}

// reloadKept reads the kept searches again and counts what each finds new and changed,
// off the UI goroutine: one read at a time, and one more after it when asked meanwhile
// (a save, an import, the index catching up, a search kept, renamed, seen).
func (mw *mainWindow) reloadKept() {
	if mw.deps.Kept == nil {
		return
	}
	if mw.keptReading {
		mw.keptAgain = true
		return
	}
	mw.keptReading = true
	go func() {
		rows, err := loadKeptCounts(mw.ctx, mw.deps.Kept, mw.deps.Searcher)
		var incidents []store.Item
		if err == nil && mw.deps.Incidents != nil {
			incidents, err = mw.deps.Incidents.Incidents(mw.ctx, "")
		}
		if mw.ctx.Err() != nil {
			return
		}
		mw.do(func() {
			mw.keptReading = false
			if mw.keptAgain {
				mw.keptAgain = false
				mw.reloadKept()
			}
			if err != nil {
				mw.log.Error("read the kept searches", "err", errKind(err))
				return
			}
			mw.kept.show(rows, incidents)
			mw.keptShown(rows)
		})
	}()
}

// keptShown hands the kept searches just counted to whoever shows them besides the
// navigation (the incidents' workspaces).
func (mw *mainWindow) keptShown(rows []keptCount) {
	for _, f := range mw.onKeptCounts {
		f(rows)
	}
}

// loadKeptCounts reads every kept search and what each finds new and changed.
func loadKeptCounts(ctx context.Context, kept Kept, s Searcher) ([]keptCount, error) {
	ks, err := kept.KeptSearches(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]keptCount, len(ks))
	for i, k := range ks {
		rows[i].k = k
		rows[i].news, rows[i].err = loadKeptNews(ctx, kept, s, k, 0)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return rows, nil
}

// openKept goes to the search and runs kept search k there.
func (mw *mainWindow) openKept(k store.KeptSearch) {
	mw.goThen(searchPlace, func() { mw.search.openKept(k) })
}

// onKeepSearch (Ctrl+Shift+K, Keep this search) asks a name for the search in the box and
// keeps it; it is then the kept search open.
func (mw *mainWindow) onKeepSearch() {
	if mw.deps.Kept == nil {
		return
	}
	q := strings.TrimSpace(mw.search.entry.Text)
	if mw.place != searchPlace || q == "" {
		dialog.ShowInformation("Keep a search", "Type a search first (Ctrl+F), then keep it to see what is new in it later.", mw.win)
		return
	}
	if _, err := search.Parse(q); err != nil {
		dialog.ShowError(fmt.Errorf("this search cannot be kept: %s", searchErrorText(err)), mw.win)
		return
	}
	mw.askKeptName("Keep this search", "Keep", q, func(name string) {
		mw.writeKept(store.KeptSearch{Name: name, Query: q}, func(k store.KeptSearch) {
			if strings.TrimSpace(mw.search.entry.Text) == k.Query {
				mw.search.kept = &keptRun{k: k, loaded: true, seen: true}
				mw.search.refresh()
			}
		})
	})
}

// onRenameKept asks a new name for kept search k.
func (mw *mainWindow) onRenameKept(k store.KeptSearch) {
	mw.askKeptName("Rename the kept search", "Rename", k.Name, func(name string) {
		k.Name = name
		mw.writeKept(k, func(k store.KeptSearch) {
			if mw.search.kept != nil && mw.search.kept.k.ID == k.ID {
				mw.search.kept.k.Name = k.Name
				mw.search.refresh()
			}
		})
	})
}

// onDeleteKept forgets kept search k, once confirmed (the items it finds stay).
func (mw *mainWindow) onDeleteKept(k store.KeptSearch) {
	confirm(mw.win, "Delete the kept search?", fmt.Sprintf("“%s” will no longer be kept. The items it finds are not touched.", k.Name), "Delete", func() {
		go func() {
			err := mw.deps.Kept.DeleteKeptSearch(mw.ctx, k.ID)
			mw.do(func() {
				if err != nil {
					dialog.ShowError(fmt.Errorf("“%s” could not be deleted: %w", k.Name, err), mw.win)
					return
				}
				if mw.search.kept != nil && mw.search.kept.k.ID == k.ID {
					mw.search.kept = nil
					mw.search.refresh()
				}
				mw.reloadKept()
			})
		}()
	})
}

// onKeptCommand runs f on the kept search open in the search (the menu's Rename and
// Delete, Ctrl+Shift+R and Ctrl+Shift+Delete), in an incident's workspace on its standing
// search when it has one, or says there is none.
func (mw *mainWindow) onKeptCommand(f func(store.KeptSearch)) {
	if mw.place.kind == placeIncident {
		var own []store.KeptSearch
		for _, r := range mw.incident.keptRows {
			if r.k.Incident == mw.incident.id {
				own = append(own, r.k)
			}
		}
		if len(own) == 1 {
			f(own[0])
			return
		}
		if len(own) > 1 {
			dialog.ShowInformation("Kept searches", "This incident has several standing searches: open the one to rename or delete (its button above the panes), then press the keys again.", mw.win)
			return
		}
	}
	if mw.place != searchPlace || mw.search.kept == nil {
		dialog.ShowInformation("Kept searches", "Open a kept search first: choose it under Kept searches in the navigation.", mw.win)
		return
	}
	f(mw.search.kept.k)
}

// askKeptName asks for a kept search's name, offering name.
func (mw *mainWindow) askKeptName(title, confirm, name string, then func(string)) {
	entry := widget.NewEntry()
	entry.SetText(name)
	entry.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("give it a name")
		}
		return nil
	}
	d := dialog.NewForm(title, confirm, "Cancel", []*widget.FormItem{widget.NewFormItem("Name", entry)}, func(ok bool) {
		if ok {
			then(strings.TrimSpace(entry.Text))
		}
	}, mw.win)
	entry.OnSubmitted = func(string) { d.Submit() } // Enter keeps it
	d.Resize(fyne.NewSize(480, 160))
	d.Show()
	mw.win.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// writeKept keeps k (off the UI goroutine), then runs done with it and counts again.
func (mw *mainWindow) writeKept(k store.KeptSearch, done func(store.KeptSearch)) {
	go func() {
		saved, err := mw.deps.Kept.KeepSearch(mw.ctx, k)
		if mw.ctx.Err() != nil {
			return
		}
		mw.do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("the search “%s” could not be kept: %w", k.Name, err), mw.win)
				return
			}
			if done != nil {
				done(saved)
			}
			mw.reloadKept() // kept searches are not items: the store announces nothing
		})
	}()
}
