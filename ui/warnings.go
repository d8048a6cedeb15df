package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// ShowStartWarnings shows over w, in a dialog the person closes, what went wrong on
// opening the knowledge base without stopping Chancery (the administrator's policy it was
// opened under is missing or different; the seed folder cannot be reached), one paragraph
// each. Nothing is shown when there are none. Call it on the UI goroutine.
func ShowStartWarnings(w fyne.Window, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	var lines []fyne.CanvasObject
	for _, s := range warnings {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		lines = append(lines, l)
	}
	d := dialog.NewCustom("Chancery opened the knowledge base, with warnings", "OK", container.NewVBox(lines...), w)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
