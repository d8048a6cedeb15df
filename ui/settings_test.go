package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestSettingsThemeAndTextSize(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, _ := openWindow(t, k.deps())
	a := mw.app
	mw.dialogs.onSettings()
	c := mw.win.Canvas()
	shown := allText(c.Overlays().Top())
	for _, want := range []string{"Data folder", k.db.Dir(), "--data NEW-FOLDER", "CHANCERY_DATA", "Theme", "System", "Light", "Dark", "Text size", "Normal"} {
		if !strings.Contains(shown, want) {
			t.Errorf("settings lack %q:\n%s", want, shown)
		}
	}
	s := showSettings(a, mw.win, k.db.Dir())
	s.theme.SetSelected("Dark")
	if got := a.Preferences().String(prefTheme); got != "dark" {
		t.Errorf("theme preference = %q", got)
	}
	th := a.Settings().Theme()
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	if got := th.Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Errorf("Dark chosen, background is %v", got)
	}
	s.theme.SetSelected("Light")
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	if got := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); got != light {
		t.Errorf("Light chosen, background is %v", got)
	}
	s.size.SetSelected("Larger")
	want := theme.DefaultTheme().Size(theme.SizeNameText) * 1.3
	if got := a.Settings().Theme().Size(theme.SizeNameText); got != want {
		t.Errorf("Larger text is %v, want %v", got, want)
	}
	if got := a.Settings().Theme().Size(theme.SizeNamePadding); got != theme.DefaultTheme().Size(theme.SizeNamePadding) {
		t.Errorf("padding scaled too: %v", got)
	}
	// The next window starts with them.
	mw2 := newMainWindow(a, k.deps(), func(func()) {})
	t.Cleanup(mw2.win.Close)
	if _, ok := a.Settings().Theme().(appTheme); !ok {
		t.Error("the chosen theme is not applied on opening")
	}
}

func TestHelpListsShortcuts(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, _ := openWindow(t, k.deps())
	mw.dialogs.onHelp()
	top := mw.win.Canvas().Overlays().Top()
	help := allText(top)
	for _, want := range []string{"Keyboard shortcuts", "Ctrl+K", "Quick open", "Ctrl+F", "Ctrl+S", "Ctrl+N", "[[  or  @", "Ctrl+H", "Ctrl+/", "Ctrl+B", "Alt+Up, Alt+Down", "Ctrl+Shift+E"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	// Every shortcut listed with Ctrl is on a menu item (where it works while typing).
	keys := map[string]bool{}
	for _, m := range mw.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil {
				keys[it.Shortcut.ShortcutName()] = true
			}
		}
	}
	if len(keys) < 12 {
		t.Errorf("only %d menu shortcuts: %v", len(keys), keys)
	}
	test.Tap(overlayButton(mw.win.Canvas(), "Close"))
	if mw.win.Canvas().Overlays().Top() != nil {
		t.Error("Close did not close the help")
	}
	mw.dialogs.onHelp()
	mw.dialogs.onKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if mw.win.Canvas().Overlays().Top() != nil {
		t.Error("Escape did not close the help")
	}
	// F1 with nothing focused opens it too.
	mw.win.Canvas().Focus(nil)
	mw.dialogs.onKey(&fyne.KeyEvent{Name: fyne.KeyF1})
	if mw.win.Canvas().Overlays().Top() == nil {
		t.Error("F1 did not open the help")
	}
}

// D10: the settings tell the safe way to back up: close the app, copy the whole folder.
func TestSettingsSayHowToBackUp(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, _ := openWindow(t, k.deps())
	mw.dialogs.onSettings()
	shown := allText(mw.win.Canvas().Overlays().Top())
	for _, want := range []string{"To back up: quit Chancery first, then copy the whole data folder"} {
		if !strings.Contains(shown, want) {
			t.Errorf("settings lack %q:\n%s", want, shown)
		}
	}
	if strings.Contains(shown, "Back up chancery.db") {
		t.Errorf("settings still say to copy chancery.db alone:\n%s", shown)
	}
}
