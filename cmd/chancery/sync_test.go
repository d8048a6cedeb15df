package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
