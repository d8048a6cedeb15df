package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestStartWarningsShown: what went wrong on opening without stopping Chancery (a
// knowledge base opened without the policy it was opened under, a seed folder offline) is
// shown over the window in words, until the person closes it.
func TestStartWarningsShown(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.Resize(fyne.NewSize(800, 600))
	ShowStartWarnings(w, nil)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog without warnings")
	}
	ShowStartWarnings(w, []string{
		"this knowledge base was opened under the administrator's policy /etc/chancery/policy.toml (SHA-256 1e282a93e552…) and is now opened without it",
		"the administrator's seed folder /mnt/share/seed cannot be reached",
	})
	c := w.Canvas()
	shown := allText(c.Overlays().Top())
	for _, want := range []string{"/etc/chancery/policy.toml", "now opened without it", "/mnt/share/seed cannot be reached"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the warning lacks %q; it shows:\n%s", want, shown)
		}
	}
	ok := overlayButton(c, "OK")
	if ok == nil {
		t.Fatalf("no OK button:\n%s", shown)
	}
	test.Tap(ok)
	if c.Overlays().Top() != nil {
		t.Error("OK does not close the warning")
	}
}
