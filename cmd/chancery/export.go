package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// exportCeiling is the ceiling a file export takes (policy.Policy.ExportCeilingFor) on this
// knowledge base's scheme.
func (kb *knowledgeBase) exportCeiling(ctx context.Context, asked string) (string, error) {
	classes, err := kb.db.Classes(ctx)
	if err != nil {
		return "", err
	}
	return kb.pol.ExportCeilingFor(classes, asked)
}

// writeOwnerOnly writes the file at path readable and writable by its owner only (0600),
// also over an existing file, whatever its mode: write fills a new file beside it, which
// is renamed over path when complete. A failed write leaves no file, and the old one (if
// any) as it was.
func writeOwnerOnly(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o600); err != nil { // CreateTemp makes it 0600; say so anyway
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// listIDs is at most a dozen IDs, comma-separated, and how many more.
func listIDs(ids []string) string {
	const most = 12
	if len(ids) <= most {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:most], ", ") + fmt.Sprintf(" and %d more", len(ids)-most)
}
