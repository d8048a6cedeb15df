package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// AboutInfo is what the About box shows.
type AboutInfo struct {
	Name    string // the app's name
	Version string // as FyneApp.toml gives it (and the build number, when packaged)
	DataDir string // the knowledge base's folder
	Policy  string // what the administrator's policy fixes, or empty when there is none
}

// AddAbout adds About to the Help menu of w's main menu, or a Help menu with it.
func AddAbout(w fyne.Window, info AboutInfo) {
	about := fyne.NewMenuItem("About "+info.Name, func() { showAbout(w, info) })
	m := w.MainMenu()
	if m == nil {
		m = fyne.NewMainMenu()
	}
	for _, menu := range m.Items {
		if menu.Label == "Help" {
			menu.Items = append(menu.Items, fyne.NewMenuItemSeparator(), about)
			w.SetMainMenu(m)
			return
		}
	}
	m.Items = append(m.Items, fyne.NewMenu("Help", about))
	w.SetMainMenu(m)
}

// showAbout opens the About box over w.
func showAbout(w fyne.Window, info AboutInfo) {
	dialog.ShowCustom("About "+info.Name, "Close", aboutContent(info), w)
}

// aboutContent is the About box's text: name and version, data folder, policy.
func aboutContent(info AboutInfo) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(info.Name+" "+info.Version, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lines := []fyne.CanvasObject{title,
		widget.NewLabel("A knowledge base for diplomats."),
		widget.NewLabel("Data folder: " + info.DataDir)}
	if info.Policy != "" {
		p := widget.NewLabel(info.Policy)
		p.Wrapping = fyne.TextWrapWord
		lines = append(lines, p)
	}
	return container.NewVBox(lines...)
}
