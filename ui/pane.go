package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// autosaveAfter is how long typing must pause before what was typed is saved.
var autosaveAfter = 2 * time.Second

// itemPane is the selected item beside a list: a toolbar (edit, save, trash or restore,
// history, open original), and the item's view or its editor. Saving is explicit (Ctrl+S)
// and automatic after a pause in the typing; leaving the editor or closing the window
// saves what was typed. What is typed is never lost: a save that fails keeps the editor
// open with the text and says why; leaving it then asks (Keep editing, Discard changes);
// and what the editor holds unsaved is kept as a draft in the data folder (drafts.go)
// until it is saved or discarded.
type itemPane struct {
	env  *env
	on   paneHandlers
	view *itemView
	ed   *editor

	editBtn, saveBtn, trashBtn, restoreBtn, historyBtn, originalBtn *widget.Button
	addBtn, exportBtn                                               *widget.Button // briefings.go
	workspaceBtn                                                    *widget.Button // incident.go
	state                                                           *widget.Label
	stack                                                           *fyne.Container
	content                                                         fyne.CanvasObject

	// State: UI goroutine only.
	item    store.Item // the item shown or edited
	has     bool
	dirty   bool // the editor holds changes not saved
	edits   int  // the generation of what the editor holds: changes typed so far
	saving  bool
	waiters []func(error) // told when the saves running and those after them are done
	history *history      // the history dialog opened last
	note    string        // said once the item being opened is shown ("Restored from the trash.")
	// afterEdit runs when the editor closes: it shows the item the view opened meanwhile
	// (the item chosen while a save ran), or clears the pane.
	afterEdit func()
	askThen   func() // not nil while the question "could not be saved" is on screen: what to do when the user discards
	// draftKey names the editor's draft (drafts.go); draftPending: a draft will be written.
	draftKey     string
	draftPending bool
}

// paneHandlers are what a pane calls upward. What it writes reaches the lists and the
// search through the store's and the index's announcements (mainWindow.follow), not
// through the pane.
type paneHandlers struct {
	// onAddToBriefing and onExportBriefing act on the item shown (briefings.go); nil: not
	// offered.
	onAddToBriefing, onExportBriefing func()
	// onOpenIncident opens an incident's workspace (incident.go); nil: not offered.
	onOpenIncident func(id string)
}

func newItemPane(e *env, view *itemView, on paneHandlers) *itemPane {
	p := &itemPane{env: e, view: view, on: on}
	view.beforeOpen = p.leaveEditor // the item opened is shown once the editor closes
	view.onShown = p.onShown
	p.editBtn = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), p.onEdit)
	p.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { p.save(nil) })
	p.trashBtn = widget.NewButtonWithIcon("Trash", theme.DeleteIcon(), p.onTrash)
	p.restoreBtn = widget.NewButtonWithIcon("Restore", theme.ContentUndoIcon(), p.onRestore)
	p.restoreBtn.Importance = widget.HighImportance
	p.historyBtn = widget.NewButtonWithIcon("History", theme.HistoryIcon(), p.onHistory)
	p.originalBtn = widget.NewButtonWithIcon("Open original", theme.FileIcon(), p.onOpenOriginal)
	p.addBtn = widget.NewButtonWithIcon("Add to briefing", theme.ListIcon(), func() { p.on.onAddToBriefing() })
	p.exportBtn = widget.NewButtonWithIcon("Export", theme.DocumentPrintIcon(), func() { p.on.onExportBriefing() })
	p.workspaceBtn = widget.NewButtonWithIcon("Open workspace", theme.WarningIcon(), func() { p.on.onOpenIncident(p.item.ID) })
	for _, b := range []*widget.Button{p.editBtn, p.saveBtn, p.trashBtn, p.historyBtn, p.originalBtn, p.addBtn, p.exportBtn} {
		b.Importance = widget.LowImportance
	}
	p.state = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	p.stack = container.NewStack(view.content)
	bar := container.NewBorder(nil, nil,
		container.NewHBox(p.editBtn, p.saveBtn, p.trashBtn, p.restoreBtn, p.historyBtn, p.originalBtn, p.addBtn, p.exportBtn, p.workspaceBtn), nil, p.state)
	p.content = container.NewBorder(container.NewVBox(bar, widget.NewSeparator()), nil, nil, nil, p.stack)
	p.showButtons()
	return p
}

