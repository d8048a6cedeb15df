package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Get returns the item with that ID, in the trash or not.
func (db *DB) Get(ctx context.Context, id string) (Item, error) {
	it, err := scanItem(db.sql.QueryRowContext(ctx, selectItems(true)+" WHERE i.id = ?", id))
	if err != nil {
		return Item{}, fmt.Errorf("store: get %s: %w", id, notFound(err))
	}
	return it, nil
}

// GetMany returns the items with those IDs that exist, in the order of ids.
func (db *DB) GetMany(ctx context.Context, ids []string) ([]Item, error) {
	byID := make(map[string]Item, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := selectItems(true) + " WHERE i.id IN (?" + strings.Repeat(",?", len(chunk)-1) + ")"
		if err := db.query(ctx, q, args, func(it Item) { byID[it.ID] = it }); err != nil {
			return nil, fmt.Errorf("store: get items: %w", err)
		}
	}
	out := make([]Item, 0, len(byID))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

func (db *DB) query(ctx context.Context, q string, args []any, each func(Item)) error {
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return err
		}
		each(it)
	}
	return rows.Err()
}

// ListOptions select and order the items List returns.
type ListOptions struct {
	Kind    Kind   // empty for every kind
	Tag     string // only items with this tag
	Country string // only items about this country (alpha-3)
	Topic   string // only items with this topic
	// Status, when set, keeps only documents with this import status (StatusOK,
	// StatusEmpty, StatusFailed).
	Status   string
	Trash    bool // the trash instead of the live items
	WithBody bool // also read Body (large for documents)
	Limit    int  // at most this many; all when zero
	Offset   int
}

// List returns items ordered by title (the trash: most recently deleted first).
func (db *DB) List(ctx context.Context, opt ListOptions) ([]Item, error) {
	where, args := listWhere(opt)
	q := selectItems(opt.WithBody) + " WHERE " + where
	if opt.Trash {
		q += " ORDER BY i.deleted DESC, i.id"
	} else {
		q += " ORDER BY i.title COLLATE NOCASE, i.id"
	}
	if opt.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", opt.Limit, opt.Offset)
	}
	var out []Item
	if err := db.query(ctx, q, args, func(it Item) { out = append(out, it) }); err != nil {
		return nil, fmt.Errorf("store: list: %w", err)
	}
	return out, nil
}

// Backlinks returns the links from live items to the item id.
func (db *DB) Backlinks(ctx context.Context, id string) ([]Link, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT l.from_id, l.rel FROM links l JOIN items i ON i.id = l.from_id
		WHERE l.to_id = ? AND i.deleted IS NULL ORDER BY i.title COLLATE NOCASE, l.from_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: backlinks of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l := Link{To: id}
		if err := rows.Scan(&l.From, &l.Rel); err != nil {
			return nil, fmt.Errorf("store: backlinks of %s: %w", id, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
