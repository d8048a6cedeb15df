package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"chancery/cmd/chancery/policy"
	"chancery/search"
	"chancery/store"
)

// defaultDataDir is the OS's local (not roaming, not synced) per-user data folder.
func defaultDataDir() string {
	if d := os.Getenv("CHANCERY_DATA"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Chancery")
		}
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "Chancery")
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "chancery")
		}
	}
	return filepath.Join(home, ".local", "share", "chancery")
}

// knowledgeBase is an open store with its index.
type knowledgeBase struct {
	db  *store.DB
	ix  *search.Index
	pol policy.Policy // the administrator's, already applied

	warnings []string // about the policy, printed on opening; the window shows them too
}

// openKB opens the knowledge base in dir (the default when empty). The index is opened,
// or created empty when it must be rebuilt, and follows the store by itself from then on;
// a caller that needs what is committed searchable waits for it (waitIndexed).
//
// The administrator's policy is read first, whole: a malformed one stops everything. It
// fixes the folder, the store's scheme and ceiling, and a seed folder imported once.
func openKB(ctx context.Context, dir string) (*knowledgeBase, error) {
	pol, err := loadPolicy()
	if err != nil {
		return nil, err
	}
	if dir, err = chooseDataDir(pol, dir); err != nil {
		return nil, err
	}
	db, err := store.OpenWith(ctx, dir, pol.Options())
	if errors.Is(err, store.ErrLocked) {
		return nil, lockedError{dir}
	}
	if ro := readOnlyError(err, dir); ro != nil {
		return nil, ro
	}
	if err != nil {
		if pol.File != "" {
			return nil, fmt.Errorf("%w (applying the administrator's policy %s)", err, pol.File)
		}
		return nil, err
	}
	warnings, err := applyPolicy(ctx, db, pol)
	if err != nil {
		db.Close()
		return nil, err
	}
	ix, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		db.Close()
		return nil, err
	}
	// The seed folder is imported with the index open, like any import: it follows.
	w, err := importSeed(ctx, db, pol)
	if err != nil {
		ix.Close()
		db.Close()
		return nil, err
	}
	if w != "" {
		warnings = append(warnings, warning(w))
	}
	return &knowledgeBase{db: db, ix: ix, pol: pol, warnings: warnings}, nil
}

// lockedError says, in words, that another process has the knowledge base open.
type lockedError struct{ dir string }

func (e lockedError) Error() string {
	return fmt.Sprintf("the knowledge base in %s is open in another Chancery process; close that one first", e.dir)
}

func (e lockedError) Unwrap() error { return store.ErrLocked }

func (kb *knowledgeBase) Close() {
	kb.ix.Close()
	kb.db.Close()
}

// waitIndexed waits until the index, which follows the store by itself, has applied every
// change the store has committed, showing its progress on the terminal. It is the one
// routine that waits for the index (the window's waits go through the same WaitFor).
func (kb *knowledgeBase) waitIndexed(ctx context.Context) error {
	if kb.ix.Opened != "ok" {
		fmt.Fprintln(os.Stderr, "search index", kb.ix.Opened)
	}
	last, err := kb.db.LastSeq(ctx)
	if err != nil {
		return err
	}
	p := newProgress("indexing")
	err = kb.ix.WaitForProgress(ctx, last, p.update)
	p.finish()
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("indexing interrupted; the data is safe in the store, and indexing resumes where it stopped at the next start")
	}
	return err
}

// progress prints "label done/total" on stderr: rewriting one line on a terminal, a line
// at most every two seconds otherwise.
type progress struct {
	label       string
	everyUpdate bool // print every update when not on a terminal
	tty         bool
	last        time.Time
	shown       bool
	start       time.Time
	done        int
	total       int
	lastLine    string
}

// newProgress prints on stderr. CHANCERY_TEST_PROGRESS=1 (for tests, which kill the
// process after its k-th batch) makes it print every update when not on a terminal.
func newProgress(label string) *progress {
	st, err := os.Stderr.Stat()
	return &progress{label: label, tty: err == nil && st.Mode()&os.ModeCharDevice != 0, start: time.Now(),
		everyUpdate: os.Getenv("CHANCERY_TEST_PROGRESS") == "1"}
}

func (p *progress) update(done, total int) {
	p.done, p.total = done, total
	now := time.Now()
	if p.tty && now.Sub(p.last) < 100*time.Millisecond && done != total {
		return
	}
	if !p.tty && !p.everyUpdate && now.Sub(p.last) < 2*time.Second && done != total {
		return
	}
	p.last = now
	line := fmt.Sprintf("%s %d", p.label, done)
	if total > 0 {
		line = fmt.Sprintf("%s %d/%d (%d%%)", p.label, done, total, done*100/total)
	}
	if p.tty {
		fmt.Fprintf(os.Stderr, "\r%s ", line)
	} else if line != p.lastLine {
		fmt.Fprintln(os.Stderr, line)
	}
	p.lastLine = line
	p.shown = true
}

func (p *progress) finish() {
	if !p.shown {
		return
	}
	if p.tty {
		fmt.Fprintln(os.Stderr)
	}
	fmt.Fprintf(os.Stderr, "%s: %d done in %s\n", p.label, p.done, time.Since(p.start).Round(10*time.Millisecond))
}
