package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// RestoringSuffix names the folder a restore (store/backup) puts beside a data folder,
// whole, just before it swaps it in: DIR.restoring. The swap is two renames (DIR aside,
// then DIR.restoring to DIR); a process killed between them leaves no DIR, and the
// restored knowledge base in DIR.restoring, which FinishRestore then puts in place.
const RestoringSuffix = ".restoring"

// FinishRestore completes a restore cut off between its two renames: when the data
// folder dir is missing and dir.restoring holds a knowledge base, it becomes dir. Open
// calls it first, so that a folder left so opens as the restored knowledge base instead
// of a new, empty one. Anything else is left as it is.
func FinishRestore(dir string) error {
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	pending := dir + RestoringSuffix
	if _, err := os.Stat(filepath.Join(pending, FileName)); err != nil {
		return nil
	}
	if err := os.Rename(pending, dir); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, FileName)); serr == nil {
			return nil // another process finished it first
		}
		return fmt.Errorf("store: finish the restore of %s (put %s in its place): %w", dir, pending, err)
	}
	return nil
}
