package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// copiesOf lists the files under the roots holding content.
func copiesOf(t *testing.T, content string, roots ...string) []string {
	t.Helper()
	var out []string
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "chancery.db") {
				return nil
			}
			if b, err := os.ReadFile(path); err == nil && string(b) == content {
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}

// "Open original" copies live in the knowledge base's folder, 0600 in a 0700 folder, and
// do not outlive the app: they go when the window closes, at the next start (after a
// crash), and when their item is purged from the trash. None goes to the user's cache.
func TestOpenedOriginalsDoNotOutliveTheApp(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir())
	docs := []store.Item{
		{ID: "o-pdf", Kind: store.KindDocument, Title: "Secret notification", Class: "SECRET",
			Document: &store.Document{FileName: "notification.txt", MIME: "text/plain", Status: store.StatusOK, Original: []byte("first original")}},
		{ID: "o-memo", Kind: store.KindDocument, Title: "Memo", Class: "RESTRICTED",
			Document: &store.Document{FileName: "memo.txt", MIME: "text/plain", Status: store.StatusOK, Original: []byte("second original")}},
	}
	k := openTestKB(t, append(riverItems(), docs...)...)
	dir := k.db.Dir()
	mw, l := openWindow(t, k.deps())
	waitReady(t, mw, l)
	p := mw.search.pane
	openOriginal := func(mw *mainWindow, l *uiLoop, id, content string) string {
		t.Helper()
		p := mw.search.pane
		p.open(id)
		l.waitFor(t, "the document "+id, func() bool { return p.has && p.item.ID == id })
		test.Tap(p.originalBtn)
		var copies []string
		l.waitFor(t, "the copy of "+id, func() bool {
			copies = copiesOf(t, content, dir, cache)
			return len(copies) > 0
		})
		return copies[0]
	}

	path := openOriginal(mw, l, "o-pdf", "first original")
	if !strings.HasPrefix(path, dir+string(filepath.Separator)) {
		t.Fatalf("the copy is written outside the knowledge base's folder: %s", path)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("the copy is %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Dir(path)); st.Mode().Perm() != 0o700 {
		t.Errorf("its folder is %v, want 0700", st.Mode().Perm())
	}

	// The next start (after a crash: this window never closed) removes it.
	mw2, l2 := openWindow(t, k.deps())
	waitReady(t, mw2, l2)
	l2.waitFor(t, "the stale copy removed at start", func() bool { return len(copiesOf(t, "first original", dir, cache)) == 0 })

	// Purging the item (emptying the trash) removes its copy.
	openOriginal(mw, l, "o-pdf", "first original")
	p.onTrash()
	l.waitFor(t, "the document in the trash", func() bool { return getItem(t, k, "o-pdf").Deleted != nil })
	mw.goTo(pl(t, "trash"))
	browseRows(t, mw, l)
	test.Tap(mw.browse.emptyBtn)
	test.Tap(overlayButton(mw.win.Canvas(), "Yes"))
	l.waitFor(t, "the copy of the purged item removed", func() bool { return len(copiesOf(t, "first original", dir, cache)) == 0 })

	// Closing the window removes the copies.
	mw.goTo(pl(t, "search"))
	openOriginal(mw, l, "o-memo", "second original")
	mw.onCloseRequested()
	l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })
	l.waitFor(t, "no copies left after closing", func() bool { return len(copiesOf(t, "second original", dir, cache)) == 0 })
}
