package ui

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// Incidents keeps incidents and what they hold (timeline, call sheet, actions, positions,
// situation reports): *store.DB is one.
type Incidents interface {
	Incidents(ctx context.Context, country string) ([]store.Item, error)
	Get(ctx context.Context, id string) (store.Item, error)
	Records(ctx context.Context, incidentID string) (store.IncidentRecords, error)
	HeldClass(ctx context.Context, incidentID string) (string, error)
	AddEntry(ctx context.Context, e store.TimelineEntry) (store.TimelineEntry, error)
	ProposeCallSheet(ctx context.Context, incidentID string) ([]store.CallRow, error)
	SaveCallRows(ctx context.Context, incidentID string, rows []store.CallRow) ([]store.CallRow, error)
	SaveCallRow(ctx context.Context, r store.CallRow) (store.CallRow, error)
	LogCallWith(ctx context.Context, c store.CallLog) (store.TimelineEntry, error)
	SaveAction(ctx context.Context, a store.IncidentAction) (store.IncidentAction, error)
	SavePosition(ctx context.Context, p store.Position) (store.Position, error)
	DraftSitrep(ctx context.Context, incidentID string, now time.Time) (store.Sitrep, error)
	SaveSitrep(ctx context.Context, s store.Sitrep) (store.Sitrep, error)
	IssueSitrep(ctx context.Context, id string, now time.Time) (store.Sitrep, error)
	AmendSitrep(ctx context.Context, id string, now time.Time) (store.Sitrep, error)
}

// incidentDeps is what the incident workspace and its panes need.
type incidentDeps struct {
	incidents Incidents
	ctx       context.Context
	do        func(func())
	log       *slog.Logger
	win       fyne.Window
	classes   func() []string // the markings, lowest first (the vocabulary)
	now       func() time.Time
	loc       *time.Location // the desk's local time: times are stored in UTC, shown in it
	searcher  Searcher       // runs the standing searches for the timeline's found items; nil: not offered
}

// incidentHandlers are what the workspace calls upward.
type incidentHandlers struct {
	onOpenKept func(store.KeptSearch)  // open a kept search of the incident
	onKeep     func(incidentID string) // keep a standing search for it
	onOpenItem func(id string)         // open an item (a contact, a statement)
	// onExport exports a situation report (its ID, title and marking in it); nil: not
	// offered.
	onExport func(report store.Item)
	// onDossier opens a country's dossier (a call-sheet row's country); nil: not offered.
	onDossier func(alpha3 string)
}

// The workspace's panes, in the order of their tabs (Alt+1…Alt+5).
const (
	paneTimeline = iota
	paneCalls
	paneActions
	panePositions
	paneSitreps
)

// incidentScreen is an incident's workspace: a header (name, status, zero hour, the
// affected countries in downstream order, the marking banner, its standing searches with
// what is new in them), and the panes in tabs: timeline, call sheet, actions, positions,
// situation reports. It reads the incident and everything it holds in one read, off the
// UI goroutine, and again after every commit while it is shown (reload, from the window's
// storeChanged): its own writes are shown that way too.
type incidentScreen struct {
	incidentDeps
	on incidentHandlers

	id       string
	item     store.Item
	recs     store.IncidentRecords
	held     string // the highest marking of the incident and what it holds
	has      bool   // item and recs are the incident id's
	gen      int
	reading  bool // a read is under way; again: read once more after it
	again    bool
	keptRows []keptCount // the kept searches counted last (all; this incident's are shown)

	banner  *classBadge
	name    *widget.Label
	facts   *widget.Label
	affect  *widget.Label
	kept    *fyne.Container
	problem *widget.Label

	timeline  *timelinePane
	calls     *callPane
	actions   *actionsPane
	positions *positionsPane
	sitreps   *sitrepPane
	tabs      *container.AppTabs
	content   fyne.CanvasObject
}

