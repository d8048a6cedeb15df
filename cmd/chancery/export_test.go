package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mode0600 fails the test unless path is readable by its owner only.
func mode0600(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v, want -rw------- (owner only)", filepath.Base(path), st.Mode().Perm())
	}
}

// TestExportsCarryACeiling: every file export takes a ceiling (the lowest marking unless
// told, or the policy's export_ceiling, which it may not exceed), says what it left out by
// ID and number (never by a title above the ceiling), and writes a file only its owner can
// read, also over an existing file.
func TestExportsCarryACeiling(t *testing.T) {
	dir, files := t.TempDir(), t.TempDir()
	vcf := filepath.Join(files, "people.vcf")
	must(t, os.WriteFile(vcf, []byte("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ama Open\r\nUID:ama\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Yaw Zircon\r\nUID:kofi\r\nX-CHANCERY-CLASS:RESTRICTED\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Agent Nightjar\r\nUID:agent\r\nX-CHANCERY-CLASS:SECRET\r\nEND:VCARD\r\n"), 0o600))
	run(t, "--data", dir, "import", vcf)
	run(t, "--data", dir, "demo")

	// An existing world-readable file is replaced by an owner-only one.
	exp := filepath.Join(files, "out.vcf")
	must(t, os.WriteFile(exp, []byte("old"), 0o644))
	must(t, os.Chmod(exp, 0o644))
	out := run(t, "--data", dir, "contacts", "export", exp)
	data, _ := os.ReadFile(exp)
	if strings.Contains(string(data), "Nightjar") || strings.Contains(string(data), "Zircon") || !strings.Contains(string(data), "Ama Open") {
		t.Errorf("the default export (up to UNCLASSIFIED) holds:\n%s", data)
	}
	if !strings.Contains(out, "up to UNCLASSIFIED") || !strings.Contains(out, "left out") || strings.Contains(out, "Nightjar") {
		t.Errorf("contacts export said: %s", out)
	}
	mode0600(t, exp)
	out = run(t, "--data", dir, "contacts", "export", "--ceiling", "SECRET", exp)
	if data, _ := os.ReadFile(exp); !strings.Contains(string(data), "Agent Nightjar") || !strings.Contains(out, "up to SECRET") {
		t.Errorf("export up to SECRET: %s\n%s", out, data)
	}
	mode0600(t, exp)

	// A briefing: the default ceiling is the lowest marking, which the demo briefing
	// (RESTRICTED) is above; a release copy is written owner-only.
	const id = "demo-briefing-orbc-extraordinary-session"
	pack := filepath.Join(files, "pack.md")
	must(t, os.WriteFile(pack, []byte("old"), 0o644))
	must(t, os.Chmod(pack, 0o644))
	b, err := chancery("--data", dir, "briefing", "export", id, "-o", pack).CombinedOutput()
	if err == nil || !strings.Contains(string(b), "above the release ceiling UNCLASSIFIED") || !strings.Contains(string(b), "--ceiling RESTRICTED") {
		t.Errorf("briefing export with the default ceiling: %v\n%s", err, b)
	}
	out = run(t, "--data", dir, "briefing", "export", id, "--ceiling", "RESTRICTED", "-o", pack)
	if !strings.Contains(out, "Section 5 (CONFIDENTIAL)") || strings.Contains(out, "Liability") {
		t.Errorf("briefing export said: %s", out)
	}
	mode0600(t, pack)

	// The policy's export ceiling is the default and the most an export may carry.
	pol := filepath.Join(files, "policy.toml")
	writeFile(t, pol, "export_ceiling = \"RESTRICTED\"\n")
	out = run(t, "--policy", pol, "--data", dir, "contacts", "export", exp)
	if data, _ := os.ReadFile(exp); !strings.Contains(string(data), "Yaw Zircon") || strings.Contains(string(data), "Nightjar") || !strings.Contains(out, "up to RESTRICTED") {
		t.Errorf("export under the policy: %s\n%s", out, data)
	}
	for _, args := range [][]string{
		{"contacts", "export", "--ceiling", "SECRET", exp},
		{"briefing", "export", id, "--ceiling", "CONFIDENTIAL", "-o", pack},
	} {
		b, err := chancery(append([]string{"--policy", pol, "--data", dir}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(b), "export_ceiling") || !strings.Contains(string(b), pol) {
			t.Errorf("%v above the policy's export ceiling: %v\n%s", args, err, b)
		}
	}
}
