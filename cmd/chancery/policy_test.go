package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPolicy runs the binary under an administrator's policy: it fixes the data folder,
// imports the seed folder once (refusing what is above the ceiling), refuses saves above
// the ceiling, and refuses another data folder.
func TestPolicy(t *testing.T) {
	tmp := t.TempDir()
	kb := filepath.Join(tmp, "kb")
	seed := filepath.Join(tmp, "seed")
	writeFile(t, filepath.Join(seed, "river.md"), "---\nclass: RESTRICTED\ntags: [seed]\n---\n# Ossera river basin\n")
	writeFile(t, filepath.Join(seed, "contacts.md"), "# Counterparts\n")
	writeFile(t, filepath.Join(seed, "cable.md"), "---\nclass: SECRET\n---\n# Cable 17\n")
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "data_folder = \""+kb+"\"\nmax_class = \"RESTRICTED\"\nseed_folder = \""+seed+"\"\n")

	out := run(t, "--policy", pol, "check")
	for _, want := range []string{"importing the administrator's seed folder", "seed: not imported: " + filepath.Join(seed, "cable.md"),
		"highest marking allowed here is RESTRICTED", "seed: imported 2 items, 1 failed", "policy: Administrator's policy " + pol,
		"database: ok (2 items"} {
		if !strings.Contains(out, want) {
			t.Errorf("first start lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(kb, "chancery.db")); err != nil {
		t.Errorf("the knowledge base is not in the policy's folder: %v", err)
	}
	// Once only: the seed is not imported again (nor the trashed or edited items restored).
	out = run(t, "--policy", pol, "check")
	if strings.Contains(out, "seed") && strings.Contains(out, "importing") || !strings.Contains(out, "database: ok (2 items") {
		t.Errorf("second start:\n%s", out)
	}
	// The environment variable works like the flag.
	cmd := chancery("search", "ossera")
	cmd.Env = append(cmd.Env, "CHANCERY_POLICY="+pol)
	if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "Ossera river basin") {
		t.Errorf("search under $CHANCERY_POLICY: %v\n%s", err, b)
	}

	// Importing above the ceiling is refused, naming the file.
	secret := filepath.Join(tmp, "more", "secret.md")
	writeFile(t, secret, "---\nclass: secret\n---\n# Another cable\n")
	out = run(t, "--policy", pol, "import", secret)
	if !strings.Contains(out, "not imported: "+secret) || !strings.Contains(out, "is marked SECRET") || !strings.Contains(out, "imported 0 items, 1 failed") {
		t.Errorf("import above the ceiling:\n%s", out)
	}

	// An item saved above the ceiling before the policy is a problem for check.
	writeFile(t, filepath.Join(tmp, "free.toml"), "max_class = \"SECRET\"\ndata_folder = \""+kb+"\"\n")
	run(t, "--policy", filepath.Join(tmp, "free.toml"), "import", secret)
	b, err := chancery("--policy", pol, "check").CombinedOutput()
	if err == nil || !strings.Contains(string(b), "database: marked above RESTRICTED, the highest marking the policy allows: ") ||
		!strings.Contains(string(b), "(SECRET) Another cable") {
		t.Errorf("check with an item above the ceiling: %v\n%s", err, b)
	}

	// Another data folder is refused.
	b, err = chancery("--policy", pol, "--data", filepath.Join(tmp, "elsewhere"), "check").CombinedOutput()
	if err == nil || !strings.Contains(string(b), pol+":1") || !strings.Contains(string(b), "keeps the knowledge base in "+kb) {
		t.Errorf("--data elsewhere: %v\n%s", err, b)
	}
	if _, err := os.Stat(filepath.Join(tmp, "elsewhere")); !os.IsNotExist(err) {
		t.Errorf("the refused folder was created: %v", err)
	}
}

