package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Delete moves an item to the trash. Its links stay, so restoring it brings them back.
func (db *DB) Delete(ctx context.Context, id string) error {
	return db.setDeleted(ctx, id, true)
}

// Restore brings an item back from the trash. An item marked above the highest marking
// allowed (Options.MaxClass) stays there: ErrAboveCeiling.
func (db *DB) Restore(ctx context.Context, id string) error {
	return db.setDeleted(ctx, id, false)
}

func (db *DB) setDeleted(ctx context.Context, id string, trash bool) error {
	verb := "restore"
	if trash {
		verb = "delete"
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if !trash && db.maxClass != "" {
			var it Item
			var rank int
			err := tx.QueryRowContext(ctx, "SELECT i.title, i.class, c.rank FROM items i JOIN classes c ON c.name = i.class WHERE i.id = ?", id).Scan(&it.Title, &it.Class, &rank)
			if err != nil {
				return notFound(err)
			}
			if err := db.checkCeiling(it, map[string]int{it.Class: rank}); err != nil {
				return err
			}
		}
		var deleted any
		cond := "deleted IS NOT NULL"
		if trash {
			deleted, cond = toMillis(time.Now()), "deleted IS NULL"
		}
		res, err := tx.ExecContext(ctx, "UPDATE items SET deleted = ?, seq = ? WHERE id = ? AND "+cond, deleted, seq, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM items WHERE id = ?", id).Scan(&exists); err != nil {
				return notFound(err)
			}
			return nil
		}
		return markTrash(ctx, tx, id, trash, seq) // for team sync: a tombstone or a restore (syncstate.go)
	})
	if err != nil {
		return fmt.Errorf("store: %s %s: %w", verb, id, err)
	}
	return nil
}

// EmptyTrash removes every item in the trash for good, with its revisions and links, and
// the original files no item refers to any more. It returns how many items went. What went
// is gone from the files too: deleted content is overwritten (secure_delete, on every
// connection), and the write-ahead log, which still holds the pages as they were, is
// checkpointed into the database and truncated.
func (db *DB) EmptyTrash(ctx context.Context) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if err := db.auditPurge(ctx, tx); err != nil { // in the audit trail, with what goes
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO tombstones(id, seq) SELECT id, ? FROM items WHERE deleted IS NOT NULL", seq); err != nil {
			return err
		}
		// A conflict's other version is text of the item (team sync, conflicts.go).
		if _, err := tx.ExecContext(ctx, "DELETE FROM sync_conflicts WHERE item_id IN (SELECT id FROM items WHERE deleted IS NOT NULL)"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM links WHERE to_id IN (SELECT id FROM items WHERE deleted IS NOT NULL)"); err != nil {
			return err
		}
		// What an import recorded of them (their revision, a hash of the file's content).
		if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE key IN (SELECT 'import:' || id FROM items WHERE deleted IS NOT NULL)"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM items WHERE deleted IS NOT NULL")
		if err != nil {
			return err
		}
		n64, _ := res.RowsAffected()
		n = int(n64)
		_, err = tx.ExecContext(ctx, `DELETE FROM files WHERE sha256 NOT IN (
			SELECT json_extract(data, '$.SHA256') FROM items WHERE kind = 'document' AND json_extract(data, '$.SHA256') IS NOT NULL
			UNION SELECT json_extract(snapshot, '$.Document.SHA256') FROM revisions WHERE json_extract(snapshot, '$.Document.SHA256') IS NOT NULL)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: empty trash: %w", err)
	}
	if err := db.truncateWAL(ctx); err != nil {
		return n, fmt.Errorf("store: empty trash: the items are removed, but their old pages may remain in %s-wal until the next start: %w", FileName, err)
	}
	return n, nil
}

// truncateWAL copies the write-ahead log into the database and empties it, so that no
// earlier version of a page remains in it.
func (db *DB) truncateWAL(ctx context.Context) error {
	var busy, logPages, done int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("the log is in use by a reader")
	}
	return nil
}
