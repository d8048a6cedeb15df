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
	"syscall"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
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

var (
	committedRE = regexp.MustCompile(`^committed (\d+)/`) // the import's line after each committed batch
	indexedRE   = regexp.MustCompile(`^indexing (\d+)/`)  // the index's line after each batch it wrote
)

// TestImportSurvivesSIGKILL kills the importer at many points of a large import, then the
// index rebuild at many points, and checks after each kill that the database is sound,
// every item reported committed is there, and the index repairs itself. Each kill is aimed
// at an announced point, not a time: after the k-th batch the child reports (committed, or
// written to the index), part way through the next; every kill lands mid-work, however
// slow the machine.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the importer many times; skipped with -short")
	}
	const n = 6000
	batches := n / importer.BatchSize // reported batches of a whole import or rebuild
	corpus, keys := writeCorpus(t, n)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 10 {
		// At least three batches are left after the k-th: the kill, at most one batch's
		// time later, comes before the import ends.
		k := 1 + rng.IntN(batches-3)
		got, wasKilled := killAt(t, committedRE, k, rng, "--data", dir, "import", corpus)
		t.Logf("import round %d: killed after committed batch %d: %v, %d items reported committed", round, k, wasKilled, got)
		if !wasKilled {
			t.Errorf("import round %d finished before the kill after batch %d of %d", round, k, batches)
		}
		verify(t, dir, keys[:got])
	}
	// Finishing the import completes the knowledge base.
	if out, err := chancery("--data", dir, "import", corpus).CombinedOutput(); err != nil {
		t.Fatalf("final import: %v\n%s", err, out)
	}
	verify(t, dir, keys)

	// Kill the index while it is being rebuilt: the store is untouched and the next start
	// repairs the index.
	for round := range 5 {
		k := 1 + rng.IntN(batches-3)
		_, wasKilled := killAt(t, indexedRE, k, rng, "--data", dir, "reindex")
		t.Logf("reindex round %d: killed after indexed batch %d: %v", round, k, wasKilled)
		if !wasKilled {
			t.Errorf("reindex round %d finished before the kill after batch %d of %d", round, k, batches)
		}
		verify(t, dir, keys)
	}
	out, err := chancery("--data", dir, "search", "--json", `"Statement 5999"`).Output()
	if err != nil || !strings.Contains(string(out), `"total": 1`) {
		t.Errorf("last statement not found: %v\n%s", err, out)
	}
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, _ := db.Stats(context.Background()); s.Live != n {
		t.Errorf("%d items at the end, want %d", s.Live, n)
	}
}

// killAt runs chancery with args and kills it with SIGKILL once it has reported its k-th
// batch done (the k-th stderr line matching progress with a count above 0), a random part
// of the time that batch took after it, so that the kill lands within the next batch's
// work. The child reports every batch (CHANCERY_TEST_PROGRESS). killAt returns the last
// count the process reported (the items committed, for an import), and whether it was
// killed; a process that failed on its own fails the test.
func killAt(t *testing.T, progress *regexp.Regexp, k int, rng *rand.Rand, args ...string) (count int, killed bool) {
	t.Helper()
	cmd := chancery(args...)
	cmd.Env = append(cmd.Env, "CHANCERY_TEST_PROGRESS=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		lines []string
		timer *time.Timer
		seen  int
		last  = time.Now()
		part  = rng.Float64()
	)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		m := progress.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if count, _ = strconv.Atoi(m[1]); count == 0 {
			continue // the start, not a batch
		}
		seen++
		if seen == k {
			took := time.Since(last)
			timer = time.AfterFunc(time.Duration(part*float64(took)), func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		}
		last = time.Now()
	}
	err = cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	if err != nil && !strings.Contains(err.Error(), "killed") {
		t.Fatalf("chancery %s failed on its own: %v\n%s", strings.Join(args, " "), err, strings.Join(lines, "\n"))
	}
	if seen < k {
		t.Fatalf("chancery %s reported %d batches, fewer than the %d to kill it after:\n%s", strings.Join(args, " "), seen, k, strings.Join(lines, "\n"))
	}
	return count, err != nil
}

// verify checks that the database is sound, that the index repairs itself and agrees
// with the store, and that every item imported under the source keys is there.
func verify(t *testing.T, dir string, keys []string) {
	t.Helper()
	out, err := chancery("--data", dir, "check").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "database: ok") || !strings.Contains(string(out), "index: ok") {
		t.Fatalf("check failed: %v\n%s", err, out)
	}
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ids, err := db.SourceKeyIDs(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(keys) {
		t.Fatalf("%d items were reported committed, %d of them are in the store", len(keys), len(ids))
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
