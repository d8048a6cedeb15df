package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// waitReady waits until the window has read its vocabulary (the pickers' completions and
// the navigation's counts).
func waitReady(t *testing.T, mw *mainWindow, l *uiLoop) {
	t.Helper()
	l.waitFor(t, "the vocabulary", func() bool { return len(mw.env.vocab.classes) > 0 })
}

// browseRows waits until the browse screen has listed place, and returns the rows a
// person sees.
func browseRows(t *testing.T, mw *mainWindow, l *uiLoop) []*resultRow {
	t.Helper()
	b := mw.browse
	l.waitFor(t, "the list of "+b.place.String(), func() bool { return !b.loading })
	return visibleRows(b.list)
}

// findButton returns the visible button labelled text inside o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range visible(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

func TestNavigationShowsEveryPlace(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)

	nav := allText(mw.nav.content)
	for _, want := range []string{"Search", "Notes", "Contacts", "Organisations", "Documents", "Briefings", "Trash", "Tags", "Countries", "Topics"} {
		if !strings.Contains(nav, want) {
			t.Errorf("navigation lacks %q:\n%s", want, nav)
		}
	}
	if mw.place != pl(t, "search") || !mw.search.content.Visible() || mw.browse.content.Visible() {
		t.Fatalf("the window does not open on the search")
	}

	// Tapping Contacts lists the contacts, each with its marking.
	mw.nav.list.Select(2)
	rows := browseRows(t, mw, l)
	if mw.place != pl(t, "kind:contact") || !mw.browse.content.Visible() || mw.search.content.Visible() {
		t.Fatalf("place %q after choosing Contacts", mw.place)
	}
	if got := rowTitles(rows); !slices.Equal(got, []string{"Amina Okafor"}) {
		t.Errorf("contact rows = %q", got)
	}
	if rows[0].badge.text.Text != "UNCLASSIFIED" || !strings.Contains(rows[0].meta.Text, "Contact · Nigeria") {
		t.Errorf("row shows badge %q, meta %q", rows[0].badge.text.Text, rows[0].meta.Text)
	}
	if h := mw.browse.header.Text; h != "Contacts · 1" {
		t.Errorf("header = %q", h)
	}
	if mw.browse.newBtn.Text != "New contact" || !mw.browse.newBtn.Visible() {
		t.Errorf("no New contact button")
	}

	// Selecting the row shows the contact beside the list.
	mw.browse.list.Select(0)
	l.waitFor(t, "the contact", func() bool { return viewTitle(mw.browse.pane.view) == "Amina Okafor" })
	for _, want := range []string{"UNCLASSIFIED", "Director of Water Resources", "+234 800 000 0000", "Edit", "Trash", "History"} {
		if !strings.Contains(allText(mw.browse.pane.content), want) {
			t.Errorf("pane lacks %q", want)
		}
	}

	// The counts follow the kinds.
	if mw.nav.counts[pl(t, "kind:note")] != 1 || mw.nav.counts[pl(t, "kind:contact")] != 1 || mw.nav.counts[pl(t, "trash")] != 0 {
		t.Errorf("counts = %v", mw.nav.counts)
	}
}

func TestBrowseByTagCountryTopic(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)

	mw.goTo(pl(t, "countries"))
	rows := browseRows(t, mw, l)
	got := rowTitles(rows)
	if !slices.Contains(got, "Nigeria (NGA)") || !slices.Contains(got, "Mali (MLI)") {
		t.Fatalf("country rows = %q", got)
	}
	i := slices.Index(got, "Nigeria (NGA)")
	if rows[i].meta.Text != "5 items" {
		t.Errorf("Nigeria row says %q, want 5 items", rows[i].meta.Text)
	}
	// Choosing a country lists its items; Back returns to the countries.
	mw.browse.list.Select(i)
	rows = browseRows(t, mw, l)
	if mw.place != pl(t, "country:NGA") || len(rows) != 5 {
		t.Errorf("place %q with %d rows", mw.place, len(rows))
	}
	if mw.nav.list == nil || !mw.browse.back.Visible() {
		t.Errorf("no way back to the countries")
	}
	test.Tap(mw.browse.back)
	browseRows(t, mw, l)
	if mw.place != pl(t, "countries") {
		t.Errorf("Back went to %q", mw.place)
	}

	mw.goTo(pl(t, "tags"))
	rows = browseRows(t, mw, l)
	if got := rowTitles(rows); !slices.Equal(got, []string{"#oil-spill"}) {
		t.Errorf("tag rows = %q", got)
	}
	mw.goTo(pl(t, "topic:environment"))
	rows = browseRows(t, mw, l)
	if got := rowTitles(rows); !slices.Equal(got, []string{"Spill at the Lokoja depot"}) || mw.browse.header.Text != "Topic: Environment · 1" {
		t.Errorf("topic rows = %q, header %q", got, mw.browse.header.Text)
	}
}

