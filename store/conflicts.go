package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Conflict is two versions of an item that neither was made from the other, met by team
// sync (ApplyOptions.Sync). Current is the item as it is now (the winner, ConflictWinner,
// or for a contact the field-by-field merge); Other is the version that lost, kept as a
// revision. Nothing of either is dropped; the user chooses or merges (ResolveConflict).
// Fields ["Deleted"] means the other version was deleted (on OtherDesk) while the item
// changed (the change won: the item is live); to delete it after all, resolve keeping
// Current and Delete the item.
type Conflict struct {
	ID          int64
	ItemID      string
	Kind        Kind
	Title       string
	Class       string
	Current     Item   // the item as it is now
	CurrentHash string // the version that won (or the merge), when the conflict was found
	Other       Item   // the version that lost
	OtherHash   string
	OtherDesk   string   // the desk the other version came from; "" for this desk
	Fields      []string // the fields that differ between the two ("Title", "Contact.Phones"...)
	Found       time.Time
	Resolved    time.Time // zero while open
}

// Conflicts lists the conflicts, newest first: only the open ones when open is set.
// Conflicts of items purged from the trash are not listed.
func (db *DB) Conflicts(ctx context.Context, open bool) ([]Conflict, error) {
	q := `SELECT c.id, c.item_id, c.current_hash, c.other_hash, c.other_desk, c.other, c.fields, c.found, c.resolved
		FROM sync_conflicts c JOIN items i ON i.id = c.item_id`
	if open {
		q += " WHERE c.resolved = 0"
	}
	rows, err := db.sql.QueryContext(ctx, q+" ORDER BY c.found DESC, c.id DESC")
	if err != nil {
		return nil, fmt.Errorf("store: list conflicts: %w", err)
	}
	var out []Conflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list conflicts: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list conflicts: %w", err)
	}
	ids := make([]string, 0, len(out))
	for _, c := range out {
		ids = append(ids, c.ItemID)
	}
	items, err := db.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for i := range out {
		cur := byID[out[i].ItemID]
		out[i].Current, out[i].Kind, out[i].Title, out[i].Class = cur, cur.Kind, cur.Title, cur.Class
	}
	return out, nil
}

func scanConflict(s scanner) (Conflict, error) {
	var c Conflict
	var other, fields string
	var found, resolved int64
	if err := s.Scan(&c.ID, &c.ItemID, &c.CurrentHash, &c.OtherHash, &c.OtherDesk, &other, &fields, &found, &resolved); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(other), &c.Other); err != nil {
		return c, fmt.Errorf("conflict %d of %s: the other version is unreadable: %w", c.ID, c.ItemID, err)
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return c, fmt.Errorf("conflict %d of %s: %w", c.ID, c.ItemID, err)
	}
	c.Found = fromMillis(found)
	if resolved != 0 {
		c.Resolved = fromMillis(resolved)
	}
	return c, nil
}

// OpenConflicts counts the open conflicts (of items not purged), for the status line.
func (db *DB) OpenConflicts(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM sync_conflicts c JOIN items i ON i.id = c.item_id
		WHERE c.resolved = 0`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count conflicts: %w", err)
	}
	return n, nil
}

// ResolveConflict closes conflict id by saving keep (either side, or a merge the user
// edited; its ID is the conflict's item) as a new version of the item made from both
// versions of the conflict and from the item's version now: it names them as its parents,
// with a marker "resolved:CURRENT:OTHER", so that when it reaches another desk it is an
// update there and closes that desk's conflict between the same versions. When keep is
// the same as the version now, no new content is saved, but the version now names the
// other as a parent (and the marker) and is sent again. The conflict is closed, and the
// resolution recorded in the audit trail. It returns the item as saved. An unknown id is
// ErrNotFound; a conflict already resolved is ErrInvalid.
func (db *DB) ResolveConflict(ctx context.Context, id int64, keep Item) (Item, error) {
	var out Item
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		w := &itemWriter{db: db, tx: tx, now: time.Now().UTC().Truncate(time.Millisecond), classes: classes, topics: topics}
		defer w.close()
		c, err := scanConflict(w.queryRow(ctx, `SELECT id, item_id, current_hash, other_hash, other_desk, other, fields, found, resolved
			FROM sync_conflicts WHERE id = ?`, id))
		if err != nil {
			return notFound(err)
		}
		if !c.Resolved.IsZero() {
			return fmt.Errorf("%w: the conflict %d of %s was resolved on %s", ErrInvalid, id, c.ItemID, c.Resolved.Format(time.RFC3339))
		}
		out, err = w.resolve(ctx, c, keep)
		return err
	})
	if err != nil {
		return Item{}, fmt.Errorf("store: resolve conflict %d: %w", id, err)
	}
	return out, nil
}
