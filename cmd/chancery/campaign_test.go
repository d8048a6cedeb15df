package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
)

// The kill campaign (issue 14, item 6). The default `go test` kills a few dozen times;
// -kills=1000 (or CHANCERY_KILLS=1000) runs a thousand kills and 100 of each kind of index
// damage, and prints the table.
var killsFlag = flag.Int("kills", 0, "kills of the kill campaign (TestKillCampaign; index damage: a tenth of it per kind, TestIndexDamageCampaign); 0: a few dozen, or $CHANCERY_KILLS")

// campaignKills is how many kills the campaign makes: -kills, else $CHANCERY_KILLS, else
// the CI's few dozen.
func campaignKills() int {
	if *killsFlag > 0 {
		return *killsFlag
	}
	if n, err := strconv.Atoi(os.Getenv("CHANCERY_KILLS")); err == nil && n > 0 {
		return n
	}
	return 32
}

// killOp is a row of the campaign: an operation killed again and again. Adding one (a
// backup, a restore, a pack import) is adding a row to killOps: how the child reports
// each committed batch, and how a round is prepared and checked.
type killOp struct {
	name   string
	weight int // its share of the kills
	// progress matches the line the child prints on stderr after each committed batch,
	// with the count in group 1; a count of 0 is the line that starts the work.
	progress *regexp.Regexp
	// startLine: the child prints a count of 0 when the work starts (kills after it land
	// in the first batch); without one, the first kill point is the first batch's line.
	startLine bool
	// setup prepares what the rounds share, once (in dir, a folder of the campaign's own).
	setup func(t *testing.T, c *campaign, dir string)
	// round prepares one run.
	round func(t *testing.T, c *campaign, r int) killRound
}

// killRound is one run of an operation, to be killed.
type killRound struct {
	dir     string   // the data folder
	args    []string // after --data dir
	env     []string
	batches int // progress lines with a count above 0 that a whole run prints
	// check runs after the kill (and after `chancery check`): what was acknowledged (the
	// last count the child printed, whether it printed its last batch) must be found. It
	// returns how many items were acknowledged and how many of them were found as
	// acknowledged.
	check func(t *testing.T, count int, done bool) (acknowledged, found int)
}

// campaign holds what the rounds share and what the table prints.
type campaign struct {
	rng    *rand.Rand
	corpus string   // a UN-corpus-format file
	keys   []string // its source keys, in order
	n      int      // statements in it
	dirs   map[string]string
	est    map[string]time.Duration // the time a batch took last, per operation
	rows   map[string]*killTally
}

type killTally struct {
	runs, kills, acknowledged, found, integrity, repairs, rebuilt int
}

var (
	committedLine = regexp.MustCompile(`^committed (\d+)/`)
	indexingLine  = regexp.MustCompile(`^indexing (\d+)/`)
	mergingLine   = regexp.MustCompile(`^merging (\d+)/`)
	emptyingLine  = regexp.MustCompile(`^emptying (\d+)/`)
)

