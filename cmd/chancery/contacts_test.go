package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContactsCLI walks the contacts commands: import a vCard and a CSV with the same
// person, list the duplicates, merge them, export vCard 4.0.
func TestContactsCLI(t *testing.T) {
	dir := t.TempDir()
	files := t.TempDir()
	vcf := filepath.Join(files, "a.vcf")
	csv := filepath.Join(files, "b.csv")
	bad := filepath.Join(files, "c.vcf")
	must(t, os.WriteFile(vcf, []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Eze;Amaka\r\nFN:Amaka Eze\r\nEMAIL;INTERNET:A.Eze@example.ng\r\nEND:VCARD\r\n"), 0o600))
	must(t, os.WriteFile(csv, []byte("First Name,Last Name,E-mail Address,Mobile Phone\nAmaka,Eze,a.eze@example.ng,+234 1\n"), 0o600))
	must(t, os.WriteFile(bad, []byte("BEGIN:VCARD\nVERSION:3.0\nFN:Cut short\n"), 0o600))
	out, _ := chancery("--data", dir, "import", vcf, csv, bad).CombinedOutput()
	if !strings.Contains(string(out), "imported 2 items, 1 failed") || !strings.Contains(string(out), "c.vcf: card 1") {
		t.Fatalf("import said: %s", out)
	}
	out2 := run(t, "--data", dir, "contacts", "duplicates")
	if !strings.Contains(out2, "same email a.eze@example.ng; name amaka eze") {
		t.Fatalf("duplicates said: %s", out2)
	}
	var merge []string
	for _, l := range strings.Split(out2, "\n") {
		if _, cmd, ok := strings.Cut(l, "merge: chancery "); ok {
			merge = strings.Fields(cmd)
		}
	}
	if out := run(t, append([]string{"--data", dir}, merge...)...); !strings.Contains(out, "merged 2 contacts") {
		t.Fatalf("merge said: %s", out)
	}
	if out := run(t, "--data", dir, "contacts", "duplicates"); !strings.Contains(out, "no duplicate contacts") {
		t.Fatalf("after merge: %s", out)
	}
	exp := filepath.Join(files, "out.vcf")
	if out := run(t, "--data", dir, "contacts", "export", exp); !strings.Contains(out, "exported 1 card") {
		t.Fatalf("export said: %s", out)
	}
	data, err := os.ReadFile(exp)
	must(t, err)
	for _, want := range []string{"VERSION:4.0", "FN:Amaka Eze", "N:Eze;Amaka;;;", "TEL;TYPE=cell:+234 1"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("export lacks %q:\n%s", want, data)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
