package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// history is the dialog listing an item's earlier versions: choose one to read it, and
// restore it (the current version becomes an earlier one in turn, so nothing is lost).
type history struct {
	env      *env
	id       string
	revs     []store.Revision
	list     *widget.List
	preview  *widget.RichText
	prevBox  *fyne.Container
	restore  *widget.Button
	dlg      dialog.Dialog
	sel      int
	restored func()
}

// showHistory opens the history of item id; restored runs after a version was restored.
func showHistory(e *env, id, title string, restored func()) *history {
	h := &history{env: e, id: id, sel: -1, restored: restored}
	h.list = widget.NewList(
		func() int { return len(h.revs) },
		func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := h.revs[i]
			o.(*widget.Label).SetText(fmt.Sprintf("Version %d · replaced %s · %s", r.Rev, r.Saved.Local().Format("2 Jan 2006 15:04"), r.Item.Title))
		},
	)
	h.list.OnSelected = h.onSelected
	h.prevBox = container.NewStack()
	h.setPreview("Loading the earlier versions…")
	h.restore = widget.NewButton("Restore this version", h.onRestore)
	h.restore.Importance = widget.HighImportance
	h.restore.Disable()
	split := container.NewVSplit(h.list, container.NewScroll(h.prevBox))
	split.Offset = 0.4
	h.dlg = dialog.NewCustom("History of “"+title+"”", "Close", container.NewBorder(nil, h.restore, nil, nil, split), e.win)
	h.dlg.Resize(fyne.NewSize(720, 520))
	h.dlg.Show()
	go func() {
		revs, err := e.lib.Revisions(e.ctx, id)
		e.do(func() { h.show(revs, err) })
	}()
	return h
}

func (h *history) show(revs []store.Revision, err error) {
	if err != nil {
		h.setPreview("The history could not be read: " + err.Error())
		return
	}
	h.revs = revs
	h.list.Refresh()
	if len(revs) == 0 {
		h.setPreview("No earlier versions: this item has not been changed since it was first saved.")
		return
	}
	h.setPreview(fmt.Sprintf("%s. Choose one to read it.", plural(len(revs), "earlier version", "earlier versions")))
}

func (h *history) onSelected(i widget.ListItemID) {
	h.sel = i
	it := h.revs[i].Item
	md := "**" + it.Title + "** — " + it.Class + "\n\n" + it.Body
	h.setPreview(md)
	h.restore.Enable()
}

func (h *history) onRestore() {
	if h.sel < 0 || h.sel >= len(h.revs) {
		return
	}
	rev := h.revs[h.sel].Rev
	h.restore.Disable()
	go func() {
		_, err := h.env.lib.RestoreRevision(h.env.ctx, h.id, rev)
		h.env.do(func() {
			if err != nil {
				dialog.ShowError(fmt.Errorf("version %d could not be restored: %w", rev, err), h.env.win)
				h.restore.Enable()
				return
			}
			h.dlg.Hide()
			if h.restored != nil {
				h.restored()
			}
		})
	}()
}

func (h *history) setPreview(md string) { h.preview = replaceMarkdown(h.env.out, h.prevBox, md) }
