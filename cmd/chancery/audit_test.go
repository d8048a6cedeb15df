package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"chancery/store"
)

// TestAuditCommand: exports, imports and policy changes made through the command line are
// listed by `chancery audit`; `audit --verify` proves the chain, then names a row changed
// with a SQLite tool and exits 1.
func TestAuditCommand(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "kb")
	run(t, "--data", dir, "demo")
	brief := strings.Fields(run(t, "--data", dir, "briefing", "list"))[0]
	pdf := filepath.Join(tmp, "pack.md")
	run(t, "--data", dir, "briefing", "export", brief, "--ceiling", "RESTRICTED", "-o", pdf)
	vcf := filepath.Join(tmp, "all.vcf")
	run(t, "--data", dir, "contacts", "export", vcf, "--country", "NGA")
	note := filepath.Join(tmp, "note.md")
	writeFile(t, note, "# Depot inspection\n")
	run(t, "--data", dir, "import", "--class", "RESTRICTED", note)
	pol := filepath.Join(tmp, "policy.toml")
	writeFile(t, pol, "max_class = \"SECRET\"\nexport_ceiling = \"RESTRICTED\"\n")
	run(t, "--data", dir, "--policy", pol, "check")
	run(t, "--data", dir, "--policy", pol, "check") // the same policy again: nothing new

	out := run(t, "--data", dir, "--policy", pol, "audit")
	for _, want := range []string{
		"\tceiling\toptions\t-\twas: (none recorded); now: scheme UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET; highest marking allowed any",
		"\texport\t" + brief + "\tRESTRICTED\tbriefing ",
		"as md to " + pdf + ", release copy up to RESTRICTED",
		"\texport\tcontacts\tUNCLASSIFIED\t",
		"(tag \"\", country \"NGA\") to " + vcf,
		"\timport\t" + note + "\tRESTRICTED\t1 items saved, 0 files failed",
		"\tpolicy\tadministrator's policy\t-\twas: no administrator's policy; now: Administrator's policy " + pol + ": nothing above SECRET; exports up to RESTRICTED.",
		"highest marking allowed SECRET",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit does not list %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\tpolicy\t"); n != 2 {
		t.Errorf("%d policy rows, want 2 (none, then the file):\n%s", n, out)
	}
	if out := run(t, "--data", dir, "audit", "--action", "export"); !strings.HasSuffix(out, "2 audit rows\n") {
		t.Errorf("audit --action export:\n%s", out)
	}
	if out := run(t, "--data", dir, "audit", "--verify"); !strings.Contains(out, "audit trail: ok (") || !strings.Contains(out, "the chain unbroken up to row") {
		t.Errorf("audit --verify:\n%s", out)
	}

	// A SQLite tool rewrites the contacts export's row.
	var seq int64
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	err = raw.QueryRow("SELECT seq FROM audit WHERE subject = 'contacts'").Scan(&seq)
	if err == nil {
		_, err = raw.Exec("DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing' WHERE subject = 'contacts'")
	}
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := chancery("--data", dir, "audit", "--verify").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("audit --verify on a changed row: %v, want exit status 1", err)
	}
	want := "audit trail: row " + strconv.FormatInt(seq, 10) + " (export of contacts, "
	if !strings.Contains(string(b), want) || !strings.Contains(string(b), "was changed after it was written") || !strings.Contains(string(b), "the audit trail is broken: 1 problem found") {
		t.Errorf("audit --verify does not name row %d:\n%s", seq, b)
	}

	// An export that cannot be recorded is not kept.
	head := filepath.Join(dir, store.AuditHeadName)
	if err := os.Remove(head); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(head, "in-the-way"), 0o700); err != nil {
		t.Fatal(err)
	}
	vcf2 := filepath.Join(tmp, "again.vcf")
	b, err = chancery("--data", dir, "contacts", "export", vcf2).CombinedOutput()
	if err == nil || !strings.Contains(string(b), "audit trail") || !strings.Contains(string(b), vcf2+" was removed") {
		t.Errorf("an unrecorded export: %v\n%s", err, b)
	}
	if _, err := os.Stat(vcf2); !os.IsNotExist(err) {
		t.Errorf("the unrecorded export is still there: %v", err)
	}
}

// TestAuditRecordsBackupRestoreAndPacks: a backup is recorded in the knowledge base backed
// up, a restore in the restored one (whose trail, carried by the backup, still verifies),
// and a pack's export and import in each knowledge base.
func TestAuditRecordsBackupRestoreAndPacks(t *testing.T) {
	tmp := t.TempDir()
	src, dst, other := filepath.Join(tmp, "src"), filepath.Join(tmp, "dst"), filepath.Join(tmp, "other")
	run(t, "--data", src, "demo")
	file := filepath.Join(tmp, "b.tar.gz.age")
	pass := filepath.Join(tmp, "pass.txt")
	writeFile(t, pass, "a passphrase for the audit test\n")
	run(t, "--data", src, "backup", file, "--passphrase-file", pass)
	run(t, "--data", dst, "restore", file, "--passphrase-file", pass)
	if out := run(t, "--data", src, "audit", "--action", "backup"); !strings.Contains(out, "\tbackup\t"+file+"\t-\t") || !strings.Contains(out, "encrypted to a passphrase") {
		t.Errorf("the backup is not recorded:\n%s", out)
	}
	out := run(t, "--data", dst, "audit")
	if !strings.Contains(out, "\trestore\t"+file+"\t") || !strings.Contains(out, "\tceiling\toptions\t") {
		t.Errorf("the restore is not recorded, or the trail not carried:\n%s", out)
	}
	if out := run(t, "--data", dst, "audit", "--verify"); !strings.Contains(out, "audit trail: ok (") {
		t.Errorf("the restored trail:\n%s", out)
	}
	p := filepath.Join(tmp, "oil.pack")
	run(t, "--data", src, "pack", "export", "--tag", "oil-spill", "--passphrase-file", pass, "--out", p)
	run(t, "--data", other, "pack", "import", p, "--passphrase-file", pass)
	if out := run(t, "--data", src, "audit", "--action", "pack-export"); !strings.Contains(out, "\tpack-export\t"+p+"\tUNCLASSIFIED\tpack of tag: oil-spill to "+p) {
		t.Errorf("the pack export is not recorded:\n%s", out)
	}
	if out := run(t, "--data", other, "audit", "--action", "pack-import"); !strings.Contains(out, "\tpack-import\t"+p+"\t-\t") || !strings.Contains(out, " added, 0 updated") {
		t.Errorf("the pack import is not recorded:\n%s", out)
	}
	for _, d := range []string{src, other} {
		if out := run(t, "--data", d, "audit", "--verify"); !strings.Contains(out, "audit trail: ok (") {
			t.Errorf("%s: %s", d, out)
		}
	}
}
