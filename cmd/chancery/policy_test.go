package main

import (
	"os"
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
	writeFile(t, pol, "data_folder = \""+kb+"\"\nmax_class = \"RESTRICTED\"\nseed_folder = \"/nonexistent/seed\"\n")
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
