package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/search/searchtest"
)

// TestIndexDamageCampaign damages the index five ways (searchtest.DamageKinds: deleted, a
// segment truncated, garbage in its metadata, a zero-byte file, unreadable permissions),
// a tenth of -kills times each (100 at -kills=1000; 2 each by default), and expects it to
// repair itself every time: `chancery check` rebuilds it (saying so) or finds it sound, and
// a search then finds what it found before.
//
// Root reads files whatever their mode, so as root the children run as the user nobody
// (65534) on a folder it owns, from a copy of the test binary it can run.
func TestIndexDamageCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("damages and repairs the index many times; skipped with -short")
	}
	rounds := 2
	if n := campaignKills(); n != 32 {
		rounds = max(1, n/10)
	}
	run := newChild(t)
	dir := filepath.Join(run.tmp, "kb")
	if out, err := run.cmd("--data", dir, "demo").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	want := run.searchTotal(t, dir, "oil spill")
	if want < 10 {
		t.Fatalf("the example finds %d items for oil spill", want)
	}
	type tally struct{ rounds, rebuiltOpening, rebuiltByCheck, unseen, repaired int }
	rows := map[string]*tally{}
	start := time.Now()
	for _, kind := range searchtest.DamageKinds {
		row := &tally{}
		rows[kind] = row
		for r := range rounds {
			what, err := searchtest.Damage(filepath.Join(dir, "index"), kind, r)
			if err != nil {
				t.Fatalf("%s round %d: %v", kind, r, err)
			}
			row.rounds++
			out, err := run.cmd("--data", dir, "check").CombinedOutput()
			switch {
			case err == nil && strings.Contains(string(out), "index: ok") && strings.Contains(string(out), "search index "):
				row.rebuiltOpening++ // found damaged when opened, and rebuilt
			case err == nil && strings.Contains(string(out), "index: ok"):
				row.unseen++ // no harm the index could see (the search below proves it)
			case err != nil && onlyRebuilt(string(out)):
				row.rebuiltByCheck++
				if out, err := run.cmd("--data", dir, "check").CombinedOutput(); err != nil || !strings.Contains(string(out), "index: ok") {
					t.Fatalf("%s round %d (%s): still not sound after a rebuild: %v\n%s", kind, r, what, err, out)
				}
			default:
				t.Fatalf("%s round %d (%s): check: %v\n%s", kind, r, what, err, out)
			}
			if got := run.searchTotal(t, dir, "oil spill"); got != want {
				t.Fatalf("%s round %d (%s): oil spill finds %d items, %d before", kind, r, what, got, want)
			}
			row.repaired++
			if testing.Verbose() {
				t.Logf("%s round %d: %s; check said: %s", kind, r, what, strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", " | "))
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nindex damage campaign: %d rounds in %s (children run as uid %d)\n", rounds*len(searchtest.DamageKinds), time.Since(start).Round(time.Second), run.uid)
	fmt.Fprintf(&b, "%-26s %7s %20s %17s %14s %9s\n", "damage", "rounds", "rebuilt on opening", "rebuilt by check", "harmless", "repaired")
	for _, kind := range searchtest.DamageKinds {
		r := rows[kind]
		fmt.Fprintf(&b, "%-26s %7d %20d %17d %14d %9d\n", kind, r.rounds, r.rebuiltOpening, r.rebuiltByCheck, r.unseen, r.repaired)
	}
	fmt.Fprintln(os.Stdout, b.String())
	t.Log(b.String())
}

// onlyRebuilt tells whether check's only index problems are damage it repaired. A
// problem may run over several lines (Bleve's errors hold newlines): each starts with
// "index: ", "database: " or "chancery: ", or a line of Bleve's log.
func onlyRebuilt(out string) bool {
	if !strings.Contains(out, "database: ok") {
		return false
	}
	var problems []string
	cur := -1
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "index: "):
			problems = append(problems, l)
			cur = len(problems) - 1
		case strings.HasPrefix(l, "database: "), strings.HasPrefix(l, "chancery: "), strings.HasPrefix(l, "indexing"), logLine.MatchString(l):
			cur = -1
		case cur >= 0:
			problems[cur] += "\n" + l
		}
	}
	for _, p := range problems {
		if !strings.HasSuffix(strings.TrimSpace(p), "it was rebuilt from the store") {
			return false
		}
	}
	return len(problems) > 0
}

// logLine is a line of Bleve's log on stderr.
var logLine = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// child runs chancery as a child process: as root, as the user nobody from a copy of the
// test binary in a folder it can read, so that file modes hold.
type child struct {
	bin string
	tmp string // a folder the child's user owns
	uid int
}

func newChild(t *testing.T) *child {
	t.Helper()
	c := &child{bin: os.Args[0], tmp: t.TempDir(), uid: os.Geteuid()}
	if c.uid != 0 {
		return c
	}
	const nobody = 65534
	// t.TempDir's parents are mode 0700: open them to others.
	for d := c.tmp; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(c.tmp, "chancery.test")
	if err := copyFile(os.Args[0], bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(c.tmp, nobody, nobody); err != nil {
		t.Skipf("cannot hand a folder to the user nobody (%v): unreadable files cannot be tested as root", err)
	}
	c.bin, c.uid = bin, nobody
	return c
}

func (c *child) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(c.bin, args...)
	cmd.Env = append(os.Environ(), "CHANCERY_TEST_RUN_MAIN=1", "HOME="+c.tmp, "XDG_CACHE_HOME="+filepath.Join(c.tmp, "cache"))
	if c.uid != os.Geteuid() {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.uid)}}
	}
	return cmd
}

func (c *child) searchTotal(t *testing.T, dir, q string) int {
	t.Helper()
	out, err := c.cmd("--data", dir, "search", "--json", q).Output()
	if err != nil {
		t.Fatalf("search %q: %v\n%s", q, err, out)
	}
	var r jsonResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("search %q: not JSON: %v\n%s", q, err, out)
	}
	return r.Total
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestOnlyRebuilt: check's output over several lines (as the campaign met it) is read as
// one problem.
func TestOnlyRebuilt(t *testing.T) {
	out := `database: ok (114 items, 0 in the trash, 5 original files)
indexing 114/114 (100%)
2026/12/06 03:07:29 unable to load snapshot, failed to load segment, continuing
index: the index was damaged (segment 000000000003.zap fails its checksum; it could not be opened again: could not be opened (error parsing mapping JSON: unexpected end of JSON input
mapping contents:
): rebuilding): it was rebuilt from the store
chancery: 1 problems found`
	if !onlyRebuilt(out) {
		t.Error("a repaired index read as a problem")
	}
	if onlyRebuilt(strings.Replace(out, "chancery: 1", "index: index holds 2 items, the store 1 live items\nchancery: 2", 1)) {
		t.Error("an index problem left read as repaired")
	}
}
