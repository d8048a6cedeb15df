package ui

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
	"chancery/store/importer" // the one test wired to the real importer, as cmd/chancery wires it
)

// importedDocs are documents as an import keeps them: one read whole, one without text,
// one refused.
func importedDocs() []store.Item {
	doc := func(id, title, file, status, reason string) store.Item {
		return store.Item{ID: id, Kind: store.KindDocument, Title: title, Class: "UNCLASSIFIED",
			Body:     map[bool]string{true: "The delegation met the river commission."}[status == store.StatusOK],
			Document: &store.Document{FileName: file, Status: status, StatusReason: reason}}
	}
	return []store.Item{
		doc("d-ok", "Commission minutes", "minutes.pdf", store.StatusOK, ""),
		doc("d-scan", "Scanned treaty", "treaty-scan.pdf", store.StatusEmpty, "no text layer"),
		doc("d-locked", "Locked memo", "memo.pdf", store.StatusFailed, "the file is protected by a password"),
	}
}

// summaryRows returns the rows of the import summary's list a person sees, top to bottom.
func summaryRows(c fyne.Canvas) []*importRow {
	top := c.Overlays().Top()
	if top == nil {
		return nil
	}
	var rows []*importRow
	for _, o := range visible(top) {
		if r, ok := o.(*importRow); ok && r.name.Text != "" {
			rows = append(rows, r)
		}
	}
	d := fyne.CurrentApp().Driver()
	slices.SortFunc(rows, func(a, b *importRow) int {
		return cmp.Compare(d.AbsolutePositionForObject(a).Y, d.AbsolutePositionForObject(b).Y)
	})
	return rows
}

// dialogShown tells whether a dialog covers the window.
func dialogShown(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	return top != nil && top.Visible()
}

func overlayText(c fyne.Canvas) string {
	if top := c.Overlays().Top(); top != nil {
		return allText(top)
	}
	return ""
}

