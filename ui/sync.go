package ui

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// TeamSync is team sync from the window (AddTeamSync): the knowledge base shared with the
// other desks of a team through the remote the administrator's policy names. The window
// runs the rounds in the background (after saves, on a timer, on demand), never on the
// UI goroutine, and shows how it stands in a status line at its foot.
type TeamSync struct {
	// Remote names the team's remote in words (shown in the status line's tooltip-free
	// text: "dir:/srv/team", "s3 https://…").
	Remote string
	// Every is the time between rounds on the timer (0: no timer).
	Every time.Duration
	// Settle is how long after the last commit the window looks for changes waiting,
	// and runs a round when there are (a save is followed by a round, once the typing has
	// paused); 3 seconds when 0.
	Settle time.Duration
	// Round runs one sync round: this desk's changes pushed, the other desks' applied.
	Round func(ctx context.Context) (SyncRound, error)
	// State reads how sync stands: last sync, changes waiting, open conflicts.
	State func(ctx context.Context) (SyncState, error)
	// Conflicts lists and resolves the conflicts sync found: *store.DB is one.
	Conflicts Conflicts
	// DeskName names another desk by its ID (the name in the team's keys); nil or "":
	// the ID's first characters.
	DeskName func(desk string) string
}

// SyncRound is what one round did, in words. Item lines are "ID \"title\"".
type SyncRound struct {
	Summary   string
	Pushed    int // bundles sent
	Received  []string
	Conflicts []string
	Trashed   []string // deleted on another desk: moved to the trash here
	Withdrawn []string // raised above the remote's ceiling on another desk: hidden here
	Problems  []string // bundles of other desks not applied, and why
}

// SyncState is how sync stands, as the status line shows it.
type SyncState struct {
	LastSync  time.Time // zero: never
	Waiting   int       // changes here not yet sent
	Conflicts int       // open conflicts
	LastError string    // the last round's failure, "" when it went through
}

// syncShortcuts are the team sync's keys as the help lists them.
var syncShortcuts = [][2]string{
	{"Ctrl+Shift+S", "Team sync: sync now (when the administrator's policy sets up team sync)"},
	{"Ctrl+Shift+C", "Team sync: the conflicts, to keep this desk's version, the other's, or a merge"},
	{"Ctrl+Shift+1, Ctrl+Shift+2", "In the conflicts: keep this desk's version, keep the other desk's version"},
	{"Ctrl+Shift+M", "In the conflicts: merge (the item's editor, prefilled); Ctrl+S saves the merged version"},
}

func init() { shortcuts = append(shortcuts, syncShortcuts...) }

// AddTeamSync adds team sync to w, a window NewMainWindow made: the Team menu (Sync Now,
// Conflicts…), the status line at the window's foot, and the rounds in the background
// until the window closes. Call it on the UI goroutine; other windows get nothing.
func AddTeamSync(w fyne.Window, ts TeamSync) {
	if mw, ok := mainWindows[w]; ok {
		mw.addTeamSync(ts)
	}
}

// addTeamSync is AddTeamSync on mw.
func (mw *mainWindow) addTeamSync(ts TeamSync) *syncBar {
	// The Conflicts view's actions, on the conflict selected while the view is shown.
	conflictItem := func(label string, key fyne.KeyName, f func(*conflictsView)) *fyne.MenuItem {
		return &fyne.MenuItem{Label: label, Action: func() {
			if mw.confl != nil {
				f(mw.confl)
			}
		}, Shortcut: &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}}
	}
	b := newSyncBar(syncDeps{ts: ts, ctx: mw.ctx, do: mw.do, log: mw.log, app: mw.app},
		syncHandlers{onConflicts: func() { mw.onConflicts(ts) }})
	mw.win.SetContent(container.NewBorder(nil, b.content, nil, nil, mw.win.Content()))
	m := mw.win.MainMenu()
	if m == nil {
		m = fyne.NewMainMenu()
	}
	team := fyne.NewMenu("Team",
		&fyne.MenuItem{Label: "Sync Now", Action: b.onSyncNow,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}},
		&fyne.MenuItem{Label: "Conflicts…", Action: b.on.onConflicts,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}},
		fyne.NewMenuItemSeparator(),
		conflictItem("Keep This Desk's Version", fyne.Key1, (*conflictsView).onKeepMine),
		conflictItem("Keep the Other Desk's Version", fyne.Key2, (*conflictsView).onKeepOther),
		conflictItem("Merge…", fyne.KeyM, (*conflictsView).onMerge))
	at := len(m.Items)
	if at > 0 && m.Items[at-1].Label == "Help" {
		at--
	}
	m.Items = append(m.Items[:at], append([]*fyne.Menu{team}, m.Items[at:]...)...)
	mw.win.SetMainMenu(m)
	commits, stop := mw.deps.Library.Subscribe()
	mw.sync = b
	go func() {
		defer stop()
		b.run(commits)
	}()
	return b
}

