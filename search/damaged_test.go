package search_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"chancery/search"
	"chancery/search/searchtest"
)

// zapFiles lists the index's segment files, largest first.
func zapFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no segment files in %s: %v", dir, err)
	}
	size := func(p string) int64 {
		st, _ := os.Stat(p)
		return st.Size()
	}
	slices.SortFunc(files, func(a, b string) int { return int(size(b) - size(a)) })
	return files
}

// flip inverts n bytes of file from the fraction at of its length.
func flip(t *testing.T, file string, at float64, n int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	start := int(float64(len(b)) * at)
	for i := start; i < min(start+n, len(b)); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// searchSafely runs a search, turning a panic into an error.
func searchSafely(ix *search.Index, q string) (res search.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PANIC: %v", r)
		}
	}()
	return ix.Search(context.Background(), q, search.Options{Size: 20, Facets: true})
}

// TestDamagedSegmentIsRebuilt (D11): with bytes flipped inside a segment file, nothing
// panics (opening, syncing, searching, checking); a search that meets the damage fails in
// words and has the index rebuilt; Check finds the damage and rebuilds the index from the
// store (or finds the index already rebuilt); and searches then give the right answers.
func TestDamagedSegmentIsRebuilt(t *testing.T) {
	ctx := context.Background()
	queries := []string{"kessa", "river", "pollution", "okafor", "liability", "type:note", "country:NGA"}
	for _, at := range []float64{0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97} {
		t.Run(fmt.Sprintf("at %.0f pct", at*100), func(t *testing.T) {
			f := newFixture(t)
			want := map[string][]string{}
			for _, q := range queries {
				want[q] = f.titles(t, q)
				slices.Sort(want[q]) // equal scores come in any order
			}
			f.ix.Close()
			dir := filepath.Join(f.dir, "index")
			flip(t, zapFiles(t, dir)[0], at, 24)

			var ix *search.Index
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("opening a damaged index panicked: %v", r)
					}
				}()
				var err error
				if ix, err = search.Open(dir, f.db); err != nil {
					t.Fatalf("opening a damaged index failed: %v", err)
				}
			}()
			defer ix.Close()
			if err := searchtest.WaitForStore(ctx, ix, f.db); err != nil {
				t.Logf("sync: %v", err)
			}
			rebuiltBySearch := false
			for _, q := range queries {
				if _, err := searchSafely(ix, q); err != nil {
					if strings.HasPrefix(err.Error(), "PANIC") {
						t.Errorf("search %q: %v", q, err)
					} else if !strings.Contains(err.Error(), "rebuilt") {
						t.Errorf("search %q: %v: want it to say the index is rebuilt", q, err)
					} else {
						rebuiltBySearch = true
						t.Logf("search %q: %v", q, err)
					}
				}
			}
			// As chancery check does: bring the index up to date, then check it.
			if err := searchtest.WaitForStore(ctx, ix, f.db); err != nil {
				t.Logf("sync: %v", err)
			}
			var problems []string
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("Check panicked: %v", r)
					}
				}()
				var err error
				if problems, err = ix.Check(ctx); err != nil {
					t.Fatalf("Check: %v", err)
				}
			}()
			t.Logf("Check: %q", problems)
			if p, err := ix.Check(ctx); err != nil || len(p) != 0 {
				t.Errorf("second Check = %q, %v: want the index rebuilt and sound", p, err)
			}
			for _, q := range queries {
				res, err := searchSafely(ix, q)
				if err != nil {
					t.Errorf("search %q after Check: %v", q, err)
					continue
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.Title)
				}
				slices.Sort(got)
				if !slices.Equal(got, want[q]) {
					t.Errorf("search %q after Check = %q, want %q", q, got, want[q])
				}
			}
			// The damaged segment is gone: every segment file left passes its checksum.
			for _, z := range zapFiles(t, dir) {
				b, err := os.ReadFile(z)
				if err != nil {
					continue // removed since
				}
				if crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
					t.Errorf("after Check, %s still fails its checksum (Check: %q, a search noticed: %v, opened: %s)", filepath.Base(z), problems, rebuiltBySearch, ix.Opened)
				}
			}
		})
	}
}
