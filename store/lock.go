package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// LockFolder takes the knowledge base's lock in dir, the one Open takes, without opening
// the database: for a tool that must be sure no Chancery process has the folder open
// before it changes the folder itself (the bench deleting a folder it built). It fails with
// ErrLocked, at once, when another process (or another Open in this one) holds it; dir must
// exist. unlock releases it.
func LockFolder(dir string) (unlock func(), err error) {
	lf, err := lockFolder(dir)
	if err != nil {
		return nil, err
	}
	return func() { lf.Close() }, nil
}

// lockFolder takes the lock of the knowledge base in dir; closing the file releases it.
func lockFolder(dir string) (*os.File, error) {
	lf, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open lock file: %w", err)
	}
	if err := lockFile(lf); err != nil {
		lf.Close()
		if errors.Is(err, errLockHeld) {
			return nil, fmt.Errorf("store: %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("store: lock %s: %w", dir, err)
	}
	return lf, nil
}