func TestImportShowsProgressThenSummary(t *testing.T) {
	k := openTestKB(t, importedDocs()...)
	deps := k.deps()
	reached, release := make(chan struct{}), make(chan struct{})
	var gotPaths []string
	deps.Import = func(ctx context.Context, paths []string, _ string, p ImportProgress) (store.ImportReport, error) {
		gotPaths = paths
		files := []store.ImportedFile{
			{Path: "/in/minutes.pdf", ItemID: "d-ok", Status: store.StatusOK},
			{Path: "/in/treaty-scan.pdf", ItemID: "d-scan", Status: store.StatusEmpty, Reason: "no text layer"},
			{Path: "/in/memo.pdf", ItemID: "d-locked", Status: store.StatusFailed, Reason: "the file is protected by a password"},
		}
		for _, f := range files {
			p.Reading(f.Path)
			p.Read(f)
		}
		p.Saved(2, 6)
		close(reached)
		<-release
		p.Saved(6, 6)
		return store.ImportReport{Saved: 6, Documents: files,
			Failed: []store.ImportFailure{{Path: "/in/cards/broken.vcf", Err: errors.New("line 3: a card without END:VCARD")}}}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()

	in := t.TempDir()
	mw.imports.start([]string{in}, "")
	<-reached
	p := mw.imports
	l.waitFor(t, "the progress", func() bool { return strings.Contains(p.detail.Text, "2 of 6 items saved") })
	if !p.content.Visible() || p.title.Text != "Importing memo.pdf" || !strings.Contains(p.detail.Text, "3 documents read") {
		t.Errorf("progress strip: visible %v, %q / %q", p.content.Visible(), p.title.Text, p.detail.Text)
	}
	if !p.bar.Visible() || p.bar.Value < 0.33 || p.bar.Value > 0.34 || !p.cancelBtn.Visible() {
		t.Errorf("progress bar visible %v at %v, Cancel visible %v", p.bar.Visible(), p.bar.Value, p.cancelBtn.Visible())
	}
	if dialogShown(c) {
		t.Errorf("a dialog covers the window while importing: %q", overlayText(c))
	}
	// The window stays usable: another place lists its items meanwhile.
	mw.goTo(pl(t, "kind:document"))
	if got := rowTitles(browseRows(t, mw, l)); len(got) != 3 {
		t.Errorf("documents listed while importing: %q", got)
	}
	// A second import waits for the first.
	mw.imports.start([]string{"/other"}, "")
	if !strings.Contains(overlayText(c), "An import is under way") {
		t.Errorf("a second import while one runs is not refused: %q", overlayText(c))
	}
	c.Overlays().Top().Hide()

	close(release)
	l.waitFor(t, "the summary", func() bool { return len(summaryRows(c)) > 0 })
	if !slices.Equal(gotPaths, []string{in}) {
		t.Errorf("imported %q", gotPaths)
	}
	const want = "4 imported, 1 without text (no text layer), 2 refused"
	if text := overlayText(c); !strings.Contains(text, "Import finished") || !strings.Contains(text, want+".") {
		t.Errorf("summary dialog says:\n%s", text)
	}
	if p.title.Text != "Import finished: "+want || p.bar.Visible() || p.cancelBtn.Visible() || !p.detailsBtn.Visible() {
		t.Errorf("strip after the import: %q, bar %v, Cancel %v", p.title.Text, p.bar.Visible(), p.cancelBtn.Visible())
	}
	var got []string
	for _, r := range summaryRows(c) {
		got = append(got, r.name.Text+" | "+r.status.Text)
	}
	wantRows := []string{
		"broken.vcf  —  /in/cards | Refused — line 3: a card without END:VCARD",
		"memo.pdf  —  /in | Refused — the file is protected by a password",
		"treaty-scan.pdf  —  /in | Imported without text — no text layer",
		"minutes.pdf  —  /in | Imported",
	}
	if !slices.Equal(got, wantRows) {
		t.Errorf("summary rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}

	// The list can be copied.
	test.Tap(overlayButton(c, "Copy list"))
	clip := fyne.CurrentApp().Clipboard().Content()
	if !strings.Contains(clip, "/in/memo.pdf\tRefused — the file is protected by a password") || !strings.HasPrefix(clip, want) {
		t.Errorf("copied:\n%s", clip)
	}

	// Choosing a file that was not kept shows why in full.
	p.list.Select(0)
	if !strings.Contains(p.chosen.Text, "/in/cards/broken.vcf\nRefused — line 3: a card without END:VCARD") || !dialogShown(c) {
		t.Errorf("choosing the refused card shows %q", p.chosen.Text)
	}
	// Choosing a file kept opens its item, and closes the summary.
	p.list.Select(2)
	l.waitFor(t, "the scanned treaty", func() bool { return viewTitle(mw.browse.pane.view) == "Scanned treaty" })
	if dialogShown(c) {
		t.Errorf("the summary stays open over the item: %q", overlayText(c))
	}
	if pane := allText(mw.browse.pane.content); !strings.Contains(pane, "Imported without text — no text layer") {
		t.Errorf("the document's pane does not say what became of it:\n%s", pane)
	}
	// Details… shows the summary again.
	test.Tap(p.detailsBtn)
	if len(summaryRows(c)) != 4 {
		t.Errorf("Details… shows %d rows", len(summaryRows(c)))
	}
}

func TestImportCancelKeepsWhatWasSaved(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	started := make(chan struct{})
	cancelled := make(chan error, 1)
	deps.Import = func(ctx context.Context, paths []string, _ string, p ImportProgress) (store.ImportReport, error) {
		p.Reading("/in/big/first.md")
		p.Saved(500, 1200)
		close(started)
		<-ctx.Done()
		cancelled <- ctx.Err()
		return store.ImportReport{Saved: 500}, ctx.Err()
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()

	mw.imports.start([]string{t.TempDir()}, "")
	<-started
	l.waitFor(t, "the progress", func() bool { return strings.Contains(mw.imports.detail.Text, "500 of 1,200 items saved") })
	test.Tap(mw.imports.cancelBtn)
	if err := <-cancelled; err != context.Canceled {
		t.Fatalf("Cancel left the import's context with %v", err)
	}
	l.waitFor(t, "the summary", func() bool { return dialogShown(c) })
	text := overlayText(c)
	for _, want := range []string{"Import cancelled", "Before the cancel: 500 imported. What was saved is kept"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if mw.imports.title.Text != "Import cancelled" {
		t.Errorf("strip says %q", mw.imports.title.Text)
	}
}

func TestClosingTheWindowStopsTheImportFirst(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	started, stopped := make(chan struct{}), make(chan struct{})
	deps.Import = func(ctx context.Context, paths []string, _ string, p ImportProgress) (store.ImportReport, error) {
		close(started)
		<-ctx.Done()
		close(stopped)
		return store.ImportReport{}, ctx.Err()
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	mw.imports.start([]string{t.TempDir()}, "")
	<-started
	mw.onCloseRequested()
	<-stopped // the close cancelled the import
	if mw.ctx.Err() != nil {
		t.Fatalf("the window closed before the import stopped")
	}
	l.waitFor(t, "the window to close", func() bool { return mw.ctx.Err() != nil })
}

func TestImportRealFilesAppear(t *testing.T) {
	k := openTestKB(t)
	dir := t.TempDir()
	note := "# Meeting with the river commission\n\nThe commission agreed to share gauge data weekly.\n"
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ibrahim Sule\r\nN:Sule;Ibrahim;;;\r\nTITLE:Hydrologist\r\nEMAIL;TYPE=work:i.sule@example.org\r\nEND:VCARD\r\n"
	if err := os.WriteFile(filepath.Join(dir, "commission.md"), []byte(note), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sule.vcf"), []byte(card), 0o644); err != nil {
		t.Fatal(err)
	}
	deps := k.deps()
	deps.Import = func(ctx context.Context, paths []string, _ string, p ImportProgress) (store.ImportReport, error) {
		rep, err := importer.Import(ctx, k.db, paths, importer.Options{Progress: p.Saved, Reading: p.Reading})
		if err == nil {
			var last int64
			if last, err = k.db.LastSeq(ctx); err == nil {
				err = k.ix.WaitForProgress(ctx, last, p.Indexing)
			}
		}
		return rep, err
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()

	// Dropping the folder on the window imports it, once its marking is chosen.
	mw.imports.onDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(dir)})
	if !strings.Contains(overlayText(c), "Mark what is imported") {
		t.Fatalf("no marking asked for: %q", overlayText(c))
	}
	test.Tap(overlayButton(c, "Import"))
	l.waitFor(t, "the summary", func() bool { return dialogShown(c) })
	if text := overlayText(c); !strings.Contains(text, "2 imported.") {
		t.Errorf("summary:\n%s", text)
	}
	c.Overlays().Top().Hide()

	mw.goTo(pl(t, "kind:note"))
	if got := rowTitles(browseRows(t, mw, l)); !slices.Equal(got, []string{"Meeting with the river commission"}) {
		t.Errorf("notes after the import: %q", got)
	}
	mw.goTo(pl(t, "kind:contact"))
	if got := rowTitles(browseRows(t, mw, l)); !slices.Equal(got, []string{"Ibrahim Sule"}) {
		t.Errorf("contacts after the import: %q", got)
	}
	// The index was brought up to date: the search finds the note.
	mw.goTo(pl(t, "search"))
	test.Type(mw.search.entry, "gauge")
	l.waitFor(t, "the note found", func() bool {
		return slices.Contains(rowTitles(visibleRows(mw.search.list)), "Meeting with the river commission")
	})
}

func TestDocumentStatusFilter(t *testing.T) {
	k := openTestKB(t, append(importedDocs(), riverItems()...)...)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)

	mw.goTo(pl(t, "kind:note"))
	browseRows(t, mw, l)
	if mw.browse.filter.content.Visible() {
		t.Errorf("the status filter shows on the notes")
	}

	mw.goTo(pl(t, "kind:document"))
	rows := browseRows(t, mw, l)
	f := mw.browse.filter
	l.waitFor(t, "the counts", func() bool { return f.counts != nil })
	if !f.content.Visible() {
		t.Fatalf("no status filter on the documents")
	}
	wantLabels := []string{"All (4)", "Imported (2)", "Without text (1)", "Refused (1)"}
	if !slices.Equal(f.sel.Options, wantLabels) || f.sel.Selected != "All (4)" {
		t.Errorf("filter shows %q, %q chosen", f.sel.Options, f.sel.Selected)
	}
	if len(rows) != 4 {
		t.Errorf("All lists %q", rowTitles(rows))
	}
	if h := mw.browse.header.Text; h != "Documents · 4 · 1 refused" {
		t.Errorf("header of all the documents: %q", h)
	}

	cases := []struct {
		choice, status string
		titles         []string
		pane           string
	}{
		{"Refused (1)", store.StatusFailed, []string{"Locked memo"}, "Refused — the file is protected by a password"},
		{"Without text (1)", store.StatusEmpty, []string{"Scanned treaty"}, "Imported without text — no text layer"},
		{"Imported (2)", store.StatusOK, []string{"Commission minutes", "Depot inspection report"}, "Imported"},
	}
	for _, tc := range cases {
		f.sel.SetSelected(tc.choice) // as tapping it does
		rows := browseRows(t, mw, l)
		got := rowTitles(rows)
		if !slices.Equal(got, tc.titles) || f.status != tc.status {
			t.Errorf("%s lists %q (status %q)", tc.choice, got, f.status)
		}
		// A row says what is wrong with a document; an imported one needs no word.
		if snippet := allText(rows[0].snippet); (tc.status != store.StatusOK) != strings.Contains(snippet, tc.pane) {
			t.Errorf("%s: row of %s says %q", tc.choice, got[0], snippet)
		}
		if h := mw.browse.header.Text; h != "Documents · "+thousands(len(tc.titles)) {
			t.Errorf("%s: header %q", tc.choice, h)
		}
		mw.browse.list.Select(0)
		l.waitFor(t, tc.titles[0], func() bool { return viewTitle(mw.browse.pane.view) == tc.titles[0] })
		if pane := allText(mw.browse.pane.content); !strings.Contains(pane, "Status\n"+tc.pane+"\n") {
			t.Errorf("%s: pane does not say %q:\n%s", tc.titles[0], tc.pane, pane)
		}
	}
	f.sel.SetSelected("All (4)")
	if got := rowTitles(browseRows(t, mw, l)); len(got) != 4 {
		t.Errorf("All again lists %q", got)
	}
}

func TestImportSummaryWords(t *testing.T) {
	ok := func(p string) store.ImportedFile {
		return store.ImportedFile{Path: p, ItemID: "x", Status: store.StatusOK}
	}
	cases := []struct {
		sum  store.ImportReport
		want string
	}{
		{store.ImportReport{Saved: 12}, "12 imported"},
		{store.ImportReport{Saved: 3, Documents: []store.ImportedFile{ok("a.pdf"),
			{Path: "b.pdf", ItemID: "b", Status: store.StatusEmpty, Reason: "no text layer"},
			{Path: "c.pdf", ItemID: "c", Status: store.StatusEmpty, Reason: "no text layer"}}},
			"1 imported, 2 without text (no text layer)"},
		{store.ImportReport{Saved: 2, Documents: []store.ImportedFile{
			{Path: "b.pdf", ItemID: "b", Status: store.StatusEmpty, Reason: "no text layer"},
			{Path: "c.pdf", ItemID: "c", Status: store.StatusEmpty, Reason: "the file is empty"}}},
			"0 imported, 2 without text"},
		{store.ImportReport{Saved: 1, Documents: []store.ImportedFile{
			{Path: "d.pdf", ItemID: "d", Status: store.StatusFailed, Reason: "encrypted"}},
			Failed: []store.ImportFailure{{Path: "e.vcf", Err: errors.New("not a vCard")}}},
			"0 imported, 2 refused"},
		{store.ImportReport{Saved: 0, Documents: []store.ImportedFile{{Path: "a.pdf", ItemID: "a", Status: store.StatusOK, Again: true}}},
			"0 imported, 1 already in the knowledge base"},
		{store.ImportReport{Saved: 1, Documents: []store.ImportedFile{{Path: "b.docx", ItemID: "b", Status: store.StatusEmpty, Reason: "no text"}}},
			"0 imported, 1 without text"},
	}
	for _, tc := range cases {
		if got := describeImport(tc.sum); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.sum, got, tc.want)
		}
	}
}

func TestImportMenuOpensFileDialogs(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	deps.Import = func(context.Context, []string, string, ImportProgress) (store.ImportReport, error) {
		return store.ImportReport{}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()

	var found []string
	for _, it := range mw.win.MainMenu().Items[0].Items {
		if strings.HasPrefix(it.Label, "Import") {
			key := ""
			if s, ok := it.Shortcut.(*desktop.CustomShortcut); ok {
				key = string(s.KeyName)
			}
			found = append(found, it.Label+" "+key)
		}
	}
	if !slices.Equal(found, []string{"Import… I", "Import Folder… ", "Import from a Path… "}) {
		t.Errorf("File menu's import items: %q", found)
	}
	for _, tc := range []struct {
		open  func()
		title string
	}{
		{mw.imports.onImportFile, "Import a file: notes, contacts, documents"},
		{mw.imports.onImportFolder, "Import a folder and everything in it"},
	} {
		tc.open()
		if !dialogShown(c) || !strings.Contains(overlayText(c), tc.title) {
			t.Errorf("no file dialog titled %q: %q", tc.title, overlayText(c))
		}
		if b := overlayButton(c, "Cancel"); b != nil {
			test.Tap(b)
		}
		if dialogShown(c) {
			t.Errorf("the file dialog %q stays after Cancel", tc.title)
		}
	}
}

func TestNoImportWithoutDeps(t *testing.T) {
	k := openTestKB(t)
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	for _, it := range mw.win.MainMenu().Items[0].Items {
		if strings.HasPrefix(it.Label, "Import") {
			t.Errorf("the File menu offers %q with no Deps.Import", it.Label)
		}
	}
}

func TestImportFromTypedPaths(t *testing.T) {
	k := openTestKB(t)
	deps := k.deps()
	got := make(chan []string, 1)
	deps.Import = func(_ context.Context, paths []string, _ string, _ ImportProgress) (store.ImportReport, error) {
		got <- paths
		return store.ImportReport{Saved: 3}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()
	a, b := t.TempDir(), t.TempDir()

	mw.imports.onImportPath()
	entry, ok := c.Focused().(*widget.Entry)
	if !ok || !strings.Contains(overlayText(c), "Import from a path") {
		t.Fatalf("no path entry with the focus: %q", overlayText(c))
	}
	test.Type(entry, a+"\n  \""+b+"\"  \n\n")
	test.Tap(overlayButton(c, "Import"))
	test.Tap(overlayButton(c, "Import")) // the marking, as offered
	if paths := <-got; !slices.Equal(paths, []string{a, b}) {
		t.Errorf("imported %q, want %q", paths, []string{a, b})
	}
	l.waitFor(t, "the summary", func() bool { return strings.Contains(overlayText(c), "3 imported.") })
	c.Overlays().Top().Hide()

	// A path that is not there is named, and nothing is imported.
	missing := filepath.Join(a, "no-such-folder")
	mw.imports.start([]string{b, missing}, "")
	l.waitFor(t, "the error", func() bool { return dialogShown(c) })
	if text := overlayText(c); !strings.Contains(text, "Import stopped") || !strings.Contains(text, "There is no file or folder "+missing+". Nothing was imported.") {
		t.Errorf("a missing path gives:\n%s", text)
	}
	select {
	case paths := <-got:
		t.Errorf("imported %q although %s is missing", paths, missing)
	default:
	}
}

func TestDocumentStatusWords(t *testing.T) {
	cases := []struct{ status, reason, want string }{
		{store.StatusOK, "", "Imported"},
		{"", "", "Imported"},
		{store.StatusEmpty, "no text layer", "Imported without text — no text layer"},
		{store.StatusEmpty, "no text", "Imported without text"},
		{store.StatusEmpty, "", "Imported without text"},
		{store.StatusFailed, "the file is encrypted", "Refused — the file is encrypted"},
		{store.StatusFailed, "", "Refused — the file could not be read"},
	}
	for _, tc := range cases {
		if got := documentStatus(&store.Document{Status: tc.status, StatusReason: tc.reason}); got != tc.want {
			t.Errorf("%q, %q: %q, want %q", tc.status, tc.reason, got, tc.want)
		}
	}
}

func TestImportProgressStartsAgainForDocuments(t *testing.T) {
	k := openTestKB(t)
	mw, l := openWindow(t, k.deps())
	p := mw.imports
	p.running, p.gen, p.what = true, 7, "cables"
	lst := importListener{p: p, gen: 7}

	lst.Saved(2, 2) // the notes of the folder are saved
	l.waitFor(t, "the notes saved", func() bool { return p.detail.Text == "2 of 2 items saved" })
	if !p.bar.Visible() || p.bar.Value != 1 || p.title.Text != "Importing cables" {
		t.Errorf("after the notes: %q, bar %v at %v", p.title.Text, p.bar.Visible(), p.bar.Value)
	}
	lst.Reading("/in/cables/report.pdf") // then its documents are read
	l.waitFor(t, "the document", func() bool { return p.title.Text == "Importing report.pdf" })
	if p.bar.Visible() || !p.spinner.Visible() || strings.Contains(p.detail.Text, "2 of 2") {
		t.Errorf("reading a document after the notes shows %q, bar %v, spinner %v", p.detail.Text, p.bar.Visible(), p.spinner.Visible())
	}
	importListener{p: p, gen: 6}.Saved(9, 9) // an earlier import's word is ignored
	lst.Read(store.ImportedFile{Path: "/in/cables/report.pdf", Status: store.StatusOK})
	l.waitFor(t, "the document read", func() bool { return p.detail.Text == "1 document read" })
}

// D6: an item changed both in the app and in its file since the last import keeps the
// app's version, and the file's becomes a revision; the summary says so, naming the items.
func TestImportSummaryNamesItemsChangedInBothPlaces(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	deps := k.deps()
	deps.Import = func(ctx context.Context, paths []string, _ string, p ImportProgress) (store.ImportReport, error) {
		return store.ImportReport{Saved: 3, Both: []string{"Spill at the Lokoja depot (t-note)"}}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	c := mw.win.Canvas()
	mw.imports.start([]string{t.TempDir()}, "")
	l.waitFor(t, "the summary", func() bool { return strings.Contains(overlayText(c), "Import finished") })
	text := overlayText(c)
	for _, want := range []string{"3 imported, 1 changed both here and in its file", "Spill at the Lokoja depot (t-note)", "History"} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, text)
		}
	}
}
