package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// NewBareWindow is a plain Fyne window of the main window's first size, titled like it,
// holding only a search field with the focus: the yardstick the main window's start is
// measured against (.ci/gui-scale.sh, through CHANCERY_BARE_WINDOW), so that both starts
// pay the same binary and the same driver. What is typed is echoed below the field, so
// that "usable" (typing shows) can be seen on the screen the same way.
func NewBareWindow(a fyne.App) fyne.Window {
	w := a.NewWindow("Chancery")
	entry := widget.NewEntry()
	entry.SetPlaceHolder("Search")
	echo := widget.NewLabel("")
	entry.OnChanged = func(s string) { echo.SetText(s) }
	w.SetContent(container.NewBorder(container.NewPadded(entry), nil, nil, nil, container.NewVBox(echo)))
	w.Resize(fyne.NewSize(windowWidth, windowHeight))
	w.SetMaster()
	w.Canvas().Focus(entry)
	return w
}
