package teamsync

import (
	"testing"
)

// TestResolveKeepingCurrent: a conflict resolved by keeping the version that is current
// now (no new content, only new parents and the resolution marker) still travels, and
// closes the conflict on the other desk. Resolved on the desk where the winner was typed,
// on the other desk, and on both (the same resolution made twice).
func TestResolveKeepingCurrent(t *testing.T) {
	for _, where := range []string{"winner's desk", "loser's desk", "both desks"} {
		t.Run(where, func(t *testing.T) {
			desks := editedOnTwoDesks(t)
			a, b := desks[0], desks[1]
			cur, _ := a.db.Get(ctx, "n1")
			winner, loser := a, b
			if cur.Body == "typed on B" {
				winner, loser = b, a
			}
			var resolvers []*desk
			switch where {
			case "winner's desk":
				resolvers = []*desk{winner}
			case "loser's desk":
				resolvers = []*desk{loser}
			default:
				resolvers = []*desk{a, b}
			}
			for _, d := range resolvers {
				cs, err := d.db.Conflicts(ctx, true)
				if err != nil || len(cs) != 1 {
					t.Fatalf("%s: conflicts %v %v", d.name, cs, err)
				}
				if _, err := d.db.ResolveConflict(ctx, cs[0].ID, cs[0].Current); err != nil {
					t.Fatal(err)
				}
			}
			syncAll(t, desks, 2)
			converged(t, desks)
			for _, d := range desks {
				if n, _ := d.db.OpenConflicts(ctx); n != 0 {
					t.Fatalf("%s: %d conflicts open after the resolution keeping the current version travelled", d.name, n)
				}
				if it, _ := d.db.Get(ctx, "n1"); it.Body != cur.Body {
					t.Fatalf("%s holds %q, want %q", d.name, it.Body, cur.Body)
				}
			}
			// Quiet afterwards: nothing echoes back and forth.
			syncAll(t, desks, 1)
			for _, d := range desks {
				if st, err := d.s.Status(ctx); err != nil || st.Waiting != 0 {
					t.Fatalf("%s: still waiting to send after the rounds: %+v %v", d.name, st, err)
				}
				if rep := d.sync(t); len(rep.Added)+len(rep.Updated) != 0 || rep.Pushed != 0 {
					t.Fatalf("%s: a quiet round moved something: %+v", d.name, rep)
				}
			}
		})
	}
}

// TestRoundReportsOnlyOpenConflicts: a desk that meets, in one round, a conflict and the
// resolution another desk made of it reports no new conflict.
func TestRoundReportsOnlyOpenConflicts(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 3, "RESTRICTED")
	a, b, c := desks[0], desks[1], desks[2]
	a.save(t, note("n1", "Shared note", "first text", "UNCLASSIFIED"))
	syncAll(t, desks, 1)
	c.sync(t)
	ia, _ := a.db.Get(ctx, "n1")
	ia.Body = "typed on A"
	a.save(t, ia)
	ib, _ := b.db.Get(ctx, "n1")
	ib.Body = "typed on B"
	b.save(t, ib)
	a.sync(t)
	if rep := b.sync(t); len(rep.Conflicts) != 1 {
		t.Fatalf("B does not report the conflict: %+v", rep)
	}
	cs, err := b.db.Conflicts(ctx, true)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts on B: %v %v", cs, err)
	}
	if _, err := b.db.ResolveConflict(ctx, cs[0].ID, cs[0].Other); err != nil {
		t.Fatal(err)
	}
	b.sync(t)
	rep := c.sync(t)
	if n, _ := c.db.OpenConflicts(ctx); n != 0 || len(rep.Conflicts) != 0 {
		t.Fatalf("C: %d open conflicts, the round reports %q", n, rep.Conflicts)
	}
	if it, _ := c.db.Get(ctx, "n1"); it.Body != cs[0].Other.Body {
		t.Fatalf("C holds %q", it.Body)
	}
}
