package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// KeptSearch is a standing search: a query in the product's query language kept under a
// name, to be run again, and what its owner has seen of it. The store keeps it and says
// which items were written since it was last opened (FreshSince); which of them the query
// matches is for the search index to say: the store does not run queries.
type KeptSearch struct {
	ID    string
	Name  string
	Query string
	// Incident is the ID of the incident item the search belongs to, "" for none. An
	// incident has one or more.
	Incident string
	Created  time.Time
	// SeenSeq is the store's change sequence the search was last opened at (see
	// MarkKeptSeen); what was written after it is new or changed since then. A search
	// starts as seen at the change it was kept at.
	SeenSeq int64
	// Seen is when it was last opened (or kept).
	Seen time.Time
}

// Lengths beyond any real kept search's.
const (
	maxKeptName  = 200
	maxKeptQuery = 4000
)

// check refuses a kept search without a name or query, or with one far too long.
func (k KeptSearch) check() error {
	switch {
	case strings.TrimSpace(k.Name) == "":
		return fmt.Errorf("%w: a kept search needs a name", ErrInvalid)
	case strings.TrimSpace(k.Query) == "":
		return fmt.Errorf("%w: kept search %q has no query", ErrInvalid, k.Name)
	case utf8.RuneCountInString(k.Name) > maxKeptName:
		return fmt.Errorf("%w: the name of kept search %q… is longer than %d characters", ErrInvalid, string([]rune(k.Name)[:40]), maxKeptName)
	case len(k.Query) > maxKeptQuery:
		return fmt.Errorf("%w: the query of kept search %q is longer than %d bytes", ErrInvalid, k.Name, maxKeptQuery)
	}
	return nil
}

// KeepSearch keeps k: a new search when k.ID is "" (seen as of the store's latest change,
// so that nothing is new in it yet), else the search with that ID renamed, its query or
// incident changed (its seen state stays). It returns the search as kept. A search without
// a name or query fails with ErrInvalid; an unknown ID with ErrNotFound. Kept searches are
// not items: keeping one moves no change sequence and announces nothing.
func (db *DB) KeepSearch(ctx context.Context, k KeptSearch) (KeptSearch, error) {
	k.Name, k.Query = strings.TrimSpace(k.Name), strings.TrimSpace(k.Query)
	if err := k.check(); err != nil {
		return KeptSearch{}, fmt.Errorf("store: keep search: %w", err)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if k.ID != "" {
			res, err := tx.ExecContext(ctx, "UPDATE kept_searches SET name = ?, query = ?, incident = ? WHERE id = ?", k.Name, k.Query, k.Incident, k.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("kept search %s: %w", k.ID, ErrNotFound)
			}
			return nil
		}
		if err := tx.QueryRowContext(ctx, "SELECT value FROM counters WHERE name = 'seq'").Scan(&k.SeenSeq); err != nil {
			return err
		}
		k.ID = NewID()
		now := time.Now()
		_, err := tx.ExecContext(ctx, "INSERT INTO kept_searches(id, name, query, incident, created, seen_seq, seen) VALUES (?,?,?,?,?,?,?)",
			k.ID, k.Name, k.Query, k.Incident, toMillis(now), k.SeenSeq, toMillis(now))
		return err
	})
	if err != nil {
		return KeptSearch{}, fmt.Errorf("store: keep search %q: %w", k.Name, err)
	}
	return db.KeptSearch(ctx, k.ID)
}

const keptColumns = "id, name, query, incident, created, seen_seq, seen"

func scanKept(s scanner) (KeptSearch, error) {
	var k KeptSearch
	var created int64
	var seen sql.NullInt64
	if err := s.Scan(&k.ID, &k.Name, &k.Query, &k.Incident, &created, &k.SeenSeq, &seen); err != nil {
		return KeptSearch{}, err
	}
	k.Created = fromMillis(created)
	if seen.Valid {
		k.Seen = fromMillis(seen.Int64)
	}
	return k, nil
}

