package teamsync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DirRemote is a Remote in a folder: a shared drive, or a folder for tests. Create writes
// a temporary file beside the object, syncs it and links it into place, which fails when
// the name exists (no overwrite, no half-written object under the final name). Where the
// file system has no hard links, the object is created with O_EXCL and written in place.
type DirRemote struct {
	root string
}

// NewDirRemote returns the remote in folder root, made if missing.
func NewDirRemote(root string) (*DirRemote, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("teamsync: the remote folder %s: %w", root, err)
	}
	return &DirRemote{root: root}, nil
}

const dirTempPrefix = ".tmp-"

func (d *DirRemote) path(name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", fmt.Errorf("teamsync: %q is not an object name: %w", name, err)
	}
	for part := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(part, dirTempPrefix) { // the folder's own temporary files
			return "", fmt.Errorf("teamsync: %q is not an object name", name)
		}
	}
	return filepath.Join(d.root, filepath.FromSlash(name)), nil
}

func (d *DirRemote) Create(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := d.path(name)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(p); err == nil {
		return d.exists(name)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("teamsync: create %s in %s: %w", name, d.root, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), dirTempPrefix+"*")
	if err != nil {
		return fmt.Errorf("teamsync: create %s in %s: %w", name, d.root, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("teamsync: create %s in %s: %w", name, d.root, err)
	}
	err = os.Link(tmp, p)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return d.exists(name)
	}
	// No hard links here: create in place, exclusively.
	g, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return d.exists(name)
	}
	if err != nil {
		return fmt.Errorf("teamsync: create %s in %s: %w", name, d.root, err)
	}
	_, err = g.Write(data)
	if err == nil {
		err = g.Sync()
	}
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return fmt.Errorf("teamsync: create %s in %s: %w", name, d.root, err)
	}
	return nil
}

func (d *DirRemote) Get(ctx context.Context, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s in %s", ErrNotFound, name, d)
	}
	if err != nil {
		return nil, fmt.Errorf("teamsync: read %s in %s: %w", name, d.root, err)
	}
	return b, nil
}

func (d *DirRemote) List(ctx context.Context, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(d.root); err != nil {
		return nil, fmt.Errorf("teamsync: the remote folder %s: %w", d.root, err)
	}
	var names []string
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || strings.HasPrefix(e.Name(), dirTempPrefix) {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		if n := filepath.ToSlash(rel); strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("teamsync: list %s: %w", d.root, err)
	}
	slices.Sort(names)
	return names, nil
}

func (d *DirRemote) exists(name string) error {
	return fmt.Errorf("%w: %s in %s", ErrExists, name, d)
}

func (d *DirRemote) String() string { return "dir:" + d.root }