// syncDeps is what the sync status line needs.
type syncDeps struct {
	ts  TeamSync
	ctx context.Context // ends when the window closes
	do  func(func())
	log *slog.Logger
	app fyne.App
}

// syncHandlers are what the status line calls upward.
type syncHandlers struct {
	onConflicts func()
}

// syncBar is the team sync's status line at the window's foot, and the loop that runs the
// rounds: one goroutine, so rounds run one at a time; the widgets are touched only on
// the UI goroutine (through do).
type syncBar struct {
	syncDeps
	on syncHandlers

	icon      *widget.Icon
	status    *widget.Label  // last sync, waiting, the failure in words
	news      *widget.Label  // what the last round brought that the user must know
	conflicts *widget.Button // "N conflicts…", opens the Conflicts view
	now       *widget.Button // Sync now
	content   fyne.CanvasObject

	ask chan struct{} // a round asked for (Sync now), buffered

	// UI goroutine only.
	state   SyncState
	syncing bool
	rounds  int // rounds shown
}

func newSyncBar(d syncDeps, on syncHandlers) *syncBar {
	b := &syncBar{syncDeps: d, on: on, ask: make(chan struct{}, 1)}
	if b.ts.Settle <= 0 {
		b.ts.Settle = 3 * time.Second
	}
	b.icon = widget.NewIcon(theme.ViewRefreshIcon())
	b.status = &widget.Label{Text: "Team sync: not yet synced", Truncation: fyne.TextTruncateEllipsis}
	b.news = &widget.Label{Importance: widget.WarningImportance, Truncation: fyne.TextTruncateEllipsis}
	b.news.Hide()
	b.conflicts = &widget.Button{Text: "Conflicts…", Icon: theme.WarningIcon(), Importance: widget.WarningImportance, OnTapped: func() {
		if b.on.onConflicts != nil {
			b.on.onConflicts()
		}
	}}
	b.conflicts.Hide()
	b.now = &widget.Button{Text: "Sync now", Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: b.onSyncNow}
	b.content = container.NewBorder(widget.NewSeparator(), nil, b.icon,
		container.NewVBox(layout.NewSpacer(), container.NewHBox(b.conflicts, b.now), layout.NewSpacer()),
		container.NewVBox(b.status, b.news))
	return b
}

// onSyncNow asks for a round now (Team → Sync Now, Ctrl+Shift+S, the button).
func (b *syncBar) onSyncNow() {
	b.syncing = true
	b.showState()
	select {
	case b.ask <- struct{}{}:
	default: // one is asked already
	}
}

// run is the loop (its own goroutine): a round at once, then on the timer, on demand, and
// after commits once they settle, when changes are waiting; after every commit the state
// is read again (a resolution, sync's own writes). It ends with ctx.
func (b *syncBar) run(commits <-chan struct{}) {
	var tick <-chan time.Time
	if b.ts.Every > 0 {
		t := time.NewTicker(b.ts.Every)
		defer t.Stop()
		tick = t.C
	}
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	b.round()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.ask:
			b.round()
		case <-tick:
			b.round()
		case _, ok := <-commits:
			if !ok {
				commits = nil
				continue
			}
			settle.Reset(b.ts.Settle)
		case <-settle.C:
			st, err := b.readState()
			if err == nil && st.Waiting > 0 {
				b.round()
			}
		}
	}
}

// readState reads the state and shows it (off the UI goroutine).
func (b *syncBar) readState() (SyncState, error) {
	st, err := b.ts.State(b.ctx)
	if b.ctx.Err() != nil {
		return st, b.ctx.Err()
	}
	if err != nil {
		b.log.Error("read the team sync state", "err", errKind(err))
		return st, err
	}
	b.do(func() { b.state = st; b.showState() })
	return st, nil
}

// round runs one round and shows what it did (off the UI goroutine).
func (b *syncBar) round() {
	b.do(func() { b.syncing = true; b.showState() })
	rep, err := b.ts.Round(b.ctx)
	if b.ctx.Err() != nil {
		return
	}
	if err != nil {
		b.log.Error("team sync", "err", errKind(err))
	}
	st, serr := b.ts.State(b.ctx)
	if b.ctx.Err() != nil {
		return
	}
	b.do(func() {
		b.syncing = false
		b.rounds++
		if serr == nil {
			b.state = st
		}
		if err != nil {
			b.state.LastError = err.Error()
		}
		b.showState()
		b.showRound(rep, err)
	})
}

