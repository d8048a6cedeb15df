package teamsync

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/search"
	"chancery/store"
	"chancery/store/importer"
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

// countingRemote counts the objects and bytes a desk reads from the remote.
type countingRemote struct {
	Remote
	gets, bytes int64
}

func (c *countingRemote) Get(ctx context.Context, name string) ([]byte, error) {
	b, err := c.Remote.Get(ctx, name)
	c.gets++
	c.bytes += int64(len(b))
	return b, err
}

// copyTree copies a folder recursively, as a user copying a data folder would.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if e.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// joinItems are the items desk A holds: the UN General Debate corpus when
// CHANCERY_JOIN_CORPUS names its file (store/importer.EachCorpusItem; CHANCERY_JOIN_ITEMS
// then limits it), else CHANCERY_JOIN_ITEMS synthetic notes (2000 by default).
func joinItems(b *testing.B) []store.Item {
	n := 0
	if v := os.Getenv("CHANCERY_JOIN_ITEMS"); v != "" {
		fmt.Sscan(v, &n)
	}
	if path := os.Getenv("CHANCERY_JOIN_CORPUS"); path != "" {
		var items []store.Item
		fails, err := importer.EachCorpusItem(ctx, path, importer.CorpusOptions{Limit: n}, func(where string, it store.Item) error {
			items = append(items, it)
			return nil
		})
		if err != nil || len(fails) > 0 {
			b.Fatalf("read %s: %v %v", path, err, fails)
		}
		return items
	}
	if n == 0 {
		n = 2000
	}
	items := make([]store.Item, n)
	for i := range items {
		items[i] = store.Item{ID: fmt.Sprintf("n%06d", i), Kind: store.KindNote, Title: fmt.Sprintf("Statement %d", i), Class: "UNCLASSIFIED",
			Body: fmt.Sprintf("Statement %d on the river convention, water intakes, fisheries and the downstream states, paragraph after paragraph. ", i), Note: &store.Note{}}
		for range 20 {
			items[i].Body += "The delegation recalls the obligations of notification and consultation under the convention. "
		}
	}
	return items
}

// searchable waits until ix has caught up with db and a search for q finds something.
func searchable(b *testing.B, db *store.DB, ix *search.Index, q string) {
	seq, err := db.LastSeq(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.WaitFor(ctx, seq); err != nil {
		b.Fatal(err)
	}
	res, err := ix.Search(ctx, q, search.Options{Size: 1})
	if err != nil || res.Total == 0 {
		b.Fatalf("search %q after catching up with %d: %d hits, %v", q, seq, res.Total, err)
	}
}

// BenchmarkJoin: a new desk (B) joins a team whose remote (a folder) holds the items one
// desk (A) pushed. It reports the seconds until B's knowledge base is usable and
// searchable (sync applied, B's index caught up with it, a search finds an item) and the
// objects and bytes B read from the remote, beside a plain recursive copy of A's data
// folder (its index included): bytes and seconds. Then, several times, the seconds from a
// save on A to the item found by a search on B (A's push round, B's round, B's index
// catching up): median and max. Run with -benchtime=1x; the items are joinItems'
// (CHANCERY_JOIN_CORPUS, CHANCERY_JOIN_ITEMS); CHANCERY_JOIN_SAVES sets how many saves
// (5 by default). Figures are printed with b.Log as well as reported as metrics.
func BenchmarkJoin(b *testing.B) {
	saves := 5
	if v := os.Getenv("CHANCERY_JOIN_SAVES"); v != "" {
		fmt.Sscan(v, &saves)
	}
	items := joinItems(b)
	n := len(items)
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		dirRemote, _ := NewDirRemote(filepath.Join(root, "remote"))
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
		t0 := time.Now()
		for i := 0; i < len(items); i += 1000 {
			if _, err := adb.SaveAll(ctx, items[i:min(i+1000, len(items))]); err != nil {
				b.Fatal(err)
			}
		}
		saveA := time.Since(t0)
		t0 = time.Now()
		aix, err := search.Open(filepath.Join(adir, "index"), adb)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { aix.Close() })
		last, _ := adb.Get(ctx, items[n-1].ID)
		q := fmt.Sprintf("%q", last.Title)
		if items[n-1].ID == "" {
			q = "the"
		}
		searchable(b, adb, aix, q)
		indexA := time.Since(t0)
		sa, err := New(adb, Config{Remote: dirRemote, Ceiling: "UNCLASSIFIED", Recipients: recps, Team: team, KeyDir: adir})
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		if _, err := sa.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		push := time.Since(t0)
		// The other way: copy A's data folder (store, originals, index) as it is.
		t0 = time.Now()
		if err := copyTree(adir, filepath.Join(root, "copy")); err != nil {
			b.Fatal(err)
		}
		copyTime := time.Since(t0)
		copyBytes := dirBytes(filepath.Join(root, "copy"))
		counted := &countingRemote{Remote: dirRemote}
		sb, err := New(bdb, Config{Remote: counted, Ceiling: "UNCLASSIFIED", Recipients: recps, Team: team, KeyDir: bdir})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t1 := time.Now()
		rep, err := sb.Sync(ctx)
		applied := time.Since(t1)
		if err != nil || len(rep.Added) != n {
			b.Fatalf("joined with %d of %d items: %v", len(rep.Added), n, err)
		}
		bix, err := search.Open(filepath.Join(bdir, "index"), bdb)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { bix.Close() })
		searchable(b, bdb, bix, q)
		join := time.Since(t1)
		b.StopTimer()
		// Save on A, find it with a search on B.
		var found []time.Duration
		for i := range saves {
			word := fmt.Sprintf("zqxlate%d", i)
			if _, err := adb.Save(ctx, store.Item{Kind: store.KindNote, Title: "Late call " + word, Class: "UNCLASSIFIED", Body: "Logged on desk A: " + word, Note: &store.Note{}}); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			if _, err := sa.Sync(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := sb.Sync(ctx); err != nil {
				b.Fatal(err)
			}
			searchable(b, bdb, bix, word)
			found = append(found, time.Since(t2))
		}
		slices.Sort(found)
		b.ReportMetric(float64(n), "items")
		b.ReportMetric(push.Seconds(), "push-s")
		b.ReportMetric(applied.Seconds(), "join-applied-s")
		b.ReportMetric(join.Seconds(), "join-searchable-s")
		b.ReportMetric(float64(counted.bytes), "remote-read-bytes")
		b.ReportMetric(float64(copyBytes), "copy-bytes")
		b.ReportMetric(copyTime.Seconds(), "copy-s")
		if len(found) > 0 {
			b.ReportMetric(float64(found[len(found)/2].Milliseconds()), "save-to-found-median-ms")
			b.ReportMetric(float64(found[len(found)-1].Milliseconds()), "save-to-found-max-ms")
		}
		b.Logf("%d items on desk A (saved in %s, indexed in %s), pushed in %s; remote folder %d bytes", n, saveA.Round(time.Millisecond), indexA.Round(time.Millisecond), push.Round(time.Millisecond), dirBytes(filepath.Join(root, "remote")))
		b.Logf("new desk B: applied in %s, searchable in %s, read %d objects, %d bytes from the remote", applied.Round(time.Millisecond), join.Round(time.Millisecond), counted.gets, counted.bytes)
		b.Logf("copying A's data folder (index included): %d bytes in %s", copyBytes, copyTime.Round(time.Millisecond))
		b.Logf("save on A to found by a search on B, %d times: %v", len(found), found)
	}
}
