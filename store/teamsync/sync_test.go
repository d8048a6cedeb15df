package teamsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"filippo.io/age"

	"chancery/store"
)

var ctx = context.Background()

type desk struct {
	name string
	db   *store.DB
	s    *Syncer
	dir  string
}

// teamOf makes n desks (real knowledge bases under t.TempDir()) sharing remote at the
// ceiling, and the administrator's recovery identity.
func teamOf(t *testing.T, remote Remote, n int, ceiling string) ([]*desk, *age.X25519Identity) {
	t.Helper()
	recovery, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var desks []*desk
	var members []TeamMember
	recipients := []age.Recipient{recovery.Recipient()}
	for i := range n {
		d := &desk{name: fmt.Sprintf("desk%c", 'A'+i), dir: t.TempDir()}
		id, err := LoadIdentity(d.dir, d.name)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, id.Member())
		recipients = append(recipients, id.Age.Recipient())
		desks = append(desks, d)
	}
	for _, d := range desks {
		db, err := store.OpenWith(ctx, d.dir, store.Options{MaxClass: "SECRET"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		d.db = db
		d.s = newSyncer(t, db, remote, ceiling, d.dir, members, recipients)
	}
	return desks, recovery
}

func newSyncer(t *testing.T, db *store.DB, remote Remote, ceiling, dir string, members []TeamMember, recipients []age.Recipient) *Syncer {
	t.Helper()
	s, err := New(db, Config{Remote: remote, Ceiling: ceiling, Recipients: recipients, Team: members, KeyDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (d *desk) sync(t *testing.T) Report {
	t.Helper()
	rep, err := d.s.Sync(ctx)
	if err != nil {
		t.Fatalf("%s: sync: %v", d.name, err)
	}
	return rep
}

func (d *desk) save(t *testing.T, it store.Item) store.Item {
	t.Helper()
	saved, err := d.db.Save(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

func note(id, title, body, class string) store.Item {
	return store.Item{ID: id, Kind: store.KindNote, Title: title, Body: body, Class: class, Note: &store.Note{}}
}

// contents is every live item of a desk as ID → ContentHash, and the trash.
func contents(t *testing.T, db *store.DB) (live map[string]string, trash []string) {
	t.Helper()
	live = map[string]string{}
	err := db.EachChange(ctx, 0, 0, func(c store.Change) error {
		switch {
		case c.Live():
			live[c.ID] = c.Item.ContentHash()
		case c.Item != nil:
			trash = append(trash, c.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(trash)
	return live, trash
}

func converged(t *testing.T, desks []*desk) map[string]string {
	t.Helper()
	first, firstTrash := contents(t, desks[0].db)
	for _, d := range desks[1:] {
		live, trash := contents(t, d.db)
		if fmt.Sprint(live) != fmt.Sprint(first) || fmt.Sprint(trash) != fmt.Sprint(firstTrash) {
			for id, h := range live {
				if first[id] != h {
					for _, dd := range desks {
						revs, _ := dd.db.Revisions(ctx, id)
						var hs []string
						for _, r := range revs {
							hs = append(hs, r.Item.ContentHash()[:8])
						}
						cur, _ := dd.db.Get(ctx, id)
						cs, _ := dd.db.Conflicts(ctx, false)
						var cl []string
						for _, c := range cs {
							if c.ItemID == id {
								cl = append(cl, c.CurrentHash[:8]+"/"+c.OtherHash[:8])
							}
						}
						t.Logf("DIAG %s %s current %s revs %v conflicts %v", dd.name, id, cur.ContentHash()[:8], hs, cl)
					}
				}
			}
			t.Fatalf("%s and %s differ:\n%v %v\n%v %v", desks[0].name, d.name, first, firstTrash, live, trash)
		}
	}
	return first
}

func syncAll(t *testing.T, desks []*desk, rounds int) {
	t.Helper()
	for range rounds {
		for _, d := range desks {
			rep := d.sync(t)
			if len(rep.Problems) > 0 {
				t.Fatalf("%s: problems: %v", d.name, rep.Problems)
			}
		}
	}
}

func TestThreeDesksConverge(t *testing.T) {
	for _, kind := range []string{"mem", "dir"} {
		t.Run(kind, func(t *testing.T) {
			var remote Remote = NewMemRemote("mem")
			if kind == "dir" {
				r, err := NewDirRemote(filepath.Join(t.TempDir(), "remote"))
				if err != nil {
					t.Fatal(err)
				}
				remote = r
			}
			desks, _ := teamOf(t, remote, 3, "RESTRICTED")
			a, b, c := desks[0], desks[1], desks[2]
			a.save(t, note("n-a", "Call with Lomé", "river level rising", "RESTRICTED"))
			b.save(t, note("n-b", "Cotonou port", "tanker seen", "UNCLASSIFIED"))
			b.save(t, store.Item{ID: "d-b", Kind: store.KindDocument, Title: "Sitrep scan", Class: "UNCLASSIFIED",
				Document: &store.Document{FileName: "scan.txt", MIME: "text/plain", Original: []byte("the original bytes of the scan")}})
			c.save(t, note("n-c", "Niamey", "no news", "UNCLASSIFIED"))
			syncAll(t, desks, 2)
			live := converged(t, desks)
			if len(live) != 4 {
				t.Fatalf("want 4 items on every desk, got %v", live)
			}
			if data, err := c.db.Original(ctx, "d-b"); err != nil || string(data) != "the original bytes of the scan" {
				t.Fatalf("the original did not travel: %q %v", data, err)
			}
			// An edit on another desk updates everywhere; re-syncing changes nothing.
			it, _ := c.db.Get(ctx, "n-a")
			it.Body = "river level falling"
			c.save(t, it)
			syncAll(t, desks, 2)
			converged(t, desks)
			got, _ := a.db.Get(ctx, "n-a")
			if got.Body != "river level falling" {
				t.Fatalf("the edit did not reach desk A: %q", got.Body)
			}
			rep := a.sync(t)
			if rep.Pushed != 0 || rep.Applied != 0 {
				t.Fatalf("a quiet round did something: %+v", rep)
			}
			// Originals are uploaded once.
			names, _ := remote.List(ctx, "originals/")
			if len(names) != 1 {
				t.Fatalf("want 1 original on the remote, got %v", names)
			}
			st, err := a.s.Status(ctx)
			if err != nil || st.Waiting != 0 || st.LastSync.IsZero() || len(st.Desks) != 2 {
				t.Fatalf("status: %+v %v", st, err)
			}
		})
	}
}

// TestTamperedBundle: a byte changed in a bundle, or its header rewritten, is reported and
// nothing of it is applied.
func TestTamperedBundle(t *testing.T) {
	for _, how := range []string{"payload", "header", "cut"} {
		t.Run(how, func(t *testing.T) {
			remote := NewMemRemote("mem")
			desks, _ := teamOf(t, remote, 2, "RESTRICTED")
			a, b := desks[0], desks[1]
			a.save(t, note("n1", "Tampered", "text", "UNCLASSIFIED"))
			a.sync(t)
			name := bundleName(a.s.id.Desk(), 1)
			obj, _ := remote.Get(ctx, name)
			switch how {
			case "payload":
				obj[len(obj)-20] ^= 1
			case "header":
				obj = bytes.Replace(obj, []byte(`"number":1`), []byte(`"number":7`), 1)
			case "cut":
				obj = obj[:len(obj)-40]
			}
			remote.Tamper(name, obj)
			rep := b.sync(t)
			if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "altered") {
				t.Fatalf("want one 'altered' problem, got %v", rep.Problems)
			}
			if _, err := b.db.Get(ctx, "n1"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the altered bundle was applied: %v", err)
			}
			st, _ := b.s.Status(ctx)
			if len(st.Desks) != 1 || !strings.Contains(st.Desks[0].Problem, "altered") {
				t.Fatalf("status does not show the problem: %+v", st)
			}
		})
	}
}

// TestGap: a removed bundle stops that desk's pull at the gap.
func TestGap(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "First", "one", "UNCLASSIFIED"))
	a.sync(t)
	a.save(t, note("n2", "Second", "two", "UNCLASSIFIED"))
	a.sync(t)
	remote.Tamper(bundleName(a.s.id.Desk(), 1), nil)
	rep := b.sync(t)
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], ErrGap.Error()) {
		t.Fatalf("want a gap, got %v", rep.Problems)
	}
	if live, _ := contents(t, b.db); len(live) != 0 {
		t.Fatalf("applied past a gap: %v", live)
	}
}

// TestForeign: bundles signed by a desk outside the team are reported, never applied,
// whether in the outsider's own folder or put in a team desk's folder.
func TestForeign(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, recovery := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "Ours", "x", "UNCLASSIFIED"))
	a.sync(t)
	// The outsider knows the team's recipients (they are public) but is not in the team.
	dir := t.TempDir()
	odb, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer odb.Close()
	out := newSyncer(t, odb, remote, "RESTRICTED", dir, nil, []age.Recipient{recovery.Recipient(), b.s.id.Age.Recipient()})
	if _, err := odb.Save(ctx, note("evil", "Planted", "delete everything", "UNCLASSIFIED")); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// And a bundle in desk A's folder, signed by the outsider.
	forged, err := sealBundle(out.id, "", 2, "", 0, []Tombstone{{ID: "n1"}}, nil, nil, []age.Recipient{b.s.id.Age.Recipient()})
	if err != nil {
		t.Fatal(err)
	}
	remote.Tamper(bundleName(a.s.id.Desk(), 2), forged)
	rep := b.sync(t)
	if len(rep.Problems) != 2 {
		t.Fatalf("want two problems, got %v", rep.Problems)
	}
	for _, p := range rep.Problems {
		if !strings.Contains(p, ErrForeign.Error()) {
			t.Fatalf("want foreign, got %v", rep.Problems)
		}
	}
	if _, err := b.db.Get(ctx, "evil"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("the outsider's item was applied")
	}
	if it, err := b.db.Get(ctx, "n1"); err != nil || it.Deleted != nil {
		t.Fatalf("the forged tombstone was applied: %v", err)
	}
}

// TestFork: a bundle signed by the desk that does not follow its previous one.
func TestFork(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "One", "x", "UNCLASSIFIED"))
	a.sync(t)
	b.sync(t)
	st, _ := loadState(ctx, a.db, stateKey(remote))
	other, err := sealBundle(a.s.id, st.Team, 2, strings.Repeat("0", 64), 0, []Tombstone{{ID: "n1"}}, nil, nil, a.s.recp)
	if err != nil {
		t.Fatal(err)
	}
	remote.Tamper(bundleName(a.s.id.Desk(), 2), other)
	rep := b.sync(t)
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "forks") {
		t.Fatalf("want a fork, got %v", rep.Problems)
	}
	if it, _ := b.db.Get(ctx, "n1"); it.Deleted != nil {
		t.Fatal("the forked bundle was applied")
	}
}

