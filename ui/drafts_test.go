package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// faultyLib is the real store with its Save failing or waiting: a full disk, a slow disk.
type faultyLib struct {
	Library
	fail error         // returned by Save instead of saving, when not nil
	gate chan struct{} // Save waits until it is closed, when not nil
}

func (f *faultyLib) Save(ctx context.Context, it store.Item) (store.Item, error) {
	if f.gate != nil {
		<-f.gate
	}
	if f.fail != nil {
		return store.Item{}, f.fail
	}
	return f.Library.Save(ctx, it)
}

// openCeilingKB is a knowledge base of items (some saved before the ceiling was set) opened
// under a RESTRICTED ceiling.
func openCeilingKB(t *testing.T, items ...store.Item) *kb {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAll(ctx, items); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return openTestKBWith(t, dir, store.Options{MaxClass: "RESTRICTED"})
}

// draftFiles lists the drafts kept in a data folder.
func draftFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "drafts", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// editNote opens the note in the search pane's editor and adds typed at the end of its text.
func editNote(t *testing.T, mw *mainWindow, l *uiLoop, typed string) *itemPane {
	t.Helper()
	p := mw.search.pane
	p.open("t-note")
	l.waitFor(t, "the note", func() bool { return viewTitle(p.view) == "Spill at the Lokoja depot" })
	mw.onEdit()
	if p.ed == nil {
		t.Fatal("Edit did not open the editor")
	}
	p.ed.body.SetText(p.ed.body.Text + typed) // as typed at the end (the rows wrap: no cursor row to aim at)
	return p
}

// D3: a save that fails (a field that cannot be read, a marking above the ceiling, a
// conflict, a full disk) keeps the editor open with the text and says why, in words, when
// the user leaves it; Discard changes then leaves.
func TestFailedSaveKeepsTheTextWhenLeaving(t *testing.T) {
	setAutosave(t, time.Hour)
	const typed = " Typed before leaving."
	for _, tc := range []struct {
		name    string
		ceiling bool
		fail    error
		setup   func(t *testing.T, k *kb, ed *editor)
		want    string
	}{
		{name: "date", want: "Date: 16/11/2026 is not a date; write 2026-11-16",
			setup: func(t *testing.T, k *kb, ed *editor) { ed.date.SetText("16/11/2026") }},
		{name: "reliability", want: "Reliability: Z9 is not a grade",
			setup: func(t *testing.T, k *kb, ed *editor) { ed.reliability.SetText("Z9") }},
		{name: "ceiling", ceiling: true, want: "Classification: SECRET is above RESTRICTED",
			setup: func(t *testing.T, k *kb, ed *editor) { ed.class.SetText("SECRET") }},
		{name: "conflict", want: "changed elsewhere",
			setup: func(t *testing.T, k *kb, ed *editor) {
				it := getItem(t, k, "t-note")
				it.Title = "Changed in another window"
				if _, err := k.db.Save(context.Background(), it); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "full disk", fail: errors.New("store: save note t-note: database or disk is full (13)"), want: "disk is full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items := riverItems()
			var k *kb
			if tc.ceiling {
				items = slices.DeleteFunc(items, func(it store.Item) bool { return it.Class == "SECRET" || it.Class == "CONFIDENTIAL" })
				k = openCeilingKB(t, items...)
			} else {
				k = openTestKB(t, items...)
			}
			deps := k.deps()
			if tc.fail != nil {
				deps.Library = &faultyLib{Library: k.db, fail: tc.fail}
			}
			mw, l := openWindow(t, deps)
			waitReady(t, mw, l)
			p := editNote(t, mw, l, typed)
			ed := p.ed
			if tc.setup != nil {
				tc.setup(t, k, ed)
			}
			before := getItem(t, k, "t-note").Body

			// Choosing another item (a link, a row, Ctrl+K) tries to save, fails, and stays.
			mw.openItem("t-org")
			c := mw.win.Canvas()
			l.waitFor(t, "the question", func() bool { return overlayButton(c, "Keep editing") != nil || p.ed != ed })
			if p.ed != ed || !strings.HasSuffix(ed.body.Text, typed) {
				t.Fatalf("the editor closed: the text typed is gone (stored body %q)", getItem(t, k, "t-note").Body)
			}
			if !ed.problem.Visible() || !strings.Contains(ed.problem.Text, tc.want) {
				t.Errorf("the editor says %q, want %q", ed.problem.Text, tc.want)
			}
			if q := allText(c.Overlays().Top()); !strings.Contains(q, tc.want) || overlayButton(c, "Discard changes") == nil {
				t.Errorf("the question says:\n%s", q)
			}
			if got := getItem(t, k, "t-note").Body; got != before {
				t.Errorf("something was saved: %q", got)
			}
			test.Tap(overlayButton(c, "Keep editing"))
			l.drain()
			if p.ed != ed || !strings.HasSuffix(ed.body.Text, typed) || p.stack.Objects[0] != ed.content {
				t.Fatal("Keep editing did not keep the editor")
			}

			// Asked again, Discard changes leaves for the item chosen, and removes the draft.
			mw.openItem("t-org")
			l.waitFor(t, "the question", func() bool { return overlayButton(c, "Discard changes") != nil })
			test.Tap(overlayButton(c, "Discard changes"))
			l.waitFor(t, "the item chosen", func() bool { return p.ed == nil && viewTitle(p.view) == "Niger Basin Authority" })
			l.waitFor(t, "the draft removed after discarding", func() bool { return len(draftFiles(t, k.db.Dir())) == 0 })
		})
	}
}