// killOps is the campaign's table of operations.
var killOps = []killOp{
	{name: "import", weight: 4, progress: committedLine,
		setup: func(t *testing.T, c *campaign, dir string) {},
		round: func(t *testing.T, c *campaign, r int) killRound {
			// Three kills on the same folder (an interrupted import resumed twice), then
			// a fresh one.
			dir := c.dirs["import"] + "/kb" + strconv.Itoa(r/3)
			return killRound{dir: dir, args: []string{"import", c.corpus}, batches: c.n / importer.BatchSize,
				check: func(t *testing.T, count int, _ bool) (int, int) {
					return count, foundKeys(t, dir, c.keys[:count])
				}}
		}},
	{name: "reindex", weight: 2, progress: indexingLine, startLine: true,
		setup: func(t *testing.T, c *campaign, dir string) {
			if out, err := chancery("--data", dir, "import", c.corpus).CombinedOutput(); err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
		},
		round: func(t *testing.T, c *campaign, r int) killRound {
			dir := c.dirs["reindex"]
			return killRound{dir: dir, args: []string{"reindex"}, batches: c.n / importer.BatchSize,
				check: func(t *testing.T, _ int, _ bool) (int, int) {
					return len(c.keys), foundKeys(t, dir, c.keys) // every item, searchable again
				}}
		}},
	{name: "contacts merge", weight: 2, progress: mergingLine, startLine: true,
		setup: func(t *testing.T, c *campaign, dir string) {},
		round: func(t *testing.T, c *campaign, r int) killRound {
			const m = 60
			dir := c.dirs["contacts merge"]
			var group []store.Item
			for i := range m {
				group = append(group, store.Item{Kind: store.KindContact, Title: fmt.Sprintf("Ama Dup%d", r),
					Contact: &store.Contact{GivenName: "Ama", FamilyName: fmt.Sprintf("Dup%d", r),
						Emails: []store.Labeled{{Value: fmt.Sprintf("ama%d.%d@example.org", r, i)}}}})
			}
			ids := saveItems(t, dir, group)
			return killRound{dir: dir, args: append([]string{"contacts", "merge"}, ids...), batches: 1,
				check: func(t *testing.T, _ int, done bool) (int, int) {
					items := getItems(t, dir, ids)
					merged := len(items[0].Contact.Emails) == m && items[0].Deleted == nil
					untouched := len(items[0].Contact.Emails) == 1
					for _, it := range items[1:] {
						merged = merged && it.Deleted != nil
						untouched = untouched && it.Deleted == nil
					}
					if !merged && !untouched {
						t.Fatalf("merge of %d contacts half done after a kill: %+v", m, items[0].Contact)
					}
					if !done {
						return 0, 0
					}
					if !merged {
						t.Fatalf("merge of %d contacts acknowledged, not found after the kill", m)
					}
					return m, m
				}}
		}},
	{name: "empty trash", weight: 2, progress: emptyingLine, startLine: true,
		setup: func(t *testing.T, c *campaign, dir string) {
			saveItems(t, dir, []store.Item{{Kind: store.KindNote, Title: "Kept", Body: "kept through every purge"}})
		},
		round: func(t *testing.T, c *campaign, r int) killRound {
			const m = 80
			dir := c.dirs["empty trash"]
			var notes []store.Item
			for i := range m {
				notes = append(notes, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Purged %d.%d", r, i), Body: strings.Repeat("trashed words ", 50)})
			}
			ids := saveItems(t, dir, notes)
			trash(t, dir, ids)
			return killRound{dir: dir, args: nil, env: []string{"CHANCERY_TEST_EMPTY_TRASH=1"}, batches: 1,
				check: func(t *testing.T, _ int, done bool) (int, int) {
					left := getItems(t, dir, ids)
					if len(left) != 0 && len(left) != m {
						t.Fatalf("emptying the trash half done after a kill: %d of %d left", len(left), m)
					}
					if st := stats(t, dir); st.Live != 1 {
						t.Fatalf("%d live items after emptying the trash, want the 1 kept", st.Live)
					}
					if !done {
						return 0, 0
					}
					if len(left) != 0 {
						t.Fatalf("emptying the trash acknowledged, but %d items are still there after the kill", len(left))
					}
					return m, m // acknowledged gone, found gone
				}}
		}},
}

// TestMain's hook: CHANCERY_TEST_EMPTY_TRASH=1 makes the child empty the trash of the
// knowledge base in --data DIR, as Browse > Trash > Empty trash does, reporting it like a
// batch ("emptying 0/1", then 1/1 once committed) and waiting for the index.
func emptyTrashMain(args []string) int {
	dir := ""
	for i, a := range args {
		if a == "--data" && i+1 < len(args) {
			dir = args[i+1]
		}
	}
	ctx := context.Background()
	kb, err := openKB(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chancery:", err)
		return 1
	}
	defer kb.Close()
	p := newProgress("emptying")
	p.update(0, 1)
	n, err := kb.db.EmptyTrash(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chancery:", err)
		return 1
	}
	p.update(1, 1)
	p.finish()
	fmt.Printf("removed %d items for good\n", n)
	if err := kb.waitIndexed(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "chancery:", err)
		return 1
	}
	return 0
}

