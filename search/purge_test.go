package search_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// TestPurgedTextLeavesTheIndex (L4): once the trash is emptied and the index has caught up, the
// purged item's words are in no file of the data folder: not the database, its WAL, nor any
// index file.
func TestPurgedTextLeavesTheIndex(t *testing.T) {
	ctx := context.Background()
	const word = "Quokkazanzibarword"
	var items []store.Item
	for i := range 300 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Body: "river gauge reading"})
	}
	db := storetest.Open(t, items...)
	ix := searchtest.Open(t, db)
	gone, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Gone " + word, Body: strings.Repeat("The "+word+" talks. ", 20)})
	if err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Kept", Body: "later note"}); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if !grepDir(t, db.Dir(), word) {
		t.Fatal("setup: the word is in no file before the purge")
	}
	if err := db.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	if err := searchtest.WaitForStore(ctx, ix, db); err != nil {
		t.Fatal(err)
	}
	if grepDir(t, db.Dir(), word) {
		t.Error("the purged word is still in the data folder")
	}
	res, err := ix.Search(ctx, "gauge", search.Options{})
	if err != nil || res.Total != 300 {
		t.Errorf("after the purge: %d hits, %v", res.Total, err)
	}
	if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("Check = %q, %v", p, err)
	}
}

// grepDir tells whether any file under dir holds word, naming those that do.
func grepDir(t *testing.T, dir, word string) bool {
	t.Helper()
	found := false
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed by Bleve since it was listed
		}
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(word)) || bytes.Contains(b, []byte(strings.ToLower(word))) {
			t.Logf("%s holds %q", p, word)
			found = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