// D3: navigating to another place does not discard an edit that cannot be saved.
func TestNavigatingAwayKeepsUnsaveableText(t *testing.T) {
	setAutosave(t, time.Hour)
	_, mw, l := openFirst(t, "kind:organisation", "Niger Basin Authority", riverItems()...)
	p := mw.browse.pane
	mw.onEdit()
	ed := p.ed
	press(ed.acronym, fyne.KeyEnd)
	test.Type(ed.acronym, "-ABN")
	ed.date.SetText("16/11/2026")
	mw.goTo(pl(t, "kind:contact"))
	c := mw.win.Canvas()
	l.waitFor(t, "the question", func() bool { return overlayButton(c, "Keep editing") != nil || p.ed != ed })
	if p.ed != ed || ed.acronym.Text != "NBA-ABN" || mw.place != pl(t, "kind:organisation") {
		t.Fatalf("navigating away left the editor (open: %v, place %s)", p.ed != nil, mw.place)
	}
	if !strings.Contains(ed.problem.Text, "Date: 16/11/2026 is not a date") {
		t.Errorf("the editor says %q", ed.problem.Text)
	}
	// Corrected, the same navigation saves and goes.
	test.Tap(overlayButton(c, "Keep editing"))
	ed.date.SetText("2026-11-16")
	mw.goTo(pl(t, "kind:contact"))
	l.waitFor(t, "the contacts", func() bool { return mw.place == pl(t, "kind:contact") && p.ed == nil })
}

// D4: closing the window (or Ctrl+Q) with an edit that cannot be saved asks: Save as draft,
// Discard, Cancel. The draft is offered at the next start.
func TestClosingWithAnUnsaveableEditAsks(t *testing.T) {
	setAutosave(t, time.Hour)
	for _, choice := range []string{"Cancel", "Discard", "Save as draft"} {
		t.Run(choice, func(t *testing.T) {
			k := openTestKB(t, riverItems()...)
			mw, l := openWindow(t, k.deps())
			waitReady(t, mw, l)
			p := editNote(t, mw, l, " Typed before closing.")
			ed := p.ed
			ed.date.SetText("16/11/2026")
			mw.onCloseRequested()
			c := mw.win.Canvas()
			l.waitFor(t, "the question", func() bool { return overlayButton(c, "Save as draft") != nil })
			q := allText(c.Overlays().Top())
			if !strings.Contains(q, "Date: 16/11/2026 is not a date") || overlayButton(c, "Discard") == nil || overlayButton(c, "Cancel") == nil {
				t.Fatalf("closing asks:\n%s", q)
			}
			test.Tap(overlayButton(c, choice))
			switch choice {
			case "Cancel":
				l.drain()
				if mw.ctx.Err() != nil || p.ed != ed || !strings.HasSuffix(ed.body.Text, " Typed before closing.") {
					t.Fatal("Cancel closed the window or the editor")
				}
				return
			case "Discard":
				l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })
				if d := draftFiles(t, k.db.Dir()); len(d) != 0 {
					t.Errorf("drafts kept after Discard: %v", d)
				}
				return
			}
			l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })
			if d := draftFiles(t, k.db.Dir()); len(d) != 1 {
				t.Fatalf("drafts after Save as draft: %v", d)
			}
			// The next start offers it, and restores what was typed, bad date included.
			mw2, l2 := openWindow(t, k.deps())
			waitReady(t, mw2, l2)
			c2 := mw2.win.Canvas()
			l2.waitFor(t, "the draft offered", func() bool { return overlayButton(c2, "Restore") != nil })
			test.Tap(overlayButton(c2, "Restore"))
			l2.waitFor(t, "the draft restored", func() bool { return mw2.pane().ed != nil })
			ed2 := mw2.pane().ed
			if !strings.HasSuffix(ed2.body.Text, " Typed before closing.") || ed2.date.Text != "16/11/2026" {
				t.Errorf("restored text %q, date %q", ed2.body.Text, ed2.date.Text)
			}
		})
	}
}

