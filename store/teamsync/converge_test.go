package teamsync

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"chancery/store"
)

// versionsOf is every version of an item a desk keeps: its current one and its revisions.
func versionsOf(t *testing.T, db *store.DB, id string) []store.Item {
	t.Helper()
	cur, err := db.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := db.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	out := []store.Item{cur}
	for _, r := range revs {
		out = append(out, r.Item)
	}
	return out
}

func bodies(t *testing.T, db *store.DB, id string) string {
	var all []string
	for _, v := range versionsOf(t, db, id) {
		all = append(all, v.Body)
	}
	return strings.Join(all, "\n")
}

// editedOnTwoDesks gives two desks of a team on a memory remote that have each changed
// the same note ("n1": "typed on A", "typed on B") from the same version, offline, and
// then synced until they agree.
func editedOnTwoDesks(t *testing.T) []*desk {
	t.Helper()
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "Shared note", "first text", "UNCLASSIFIED"))
	syncAll(t, desks, 1)
	ia, _ := a.db.Get(ctx, "n1")
	ia.Body = "typed on A"
	a.save(t, ia)
	ib, _ := b.db.Get(ctx, "n1")
	ib.Body = "typed on B"
	b.save(t, ib)
	syncAll(t, desks, 2)
	converged(t, desks)
	return desks
}

// TestConflictingEdits: two desks change the same item offline; after syncing, both hold
// the same winner, both versions are kept, the conflict is open on each; resolving it on
// one desk closes it on the other.
func TestConflictingEdits(t *testing.T) {
	desks := editedOnTwoDesks(t)
	a := desks[0]
	for _, d := range desks {
		all := bodies(t, d.db, "n1")
		if !strings.Contains(all, "typed on A") || !strings.Contains(all, "typed on B") {
			t.Fatalf("%s lost a version:\n%s", d.name, all)
		}
		st, err := d.s.Status(ctx)
		if err != nil || st.Conflicts != 1 {
			t.Fatalf("%s: want one open conflict, status %+v %v", d.name, st, err)
		}
	}
	cs, err := a.db.Conflicts(ctx, true)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts on A: %v %v", cs, err)
	}
	keep := cs[0].Other
	if _, err := a.db.ResolveConflict(ctx, cs[0].ID, keep); err != nil {
		t.Fatal(err)
	}
	syncAll(t, desks, 2)
	converged(t, desks)
	for _, d := range desks {
		if n, _ := d.db.OpenConflicts(ctx); n != 0 {
			t.Fatalf("%s: %d conflicts open after the resolution travelled", d.name, n)
		}
		if it, _ := d.db.Get(ctx, "n1"); it.Body != keep.Body {
			t.Fatalf("%s: the resolution did not travel: %q", d.name, it.Body)
		}
	}
}

// TestDeleteAndRestore: a deletion lands in the other desk's trash, a restore brings the
// item back there.
func TestDeleteAndRestore(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 3, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "Come and go", "x", "UNCLASSIFIED"))
	syncAll(t, desks, 1)
	if err := b.db.Delete(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, desks, 2)
	converged(t, desks)
	if it, _ := a.db.Get(ctx, "n1"); it.Deleted == nil {
		t.Fatal("the deletion did not reach A")
	}
	if err := a.db.Restore(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	syncAll(t, desks, 2)
	converged(t, desks)
	if it, _ := b.db.Get(ctx, "n1"); it.Deleted != nil {
		t.Fatal("the restore did not reach B")
	}
}

// TestRandomOfflineEdits: three desks make random offline saves, edits of the same items,
// deletions and restores, and sync in random order, some rounds cut part-way; at the end
// every desk holds the same items, every text typed is kept on every desk, and every
// desk's knowledge base checks out.
func TestRandomOfflineEdits(t *testing.T) {
	// Seed 8 (80 steps) once ended with desks holding different current versions: the
	// winner was decided by hash alone, pairwise, so in the order versions came.
	for _, seed := range []uint64{0, 1, 2, 8, 9, 10, 11, 12} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			randomOfflineEdits(t, NewMemRemote("mem"), seed, 80, nil)
		})
	}
}

