package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/store"
)

// TestMain lets the test binary act as the chancery command, so tests can run it as a
// separate process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("CHANCERY_TEST_RUN_MAIN") == "1" {
		if os.Getenv("CHANCERY_TEST_EMPTY_TRASH") == "1" {
			os.Exit(emptyTrashMain(os.Args[1:])) // the kill campaign's (campaign_test.go)
		}
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

var corpusWords = strings.Fields(`river convention delegation pollution oil spill depot downstream water intake fisheries
	treaty disarmament climate sovereignty assembly resolution development security council peace cooperation
	commission liability notification emergency border refugees trade energy health humanitarian`)

// writeCorpus writes n statements in the UN General Debate corpus format.
func writeCorpus(t *testing.T, n int) (path string, keys []string) {
	t.Helper()
	return writeCorpusWords(t, n, 400)
}

// writeCorpusWords writes n statements of about that many words.
func writeCorpusWords(t *testing.T, n, words int) (path string, keys []string) {
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
		for range words {
			text.WriteString(corpusWords[rng.IntN(len(corpusWords))])
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