// TestKillCampaign kills, with SIGKILL, each operation of killOps at announced points:
// exactly at a committed batch's line, or part way through the next batch (a random part
// of the time the last one took), never at a wall-clock time. After each kill: SQLite's
// integrity check passes (chancery check), every item acknowledged is found, and the index
// repairs itself (check finds it agreeing with the store). It prints the table.
func TestKillCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts chancery many times; skipped with -short")
	}
	total := campaignKills()
	c := &campaign{rng: rand.New(rand.NewPCG(1, 2)), n: 1500, dirs: map[string]string{}, est: map[string]time.Duration{}, rows: map[string]*killTally{}}
	c.corpus, c.keys = writeSmallCorpus(t, c.n)
	weights := 0
	for _, op := range killOps {
		weights += op.weight
	}
	start := time.Now()
	want := map[string]int{}
	for _, op := range killOps {
		dir := t.TempDir()
		c.dirs[op.name] = dir
		op.setup(t, c, dir)
		c.rows[op.name] = &killTally{}
		want[op.name] = max(1, total*op.weight/weights)
	}
	// The operations take turns (weight rounds each), so that the table printed every
	// hundred kills covers them all.
	nextTable := 100
	for more := true; more; {
		more = false
		for _, op := range killOps {
			tally := c.rows[op.name]
			for range op.weight {
				if tally.kills >= want[op.name] {
					break
				}
				if tally.runs > 2*want[op.name]+10 {
					t.Fatalf("%s: only %d kills in %d runs: the operation ends before the kills", op.name, tally.kills, tally.runs)
				}
				c.runRound(t, op, tally.runs, tally)
				more = true
				if n := campaignKillsDone(c); n >= nextTable && n < total {
					c.printTable(t, time.Since(start))
					nextTable += 100
				}
			}
		}
	}
	// An import killed again and again completes when run to the end, and everything is
	// found (the original crash test's last assertions).
	last := c.dirs["import"] + "/kb0"
	if out, err := chancery("--data", last, "import", c.corpus).CombinedOutput(); err != nil {
		t.Fatalf("final import: %v\n%s", err, out)
	}
	verify(t, last, c.keys)
	if r := searchJSON(t, last, fmt.Sprintf(`"Statement %d"`, c.n-1)); r.Total != 1 {
		t.Errorf("the last statement: %d hits, want 1", r.Total)
	}
	if st := stats(t, last); st.Live != c.n {
		t.Errorf("%d items at the end, want %d", st.Live, c.n)
	}
	c.printTable(t, time.Since(start))
}

// runRound runs one round of op and kills it, then checks.
func (c *campaign) runRound(t *testing.T, op killOp, r int, tally *killTally) {
	t.Helper()
	kr := op.round(t, c, r)
	// The kill point: after the k-th committed batch's line (k = 0: the line that starts
	// the work), exactly then one time in four, else part way through what follows; k =
	// batches is after the last batch, while the command finishes (waiting for the index).
	k := c.rng.IntN(kr.batches + 1)
	if !op.startLine {
		k = 1 + c.rng.IntN(kr.batches)
	}
	part := 0.0
	if c.rng.IntN(4) != 0 {
		part = c.rng.Float64()
	}
	res := killRun(t, op.progress, k, part, c.est[op.name], kr.env, append([]string{"--data", kr.dir}, kr.args...)...)
	if res.batch > 0 {
		c.est[op.name] = res.batch
	}
	tally.runs++
	if res.killed {
		tally.kills++
	}
	// The database is sound and the index repairs itself.
	out, err := chancery("--data", kr.dir, "check").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "database: ok") || !strings.Contains(string(out), "index: ok") {
		t.Fatalf("%s round %d (killed after line %d, part %.2f: %v): check failed: %v\n%s\nthe child said:\n%s", op.name, r, k, part, res.killed, err, out, res.out)
	}
	tally.integrity++
	tally.repairs++
	if strings.Contains(string(out), "search index ") {
		tally.rebuilt++
	}
	ack, found := kr.check(t, res.count, res.done)
	tally.acknowledged += ack
	tally.found += found
	if testing.Verbose() {
		t.Logf("%s round %d: killed after line %d (+%.2f of a batch): %v; %d acknowledged, %d found", op.name, r, k, part, res.killed, ack, found)
	}
}

// killResult is what killRun saw.
type killResult struct {
	killed bool
	count  int           // the last count the child printed (committed before the kill)
	done   bool          // it printed its last batch's line (count == total)
	batch  time.Duration // the time its last batch took
	out    string
}

