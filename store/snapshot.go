package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// ErrNewer is a snapshot (or a backup holding one) made by a newer Chancery, with a
// schema this one does not know.
var ErrNewer = errors.New("made by a newer Chancery")

// Original is one original file kept in the store, known by its SHA-256.
type Original struct {
	SHA256 string
	Size   int64
}

// SnapshotInfo describes a snapshot of the knowledge base: a whole SQLite database in one
// file, holding the original files too (in its files table).
type SnapshotInfo struct {
	Path      string
	Bytes     int64 // the file's size
	Schema    int   // its schema version
	Identity  string
	LastSeq   int64 // the last change it holds
	Kinds     map[Kind]int
	Live      int
	Trash     int
	Originals []Original // every original it holds, by SHA-256
}

// SchemaVersion is the schema version this Chancery makes and reads: the number of its
// migrations.
func SchemaVersion() int {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	return len(names)
}

// Snapshot writes a consistent copy of the whole knowledge base (every item, revision,
// link, setting and original file) to path, a new file, while the knowledge base stays in
// use: SQLite's VACUUM INTO, which reads one transaction's view of the database, never a
// copy of the live files. It fails when path exists. Writers are not held up beyond
// SQLite's own locking.
func (db *DB) Snapshot(ctx context.Context, path string) (SnapshotInfo, error) {
	if _, err := os.Lstat(path); err == nil {
		return SnapshotInfo{}, fmt.Errorf("store: snapshot to %s: the file exists", path)
	}
	if _, err := db.sql.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return SnapshotInfo{}, fmt.Errorf("store: snapshot to %s: %w", path, err)
	}
	if err := syncFile(path); err != nil {
		return SnapshotInfo{}, fmt.Errorf("store: snapshot to %s: %w", path, err)
	}
	info, _, err := inspect(ctx, path, false)
	return info, err
}

// CheckSnapshot opens the snapshot in path read-only, describes it, and checks it as Check
// checks the knowledge base (SQLite's integrity and foreign key checks, every original
// against its SHA-256), returning the problems found in words, none when it is sound. A
// file that is not a SQLite database fails with ErrDamaged; a snapshot with a schema newer
// than this Chancery's fails with ErrNewer. It changes nothing.
func CheckSnapshot(ctx context.Context, path string) (SnapshotInfo, []string, error) {
	return inspect(ctx, path, true)
}

// inspect opens the snapshot in path read-only and describes it; check also runs Check's
// checks on it.
func inspect(ctx context.Context, path string, check bool) (SnapshotInfo, []string, error) {
	info := SnapshotInfo{Path: path}
	st, err := os.Stat(path)
	if err != nil {
		return info, nil, fmt.Errorf("store: read snapshot: %w", err)
	}
	info.Bytes = st.Size()
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1") // nothing else writes it: no -wal, no -shm, no lock files
	sdb, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return info, nil, fmt.Errorf("store: open snapshot %s: %w", path, err)
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	db := &DB{sql: sdb, dir: filepath.Dir(path)}
	damaged := func(what string, err error) error {
		return fmt.Errorf("store: the snapshot %s is %w: %s: %v", path, ErrDamaged, what, err)
	}
	if err := sdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return info, nil, damaged("not a readable SQLite database", err)
	}
	if info.Schema > SchemaVersion() {
		return info, nil, fmt.Errorf("store: the snapshot %s has schema version %d, %w (this one knows %d): use a newer Chancery", path, info.Schema, ErrNewer, SchemaVersion())
	}
	if info.Schema == 0 {
		return info, nil, fmt.Errorf("store: the snapshot %s is %w: it holds no Chancery knowledge base (schema version 0)", path, ErrDamaged)
	}
	var problems []string
	if check {
		if problems, err = db.Check(ctx); err != nil {
			return info, nil, damaged("its checks could not run", err)
		}
	}
	if err := sdb.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", keyIdentity).Scan(&info.Identity); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return info, problems, damaged("its identity cannot be read", err)
	}
	if info.LastSeq, err = db.LastSeq(ctx); err != nil {
		return info, problems, damaged("its change sequence cannot be read", err)
	}
	stats, err := db.Stats(ctx)
	if err != nil {
		return info, problems, damaged("its items cannot be counted", err)
	}
	info.Kinds, info.Live, info.Trash = stats.Kinds, stats.Live, stats.Trash
	rows, err := sdb.QueryContext(ctx, "SELECT sha256, size FROM files ORDER BY sha256")
	if err != nil {
		return info, problems, damaged("its original files cannot be listed", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Original
		if err := rows.Scan(&o.SHA256, &o.Size); err != nil {
			return info, problems, damaged("its original files cannot be listed", err)
		}
		info.Originals = append(info.Originals, o)
	}
	if err := rows.Err(); err != nil {
		return info, problems, damaged("its original files cannot be listed", err)
	}
	return info, problems, nil
}

// InstallSnapshot makes the snapshot in path the database of the knowledge base in dir,
// which must hold none (no database, no marker, not locked): it moves the file into dir
// (copying it when it is on another file system) and makes it durable. The next Open
// brings its schema up to date and writes its marker. The snapshot should have been
// checked (CheckSnapshot) first.
func InstallSnapshot(ctx context.Context, path, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: create data folder: %w", err)
	}
	lf, err := lockFolder(dir)
	if err != nil {
		return err
	}
	defer lf.Close()
	for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm", MarkerName} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("store: install snapshot in %s: %s is there already; move the folder away first", dir, name)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp := filepath.Join(dir, FileName+".restoring")
	_ = os.Remove(tmp)
	if err := os.Rename(path, tmp); err != nil {
		if err := copyFile(path, tmp); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("store: install snapshot in %s: %w", dir, err)
		}
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store: install snapshot in %s: %w", dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, FileName)); err != nil {
		return fmt.Errorf("store: install snapshot in %s: %w", dir, err)
	}
	return syncDir(dir)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable (where the OS allows opening a folder).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer f.Close()
	_ = f.Sync()
	return nil
}
