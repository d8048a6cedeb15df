package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

const demoIncident = "demo-incident-kassiba-spill"

// TestIncidentCLI walks the incident commands on the example knowledge base: list, show by
// a word of the name, a timeline entry, two calls (one "receipt confirmed"), draft, issue
// and export the next situation report; and each bad input is refused, naming the item,
// with nothing stored changed.
func TestIncidentCLI(t *testing.T) {
	dir := t.TempDir()
	run(t, "--data", dir, "demo")
	out := run(t, "--data", dir, "incident", "list")
	if !strings.Contains(out, demoIncident+"\tRESTRICTED\tactive\t2026-11-08 06:15 UTC\tKassiba spill") || !strings.Contains(out, "GHA → TGO → BEN → NER → NGA") || !strings.Contains(out, "1 incident") {
		t.Fatalf("incident list: %s", out)
	}
	before := run(t, "--data", dir, "incident", "show", "ossera") // a word of the name
	for _, want := range []string{"Kassiba spill: diesel in the Ossera", "affected:          Ghana → Togo → Benin → Niger → Nigeria",
		"Call sheet: 9 rows — Personal contact data — not for public release", "  SITREP 2  issued 2026-11-10 08:25 UTC", "Positions: 5"} {
		if !strings.Contains(before, want) {
			t.Errorf("incident show lacks %q:\n%s", want, before)
		}
	}
	if out := run(t, "--data", dir, "incident", "show", "KASSIBA"); out != before && !strings.Contains(out, "Kassiba spill") {
		t.Errorf("show by name prefix: %s", out)
	}

	out = run(t, "--data", dir, "incident", "timeline", "add", "kassiba", "--type", "observation", "--significant", "--at", "2026-11-11T09:30:00Z", "Sheen", "at the Togo border gauge")
	if !strings.Contains(out, "2026-11-11 09:30 UTC observation, significant (UNCLASSIFIED): Sheen at the Togo border gauge") {
		t.Errorf("timeline add: %s", out)
	}
	out = run(t, "--data", dir, "incident", "call", "kassiba", "6", "--status", "receipt confirmed", "Duty officer confirms receipt.")
	if !strings.Contains(out, "Mme Laure Dossou-Yovo (BEN): receipt confirmed. Duty officer confirms receipt.") || !strings.Contains(out, "now reads: receipt confirmed; last contact") {
		t.Errorf("call 1: %s", out)
	}
	out = run(t, "--data", dir, "incident", "call", demoIncident, "garba", "--status", "no answer")
	if !strings.Contains(out, "M. Ibrahim Moussa Garba (NER): no answer.") {
		t.Errorf("call 2 (by name): %s", out)
	}
	out = run(t, "--data", dir, "incident", "sitrep", "draft", "kassiba")
	if !strings.Contains(out, "drafted SITREP 3 of") || !strings.Contains(out, "Sheen at the Togo border gauge") || !strings.Contains(out, "receipt confirmed. Duty officer confirms receipt.") {
		t.Errorf("draft: %s", out)
	}
	out = run(t, "--data", dir, "incident", "sitrep", "issue", "kassiba", "3")
	if !strings.Contains(out, "issued SITREP 3 of") || !strings.Contains(out, "sha256 ") {
		t.Errorf("issue: %s", out)
	}
	files := t.TempDir()
	for _, f := range []string{"pdf", "docx", "html", "md"} {
		file := filepath.Join(files, "sitrep3."+f)
		out := run(t, "--data", dir, "incident", "sitrep", "export", "kassiba", "3", "--format", f, "--out", file)
		if !strings.Contains(out, `exported "SITREP 3 — incident name withheld (RESTRICTED)" (issued, UNCLASSIFIED; release copy up to UNCLASSIFIED`) || !strings.Contains(out, "withheld: ") {
			t.Errorf("export %s: %s", f, out)
		}
		if st, err := os.Stat(file); err != nil || st.Size() < 500 || st.Mode().Perm() != 0o600 {
			t.Errorf("export %s: %v", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(files, "sitrep3.md"))
	if !strings.HasPrefix(string(md), "**UNCLASSIFIED**") || strings.Contains(string(md), "Kassiba spill: diesel") || strings.Contains(string(md), "ORBC emergency coordination call") || !strings.Contains(string(md), "Sheen at the Togo border gauge") {
		t.Errorf("release copy at UNCLASSIFIED:\n%.800s", md)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", filepath.Join(files, "sitrep3.pdf"), "-").Output()
		if err != nil || !strings.Contains(string(txt), "SITREP 3") || strings.Count(string(txt), "UNCLASSIFIED") < 4 || strings.Contains(string(txt), "ORBC emergency coordination call") {
			t.Errorf("exported PDF: %v\n%.400s", err, txt)
		}
	}
	full := filepath.Join(files, "full.md")
	out = run(t, "--data", dir, "incident", "sitrep", "export", "kassiba", "3", "--ceiling", "restricted", "-o", full)
	if md, _ := os.ReadFile(full); !strings.Contains(out, "0 parts withheld") || !strings.Contains(string(md), "SITREP 3 — Kassiba spill: diesel in the Ossera") || !strings.Contains(string(md), "ORBC emergency coordination call") {
		t.Errorf("export at RESTRICTED: %s\n%.400s", out, md)
	}
	// Every export of a report is in the audit trail, with the file and the ceiling.
	if trail := run(t, "--data", dir, "audit", "--action", "export"); !strings.Contains(trail, "situation report") || !strings.Contains(trail, full) || !strings.Contains(trail, "release copy up to RESTRICTED") {
		t.Errorf("the audit trail does not hold the report's export to %s:\n%s", full, trail)
	}

	// Bad input: refused, naming the item; nothing stored changes.
	pol := filepath.Join(t.TempDir(), "policy.toml")
	writeFile(t, pol, "export_ceiling = \"UNCLASSIFIED\"\n")
	db, err := store.Open(context.Background(), dir)
	must(t, err)
	must(t, db.Delete(context.Background(), "demo-contact-babatunde-adeyemi-cole"))
	db.Close()
	after := show(t, dir)
	kept := filepath.Join(files, "kept.md")
	writeFile(t, kept, "kept")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"incident", "show", "zambezi"}, `no incident "zambezi"`},
		{[]string{"incident", "timeline", "add", "zambezi", "text"}, `no incident "zambezi"`},
		{[]string{"incident", "show", "demo-contact-babatunde-adeyemi-cole"}, "is a contact, not an incident"},
		{[]string{"incident", "call", "kassiba", "9", "--status", "reached", "Called anyway"}, `contact demo-contact-babatunde-adeyemi-cole ("Mr Babatunde Adeyemi-Cole") is in the trash`},
		{[]string{"incident", "call", "kassiba", "99", "--status", "reached", "x"}, "has rows 1 to 9, no row 99"},
		{[]string{"incident", "call", "kassiba", "1", "--status", "maybe", "x"}, `not "maybe"`},
		{[]string{"incident", "timeline", "add", "kassiba", "--type", "rumour", "x"}, `has type "rumour"`},
		{[]string{"incident", "timeline", "add", "kassiba", "--at", "yesterday", "x"}, `--at "yesterday" is not a time`},
		{[]string{"incident", "sitrep", "issue", "kassiba", "3"}, `SITREP 3 of "Kassiba spill: diesel in the Ossera (November 2026)" was issued already`},
		{[]string{"incident", "sitrep", "issue", "kassiba", "2"}, "SITREP 2 of"},
		{[]string{"incident", "sitrep", "issue", "kassiba", "9"}, "has no SITREP 9 (it has 1 to 3"},
		{[]string{"--policy", pol, "incident", "sitrep", "export", "kassiba", "3", "--ceiling", "RESTRICTED", "-o", kept}, `SITREP 3 of "Kassiba spill: diesel in the Ossera (November 2026)" cannot be exported: the administrator's policy`},
		{[]string{"incident", "sitrep", "export", "kassiba", "3", "--ceiling", "TOP SECRET", "-o", kept}, `release ceiling "TOP SECRET" is not a marking`},
		{[]string{"incident", "sitrep", "export", "kassiba", "3", "-o", filepath.Join(files, "s.odt")}, "--format (pdf, docx, html, md)"},
	} {
		out, err := chancery(append([]string{"--data", dir}, c.args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("%v: %v %s; want %q", c.args, err, out, c.want)
		}
	}
	if now := show(t, dir); stripLocal(now) != stripLocal(after) {
		t.Errorf("bad input changed the incident:\nbefore:\n%s\nafter:\n%s", after, now)
	}
	if b, _ := os.ReadFile(kept); string(b) != "kept" {
		t.Errorf("a refused export overwrote the file: %.100s", b)
	}
	if before == after {
		t.Errorf("the walk changed nothing")
	}
}

// show is what "incident show" prints on stdout (warnings go to stderr).
func show(t *testing.T, dir string) string {
	t.Helper()
	out, err := chancery("--data", dir, "incident", "show", "kassiba").Output()
	if err != nil {
		t.Fatalf("incident show: %v", err)
	}
	return string(out)
}

// stripLocal drops the counterparts' local times (the clock moves between two shows).
func stripLocal(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "(local "); i >= 0 {
			l = l[:i]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestIncidentCommandsHaveHelp(t *testing.T) {
	for _, c := range [][]string{{"incident"}, {"incident", "list"}, {"incident", "show"}, {"incident", "timeline", "add"}, {"incident", "call"},
		{"incident", "sitrep", "draft"}, {"incident", "sitrep", "issue"}, {"incident", "sitrep", "export"}} {
		out := run(t, append(c, "--help")...)
		if !strings.Contains(out, "Usage:") || !strings.Contains(out, "--data") {
			t.Errorf("%v --help: %s", c, out)
		}
	}
}
