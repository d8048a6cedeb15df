package search

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

// TestExpansionsFollowTheIndex: the words' expansions kept per index snapshot (expand.go)
// give, at every keystroke of queries typed a letter at a time, searched twice, the results
// of a search that reads the dictionaries anew (the cache emptied first); and a change to
// the index is seen by the next search (a word the index did not know, so matched with a
// typo, is known once an item holds it).
func TestExpansionsFollowTheIndex(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t,
		store.Item{Kind: store.KindNote, Title: "Disarmament talks", Body: "Nuclear disarmament and the environment; nuclear weapons."},
		store.Item{Kind: store.KindNote, Title: "Refugees", Body: "Refugee camps, the government and the environmental programme.", Countries: []string{"JOR"}},
		store.Item{Kind: store.KindDocument, Title: "Nuclear tests", Body: "Nuclear testing, disarmed states, governments and terrorism.", Countries: []string{"FRA"}},
		store.Item{Kind: store.KindNote, Title: "Kessa river", Body: "The Kessa river commission met the government."},
	)
	ix := caughtUp(t, db)
	wait := func() {
		last, _ := db.LastSeq(ctx)
		if err := ix.WaitFor(ctx, last); err != nil {
			t.Fatal(err)
		}
	}
	answer := func(q string, fresh bool) string {
		if fresh {
			ix.facets.reset() // nothing kept: the dictionaries are read again
		}
		res, err := ix.Search(ctx, q, Options{Facets: true})
		res.Took = 0
		return fmt.Sprintf("%+v %v", res, err)
	}
	typed := 0
	for _, q := range []string{"disarmamnet", "nuclear disarm", "enviroment goverment", "refugee country:JOR", `"nuclear weapons"`, "kesa river", "nuclear terorism"} {
		r := []rune(q)
		for n := 1; n <= len(r); n++ {
			s := string(r[:n])
			want := answer(s, true)
			for round := range 2 {
				if got := answer(s, false); got != want {
					t.Errorf("%q, search %d with what is kept: %s, read anew: %s", s, round+1, got, want)
				}
			}
			typed++
		}
	}
	ix.facets.mu.Lock()
	kept := ix.facets.expand
	ix.facets.mu.Unlock()
	if kept == nil || len(kept.prefix) == 0 || len(kept.fuzzy) == 0 || len(kept.exists) == 0 {
		t.Fatalf("nothing kept after %d searches: %+v", typed, kept)
	}
	// Searches at once share what is kept (run with -race): each answers as alone.
	qs := []string{"disarmamnet", "nuclear disarm", "enviroment goverment", `"nuclear weapons"`, "terorism", "refugee"}
	alone := map[string]string{}
	for _, q := range qs {
		alone[q] = answer(q, true)
	}
	ix.facets.reset()
	errs := make(chan string, len(qs)*4)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range qs {
				q := qs[(i+g)%len(qs)]
				if got := answer(q, false); got != alone[q] {
					errs <- fmt.Sprintf("%q at once with others: %s, alone: %s", q, got, alone[q])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// "Seravi" is not in the index: a typo of nothing. Once an item holds it, the next search finds it.
	before := answer("seravi", false)
	if _, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Seravi", Body: "Seravi delta."}); err != nil {
		t.Fatal(err)
	}
	wait()
	after := answer("seravi", false)
	if after == before || after != answer("seravi", true) {
		t.Errorf("after the index changed: %s (before %s), read anew %s", after, before, answer("seravi", true))
	}
}

// TestForgetKept: ForgetKept drops the snapshot's expansions and stored fields (the next
// search reads them anew) and keeps the facet table.
func TestForgetKept(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Disarmament talks", Body: "Nuclear disarmament.", Countries: []string{"FRA"}})
	ix := caughtUp(t, db)
	search := func() {
		if res, err := ix.Search(ctx, "disarmamnet nuc", Options{Facets: true}); err != nil || len(res.Hits) != 1 {
			t.Fatalf("search: %d hits, %v", len(res.Hits), err)
		}
	}
	search()
	kept := func() (int, bool) {
		ix.facets.mu.Lock()
		defer ix.facets.mu.Unlock()
		n := 0
		if ex := ix.facets.expand; ex != nil {
			n = len(ex.prefix) + len(ex.exists) + len(ex.fuzzy) + len(ex.stored)
		}
		return n, ix.facets.table != nil
	}
	if n, table := kept(); n == 0 || !table {
		t.Fatalf("after a search: %d things kept, facet table %v", n, table)
	}
	ix.ForgetKept()
	if n, table := kept(); n != 0 || !table {
		t.Errorf("after ForgetKept: %d things kept (want none), facet table %v (want kept)", n, table)
	}
	search()
	if n, _ := kept(); n == 0 {
		t.Error("the search after ForgetKept kept nothing")
	}
}
