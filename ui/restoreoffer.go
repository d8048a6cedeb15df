package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// RestoreOffer is the latest backup, offered when the knowledge base cannot be opened
// because it is damaged.
type RestoreOffer struct {
	Backup string // the backup's file
	// Restore restores it, opened with a passphrase or an age identity file (either may
	// be empty), telling progress of each step, and says in words what it did (where the
	// damaged folder went).
	Restore func(ctx context.Context, passphrase, identityFile string, progress func(step, steps int, what string)) (string, error)
}

// ShowRestoreOffer shows, in a window of its own, that the knowledge base is damaged
// (problem, in words) and offers to restore the latest backup instead of opening it. It
// returns when the window is closed, saying whether the backup was restored.
func ShowRestoreOffer(a fyne.App, problem error, offer RestoreOffer) (restored bool) {
	w := a.NewWindow("Chancery")
	r := newRestorePanel(w, problem, offer, fyne.Do)
	w.SetContent(r.content)
	w.Resize(fyne.NewSize(620, 360))
	w.SetMaster()
	w.ShowAndRun()
	return r.restored
}

// restorePanel is the restore offer's content.
type restorePanel struct {
	win      fyne.Window
	offer    RestoreOffer
	do       func(func())
	pass     *widget.Entry
	identity *widget.Entry
	bar      *widget.ProgressBar
	msg      *widget.Label
	restore  *widget.Button
	close    *widget.Button
	content  fyne.CanvasObject
	restored bool
}

func newRestorePanel(w fyne.Window, problem error, offer RestoreOffer, do func(func())) *restorePanel {
	r := &restorePanel{win: w, offer: offer, do: do,
		pass:     &widget.Entry{Password: true, PlaceHolder: "The backup's passphrase"},
		identity: &widget.Entry{PlaceHolder: "or the path of an age identity file (for a backup made to age keys)"},
		bar:      &widget.ProgressBar{Max: 1},
		msg:      &widget.Label{Wrapping: fyne.TextWrapWord},
	}
	r.bar.Hide()
	what := &widget.Label{Wrapping: fyne.TextWrapWord, Text: problem.Error()}
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: "Chancery does not open a damaged knowledge base. The latest backup is " + offer.Backup +
		". Restore it? The damaged folder is moved aside, not deleted."}
	r.restore = &widget.Button{Text: "Restore the Backup", Importance: widget.HighImportance, OnTapped: r.onRestore}
	r.close = &widget.Button{Text: "Close", OnTapped: w.Close}
	r.content = container.NewBorder(
		widget.NewLabelWithStyle("The knowledge base is damaged", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(layout.NewSpacer(), r.close, r.restore), nil, nil,
		container.NewVScroll(container.NewVBox(what, intro, r.pass, r.identity, r.bar, r.msg)))
	return r
}

func (r *restorePanel) onRestore() {
	r.restore.Disable()
	r.pass.Disable()
	r.identity.Disable()
	r.bar.SetValue(0)
	r.bar.Show()
	r.msg.Importance = widget.MediumImportance
	r.msg.SetText("Restoring…")
	pass, ident := r.pass.Text, r.identity.Text
	go func() {
		said, err := r.offer.Restore(context.Background(), pass, ident, func(step, steps int, what string) {
			r.do(func() {
				r.bar.SetValue(float64(step) / float64(steps))
				r.msg.SetText(fmt.Sprintf("Step %d of %d: %s", step, steps, what))
			})
		})
		r.do(func() { r.show(said, err) })
	}()
}

func (r *restorePanel) show(said string, err error) {
	if err != nil {
		r.bar.Hide()
		r.msg.Importance = widget.DangerImportance
		r.msg.SetText("Not restored: " + err.Error())
		r.restore.Enable()
		r.pass.Enable()
		r.identity.Enable()
		return
	}
	r.restored = true
	r.bar.SetValue(1)
	r.msg.Importance = widget.SuccessImportance
	r.msg.SetText(said + " Start Chancery again to open it.")
	r.restore.Hide()
	r.close.Importance = widget.HighImportance
	r.close.Refresh()
}
