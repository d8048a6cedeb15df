package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// shortcuts are the keys listed in the help overlay, as people read them.
var shortcuts = [][2]string{
	{"Ctrl+K", "Quick open: jump to any item by part of its title"},
	{"Ctrl+F", "Search everything (full text, filters)"},
	{"Enter", "In the search box: open the top result"},
	{"Up, Down, Page Up, Page Down", "In the search box: move through the results"},
	{"Esc", "Clear the search; close a dialog or the palette"},
	{"Ctrl+N", "New note"},
	{"Ctrl+I", "Import a file (the File menu also imports a folder, or paths typed); or drop files and folders on the window"},
	{"Ctrl+E", "Edit the open item, or go back to reading it"},
	{"Ctrl+S", "Save now (also saved automatically after a pause, and on closing)"},
	{"[[  or  @", "In a note: link to a contact, organisation or note"},
	{"Ctrl+Delete", "Move the open item to the trash"},
	{"Ctrl+H", "History of the open item: earlier versions, restore one"},
	{"Ctrl+B", "Add the open item to a briefing; in a briefing, include an item"},
	{"Ctrl+Shift+B", "New briefing from the search's top results"},
	{"Ctrl+Shift+K", "Keep the search: listed under Kept searches with what is new in it since you last looked"},
	{"Ctrl+Shift+R", "Rename the kept search open (in a workspace: the incident's standing search, when it has one)"},
	{"Ctrl+Shift+Delete", "Delete the kept search open, once confirmed (the items it finds stay)"},
	{"Alt+Up, Alt+Down", "In a briefing: move the section you are in"},
	{"Ctrl+Shift+E", "Export the open briefing: PDF, Word, HTML or Markdown"},
	{"Ctrl+Shift+D", "Country dossier: of the country the search names, or of the open item's country"},
	{"Ctrl+1 … Ctrl+7", "Search, Notes, Contacts, Organisations, Documents, Briefings, Trash"},
	{"Ctrl+,", "Settings: theme, text size, data folder"},
	{"Ctrl+/", "This list"},
}

// showHelp shows the keyboard shortcuts over the window.
func showHelp(win fyne.Window) dialog.Dialog {
	var objs []fyne.CanvasObject
	for _, s := range shortcuts {
		objs = append(objs,
			&widget.Label{Text: s[0], TextStyle: fyne.TextStyle{Bold: true}},
			&widget.Label{Text: s[1], Wrapping: fyne.TextWrapWord})
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(container.New(layout.NewFormLayout(), objs...)), win)
	d.Resize(fyne.NewSize(640, 560))
	d.Show()
	return d
}

// helpDialogs are the help and the settings, opened from the menu or with F1: one at a
// time, and Escape closes it.
type helpDialogs struct {
	app     fyne.App
	win     fyne.Window
	dataDir string        // shown in the settings
	shown   dialog.Dialog // the one shown last
}

func (h *helpDialogs) onHelp() {
	h.close()
	h.shown = showHelp(h.win)
}

func (h *helpDialogs) onSettings() {
	h.close()
	h.shown = showSettings(h.app, h.win, h.dataDir).dlg
}

// onKey handles keys typed with no entry focused: F1 for help, Escape closes the help or
// the settings.
func (h *helpDialogs) onKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyF1:
		h.onHelp()
	case fyne.KeyEscape:
		h.close()
	}
}

func (h *helpDialogs) close() {
	if h.shown != nil {
		h.shown.Hide()
		h.shown = nil
	}
}