func newIncidentScreen(deps incidentDeps, on incidentHandlers) *incidentScreen {
	if deps.now == nil {
		deps.now = time.Now
	}
	if deps.loc == nil {
		deps.loc = time.Local
	}
	s := &incidentScreen{incidentDeps: deps, on: on}
	s.banner = newClassBadge(true)
	s.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	s.facts = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.affect = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	s.problem.Hide()
	s.kept = container.New(layout.NewRowWrapLayoutWithCustomPadding(4, 4))

	s.timeline = newTimelinePane(s)
	s.calls = newCallPane(s)
	s.actions = newActionsPane(s)
	s.positions = newPositionsPane(s)
	s.sitreps = newSitrepPane(s)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Timeline", theme.HistoryIcon(), s.timeline.content),
		container.NewTabItemWithIcon("Call sheet", theme.AccountIcon(), s.calls.content),
		container.NewTabItemWithIcon("Actions", theme.ConfirmIcon(), s.actions.content),
		container.NewTabItemWithIcon("Positions", theme.DocumentIcon(), s.positions.content),
		container.NewTabItemWithIcon("Situation reports", theme.FileTextIcon(), s.sitreps.content),
	)
	s.tabs.OnSelected = func(*container.TabItem) { s.focusPane() }
	header := container.NewVBox(s.banner, container.NewPadded(container.NewVBox(s.name, s.facts, s.affect, s.kept, s.problem)))
	s.content = container.NewBorder(header, nil, nil, nil, s.tabs)
	if s.ctx != nil {
		go s.tick()
	}
	return s
}

// tickEvery is how often the workspace shown brings its clock-bound text up to date: the
// counterparts' local time, the overdue actions, the time since zero hour.
const tickEvery = 30 * time.Second

// tick hands onTick to the UI goroutine every tickEvery until the window closes.
func (s *incidentScreen) tick() {
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.do(s.onTick)
		}
	}
}

// onTick shows again what depends on the clock, when the workspace is shown (no I/O).
func (s *incidentScreen) onTick() {
	if !s.has || !s.content.Visible() {
		return
	}
	s.facts.SetText(s.factsLine(s.item))
	s.calls.list.Refresh()
	s.actions.show()
}

// open shows incident id (read off the UI goroutine).
func (s *incidentScreen) open(id string) {
	if id != s.id {
		s.id, s.has = id, false
		s.name.SetText("Opening the incident…")
		s.timeline.reset()
		s.calls.reset()
	}
	s.reload()
}

// reload reads the incident and what it holds again: one read at a time, and one more
// after it when a commit came meanwhile.
func (s *incidentScreen) reload() {
	if s.id == "" {
		return
	}
	if s.reading {
		s.again = true
		return
	}
	s.reading = true
	s.gen++
	gen, id := s.gen, s.id
	go func() {
		it, recs, held, err := s.load(id)
		if s.ctx.Err() != nil {
			return
		}
		s.do(func() {
			s.reading = false
			if s.again {
				s.again = false
				defer s.reload()
			}
			if gen != s.gen || id != s.id {
				return
			}
			s.show(it, recs, held, err)
		})
	}()
}

// load reads the incident, everything it holds and its marking (off the UI goroutine).
func (s *incidentScreen) load(id string) (store.Item, store.IncidentRecords, string, error) {
	it, err := s.incidents.Get(s.ctx, id)
	if err != nil {
		return it, store.IncidentRecords{}, "", err
	}
	if it.Kind != store.KindIncident || it.Incident == nil {
		return it, store.IncidentRecords{}, "", fmt.Errorf("“%s” is a %s, not an incident", it.Title, strings.ToLower(kindLabel(it.Kind)))
	}
	recs, err := s.incidents.Records(s.ctx, id)
	if err != nil {
		return it, recs, "", err
	}
	held, err := s.incidents.HeldClass(s.ctx, id)
	return it, recs, held, err
}

