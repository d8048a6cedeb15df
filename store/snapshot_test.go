package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chancery/store"
)

// TestSnapshotWhileInUse: a snapshot taken while another goroutine keeps saving is a whole,
// sound database holding every item committed before it began, its originals, and a change
// sequence that matches what it holds; installed in a new folder, it opens as the same
// knowledge base.
func TestSnapshotWhileInUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	doc, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Convention", Document: &store.Document{FileName: "c.txt", Original: []byte("Article 1")}})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.LastSeq(ctx)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Body: "saved during the snapshot"}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	snap := filepath.Join(t.TempDir(), "snap.db")
	info, err := db.Snapshot(ctx, snap)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if info.LastSeq < before || info.Kinds[store.KindDocument] != 1 || info.Live != info.Kinds[store.KindDocument]+info.Kinds[store.KindNote] {
		t.Errorf("snapshot info %+v", info)
	}
	if info.LastSeq != int64(info.Live) { // every save took one change, and nothing was trashed
		t.Errorf("snapshot at change %d holds %d items: not one transaction's view", info.LastSeq, info.Live)
	}
	if len(info.Originals) != 1 || info.Originals[0].SHA256 != doc.Document.SHA256 || info.Schema != store.SchemaVersion() || info.Identity != db.Identity() {
		t.Errorf("snapshot info %+v", info)
	}
	if _, err := db.Snapshot(ctx, snap); err == nil {
		t.Error("a snapshot over an existing file was written")
	}
	checked, problems, err := store.CheckSnapshot(ctx, snap)
	if err != nil || len(problems) != 0 || checked.LastSeq != info.LastSeq {
		t.Fatalf("CheckSnapshot = %+v, %q, %v", checked, problems, err)
	}

	to := filepath.Join(t.TempDir(), "restored")
	if err := store.InstallSnapshot(ctx, snap, to); err != nil {
		t.Fatal(err)
	}
	if err := store.InstallSnapshot(ctx, snap, to); err == nil {
		t.Error("a snapshot was installed over a database")
	}
	rdb, err := store.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if b, err := rdb.Original(ctx, doc.ID); err != nil || string(b) != "Article 1" {
		t.Errorf("restored original = %q, %v", b, err)
	}
	if rdb.Identity() != db.Identity() {
		t.Errorf("restored identity %s, want %s", rdb.Identity(), db.Identity())
	}
}

// TestCheckSnapshotRefuses: a file that is not a database, a damaged original, and a
// schema newer than this Chancery's are each reported in words.
func TestCheckSnapshotRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := db.Save(ctx, store.Item{Kind: store.KindDocument, Title: "Treaty", Document: &store.Document{FileName: "t.txt", Original: []byte("Article 2")}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.CheckSnapshot(ctx, junk); !errors.Is(err, store.ErrDamaged) {
		t.Errorf("junk: %v, want ErrDamaged", err)
	}

	rawExec(t, dir, "UPDATE files SET data = CAST('Article 9' AS BLOB) WHERE sha256 = '"+bad.Document.SHA256+"'")
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	altered := filepath.Join(t.TempDir(), "altered.db")
	if _, err := db.Snapshot(ctx, altered); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, p, err := store.CheckSnapshot(ctx, altered); err != nil || len(p) != 1 || !strings.Contains(p[0], "Treaty") {
		t.Errorf("altered original: %q, %v", p, err)
	}

	rawExec(t, dir, fmt.Sprintf("PRAGMA user_version = %d", store.SchemaVersion()+1))
	db2, err := store.Open(ctx, dir)
	if err == nil {
		db2.Close()
		t.Fatal("opened a newer schema")
	}
	newer := filepath.Join(t.TempDir(), "newer.db")
	rawExec(t, dir, "VACUUM INTO '"+newer+"'")
	if _, _, err := store.CheckSnapshot(ctx, newer); !errors.Is(err, store.ErrNewer) || !strings.Contains(err.Error(), "newer Chancery") {
		t.Errorf("newer schema: %v, want ErrNewer", err)
	}
}

// TestOpenCorruptIsDamaged: a database file SQLite cannot read is ErrDamaged, naming the
// folder, and is left as it was.
func TestOpenCorruptIsDamaged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	junk := []byte(strings.Repeat("this is not a database ", 400))
	if err := os.WriteFile(filepath.Join(dir, store.FileName), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(ctx, dir)
	if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open = %v, want ErrDamaged naming the folder", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, store.FileName)); string(b) != string(junk) {
		t.Error("the damaged database was changed")
	}
}
