//go:build unix

package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// importGuarded runs importer.Import and fails the test, instead of hanging it, when the
// import does not return (a guard against a hang, not a measure of speed).
func importGuarded(t *testing.T, db *store.DB, paths []string) (store.ImportReport, error) {
	t.Helper()
	type out struct {
		rep store.ImportReport
		err error
	}
	done := make(chan out, 1)
	go func() {
		rep, err := importer.Import(context.Background(), db, paths, importer.Options{})
		done <- out{rep, err}
	}()
	select {
	case o := <-done:
		return o.rep, o.err
	case <-time.After(60 * time.Second):
		t.Fatal("the import did not return: it hangs")
		return store.ImportReport{}, nil
	}
}

// failedNames maps the base names of the files an import reported, to their errors.
func failedNames(rep store.ImportReport) map[string]string {
	m := map[string]string{}
	for _, f := range rep.Failed {
		m[filepath.Base(f.Path)] = f.Err.Error()
	}
	return m
}

// A FIFO named like a document or a note is not read (reading it would wait for ever for a
// writer): it is reported by name, and the regular files beside it are imported.
func TestImportSkipsFIFOs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "real.md", "# Real note\n")
	for _, name := range []string{"pipe.pdf", "pipe.md", "pipe.vcf"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o600); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	}
	db := storetest.Open(t)
	rep, err := importGuarded(t, db, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	failed := failedNames(rep)
	for _, name := range []string{"pipe.pdf", "pipe.md", "pipe.vcf"} {
		if !strings.Contains(failed[name], "not a regular file") {
			t.Errorf("%s reported as %q, want \"not a regular file\"", name, failed[name])
		}
	}
	if _, ok := byTitle(t, db)["Real note"]; !ok {
		t.Error("the regular note beside the FIFOs was not imported")
	}
	// Named on the command line, a FIFO is refused all the same.
	rep, err = importGuarded(t, db, []string{filepath.Join(dir, "pipe.md")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(failedNames(rep)["pipe.md"], "not a regular file") {
		t.Errorf("a FIFO named on the command line: failed = %v", rep.Failed)
	}
}

// A symbolic link found in an imported folder is not followed out of it, and is reported;
// a link named on the command line is the user's choice and is followed.
func TestImportDoesNotFollowSymlinksOutOfTheFolder(t *testing.T) {
	outside := write(t, t.TempDir(), "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n")
	dir := t.TempDir()
	write(t, dir, "inside.md", "# Inside\n")
	for link, target := range map[string]string{
		"notes.md":    outside,
		"again.md":    filepath.Join(dir, "inside.md"),
		"keys.md":     filepath.Dir(outside),
		"dangling.md": filepath.Join(dir, "gone"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	db := storetest.Open(t)
	rep, err := importGuarded(t, db, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.List(context.Background(), store.ListOptions{WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if strings.Contains(it.Body, "PRIVATE KEY") {
			t.Fatalf("the file a link points to outside the folder was imported as %q", it.Title)
		}
	}
	if len(items) != 1 || items[0].Title != "Inside" {
		t.Errorf("imported %d items, want only the note Inside (a link inside the folder adds no copy)", len(items))
	}
	failed := failedNames(rep)
	for _, name := range []string{"notes.md", "keys.md", "dangling.md"} {
		if !strings.Contains(failed[name], "symbolic link") {
			t.Errorf("%s reported as %q, want a symbolic link not followed", name, failed[name])
		}
	}
	// Named on the command line, the link is followed.
	link := filepath.Join(t.TempDir(), "chosen.md")
	if err := os.Symlink(filepath.Join(dir, "inside.md"), link); err != nil {
		t.Fatal(err)
	}
	rep, err = importGuarded(t, db, []string{link})
	if err != nil || len(rep.Failed) > 0 {
		t.Fatalf("a link named on the command line: %v, failed %v", err, rep.Failed)
	}
}