// show shows what load read.
func (s *incidentScreen) show(it store.Item, recs store.IncidentRecords, held string, err error) {
	if err != nil {
		s.problem.SetText("This incident cannot be shown: " + err.Error())
		s.problem.Show()
		if !s.has {
			s.name.SetText("")
		}
		return
	}
	s.problem.Hide()
	s.item, s.recs, s.held, s.has = it, recs, held, true
	s.banner.SetClass(held)
	inc := it.Incident
	name := it.Title
	if inc.Exercise {
		name = "EXERCISE — " + name
	}
	s.name.SetText(name)
	s.facts.SetText(s.factsLine(it))
	s.affect.SetText(affectedLine(inc.Affected))
	s.showKept()
	s.timeline.show()
	s.calls.show()
	s.actions.show()
	s.positions.show()
	s.sitreps.show()
}

// factsLine is the incident's status, type, place, zero hour (local, and how long ago),
// severity and lead.
func (s *incidentScreen) factsLine(it store.Item) string {
	inc := it.Incident
	status := "Active"
	if !inc.Active() {
		status = "Closed"
		if !inc.Closed.IsZero() {
			status += " " + s.when(inc.Closed)
		}
	}
	parts := []string{status}
	if inc.Type != "" {
		parts = append(parts, inc.Type)
	}
	if inc.Place != "" {
		parts = append(parts, inc.Place)
	}
	if !inc.ZeroHour.IsZero() {
		parts = append(parts, "zero hour "+s.when(inc.ZeroHour)+" ("+sinceText(s.now().Sub(inc.ZeroHour))+")")
	}
	if inc.Severity != "" {
		parts = append(parts, "severity "+inc.Severity)
	}
	if lead := strings.Join(slices.DeleteFunc([]string{inc.Lead, inc.LeadOrg}, func(s string) bool { return s == "" }), ", "); lead != "" {
		parts = append(parts, "lead: "+lead)
	}
	return strings.Join(parts, " · ")
}

// affectedLine is the affected countries in downstream order: "Downstream, first in line
// first: 1 Togo · 2 Benin" (numbered: the arrow is missing from the bundled font).
func affectedLine(codes []string) string {
	if len(codes) == 0 {
		return "No affected countries given."
	}
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d %s", i+1, countryNames([]string{c}))
	}
	return "Downstream, first in line first: " + strings.Join(parts, " · ")
}

// sinceText is how long ago, as people say it: "T+2 d 4 h", "T+35 min", or "in 3 h" ahead.
func sinceText(d time.Duration) string {
	prefix := "T+"
	if d < 0 {
		prefix, d = "T−", -d
	}
	d = d.Truncate(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%s%d d %d h", prefix, days, hours)
	case hours > 0:
		return fmt.Sprintf("%s%d h %d min", prefix, hours, mins)
	}
	return fmt.Sprintf("%s%d min", prefix, mins)
}

// when is an instant in the desk's local time: "Sat 5 Dec 14:03".
func (s *incidentScreen) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.loc).Format("Mon 2 Jan 15:04")
}

// showKept shows the incident's standing searches with what is new in them, each a button
// that opens it, and one to keep another.
func (s *incidentScreen) showKept() {
	var objs []fyne.CanvasObject
	for _, r := range s.keptRows {
		if r.k.Incident != s.id || s.id == "" {
			continue
		}
		k := r.k
		text := "Standing search: " + k.Name
		if c := r.news.counts(); c != "" {
			text += " — " + c
		}
		b := &widget.Button{Text: text, Icon: theme.SearchIcon(), OnTapped: func() { s.on.onOpenKept(k) }}
		if r.news.counts() != "" {
			b.Importance = widget.HighImportance
		}
		objs = append(objs, b)
	}
	if s.on.onKeep != nil {
		objs = append(objs, &widget.Button{Text: "Keep a standing search…", Icon: theme.ContentAddIcon(), Importance: widget.LowImportance,
			OnTapped: func() { s.on.onKeep(s.id) }})
	}
	s.kept.Objects = objs
	s.kept.Refresh()
}

