package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// TestPackCommands exports packs from the example knowledge base by tag, briefing and
// search, to a passphrase, a key and a contact's key, and imports them into another data
// folder: under a lower ceiling, with a wrong passphrase, and again.
func TestPackCommands(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	run(t, "--data", a, "demo")
	passFile := filepath.Join(tmp, "pass.txt")
	writeFile(t, passFile, "two rivers meet\n")
	wrongFile := filepath.Join(tmp, "wrong.txt")
	writeFile(t, wrongFile, "one river\n")
	id, _ := age.GenerateX25519Identity()
	keyFile := filepath.Join(tmp, "key.txt")
	writeFile(t, keyFile, id.String()+"\n")

	tagPack := filepath.Join(tmp, "tag.pack")
	out := run(t, "--data", a, "pack", "export", "--tag", "oil-spill", "--passphrase-file", passFile, "--ceiling", "SECRET", "--out", tagPack)
	if !strings.Contains(out, "up to SECRET into "+tagPack) {
		t.Fatalf("export said: %s", out)
	}
	mode0600(t, tagPack)

	// A contact's key, kept with the card; a bad one refused.
	contact := searchJSON(t, a, "kind:contact").Hits[0].ID
	if b, err := chancery("--data", a, "pack", "key", contact, "age1nonsense").CombinedOutput(); err == nil || !strings.Contains(string(b), "age key") {
		t.Fatalf("bad key: %v %s", err, b)
	}
	run(t, "--data", a, "pack", "key", contact, id.Recipient().String())
	if got := run(t, "--data", a, "pack", "key", contact); strings.TrimSpace(got) != id.Recipient().String() {
		t.Fatalf("pack key shows %q", got)
	}
	briefing := searchJSON(t, a, "kind:briefing").Hits[0].ID
	briefPack := filepath.Join(tmp, "brief.pack")
	out = run(t, "--data", a, "pack", "export", "--briefing", briefing, "--to", contact, "--ceiling", "RESTRICTED", "--out", briefPack)
	if !strings.Contains(out, "packed") || !strings.Contains(out, "withheld (marked above RESTRICTED)") {
		t.Fatalf("briefing export said: %s", out)
	}
	queryPack := filepath.Join(tmp, "query.pack")
	out = run(t, "--data", a, "pack", "export", "--query", "ossera kind:note", "--to", id.Recipient().String(), "--out", queryPack)
	if !strings.Contains(out, "up to UNCLASSIFIED") {
		t.Fatalf("query export said: %s", out)
	}

	// The standard age tool opens a pack.
	if agePath, err := exec.LookPath("age"); err != nil {
		t.Log("no age tool on this machine (.ci/deps.sh installs it): not checked")
	} else if o, err := exec.Command(agePath, "-d", "-i", keyFile, queryPack).Output(); err != nil ||
		!strings.HasPrefix(string(o), `{"type":"header","format":"chancery-pack","version":1,`) {
		t.Fatalf("age -d: %v %.200s", err, o)
	}

	// Refused in words, nothing written: wrong passphrase, then items above the ceiling.
	if out, err := chancery("--data", b, "pack", "import", tagPack, "--passphrase-file", wrongFile).CombinedOutput(); err == nil || !strings.Contains(string(out), "passphrase is wrong") {
		t.Fatalf("wrong passphrase: %v %s", err, out)
	}
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "max_class = \"RESTRICTED\"\n")
	if out, err := chancery("--policy", pol, "--data", b, "pack", "import", tagPack, "--passphrase-file", passFile).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "above the highest marking allowed here (RESTRICTED)") || !strings.Contains(string(out), "nothing was imported") {
		t.Fatalf("above the ceiling: %v %s", err, out)
	}
	if out := run(t, "--data", b, "check"); !strings.Contains(out, "(0 items") {
		t.Fatalf("something was imported: %s", out)
	}
	cmd := chancery("--policy", pol, "--data", b, "pack", "import", tagPack, "--passphrase-file", passFile, "--skip-above-ceiling")
	cmd.Env = append(cmd.Env, "CHANCERY_TEST_PROGRESS=1")
	o, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(o), "refused (marked above RESTRICTED): ") || !strings.Contains(string(o), "committed ") {
		t.Fatalf("skip above the ceiling: %v %s", err, o)
	}
	out = run(t, "--data", b, "pack", "import", briefPack, "--identity", keyFile)
	if !strings.Contains(out, " unchanged") || strings.Contains(out, "kept as conflict: ") {
		t.Fatalf("briefing import said: %s", out)
	}
	out = run(t, "--data", b, "pack", "import", queryPack, "--identity", keyFile)
	if !strings.Contains(out, "0 kept as conflict") {
		t.Fatalf("query import said: %s", out)
	}
	if out := run(t, "--data", b, "check"); !strings.Contains(out, "database: ok") || !strings.Contains(out, "index: ok") {
		t.Fatalf("check: %s", out)
	}
	if r := searchJSON(t, b, "ossera"); r.Total == 0 {
		t.Fatal("the imported items are not found")
	}
	if _, err := os.Stat(tagPack); err != nil {
		t.Fatal(err)
	}
}
