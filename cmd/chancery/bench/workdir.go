package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"chancery/store"
)

// Marker is the file the bench writes in each engine's folder when it makes the folder. A
// build deletes what is in a folder only when the marker is there: `--work ~/.local/share`
// must never wipe the knowledge base in ~/.local/share/chancery.
const Marker = ".chancery-bench"

// claim makes dir for a build, with the marker, or checks that the bench made it. A folder
// without the marker is refused, naming it, unless it is empty (there is nothing in it to
// lose, and the marker is written).
func claim(dir string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		return writeMarker(dir)
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("bench: %s is not a folder, and was not made by the bench: it is left alone; give --work a folder of the bench's own", dir)
	}
	if m, err := os.Lstat(filepath.Join(dir, Marker)); err == nil && m.Mode().IsRegular() {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if len(entries) == 0 {
		return writeMarker(dir)
	}
	return fmt.Errorf("bench: %s was not made by the bench (it has no %s file), so nothing in it is deleted; give --work a folder of the bench's own", dir, Marker)
}

func writeMarker(dir string) error {
	text := "Made by `chancery bench`: a benchmark's build, deleted and built again by the next one.\n"
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(text), 0o600); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// emptyBut deletes what is in dir except the files named keep.
func emptyBut(dir string, keep ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	for _, e := range entries {
		if slices.Contains(keep, e.Name()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
	}
	return nil
}

// freshChancery empties dir for a Chancery build: a folder the bench made (claim), under
// the store's lock, so that a knowledge base open in the app is refused, not deleted.
func freshChancery(dir string) error {
	if err := claim(dir); err != nil {
		return err
	}
	unlock, err := store.LockFolder(dir)
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("bench: the knowledge base in %s is open in another Chancery process, so nothing in it is deleted; close that one first", dir)
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer unlock()
	return emptyBut(dir, Marker, store.LockName)
}

// freshFTS5 empties dir, a folder the bench made (claim), for an FTS5 build.
func freshFTS5(dir string) error {
	if err := claim(dir); err != nil {
		return err
	}
	return emptyBut(dir, Marker)
}