// TestEmptiedRemote: a remote emptied (or replaced) is an error, and nothing is deleted.
func TestEmptiedRemote(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "One", "x", "UNCLASSIFIED"))
	b.save(t, note("n2", "Two", "y", "UNCLASSIFIED"))
	syncAll(t, desks, 2)
	names, _ := remote.List(ctx, "")
	for _, n := range names {
		remote.Tamper(n, nil)
	}
	for _, d := range desks {
		_, err := d.s.Sync(ctx)
		if err == nil || !strings.Contains(err.Error(), "emptied") {
			t.Fatalf("%s: want an 'emptied' error, got %v", d.name, err)
		}
		if live, trash := contents(t, d.db); len(live) != 2 || len(trash) != 0 {
			t.Fatalf("%s: items lost after the remote was emptied: %v %v", d.name, live, trash)
		}
		st, _ := d.s.Status(ctx)
		if !strings.Contains(st.LastError, "emptied") {
			t.Fatalf("status: %+v", st)
		}
	}
	if left, _ := remote.List(ctx, ""); len(left) != 0 {
		t.Fatalf("a desk wrote to the emptied remote: %v", left)
	}
	// Only this desk's bundles gone (the team file still there): also refused.
	remote2 := NewMemRemote("mem2")
	desks2, _ := teamOf(t, remote2, 2, "RESTRICTED")
	desks2[0].save(t, note("n1", "One", "x", "UNCLASSIFIED"))
	syncAll(t, desks2, 1)
	names, _ = remote2.List(ctx, "desks/")
	for _, n := range names {
		remote2.Tamper(n, nil)
	}
	if _, err := desks2[0].s.Sync(ctx); err == nil {
		t.Fatal("desk A's bundles vanished and sync went on")
	}
	rep, err := desks2[1].s.Sync(ctx)
	if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "no longer holds") {
		t.Fatalf("desk B: %v %v", rep.Problems, err)
	}
	if live, _ := contents(t, desks2[1].db); len(live) != 1 {
		t.Fatalf("desk B lost items: %v", live)
	}
}