// showKeptCounts takes the kept searches just counted (the window counts them all).
func (s *incidentScreen) showKeptCounts(rows []keptCount) {
	s.keptRows = rows
	if s.has {
		s.showKept()
		s.timeline.loadFound()
	}
}

// write runs f off the UI goroutine; a failure is shown in a dialog saying what could not
// be done, and then runs (on the UI goroutine) once it succeeded. What it wrote is shown
// by the reload the store's announcement brings.
func (s *incidentScreen) write(what string, f func(ctx context.Context) error, then func()) {
	go func() {
		err := f(s.ctx)
		if s.ctx.Err() != nil {
			return
		}
		s.do(func() {
			if err != nil {
				s.log.Error("incident: "+what, "err", errKind(err))
				dialog.ShowError(fmt.Errorf("%s failed: %w", what, err), s.win)
				return
			}
			if then != nil {
				then()
			}
		})
	}()
}

// showPane shows pane i (paneTimeline…) and puts the focus where typing goes in it.
func (s *incidentScreen) showPane(i int) {
	if i >= 0 && i < len(s.tabs.Items) {
		s.tabs.SelectIndex(i)
		s.focusPane()
	}
}

// focusPane puts the focus in the selected pane's line.
func (s *incidentScreen) focusPane() {
	var f fyne.Focusable
	switch s.tabs.SelectedIndex() {
	case paneTimeline:
		f = s.timeline.line
	case paneCalls:
		f = s.calls.line
	case paneActions:
		f = s.actions.line
	}
	if f != nil && s.content.Visible() {
		s.win.Canvas().Focus(f)
	}
}

// highest is the highest of the markings given (by the scheme's order), "" for none.
func (s *incidentScreen) highest(classes ...string) string {
	order := s.classes()
	best, rank := "", -2
	for _, c := range classes {
		if c == "" {
			continue
		}
		if r := slices.Index(order, c); r > rank { // a marking of another scheme: -1
			best, rank = c, r
		}
	}
	return best
}

// parseLocal reads a time typed in the desk's local time: "2026-12-06 14:00", "6 Dec
// 14:00", "14:00" (today); empty is zero.
func (s *incidentScreen) parseLocal(text string) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	now := s.now().In(s.loc)
	if t, err := time.Parse("2006-01-02", text); err == nil {
		return t, nil // a date alone is the day, as items' dates are (00:00 UTC)
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2 Jan 2006 15:04"} {
		if t, err := time.ParseInLocation(layout, text, s.loc); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.ParseInLocation("2 Jan 15:04", text, s.loc); err == nil {
		return time.Date(now.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, s.loc).UTC(), nil
	}
	if t, err := time.ParseInLocation("15:04", text, s.loc); err == nil {
		return time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, s.loc).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("“%s” is not a time: write it as 2026-12-06 14:00, 6 Dec 14:00 or 14:00 (your local time)", text)
}

// enterButton is a button that Enter (and Space) presses and Escape cancels, for the
// workspace's confirmations: keyboard first, where Fyne's confirm dialog takes a click.
type enterButton struct {
	widget.Button
	onCancel func()
}

func newEnterButton(text string, tapped, cancel func()) *enterButton {
	b := &enterButton{onCancel: cancel}
	b.Text, b.OnTapped, b.Importance, b.Icon = text, tapped, widget.HighImportance, theme.ConfirmIcon()
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Enter or Space, and cancels on Escape.
func (b *enterButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if b.OnTapped != nil {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		if b.onCancel != nil {
			b.onCancel()
		}
	}
}

// confirm asks a question over win with Cancel and a confirming button that has the focus
// (Enter confirms, Escape cancels); yes runs once confirmed.
func confirm(win fyne.Window, title, message, confirmText string, yes func()) {
	msg := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomWithoutButtons(title, msg, win)
	ok := newEnterButton(confirmText, func() { d.Hide(); yes() }, d.Hide)
	cancel := &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: d.Hide}
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
	win.Canvas().Focus(ok)
}
