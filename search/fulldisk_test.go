package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
	"chancery/store/storetest"
)

// mountSmallDisk mounts a tmpfs of size bytes on a new folder and returns it, unmounted when
// the test ends. It skips the test where that cannot be done (not Linux, not root).
func mountSmallDisk(t *testing.T, size int) string {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("skipped: a full disk is simulated with a small tmpfs, which needs root on Linux (CI runs as root)")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot mount a small tmpfs to simulate a full disk: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestFullDiskWhileIndexing (D8): when the index's disk fills up, the catch-up fails in words, and so does WaitFor
// (instead of waiting for ever while Bleve retries), what the store committed stays there,
// nothing keeps spinning, and the index closes.
func TestFullDiskWhileIndexing(t *testing.T) {
	ctx := context.Background()
	disk := mountSmallDisk(t, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		return string(b)
	}
	var items []store.Item
	for i := range 600 {
		var body strings.Builder
		for range 300 {
			body.WriteString(word() + " ")
		}
		items = append(items, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Note %d", i), Body: body.String()})
	}
	db := storetest.Open(t, items...)
	ix, err := search.Open(filepath.Join(disk, "index"), db)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			ix.Close()
		}
	}()
	for _, cancelled := range []bool{false, true} {
		sctx, cancel := context.WithTimeout(ctx, time.Minute)
		if cancelled {
			// A second wait on the full disk is stoppable: cancelling it returns at once.
			sctx, cancel = context.WithTimeout(ctx, 2*time.Second)
		}
		start := time.Now()
		err = searchtest.WaitForStore(sctx, ix, db)
		cancel()
		took := time.Since(start)
		if err == nil {
			t.Fatalf("WaitFor on a full disk (cancelled: %v) reported success", cancelled)
		}
		if took > 30*time.Second {
			t.Errorf("WaitFor on a full disk took %s to fail", took)
		}
		if !cancelled && (!strings.Contains(err.Error(), "disk") || !strings.Contains(err.Error(), "store")) {
			t.Errorf("error %q: want it to say the disk is full and the data is safe in the store", err)
		}
		t.Logf("cancelled %v: %s: %v", cancelled, took, err)
	}
	// Bleve's persister and merger, which try a failed write again at once, for ever, are
	// held until their index is closed: a failed write or two per catch-up, not hundreds.
	if n := search.WriteFailuresForTest(ix); n > 4 {
		t.Errorf("Bleve reported %d failed writes for two waits: it kept trying again", n)
	}
	if st, err := db.Stats(ctx); err != nil || st.Live != len(items) {
		t.Errorf("store after a failed index write: %d items, %v", st.Live, err)
	}
	// Nothing keeps spinning in the background.
	before, wall := cpuTime(), time.Now()
	time.Sleep(time.Second)
	if used := cpuTime() - before; used > time.Since(wall)/2 {
		t.Errorf("after the failure the process used %s of CPU in %s", used, time.Since(wall))
	}
	done := make(chan error, 1)
	go func() { done <- ix.Close() }()
	select {
	case <-done:
		closed = true
	case <-time.After(10 * time.Second):
		t.Fatal("the index does not close after a full disk")
	}
}

// TestFullDiskWhenCreatingIndex (D8): an index that cannot even be created, its disk being
// full already, fails in words instead of waiting for ever.
func TestFullDiskWhenCreatingIndex(t *testing.T) {
	disk := mountSmallDisk(t, 64<<10)
	// Fill the disk.
	f, err := os.Create(filepath.Join(disk, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Note", Body: "river"})
	done := make(chan error, 1)
	go func() {
		ix, err := search.Open(filepath.Join(disk, "index"), db)
		if err == nil {
			err = searchtest.WaitForStore(context.Background(), ix, db)
			ix.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "space") {
			t.Errorf("opening an index on a full disk: %v", err)
		}
		t.Log(err)
	case <-time.After(30 * time.Second):
		t.Fatal("opening an index on a full disk did not return in 30 s")
	}
}
