package teamsync_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/teamsync"
	"chancery/store/teamsync/davremote"
	"chancery/store/teamsync/remotetest"
	"chancery/store/teamsync/s3remote"
)

// TestRealServers runs three desks against each real server (versitygw for S3, Apache's
// mod_dav and davserver for WebDAV): offline edits of the same items, a deletion, a push
// cut part-way, then every desk holds the same items, every text typed is kept, and a
// bundle altered on the server's disk is reported, not applied.
func TestRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	ctx := context.Background()
	servers := map[string]func(t *testing.T) (teamsync.Remote, string){
		"versitygw": func(t *testing.T) (teamsync.Remote, string) {
			s := remotetest.StartVersityGW(t)
			if err := os.Mkdir(filepath.Join(s.Dir, "team"), 0o755); err != nil { // a bucket is a folder
				t.Fatal(err)
			}
			r, err := s3remote.New(ctx, s3remote.Config{Endpoint: s.Endpoint, Region: s.Region, Bucket: "team", Prefix: "desks-north",
				AccessKey: s.AccessKey, SecretKey: s.SecretKey})
			if err != nil {
				t.Fatal(err)
			}
			return r, filepath.Join(s.Dir, "team", "desks-north")
		},
		"apache": func(t *testing.T) (teamsync.Remote, string) {
			s := remotetest.StartApacheDAV(t)
			r, err := davremote.New(davremote.Config{URL: s.URL, User: s.User, Password: s.Password})
			if err != nil {
				t.Fatal(err)
			}
			return r, s.Dir
		},
		"davserver": func(t *testing.T) (teamsync.Remote, string) {
			s := remotetest.StartGoDAV(t)
			r, err := davremote.New(davremote.Config{URL: s.URL, User: s.User, Password: s.Password})
			if err != nil {
				t.Fatal(err)
			}
			return r, s.Dir
		},
	}
	for _, name := range []string{"versitygw", "apache", "davserver"} {
		t.Run(name, func(t *testing.T) {
			remote, dir := servers[name](t)
			type desk struct {
				db  *store.DB
				dir string
				id  *teamsync.Identity
				s   *teamsync.Syncer
			}
			var desks []*desk
			var team []teamsync.TeamMember
			var recps []age.Recipient
			for i := range 3 {
				d := &desk{dir: t.TempDir()}
				id, err := teamsync.LoadIdentity(d.dir, fmt.Sprint("desk", i))
				if err != nil {
					t.Fatal(err)
				}
				d.id = id
				team = append(team, id.Member())
				recps = append(recps, id.Age.Recipient())
				if d.db, err = store.Open(ctx, d.dir); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.db.Close() })
				desks = append(desks, d)
			}
			syncer := func(d *desk, r teamsync.Remote) *teamsync.Syncer {
				s, err := teamsync.New(d.db, teamsync.Config{Remote: r, Ceiling: "RESTRICTED", Recipients: recps, Team: team, KeyDir: d.dir})
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			for _, d := range desks {
				d.s = syncer(d, remote)
			}
			sync := func(d *desk) teamsync.Report {
				rep, err := d.s.Sync(ctx)
				if err != nil || len(rep.Problems) > 0 {
					t.Fatalf("sync: %v %v", err, rep.Problems)
				}
				return rep
			}
			save := func(d *desk, id, body string) {
				it, err := d.db.Get(ctx, id)
				if err != nil {
					it = store.Item{ID: id, Kind: store.KindNote, Title: "Note " + id, Class: "UNCLASSIFIED", Note: &store.Note{}}
				}
				it.Body = body
				if _, err := d.db.Save(ctx, it); err != nil {
					t.Fatal(err)
				}
			}
			save(desks[0], "shared", "first")
			save(desks[0], "doomed", "to be deleted")
			if _, err := desks[0].db.Save(ctx, store.Item{ID: "doc", Kind: store.KindDocument, Title: "Scan", Class: "UNCLASSIFIED",
				Document: &store.Document{FileName: "scan.txt", Original: []byte("scan bytes")}}); err != nil {
				t.Fatal(err)
			}
			for _, d := range desks {
				sync(d)
			}
			var typed []string
			for i, d := range desks {
				body := fmt.Sprintf("desk %d typed this offline", i)
				save(d, "shared", body)
				save(d, fmt.Sprint("own", i), body+" (own)")
				typed = append(typed, body)
			}
			if err := desks[1].db.Delete(ctx, "doomed"); err != nil {
				t.Fatal(err)
			}
			// Desk 2's push is cut before its bundle (the network gone mid-push).
			cut := &cutRemote{Remote: remote, left: 0}
			if _, err := syncer(desks[2], cut).Sync(ctx); err == nil {
				t.Fatal("the cut push did not fail")
			}
			for range 2 {
				for _, d := range desks {
					sync(d)
				}
			}
			var first string
			for i, d := range desks {
				var lines []string
				err := d.db.EachChange(ctx, 0, 0, func(c store.Change) error {
					if c.Item != nil {
						lines = append(lines, fmt.Sprintf("%s %s %v", c.ID, c.Item.ContentHash(), c.Item.Deleted != nil))
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(lines)
				got := strings.Join(lines, "\n")
				if i == 0 {
					first = got
				} else if got != first {
					t.Fatalf("desk %d differs from desk 0:\n%s\n--\n%s", i, got, first)
				}
				revs, _ := d.db.Revisions(ctx, "shared")
				cur, _ := d.db.Get(ctx, "shared")
				all := cur.Body
				for _, r := range revs {
					all += "\n" + r.Item.Body
				}
				for _, b := range typed {
					if !strings.Contains(all, b) {
						t.Fatalf("desk %d lost %q", i, b)
					}
				}
				if it, _ := d.db.Get(ctx, "doomed"); it.Deleted == nil {
					t.Fatalf("desk %d: the deletion did not arrive", i)
				}
				if data, err := d.db.Original(ctx, "doc"); err != nil || string(data) != "scan bytes" {
					t.Fatalf("desk %d: the original: %q %v", i, data, err)
				}
				if n, _ := d.db.OpenConflicts(ctx); n == 0 {
					t.Fatalf("desk %d shows no conflict", i)
				}
			}
			// A bundle altered on the server's own disk.
			save(desks[0], "late", "written after")
			rep := sync(desks[0])
			if rep.Pushed != 1 {
				t.Fatalf("push: %+v", rep)
			}
			var bundle string
			filepath.WalkDir(filepath.Join(dir, "desks", desks[0].id.Desk()), func(p string, e os.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".bundle") && p > bundle {
					bundle = p
				}
				return nil
			})
			if bundle == "" {
				t.Fatalf("no bundle of desk 0 under %s", dir)
			}
			data, err := os.ReadFile(bundle)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-30] ^= 0x20
			if err := os.WriteFile(bundle, data, 0o644); err != nil {
				t.Fatal(err)
			}
			rep, err = desks[1].s.Sync(ctx)
			if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "altered") {
				t.Fatalf("the altered bundle: %v %v", rep.Problems, err)
			}
			if _, err := desks[1].db.Get(ctx, "late"); err == nil {
				t.Fatal("the altered bundle was applied")
			}
		})
	}
}

// cutRemote fails every Create after the first left.
type cutRemote struct {
	teamsync.Remote
	left int
}

func (c *cutRemote) Create(ctx context.Context, name string, data []byte) error {
	if c.left <= 0 {
		return fmt.Errorf("network cut before %s", name)
	}
	c.left--
	return c.Remote.Create(ctx, name, data)
}
