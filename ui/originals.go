package ui

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"chancery/store"
)

// openedFolder is the folder, in the knowledge base's data folder, that holds the copies
// of originals handed to the system's viewer.
const openedFolder = "opened"

// openedCopies are the copies of documents' original files written for the system's viewer
// (Open original). They live in the knowledge base's own folder (openedFolder), not in the
// user's cache: a copy of a marked document stays where the knowledge base is kept, under
// its protection, and goes with it. Each is 0600 in a 0700 folder of its item. They do not
// outlive the app: removed when the window closes, when their item is purged (emptying
// the trash), and at the next start (after a crash, or when a viewer still held one open
// at closing, which Windows does not let go). On Windows a copy carries the Mark of the
// Web (markDownloaded), so the viewer treats it as a file from outside.
type openedCopies struct {
	mu    sync.Mutex // one change to the folder at a time
	dir   string
	stale sync.Once // removes what an earlier run left
}

// newOpenedCopies keeps copies in dataDir's openedFolder; with no dataDir, in the user's
// cache folder.
func newOpenedCopies(dataDir string) *openedCopies {
	if dataDir == "" {
		root, err := os.UserCacheDir()
		if err != nil {
			root = os.TempDir()
		}
		dataDir = filepath.Join(root, "chancery")
	}
	return &openedCopies{dir: filepath.Join(dataDir, openedFolder)}
}

// write writes document id's original file, named name, where the viewer can open it, and
// returns its path.
func (c *openedCopies) write(ctx context.Context, lib Library, id, name string) (string, error) {
	data, err := lib.Original(ctx, id)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeStale()
	sub := url.PathEscape(id)
	if sub == "" || sub == "." || sub == ".." {
		return "", errors.New("the document has no usable ID")
	}
	dir := filepath.Join(c.dir, sub)
	if err := os.MkdirAll(dir, 0o700); err != nil { // c.dir too
		return "", err
	}
	// MkdirAll keeps the mode of a folder already there.
	for _, d := range []string{c.dir, dir} {
		if err := os.Chmod(d, 0o700); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, safeFileName(name))
	os.Remove(path) // a copy from before: written again, 0600
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", err
	}
	if err := markDownloaded(path); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// removeStale removes, once, the copies an earlier run left (it crashed, or a viewer held
// one open when it closed). The caller holds c.mu.
func (c *openedCopies) removeStale() {
	c.stale.Do(func() { os.RemoveAll(c.dir) })
}

// start removes the copies an earlier run left, unless a copy was written since.
func (c *openedCopies) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeStale()
}

// removeAll removes every copy.
func (c *openedCopies) removeAll() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return os.RemoveAll(c.dir)
}

// removePurged removes the copies of items no longer in the knowledge base.
func (c *openedCopies) removePurged(ctx context.Context, items Items) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		id, err := url.PathUnescape(e.Name())
		if err != nil {
			id = ""
		}
		if id != "" {
			if _, err := items.Get(ctx, id); !errors.Is(err, store.ErrNotFound) {
				if err != nil {
					errs = append(errs, err)
				}
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(c.dir, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// safeFileName is name as one plain file name on every system: no folders, no
// characters Windows reads as a stream (:) or refuses, not empty.
func safeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return "original"
	}
	return name
}
