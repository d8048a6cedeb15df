package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"chancery/store"
)

// TestMain lets the test binary act as the chancery command, so tests can run it as a
// separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("CHANCERY_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// chancery runs the command in a child process.
func chancery(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "CHANCERY_TEST_RUN_MAIN=1")
	return cmd
}

var words = strings.Fields(`river convention delegation pollution oil spill depot downstream water intake fisheries
	treaty disarmament climate sovereignty assembly resolution development security council peace cooperation
	commission liability notification emergency border refugees trade energy health humanitarian`)

// writeCorpus writes n statements in the UN General Debate corpus format.
func writeCorpus(t *testing.T, n int) (path string, keys []string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "corpus.jsonl.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	rng := rand.New(rand.NewPCG(7, 11))
	countries := []string{"NGA", "GHA", "FRA", "BRA", "IND", "CHN"}
	for i := range n {
		c := countries[i%len(countries)]
		id := fmt.Sprintf("%s_%d_%d", c, 1+i/len(countries), 1946+i%79)
		keys = append(keys, "ungd:"+id)
		var text strings.Builder
		for range 400 {
			text.WriteString(words[rng.IntN(len(words))])
			text.WriteByte(' ')
		}
		fmt.Fprintf(zw, `{"id":%q,"country":%q,"session":%d,"year":%d,"text":"Statement %d. %s"}`+"\n",
			id, c, 1+i/len(countries), 1946+i%79, i, text.String())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path, keys
}

var committedRE = regexp.MustCompile(`committed (\d+)/`)

// TestImportSurvivesSIGKILL kills the importer at many points of a large import (while
// committing to the store and while indexing) and checks after each kill that the database
// is sound, every item reported committed is there, and the index repairs itself.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the importer many times; skipped with -short")
	}
	const n = 6000
	corpus, keys := writeCorpus(t, n)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	killed := 0
	for round := range 12 {
		cmd := chancery("--data", dir, "import", corpus)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		reported := 0
		var lines []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				mu.Lock()
				lines = append(lines, sc.Text())
				if m := committedRE.FindStringSubmatch(sc.Text()); m != nil {
					reported, _ = strconv.Atoi(m[1])
				}
				mu.Unlock()
			}
		}()
		delay := time.Duration(50+rng.IntN(6000)) * time.Millisecond
		timer := time.AfterFunc(delay, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		<-done
		err = cmd.Wait()
		timer.Stop()
		if err != nil {
			killed++
		}
		mu.Lock()
		got := reported
		out := strings.Join(lines, "\n")
		mu.Unlock()
		t.Logf("round %d: killed after %v (%v), %d items reported committed", round, delay, err, got)
		if err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("import failed on its own: %v\n%s", err, out)
		}

		// The database is sound, and the index repairs itself and agrees with the store.
		check := chancery("--data", dir, "check")
		checkOut, err := check.CombinedOutput()
		if err != nil || !strings.Contains(string(checkOut), "database: ok") || !strings.Contains(string(checkOut), "index: ok") {
			t.Fatalf("round %d: check failed: %v\n%s", round, err, checkOut)
		}
		// Every item reported committed is there.
		db, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := db.SourceKeyIDs(context.Background(), keys[:got])
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != got {
			t.Fatalf("round %d: %d items were reported committed, %d are in the store", round, got, len(ids))
		}
	}
	if killed < 6 {
		t.Errorf("only %d of 12 imports were killed before finishing; the kills did not test much", killed)
	}
	// Finishing the import completes the knowledge base.
	if out, err := chancery("--data", dir, "import", corpus).CombinedOutput(); err != nil {
		t.Fatalf("final import: %v\n%s", err, out)
	}
	out, err := chancery("--data", dir, "search", "--json", `"Statement 5999"`).Output()
	if err != nil || !strings.Contains(string(out), `"total": 1`) {
		t.Errorf("last statement not found after the final import: %v\n%s", err, out)
	}
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, _ := db.Stats(context.Background()); s.Live != n {
		t.Errorf("%d items after the final import, want %d", s.Live, n)
	}
}

// TestSecondProcessIsRefused: a second process on the same data says so and exits at once.
func TestSecondProcessIsRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	out, err := chancery("--data", dir, "search", "river").CombinedOutput()
	if err == nil {
		t.Fatalf("second process succeeded:\n%s", out)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Errorf("exit: %v, want status 3", err)
	}
	if !strings.Contains(string(out), "open in another Chancery process") {
		t.Errorf("message: %s", out)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v to give up", d)
	}
}
