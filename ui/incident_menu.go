package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// incidentShortcuts are the workspace's keys as the help lists them (every one is on the
// Incident menu, so it works while a line has the focus).
var incidentShortcuts = [][2]string{
	{"Ctrl+Shift+I", "Open the workspace of the incident open, or back to it from its standing search, else to the last one shown (or choose an incident)"},
	{"Alt+1 … Alt+5", "In a workspace: Timeline, Call sheet, Actions, Positions, Situation reports"},
	{"Alt+N", "What is new: open the incident's standing search (new items first, then changed ones)"},
	{"Alt+T", "Add to the timeline: type what happened, Enter (a time first, 14:05 …, for an earlier one)"},
	{"Alt+E", "Next timeline entry type (event, decision, call, message sent, message received, observation)"},
	{"Alt+S", "Mark the next timeline entry significant, or not"},
	{"Alt+C", "Correct the selected timeline entry (a new entry naming it)"},
	{"Alt+L", "Log a call: then 1 no answer, 2 message left, 3 reached, 4 receipt confirmed, what was said, Enter"},
	{"Ctrl+Shift+D", "In a workspace: the country dossier of the selected call-sheet row (Ctrl+Shift+I comes back)"},
	{"Alt+O", "Propose the call sheet from the contacts of the affected countries"},
	{"Alt+A", "New action: type it, Enter"},
	{"Alt+D", "Mark the selected action done"},
	{"Alt+P", "Add a position"},
	{"Alt+Shift+P", "Edit the selected position (or a row's Edit… button)"},
	{"Alt+R", "Draft the next situation report"},
	{"Alt+I", "Issue the situation report shown (it never changes after)"},
	{"Alt+M", "Amend the issued situation report shown: a new number naming it, drafted from its text"},
	{"Alt+X", "Export the situation report shown: PDF, Word, HTML or Markdown, a release copy up to a ceiling"},
	{"Ctrl+S", "In a workspace: save the situation report being drafted"},
}

func init() { shortcuts = append(shortcuts, incidentShortcuts...) }

// incidentMenu is the Incident menu: every action of the workspace with its shortcut.
func (mw *mainWindow) incidentMenu() *fyne.Menu {
	alt := func(label string, key fyne.KeyName, f func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, f)
		m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}
		return m
	}
	altShift := func(label string, key fyne.KeyName, f func()) *fyne.MenuItem {
		m := fyne.NewMenuItem(label, f)
		m.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift}
		return m
	}
	inWS := func(pane int, f func()) func() {
		return func() {
			if mw.place.kind != placeIncident {
				mw.onOpenWorkspace()
				return
			}
			if pane >= 0 {
				mw.incident.showPane(pane)
			}
			if f != nil {
				f()
			}
		}
	}
	s := mw.incident
	open := fyne.NewMenuItem("Open Incident Workspace", mw.onOpenWorkspace)
	open.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	return fyne.NewMenu("Incident",
		open,
		fyne.NewMenuItemSeparator(),
		alt("Timeline", fyne.Key1, inWS(paneTimeline, nil)),
		alt("Call Sheet", fyne.Key2, inWS(paneCalls, nil)),
		alt("Actions", fyne.Key3, inWS(paneActions, nil)),
		alt("Positions", fyne.Key4, inWS(panePositions, nil)),
		alt("Situation Reports", fyne.Key5, inWS(paneSitreps, nil)),
		alt("What Is New", fyne.KeyN, inWS(-1, mw.onIncidentNews)),
		fyne.NewMenuItemSeparator(),
		alt("Add to Timeline", fyne.KeyT, inWS(paneTimeline, nil)),
		alt("Next Entry Type", fyne.KeyE, inWS(paneTimeline, func() { s.timeline.onNextType() })),
		alt("Significant", fyne.KeyS, inWS(paneTimeline, func() { s.timeline.onSignificant() })),
		alt("Correct Entry", fyne.KeyC, inWS(paneTimeline, func() { s.timeline.onCorrect() })),
		fyne.NewMenuItemSeparator(),
		alt("Log a Call", fyne.KeyL, inWS(paneCalls, func() { s.calls.onLog() })),
		alt("Propose Call Sheet", fyne.KeyO, inWS(paneCalls, func() { s.calls.onPropose() })),
		fyne.NewMenuItemSeparator(),
		alt("New Action", fyne.KeyA, inWS(paneActions, nil)),
		alt("Action Done", fyne.KeyD, inWS(paneActions, func() { s.actions.onDone() })),
		alt("Add Position…", fyne.KeyP, inWS(panePositions, func() { s.positions.onAdd() })),
		altShift("Edit Position…", fyne.KeyP, inWS(panePositions, func() { s.positions.onEdit() })),
		fyne.NewMenuItemSeparator(),
		alt("Draft Next Situation Report", fyne.KeyR, inWS(paneSitreps, func() { s.sitreps.onDraft() })),
		alt("Issue Situation Report…", fyne.KeyI, inWS(paneSitreps, func() { s.sitreps.onIssue() })),
		alt("Amend Situation Report…", fyne.KeyM, inWS(paneSitreps, func() { s.sitreps.onAmend() })),
		alt("Export Situation Report…", fyne.KeyX, inWS(paneSitreps, func() { s.sitreps.onExport() })),
	)
}