// showState writes the status line from b.state (UI goroutine).
func (b *syncBar) showState() {
	st := b.state
	var parts []string
	switch {
	case b.syncing:
		parts = append(parts, "Team sync: syncing…")
	case st.LastSync.IsZero():
		parts = append(parts, "Team sync: not yet synced")
	default:
		parts = append(parts, "Team sync: last synced "+syncTime(st.LastSync))
	}
	if st.Waiting == 0 {
		parts = append(parts, "nothing waiting")
	} else {
		parts = append(parts, plural(st.Waiting, "change", "changes")+" waiting")
	}
	parts = append(parts, plural(st.Conflicts, "open conflict", "open conflicts"))
	text := strings.Join(parts, " · ")
	if st.LastError != "" && !b.syncing {
		text += " · Last sync failed: " + syncProblem(st.LastError)
		b.status.Importance = widget.DangerImportance
	} else {
		b.status.Importance = widget.MediumImportance
	}
	b.status.SetText(text)
	if st.Conflicts > 0 {
		b.conflicts.SetText(plural(st.Conflicts, "conflict", "conflicts") + "…")
		b.conflicts.Show()
	} else {
		b.conflicts.Hide()
	}
}

// showRound tells what the round brought that the user must know: items withdrawn or
// deleted on another desk (hidden here, in the trash), new conflicts, bundles refused.
func (b *syncBar) showRound(rep SyncRound, err error) {
	var lines []string
	if n := len(rep.Received); n > 0 {
		lines = append(lines, "Received "+plural(n, "change", "changes")+" from the team")
	}
	if n := len(rep.Conflicts); n > 0 {
		lines = append(lines, plural(n, "new conflict", "new conflicts")+": "+itemTitles(rep.Conflicts))
	}
	if n := len(rep.Withdrawn); n > 0 {
		lines = append(lines, "Withdrawn by another desk (marked above what the team may share), hidden here and moved to the trash: "+itemTitles(rep.Withdrawn))
	}
	if n := len(rep.Trashed); n > 0 {
		lines = append(lines, "Deleted on another desk, moved to the trash here: "+itemTitles(rep.Trashed))
	}
	if n := len(rep.Problems); n > 0 {
		lines = append(lines, plural(n, "problem", "problems")+" with other desks' changes (not applied): "+strings.Join(rep.Problems, "; "))
	}
	if len(lines) == 0 {
		if err == nil && b.news.Visible() && !strings.HasPrefix(b.news.Text, "Withdrawn") && !strings.HasPrefix(b.news.Text, "Deleted") {
			b.news.Hide() // a quiet round clears "Received…"; what was hidden stays told
		}
		return
	}
	b.news.SetText(syncTime(time.Now()) + ": " + strings.Join(lines, " · "))
	b.news.Show()
	if len(rep.Withdrawn)+len(rep.Trashed) > 0 && b.app != nil {
		b.app.SendNotification(fyne.NewNotification("Chancery: items hidden by team sync", strings.Join(lines, "\n")))
	}
}

// itemTitles writes report lines ("ID \"title\"") as their titles: "“A”, “B”".
func itemTitles(lines []string) string {
	var out []string
	for _, l := range lines {
		if i := strings.IndexByte(l, '"'); i >= 0 {
			q, err := strconv.QuotedPrefix(l[i:])
			if t, uerr := strconv.Unquote(q); err == nil && uerr == nil {
				out = append(out, "“"+t+"”")
				continue
			}
			out = append(out, l[i:])
		} else {
			out = append(out, l)
		}
	}
	if len(out) > 3 {
		out = append(out[:3], fmt.Sprintf("and %d more", len(out)-3))
	}
	return strings.Join(out, ", ")
}

// syncTime is when, as the status line says it: "at 14:02", or "on 3 Nov at 14:02".
func syncTime(t time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); y == time.Now().Year() && m == time.Now().Month() && d == time.Now().Day() {
		return "at " + t.Format("15:04")
	}
	return "on " + t.Format("2 Jan at 15:04")
}

// syncProblem is a round's failure in words a desk officer reads: the technical detail
// after what it means.
func syncProblem(msg string) string {
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "connection refused"), strings.Contains(low, "no such host"), strings.Contains(low, "timeout"),
		strings.Contains(low, "network is unreachable"):
		return "the team's storage cannot be reached (offline?); your work is kept here and sent later (" + msg + ")"
	case strings.Contains(low, "no such file"), strings.Contains(low, "not exist"):
		return "the team's storage is not there; your work is kept here and sent later (" + msg + ")"
	case strings.Contains(low, "team.json"), strings.Contains(low, "another team"), strings.Contains(low, "emptied"):
		return "the team's storage is not the one this desk joined; nothing was sent or applied (" + msg + ")"
	}
	return msg
}

var _ Conflicts = (*store.DB)(nil)
