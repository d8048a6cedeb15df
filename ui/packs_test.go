package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"chancery/search"
	"chancery/store"
	"chancery/store/pack"
)

// packDepsFor wires File > Export Pack… and Import Pack… to a real knowledge base as
// cmd/chancery does (passphrases only).
func packDepsFor(k *kb, deps Deps) Deps {
	deps.ExportPack = func(ctx context.Context, q, ceiling string, to []string, pass string, w io.Writer) (PackInfo, error) {
		res, err := k.ix.Search(ctx, q, search.Options{Size: 1000})
		if err != nil {
			return PackInfo{}, err
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		p, err := pack.Collect(ctx, k.db, ids, pack.Options{Ceiling: ceiling})
		if err != nil {
			return PackInfo{}, err
		}
		r, _ := age.NewScryptRecipient(pass)
		r.SetWorkFactor(10)
		return PackInfo{Items: p.Items(), Ceiling: ceiling, Withheld: p.Withheld}, p.Write(w, r)
	}
	deps.ImportPack = func(ctx context.Context, r io.Reader, name, pass, _ string) ([]string, error) {
		id, _ := age.NewScryptIdentity(pass)
		p, err := pack.Read(r, name, id)
		if err != nil {
			return nil, err
		}
		res, err := k.db.ApplyPack(ctx, p.Incoming(), p.Originals, p.ApplyOptions(store.ApplyOptions{}))
		if err != nil {
			return nil, err
		}
		return append(res.Added, "added"), nil
	}
	return deps
}

// TestExportImportPack exports what a search finds from one window and imports it in
// another knowledge base's window, through the dialogs; a wrong passphrase is said in
// words and imports nothing.
func TestExportImportPack(t *testing.T) {
	src := openTestKB(t, riverItems()...)
	mw, l := openWindow(t, packDepsFor(src, src.deps()))
	waitReady(t, mw, l)
	mw.packs.onExportPack()
	l.waitFor(t, "the advice to search first", func() bool { return strings.Contains(mw.packs.said, "Search first") })

	mw.search.entry.SetText("oil")
	l.waitFor(t, "the search", func() bool { return mw.search.query == "oil" && len(mw.search.hits) > 0 })
	file := filepath.Join(t.TempDir(), "oil.pack")
	mw.packs.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
		if !strings.HasSuffix(name, ".pack") {
			t.Errorf("file name offered: %q", name)
		}
		done(storage.Writer(storage.NewFileURI(file)))
	}
	mw.packs.onExportPack()
	l.drain()
	mw.packs.pass.SetText("two rivers")
	if got := mw.packs.release.Options; len(got) != 4 || mw.packs.release.Selected != releaseLabel+"UNCLASSIFIED" {
		t.Fatalf("ceilings offered %v, chosen %q", got, mw.packs.release.Selected)
	}
	mw.packs.release.SetSelected(releaseLabel + "SECRET")
	test.Tap(overlayButton(mw.win.Canvas(), "Export…"))
	l.waitFor(t, "the export", func() bool { return strings.HasPrefix(mw.packs.said, "Written to oil.pack") })
	if !strings.Contains(mw.packs.said, "up to SECRET") {
		t.Fatalf("export said: %s", mw.packs.said)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("pack file: %v %v", st, err)
	}

	dst := openTestKB(t)
	mw2, l2 := openWindow(t, packDepsFor(dst, dst.deps()))
	waitReady(t, mw2, l2)
	open := func() {
		mw2.packs.openFile = func(done func(fyne.URIReadCloser, error)) {
			done(storage.Reader(storage.NewFileURI(file)))
		}
		mw2.packs.onImportPack()
		l2.waitFor(t, "the passphrase dialog", func() bool { return mw2.packs.inPass != nil && overlayButton(mw2.win.Canvas(), "Import") != nil })
	}
	open()
	mw2.packs.inPass.SetText("wrong")
	test.Tap(overlayButton(mw2.win.Canvas(), "Import"))
	l2.waitFor(t, "the refusal", func() bool { return strings.Contains(mw2.packs.said, "passphrase is wrong") })
	if n, _ := dst.db.Count(context.Background(), store.ListOptions{}); n != 0 {
		t.Fatalf("a refused pack imported %d items", n)
	}
	mw2.packs.inPass = nil
	l2.drain()
	open()
	mw2.packs.inPass.SetText("two rivers")
	test.Tap(overlayButton(mw2.win.Canvas(), "Import"))
	l2.waitFor(t, "the import", func() bool { return strings.HasSuffix(mw2.packs.said, "added") })
	if n, _ := dst.db.Count(context.Background(), store.ListOptions{}); n == 0 {
		t.Fatal("nothing imported")
	}
}
