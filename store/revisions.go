package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Revision is a previous version of an item.
type Revision struct {
	Rev   int
	Saved time.Time // when it was replaced by the next version
	Item  Item
}

// Revisions returns the previous versions of an item, newest first.
func (db *DB) Revisions(ctx context.Context, id string) ([]Revision, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT rev, saved, snapshot FROM revisions WHERE item_id = ? ORDER BY rev DESC", id)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var saved int64
		var snap string
		if err := rows.Scan(&r.Rev, &saved, &snap); err != nil {
			return nil, fmt.Errorf("store: revisions of %s: %w", id, err)
		}
		r.Saved = fromMillis(saved)
		if err := json.Unmarshal([]byte(snap), &r.Item); err != nil {
			return nil, fmt.Errorf("store: revision %d of %s is unreadable: %w", r.Rev, id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RestoreRevision saves revision rev of an item as its newest version (the current one
// becomes a revision in turn).
func (db *DB) RestoreRevision(ctx context.Context, id string, rev int) (Item, error) {
	revs, err := db.Revisions(ctx, id)
	if err != nil {
		return Item{}, err
	}
	for _, r := range revs {
		if r.Rev == rev {
			it := r.Item
			it.Rev = 0
			return db.Save(ctx, it)
		}
	}
	return Item{}, fmt.Errorf("store: revision %d of %s: %w", rev, id, ErrNotFound)
}