// D4: what is typed is kept as a draft in the data folder within seconds, so that it
// survives a crash: a new window on the same data offers it, and restores it in the editor.
func TestDraftSurvivesACrash(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	editNote(t, mw, l, " Unsaved thought.")
	l.waitFor(t, "the draft written", func() bool { return len(draftFiles(t, k.db.Dir())) == 1 })
	path := draftFiles(t, k.db.Dir())[0]
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("draft %s: %v %v", path, fi.Mode(), err)
	}
	// The process dies: no close, no save. The next start offers the draft.
	mw2, l2 := openWindow(t, k.deps())
	waitReady(t, mw2, l2)
	c2 := mw2.win.Canvas()
	l2.waitFor(t, "the draft offered", func() bool { return overlayButton(c2, "Restore") != nil })
	if q := allText(c2.Overlays().Top()); !strings.Contains(q, "Spill at the Lokoja depot") {
		t.Errorf("the offer says:\n%s", q)
	}
	test.Tap(overlayButton(c2, "Restore"))
	l2.waitFor(t, "the draft restored", func() bool { return mw2.pane().ed != nil })
	p2 := mw2.pane()
	if !strings.HasSuffix(p2.ed.body.Text, " Unsaved thought.") || !strings.Contains(p2.state.Text, "Restored") {
		t.Errorf("restored text %q, state %q", p2.ed.body.Text, p2.state.Text)
	}
	// Saved, the draft goes.
	mw2.onSave()
	l2.waitFor(t, "the note saved", func() bool { return strings.HasSuffix(getItem(t, k, "t-note").Body, " Unsaved thought.") })
	l2.waitFor(t, "the draft removed", func() bool { return len(draftFiles(t, k.db.Dir())) == 0 })
}

// D5: text typed while a save runs is saved too, even when the user leaves at once.
func TestTextTypedDuringASaveIsSaved(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	gate := make(chan struct{})
	deps := k.deps()
	deps.Library = &faultyLib{Library: k.db, gate: gate}
	mw, l := openWindow(t, deps)
	l.waitFor(t, "the vocabulary", func() bool { return len(mw.env.vocab.classes) > 0 })
	p := editNote(t, mw, l, " First.")
	mw.onSave() // waits on the gate
	p.ed.body.SetText(p.ed.body.Text + " Second.")
	mw.openItem("t-org")
	close(gate)
	l.waitFor(t, "both saved", func() bool { return strings.HasSuffix(getItem(t, k, "t-note").Body, " First. Second.") })
	l.waitFor(t, "the item chosen", func() bool { return p.ed == nil && viewTitle(p.view) == "Niger Basin Authority" })
}

