package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// The export dialog offers release copies up to the policy's export ceiling only, chooses
// by default the policy's ceiling or the lowest marking (raised to the briefing's own, the
// lowest a copy of it can carry), and writes the file readable by its owner only, also over
// an existing file.
func TestExportBriefingCeilingChoice(t *testing.T) {
	items := append(riverItems(),
		store.Item{ID: "t-brief2", Kind: store.KindBriefing, Title: "Pack: depot", Class: "UNCLASSIFIED",
			Briefing: &store.Briefing{Sections: []store.Section{{Heading: "The inspection", Ref: "t-doc"}}}},
		store.Item{ID: "t-brief3", Kind: store.KindBriefing, Title: "Pack: confidential", Class: "CONFIDENTIAL",
			Briefing: &store.Briefing{Sections: []store.Section{{Heading: "Who to call", Ref: "t-contact"}}}},
	)
	for _, c := range []struct {
		name, policy, brief string
		options             []string
		chosen              string
	}{
		{"no policy", "", "t-brief2", []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}, "UNCLASSIFIED"},
		{"no policy, a CONFIDENTIAL briefing", "", "t-brief3", []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}, "CONFIDENTIAL"},
		{"policy", "RESTRICTED", "t-brief2", []string{"UNCLASSIFIED", "RESTRICTED"}, "RESTRICTED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := openTestKB(t, items...)
			fake := &fakeExport{info: ExportInfo{Marking: "UNCLASSIFIED"}}
			deps := k.deps()
			deps.ExportBriefing = fake.export
			deps.ExportCeiling = c.policy
			mw, l := openWindow(t, deps)
			waitReady(t, mw, l)
			dir := t.TempDir()
			var path string
			mw.briefs.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
				path = filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte("old"), 0o644); err != nil { // an existing file, world-readable
					t.Fatal(err)
				}
				_ = os.Chmod(path, 0o644)
				done(storage.Writer(storage.NewFileURI(path)))
			}
			p := mw.search.pane
			p.open(c.brief)
			l.waitFor(t, "the briefing", func() bool { return p.item.ID == c.brief })
			mw.briefs.onExportBriefing()
			x := mw.briefs.export
			if x == nil {
				t.Fatal("no export dialog")
			}
			var want []string
			for _, o := range c.options {
				want = append(want, "Release copy up to "+o)
			}
			if !slices.Equal(x.release.Options, want) {
				t.Errorf("choices %q, want %q", x.release.Options, want)
			}
			if x.release.Selected != "Release copy up to "+c.chosen {
				t.Errorf("chosen by default: %q, want up to %s", x.release.Selected, c.chosen)
			}
			test.Tap(overlayButton(mw.win.Canvas(), "Export…"))
			l.waitFor(t, "the export", func() bool { return x.done != nil || x.ended })
			if got := fake.called(); len(got) != 1 || !strings.HasSuffix(got[0], " "+c.chosen) {
				t.Errorf("ExportBriefing called with %q, want the ceiling %s", got, c.chosen)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
				t.Errorf("the exported file is %v, want -rw------- (owner only)", st.Mode().Perm())
			}
			if shown := allText(mw.win.Canvas().Overlays().Top()); !strings.Contains(shown, "Nothing withheld") {
				t.Errorf("the result does not say nothing was withheld:\n%s", shown)
			}
		})
	}
}
