package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// TestSyncCommands: two desks share through a folder remote set up by a policy; a note
// saved on one is found on the other; status says so; a team member missing from the
// policy is reported as foreign.
func TestSyncCommands(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	keyA := strings.TrimSpace(run(t, "--data", a, "sync", "key"))
	keyB := strings.TrimSpace(run(t, "--data", b, "sync", "key"))
	if !strings.HasPrefix(keyA, "chancery-desk ") || keyA == keyB {
		t.Fatalf("sync key printed %q and %q", keyA, keyB)
	}
	if st, err := os.Stat(filepath.Join(a, "teamsync.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the desk's key file: %v %v", st, err)
	}
	recipient := func(line string) string { f := strings.Fields(line); return f[len(f)-1] }
	writePolicy := func(name string, team ...string) string {
		p := filepath.Join(root, name)
		text := "[sync]\nremote = \"dir\"\npath = \"" + filepath.Join(root, "remote") + "\"\nceiling = \"RESTRICTED\"\n" +
			"recipients = [\"" + recipient(keyA) + "\", \"" + recipient(keyB) + "\"]\nteam = [\"" + strings.Join(team, "\", \"") + "\"]\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pol := writePolicy("policy.toml", keyA, keyB)
	notePath := filepath.Join(root, "call.md")
	os.WriteFile(notePath, []byte("# Call with Lomé\n\nThe Ossera water intake is closed.\n"), 0o644)
	run(t, "--policy", pol, "--data", a, "import", notePath)
	out := run(t, "--policy", pol, "--data", a, "sync", "--once")
	if !strings.Contains(out, "pushed 1 bundle(s)") {
		t.Fatalf("sync on A:\n%s", out)
	}
	out = run(t, "--policy", pol, "--data", b, "sync", "--once")
	if !strings.Contains(out, "applied 1 bundle(s): 1 added") || !strings.Contains(out, `added: `) {
		t.Fatalf("sync on B:\n%s", out)
	}
	if r := searchJSON(t, b, "Ossera intake"); r.Total != 1 {
		t.Fatalf("the note is not found on B: %+v", r)
	}
	out = run(t, "--policy", pol, "--data", b, "sync", "status")
	for _, want := range []string{"remote: dir:", "(ceiling RESTRICTED)", "waiting changes: 0", "applied up to bundle 1", "last sync: 20"} {
		if !strings.Contains(out, want) {
			t.Fatalf("status lacks %q:\n%s", want, out)
		}
	}
	// Both desks change the note before they sync: a conflict on each, resolved on B.
	edit := func(dir, body string) {
		db, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ids, _ := db.LiveIDs(context.Background())
		for id := range ids {
			it, _ := db.Get(context.Background(), id)
			it.Body = body
			if _, err := db.Save(context.Background(), it); err != nil {
				t.Fatal(err)
			}
		}
	}
	edit(a, "Desk A: the intake reopens at noon.")
	edit(b, "Desk B: the intake stays closed.")
	run(t, "--policy", pol, "--data", a, "sync", "--once")
	out = run(t, "--policy", pol, "--data", b, "sync", "--once")
	if !strings.Contains(out, "1 conflicts") {
		t.Fatalf("sync on B:\n%s", out)
	}
	run(t, "--policy", pol, "--data", a, "sync", "--once")
	for _, d := range []string{a, b} {
		if st := run(t, "--policy", pol, "--data", d, "sync", "status"); !strings.Contains(st, "open conflicts: 1") {
			t.Fatalf("status:\n%s", st)
		}
	}
	out = run(t, "--policy", pol, "--data", b, "conflicts")
	if !strings.Contains(out, "\topen\t") || !strings.Contains(out, "1 conflict(s)") || !strings.Contains(out, "Body") {
		t.Fatalf("conflicts:\n%s", out)
	}
	num := strings.Fields(out)[0]
	out = run(t, "--policy", pol, "--data", b, "conflicts", "resolve", num, "--keep", "other")
	if !strings.Contains(out, "resolved: the other version kept") {
		t.Fatalf("resolve:\n%s", out)
	}
	run(t, "--policy", pol, "--data", b, "sync", "--once")
	run(t, "--policy", pol, "--data", a, "sync", "--once")
	for _, d := range []string{a, b} {
		if st := run(t, "--policy", pol, "--data", d, "sync", "status"); !strings.Contains(st, "open conflicts: 0") {
			t.Fatalf("status after the resolution:\n%s", st)
		}
	}
	ra, rb := searchJSON(t, a, "intake"), searchJSON(t, b, "intake")
	if ra.Total != 1 || rb.Total != 1 || ra.Hits[0].Snippets[0] != rb.Hits[0].Snippets[0] {
		t.Fatalf("the desks differ after the resolution: %+v %+v", ra, rb)
	}
	// A policy without desk A in the team: A's bundles are foreign on a new desk C.
	c := filepath.Join(root, "c")
	keyC := strings.TrimSpace(run(t, "--data", c, "sync", "key"))
	polC := writePolicy("policy-c.toml", keyB, keyC)
	o, err := chancery("--policy", polC, "--data", c, "sync", "--once").CombinedOutput()
	if err == nil || !strings.Contains(string(o), "signed by a key not in the team") {
		t.Fatalf("a foreign desk was not reported: %v\n%s", err, o)
	}
	if r := searchJSON(t, c, "Ossera intake"); r.Total != 0 {
		t.Fatal("the foreign desk's note was applied")
	}
	// No [sync] section: said in words.
	if o, err := chancery("--data", c, "sync", "--once").CombinedOutput(); err == nil || !strings.Contains(string(o), "team sync is not set up") {
		t.Fatalf("no policy: %v\n%s", err, o)
	}
}
