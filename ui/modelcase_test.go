package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/search/searchtest"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// The "done" scenario, on the example knowledge base, as a newcomer would do it:
// find everything about the spill, open the contacts in the downstream countries, write
// a note linking two of them, find it again by a partial word, delete and restore it.
func TestModelCaseOnTheExample(t *testing.T) {
	setAutosave(t, time.Hour)
	items, err := importer.DemoItems()
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, items...)
	k := &kb{db: db, ix: searchtest.Open(t, db)}
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	s := mw.search

	// Everything about the spill.
	typeQuery(t, mw, l, "spill")
	if s.total < 30 {
		t.Fatalf("spill finds %d items", s.total)
	}
	kinds := map[string]bool{}
	for _, h := range s.hits {
		kinds[string(h.Kind)] = true
	}
	if !kinds["note"] || !kinds["contact"] || !kinds["document"] || !kinds["organisation"] {
		t.Errorf("spill finds kinds %v", kinds)
	}

	// The contacts in the downstream countries, with the filter chips.
	typeQuery(t, mw, l, "kind:contact")
	for _, country := range []string{"TGO", "BEN", "NER", "NGA"} {
		q := "kind:contact country:" + country
		c := findChip(s, country)
		if c != nil {
			test.Tap(c)
			l.waitFor(t, "the "+country+" contacts", func() bool { return s.query == q })
		} else {
			// Not among the top chips: typed instead, by the country's name.
			q = "kind:contact country:" + strings.ToLower(countryNames([]string{country}))
			typeQuery(t, mw, l, q)
		}
		if len(s.hits) == 0 {
			t.Fatalf("%s: no contacts", q)
		}
		s.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		top := s.hits[0].Title
		l.waitFor(t, "the top contact", func() bool { return viewTitle(s.view) == top })
		if v := allText(s.view.content); !strings.Contains(v, "Phone") || !strings.Contains(v, "UNCLASSIFIED") || !strings.Contains(v, countryNames([]string{country})) {
			t.Errorf("%s: the contact shows no phone, marking or country:\n%s", top, v)
		}
		if c != nil {
			test.Tap(findChip(s, country)) // off again
			l.waitFor(t, "the filter removed", func() bool { return s.query == "kind:contact" })
		} else {
			typeQuery(t, mw, l, "kind:contact")
		}
	}

	// A note linking two of them.
	mw.onNew("note")
	ed := mw.browse.pane.ed
	test.Type(ed.title, "Downstream call sheet")
	test.Type(ed.body, "Call [[")
	l.waitFor(t, "the titles", func() bool { return mw.palette.visible() && len(mw.palette.shown) > 0 })
	test.Type(mw.palette.entry, "dossou")
	press(mw.palette.entry, fyne.KeyReturn)
	test.Type(ed.body, " then @")
	l.waitFor(t, "the titles", func() bool { return mw.palette.visible() && len(mw.palette.shown) > 0 })
	test.Type(mw.palette.entry, "moussa garba")
	press(mw.palette.entry, fyne.KeyReturn)
	if want := "Call [[Mme Laure Dossou-Yovo]] then [[M. Ibrahim Moussa Garba]]"; ed.body.Text != want {
		t.Errorf("note = %q, want %q", ed.body.Text, want)
	}
	mw.onSave()
	p := mw.browse.pane
	l.waitFor(t, "the note saved", func() bool { return !p.dirty && !p.saving && p.item.ID != "" })
	id := p.item.ID
	if len(p.item.Links) != 2 {
		t.Errorf("note links = %v", p.item.Links)
	}

	// Found again by part of a word.
	sync := func() {
		if err := searchtest.WaitForStore(context.Background(), k.ix, k.db); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	mw.onFind()
	test.Type(s.entry, "downstr") // Ctrl+F selected the old query: typing replaces it
	l.waitFor(t, "results for downstr", func() bool { return s.query == "downstr" })
	if !hitsContain(s, id) {
		t.Fatalf("downstr does not find the note")
	}

	// Deleted, gone from the search; restored from the trash, back.
	mw.search.pane.open(id)
	l.waitFor(t, "the note", func() bool { return viewTitle(s.view) == "Downstream call sheet" })
	mw.onTrash()
	l.waitFor(t, "in the trash", func() bool { return getItem(t, k, id).Deleted != nil })
	sync()
	typeQuery(t, mw, l, "downstream call")
	if hitsContain(s, id) {
		t.Error("the trashed note is still found")
	}
	mw.goTo(pl(t, "trash"))
	rows := browseRows(t, mw, l)
	if got := rowTitles(rows); !slices.Equal(got, []string{"Downstream call sheet"}) {
		t.Fatalf("trash = %q", got)
	}
	mw.browse.list.Select(0)
	l.waitFor(t, "Restore offered", func() bool { return mw.browse.pane.restoreBtn.Visible() })
	test.Tap(mw.browse.pane.restoreBtn)
	l.waitFor(t, "restored", func() bool { return getItem(t, k, id).Deleted == nil })
	sync()
	mw.goTo(pl(t, "search"))
	typeQuery(t, mw, l, "downstr")
	if !hitsContain(s, id) {
		t.Error("the restored note is not found")
	}
}

func findChip(s *searchScreen, prefix string) *chip {
	for _, o := range s.facets.Objects {
		if c, ok := o.(*chip); ok && strings.HasPrefix(c.text, prefix+" ") {
			return c
		}
	}
	return nil
}

func hitsContain(s *searchScreen, id string) bool {
	for _, h := range s.hits {
		if h.ID == id {
			return true
		}
	}
	return false
}
