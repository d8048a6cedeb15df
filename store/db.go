package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file's name inside the data folder.
const FileName = "chancery.db"

// LockName is the lock file's name inside the data folder.
const LockName = "chancery.lock"

// MarkerName is the file the store keeps beside the database, holding its Identity: a
// folder with the marker (or an index) but no database, or an empty one, is damaged, not
// new.
const MarkerName = "chancery.id"

// keyIdentity is the settings key of the knowledge base's Identity.
const keyIdentity = "identity"

var errLockHeld = errors.New("lock held")

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the knowledge base: one SQLite file in a data folder, opened by one process at a
// time.
type DB struct {
	sql  *sql.DB
	dir  string
	lock *os.File
	id   string // Identity

	maxClass string // the highest marking allowed (Options.MaxClass), "" for any
	maxRank  int

	defaultClass string // the marking of items saved without one (Options.DefaultClass)

	announce Signals // subscribers to its commits (announce.go)

	// closing: a commit that appended to the audit trail holds it to read until the trail's
	// head is written beside the database after it (commitWithAudit); Close takes it to
	// write, so that nothing is written into the folder once Close has returned.
	closing sync.RWMutex
}

// Open opens (creating it if needed) the knowledge base in dir and brings its schema up to
// date. It fails with ErrLocked, at once, when another process has it open.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := FinishRestore(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data folder: %w", err)
	}
	lf, err := lockFolder(dir)
	if err != nil {
		return nil, err
	}
	// Record who holds it, for people looking at the folder.
	_ = lf.Truncate(0)
	_, _ = lf.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	if err := checkNotDamaged(dir); err != nil {
		lf.Close()
		return nil, err
	}

	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)", "secure_delete(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + uriPath(filepath.Join(dir, FileName)) + "?" + q.Encode()
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		lf.Close()
		return nil, fmt.Errorf("store: open database: %w", err)
	}
	db := &DB{sql: sdb, dir: dir, lock: lf}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, corrupt(dir, err)
	}
	if err := db.loadIdentity(ctx); err != nil {
		db.Close()
		return nil, corrupt(dir, err)
	}
	if err := db.fillLanguages(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkNotDamaged refuses a data folder whose database is missing or empty while the rest
// of a knowledge base is there (the store's marker, or the search index): opening it would
// make a new, empty knowledge base over the loss.
func checkNotDamaged(dir string) error {
	st, err := os.Stat(filepath.Join(dir, FileName))
	switch {
	case err == nil && st.Size() > 0:
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: read %s: %w", filepath.Join(dir, FileName), err)
	}
	what := "is missing"
	if err == nil {
		what = "is empty (0 bytes)"
	}
	var evidence []string
	if _, err := os.Stat(filepath.Join(dir, MarkerName)); err == nil {
		evidence = append(evidence, "its marker "+MarkerName)
	}
	if _, err := os.Stat(filepath.Join(dir, "index", "index_meta.json")); err == nil {
		evidence = append(evidence, "its search index")
	}
	if len(evidence) == 0 {
		return nil // a new knowledge base
	}
	verb := "are"
	if len(evidence) == 1 {
		verb = "is"
	}
	return fmt.Errorf("store: the knowledge base in %s is %w: its database %s %s, but %s %s still there. Nothing was changed: "+
		"restore %s from a backup, or move the folder away to start a new knowledge base",
		dir, ErrDamaged, FileName, what, strings.Join(evidence, " and "), verb, FileName)
}

// loadIdentity reads the knowledge base's Identity, making it the first time, and keeps the
// marker beside the database up to date.
func (db *DB) loadIdentity(ctx context.Context) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("store: make identity: %w", err)
	}
	if _, err := db.sql.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", keyIdentity, hex.EncodeToString(b)); err != nil {
		return fmt.Errorf("store: record identity: %w", err)
	}
	if err := db.sql.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", keyIdentity).Scan(&db.id); err != nil {
		return fmt.Errorf("store: read identity: %w", err)
	}
	marker := filepath.Join(db.dir, MarkerName)
	if cur, err := os.ReadFile(marker); err != nil || strings.TrimSpace(string(cur)) != db.id {
		if err := os.WriteFile(marker, []byte(db.id+"\n"), 0o600); err != nil {
			return fmt.Errorf("store: write %s: %w", marker, err)
		}
	}
	return nil
}

// Identity is the knowledge base's identity: random, made once when the database is
// created and kept in it, so that what is derived from it (the search index) can tell
// another database (a restored copy) from its own.
func (db *DB) Identity() string { return db.id }

// Dir is the data folder the knowledge base lives in.
func (db *DB) Dir() string { return db.dir }

// Close closes the database and releases the folder. It closes every subscription's
// channel (Subscribe).
func (db *DB) Close() error {
	db.closing.Lock() // the audit heads of commits under way are written first
	defer db.closing.Unlock()
	db.announce.Close()
	err := db.sql.Close()
	if db.lock != nil {
		db.lock.Close()
	}
	return err
}

// migrate applies the embedded migrations not yet applied, each with its version bump in one
// transaction.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	var version int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("store: the knowledge base has schema version %d, newer than this Chancery knows (%d): use a newer Chancery", version, len(names))
	}
	for i, name := range names {
		n, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil || n != i+1 {
			return fmt.Errorf("store: migration %s is out of sequence", name)
		}
		if n <= version {
			continue
		}
		script, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("store: read migration %s: %w", name, err)
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(script)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: apply migration %s: %w", name, err)
		}
	}
	return nil
}

// tx runs fn in one immediate transaction, committing when fn returns nil. It is the one
// way the store writes: a commit that moved the change sequence is announced to the
// subscribers (Subscribe).
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		movedSeq(tx)
		takeAuditHeads(tx)
		return err
	}
	err = db.commitWithAudit(tx) // tx.Commit, anchoring what it appended to the audit trail
	if movedSeq(tx) && err == nil {
		db.announce.Send()
	}
	return err
}

// nextSeq advances the change sequence by one inside tx and returns the new value.
func nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, "UPDATE counters SET value = value + 1 WHERE name = 'seq' RETURNING value").Scan(&seq)
	if err == nil {
		seqMoved.Store(tx, struct{}{})
	}
	return seq, err
}

// notFound maps sql.ErrNoRows to ErrNotFound; the one place that does.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// Check runs SQLite's integrity and foreign key checks, verifies every original file
// against its recorded SHA-256, and returns the problems found, none when the database is
// sound.
func (db *DB) Check(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := db.sql.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("store: integrity check: %w", err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: integrity check: %w", err)
	}
	rows, err = db.sql.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, fmt.Errorf("store: foreign key check: %w", err)
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: foreign key check: %w", err)
	}
	bad, err := db.checkOriginals(ctx)
	if err != nil {
		return nil, err
	}
	return append(problems, bad...), nil
}

// uriPath writes a file's path for a SQLite "file:" URI: the characters a URI gives a
// meaning to (%, ?, #) are escaped, so that a folder named "why?" or "desk #3" holds its
// database instead of sending it elsewhere.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(filepath.ToSlash(path))
}
