package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestAboutShowsVersionAndPolicy opens Help → About as a person would and reads the box.
func TestAboutShowsVersionAndPolicy(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File")))
	w.Resize(fyne.NewSize(600, 400))
	AddAbout(w, AboutInfo{Name: "Chancery", Version: "1.2.3 (build 7)", DataDir: "/data/kb",
		Policy: "Set by /etc/chancery/policy.toml: markings up to RESTRICTED"})

	menus := w.MainMenu().Items
	if len(menus) != 2 || menus[0].Label != "File" || menus[1].Label != "Help" {
		t.Fatalf("menus: %+v", menus)
	}
	menus[1].Items[0].Action()
	var shown []string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			shown = append(shown, l.Text)
		}
	}
	text := strings.Join(shown, "\n")
	for _, want := range []string{"Chancery 1.2.3 (build 7)", "Data folder: /data/kb", "markings up to RESTRICTED"} {
		if !strings.Contains(text, want) {
			t.Errorf("About box lacks %q; it shows:\n%s", want, text)
		}
	}
}

// TestAboutJoinsTheHelpMenu checks About goes into the window's Help menu, not a second one.
func TestAboutJoinsTheHelpMenu(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File"), fyne.NewMenu("Help", fyne.NewMenuItem("Keyboard Shortcuts", func() {}))))
	AddAbout(w, AboutInfo{Name: "Chancery", Version: "1.2.3"})
	var help []*fyne.Menu
	for _, m := range w.MainMenu().Items {
		if m.Label == "Help" {
			help = append(help, m)
		}
	}
	if len(help) != 1 {
		t.Fatalf("%d Help menus, want one", len(help))
	}
	items := help[0].Items
	if len(items) != 3 || items[0].Label != "Keyboard Shortcuts" || !items[1].IsSeparator || items[2].Label != "About Chancery" {
		t.Errorf("Help menu items: %+v", items)
	}
}