// TestMalformedPolicyStopsEverything: a malformed policy is reported with its file and line,
// the command fails, and nothing is created or changed.
func TestMalformedPolicyStopsEverything(t *testing.T) {
	tmp := t.TempDir()
	pol := filepath.Join(tmp, "policy.toml")
	kb := filepath.Join(tmp, "kb")
	notAFolder := filepath.Join(tmp, "seed.txt")
	writeFile(t, notAFolder, "a file, not a folder")
	writeFile(t, pol, "data_folder = \""+kb+"\"\nmax_class = \"RESTRICTED\"\nseed_folder = \""+notAFolder+"\"\n")
	for _, args := range [][]string{{"check"}, {"demo"}, {"search", "x"}} {
		b, err := chancery(append([]string{"--policy", pol}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(b), "administrator's policy "+pol+":3: seed_folder") {
			t.Errorf("%v: %v\n%s", args, err, b)
		}
	}
	writeFile(t, pol, "max_class = \"RESTRICTED\"\nclasses = [\"PUBLIC\", \"INTERNAL\"\n")
	b, err := chancery("--policy", pol, "--data", kb, "check").CombinedOutput()
	if err == nil || !strings.Contains(string(b), pol+":") {
		t.Errorf("syntax error: %v\n%s", err, b)
	}
	if _, err := os.Stat(kb); !os.IsNotExist(err) {
		t.Errorf("the data folder was created under a malformed policy: %v", err)
	}
}

// TestPolicyRemembered: the knowledge base records the policy it was opened under; opened
// later without it (the system file hidden by a bind mount in a user namespace, say), or
// under another, the command still runs and warns, naming the policy expected.
func TestPolicyRemembered(t *testing.T) {
	tmp := t.TempDir()
	kb := filepath.Join(tmp, "kb")
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "data_folder = \""+kb+"\"\nmax_class = \"RESTRICTED\"\n")
	if out := run(t, "--policy", pol, "check"); strings.Contains(out, "warning: this knowledge base") {
		t.Errorf("first start under the policy warns:\n%s", out)
	}
	if out := run(t, "--policy", pol, "check"); strings.Contains(out, "warning: this knowledge base") {
		t.Errorf("second start under the same policy warns:\n%s", out)
	}
	for i := range 2 {
		out := run(t, "--data", kb, "check")
		if !strings.Contains(out, "warning: this knowledge base was opened under the administrator's policy "+pol) || !strings.Contains(out, "now opened without it") {
			t.Errorf("start %d without the policy:\n%s", i, out)
		}
	}
	other := filepath.Join(tmp, "other.toml")
	writeFile(t, other, "data_folder = \""+kb+"\"\nmax_class = \"SECRET\"\n")
	if out := run(t, "--policy", other, "check"); !strings.Contains(out, "warning: this knowledge base was last opened under the administrator's policy "+pol) ||
		!strings.Contains(out, "now opened under "+other) {
		t.Errorf("start under another policy:\n%s", out)
	}
}

// TestSeedFolderUnreachable: a seed folder that cannot be reached (a share offline) is a
// warning naming it, never a refusal to start; before its first import the import is tried
// again at the next start, after it the folder is not needed.
func TestSeedFolderUnreachable(t *testing.T) {
	tmp := t.TempDir()
	kb := filepath.Join(tmp, "kb")
	seed := filepath.Join(tmp, "share", "seed")
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "data_folder = \""+kb+"\"\nseed_folder = \""+seed+"\"\n")

	out := run(t, "--policy", pol, "check")
	if !strings.Contains(out, "warning: the administrator's seed folder "+seed) || !strings.Contains(out, "imported at a later start") ||
		!strings.Contains(out, "database: ok (0 items") {
		t.Errorf("first start with the seed folder offline:\n%s", out)
	}
	writeFile(t, filepath.Join(seed, "river.md"), "# Ossera river basin\n")
	out = run(t, "--policy", pol, "check")
	if !strings.Contains(out, "seed: imported 1 items") || !strings.Contains(out, "database: ok (1 items") {
		t.Errorf("start with the seed folder back:\n%s", out)
	}
	if err := os.RemoveAll(filepath.Join(tmp, "share")); err != nil {
		t.Fatal(err)
	}
	out = run(t, "--policy", pol, "search", "ossera")
	if !strings.Contains(out, "Ossera river basin") {
		t.Errorf("start with the seed folder offline after its import:\n%s", out)
	}
}

// TestBindMountEscapeReported does what an ordinary user does to escape the policy,
// `unshare -rm` and a bind mount of a file of their own over the policy, and checks that
// Chancery says so: the private user namespace, and the knowledge base opened under a
// policy other than the one it records. (The policy here is given with --policy, so that the
// test needs no /etc/chancery; the system file is hidden the same way.) Skipped where
// unshare cannot make a user namespace.
func TestBindMountEscapeReported(t *testing.T) {
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("unshare -rm is not usable here: %v", err)
	}
	tmp := t.TempDir()
	kb := filepath.Join(tmp, "kb")
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "data_folder = \""+kb+"\"\nmax_class = \"RESTRICTED\"\n")
	mine := filepath.Join(tmp, "mine.toml")
	writeFile(t, mine, "data_folder = \""+kb+"\"\n")
	run(t, "--policy", pol, "check")

	cmd := exec.Command("unshare", "-rm", "sh", "-c", `mount --bind "$1" "$2" && exec "$3" --policy "$2" check`, "sh", mine, pol, os.Args[0])
	cmd.Env = append(os.Environ(), "CHANCERY_TEST_RUN_MAIN=1")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err != nil {
		t.Fatalf("under unshare: %v\n%s", err, out)
	}
	t.Logf("under unshare -rm with the policy bind-mounted over:\n%s", out)
	if !strings.Contains(out, "warning: Chancery is running in a private user namespace") {
		t.Errorf("the user namespace is not reported:\n%s", out)
	}
	if !strings.Contains(out, "warning: this knowledge base was last opened under the administrator's policy "+pol) || !strings.Contains(out, "which differs") {
		t.Errorf("the replaced policy is not reported:\n%s", out)
	}
	// Back outside, under the real policy: reported once more (the change is remembered).
	if out := run(t, "--policy", pol, "check"); !strings.Contains(out, "which differs") {
		t.Errorf("back under the real policy:\n%s", out)
	}
}