// randomOfflineEdits runs three desks on remote through steps random offline edits,
// deletes, restores, conflicting edits and sync rounds, some of them cut part-way, then
// syncs them all and checks they converged, that every body typed is on every desk and
// that each passes Check. A cut round goes through cut(t, rng) when it is given (a
// connection cut mid-request, on a real server), else through a remote that fails
// after a few creates.
func randomOfflineEdits(t *testing.T, remote Remote, seed uint64, steps int, cut func(t *testing.T, rng *rand.Rand) Remote) {
	t.Helper()
	mem := remote
	desks, _ := teamOf(t, mem, 3, "RESTRICTED")
	rng := rand.New(rand.NewPCG(seed, 99))
	typed := map[string][]string{} // item → every body typed
	var ids []string
	reported := 0
	for i := range 6 { // items every desk holds, for conflicting edits
		id := fmt.Sprintf("s%d", i)
		body := "seeded " + id
		desks[0].save(t, note(id, "Seed "+id, body, "UNCLASSIFIED"))
		ids = append(ids, id)
		typed[id] = append(typed[id], body)
	}
	syncAll(t, desks, 1)
	for step := range steps {
		d := desks[rng.IntN(len(desks))]
		switch op := rng.IntN(10); {
		case op < 3 || len(ids) == 0:
			id := fmt.Sprintf("n%d", len(ids))
			body := fmt.Sprintf("%s wrote %s at step %d", d.name, id, step)
			d.save(t, note(id, "Note "+id, body, "UNCLASSIFIED"))
			ids = append(ids, id)
			typed[id] = append(typed[id], body)
		case op < 7:
			id := ids[rng.IntN(len(ids))]
			it, err := d.db.Get(ctx, id)
			if err != nil || it.Deleted != nil {
				continue
			}
			it.Body = fmt.Sprintf("%s edited %s at step %d", d.name, id, step)
			d.save(t, it)
			typed[id] = append(typed[id], it.Body)
		case op < 8:
			id := ids[rng.IntN(len(ids))]
			if it, err := d.db.Get(ctx, id); err == nil && it.Deleted == nil {
				if err := d.db.Delete(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		case op < 9:
			id := ids[rng.IntN(len(ids))]
			if it, err := d.db.Get(ctx, id); err == nil && it.Deleted != nil {
				if err := d.db.Restore(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
		default:
			if rng.IntN(3) == 0 { // a round cut part-way
				var via Remote
				if cut != nil && rng.IntN(2) == 0 {
					via = cut(t, rng)
				} else {
					f := &failAfter{Remote: mem}
					f.n.Store(int64(rng.IntN(3)))
					via = f
				}
				s := newSyncer(t, d.db, via, "RESTRICTED", d.dir, slices.Collect(mapsValues(d.s.team)), d.s.cfg.Recipients)
				s.Sync(ctx)
			} else {
				rep := d.sync(t)
				reported += len(rep.Conflicts)
			}
		}
	}
	for range 3 {
		for _, d := range desks {
			rep := d.sync(t)
			reported += len(rep.Conflicts)
		}
	}
	converged(t, desks)
	for _, d := range desks {
		for id, all := range typed {
			got := bodies(t, d.db, id)
			for _, b := range all {
				if !strings.Contains(got, b) {
					t.Fatalf("%s lost %q of %s; it holds:\n%s", d.name, b, id, got)
				}
			}
		}
		if problems, err := d.db.Check(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("%s: check: %v %v", d.name, problems, err)
		}
	}
	// Which items show an open conflict may differ between desks: an item edited on
	// one desk and deleted on another is a conflict only on the desk that deleted
	// it (seen with seed 1: s5), and how many pairs of versions each desk met
	// depends on the order they arrived in. Logged, not asserted; every version is
	// on every desk (checked above).
	conflicted := func(d *desk) string {
		cs, err := d.db.Conflicts(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		var items []string
		for _, c := range cs {
			if !slices.Contains(items, c.ItemID) {
				items = append(items, c.ItemID)
			}
		}
		slices.Sort(items)
		return fmt.Sprint(items)
	}
	cs, _ := desks[0].db.OpenConflicts(ctx)
	for _, d := range desks[1:] {
		if conflicted(d) != conflicted(desks[0]) {
			t.Logf("%s shows conflicts on %s, %s on %s", d.name, conflicted(d), desks[0].name, conflicted(desks[0]))
		}
	}
	t.Logf("%d items, %d conflicts reported while syncing, %d open on %s", len(ids), reported, cs, desks[0].name)
	if reported == 0 {
		t.Fatal("the run made no conflicting edits: it tests too little")
	}
}

func mapsValues(m map[string]TeamMember) func(func(TeamMember) bool) {
	return func(yield func(TeamMember) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// TestConcurrentRounds: rounds started at once (a timer and a click), and a second Syncer
// of the same knowledge base, leave one chain and the same items.
func TestConcurrentRounds(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a := desks[0]
	other := newSyncer(t, a.db, remote, "RESTRICTED", a.dir, slices.Collect(mapsValues(a.s.team)), a.s.cfg.Recipients)
	done := make(chan error, 12)
	for i := range 4 {
		a.save(t, note(fmt.Sprint("c", i), "Concurrent", fmt.Sprint("text ", i), "UNCLASSIFIED"))
		for _, s := range []*Syncer{a.s, a.s, other} {
			go func() {
				_, err := s.Sync(ctx)
				done <- err
			}()
		}
		go a.s.Status(ctx)
	}
	for range 12 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	syncAll(t, desks, 2)
	if live := converged(t, desks); len(live) != 4 {
		t.Fatalf("want 4 items, got %v", live)
	}
}

// TestPurgedBeforeSync: an item deleted and purged on one desk before it synced still
// reaches the other desks' trash (as a tombstone naming the version they hold).
func TestPurgedBeforeSync(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "Purged soon", "x", "UNCLASSIFIED"))
	syncAll(t, desks, 1)
	if err := a.db.Delete(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	rep := a.sync(t)
	if rep.Tombstones != 1 {
		t.Fatalf("want one tombstone sent, got %+v", rep)
	}
	b.sync(t)
	if it, err := b.db.Get(ctx, "n1"); err != nil || it.Deleted == nil {
		t.Fatalf("n1 on desk B: %+v %v", it.Deleted, err)
	}
}
