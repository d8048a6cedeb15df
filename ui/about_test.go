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