// D3: the editor offers no marking above the ceiling; an item already above it shows its
// marking read-only, and says why.
func TestEditorOffersNoMarkingAboveTheCeiling(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openCeilingKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open("t-note")
	l.waitFor(t, "the note", func() bool { return viewTitle(p.view) == "Spill at the Lokoja depot" })
	mw.onEdit()
	var offered []string
	for _, s := range p.ed.class.suggest("") {
		offered = append(offered, s.Value)
	}
	if !slices.Equal(offered, []string{"UNCLASSIFIED", "RESTRICTED"}) {
		t.Errorf("markings offered under a RESTRICTED ceiling: %v", offered)
	}
	mw.onEdit()
	p.open("t-brief") // SECRET, saved before the ceiling was set
	l.waitFor(t, "the briefing", func() bool { return p.has && p.item.ID == "t-brief" })
	mw.onEdit()
	if !p.ed.class.Disabled() || p.ed.class.Text != "SECRET" {
		t.Errorf("the marking of an item above the ceiling: %q, disabled %v", p.ed.class.Text, p.ed.class.Disabled())
	}
	if s := allText(p.ed.content); !strings.Contains(s, "above RESTRICTED, the highest marking allowed on this machine") {
		t.Errorf("the editor does not say why:\n%s", s)
	}
}

// D4: when the process is asked to stop (RequestClose), an edit that cannot be saved is
// kept as a draft without asking.
func TestStopKeepsUnsaveableEditAsDraft(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := editNote(t, mw, l, " Typed before the logout.")
	p.ed.reliability.SetText("Q7")
	mw.requestClose(false)
	l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })
	ds, err := newDraftStore(k.db.Dir()).list()
	if err != nil || len(ds) != 1 {
		t.Fatalf("drafts after stopping: %v %v", ds, err)
	}
	if d := ds[0]; d.Item.ID != "t-note" || !strings.HasSuffix(d.Item.Body, " Typed before the logout.") || d.Typed["reliability"] != "Q7" {
		t.Errorf("draft kept: %+v", d)
	}
}

// A draft written late (its goroutine overtaken) never brings back a draft removed after
// it; a key that is not a plain name is refused; a file that cannot be read is reported
// and left alone.
func TestDraftStoreOrder(t *testing.T) {
	dir := t.TempDir()
	s := newDraftStore(dir)
	d := draft{Key: "t-note", Written: time.Now(), Item: store.Item{ID: "t-note", Kind: store.KindNote, Title: "Spill"}}
	w1, w2, rm := s.next(), s.next(), s.next()
	if err := s.write(w2, d); err != nil {
		t.Fatal(err)
	}
	if err := s.remove(rm, "t-note"); err != nil {
		t.Fatal(err)
	}
	if err := s.write(w1, d); err != nil { // late
		t.Fatal(err)
	}
	if got := draftFiles(t, dir); len(got) != 0 {
		t.Errorf("a late write brought the draft back: %v", got)
	}
	for _, key := range []string{"../chancery", "a/b", "", ".hidden"} {
		if err := s.write(s.next(), draft{Key: key}); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
	if err := s.write(s.next(), d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "drafts", "broken.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	ds, err := s.list()
	if len(ds) != 1 || ds[0].Item.Title != "Spill" || err == nil || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("list = %v, %v", ds, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "drafts", "broken.json")); err != nil {
		t.Errorf("the unreadable draft was not left alone: %v", err)
	}
}

// L4: a draft holds the text of its item; emptying the trash purges the item, and its draft
// goes with it (drafts of items never saved stay).
func TestPurgeRemovesDrafts(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	dir := k.db.Dir()
	if err := mw.env.drafts.write(mw.env.drafts.next(), draft{Key: "new-1", Written: time.Now(), Item: store.Item{Kind: store.KindNote, Title: "Never saved"}}); err != nil {
		t.Fatal(err)
	}
	// The editor kept a draft of the note (a save failed, or the app crashed).
	if err := mw.env.drafts.write(mw.env.drafts.next(), draft{Key: "t-note", Written: time.Now(), Item: getItem(t, k, "t-note")}); err != nil {
		t.Fatal(err)
	}
	if n := len(draftFiles(t, dir)); n != 2 {
		t.Fatalf("%d drafts, want 2", n)
	}
	if err := k.db.Delete(context.Background(), "t-note"); err != nil {
		t.Fatal(err)
	}
	l.drain()
	mw.goTo(pl(t, "trash"))
	browseRows(t, mw, l)
	test.Tap(mw.browse.emptyBtn)
	test.Tap(overlayButton(mw.win.Canvas(), "Yes"))
	l.waitFor(t, "the purged item's draft removed", func() bool {
		fs := draftFiles(t, dir)
		return len(fs) == 1 && filepath.Base(fs[0]) == "new-1.json"
	})
}