// allPlain decrypts every bundle and original on the remote with the recovery key.
func allPlain(t *testing.T, remote Remote, recovery age.Identity) []byte {
	t.Helper()
	names, err := remote.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, n := range names {
		obj, _ := remote.Get(ctx, n)
		all = append(all, obj...)
		ct := obj
		if strings.HasSuffix(n, ".bundle") {
			i := bytes.IndexByte(obj[len(bundleMagic):], '\n')
			ct = obj[len(bundleMagic)+i+1:]
		} else if !strings.HasPrefix(n, "originals/") {
			continue
		}
		r, err := age.Decrypt(bytes.NewReader(ct), recovery)
		if err != nil {
			t.Fatalf("%s: the recovery key cannot open it: %v", n, err)
		}
		b, _ := io.ReadAll(r)
		all = append(all, b...)
	}
	return all
}

// TestCeiling: nothing above the remote's ceiling is on the remote, in any bundle or
// original, decrypted; a link to it is left out; the item stays on its own desk.
func TestCeiling(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, recovery := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("secret-1", "Zanzibar codeword", "the Kestrel source says", "SECRET"))
	a.save(t, store.Item{ID: "doc-secret", Kind: store.KindDocument, Title: "Confidential annex", Class: "CONFIDENTIAL",
		Document: &store.Document{FileName: "annex.txt", Original: []byte("ORIGINAL-ABOVE-CEILING")}})
	n := note("n-low", "Restricted note", "see the linked note", "RESTRICTED")
	n.Links = []store.Link{{To: "secret-1"}, {To: "doc-secret"}}
	a.save(t, n)
	syncAll(t, desks, 2)
	plain := allPlain(t, remote, recovery)
	if !bytes.Contains(plain, []byte("see the linked note")) {
		t.Fatal("the test does not see the decrypted bundles")
	}
	for _, s := range []string{"secret-1", "Zanzibar", "Kestrel", "doc-secret", "Confidential annex", "ORIGINAL-ABOVE-CEILING", "annex.txt"} {
		if bytes.Contains(plain, []byte(s)) {
			t.Errorf("%q is on the remote above its ceiling", s)
		}
	}
	live, _ := contents(t, b.db)
	if len(live) != 1 {
		t.Fatalf("desk B holds %v", live)
	}
	// The items above the ceiling are not "waiting": they never go.
	if st, _ := a.s.Status(ctx); st.Waiting != 0 {
		t.Fatalf("waiting on A: %d", st.Waiting)
	}
}

