package ui

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/search/searchtest"
	"chancery/store"
)

// slowAutosave keeps autosave out of a test's way (or sets it to d), restoring it after.
func setAutosave(t *testing.T, d time.Duration) {
	old := autosaveAfter
	autosaveAfter = d
	t.Cleanup(func() { autosaveAfter = old })
}

func press(o fyne.Focusable, key fyne.KeyName) { o.TypedKey(&fyne.KeyEvent{Name: key}) }

func getItem(t *testing.T, k *kb, id string) store.Item {
	t.Helper()
	it, err := k.db.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// The model case: a new note that links two contacts, found again by part of a word.
func TestNewNoteLinksContactsAndIsFound(t *testing.T) {
	setAutosave(t, time.Hour)
	items := append(riverItems(), store.Item{ID: "t-benin", Kind: store.KindContact, Title: "Rodrigue Hounkpatin", Countries: []string{"BEN"}})
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)

	mw.goTo(pl(t, "kind:note"))
	browseRows(t, mw, l)
	test.Tap(mw.browse.newBtn)
	p := mw.browse.pane
	ed := p.ed
	if ed == nil || mw.win.Canvas().Focused() != ed.title {
		t.Fatalf("New note did not open an editor with the cursor in the title")
	}
	if ed.banner.text.Text != "UNCLASSIFIED" {
		t.Errorf("a new note is marked %q", ed.banner.text.Text)
	}
	test.Type(ed.title, "Call sheet for Lomé")

	// [[ opens the palette; choosing a title writes the link.
	test.Type(ed.body, "Calls to make: [[")
	if !mw.palette.visible() {
		t.Fatal("typing [[ did not offer the titles")
	}
	l.waitFor(t, "the titles", func() bool { return mw.palette.titles != nil })
	test.Type(mw.palette.entry, "okafor")
	if len(mw.palette.shown) == 0 || mw.palette.shown[0].ID != "t-contact" {
		t.Fatalf("palette offers %v for okafor", mw.palette.shown)
	}
	press(mw.palette.entry, fyne.KeyReturn)
	if mw.palette.visible() || mw.win.Canvas().Focused() != ed.body {
		t.Errorf("after choosing, the palette is open or the note lost the focus")
	}
	// @ at the start of a word does the same.
	test.Type(ed.body, " and @")
	l.waitFor(t, "the titles", func() bool { return mw.palette.visible() && mw.palette.titles != nil })
	test.Type(mw.palette.entry, "hounkp")
	press(mw.palette.entry, fyne.KeyReturn)
	test.Type(ed.body, " about the intakes.")
	want := "Calls to make: [[Amina Okafor]] and [[Rodrigue Hounkpatin]] about the intakes."
	if ed.body.Text != want {
		t.Errorf("note text = %q, want %q", ed.body.Text, want)
	}
	// The preview beside shows the text rendered.
	l.waitFor(t, "the preview", func() bool { return strings.Contains(drawnText(ed.prevScrl), "about the intakes") })
	if strings.Contains(drawnText(ed.prevScrl), "[[") {
		t.Errorf("preview shows the link markup: %q", drawnText(ed.prevScrl))
	}

	// Ctrl+S (the menu item's handler) saves it; the list shows it.
	mw.onSave()
	l.waitFor(t, "the note saved", func() bool { return !p.dirty && p.item.ID != "" })
	if !strings.HasPrefix(p.state.Text, "Saved at") {
		t.Errorf("state after saving = %q", p.state.Text)
	}
	id := p.item.ID
	saved := getItem(t, k, id)
	var to []string
	for _, lk := range saved.Links {
		to = append(to, lk.To+":"+lk.Rel)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"t-benin:mentions", "t-contact:mentions"}) {
		t.Errorf("note links = %v", to)
	}
	l.waitFor(t, "the note in the list", func() bool { return slices.Contains(rowTitles(visibleRows(mw.browse.list)), "Call sheet for Lomé") })

	// The contact shows the note among its backlinks.
	mw.openItem("t-contact")
	l.waitFor(t, "the contact", func() bool { return viewTitle(p.view) == "Amina Okafor" })
	if !strings.Contains(allText(p.view.content), "Call sheet for Lomé") {
		t.Errorf("the contact does not show the note linking to it:\n%s", allText(p.view.content))
	}

	// Found again by part of a word, and its links open the contacts.
	if err := searchtest.WaitForStore(context.Background(), k.ix, k.db); err != nil {
		t.Fatal(err)
	}
	mw.onFind()
	typeQuery(t, mw, l, "hounk")
	var titles []string
	for _, h := range mw.search.hits {
		titles = append(titles, h.Title)
	}
	if !slices.Contains(titles, "Call sheet for Lomé") {
		t.Fatalf("hounk finds %q, not the note", titles)
	}
	mw.search.onOpenLinked(id)
	l.waitFor(t, "the note", func() bool { return viewTitle(mw.search.view) == "Call sheet for Lomé" })
	link := findLink(mw.search.view.content, "Rodrigue Hounkpatin")
	if link == nil {
		t.Fatalf("the note's text does not link the contact:\n%s", allText(mw.search.view.content))
	}
	link.OnTapped()
	l.waitFor(t, "the linked contact", func() bool { return viewTitle(mw.search.view) == "Rodrigue Hounkpatin" })
}

