package ui

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"chancery/store"
	"chancery/store/importer"
)

func dossierDay(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// dossierItems are Togo's counterparts and papers, and a Benin contact.
var dossierItems = []store.Item{
	{Kind: store.KindContact, Title: "Komla Mensah", Countries: []string{"TGO"},
		Contact: &store.Contact{JobTitle: "Director of Environment", Phones: []store.Labeled{{Value: "+228 2221 0000"}},
			LastContact: dossierDay("2026-11-03")}},
	{Kind: store.KindContact, Title: "Afi Agbeko", Countries: []string{"TGO"}, Contact: &store.Contact{JobTitle: "Deputy Secretary"}},
	{Kind: store.KindContact, Title: "Koffi Dossou", Countries: []string{"BEN"}, Body: "Benin focal point."},
	{Kind: store.KindOrganisation, Title: "Ministère de l'Environnement", Countries: []string{"TGO"},
		Organisation: &store.Organisation{Acronym: "MERF"}},
	{Kind: store.KindNote, Title: "Call with Lomé", Countries: []string{"TGO"}, Date: dossierDay("2026-11-04"), Body: "Agreed to share data."},
	{Kind: store.KindDocument, Title: "Communiqué togolais", Countries: []string{"TGO"}, Date: dossierDay("2026-11-02"),
		Document: &store.Document{Status: store.StatusOK}, Body: "Le gouvernement suit la situation."},
}

// TestDossierScreen drives the dossier screen alone on a real store: what a person sees of
// Togo, and a tap on a counterpart opens it.
func TestDossierScreen(t *testing.T) {
	test.NewTempApp(t)
	k := openTestKB(t, dossierItems...)
	l := newUILoop(t)
	var opened []string
	d := newDossierScreen(dossierDeps{reader: k.db, ctx: context.Background(), do: l.do, log: slog.New(slog.DiscardHandler)},
		dossierHandlers{onOpen: func(id string) { opened = append(opened, id) }})
	w := test.NewTempWindow(t, d.content)
	w.Resize(w.Canvas().Size().Max(d.content.MinSize()).AddWidthHeight(400, 600))
	d.show("TGO")
	l.waitFor(t, "the dossier of Togo", func() bool { return d.loaded })
	got := allText(d.content)
	for _, want := range []string{
		"Dossier: Togo", "Того", "多哥", "توغو", "Togolese", "Togolais",
		"Counterparts (2)", "Komla Mensah", "Director of Environment · ☎ +228 2221 0000 · last contact " + formatDate(dossierDay("2026-11-03")),
		"Afi Agbeko", "Deputy Secretary · no phone · never contacted",
		"Organisations (1)", "Ministère de l'Environnement", "MERF",
		"Notes (1)", "Call with Lomé", "Documents (1)", "Communiqué togolais",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the dossier does not show %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Koffi Dossou") {
		t.Errorf("Togo's dossier shows Benin's contact:\n%s", got)
	}
	if strings.Index(got, "Komla Mensah") > strings.Index(got, "Afi Agbeko") {
		t.Errorf("the counterpart contacted last is not first:\n%s", got)
	}
	b := findButton(d.content, "Komla Mensah")
	if b == nil {
		t.Fatal("no button for Komla Mensah")
	}
	test.Tap(b)
	if len(opened) != 1 || opened[0] == "" {
		t.Fatalf("tapping Komla Mensah opened %q", opened)
	}
	if it, err := k.db.Get(context.Background(), opened[0]); err != nil || it.Title != "Komla Mensah" {
		t.Errorf("tapping Komla Mensah opened %q (%v)", it.Title, err)
	}

	// A country with nothing: the words for none. An unknown code: the error in words.
	d.show("ISL")
	l.waitFor(t, "the dossier of Iceland", func() bool { return strings.Contains(allText(d.content), "Dossier: Iceland") && d.loaded })
	if got := allText(d.content); !strings.Contains(got, "No contacts in this country yet.") || strings.Contains(got, "Komla") {
		t.Errorf("Iceland's dossier:\n%s", got)
	}
	d.show("XXX")
	l.waitFor(t, "the error", func() bool { return strings.Contains(d.status.Text, "could not be read") })
	if !strings.Contains(d.status.Text, `"XXX"`) {
		t.Errorf("the error does not name the country: %q", d.status.Text)
	}
}

// TestDossierFromCountriesList checks the dossier is one click from the Countries list:
// choosing Togo lists its items with its dossier beside them; an item chosen in the
// dossier opens in the pane; the Dossier button brings the dossier back.
func TestDossierFromCountriesList(t *testing.T) {
	k := openTestKB(t, dossierItems...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.goTo(termsPlace(store.TermCountry))
	rows := browseRows(t, mw, l)
	togo := -1
	for i, r := range rows {
		if strings.HasPrefix(r.title.Text, "Togo") {
			togo = i
		}
	}
	if togo < 0 {
		t.Fatalf("no Togo in the Countries list: %q", rowTitles(rows))
	}
	mw.browse.list.Select(togo) // the one click
	b := mw.browse
	l.waitFor(t, "Togo's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "TGO" })
	if mw.place != termPlace(store.TermCountry, "TGO") {
		t.Fatalf("the place is %v", mw.place)
	}
	if !b.dossierShown() {
		t.Fatal("the dossier is not shown beside the list")
	}
	if got := allText(b.dossier.content); !strings.Contains(got, "Komla Mensah") || !strings.Contains(got, "Counterparts (2)") {
		t.Errorf("the dossier shows:\n%s", got)
	}
	if b.dossierBtn.Visible() && !b.dossierBtn.Disabled() {
		t.Error("the Dossier button is enabled while the dossier is shown")
	}

	test.Tap(findButton(b.dossier.content, "Call with Lomé"))
	l.waitFor(t, "the note in the pane", func() bool { return viewTitle(b.pane.view) == "Call with Lomé" })
	if b.dossierShown() {
		t.Fatal("the pane is not shown after choosing an item in the dossier")
	}
	if !b.dossierBtn.Visible() || b.dossierBtn.Disabled() {
		t.Fatal("no Dossier button to come back")
	}
	test.Tap(b.dossierBtn)
	if !b.dossierShown() {
		t.Fatal("the Dossier button does not show the dossier")
	}

	// A change to the knowledge base reads the dossier again, and it stays shown.
	if _, err := k.db.Save(context.Background(), store.Item{Kind: store.KindContact, Title: "Yawo Adjo", Countries: []string{"TGO"}}); err != nil {
		t.Fatal(err)
	}
	l.waitFor(t, "the new counterpart", func() bool { return strings.Contains(allText(b.dossier.content), "Yawo Adjo") })
	if !b.dossierShown() {
		t.Error("the dossier was hidden by a change")
	}

	// Other places have no dossier.
	mw.goTo(itemsPlace(store.KindNote))
	browseRows(t, mw, l)
	if b.dossierShown() || b.dossierBtn.Visible() {
		t.Error("the notes show a dossier")
	}
}

// TestDossierFromSearch checks that a query naming a country offers its dossier, in any of
// the six languages or by demonym, and that the offer opens it; a query naming none offers
// nothing.
func TestDossierFromSearch(t *testing.T) {
	k := openTestKB(t, dossierItems...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	s := mw.search
	for _, q := range []string{"Togo contacts", "togolais", "Того", "多哥"} {
		typeQuery(t, mw, l, q)
		if !s.dossierBtn.Visible() || s.dossierBtn.Text != "Open dossier: Togo" {
			t.Fatalf("%q: the dossier offer is %q (shown %v)", q, s.dossierBtn.Text, s.dossierBtn.Visible())
		}
	}
	rows := visibleRows(s.list)
	if len(rows) < 2 || !strings.Contains(rows[0].title.Text+rows[1].title.Text, "Komla Mensah") || !strings.Contains(rows[0].title.Text+rows[1].title.Text, "Afi Agbeko") {
		t.Errorf("Togo's counterparts are not at the top: %q", rowTitles(rows))
	}
	typeQuery(t, mw, l, "data")
	if s.dossierBtn.Visible() {
		t.Error("a query naming no country offers a dossier")
	}
	typeQuery(t, mw, l, "Togo")
	test.Tap(s.dossierBtn)
	b := mw.browse
	l.waitFor(t, "Togo's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "TGO" && b.dossierShown() })
	if mw.place != termPlace(store.TermCountry, "TGO") {
		t.Errorf("the place is %v", mw.place)
	}
}

// TestOpenDossier checks the hook a call sheet's row calls: any country's dossier, from
// wherever the window is.
func TestOpenDossier(t *testing.T) {
	k := openTestKB(t, dossierItems...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.goTo(itemsPlace(store.KindNote))
	browseRows(t, mw, l)
	mw.browse.list.Select(0)
	l.waitFor(t, "a note open", func() bool { return viewTitle(mw.browse.pane.view) != "" })
	for _, code := range []string{"BEN", "TGO"} {
		mw.openDossier(code)
		b := mw.browse
		l.waitFor(t, code+"'s dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == code && b.dossierShown() })
	}
	if got := allText(mw.browse.dossier.content); !strings.Contains(got, "Komla Mensah") {
		t.Errorf("Togo's dossier after Benin's:\n%s", got)
	}
}

// TestDossierScreenIncidents checks the sections from incidents: the country's incidents,
// its positions (a tap opens the incident when the position names no statement), and the
// last contact a logged call sets.
func TestDossierScreenIncidents(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	k := openTestKB(t, dossierItems...)
	spill, err := k.db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Ossera spill",
		Incident: &store.Incident{Type: "oil spill", Severity: "major", ZeroHour: dossierDay("2026-11-02"), Affected: []string{"GHA", "TGO"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.db.SavePosition(ctx, store.Position{Incident: spill.ID, Country: "TGO", Text: "Holds the operator liable.",
		Stated: dossierDay("2026-11-03"), Source: "Ministry statement", Reliability: "B2"}); err != nil {
		t.Fatal(err)
	}
	rows, err := k.db.ProposeCallSheet(ctx, spill.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rows, err = k.db.SaveCallRows(ctx, spill.ID, rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == "Afi Agbeko" || strings.Contains(r.Name, "Agbeko") {
			if _, err := k.db.LogCall(ctx, spill.ID, r.ID, store.CallReached, "Will inform the minister"); err != nil {
				t.Fatal(err)
			}
		}
	}
	l := newUILoop(t)
	var opened []string
	d := newDossierScreen(dossierDeps{reader: k.db, ctx: ctx, do: l.do, log: slog.New(slog.DiscardHandler)},
		dossierHandlers{onOpen: func(id string) { opened = append(opened, id) }})
	w := test.NewTempWindow(t, d.content)
	w.Resize(d.content.MinSize().AddWidthHeight(400, 600))
	d.show("TGO")
	l.waitFor(t, "the dossier of Togo", func() bool { return d.loaded })
	got := allText(d.content)
	for _, want := range []string{
		"Positions (1)", "“Holds the operator liable.”", "stated " + formatDate(dossierDay("2026-11-03")) + " · Ministry statement · B2 · on Ossera spill",
		"Incidents (1)", "Ossera spill", "oil spill · active · major · since " + formatDate(dossierDay("2026-11-02")),
		"Deputy Secretary · no phone · last contact " + formatDate(time.Now()),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the dossier does not show %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "Afi Agbeko") > strings.Index(got, "Komla Mensah") {
		t.Errorf("the counterpart just called is not first:\n%s", got)
	}
	test.Tap(findButton(d.content, "“Holds the operator liable.”"))
	if len(opened) != 1 || opened[0] != spill.ID {
		t.Errorf("tapping the position opened %q; want the incident %s", opened, spill.ID)
	}
}

// TestCountrySearchOnTheExample checks, on the example knowledge base, that naming Togo
// in any of the six UN languages or by demonym puts Togo's counterparts (its contacts) at
// the top of the results, and that its dossier is offered and lists them all.
func TestCountrySearchOnTheExample(t *testing.T) {
	items, err := importer.DemoItems()
	if err != nil {
		t.Fatal(err)
	}
	var togo []string
	for _, it := range items {
		if it.Kind == store.KindContact && slices.Contains(it.Countries, "TGO") {
			togo = append(togo, it.Title)
		}
	}
	if len(togo) == 0 {
		t.Fatal("the example has no contact in Togo")
	}
	k := openTestKB(t, items...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	s := mw.search
	for _, q := range []string{"Togo", "Togo contacts", "togolais", "Togolese", "Того", "多哥", "توغو", "Togo counterparts"} {
		typeQuery(t, mw, l, q)
		var top []string
		for _, h := range s.hits[:min(len(togo), len(s.hits))] {
			top = append(top, h.Title)
		}
		for _, name := range togo {
			if !slices.Contains(top, name) {
				t.Errorf("%q: Togo's counterpart %q is not in the first %d results: %q", q, name, len(togo), top)
			}
		}
		if s.dossierBtn.Text != "Open dossier: Togo" || !s.dossierBtn.Visible() {
			t.Errorf("%q: the dossier offer is %q", q, s.dossierBtn.Text)
		}
	}
	test.Tap(s.dossierBtn)
	d := mw.browse.dossier
	l.waitFor(t, "Togo's dossier", func() bool { return d.loaded && d.alpha3 == "TGO" })
	got := allText(d.content)
	for _, name := range togo {
		if !strings.Contains(got, name) {
			t.Errorf("the dossier does not list %q:\n%s", name, got)
		}
	}
}

// TestDossierShortcut checks Ctrl+Shift+D: the country the search names, else the open
// item's country, else the Countries list to choose from.
func TestDossierShortcut(t *testing.T) {
	k := openTestKB(t, dossierItems...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	mw.dialogs.onHelp()
	if !strings.Contains(allText(mw.win.Canvas().Overlays().Top()), "Ctrl+Shift+D") {
		t.Error("the help does not list Ctrl+Shift+D")
	}
	mw.dialogs.close()
	var shortcut *fyne.MenuItem
	for _, m := range mw.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Country Dossier" {
				shortcut = it
			}
		}
	}
	if shortcut == nil {
		t.Fatal("no Country Dossier menu item")
	}
	if sc, ok := shortcut.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyD || sc.Modifier != fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
		t.Fatalf("Country Dossier's shortcut is %#v; want Ctrl+Shift+D", shortcut.Shortcut)
	}
	typeQuery(t, mw, l, "Того")
	shortcut.Action()
	b := mw.browse
	l.waitFor(t, "Togo's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "TGO" && b.dossierShown() })

	mw.goTo(itemsPlace(store.KindContact))
	rows := browseRows(t, mw, l)
	for i, r := range rows {
		if r.title.Text == "Koffi Dossou" {
			b.list.Select(i)
		}
	}
	l.waitFor(t, "Koffi Dossou open", func() bool { return viewTitle(b.pane.view) == "Koffi Dossou" })
	shortcut.Action()
	l.waitFor(t, "Benin's dossier", func() bool { return b.dossier.loaded && b.dossier.alpha3 == "BEN" && b.dossierShown() })

	mw.goTo(searchPlace)
	typeQuery(t, mw, l, "data")
	shortcut.Action()
	if mw.place != termsPlace(store.TermCountry) {
		t.Errorf("with no country at hand the shortcut went to %v; want the Countries list", mw.place)
	}
}
