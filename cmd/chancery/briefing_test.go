package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestBriefingCLI(t *testing.T) {
	dir := t.TempDir()
	run(t, "--data", dir, "demo")
	const id = "demo-briefing-orbc-extraordinary-session"
	if out := run(t, "--data", dir, "briefing", "list"); !strings.Contains(out, id) || !strings.Contains(out, "1 briefing") {
		t.Errorf("briefing list: %s", out)
	}
	outDir := t.TempDir()
	for _, f := range []string{"pdf", "docx", "html", "md"} {
		file := filepath.Join(outDir, "pack."+f)
		out := run(t, "--data", dir, "briefing", "export", id, "--format", f, "--ceiling", "secret", "-o", file)
		if !strings.Contains(out, "CONFIDENTIAL; release copy up to SECRET, 0 sections withheld") {
			t.Errorf("export %s said: %s", f, out)
		}
		if st, err := os.Stat(file); err != nil || st.Size() < 1000 {
			t.Errorf("export %s wrote nothing: %v", f, err)
		}
	}
	release := filepath.Join(outDir, "release.md")
	out := run(t, "--data", dir, "briefing", "export", id, "--ceiling", "RESTRICTED", "-o", release)
	if !strings.Contains(out, "release copy up to RESTRICTED, 1 section withheld") {
		t.Errorf("release copy said: %s", out)
	}
	md, _ := os.ReadFile(release)
	if !strings.HasPrefix(string(md), "**RESTRICTED**") || !strings.Contains(string(md), "Section 5 (CONFIDENTIAL)") || strings.Contains(string(md), "Liability and compensation") {
		t.Errorf("release copy:\n%.600s", md)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", filepath.Join(outDir, "pack.pdf"), "-").Output()
		if err != nil || !strings.Contains(string(txt), "Page 1 of") {
			t.Errorf("exported PDF: %v\n%.300s", err, txt)
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"briefing", "export", id, "--ceiling", "TOP SECRET", "-o", release}, `release ceiling "TOP SECRET" is not a marking`},
		{[]string{"briefing", "export", id, "--ceiling", "UNCLASSIFIED", "-o", release}, "above the release ceiling UNCLASSIFIED"},
		{[]string{"briefing", "export", id, "-o", filepath.Join(outDir, "pack.odt")}, "--format (pdf, docx, html, md)"},
		{[]string{"briefing", "export", "no-such-id", "-o", release}, "not found"},
	} {
		out, err := chancery(append([]string{"--data", dir}, c.args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("%v: %v %s; want %q", c.args, err, out, c.want)
		}
	}
}
