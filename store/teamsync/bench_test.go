package teamsync

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/store"
)

func dirBytes(root string) int64 {
	var n int64
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if st, err := e.Info(); err == nil {
				n += st.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkJoin: a new desk joins a team whose remote (a folder) holds N items pushed by
// one desk; it reports the seconds to apply them all, the bytes on the remote (what the
// new desk reads) and the pushing desk's data folder (what copying it would move).
// -benchtime=1x; CHANCERY_JOIN_ITEMS sets N (2000 by default).
func BenchmarkJoin(b *testing.B) {
	n := 2000
	if v := os.Getenv("CHANCERY_JOIN_ITEMS"); v != "" {
		fmt.Sscan(v, &n)
	}
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		remote, _ := NewDirRemote(filepath.Join(root, "remote"))
		mk := func(name string) (*store.DB, *Identity, string) {
			dir := filepath.Join(root, name)
			id, err := LoadIdentity(dir, name)
			if err != nil {
				b.Fatal(err)
			}
			db, err := store.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db, id, dir
		}
		adb, aid, adir := mk("a")
		bdb, bid, bdir := mk("b")
		team := []TeamMember{aid.Member(), bid.Member()}
		recps := []age.Recipient{aid.Age.Recipient(), bid.Age.Recipient()}
		items := make([]store.Item, n)
		for i := range items {
			items[i] = store.Item{ID: fmt.Sprintf("n%06d", i), Kind: store.KindNote, Title: fmt.Sprintf("Statement %d", i), Class: "UNCLASSIFIED",
				Body: fmt.Sprintf("Statement %d on the river convention, water intakes, fisheries and the downstream states, paragraph after paragraph. ", i), Note: &store.Note{}}
			for range 20 {
				items[i].Body += "The delegation recalls the obligations of notification and consultation under the convention. "
			}
		}
		if _, err := adb.SaveAll(ctx, items); err != nil {
			b.Fatal(err)
		}
		sa, err := New(adb, Config{Remote: remote, Ceiling: "UNCLASSIFIED", Recipients: recps, Team: team, KeyDir: adir})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := sa.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		push := time.Since(t0)
		sb, err := New(bdb, Config{Remote: remote, Ceiling: "UNCLASSIFIED", Recipients: recps, Team: team, KeyDir: bdir})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t1 := time.Now()
		rep, err := sb.Sync(ctx)
		join := time.Since(t1)
		b.StopTimer()
		if err != nil || len(rep.Added) != n {
			b.Fatalf("joined with %d of %d items: %v", len(rep.Added), n, err)
		}
		// Save on A, find it on B.
		if _, err := adb.Save(ctx, store.Item{ID: "late", Kind: store.KindNote, Title: "Late", Class: "UNCLASSIFIED", Body: "late", Note: &store.Note{}}); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		sa.Sync(ctx)
		sb.Sync(ctx)
		if _, err := bdb.Get(ctx, "late"); err != nil {
			b.Fatal(err)
		}
		saveToThere := time.Since(t2)
		b.ReportMetric(float64(n), "items")
		b.ReportMetric(push.Seconds(), "push-s")
		b.ReportMetric(join.Seconds(), "join-s")
		b.ReportMetric(float64(dirBytes(filepath.Join(root, "remote"))), "remote-bytes")
		b.ReportMetric(float64(dirBytes(adir)), "datafolder-bytes")
		b.ReportMetric(float64(saveToThere.Milliseconds()), "save-to-other-desk-ms")
	}
}
