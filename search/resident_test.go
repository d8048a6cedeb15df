package search_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"chancery/search"
	"chancery/store"
	"chancery/store/storetest"
)

// segmentsResidentKiB is how many KiB of an index's segment files are resident in this
// process (set where it can be known: resident_linux_test.go).
var segmentsResidentKiB func(t *testing.T, indexDir string) int64

// TestReleaseResident checks that the index lets go of its segment files' mapped pages
// (once they are on disk) and that searches find the same afterwards, with the same
// snippets.
func TestReleaseResident(t *testing.T) {
	ctx := context.Background()
	var items []store.Item
	for i := range 200 {
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("River report %d", i), Countries: []string{"GHA"},
			Body: fmt.Sprintf("The oil spill reached the river at mile %d; the depot's operator was told.", i)})
	}
	db := storetest.Open(t, items...)
	ix, err := search.Open(filepath.Join(db.Dir(), "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	last, _ := db.LastSeq(ctx)
	if err := ix.WaitFor(ctx, last); err != nil {
		t.Fatal(err)
	}
	ids := func() ([]string, []string) {
		res, err := ix.Search(ctx, "spill river", search.Options{Size: 300, Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids, snippets []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
			if len(h.Snippets) > 0 {
				snippets = append(snippets, fmt.Sprint(h.Snippets[0]))
			}
		}
		return ids, snippets
	}
	before, beforeSnip := ids()
	if len(before) != 200 {
		t.Fatalf("%d hits before, want 200", len(before))
	}
	var released int64
	// The segments reach the disk (and are mapped) a moment after the index caught up.
	for deadline := time.Now().Add(10 * time.Second); released == 0 && time.Now().Before(deadline); {
		ids()
		if released = ix.ReleaseResident(); released == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if runtime.GOOS == "linux" && released == 0 {
		t.Error("nothing released on Linux")
	}
	if segmentsResidentKiB != nil { // Linux: the segments' pages are out of the process's maps
		dir := filepath.Join(db.Dir(), "index")
		ids()
		if kb := segmentsResidentKiB(t, dir); kb == 0 {
			t.Fatal("a search left none of the segment files resident: nothing to release")
		}
		// The index's own merger may still read its segments (and map a merged one) while
		// the test counts: a release that works leaves nothing within a few tries, one that
		// does nothing leaves the search's pages resident at every try.
		kb := int64(-1)
		for try := 0; try < 50 && kb != 0; try++ {
			if try > 0 {
				time.Sleep(50 * time.Millisecond)
			}
			ix.ReleaseResident()
			kb = segmentsResidentKiB(t, dir)
		}
		if kb != 0 {
			t.Errorf("%d KiB of the segment files still resident after ReleaseResident", kb)
		}
	}
	after, afterSnip := ids()
	if !slices.Equal(before, after) || !slices.Equal(beforeSnip, afterSnip) {
		t.Errorf("after releasing: %d hits, snippets equal %v", len(after), slices.Equal(beforeSnip, afterSnip))
	}
	ix.Close()
	if n := ix.ReleaseResident(); n != 0 {
		t.Errorf("a closed index released %d bytes", n)
	}
}
