package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mountOrSkip mounts with args (the target last) and unmounts at the end, or skips the
// test saying why.
func mountOrSkip(t *testing.T, why string, args ...string) {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skipf("skipped: %s needs mount, which needs root on Linux (CI runs as root)", why)
	}
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot mount (%v %s) to simulate %s", err, strings.TrimSpace(string(out)), why)
	}
	target := args[len(args)-1]
	t.Cleanup(func() { _ = exec.Command("umount", "-l", target).Run() })
}

// TestImportOnFullDisk (issue 14): the whole data folder on a small tmpfs fills up during
// an import; the import ends with a message saying the disk is full and what was kept, and
// every item it reported committed is there once the disk has room again.
func TestImportOnFullDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// 4 MB: the first batch of 500 items (with its indexes) fits, the 1,000 do not.
	mountOrSkip(t, "a full disk", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir)
	corpus, keys := writeCorpus(t, 1000) // about 2.5 MB of text

	cmd := chancery("--data", dir, "import", corpus)
	cmd.Env = append(cmd.Env, "CHANCERY_TEST_PROGRESS=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	count := 0
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if m := committedLine.FindStringSubmatch(sc.Text()); m != nil {
			count = atoi(m[1])
		}
	}
	err = cmd.Wait()
	said := strings.Join(lines, "\n")
	if err == nil {
		t.Fatalf("an import onto a full disk succeeded:\n%s", said)
	}
	t.Logf("the import said:\n%s", said)
	if count == 0 {
		t.Errorf("the disk was full before the first batch: make the tmpfs larger")
	}
	if !strings.Contains(said, "is full") || !strings.Contains(said, dir) || !strings.Contains(said, "free some space") {
		t.Errorf("no clear message about the full disk:\n%s", said)
	}
	// Room again: everything acknowledged is there, the database sound, the index repaired.
	if out, err := exec.Command("mount", "-o", "remount,size=256m", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	verify(t, dir, keys[:count])
	if out, err := chancery("--data", dir, "import", corpus).CombinedOutput(); err != nil {
		t.Fatalf("the import run again: %v\n%s", err, out)
	}
	verify(t, dir, keys)
}

// TestReadOnlyDataFolder (issue 14): a data folder mounted read-only is refused with a
// message saying so, for an import as for a search, and nothing in it is lost.
func TestReadOnlyDataFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	run(t, "--data", dir, "demo")
	before := stats(t, dir)
	// Root writes whatever the modes: a read-only bind mount of the folder over itself.
	mountOrSkip(t, "a read-only folder", "--bind", dir, dir)
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", dir).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot remount the folder read-only: %v %s", err, out)
	}
	note := filepath.Join(t.TempDir(), "note.md")
	writeFile(t, note, "# Depot inspection\n")
	for _, args := range [][]string{{"import", note}, {"search", "oil"}} {
		out, err := chancery(append([]string{"--data", dir}, args...)...).CombinedOutput()
		if err == nil {
			t.Errorf("%s on a read-only folder succeeded:\n%s", args[0], out)
		}
		t.Logf("%s on a read-only folder said: %s", args[0], out)
		if !strings.Contains(string(out), "is read-only (its disk or share is mounted read-only)") || !strings.Contains(string(out), dir) {
			t.Errorf("%s on a read-only folder said:\n%s", args[0], out)
		}
	}
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		t.Fatalf("umount: %v %s", err, out)
	}
	if after := stats(t, dir); after.Live != before.Live || after.Files != before.Files {
		t.Errorf("after the read-only folder: %+v, before %+v", after, before)
	}
	if out := run(t, "--data", dir, "check"); !strings.Contains(out, "database: ok") {
		t.Errorf("check: %s", out)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