// findLink returns the hyperlink segment with that text in a rendered Markdown text.
func findLink(o fyne.CanvasObject, text string) *widget.HyperlinkSegment {
	for _, obj := range visible(o) {
		rt, ok := obj.(*widget.RichText)
		if !ok {
			continue
		}
		for _, seg := range rt.Segments {
			if h, ok := seg.(*widget.HyperlinkSegment); ok && h.Text == text {
				return h
			}
		}
	}
	return nil
}

func TestContactFormPickersAndRepeatableFields(t *testing.T) {
	setAutosave(t, time.Hour)
	k, mw, l := openFirst(t, "kind:contact", "Amina Okafor", riverItems()...)
	p := mw.browse.pane
	mw.onEdit()
	ed := p.ed
	if ed == nil {
		t.Fatal("Edit did not open the editor")
	}
	if ed.org.Text != "Niger Basin Authority" || ed.phones.rows[0].value.Text != "+234 800 000 0000" {
		t.Errorf("form shows organisation %q, phone %q", ed.org.Text, ed.phones.rows[0].value.Text)
	}

	// Countries complete by name or code.
	test.Type(ed.countries.entry, "tog")
	if len(ed.countries.entry.shown) == 0 || ed.countries.entry.shown[0].Text != "Togo (TGO)" {
		t.Fatalf("tog offers %v", ed.countries.entry.shown)
	}
	press(ed.countries.entry, fyne.KeyReturn)
	test.Type(ed.countries.entry, "BEN")
	press(ed.countries.entry, fyne.KeyReturn)
	if got := ed.countries.values; !slices.Equal(got, []string{"NGA", "TGO", "BEN"}) {
		t.Errorf("countries = %v", got)
	}
	if !strings.Contains(allText(ed.countries.content), "Benin (BEN)") {
		t.Errorf("chips show %q", texts(ed.countries.content))
	}
	// Topics complete from the taxonomy; tags are normalised.
	test.Type(ed.topics.entry, "wat")
	press(ed.topics.entry, fyne.KeyReturn)
	test.Type(ed.tags.entry, "Oil spill")
	press(ed.tags.entry, fyne.KeyEscape) // close the completion (it offers the existing oil-spill)
	press(ed.tags.entry, fyne.KeyReturn)
	// Classification and reliability complete too.
	ed.class.SetText("")
	test.Type(ed.class, "conf")
	press(ed.class, fyne.KeyReturn)
	if ed.class.Text != "CONFIDENTIAL" || ed.banner.text.Text != "CONFIDENTIAL" {
		t.Errorf("class = %q, banner %q", ed.class.Text, ed.banner.text.Text)
	}
	test.Type(ed.reliability, "b")
	if len(ed.reliability.shown) == 0 || !strings.HasPrefix(ed.reliability.shown[0].Text, "B1 — usually reliable source") {
		t.Errorf("reliability offers %v", ed.reliability.shown)
	}
	press(ed.reliability, fyne.KeyDown)
	press(ed.reliability, fyne.KeyReturn)

	// Phones: add one, remove the first.
	test.Tap(findButton(ed.phones.content, "Add phone"))
	if len(ed.phones.rows) != 2 {
		t.Fatalf("%d phone rows after Add phone", len(ed.phones.rows))
	}
	test.Type(ed.phones.rows[1].label, "office")
	test.Type(ed.phones.rows[1].value, "+234 9 555 0100")
	rm := ed.phones.box.Objects[0].(*fyne.Container)
	for _, o := range rm.Objects {
		if b, ok := o.(*widget.Button); ok {
			test.Tap(b)
		}
	}
	// The organisation completes from the organisations.
	ed.org.SetText("")
	test.Type(ed.org, "basin")
	press(ed.org, fyne.KeyReturn)

	mw.onSave()
	l.waitFor(t, "the contact saved", func() bool { return !p.dirty && !p.saving })
	if ed.problem.Visible() {
		t.Fatalf("not saved: %s", ed.problem.Text)
	}
	got := getItem(t, k, "t-contact")
	if !slices.Equal(got.Countries, []string{"BEN", "NGA", "TGO"}) || !slices.Equal(got.Topics, []string{"water"}) ||
		!slices.Equal(got.Tags, []string{"oil-spill"}) || got.Class != "CONFIDENTIAL" || got.Reliability != "B2" {
		t.Errorf("saved countries %v topics %v tags %v class %q reliability %q", got.Countries, got.Topics, got.Tags, got.Class, got.Reliability)
	}
	if len(got.Contact.Phones) != 1 || got.Contact.Phones[0] != (store.Labeled{Label: "office", Value: "+234 9 555 0100"}) {
		t.Errorf("saved phones %v", got.Contact.Phones)
	}
	if got.Contact.OrgID != "t-org" {
		t.Errorf("saved organisation %q", got.Contact.OrgID)
	}

	// A wrong value is refused in words, and nothing is saved.
	ed.date.SetText("next week")
	mw.onSave()
	if !ed.problem.Visible() || !strings.Contains(ed.problem.Text, "is not a date") {
		t.Errorf("bad date: problem %q", ed.problem.Text)
	}
}

