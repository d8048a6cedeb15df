package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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
// saves what was typed.
type itemPane struct {
	env  *env
	view *itemView
	ed   *editor

	editBtn, saveBtn, trashBtn, restoreBtn, historyBtn, originalBtn *widget.Button
	addBtn, exportBtn                                               *widget.Button // briefings.go
	state                                                           *widget.Label
	stack                                                           *fyne.Container
	content                                                         fyne.CanvasObject

	// State: UI goroutine only.
	item      store.Item // the item shown or edited
	has       bool
	dirty     bool // the editor holds changes not saved
	edits     int  // changes typed so far
	saving    bool
	saveAgain bool
	history   *history // the history dialog opened last
	note      string   // said once the item being opened is shown ("Restored from the trash.")
}

func newItemPane(e *env, view *itemView) *itemPane {
	p := &itemPane{env: e, view: view}
	view.beforeOpen = p.leaveEditor
	view.onShown = p.onShown
	p.editBtn = widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), p.onEdit)
	p.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { p.save(nil) })
	p.trashBtn = widget.NewButtonWithIcon("Trash", theme.DeleteIcon(), p.onTrash)
	p.restoreBtn = widget.NewButtonWithIcon("Restore", theme.ContentUndoIcon(), p.onRestore)
	p.restoreBtn.Importance = widget.HighImportance
	p.historyBtn = widget.NewButtonWithIcon("History", theme.HistoryIcon(), p.onHistory)
	p.originalBtn = widget.NewButtonWithIcon("Open original", theme.FileIcon(), p.onOpenOriginal)
	p.addBtn = widget.NewButtonWithIcon("Add to briefing", theme.ListIcon(), func() { p.env.addToBriefing() })
	p.exportBtn = widget.NewButtonWithIcon("Export", theme.DocumentPrintIcon(), func() { p.env.exportBriefing() })
	for _, b := range []*widget.Button{p.editBtn, p.saveBtn, p.trashBtn, p.historyBtn, p.originalBtn, p.addBtn, p.exportBtn} {
		b.Importance = widget.LowImportance
	}
	p.state = &widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}
	p.stack = container.NewStack(view.content)
	bar := container.NewBorder(nil, nil,
		container.NewHBox(p.editBtn, p.saveBtn, p.trashBtn, p.restoreBtn, p.historyBtn, p.originalBtn, p.addBtn, p.exportBtn), nil, p.state)
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
	setVisible(p.addBtn, live && p.ed == nil && p.item.Kind != store.KindBriefing && p.env.addToBriefing != nil) // Ctrl+B while editing
	setVisible(p.exportBtn, live && p.item.Kind == store.KindBriefing && p.env.exportBriefing != nil)
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

// clear shows nothing.
func (p *itemPane) clear(msg string) {
	p.leaveEditor()
	p.has = false
	p.view.gen++
	p.view.shownID = ""
	p.view.banner.Hide()
	p.view.showMessage(msg)
	p.setState("")
	p.showButtons()
}

// onEdit switches between the view and the editor.
func (p *itemPane) onEdit() {
	if p.ed != nil {
		id := p.item.ID
		p.leaveEditor()
		if id != "" {
			p.view.open(id)
		}
		return
	}
	if !p.has || p.item.Deleted != nil {
		return
	}
	p.edit(p.item)
}

// edit opens the editor on it.
func (p *itemPane) edit(it store.Item) {
	p.item, p.has = it, true
	p.ed = newEditor(p.env, it)
	p.ed.onEdit = p.onEdited
	p.dirty = false
	p.stack.Objects = []fyne.CanvasObject{p.ed.content}
	p.stack.Refresh()
	p.setState("Editing — saved automatically, or now with Ctrl+S")
	p.showButtons()
	p.ed.focus(p.env.win.Canvas())
}

// newItem opens the editor on a new item of kind k.
func (p *itemPane) newItem(k store.Kind) {
	p.leaveEditor()
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
	}
	p.edit(it)
	p.setState("New " + strings.ToLower(kindLabel(k)) + " — saved as soon as it has a title")
}

