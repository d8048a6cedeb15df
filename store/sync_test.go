package store_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/pack"
)

// Team sync on the store's side: desks (real SQLite files) exchange the versions
// pack.Collect gathers, through the pack format (WritePlain/ReadPlain) and ApplyPack in
// Sync mode; no remote is needed.

type desk struct {
	name string
	db   *store.DB
}

func openDesk(t *testing.T, name string) desk {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return desk{name: name, db: db}
}

// allIDs lists every item of a desk, the trash included.
func allIDs(t *testing.T, db *store.DB) []string {
	t.Helper()
	var ids []string
	if err := db.EachChange(context.Background(), 0, 0, func(c store.Change) error {
		if c.Item != nil {
			ids = append(ids, c.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// bundle packs every item of a desk with its history (the trash as tombstones), written
// and read back as a pack.
func bundle(t *testing.T, from desk) *pack.Pack {
	t.Helper()
	ctx := context.Background()
	classes, err := from.db.Classes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pack.Collect(ctx, from.db, allIDs(t, from.db), pack.Options{Ceiling: classes[len(classes)-1], Trash: true, Selection: "sync"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.WritePlain(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := pack.ReadPlain(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// send applies everything desk from has to desk to.
func send(t *testing.T, from, to desk) store.PackResult {
	t.Helper()
	return applyBundle(t, bundle(t, from), from.name, to)
}

func applyBundle(t *testing.T, p *pack.Pack, fromName string, to desk) store.PackResult {
	t.Helper()
	res, err := to.db.ApplyPack(context.Background(), p.Incoming(), p.Originals, p.ApplyOptions(store.ApplyOptions{Sync: true, Desk: fromName}))
	if err != nil {
		t.Fatalf("%s → %s: %v", fromName, to.name, err)
	}
	return res
}

func get(t *testing.T, d desk, id string) store.Item {
	t.Helper()
	it, err := d.db.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("%s: %v", d.name, err)
	}
	return it
}

func put(t *testing.T, d desk, it store.Item) store.Item {
	t.Helper()
	it.Rev = 0
	saved, err := d.db.Save(context.Background(), it)
	if err != nil {
		t.Fatalf("%s: %v", d.name, err)
	}
	return saved
}

// versions returns the hashes of every version a desk keeps of an item (current first).
func versions(t *testing.T, d desk, id string) []string {
	t.Helper()
	out := []string{get(t, d, id).ContentHash()}
	revs, err := d.db.Revisions(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range revs {
		out = append(out, r.Item.ContentHash())
	}
	return out
}

func openConflicts(t *testing.T, d desk) []store.Conflict {
	t.Helper()
	cs, err := d.db.Conflicts(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	n, err := d.db.OpenConflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != len(cs) {
		t.Fatalf("%s: OpenConflicts says %d, Conflicts lists %d", d.name, n, len(cs))
	}
	return cs
}

// nothingChanged fails unless res says the apply wrote nothing.
func nothingChanged(t *testing.T, what string, res store.PackResult) {
	t.Helper()
	if res.Seq != 0 || len(res.Added)+len(res.Updated)+len(res.Conflicts)+len(res.Merged)+len(res.Trashed)+len(res.Restored) != 0 {
		t.Fatalf("%s changed something: %+v", what, res)
	}
}

func TestSyncConflictSameWinnerInBothOrders(t *testing.T) {
	ctx := context.Background()
	a, b := openDesk(t, "A"), openDesk(t, "B")
	n := put(t, a, store.Item{Kind: store.KindNote, Title: "Ossera briefing", Body: "first"})
	send(t, a, b)
	if got := get(t, b, n.ID).ContentHash(); got != n.ContentHash() {
		t.Fatalf("B has %s, want %s", got, n.ContentHash())
	}
	na := get(t, a, n.ID)
	na.Body = "typed on A"
	na = put(t, a, na)
	nb := get(t, b, n.ID)
	nb.Body = "typed on B"
	nb = put(t, b, nb)
	winner, loser := store.ConflictWinner(na, nb)
	if w2, _ := store.ConflictWinner(nb, na); w2.ContentHash() != winner.ContentHash() {
		t.Fatal("ConflictWinner depends on the order of its arguments")
	}

	pa, pb := bundle(t, a), bundle(t, b)
	ra := applyBundle(t, pb, "B", a)
	rb := applyBundle(t, pa, "A", b)
	if len(ra.Conflicts) != 1 || len(rb.Conflicts) != 1 {
		t.Fatalf("conflicts: A %v, B %v", ra.Conflicts, rb.Conflicts)
	}
	for _, d := range []desk{a, b} {
		cur := get(t, d, n.ID)
		if cur.ContentHash() != winner.ContentHash() || cur.Body != winner.Body {
			t.Fatalf("%s: current is %q, want the winner %q", d.name, cur.Body, winner.Body)
		}
		if !slices.Contains(versions(t, d, n.ID), loser.ContentHash()) {
			t.Fatalf("%s: the loser %q is not kept", d.name, loser.Body)
		}
		cs := openConflicts(t, d)
		if len(cs) != 1 {
			t.Fatalf("%s: %d open conflicts, want 1", d.name, len(cs))
		}
		c := cs[0]
		if c.ItemID != n.ID || c.CurrentHash != winner.ContentHash() || c.OtherHash != loser.ContentHash() || c.Other.Body != loser.Body ||
			!slices.Equal(c.Fields, []string{"Body"}) || c.Title != n.Title || c.Kind != store.KindNote || c.Current.Body != winner.Body {
			t.Fatalf("%s: conflict %+v", d.name, c)
		}
		wantDesk := map[string]string{"A": "B", "B": "A"}[d.name]
		if loser.Body == "typed on "+d.name {
			wantDesk = ""
		}
		if c.OtherDesk != wantDesk {
			t.Fatalf("%s: the other version came from %q, want %q", d.name, c.OtherDesk, wantDesk)
		}
	}
	// The same versions again, both ways: nothing changes, no second conflict.
	nothingChanged(t, "B's versions again on A", applyBundle(t, pb, "B", a))
	nothingChanged(t, "A's versions again on B", applyBundle(t, pa, "A", b))
	nothingChanged(t, "B's new state on A", send(t, b, a))
	nothingChanged(t, "A's new state on B", send(t, a, b))
	for _, d := range []desk{a, b} {
		if cs := openConflicts(t, d); len(cs) != 1 {
			t.Fatalf("%s: %d open conflicts after re-applying, want 1", d.name, len(cs))
		}
	}
	// The sync apply is in the audit trail, with the desk.
	log, err := a.db.AuditLog(ctx, store.AuditFilter{Action: store.AuditSyncApply})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Subject != "B" || !strings.Contains(log[0].Detail, "1 conflicts kept") {
		t.Fatalf("audit of the sync on A: %+v", log)
	}
	if rep, err := a.db.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

func TestSyncContactFieldsMerge(t *testing.T) {
	a, b := openDesk(t, "A"), openDesk(t, "B")
	c := put(t, a, store.Item{Kind: store.KindContact, Title: "Ama Mensah", Contact: &store.Contact{
		GivenName: "Ama", FamilyName: "Mensah", JobTitle: "Director", Role: "focal point",
		Phones: []store.Labeled{{Label: "work", Value: "+233 30 000 0001"}}}})
	send(t, a, b)
	ca := get(t, a, c.ID)
	ca.Contact.Phones = append(ca.Contact.Phones, store.Labeled{Label: "mobile", Value: "+233 24 000 0002"})
	put(t, a, ca)
	cb := get(t, b, c.ID)
	cb.Contact.JobTitle = "Deputy Minister"
	cb.Tags = []string{"ghana"}
	put(t, b, cb)

	pa, pb := bundle(t, a), bundle(t, b)
	ra, rb := applyBundle(t, pb, "B", a), applyBundle(t, pa, "A", b)
	if len(ra.Merged) != 1 || len(rb.Merged) != 1 || len(ra.Conflicts)+len(rb.Conflicts) != 0 {
		t.Fatalf("merge: A %+v, B %+v", ra, rb)
	}
	ma, mb := get(t, a, c.ID), get(t, b, c.ID)
	if ma.ContentHash() != mb.ContentHash() {
		t.Fatalf("the desks merged differently:\nA %+v\nB %+v", ma.Contact, mb.Contact)
	}
	if len(ma.Contact.Phones) != 2 || ma.Contact.JobTitle != "Deputy Minister" || !slices.Equal(ma.Tags, []string{"ghana"}) {
		t.Fatalf("merged contact lost a change: %+v tags %v", ma.Contact, ma.Tags)
	}
	if n := len(openConflicts(t, a)) + len(openConflicts(t, b)); n != 0 {
		t.Fatalf("%d conflicts after a clean merge", n)
	}
	nothingChanged(t, "the merge sent back to B", send(t, a, b))
	nothingChanged(t, "the merge sent back to A", send(t, b, a))

	// Both change the role differently, and A also the job title: one field clashes.
	ca = get(t, a, c.ID)
	ca.Contact.Role = "liaison (A)"
	ca.Contact.JobTitle = "Minister"
	put(t, a, ca)
	cb = get(t, b, c.ID)
	cb.Contact.Role = "liaison (B)"
	put(t, b, cb)
	send(t, b, a)
	send(t, a, b)
	ma, mb = get(t, a, c.ID), get(t, b, c.ID)
	if ma.ContentHash() != mb.ContentHash() {
		t.Fatalf("the desks merged differently:\nA %+v\nB %+v", ma.Contact, mb.Contact)
	}
	if ma.Contact.JobTitle != "Minister" {
		t.Fatalf("A's job title was not merged: %+v", ma.Contact)
	}
	for _, d := range []desk{a, b} {
		cs := openConflicts(t, d)
		if len(cs) != 1 || !slices.Equal(cs[0].Fields, []string{"Contact.Role"}) {
			t.Fatalf("%s: conflicts %+v", d.name, cs)
		}
		if kept, other := cs[0].Current.Contact.Role, cs[0].Other.Contact.Role; kept == other || !strings.HasPrefix(other, "liaison") {
			t.Fatalf("%s: kept %q, other %q", d.name, kept, other)
		}
	}
}

func TestSyncResolutionClosesTheConflictOnTheOtherDesk(t *testing.T) {
	ctx := context.Background()
	a, b, c := openDesk(t, "A"), openDesk(t, "B"), openDesk(t, "C")
	n1 := put(t, a, store.Item{Kind: store.KindNote, Title: "Call log", Body: "start"})
	n2 := put(t, a, store.Item{Kind: store.KindNote, Title: "Positions", Body: "start"})
	send(t, a, b)
	send(t, a, c)
	for _, id := range []string{n1.ID, n2.ID} {
		x := get(t, a, id)
		x.Body = "from A"
		put(t, a, x)
		y := get(t, b, id)
		y.Body = "from B"
		put(t, b, y)
	}
	pa, pb := bundle(t, a), bundle(t, b)
	applyBundle(t, pb, "B", a)
	applyBundle(t, pa, "A", b)
	cs := openConflicts(t, a)
	if len(cs) != 2 {
		t.Fatalf("A: %d conflicts, want 2", len(cs))
	}
	byItem := map[string]store.Conflict{}
	for _, c := range cs {
		byItem[c.ItemID] = c
	}
	// n1: A keeps a merge the user typed; n2: B keeps the version that is current.
	keep := byItem[n1.ID].Current
	keep.Body = "from A and from B"
	res, err := a.db.ResolveConflict(ctx, byItem[n1.ID].ID, keep)
	if err != nil {
		t.Fatal(err)
	}
	if res.Body != keep.Body {
		t.Fatalf("resolution saved %q", res.Body)
	}
	if _, err := a.db.ResolveConflict(ctx, byItem[n1.ID].ID, keep); err == nil {
		t.Fatal("a conflict resolved twice")
	}
	var bc store.Conflict
	for _, c := range openConflicts(t, b) {
		if c.ItemID == n2.ID {
			bc = c
		}
	}
	if _, err := b.db.ResolveConflict(ctx, bc.ID, bc.Current); err != nil {
		t.Fatal(err)
	}
	if ca, cb := openConflicts(t, a), openConflicts(t, b); len(ca) != 1 || len(cb) != 1 {
		t.Fatalf("a resolution did not close its own conflict: A %+v\nB %+v", ca, cb)
	}
	ra := send(t, b, a)
	rb := send(t, a, b)
	if len(ra.Conflicts)+len(rb.Conflicts) != 0 {
		t.Fatalf("a resolution made a new conflict: %v %v", ra.Conflicts, rb.Conflicts)
	}
	for _, d := range []desk{a, b} {
		if cs := openConflicts(t, d); len(cs) != 0 {
			t.Fatalf("%s: still open: %+v", d.name, cs)
		}
		if got := get(t, d, n1.ID).Body; got != "from A and from B" {
			t.Fatalf("%s: n1 is %q", d.name, got)
		}
	}
	// A desk that saw neither side: the resolutions are plain updates there.
	rc := send(t, a, c)
	if len(rc.Conflicts) != 0 || len(openConflicts(t, c)) != 0 {
		t.Fatalf("C: %+v", rc)
	}
	for _, id := range []string{n1.ID, n2.ID} {
		if ha, hc := get(t, a, id).ContentHash(), get(t, c, id).ContentHash(); ha != hc {
			t.Fatalf("C differs from A on %s", id)
		}
	}
	log, err := a.db.AuditLog(ctx, store.AuditFilter{Action: store.AuditSyncResolve})
	if err != nil || len(log) != 1 || log[0].Subject != n1.ID {
		t.Fatalf("audit of the resolution: %+v %v", log, err)
	}
}

func TestSyncTombstones(t *testing.T) {
	ctx := context.Background()
	a, b := openDesk(t, "A"), openDesk(t, "B")
	n := put(t, a, store.Item{Kind: store.KindNote, Title: "Spill report", Body: "v1"})
	m := put(t, a, store.Item{Kind: store.KindNote, Title: "Old minutes", Body: "v1"})
	send(t, a, b)

	// A deletion travels as a tombstone and lands in the trash.
	if err := a.db.Delete(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	res := send(t, a, b)
	if len(res.Trashed) != 1 || get(t, b, n.ID).Deleted == nil {
		t.Fatalf("tombstone: %+v", res)
	}
	nothingChanged(t, "the tombstone again", send(t, a, b))
	// A restore travels too.
	if err := a.db.Restore(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	res = send(t, a, b)
	if len(res.Restored) != 1 || get(t, b, n.ID).Deleted != nil {
		t.Fatalf("restore: %+v", res)
	}
	// Deleted on A, changed on B: the change stays, a conflict on both desks.
	if err := a.db.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	mb := get(t, b, m.ID)
	mb.Body = "v2, typed on B"
	put(t, b, mb)
	rb := send(t, a, b)
	ra := send(t, b, a)
	for _, d := range []desk{a, b} {
		cur := get(t, d, m.ID)
		if cur.Deleted != nil || cur.Body != "v2, typed on B" {
			t.Fatalf("%s: %q deleted=%v", d.name, cur.Body, cur.Deleted)
		}
		cs := openConflicts(t, d)
		if len(cs) != 1 || !slices.Equal(cs[0].Fields, []string{"Deleted"}) || cs[0].ItemID != m.ID {
			t.Fatalf("%s: conflicts %+v", d.name, cs)
		}
	}
	if len(ra.Restored) != 1 || len(rb.Trashed) != 0 {
		t.Fatalf("A %+v\nB %+v", ra, rb)
	}
	// A tombstone of an item never here is remembered, not an error.
	ghost := store.Incoming{Item: store.Item{ID: "never-here"}, Tombstone: true, TombHash: strings.Repeat("ab", 32), Gen: 1}
	if _, err := b.db.ApplyPack(ctx, []store.Incoming{ghost}, nil, store.ApplyOptions{Sync: true, Desk: "C"}); err != nil {
		t.Fatal(err)
	}
	marks, err := b.db.TrashMarks(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(marks, func(m store.TrashMark) bool { return m.ID == "never-here" && m.Deleted() && m.Desk == "C" }) {
		t.Fatalf("the tombstone was not remembered: %+v", marks)
	}
}

func TestSyncWithdrawalHides(t *testing.T) {
	ctx := context.Background()
	a, b := openDesk(t, "A"), openDesk(t, "B")
	n := put(t, a, store.Item{Kind: store.KindNote, Title: "Troop movements", Body: "v1"})
	send(t, a, b)
	if err := b.db.ApplyWithdrawal(ctx, n.ID, "A", "raised above RESTRICTED"); err != nil {
		t.Fatal(err)
	}
	if err := b.db.ApplyWithdrawal(ctx, n.ID, "A", "raised above RESTRICTED"); err != nil {
		t.Fatal(err)
	}
	if get(t, b, n.ID).Deleted == nil {
		t.Fatal("the withdrawn item is not in the trash")
	}
	ws, err := b.db.Withdrawals(ctx)
	if err != nil || len(ws) != 1 || ws[0].ID != n.ID || ws[0].Reason != "withdrawn by desk A: raised above RESTRICTED" {
		t.Fatalf("withdrawals: %+v %v", ws, err)
	}
	na := get(t, a, n.ID)
	na.Body = "v2"
	put(t, a, na)
	res := send(t, a, b)
	if !slices.Equal(res.Withdrawn, []string{n.ID}) || get(t, b, n.ID).Body != "v1" {
		t.Fatalf("a withdrawn item was updated: %+v", res)
	}
	// Nothing of it is sent again from here.
	for _, e := range bundle(t, b).Entries {
		if e.ID == n.ID {
			t.Fatal("a withdrawn item is sent again")
		}
	}
	log, err := b.db.AuditLog(ctx, store.AuditFilter{Action: store.AuditSyncWithdrawal})
	if err != nil || len(log) != 1 {
		t.Fatalf("audit: %+v %v", log, err)
	}
}

func TestSyncStateInTheSameTransaction(t *testing.T) {
	ctx := context.Background()
	a, b := openDesk(t, "A"), openDesk(t, "B")
	put(t, a, store.Item{Kind: store.KindNote, Title: "x", Body: "y"})
	p := bundle(t, a)
	if _, err := b.db.ApplyPack(ctx, p.Incoming(), p.Originals, store.ApplyOptions{Sync: true, Desk: "A", State: map[string]string{"cursor:A": "7"}}); err != nil {
		t.Fatal(err)
	}
	if v, err := b.db.SyncState(ctx, "cursor:A"); err != nil || v != "7" {
		t.Fatalf("state %q %v", v, err)
	}
	// A refused apply moves no cursor.
	bad := p.Incoming()
	bad[0].Item.Class = "NO SUCH MARKING"
	if _, err := b.db.ApplyPack(ctx, bad, nil, store.ApplyOptions{Sync: true, Desk: "A", State: map[string]string{"cursor:A": "8"}}); err == nil {
		t.Fatal("a bad marking was applied")
	}
	if v, _ := b.db.SyncState(ctx, "cursor:A"); v != "7" {
		t.Fatalf("the cursor moved to %q with a refused apply", v)
	}
	if err := b.db.SetSyncState(ctx, "cursor:A", ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := b.db.SyncState(ctx, "cursor:A"); v != "" {
		t.Fatalf("state %q after removing it", v)
	}
}

// TestSyncThreeDesksConverge: three desks edit, delete, restore and conflict offline and
// exchange everything in random orders; at the end every item has the same current
// version on every desk, the same trash state, and every version typed anywhere is kept
// on every desk.
// CHANCERY_SYNC_SEEDS=N runs N seeds (5 by default) for a longer search.
func TestSyncThreeDesksConverge(t *testing.T) {
	seeds, steps := int64(5), 80
	if n, err := strconv.Atoi(os.Getenv("CHANCERY_SYNC_SEEDS")); err == nil && n > 0 {
		seeds, steps = int64(n), 150
	}
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { threeDesks(t, seed, steps) })
	}
}

func threeDesks(t *testing.T, seed int64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	desks := []desk{openDesk(t, "A"), openDesk(t, "B"), openDesk(t, "C")}
	typed := map[string]map[string]bool{} // item → hashes of every version saved
	note := func(id, h string) {
		if typed[id] == nil {
			typed[id] = map[string]bool{}
		}
		typed[id][h] = true
	}
	words := []string{"spill", "river", "call", "minister", "Accra", "Lomé", "border", "plume", "boat", "sample"}
	word := func() string { return words[rng.Intn(len(words))] + fmt.Sprint(rng.Intn(1000)) }
	for step := 0; step < steps; step++ {
		d := desks[rng.Intn(3)]
		ids := allIDs(t, d.db)
		var live, trashed []store.Item
		for _, id := range ids {
			it := get(t, d, id)
			if it.Deleted == nil {
				live = append(live, it)
			} else {
				trashed = append(trashed, it)
			}
		}
		switch op := rng.Intn(11); {
		case op < 2 || len(live) == 0:
			it := store.Item{Kind: store.KindNote, Title: "note " + word(), Body: word()}
			if rng.Intn(2) == 0 {
				it = store.Item{Kind: store.KindContact, Title: "contact " + word(), Contact: &store.Contact{GivenName: word(), JobTitle: word()}}
			}
			s := put(t, d, it)
			note(s.ID, s.ContentHash())
		case op < 6:
			it := live[rng.Intn(len(live))]
			if it.Kind == store.KindContact {
				switch rng.Intn(3) {
				case 0:
					it.Contact.JobTitle = word()
				case 1:
					it.Contact.Role = word()
				default:
					it.Contact.Phones = append(it.Contact.Phones, store.Labeled{Value: fmt.Sprint("+228 ", rng.Intn(1e6))})
				}
			} else {
				it.Body += " " + word()
			}
			s := put(t, d, it)
			note(s.ID, s.ContentHash())
		case op < 7:
			if err := d.db.Delete(ctx, live[rng.Intn(len(live))].ID); err != nil {
				t.Fatal(err)
			}
		case op < 8 && len(trashed) > 0:
			if err := d.db.Restore(ctx, trashed[rng.Intn(len(trashed))].ID); err != nil {
				t.Fatal(err)
			}
		case op < 9:
			cs := openConflicts(t, d)
			if len(cs) == 0 {
				break
			}
			c := cs[rng.Intn(len(cs))]
			keep := c.Current
			switch rng.Intn(3) {
			case 0:
				keep = c.Other
				keep.Title = c.Current.Title
			case 1:
				keep.Body += " merged " + word()
			}
			s, err := d.db.ResolveConflict(ctx, c.ID, keep)
			if err != nil {
				t.Fatal(err)
			}
			note(s.ID, s.ContentHash())
		default:
			from := desks[rng.Intn(3)]
			if from.name != d.name {
				send(t, from, d)
			}
		}
	}
	// Everyone sends to everyone, in random orders, until nothing changes.
	for round := 0; ; round++ {
		if round == 8 {
			t.Fatal("the desks do not settle after 8 rounds of exchanges")
		}
		changed := false
		for _, k := range rng.Perm(9) {
			from, to := desks[k/3], desks[k%3]
			if from.name == to.name {
				continue
			}
			res := send(t, from, to)
			if res.Seq != 0 {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	ids := allIDs(t, desks[0].db)
	for _, d := range desks[1:] {
		if got := allIDs(t, d.db); !slices.Equal(got, ids) {
			t.Fatalf("%s holds %d items, A %d", d.name, len(got), len(ids))
		}
	}
	conflicts := 0
	for _, id := range ids {
		a := get(t, desks[0], id)
		for _, d := range desks[1:] {
			x := get(t, d, id)
			if x.ContentHash() != a.ContentHash() || (x.Deleted == nil) != (a.Deleted == nil) {
				t.Errorf("%s: %s has %.12s (in the trash: %v), A %.12s (%v)", id, d.name, x.ContentHash(), x.Deleted != nil, a.ContentHash(), a.Deleted != nil)
			}
		}
		for _, d := range desks {
			have := versions(t, d, id)
			for h := range typed[id] {
				if !slices.Contains(have, h) {
					t.Errorf("%s: the version %.12s of %s typed on some desk is lost", d.name, h, id)
				}
			}
		}
	}
	for _, d := range desks {
		conflicts += len(openConflicts(t, d))
		if problems, err := d.db.Check(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("%s: check: %v %v", d.name, problems, err)
		}
	}
	t.Logf("seed %d: %d items, %d open conflicts over the three desks", seed, len(ids), conflicts)
}