func TestAutosaveAfterAPause(t *testing.T) {
	setAutosave(t, 50*time.Millisecond)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.search.pane.open("t-note")
	l.waitFor(t, "the note", func() bool { return viewTitle(mw.search.view) == "Spill at the Lokoja depot" })
	mw.onEdit()
	ed := mw.search.pane.ed
	if mw.win.Canvas().Focused() != ed.body {
		t.Errorf("editing a note does not put the cursor in its text")
	}
	ed.body.CursorRow, ed.body.CursorColumn = 0, 0
	test.Type(ed.body, "Update: ")
	l.waitFor(t, "the autosave", func() bool {
		return strings.HasPrefix(getItem(t, k, "t-note").Body, "Update: # Situation")
	})
	l.waitFor(t, "the state", func() bool { return strings.HasPrefix(mw.search.pane.state.Text, "Saved at") })
}

func TestClosingTheWindowSavesWhatIsTyped(t *testing.T) {
	setAutosave(t, time.Hour)
	k, mw, l := openFirst(t, "kind:organisation", "Niger Basin Authority", riverItems()...)
	mw.onEdit()
	press(mw.browse.pane.ed.acronym, fyne.KeyEnd)
	test.Type(mw.browse.pane.ed.acronym, "-ABN")
	mw.onCloseRequested()
	l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })
	if got := getItem(t, k, "t-org").Organisation.Acronym; got != "NBA-ABN" {
		t.Errorf("acronym after closing = %q, want what was typed", got)
	}
}