// TestWithdrawal: an item raised above the ceiling after it was shared is withdrawn: the
// other desks put it in the trash and say so; its new text never reaches the remote.
func TestWithdrawal(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, recovery := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "Shared first", "harmless", "RESTRICTED"))
	syncAll(t, desks, 1)
	it, _ := a.db.Get(ctx, "n1")
	it.Class, it.Body = "SECRET", "now secret text"
	a.save(t, it)
	a.sync(t)
	rep := b.sync(t)
	if len(rep.Withdrawn) != 1 || !strings.Contains(rep.Withdrawn[0], "n1") {
		t.Fatalf("want n1 withdrawn, got %+v", rep)
	}
	if got, _ := b.db.Get(ctx, "n1"); got.Deleted == nil {
		t.Fatal("the withdrawn item is still live on desk B")
	}
	if bytes.Contains(allPlain(t, remote, recovery), []byte("now secret text")) {
		t.Fatal("the raised item's text is on the remote")
	}
}

// TestTombstone: a deletion lands in the other desk's trash; a desk that changed the item
// since keeps it live and says so; nothing is purged.
func TestTombstone(t *testing.T) {
	remote := NewMemRemote("mem")
	desks, _ := teamOf(t, remote, 2, "RESTRICTED")
	a, b := desks[0], desks[1]
	a.save(t, note("n1", "To delete", "x", "UNCLASSIFIED"))
	a.save(t, note("n2", "To delete, edited elsewhere", "y", "UNCLASSIFIED"))
	syncAll(t, desks, 1)
	it, _ := b.db.Get(ctx, "n2")
	it.Body = "typed on desk B"
	b.save(t, it)
	if err := a.db.Delete(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Delete(ctx, "n2"); err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	rep := b.sync(t)
	if len(rep.Trashed) != 1 || !strings.Contains(rep.Trashed[0], "n1") {
		t.Fatalf("want n1 trashed, got %+v", rep)
	}
	if got, _ := b.db.Get(ctx, "n1"); got.Deleted == nil {
		t.Fatal("n1 is live on desk B")
	}
	if got, _ := b.db.Get(ctx, "n2"); got.Deleted != nil || got.Body != "typed on desk B" {
		t.Fatalf("what desk B typed was dropped: %+v", got)
	}
}

// failAfter is a remote that fails every Create after the first n: a desk killed, or the
// network cut, mid-push.
type failAfter struct {
	Remote
	n atomic.Int64
}

var errCut = errors.New("network cut")

func (f *failAfter) Create(ctx context.Context, name string, data []byte) error {
	if f.n.Add(-1) < 0 {
		return errCut
	}
	return f.Remote.Create(ctx, name, data)
}

// TestInterruptedPush: a push cut after N objects, and a desk killed after its bundle was
// created but before it saved its cursors, each go on correctly at the next sync.
func TestInterruptedPush(t *testing.T) {
	for cut := range 4 {
		t.Run(fmt.Sprintf("cut after %d creates", cut), func(t *testing.T) {
			mem := NewMemRemote("mem")
			desks, _ := teamOf(t, mem, 2, "RESTRICTED")
			a, b := desks[0], desks[1]
			a.save(t, store.Item{ID: "d1", Kind: store.KindDocument, Title: "Doc one", Class: "UNCLASSIFIED",
				Document: &store.Document{FileName: "one.txt", Original: []byte("first original")}})
			a.save(t, store.Item{ID: "d2", Kind: store.KindDocument, Title: "Doc two", Class: "UNCLASSIFIED",
				Document: &store.Document{FileName: "two.txt", Original: []byte("second original")}})
			a.save(t, note("n1", "Note", "x", "UNCLASSIFIED"))
			cutting := &failAfter{Remote: mem}
			cutting.n.Store(int64(cut))
			s := newSyncer(t, a.db, cutting, "RESTRICTED", a.dir, slices.Collect(func(yield func(TeamMember) bool) {
				for _, m := range a.s.team {
					yield(m)
				}
			}), a.s.cfg.Recipients)
			if _, err := s.Sync(ctx); !errors.Is(err, errCut) {
				t.Fatalf("want the cut, got %v", err)
			}
			b.sync(t) // sees whatever was there, maybe nothing
			syncAll(t, desks, 2)
			if live := converged(t, desks); len(live) != 3 {
				t.Fatalf("want 3 items, got %v", live)
			}
		})
	}
	t.Run("killed before saving its cursors", func(t *testing.T) {
		mem := NewMemRemote("mem")
		desks, _ := teamOf(t, mem, 2, "RESTRICTED")
		a, b := desks[0], desks[1]
		a.save(t, note("n1", "One", "x", "UNCLASSIFIED"))
		a.sync(t)
		key := stateKey(mem)
		before, err := a.db.SyncState(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		a.save(t, note("n2", "Two", "y", "UNCLASSIFIED"))
		a.sync(t)
		// The state as it was before bundle 2's cursors were saved.
		if err := a.db.SetSyncState(ctx, key, before); err != nil {
			t.Fatal(err)
		}
		a.save(t, note("n3", "Three", "z", "UNCLASSIFIED"))
		rep := a.sync(t)
		if rep.Pushed != 1 {
			t.Fatalf("want one bundle pushed after the crash, got %+v", rep)
		}
		names, _ := mem.List(ctx, "desks/"+a.s.id.Desk()+"/")
		if len(names) != 4 { // key + 3 bundles
			t.Fatalf("want bundles 1..3, got %v", names)
		}
		rep = b.sync(t)
		if len(rep.Problems) > 0 || rep.Applied != 3 {
			t.Fatalf("desk B: %+v", rep)
		}
		converged(t, desks)
		// Applying again changes nothing: desk B forgets its cursors and re-applies.
		st, _ := loadState(ctx, b.db, key)
		st.Desks = map[string]deskCursor{}
		st.save(ctx, b.db, key)
		seqBefore, _ := b.db.LastSeq(ctx)
		rep = b.sync(t)
		if rep.Applied != 3 || len(rep.Added)+len(rep.Updated)+len(rep.Conflicts) != 0 {
			t.Fatalf("re-applying changed something: %+v", rep)
		}
		converged(t, desks)
		if seqAfter, _ := b.db.LastSeq(ctx); seqAfter != seqBefore {
			t.Logf("re-apply moved the change sequence from %d to %d", seqBefore, seqAfter)
		}
	})
}

// TestIdentityFile: the desk's key file is 0600, read back the same, and a readable one
// is refused.
func TestIdentityFile(t *testing.T) {
	dir := t.TempDir()
	id, err := LoadIdentity(dir, "desk")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v", st.Mode(), err)
	}
	again, err := LoadIdentity(dir, "other")
	if err != nil || again.Desk() != id.Desk() || again.Age.String() != id.Age.String() {
		t.Fatalf("read back a different identity: %v", err)
	}
	m, err := ParseTeamMember(id.Member().String())
	if err != nil || m.Desk() != id.Desk() || m.Recipient != id.Age.Recipient().String() || m.Name != "desk" {
		t.Fatalf("member line %q: %+v %v", id.Member().String(), m, err)
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o644)
	if _, err := LoadIdentity(dir, ""); err == nil || !strings.Contains(err.Error(), "0600") {
		t.Fatalf("a key readable by others was accepted: %v", err)
	}
}

func TestDirRemoteCreateOnce(t *testing.T) {
	r, err := NewDirRemote(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Create(ctx, "desks/x/1.bundle", []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := r.Create(ctx, "desks/x/1.bundle", []byte("two")); !errors.Is(err, ErrExists) {
		t.Fatalf("want ErrExists, got %v", err)
	}
	if b, _ := r.Get(ctx, "desks/x/1.bundle"); string(b) != "one" {
		t.Fatalf("overwritten: %q", b)
	}
	if _, err := r.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	for _, bad := range []string{"../x", "/abs", "a//b", ".tmp-x"} {
		if err := r.Create(ctx, bad, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	names, _ := r.List(ctx, "desks/")
	if fmt.Sprint(names) != "[desks/x/1.bundle]" {
		t.Fatalf("list: %v", names)
	}
}
