package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// checkOriginals verifies every original file against the SHA-256 it is kept under, and
// that every document's original is there. It names each item whose original is altered
// or missing.
func (db *DB) checkOriginals(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT sha256, data FROM files ORDER BY sha256")
	if err != nil {
		return nil, fmt.Errorf("store: verify originals: %w", err)
	}
	var bad []string
	for rows.Next() {
		var sum string
		var data []byte
		if err := rows.Scan(&sum, &data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: verify originals: %w", err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			bad = append(bad, sum)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: verify originals: %w", err)
	}
	var problems []string
	describe := func(id, title string, trashed bool) string {
		s := fmt.Sprintf("%s %q", id, title)
		if trashed {
			s += " (in the trash)"
		}
		return s
	}
	for _, sum := range bad {
		n := 0
		err := db.eachDocument(ctx, "json_extract(i.data, '$.SHA256') = ?", sum, func(id, title string, trashed bool) {
			n++
			problems = append(problems, fmt.Sprintf("the original file of %s does not match the SHA-256 recorded when it was imported: altered or damaged", describe(id, title, trashed)))
		})
		if err != nil {
			return nil, err
		}
		if n == 0 {
			problems = append(problems, fmt.Sprintf("an original file kept for an earlier version of a document (SHA-256 %s) does not match its SHA-256: altered or damaged", sum))
		}
	}
	err = db.eachDocument(ctx, "json_extract(i.data, '$.SHA256') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM files f WHERE f.sha256 = json_extract(i.data, '$.SHA256'))", nil,
		func(id, title string, trashed bool) {
			problems = append(problems, fmt.Sprintf("the original file of %s is missing", describe(id, title, trashed)))
		})
	if err != nil {
		return nil, err
	}
	return problems, nil
}

// eachDocument calls fn for every document (live or in the trash) matching where.
func (db *DB) eachDocument(ctx context.Context, where string, arg any, fn func(id, title string, trashed bool)) error {
	var args []any
	if arg != nil {
		args = append(args, arg)
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT i.id, i.title, i.deleted IS NOT NULL FROM items i WHERE i.kind = 'document' AND "+where+" ORDER BY i.id", args...)
	if err != nil {
		return fmt.Errorf("store: verify originals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, title string
		var trashed bool
		if err := rows.Scan(&id, &title, &trashed); err != nil {
			return fmt.Errorf("store: verify originals: %w", err)
		}
		fn(id, title, trashed)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: verify originals: %w", err)
	}
	return nil
}

// Original returns the bytes of a document's original file. Bytes that no longer match the
// SHA-256 recorded when they were saved (altered or damaged) are not handed out: ErrDamaged,
// naming the item.
func (db *DB) Original(ctx context.Context, id string) ([]byte, error) {
	it, err := db.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.Document == nil || it.Document.SHA256 == "" {
		return nil, fmt.Errorf("store: original of %s: %w", id, ErrNotFound)
	}
	var data []byte
	if err := db.sql.QueryRowContext(ctx, "SELECT data FROM files WHERE sha256 = ?", it.Document.SHA256).Scan(&data); err != nil {
		return nil, fmt.Errorf("store: original of %s: %w", id, notFound(err))
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != it.Document.SHA256 {
		return nil, fmt.Errorf("store: the original file of %s %q does not match the SHA-256 recorded when it was imported; it was altered or is %w", id, it.Title, ErrDamaged)
	}
	return data, nil
}