func (p *itemPane) showButtons() {
	deleted := p.has && p.item.Deleted != nil
	setVisible(p.editBtn, p.has && !deleted)
	setVisible(p.saveBtn, p.ed != nil)
	setVisible(p.trashBtn, p.has && !deleted && p.item.ID != "")
	setVisible(p.restoreBtn, deleted)
	setVisible(p.historyBtn, p.has && p.item.ID != "")
	setVisible(p.originalBtn, p.has && p.item.Document != nil && p.item.Document.SHA256 != "")
	live := p.has && !deleted && p.item.ID != ""
	setVisible(p.addBtn, live && p.ed == nil && p.item.Kind != store.KindBriefing && p.on.onAddToBriefing != nil) // Ctrl+B while editing
	setVisible(p.exportBtn, live && p.item.Kind == store.KindBriefing && p.on.onExportBriefing != nil)
	setVisible(p.workspaceBtn, live && p.ed == nil && p.item.Kind == store.KindIncident && p.on.onOpenIncident != nil)
	if p.ed != nil {
		p.editBtn.SetText("Done")
		p.editBtn.SetIcon(theme.ConfirmIcon())
	} else {
		p.editBtn.SetText("Edit")
		p.editBtn.SetIcon(theme.DocumentCreateIcon())
	}
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// onShown follows the item the view shows.
func (p *itemPane) onShown(it store.Item) {
	if p.ed != nil { // still saving, or not saved: the editor stays until it closes
		p.afterEdit = func() { p.onShown(it) }
		return
	}
	p.item, p.has = it, true
	switch {
	case it.Deleted != nil:
		p.setState("In the trash since " + formatDate(*it.Deleted) + " — Restore brings it back.")
	default:
		p.setState(p.note)
	}
	p.note = ""
	p.showButtons()
}

func (p *itemPane) setState(s string) { p.state.SetText(s) }

// open shows item id (leaving the editor, saving it first).
func (p *itemPane) open(id string) { p.view.open(id) }

// clear shows nothing (once the editor, if open, is saved and closed).
func (p *itemPane) clear(msg string) {
	p.view.gen++
	p.view.shownID = ""
	p.view.banner.Hide()
	p.view.showMessage(msg)
	cleared := func() {
		p.has = false
		p.setState("")
		p.showButtons()
	}
	if p.ed == nil {
		cleared()
		return
	}
	p.afterEdit = cleared
	p.leaveEditor()
}

// onEdit switches between the view and the editor.
func (p *itemPane) onEdit() {
	if p.ed != nil {
		id := p.item.ID
		p.leave(func() {
			if id != "" {
				p.view.open(id)
			}
		})
		return
	}
	if !p.has || p.item.Deleted != nil {
		return
	}
	p.edit(p.item)
}

// edit opens the editor on it.
func (p *itemPane) edit(it store.Item) { p.editTyped(it, nil) }

// editTyped opens the editor on it, with the fields in typed as typed (a draft's).
func (p *itemPane) editTyped(it store.Item, typed map[string]string) {
	p.item, p.has = it, true
	p.ed = newEditor(p.env, it)
	p.ed.setTyped(typed)
	p.ed.onEdit = p.onEdited
	p.dirty, p.edits, p.saving, p.waiters, p.afterEdit = false, 0, false, nil, nil
	p.draftKey = it.ID
	if it.ID == "" {
		p.draftKey = fmt.Sprintf("new-%d", time.Now().UnixNano())
	}
	p.stack.Objects = []fyne.CanvasObject{p.ed.content}
	p.stack.Refresh()
	p.setState("Editing — saved automatically, or now with Ctrl+S")
	p.showButtons()
	p.ed.focus(p.env.win.Canvas())
}

// newItem opens the editor on a new item of kind k.
func (p *itemPane) newItem(k store.Kind) {
	if !p.leaveNow(func() { p.newItem(k) }) {
		return
	}
	p.view.gen++ // an item still loading must not replace the editor
	p.view.shownID = ""
	it := store.Item{Kind: k, Class: p.env.vocab.newClass()}
	switch k {
	case store.KindNote:
		it.Note = &store.Note{}
	case store.KindContact:
		it.Contact = &store.Contact{}
	case store.KindOrganisation:
		it.Organisation = &store.Organisation{}
	case store.KindBriefing:
		it.Briefing = &store.Briefing{}
	case store.KindIncident:
		it.Incident = &store.Incident{}
	}
	p.edit(it)
	p.setState("New " + strings.ToLower(kindLabel(k)) + " — saved as soon as it has a title")
}

// leaveEditor closes the editor once what it holds is saved; when it cannot be saved the
// editor stays open and the user is asked (see leave).
func (p *itemPane) leaveEditor() { p.leave(nil) }

// leave closes the editor once what it holds is saved (waiting for a save running, and
// saving what was typed during it too), then runs then. When it cannot be saved, the
// editor stays open with the text and the reason, and the user is asked: Keep editing, or
// Discard changes (then then runs).
func (p *itemPane) leave(then func()) {
	if then == nil {
		then = func() {}
	}
	ed := p.ed
	if ed == nil {
		then()
		return
	}
	p.save(func(err error) {
		switch {
		case p.ed != ed: // closed meanwhile
			then()
		case err == nil && p.dirty: // typed since: save that too
			p.leave(then)
		case err == nil:
			p.closeEditor()
			then()
		default:
			p.askLeave(err, then)
		}
	})
}

// leaveNow closes the editor at once when what it holds is saved, and reports whether it
// did; else it leaves (see leave) and runs retry once the editor is closed.
func (p *itemPane) leaveNow(retry func()) bool {
	now, left := true, false
	p.leave(func() {
		if now {
			left = true
			return
		}
		retry()
	})
	now = false
	return left
}

// askLeave asks what to do with an edit that could not be saved, on leaving it: Keep
// editing, or Discard changes and go on (then).
func (p *itemPane) askLeave(err error, then func()) {
	asking := p.askThen != nil
	p.askThen = then
	if asking {
		return
	}
	msg := &widget.Label{Wrapping: fyne.TextWrapWord, Text: fmt.Sprintf("“%s” could not be saved. %s.\n\n"+
		"What you typed is still in the editor: correct it and it is saved, or discard your changes.", p.editTitle(), saveProblem(err))}
	d := dialog.NewCustomConfirm("Not saved", "Discard changes", "Keep editing", msg, func(discard bool) {
		then := p.askThen
		p.askThen = nil
		if !discard {
			if p.ed != nil {
				// The item chosen is not opened: choosing it again asks again.
				p.afterEdit = nil
				p.view.gen++
				p.view.shownID = p.item.ID
				p.ed.focus(p.env.win.Canvas())
			}
			return
		}
		p.discard(nil)
		then()
	}, p.env.win)
	d.SetConfirmImportance(widget.DangerImportance) // discarding is the destructive choice, not the default one
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// editTitle names the item being edited to the user.
func (p *itemPane) editTitle() string {
	if p.ed != nil {
		if t := strings.TrimSpace(p.ed.title.Text); t != "" {
			return t
		}
	}
	if p.item.Title != "" {
		return p.item.Title
	}
	return "The new " + strings.ToLower(kindLabel(p.item.Kind))
}

// saveProblem says in words why a save failed (a sentence without its full stop).
func saveProblem(err error) string {
	switch {
	case errors.Is(err, store.ErrConflict):
		return "It was changed elsewhere since it was opened: copy your text, discard your changes, open the item again and edit it"
	case errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "disk is full"):
		return "The disk is full: make room on it, then save again (Ctrl+S)"
	}
	return strings.TrimSuffix(err.Error(), ".")
}

// closeEditor shows the view instead of the editor, without saving.
func (p *itemPane) closeEditor() {
	p.ed = nil
	p.dirty, p.saving = false, false
	p.stack.Objects = []fyne.CanvasObject{p.view.content}
	p.stack.Refresh()
	p.showButtons()
	if f := p.afterEdit; f != nil {
		p.afterEdit = nil
		f()
	}
}

// discard closes the editor without saving and removes its draft; done (when not nil)
// runs once the draft is gone.
func (p *itemPane) discard(done func()) {
	if p.ed == nil {
		if done != nil {
			done()
		}
		return
	}
	p.removeDraft(done)
	reopen := p.afterEdit == nil && p.item.ID != "" && p.view.shownID == p.item.ID // not another item opening
	id := p.item.ID
	p.note = "Your changes were discarded."
	p.closeEditor()
	if reopen {
		p.view.open(id) // as stored
	}
}

func (p *itemPane) onEdited() {
	p.dirty = true
	p.edits++
	n := p.edits
	ed := p.ed
	p.setState("Editing — unsaved changes")
	wait := autosaveAfter
	go func() {
		time.Sleep(wait)
		p.env.do(func() {
			if p.ed == ed && p.edits == n && p.dirty {
				p.save(nil)
			}
		})
	}()
	p.scheduleDraft()
}

// scheduleDraft keeps what the editor holds as a draft within draftAfter.
func (p *itemPane) scheduleDraft() {
	if p.draftPending {
		return
	}
	p.draftPending = true
	ed, wait := p.ed, draftAfter
	go func() {
		time.Sleep(wait)
		p.env.do(func() {
			p.draftPending = false
			if p.ed == ed && p.dirty {
				p.writeDraft(nil)
			}
		})
	}()
}

// writeDraft keeps what the editor holds as a draft, off the UI goroutine; done (when not
// nil) is called on the UI goroutine with the outcome.
func (p *itemPane) writeDraft(done func(error)) {
	ed := p.ed
	if ed == nil {
		if done != nil {
			done(nil)
		}
		return
	}
	d := ed.draft(p.draftKey)
	seq := p.env.drafts.next()
	go func() {
		err := p.env.drafts.write(seq, d)
		if err != nil {
			p.env.log.Error("keep a draft", "key", d.Key, "err", err)
		}
		if done != nil {
			p.env.do(func() { done(err) })
		}
	}()
}

// removeDraft removes the editor's draft, off the UI goroutine; done (when not nil) runs
// on the UI goroutine after.
func (p *itemPane) removeDraft(done func()) {
	key := p.draftKey
	if key == "" {
		if done != nil {
			done()
		}
		return
	}
	seq := p.env.drafts.next()
	go func() {
		if err := p.env.drafts.remove(seq, key); err != nil {
			p.env.log.Error("remove a draft", "key", key, "err", err)
		}
		if done != nil {
			p.env.do(done)
		}
	}()
}

// restoreDraft opens draft d in the editor, unsaved, and says so.
func (p *itemPane) restoreDraft(d draft) {
	p.leave(func() {
		p.view.gen++ // an item still loading must not replace the editor
		p.view.shownID = d.Item.ID
		p.editTyped(d.Item, d.Typed)
		p.draftKey = d.Key
		p.dirty = true
		p.edits++
		if _, err := p.ed.collect(); err != nil {
			p.ed.showProblem("Not saved — " + saveProblem(err) + ".")
		}
		p.setState("Restored what was typed " + d.Written.Local().Format("2 Jan 15:04") + " and not saved: check it, then save (Ctrl+S)")
	})
}

// save saves what the editor holds, off the UI goroutine; done (when not nil) is called
// on the UI goroutine once it is saved, with what was typed while it was being saved
// (each change typed is a generation: a save saves the generation it read, and another
// follows while a newer one is typed), or with why it could not be.
func (p *itemPane) save(done func(error)) {
	if done != nil {
		p.waiters = append(p.waiters, done)
	}
	if p.saving {
		return // showSaved saves what was typed meanwhile, then tells the waiters
	}
	p.saveNext()
}

// saveNext starts saving what the editor holds when it is newer than what is saved, and
// else tells the waiters.
func (p *itemPane) saveNext() {
	ed := p.ed
	if ed == nil || !p.dirty {
		p.finish(nil)
		return
	}
	it, err := ed.collect()
	if err != nil && it.Kind == store.KindNote && strings.TrimSpace(ed.title.Text) == "" {
		if t := firstLine(ed.body.Text); t != "" {
			ed.title.SetText(t) // a new note is named by its first line
			it, err = ed.collect()
		}
	}
	if err != nil {
		p.showNotSaved(ed, err)
		p.finish(err)
		return
	}
	ed.showProblem("")
	p.saving = true
	n := p.edits
	ctx := context.WithoutCancel(p.env.ctx) // a save started as the window closes must finish
	go func() {
		saved, err := p.env.lib.Save(ctx, it)
		p.env.do(func() { p.showSaved(ed, n, saved, err) })
	}()
}

// finish tells the waiters how saving ended.
func (p *itemPane) finish(err error) {
	ws := p.waiters
	p.waiters = nil
	for _, w := range ws {
		w(err)
	}
}

// showNotSaved says why what the editor holds was not saved; the text stays, and is kept
// as a draft at once.
func (p *itemPane) showNotSaved(ed *editor, err error) {
	ed.showProblem("Not saved — " + saveProblem(err) + ".")
	p.setState("Not saved — what you typed is kept in the editor")
	p.writeDraft(nil)
}

func (p *itemPane) showSaved(ed *editor, n int, saved store.Item, err error) {
	if p.ed != ed { // discarded while it was being saved
		return
	}
	p.saving = false
	if err != nil {
		p.env.log.Error("save item", "id", ed.orig.ID, "err", errKind(err)) // its text may quote the title
		p.showNotSaved(ed, err)
		p.finish(err)
		return
	}
	prev := ed.orig.ID
	ed.orig = saved
	p.item = saved
	if p.view.shownID == "" || p.view.shownID == prev { // not another item chosen meanwhile
		p.view.shownID = saved.ID
	}
	if p.edits == n {
		p.dirty = false
		p.setState("Saved at " + time.Now().Format("15:04:05"))
		p.removeDraft(nil)
	}
	p.showButtons()
	p.saveNext() // what was typed while it was being saved; else the waiters are told
}

// onTrash moves the item to the trash (what is typed is saved first).
func (p *itemPane) onTrash() {
	if !p.has || p.item.ID == "" || p.item.Deleted != nil {
		return
	}
	id := p.item.ID
	p.save(func(err error) {
		if err != nil {
			return
		}
		p.leaveEditor()
		go func() {
			err := p.env.lib.Delete(p.env.ctx, id)
			p.env.do(func() { p.showWritten(id, "Moved to the trash.", err) })
		}()
	})
}

func (p *itemPane) onRestore() {
	if !p.has || p.item.Deleted == nil {
		return
	}
	id := p.item.ID
	go func() {
		err := p.env.lib.Restore(p.env.ctx, id)
		p.env.do(func() { p.showWritten(id, "Restored from the trash.", err) })
	}()
}

// showWritten shows the item again after a write, or what went wrong.
func (p *itemPane) showWritten(id, what string, err error) {
	if err != nil {
		p.env.log.Error("change item", "id", id, "err", errKind(err))
		dialog.ShowError(fmt.Errorf("%s failed: %w", strings.TrimSuffix(what, "."), err), p.env.win)
		return
	}
	if p.view.shownID == id || p.item.ID == id {
		p.note = what
		p.view.open(id)
		return
	}
	p.setState(what)
}

func (p *itemPane) onHistory() {
	if !p.has || p.item.ID == "" {
		return
	}
	id := p.item.ID
	p.save(func(err error) {
		if err == nil {
			p.history = showHistory(p.env, id, p.item.Title, func() {
				p.leaveEditor()
				p.showWritten(id, "An earlier version was restored.", nil)
			})
		}
	})
}

// onOpenOriginal writes a copy of the document's original file (originals.go: in the
// knowledge base's folder, removed when the app closes) and hands it to the system's viewer.
func (p *itemPane) onOpenOriginal() {
	if !p.has || p.item.Document == nil {
		return
	}
	id, name := p.item.ID, p.item.Document.FileName
	if name == "" {
		name = id
	}
	go func() {
		path, err := p.env.opened.write(p.env.ctx, p.env.lib, id, name)
		p.env.do(func() {
			if err != nil {
				p.env.log.Error("open original", "id", id, "err", err)
				dialog.ShowError(fmt.Errorf("the original file could not be opened: %w", err), p.env.win)
				return
			}
			u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
			if err := fyne.CurrentApp().OpenURL(u); err != nil {
				dialog.ShowError(fmt.Errorf("no viewer could open %s: %w", path, err), p.env.win)
				return
			}
			p.setState("Opened " + filepath.Base(path) + " in the system viewer")
		})
	}()
}

// firstLine is the first line of Markdown text with its heading marks, as a title.
func firstLine(md string) string {
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "#"))
		l = linkMarkup.ReplaceAllString(l, "$1")
		if l != "" {
			if r := []rune(l); len(r) > 80 {
				l = string(r[:80])
			}
			return l
		}
	}
	return ""
}