func TestLeavingTheEditorSaves(t *testing.T) {
	setAutosave(t, time.Hour)
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open("t-brief")
	l.waitFor(t, "the briefing", func() bool { return p.has && p.item.ID == "t-brief" })
	mw.onEdit()
	if len(p.ed.comp.rows) != 2 || p.ed.comp.rows[0].heading.Text != "Background" {
		t.Fatalf("briefing sections in the editor: %d", len(p.ed.comp.rows))
	}
	press(p.ed.comp.audience, fyne.KeyEnd)
	test.Type(p.ed.comp.audience, " and Ambassador")
	// Opening another item (a tap in the list, a link) saves, then leaves the editor for it.
	mw.openItem("t-org")
	l.waitFor(t, "the briefing saved", func() bool { return getItem(t, k, "t-brief").Briefing.Audience == "Minister and Ambassador" })
	l.waitFor(t, "the item chosen", func() bool { return p.ed == nil && viewTitle(p.view) == "Niger Basin Authority" })
	if got := getItem(t, k, "t-brief").Briefing.Sections; len(got) != 2 || got[1].Ref != "t-contact" {
		t.Errorf("sections after saving: %+v", got)
	}
}

func TestDocumentShowsTextStatusAndOriginal(t *testing.T) {
	doc := store.Item{ID: "t-pdf", Kind: store.KindDocument, Title: "Incident notification", Body: "The operator notified the spill at 06:10.",
		Document: &store.Document{FileName: "notification.txt", MIME: "text/plain", Status: store.StatusOK, Original: []byte("original bytes")}}
	k := openTestKB(t, append(riverItems(), doc)...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	p.open("t-pdf")
	l.waitFor(t, "the document", func() bool { return viewTitle(p.view) == "Incident notification" })
	if !p.originalBtn.Visible() {
		t.Error("no Open original for a document with its file")
	}
	mw.onEdit()
	form := allText(p.ed.content)
	for _, want := range []string{"notification.txt", "Imported", "Extracted text", "notified the spill"} {
		if !strings.Contains(form, want) {
			t.Errorf("document editor lacks %q", want)
		}
	}
	// Copies go to the knowledge base's folder (TestOpenedOriginalsDoNotOutliveTheApp).
	path, err := newOpenedCopies(k.db.Dir()).write(context.Background(), k.db, "t-pdf", "notification.txt")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "original bytes" || !strings.HasPrefix(path, k.db.Dir()) {
		t.Errorf("original written to %s as %q", path, b)
	}
	p.open("t-doc") // no file kept
	l.waitFor(t, "the other document", func() bool { return viewTitle(p.view) == "Depot inspection report" })
	if p.originalBtn.Visible() {
		t.Error("Open original offered for a document without its file")
	}
}

func TestMentionLinks(t *testing.T) {
	ids := map[string]string{"amina okafor": "a", "niger basin authority": "n"}
	resolve := func(title string) string { return ids[fold(title)] }
	links := []store.Link{{To: "a", Rel: "mentions"}, {To: "x", Rel: "participant"}, {To: "z", Rel: "mentions"}}
	got := mentionLinks(links, "see [[Amina Okafor]]", "see [[niger basin authority]] and [[Nobody]]", resolve)
	want := []store.Link{{To: "x", Rel: "participant"}, {To: "z", Rel: "mentions"}, {To: "n", Rel: "mentions"}}
	if !slices.Equal(got, want) {
		t.Errorf("mentionLinks = %v, want %v", got, want)
	}
	if got := linkedTitles("[[A]] [[B]] [[A]] [[]] [[C\nD]]"); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("linkedTitles = %q", got)
	}
	if got := firstLine("\n## Call sheet [[Amina Okafor]]\nmore"); got != "Call sheet Amina Okafor" {
		t.Errorf("firstLine = %q", got)
	}
}

// drawnText is the text drawn inside o (what the renderers draw, not what widgets hold).
func drawnText(o fyne.CanvasObject) string {
	var out []string
	for _, obj := range visible(o) {
		if tx, ok := obj.(*canvas.Text); ok {
			out = append(out, tx.Text)
		}
	}
	return strings.Join(out, " ")
}