// KeptSearch returns the kept search with ID id, or ErrNotFound.
func (db *DB) KeptSearch(ctx context.Context, id string) (KeptSearch, error) {
	k, err := scanKept(db.sql.QueryRowContext(ctx, "SELECT "+keptColumns+" FROM kept_searches WHERE id = ?", id))
	if err != nil {
		return KeptSearch{}, fmt.Errorf("store: kept search %s: %w", id, notFound(err))
	}
	return k, nil
}

// KeptSearches returns every kept search: those of no incident first, then by incident,
// each group by name.
func (db *DB) KeptSearches(ctx context.Context) ([]KeptSearch, error) {
	return db.keptWhere(ctx, "", nil)
}

// IncidentSearches returns the kept searches of incident id, by name.
func (db *DB) IncidentSearches(ctx context.Context, incident string) ([]KeptSearch, error) {
	return db.keptWhere(ctx, "WHERE incident = ?", []any{incident})
}

func (db *DB) keptWhere(ctx context.Context, where string, args []any) ([]KeptSearch, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT "+keptColumns+" FROM kept_searches "+where+" ORDER BY incident, name COLLATE NOCASE, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: list kept searches: %w", err)
	}
	defer rows.Close()
	var out []KeptSearch
	for rows.Next() {
		k, err := scanKept(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list kept searches: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list kept searches: %w", err)
	}
	return out, nil
}

// DeleteKeptSearch forgets a kept search (ErrNotFound when there is none with ID id). The
// items it found are not touched.
func (db *DB) DeleteKeptSearch(ctx context.Context, id string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM kept_searches WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: delete kept search %s: %w", id, err)
	}
	return nil
}

// MarkKeptSeen records that kept search id was opened and its results seen as of the
// store's change seq: the change the search index had applied when it ran the query (so
// that what it did not hold yet stays new for next time). A seq beyond the store's latest
// change is taken as the latest; one before what was seen already leaves it (a late
// answer never makes seen items new again). It returns the search as now kept.
func (db *DB) MarkKeptSeen(ctx context.Context, id string, seq int64) (KeptSearch, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE kept_searches
			SET seen_seq = max(seen_seq, min(?, (SELECT value FROM counters WHERE name = 'seq'))), seen = ?
			WHERE id = ?`, seq, toMillis(time.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return KeptSearch{}, fmt.Errorf("store: mark kept search %s seen: %w", id, err)
	}
	return db.KeptSearch(ctx, id)
}

// Fresh is a live item written after a change sequence number (FreshSince).
type Fresh struct {
	ID  string
	Seq int64 // the item's latest change
	// New: the item was inserted after it too (its birth, item_births), so it is new since
	// then, not changed.
	New bool
}

// FreshSince lists the live items written after change sequence since (saved, imported,
// restored from the trash), in the order they were last written, each new or changed:
//
//   - new: it was inserted after since: the item did not exist then;
//   - changed: it existed at since (inserted before) and was written after.
//
// Both are told by the store's change sequence, not by timestamps (an import or a sync
// keeps an item's own Created time, which may be long before it reached this knowledge
// base). An item's first change is the one it was inserted at, which the store records
// (item_births; items older than that record count as born at 0, before any kept
// search). Whatever moves an item's sequence after that makes it changed: a save, a trash
// and restore, a record added to an incident. Purged items and items in the trash are
// left out.
func (db *DB) FreshSince(ctx context.Context, since int64) ([]Fresh, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT i.id, i.seq, coalesce(b.seq, 0)
		FROM items i LEFT JOIN item_births b ON b.id = i.id
		WHERE i.seq > ? AND i.deleted IS NULL ORDER BY i.seq, i.id`, since)
	if err != nil {
		return nil, fmt.Errorf("store: list items written since change %d: %w", since, err)
	}
	defer rows.Close()
	var out []Fresh
	for rows.Next() {
		var f Fresh
		var first int64
		if err := rows.Scan(&f.ID, &f.Seq, &first); err != nil {
			return nil, fmt.Errorf("store: list items written since change %d: %w", since, err)
		}
		f.New = first > since
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list items written since change %d: %w", since, err)
	}
	return out, nil
}