func TestBrowseLoadsPagesOfALongList(t *testing.T) {
	var items []store.Item
	for i := range 1234 {
		items = append(items, store.Item{Kind: store.KindDocument, Title: fmt.Sprintf("Statement %04d", i), Class: "RESTRICTED"})
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	mw.goTo(pl(t, "kind:document"))
	browseRows(t, mw, l)
	b := mw.browse
	if b.length() != 1234 || len(b.pages) != 1 || !b.has(browsePage-1) || b.has(browsePage) {
		t.Fatalf("first read: %d rows, pages %v; want 1,234 rows with the first page read", b.length(), b.pages)
	}
	if b.header.Text != "Documents · 1,234" {
		t.Errorf("header = %q", b.header.Text)
	}
	// Jumping to the end reads the last page only, off the UI goroutine.
	b.list.ScrollToBottom()
	l.waitFor(t, "the last page", func() bool { return b.has(1233) })
	l.waitFor(t, "the last rows drawn", func() bool {
		rows := visibleRows(b.list)
		return len(rows) > 0 && rows[len(rows)-1].title.Text == "Statement 1233"
	})
	if b.pages[1] || b.has(browsePage) {
		t.Errorf("the middle page was read too: pages %v", b.pages)
	}
	rows := visibleRows(b.list)
	if rows[0].badge.text.Text != "RESTRICTED" {
		t.Errorf("row badge = %q", rows[0].badge.text.Text)
	}
	b.list.Select(1233)
	l.waitFor(t, "the last item", func() bool { return viewTitle(b.pane.view) == "Statement 1233" })
	// A row chosen before its page has arrived opens when it does.
	b.list.Select(700)
	if b.openWhenRead != 700 {
		t.Errorf("a row of a page not read yet: openWhenRead = %d", b.openWhenRead)
	}
	l.waitFor(t, "the row chosen early", func() bool { return viewTitle(b.pane.view) == "Statement 0700" })
}

func TestWindowRemembersPlaceAndSize(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	a := test.NewTempApp(t)
	l := newUILoop(t)
	mw := newMainWindow(a, k.deps(), l.do)
	mw.win.Show()
	mw.goTo(pl(t, "kind:organisation"))
	browseRows(t, mw, l)
	mw.browse.list.Select(0)
	l.waitFor(t, "the organisation", func() bool { return viewTitle(mw.browse.pane.view) == "Niger Basin Authority" })
	mw.win.Resize(fyne.NewSize(1000, 700))
	mw.split.SetOffset(0.2)
	mw.onCloseRequested()
	l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })

	p := a.Preferences()
	if place, _ := k.db.Setting(t.Context(), memPlace); place != "kind:organisation" {
		t.Errorf("saved place %q", place)
	}
	if item, _ := k.db.Setting(t.Context(), memItem); item != "t-org" {
		t.Errorf("saved item %q", item)
	}
	// The next window opens where this one was.
	mw2 := newMainWindow(a, k.deps(), l.do)
	mw2.win.Show()
	t.Cleanup(mw2.win.Close)
	l.waitFor(t, "the organisation again", func() bool { return viewTitle(mw2.browse.pane.view) == "Niger Basin Authority" })
	if mw2.place != pl(t, "kind:organisation") || !mw2.browse.content.Visible() {
		t.Errorf("reopened on %q", mw2.place)
	}
	if w := p.Float(prefWidth); w < 900 || w > 1100 {
		t.Errorf("saved width %v", w)
	}
	if mw2.split.Offset < 0.19 || mw2.split.Offset > 0.21 {
		t.Errorf("navigation width not kept: offset %v", mw2.split.Offset)
	}
	// Another knowledge base opens on the search, not on this one's place and item.
	other := openTestKB(t, riverItems()...)
	deps := other.deps()
	mem := &markedMemory{Memory: other.db, name: "recall"}
	deps.Memory = mem
	mw3 := newMainWindow(a, deps, l.do)
	mw3.win.Show()
	t.Cleanup(mw3.win.Close)
	l.waitFor(t, "the place remembered read", func() bool { return mem.reads.Load() > 0 })
	l.waitGone(t, "the remembered place shown", "recall")
	if mw3.place != pl(t, "search") {
		t.Errorf("another knowledge base reopened on %q", mw3.place)
	}
}

// Golden rendering of the workbench on a list: navigation, contacts, the open contact.
func TestWorkbenchRendering(t *testing.T) {
	day := time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)
	items := riverItems()
	for i := range items {
		items[i].Date = day // shown in rows: fixed, not the day the test runs
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.win.Resize(fyne.NewSize(1200, 720))
	mw.goTo(pl(t, "kind:contact"))
	browseRows(t, mw, l)
	mw.browse.list.Select(0)
	l.waitFor(t, "the contact", func() bool { return viewTitle(mw.browse.pane.view) == "Amina Okafor" })
	test.AssertRendersToMarkup(t, "workbench_contacts.xml", mw.win.Canvas())
}
