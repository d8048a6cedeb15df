package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"chancery/store"
)

// TestImportOnFullIndexDiskReturns (D8): an import whose index cannot be written (its disk
// is full) ends, in words, keeping what the store committed, instead of spinning for ever.
func TestImportOnFullIndexDiskReturns(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("skipped: a full disk is simulated with a small tmpfs, which needs root on Linux (CI runs as root)")
	}
	dir := t.TempDir()
	ixDir := filepath.Join(dir, "index")
	if err := os.Mkdir(ixDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", ixDir).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot mount a small tmpfs to simulate a full disk: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", ixDir).Run() })
	corpus, keys := writeCorpus(t, 300)

	cmd := chancery("--data", dir, "import", corpus)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("import on a full index disk succeeded:\n%s", out.String())
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("import on a full index disk did not end in 2 minutes:\n%s", out.String())
	}
	if s := out.String(); !strings.Contains(s, "disk") || !strings.Contains(s, "kept in the store") {
		t.Errorf("import said:\n%s", s)
	}
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, err := db.Stats(context.Background()); err != nil || st.Live != len(keys) {
		t.Errorf("the store holds %d items after the import, want %d (%v)", st.Live, len(keys), err)
	}
}
