package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/teamsync"
)

// team is two desks (real knowledge bases, each with its store and index) sharing one
// remote through real Syncers.
type team struct {
	a, b   *kb
	sa, sb *teamsync.Syncer
}

func newTeam(t *testing.T) *team {
	t.Helper()
	tm := &team{a: openTestKB(t), b: openTestKB(t)}
	remote := teamsync.NewMemRemote("mem:team")
	ida, err := teamsync.LoadIdentity(tm.a.db.Dir(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	idb, err := teamsync.LoadIdentity(tm.b.db.Dir(), "bravo")
	if err != nil {
		t.Fatal(err)
	}
	cfg := teamsync.Config{Remote: remote, Ceiling: "RESTRICTED", Team: []teamsync.TeamMember{ida.Member(), idb.Member()},
		Recipients: []age.Recipient{ida.Age.Recipient(), idb.Age.Recipient()}}
	if tm.sa, err = teamsync.New(tm.a.db, cfg); err != nil {
		t.Fatal(err)
	}
	if tm.sb, err = teamsync.New(tm.b.db, cfg); err != nil {
		t.Fatal(err)
	}
	return tm
}

func syncOnce(t *testing.T, s *teamsync.Syncer) teamsync.Report {
	t.Helper()
	rep, err := s.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Fatalf("problems: %v", rep.Problems)
	}
	return rep
}

func saveItem(t *testing.T, db *store.DB, it store.Item) store.Item {
	t.Helper()
	out, err := db.Save(context.Background(), it)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// conflict makes a real conflict: a note shared by both desks, then edited on both
// before they sync; bravo holds the conflict (and alpha too, after its next round). It
// returns the note's ID.
func (tm *team) conflict(t *testing.T) string {
	t.Helper()
	n := saveItem(t, tm.a.db, store.Item{Kind: store.KindNote, Title: "Kassiba depot: booms", Body: "Two booms on order.", Class: "UNCLASSIFIED", Note: &store.Note{}})
	syncOnce(t, tm.sa)
	syncOnce(t, tm.sb)
	onB, err := tm.b.db.Get(context.Background(), n.ID)
	if err != nil {
		t.Fatal(err)
	}
	n.Title, n.Body = "Kassiba depot: booms (alpha)", "Two booms on order; alpha called the operator."
	saveItem(t, tm.a.db, n)
	onB.Title, onB.Body = "Kassiba depot: booms (bravo)", "Three booms on order, says the ministry."
	saveItem(t, tm.b.db, onB)
	syncOnce(t, tm.sa)
	if rep := syncOnce(t, tm.sb); len(rep.Conflicts) != 1 {
		t.Fatalf("bravo's round found %v, not one conflict", rep.Conflicts)
	}
	return n.ID
}

// teamSyncOf is the window's team sync over s, as cmd/chancery wires it.
func teamSyncOf(s *teamsync.Syncer, db *store.DB) TeamSync {
	return TeamSync{Settle: 20 * time.Millisecond,
		Round: func(ctx context.Context) (SyncRound, error) {
			rep, err := s.Sync(ctx)
			return SyncRound{Summary: rep.Summary(), Pushed: rep.Pushed, Received: slices.Concat(rep.Added, rep.Updated, rep.Merged, rep.Restored),
				Conflicts: rep.Conflicts, Trashed: rep.Trashed, Withdrawn: rep.Withdrawn, Problems: rep.Problems}, err
		},
		State: func(ctx context.Context) (SyncState, error) {
			n, err := db.OpenConflicts(ctx)
			if err != nil {
				return SyncState{}, err
			}
			st, err := s.Status(ctx)
			return SyncState{LastSync: st.LastSync, Waiting: st.Waiting, Conflicts: n, LastError: st.LastError}, err
		},
		Conflicts: db,
	}
}

func openConflicts(t *testing.T, db *store.DB) int {
	t.Helper()
	n, err := db.OpenConflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func titleOf(t *testing.T, db *store.DB, id string) string {
	t.Helper()
	it, err := db.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it.Title
}

// TestConflictsViewResolves: a conflict two real desks made is listed in bravo's
// Conflicts view with both versions side by side, and keeping bravo's version, alpha's,
// or a merge typed in the editor each resolves it in the store; once the desks sync, the
// resolution closes alpha's conflict too, and both hold the version kept.
func TestConflictsViewResolves(t *testing.T) {
	for _, how := range []string{"mine", "other", "merge"} {
		t.Run(how, func(t *testing.T) {
			tm := newTeam(t)
			id := tm.conflict(t)
			mw, l := openWindow(t, tm.b.deps())
			ts := teamSyncOf(tm.sb, tm.b.db)
			bar := mw.addTeamSync(ts)
			l.waitFor(t, "the status line to count the conflict", func() bool {
				return strings.Contains(bar.status.Text, "1 open conflict") && bar.conflicts.Visible() && bar.conflicts.Text == "1 conflict…"
			})
			v := mw.onConflicts(ts)
			l.waitFor(t, "the conflict listed", func() bool { return len(v.rows) == 1 && v.compare.Visible() })
			shown := allText(v.content)
			for _, want := range []string{"Kassiba depot: booms", "Note", "This desk's version", "The version of ",
				"Kassiba depot: booms (bravo)", "Kassiba depot: booms (alpha)", "Three booms on order, says the ministry.",
				"Two booms on order; alpha called the operator.", "Title — differs", "Text — differs", "Changed on both desks: Text, Title"} {
				if !strings.Contains(shown, want) {
					t.Errorf("the Conflicts view does not show %q:\n%s", want, shown)
				}
			}
			want := map[string]string{"mine": "Kassiba depot: booms (bravo)", "other": "Kassiba depot: booms (alpha)", "merge": "Kassiba depot: booms (merged)"}[how]
			switch how {
			case "mine":
				v.onKeepMine()
			case "other":
				v.onKeepOther()
			case "merge":
				v.onMerge()
				if v.ed == nil || !v.mergeBox.Visible() || v.ed.title.Text != "Kassiba depot: booms (bravo)" {
					t.Fatal("Merge did not open the editor prefilled with this desk's version")
				}
				v.ed.title.SetText("Kassiba depot: booms (merged)")
				v.ed.body.SetText("Three booms on order, says the ministry; alpha called the operator.")
				v.onSaveMerge()
			}
			l.waitFor(t, "the conflict resolved and the list emptied", func() bool {
				return len(v.rows) == 0 && strings.Contains(allText(v.content), "No open conflicts")
			})
			if n := openConflicts(t, tm.b.db); n != 0 {
				t.Fatalf("bravo still has %d open conflicts", n)
			}
			if got := titleOf(t, tm.b.db, id); got != want {
				t.Fatalf("bravo holds %q, want %q", got, want)
			}
			l.waitFor(t, "the status line to follow the resolution", func() bool {
				return strings.Contains(bar.status.Text, "0 open conflicts") && !bar.conflicts.Visible()
			})
			// The resolution travels: alpha's own conflict closes, and it holds the same.
			syncOnce(t, tm.sb)
			syncOnce(t, tm.sa)
			if got := titleOf(t, tm.a.db, id); got != want {
				t.Fatalf("alpha holds %q after syncing, want %q", got, want)
			}
			if n := openConflicts(t, tm.a.db); n != 0 {
				t.Fatalf("alpha still has %d open conflicts after the resolution reached it", n)
			}
		})
	}
}

// TestSyncStatusLineFollows: the status line says how sync stands and follows a round
// asked for with Sync Now: what another desk logged arrives in the store, the index finds
// it, and the line tells when it synced and what it received; a save here is counted as
// waiting and sent by itself once the typing has settled.
func TestSyncStatusLineFollows(t *testing.T) {
	tm := newTeam(t)
	syncOnce(t, tm.sa)
	mw, l := openWindow(t, tm.a.deps())
	waitReady(t, mw, l)
	bar := mw.addTeamSync(teamSyncOf(tm.sa, tm.a.db))
	l.waitFor(t, "the first round shown", func() bool {
		return bar.rounds >= 1 && strings.Contains(bar.status.Text, "Team sync: last synced at ") &&
			strings.Contains(bar.status.Text, "nothing waiting") && strings.Contains(bar.status.Text, "0 open conflicts")
	})
	call := saveItem(t, tm.b.db, store.Item{Kind: store.KindNote, Title: "Call to Benin's environment ministry", Body: "Receipt confirmed.", Class: "UNCLASSIFIED", Note: &store.Note{}})
	syncOnce(t, tm.sb)
	rounds := bar.rounds
	bar.onSyncNow()
	if !strings.Contains(bar.status.Text, "syncing…") {
		t.Errorf("Sync now does not say it is syncing: %q", bar.status.Text)
	}
	l.waitFor(t, "the round asked for shown", func() bool {
		return bar.rounds > rounds && bar.news.Visible() && strings.Contains(bar.news.Text, "Received 1 change from the team")
	})
	if got := titleOf(t, tm.a.db, call.ID); got != call.Title {
		t.Fatalf("alpha holds %q", got)
	}
	seq, err := tm.a.db.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.a.ix.WaitFor(context.Background(), seq); err != nil {
		t.Fatal(err)
	}
	// A save here is sent by itself once it has settled.
	note := saveItem(t, tm.a.db, store.Item{Kind: store.KindNote, Title: "Booms deployed at Kassiba", Class: "UNCLASSIFIED", Note: &store.Note{}})
	l.waitFor(t, "the save sent by itself", func() bool {
		_, err := tm.b.db.Get(context.Background(), note.ID)
		if err == nil {
			return true
		}
		syncOnce(t, tm.sb)
		_, err = tm.b.db.Get(context.Background(), note.ID)
		return err == nil
	})
	l.waitFor(t, "nothing waiting after", func() bool { return strings.Contains(bar.status.Text, "nothing waiting") })
}

// TestSyncStatusSaysFailure: a round that fails says so in words in the status line.
func TestSyncStatusSaysFailure(t *testing.T) {
	k := openTestKB(t)
	mw, l := openWindow(t, k.deps())
	bar := mw.addTeamSync(TeamSync{
		Round: func(context.Context) (SyncRound, error) {
			return SyncRound{}, &netErr{"dial tcp 127.0.0.1:9: connect: connection refused"}
		},
		State: func(context.Context) (SyncState, error) { return SyncState{Waiting: 2}, nil },
	})
	l.waitFor(t, "the failure shown", func() bool {
		return strings.Contains(bar.status.Text, "2 changes waiting") &&
			strings.Contains(bar.status.Text, "Last sync failed: the team's storage cannot be reached")
	})
}

type netErr struct{ s string }

func (e *netErr) Error() string { return e.s }
