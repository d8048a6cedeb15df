package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TrashMark is the trash state of one version of an item, as team sync sends it: Gen is
// odd when the item was deleted at that version, even when it was brought back (0: never
// deleted); each Delete and Restore takes the next one, and of two marks of a version the
// higher Gen wins, so deletions and restores end the same on every desk whatever order
// they arrive in. An item is in the trash when the mark of its current version is odd.
type TrashMark struct {
	ID   string
	Hash string // the ContentHash of the version deleted or restored
	Gen  int
	Seq  int64  // the change sequence of the mark here
	Desk string // the desk it came from; "" for this desk
}

// Deleted reports whether the mark is a deletion (odd Gen).
func (m TrashMark) Deleted() bool { return m.Gen%2 == 1 }

// TrashMarks lists the trash marks changed after sequence number since, in sequence
// order: what a desk sends as tombstones (odd) and restores (even).
func (db *DB) TrashMarks(ctx context.Context, since int64) ([]TrashMark, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT item_id, hash, gen, seq, desk FROM sync_trash WHERE seq > ? ORDER BY seq, item_id", since)
	if err != nil {
		return nil, fmt.Errorf("store: list trash marks: %w", err)
	}
	defer rows.Close()
	var out []TrashMark
	for rows.Next() {
		var m TrashMark
		if err := rows.Scan(&m.ID, &m.Hash, &m.Gen, &m.Seq, &m.Desk); err != nil {
			return nil, fmt.Errorf("store: list trash marks: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TrashGen returns the trash generation of version hash of item id (0 when it has none).
func (db *DB) TrashGen(ctx context.Context, id, hash string) (int, error) {
	var g int
	err := db.sql.QueryRowContext(ctx, "SELECT gen FROM sync_trash WHERE item_id = ? AND hash = ?", id, hash).Scan(&g)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: trash mark of %s: %w", id, err)
	}
	return g, nil
}

// markTrash records, in tx, that item id was deleted (trash) or restored at its current
// version: the next odd or even generation of that version (trash.go calls it).
func markTrash(ctx context.Context, tx *sql.Tx, id string, trash bool, seq int64) error {
	it, err := scanItem(tx.QueryRowContext(ctx, selectItems(true)+" WHERE i.id = ?", id))
	if err != nil {
		return notFound(err)
	}
	h := it.ContentHash()
	var g int
	if err := tx.QueryRowContext(ctx, "SELECT gen FROM sync_trash WHERE item_id = ? AND hash = ?", id, h).Scan(&g); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if (g%2 == 1) == trash {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sync_trash(item_id, hash, gen, seq, desk) VALUES (?, ?, ?, ?, '')
		ON CONFLICT(item_id, hash) DO UPDATE SET gen = excluded.gen, seq = excluded.seq, desk = ''`, id, h, g+1, seq)
	return err
}

// liveMark keeps the trash marks true to a save: a save brings its item out of the trash,
// so when the version saved is one that was deleted (a save over the trash of the same
// content, RestoreRevision, a resolution keeping a deleted version), its mark becomes the
// next even generation, and the restore travels.
func (w *itemWriter) liveMark(ctx context.Context, it Item) error {
	if w.keepMarks {
		return nil
	}
	var n int
	if err := w.queryRow(ctx, "SELECT count(*) FROM sync_trash WHERE item_id = ? AND gen % 2 = 1", it.ID).Scan(&n); err != nil || n == 0 {
		return err
	}
	h := it.ContentHash()
	var g int
	if err := w.queryRow(ctx, "SELECT gen FROM sync_trash WHERE item_id = ? AND hash = ?", it.ID, h).Scan(&g); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	}
	if g%2 == 0 {
		return nil
	}
	_, err := w.exec(ctx, "UPDATE sync_trash SET gen = ?, seq = ?, desk = '' WHERE item_id = ? AND hash = ?", g+1, w.seq, it.ID, h)
	return err
}

// SyncState returns the value kept under key in the sync state ("" when none). The sync
// engine keeps its cursors there (see ApplyOptions.State).
func (db *DB) SyncState(ctx context.Context, key string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, "SELECT value FROM sync_state WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: read sync state %s: %w", key, err)
	}
	return v, nil
}

// SetSyncState keeps value under key in the sync state (an empty value removes it).
func (db *DB) SetSyncState(ctx context.Context, key, value string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error { return setSyncState(ctx, tx, map[string]string{key: value}) })
	if err != nil {
		return fmt.Errorf("store: write sync state %s: %w", key, err)
	}
	return nil
}

func setSyncState(ctx context.Context, tx *sql.Tx, kv map[string]string) error {
	for k, v := range kv {
		var err error
		if v == "" {
			_, err = tx.ExecContext(ctx, "DELETE FROM sync_state WHERE key = ?", k)
		} else {
			_, err = tx.ExecContext(ctx, "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", k, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Withdrawal is an item another desk withdrew from the team (raised above the remote's
// ceiling): hidden here, in the trash, with the reason the user is told.
type Withdrawal struct {
	ID     string
	Desk   string
	Reason string // "withdrawn by desk …: …"
	At     time.Time
}

// AuditSyncWithdrawal is the audit action of a withdrawal applied here.
const AuditSyncWithdrawal = "sync-withdrawal"

// ApplyWithdrawal hides item id, which desk withdrew from the team: it is moved to the
// trash here, recorded with the reason ("withdrawn by desk DESK: REASON", Withdrawals),
// and in the audit trail. Versions of it that arrive later are not applied (PackResult.
// Withdrawn), and the sync engine sends nothing of it (Withdrawals). An item never here
// is remembered all the same. Applying the same withdrawal again changes nothing.
func (db *DB) ApplyWithdrawal(ctx context.Context, id, desk, reason string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sync_withdrawn WHERE item_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		why := fmt.Sprintf("withdrawn by desk %s", desk)
		if reason != "" {
			why += ": " + reason
		}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, "INSERT INTO sync_withdrawn(item_id, desk, reason, at) VALUES (?, ?, ?, ?)", id, desk, why, toMillis(now)); err != nil {
			return err
		}
		seq, err := nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE items SET deleted = ?, seq = ? WHERE id = ? AND deleted IS NULL", toMillis(now), seq, id); err != nil {
			return err
		}
		return db.auditTx(ctx, tx, AuditEvent{Action: AuditSyncWithdrawal, Subject: id, Detail: why})
	})
	if err != nil {
		return fmt.Errorf("store: withdraw %s: %w", id, err)
	}
	return nil
}

// Withdrawals lists the items other desks withdrew, newest first.
func (db *DB) Withdrawals(ctx context.Context) ([]Withdrawal, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT item_id, desk, reason, at FROM sync_withdrawn ORDER BY at DESC, item_id")
	if err != nil {
		return nil, fmt.Errorf("store: list withdrawals: %w", err)
	}
	defer rows.Close()
	var out []Withdrawal
	for rows.Next() {
		var w Withdrawal
		var at int64
		if err := rows.Scan(&w.ID, &w.Desk, &w.Reason, &at); err != nil {
			return nil, fmt.Errorf("store: list withdrawals: %w", err)
		}
		w.At = fromMillis(at)
		out = append(out, w)
	}
	return out, rows.Err()
}
