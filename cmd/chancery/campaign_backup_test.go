package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chancery/store"
)

// The kill campaign's rows for backups, restores and pack imports (branches i14-backup
// and i14-pack): each a row of killOps.
func init() {
	killOps = append(killOps, backupKillOps...)
}

const campaignPassphrase = "correct horse battery staple, kill campaign"

var (
	backupLine  = regexp.MustCompile(`^backup (\d+)/`)
	restoreLine = regexp.MustCompile(`^restore (\d+)/`)
	packLine    = regexp.MustCompile(`^committed (\d+)/`)
)

var backupKillOps = []killOp{
	{name: "backup", weight: 1, progress: backupLine,
		setup: func(t *testing.T, c *campaign, dir string) {
			if out, err := chancery("--data", filepath.Join(dir, "kb"), "import", c.corpus).CombinedOutput(); err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
		},
		round: func(t *testing.T, c *campaign, r int) killRound {
			dir := filepath.Join(c.dirs["backup"], "kb")
			file := filepath.Join(c.dirs["backup"], fmt.Sprintf("b%d.tar.gz.age", r))
			return killRound{dir: dir, args: []string{"backup", file}, env: []string{"CHANCERY_PASSPHRASE=" + campaignPassphrase}, batches: 4,
				check: func(t *testing.T, count int, done bool) (int, int) {
					foundKeys(t, dir, c.keys) // the knowledge base backed up is whole
					if _, err := os.Stat(file); err != nil {
						if done {
							t.Fatalf("backup acknowledged, but %s is not there: %v", file, err)
						}
						return 0, 0
					}
					// A backup file that is there is whole: a kill leaves none half written.
					cmd := chancery("verify", file)
					cmd.Env = append(cmd.Env, "CHANCERY_PASSPHRASE="+campaignPassphrase)
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Fatalf("the backup %s left by a kill (after step %d) does not verify: %v\n%s", file, count, err, out)
					}
					if !done {
						return 0, 0
					}
					return len(c.keys), len(c.keys)
				}}
		}},
	{name: "restore", weight: 1, progress: restoreLine,
		setup: func(t *testing.T, c *campaign, dir string) {
			src := filepath.Join(dir, "source")
			if out, err := chancery("--data", src, "import", c.corpus).CombinedOutput(); err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			cmd := chancery("--data", src, "backup", filepath.Join(dir, "backup.tar.gz.age"))
			cmd.Env = append(cmd.Env, "CHANCERY_PASSPHRASE="+campaignPassphrase)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("backup: %v\n%s", err, out)
			}
		},
		round: func(t *testing.T, c *campaign, r int) killRound {
			dir := filepath.Join(c.dirs["restore"], fmt.Sprintf("kb%d", r))
			old := saveItems(t, dir, []store.Item{{Kind: store.KindNote, Title: "Before the restore", Body: "kept aside"}})
			file := filepath.Join(c.dirs["restore"], "backup.tar.gz.age")
			return killRound{dir: dir, args: []string{"restore", file}, env: []string{"CHANCERY_PASSPHRASE=" + campaignPassphrase}, batches: 6,
				check: func(t *testing.T, count int, done bool) (int, int) {
					restored := len(getItems(t, dir, old)) == 0
					if restored {
						foundKeys(t, dir, c.keys)
						aside, _ := filepath.Glob(dir + ".before-restore-*")
						if len(aside) != 1 || len(getItems(t, aside[0], old)) != 1 {
							t.Fatalf("restored into %s, but the knowledge base that was there is not beside it: %v", dir, aside)
						}
					} else if st := stats(t, dir); st.Live == 0 {
						aside, _ := filepath.Glob(dir + ".before-restore-*")
						t.Fatalf("after a restore killed (after step %d), %s held no knowledge base (killed between moving the old one aside, to %v, and putting the restored one in its place?)", count, dir, aside)
					} else if st.Live != 1 {
						t.Fatalf("after a restore killed (after step %d), %s holds %d items, neither the old one nor the backup's", count, dir, st.Live)
					}
					if !done {
						return 0, 0
					}
					if !restored {
						t.Fatalf("restore acknowledged, but %s holds the old knowledge base", dir)
					}
					return len(c.keys), len(c.keys)
				}}
		}},
	{name: "pack import", weight: 1, progress: packLine, startLine: true,
		setup: func(t *testing.T, c *campaign, dir string) {
			src := filepath.Join(dir, "source")
			var notes []store.Item
			for i := range 300 {
				notes = append(notes, store.Item{Kind: store.KindNote, Title: fmt.Sprintf("Packed %d", i), Body: strings.Repeat("river depot ", 40), Tags: []string{"packed"}})
			}
			saveItems(t, src, notes)
			pass := filepath.Join(dir, "pass.txt")
			writeFile(t, pass, campaignPassphrase+"\n")
			if out, err := chancery("--data", src, "pack", "export", "--tag", "packed", "--passphrase-file", pass, "--out", filepath.Join(dir, "p.pack")).CombinedOutput(); err != nil {
				t.Fatalf("pack export: %v\n%s", err, out)
			}
		},
		round: func(t *testing.T, c *campaign, r int) killRound {
			base := c.dirs["pack import"]
			dir := filepath.Join(base, fmt.Sprintf("kb%d", r))
			return killRound{dir: dir, args: []string{"pack", "import", filepath.Join(base, "p.pack"), "--passphrase-file", filepath.Join(base, "pass.txt")}, batches: 1,
				check: func(t *testing.T, count int, done bool) (int, int) {
					st := stats(t, dir)
					if st.Live != 0 && st.Live != 300 {
						t.Fatalf("a pack import half done after a kill: %d of 300 items", st.Live)
					}
					if !done {
						return 0, 0
					}
					if st.Live != 300 {
						t.Fatalf("pack import acknowledged, %d of 300 items found", st.Live)
					}
					return 300, 300
				}}
		}},
}
