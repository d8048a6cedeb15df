package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Preference keys (Fyne preferences: kept by Fyne per user, not in the knowledge base).
const (
	prefTheme     = "theme"      // "system", "light", "dark"
	prefTextScale = "text.scale" // 1 is normal
	prefPreview   = "editor.preview"
	prefWidth     = "window.width"
	prefHeight    = "window.height"
	prefNavSplit  = "layout.nav"
	prefListSplit = "layout.list"
)

// textSizes are the text sizes offered, by name.
var textSizes = []struct {
	name  string
	scale float64
}{{"Small", 0.9}, {"Normal", 1}, {"Large", 1.15}, {"Larger", 1.3}}

var themeNames = []string{"System", "Light", "Dark"}

// appTheme is Fyne's default theme with the light or dark variant chosen in the settings
// (or the system's), and the text scaled.
type appTheme struct {
	variant string // "light", "dark", or "" for the system's
	scale   float32
}

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch t.variant {
	case "light":
		v = theme.VariantLight
	case "dark":
		v = theme.VariantDark
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (t appTheme) Size(n fyne.ThemeSizeName) float32 {
	s := theme.DefaultTheme().Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameCaptionText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText:
		if t.scale > 0 {
			return s * t.scale
		}
	}
	return s
}

// applyTheme sets the theme from the preferences.
func applyTheme(a fyne.App) {
	p := a.Preferences()
	a.Settings().SetTheme(appTheme{variant: p.StringWithFallback(prefTheme, "system"), scale: float32(p.FloatWithFallback(prefTextScale, 1))})
}

// settingsScreen is the settings dialog: the data folder (and how to move it), the theme
// and the text size.
type settingsScreen struct {
	app     fyne.App
	dataDir string
	theme   *widget.RadioGroup
	size    *widget.Select
	dlg     dialog.Dialog
}

func showSettings(a fyne.App, win fyne.Window, dataDir string) *settingsScreen {
	s := &settingsScreen{app: a, dataDir: dataDir}
	p := a.Preferences()
	s.theme = widget.NewRadioGroup(themeNames, s.onTheme)
	s.theme.Horizontal = true
	switch p.StringWithFallback(prefTheme, "system") {
	case "light":
		s.theme.SetSelected("Light")
	case "dark":
		s.theme.SetSelected("Dark")
	default:
		s.theme.SetSelected("System")
	}
	var names []string
	current := "Normal"
	for _, ts := range textSizes {
		names = append(names, ts.name)
		if ts.scale == p.FloatWithFallback(prefTextScale, 1) {
			current = ts.name
		}
	}
	s.size = widget.NewSelect(names, s.onSize)
	s.size.SetSelected(current)

	folder := &widget.Label{Text: dataDir, Selectable: true, Wrapping: fyne.TextWrapBreak}
	move := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance, Text: "To move the knowledge base: quit Chancery, move this folder " +
		"where you want it (a local disk, not a synced folder), then start Chancery with " +
		"--data NEW-FOLDER, or set CHANCERY_DATA=NEW-FOLDER in your environment. " +
		"To back up: quit Chancery first, then copy the whole data folder. Copying chancery.db " +
		"alone, or while Chancery runs, can miss the latest changes (they wait in chancery.db-wal). " +
		"The index/ folder need not be kept: it is rebuilt when missing."}
	form := widget.NewForm(
		widget.NewFormItem("Data folder", container.NewVBox(folder, move)),
		widget.NewFormItem("Theme", s.theme),
		widget.NewFormItem("Text size", s.size),
	)
	s.dlg = dialog.NewCustom("Settings", "Close", form, win)
	s.dlg.Resize(fyne.NewSize(620, 360))
	s.dlg.Show()
	return s
}

func (s *settingsScreen) onTheme(name string) {
	v := "system"
	switch name {
	case "Light":
		v = "light"
	case "Dark":
		v = "dark"
	}
	s.app.Preferences().SetString(prefTheme, v)
	applyTheme(s.app)
}

func (s *settingsScreen) onSize(name string) {
	for _, ts := range textSizes {
		if ts.name == name {
			s.app.Preferences().SetFloat(prefTextScale, ts.scale)
		}
	}
	applyTheme(s.app)
}