// killRun runs chancery with args and kills it with SIGKILL after the k-th progress line
// with a count above 0 (k = 0: after the line with count 0 that starts the work), part of
// a batch's time later (the batch that line ended, or est for the start). A child that
// fails on its own fails the test.
func killRun(t *testing.T, progress *regexp.Regexp, k int, part float64, est time.Duration, env []string, args ...string) killResult {
	t.Helper()
	cmd := chancery(args...)
	cmd.Env = append(append(cmd.Env, "CHANCERY_TEST_PROGRESS=1"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		res   killResult
		lines []string
		timer *time.Timer
		seen  int
		last  = time.Now()
		once  sync.Once
	)
	kill := func(after time.Duration) {
		once.Do(func() {
			timer = time.AfterFunc(after, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		})
	}
	if est == 0 {
		est = 20 * time.Millisecond
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		m := progress.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		count, _ := strconv.Atoi(m[1])
		if count == 0 {
			if k == 0 {
				kill(time.Duration(part * float64(est)))
			}
			last = time.Now()
			continue
		}
		res.count = count
		res.done = strings.Contains(line, fmt.Sprintf("%d/%d", count, count))
		seen++
		res.batch = time.Since(last)
		if seen == k {
			kill(time.Duration(part * float64(res.batch)))
		}
		last = time.Now()
	}
	err = cmd.Wait()
	if timer != nil {
		timer.Stop()
	}
	res.out = strings.Join(lines, "\n")
	if err != nil && !strings.Contains(err.Error(), "killed") {
		t.Fatalf("chancery %s failed on its own: %v\n%s", strings.Join(args, " "), err, res.out)
	}
	res.killed = err != nil
	return res
}

func (c *campaign) printTable(t *testing.T, took time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nkill campaign: %d kills in %s\n", campaignKillsDone(c), took.Round(time.Second))
	fmt.Fprintf(&b, "%-16s %6s %6s %13s %12s %17s %14s %8s\n", "operation", "runs", "kills", "acknowledged", "found", "integrity passed", "index repairs", "rebuilt")
	var sum killTally
	for _, op := range killOps {
		r := c.rows[op.name]
		fmt.Fprintf(&b, "%-16s %6d %6d %13d %12d %17d %14d %8d\n", op.name, r.runs, r.kills, r.acknowledged, r.found, r.integrity, r.repairs, r.rebuilt)
		sum.runs += r.runs
		sum.kills += r.kills
		sum.acknowledged += r.acknowledged
		sum.found += r.found
		sum.integrity += r.integrity
		sum.repairs += r.repairs
		sum.rebuilt += r.rebuilt
	}
	fmt.Fprintf(&b, "%-16s %6d %6d %13d %12d %17d %14d %8d\n", "total", sum.runs, sum.kills, sum.acknowledged, sum.found, sum.integrity, sum.repairs, sum.rebuilt)
	fmt.Fprintln(os.Stdout, b.String())
	t.Log(b.String())
	if sum.found != sum.acknowledged {
		t.Errorf("%d items acknowledged, %d found", sum.acknowledged, sum.found)
	}
}

func campaignKillsDone(c *campaign) int {
	n := 0
	for _, r := range c.rows {
		n += r.kills
	}
	return n
}

// writeSmallCorpus is writeCorpus with short statements: the campaign restarts and
// reindexes many times.
func writeSmallCorpus(t *testing.T, n int) (string, []string) {
	return writeCorpusWords(t, n, 30)
}

// foundKeys counts the items imported under keys that the store holds.
func foundKeys(t *testing.T, dir string, keys []string) int {
	t.Helper()
	if len(keys) == 0 {
		return 0
	}
	db := openStore(t, dir)
	defer db.Close()
	ids, err := db.SourceKeyIDs(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(keys) {
		t.Fatalf("%d items were acknowledged, %d of them are in the store", len(keys), len(ids))
	}
	return len(ids)
}

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func stats(t *testing.T, dir string) store.Stats {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	st, err := db.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// saveItems saves items in the knowledge base in dir, in one transaction, and returns
// their IDs.
func saveItems(t *testing.T, dir string, items []store.Item) []string {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	saved, err := db.SaveAll(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range saved {
		ids = append(ids, it.ID)
	}
	return ids
}

// trash moves items to the trash.
func trash(t *testing.T, dir string, ids []string) {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	for _, id := range ids {
		if err := db.Delete(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
}

// getItems reads the items of ids that exist (in the trash or not).
func getItems(t *testing.T, dir string, ids []string) []store.Item {
	t.Helper()
	db := openStore(t, dir)
	defer db.Close()
	items, err := db.GetMany(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return items
}
