package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"
)

// withEnv runs chancery with extra environment variables and returns its combined output
// and error.
func withEnv(env []string, args ...string) (string, error) {
	cmd := chancery(args...)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestBackupVerifyRestoreCLI walks the commands on the example knowledge base: a backup to
// a passphrase, verify (and a wrong passphrase refused in words), restore over the
// knowledge base (moved aside, said where), and the restored one searches and checks as
// before.
func TestBackupVerifyRestoreCLI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	run(t, "--data", dir, "demo")
	before := searchJSON(t, dir, "oil spill")
	file := filepath.Join(t.TempDir(), "kb.tar.gz.age")
	pass := []string{"CHANCERY_PASSPHRASE=river delta 7"}

	out, err := withEnv(append(pass, "CHANCERY_TEST_PROGRESS=1"), "--data", dir, "backup", file)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	for _, want := range []string{"backup 1/4: snapshot taken", "backup 4/4: written to " + file, "backup written: " + file, "encrypted to a passphrase", "document"} {
		if !strings.Contains(out, want) {
			t.Errorf("backup said %q, want %q", out, want)
		}
	}
	out, err = withEnv(pass, "verify", file)
	if err != nil || !strings.Contains(out, "sound:") || !strings.Contains(out, "integrity check") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	out, err = withEnv([]string{"CHANCERY_PASSPHRASE=wrong"}, "verify", file)
	if err == nil || !strings.Contains(out, "the passphrase is wrong") || !strings.Contains(out, file) {
		t.Errorf("verify with a wrong passphrase: %v\n%s", err, out)
	}

	// Something saved after the backup is gone after the restore, and kept aside.
	run(t, "--data", dir, "import", writeNote(t, "after-backup.md", "# Written after the backup\n\nzanzibar"))
	out, err = withEnv(pass, "--data", dir, "restore", file)
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`was moved to (\S+)`).FindStringSubmatch(out)
	if m == nil || !strings.HasPrefix(m[1], dir+".before-restore-") || !strings.Contains(out, "restored into "+dir) {
		t.Fatalf("restore said:\n%s", out)
	}
	if r := searchJSON(t, m[1], "zanzibar"); r.Total != 1 {
		t.Errorf("the knowledge base moved aside lost what it held: %+v", r)
	}
	if r := searchJSON(t, dir, "zanzibar"); r.Total != 0 {
		t.Errorf("the restored knowledge base holds what was saved after the backup: %+v", r)
	}
	if after := searchJSON(t, dir, "oil spill"); after.Total != before.Total || after.Hits[0].ID != before.Hits[0].ID {
		t.Errorf("after restore: %d hits, first %s; before: %d, first %s", after.Total, after.Hits[0].ID, before.Total, before.Hits[0].ID)
	}
	if out := run(t, "--data", dir, "check"); !strings.Contains(out, "database: ok") || !strings.Contains(out, "index: ok") {
		t.Errorf("check after restore: %s", out)
	}
}

func writeNote(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDamagedOffersLatestBackup: under a policy with a recovery key, backups go to the
// recovery key (a passphrase is refused, naming the policy); when the database is later
// damaged, check says so and names the latest backup and the command that restores it,
// which brings the knowledge base back.
func TestDamagedOffersLatestBackup(t *testing.T) {
	tmp := t.TempDir()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(tmp, "recovery.txt")
	if err := os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	backups := filepath.Join(tmp, "backups")
	pol := filepath.Join(tmp, "policy.toml")
	if err := os.WriteFile(pol, []byte("backup_recipients = [\""+id.Recipient().String()+"\"]\nbackup_folder = \""+backups+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "kb")
	args := func(a ...string) []string { return append([]string{"--policy", pol, "--data", dir}, a...) }
	run(t, args("demo")...)

	out, err := withEnv([]string{"CHANCERY_PASSPHRASE=secret"}, args("backup")...)
	if err == nil || !strings.Contains(out, pol+":1") || !strings.Contains(out, "recovery keys") {
		t.Errorf("a passphrase backup under a recovery key policy: %v\n%s", err, out)
	}
	out = run(t, args("backup")...)
	if !strings.Contains(out, "backup written: "+backups) || !strings.Contains(out, "encrypted to 1 age keys") {
		t.Fatalf("backup said:\n%s", out)
	}

	if err := os.WriteFile(filepath.Join(dir, "chancery.db"), []byte(strings.Repeat("disk failure ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "chancery.db-wal"))
	out, err = withEnv(nil, args("check")...)
	if err == nil || !strings.Contains(out, "damaged") || !strings.Contains(out, "The latest backup is "+backups) || !strings.Contains(out, "chancery restore") {
		t.Fatalf("check on a damaged database: %v\n%s", err, out)
	}
	latest := regexp.MustCompile(`The latest backup is (\S+)\.`).FindStringSubmatch(out)[1]
	out = run(t, args("restore", latest, "--identity", keyFile)...)
	if !strings.Contains(out, "was moved to") {
		t.Errorf("restore said:\n%s", out)
	}
	if out := run(t, args("check")...); !strings.Contains(out, "database: ok") || !strings.Contains(out, "index: ok") {
		t.Errorf("check after restore: %s", out)
	}
}