// leaveEditor closes the editor, saving what it holds first.
func (p *itemPane) leaveEditor() {
	if p.ed == nil {
		return
	}
	if p.dirty {
		p.save(nil)
	}
	p.ed = nil
	p.stack.Objects = []fyne.CanvasObject{p.view.content}
	p.stack.Refresh()
	p.showButtons()
}

func (p *itemPane) onEdited() {
	p.dirty = true
	p.edits++
	n := p.edits
	p.setState("Editing — unsaved changes")
	wait := autosaveAfter
	go func() {
		time.Sleep(wait)
		p.env.do(func() {
			if p.edits == n && p.dirty {
				p.save(nil)
			}
		})
	}()
}

// save saves what the editor holds, off the UI goroutine; done (when not nil) is called
// on the UI goroutine with the outcome.
func (p *itemPane) save(done func(error)) {
	if done == nil {
		done = func(error) {}
	}
	ed := p.ed
	if ed == nil || !p.dirty {
		done(nil)
		return
	}
	if p.saving {
		p.saveAgain = true
		done(nil)
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
		ed.showProblem("Not saved: " + err.Error() + ".")
		p.setState("Not saved")
		done(err)
		return
	}
	ed.showProblem("")
	p.saving = true
	n := p.edits
	ctx := context.WithoutCancel(p.env.ctx) // a save started as the window closes must finish
	go func() {
		saved, err := p.env.lib.Save(ctx, it)
		p.env.do(func() { p.showSaved(ed, n, saved, err, done) })
	}()
}

func (p *itemPane) showSaved(ed *editor, n int, saved store.Item, err error, done func(error)) {
	p.saving = false
	if err != nil {
		p.env.log.Error("save item", "id", ed.orig.ID, "err", err)
		msg := "Not saved: " + err.Error()
		if errors.Is(err, store.ErrConflict) {
			msg = "Not saved: this item was changed elsewhere since it was opened. Copy your text, reopen the item and edit again."
		}
		ed.showProblem(msg)
		if p.ed == ed {
			p.setState("Not saved")
		}
		done(err)
		return
	}
	ed.orig = saved
	if p.ed == ed {
		p.item = saved
		p.view.shownID = saved.ID
		if p.edits == n {
			p.dirty = false
			p.setState("Saved at " + time.Now().Format("15:04:05"))
		}
		p.showButtons()
	}
	if p.env.changed != nil {
		p.env.changed(saved.ID)
	}
	if p.saveAgain && p.ed == ed {
		p.saveAgain = false
		p.save(nil)
	}
	done(nil)
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
		p.env.log.Error("change item", "id", id, "err", err)
		dialog.ShowError(fmt.Errorf("%s failed: %w", strings.TrimSuffix(what, "."), err), p.env.win)
		return
	}
	if p.env.changed != nil {
		p.env.changed(id)
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

// onOpenOriginal writes the document's original file to the user's cache folder and hands it to
// the system's viewer.
func (p *itemPane) onOpenOriginal() {
	if !p.has || p.item.Document == nil {
		return
	}
	id, name := p.item.ID, p.item.Document.FileName
	if name == "" {
		name = id
	}
	go func() {
		path, err := writeOriginal(p.env.ctx, p.env.lib, id, name)
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

// originalsKept is how long a copy handed to the system's viewer is kept: long enough for
// the viewer to open it, then it is removed the next time an original is opened.
const originalsKept = 24 * time.Hour

// writeOriginal writes a document's original file into the user's cache folder (not the
// shared temporary folder), where the viewer can open it, and removes the copies written
// there more than originalsKept ago.
func writeOriginal(ctx context.Context, lib Library, id, name string) (string, error) {
	data, err := lib.Original(ctx, id)
	if err != nil {
		return "", err
	}
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	root = filepath.Join(root, "chancery", "originals")
	removeOld(root, time.Now().Add(-originalsKept))
	dir := filepath.Join(root, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// removeOld removes the folders in root last changed before t.
func removeOld(root string, t time.Time) {
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() && info.ModTime().Before(t) {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
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