// exportSitrep asks how to export a situation report (format, release ceiling, file) and
// writes it through Deps.ExportSitrep, as a briefing is exported (briefings.go).
func (mw *mainWindow) exportSitrep(report store.Item) {
	x := newExportRun(mw.briefs, report)
	x.exporter = mw.deps.ExportSitrep
	mw.briefs.export = x
}

// onIncidentNews (Alt+N) opens the standing search of the incident shown that finds the
// most new and changed items (the first when none does); with none kept, it offers to keep
// one.
func (mw *mainWindow) onIncidentNews() {
	s := mw.incident
	var best *keptCount
	for i, r := range s.keptRows {
		if r.k.Incident != s.id {
			continue
		}
		if best == nil || len(r.news.fresh)+len(r.news.changed) > len(best.news.fresh)+len(best.news.changed) {
			best = &s.keptRows[i]
		}
	}
	if best == nil {
		mw.onKeepForIncident(s.id)
		return
	}
	mw.openKept(best.k)
}

// openIncident shows the workspace of incident id.
func (mw *mainWindow) openIncident(id string) { mw.goTo(incidentPlace(id)) }

// onOpenWorkspace (Ctrl+Shift+I) opens the workspace of the incident open in the item
// pane, else, from an incident's standing search, that incident's, else the workspace
// shown last (back from a dossier), else lets the person choose one in the palette.
func (mw *mainWindow) onOpenWorkspace() {
	if mw.deps.Incidents == nil {
		return
	}
	if p := mw.pane(); mw.place.kind != placeIncident && p.has && p.item.Kind == store.KindIncident && p.item.ID != "" {
		mw.openIncident(p.item.ID)
		return
	}
	if k := mw.search.kept; mw.place == searchPlace && k != nil && k.k.Incident != "" {
		mw.openIncident(k.k.Incident) // back from the incident's standing search (Alt+N)
		return
	}
	if mw.place.kind != placeIncident && mw.incident.id != "" { // back to the last workspace
		mw.openIncident(mw.incident.id)
		return
	}
	mw.palette.choose("Open the workspace of… (type part of an incident's name)",
		func(t store.Title) bool { return t.Kind == store.KindIncident }, nil,
		func(t store.Title) { mw.openIncident(t.ID) }, nil)
}

// openFound opens an item reached from a workspace (a position's statement) in the
// search's pane.
func (mw *mainWindow) openFound(id string) {
	mw.goThen(searchPlace, func() { mw.search.onOpenLinked(id) })
}

// onKeepForIncident asks for a standing search of incident id (a name and a query, the
// incident's name offered) and keeps it.
func (mw *mainWindow) onKeepForIncident(id string) {
	if mw.deps.Kept == nil {
		return
	}
	title := mw.incident.item.Title
	name, query := widget.NewEntry(), widget.NewEntry()
	name.SetText(title)
	query.SetText(strings.ToLower(title))
	d := dialog.NewForm("Keep a standing search for this incident", "Keep", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("Search", query)}, func(ok bool) {
			if !ok {
				return
			}
			mw.writeKept(store.KeptSearch{Name: name.Text, Query: query.Text, Incident: id}, nil)
		}, mw.win)
	name.OnSubmitted = func(string) { d.Submit() } // Enter keeps it
	query.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
	mw.win.Canvas().Focus(query)
}
