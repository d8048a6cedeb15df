package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// SourceKeysWithPrefix returns the source keys that start with prefix (a source's
// namespace, like "ungd:") and the IDs of the items that hold them.
func (db *DB) SourceKeysWithPrefix(ctx context.Context, prefix string) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, "SELECT source_key, id FROM items WHERE source_key >= ? AND source_key < ?", prefix, prefix+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("store: list source keys %s: %w", prefix, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, id string
		if err := rows.Scan(&k, &id); err != nil {
			return nil, fmt.Errorf("store: list source keys %s: %w", prefix, err)
		}
		out[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list source keys %s: %w", prefix, err)
	}
	return out, nil
}

// SourceKeyIDs returns the IDs of the items imported with those source keys, by key; keys
// not stored are absent.
func (db *DB) SourceKeyIDs(ctx context.Context, keys []string) (map[string]string, error) {
	out := map[string]string{}
	for chunk := range slices.Chunk(keys, 500) {
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = k
		}
		rows, err := db.sql.QueryContext(ctx, "SELECT source_key, id FROM items WHERE source_key IN (?"+strings.Repeat(",?", len(chunk)-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("store: look up source keys: %w", err)
		}
		for rows.Next() {
			var k, id string
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: look up source keys: %w", err)
			}
			out[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: look up source keys: %w", err)
		}
	}
	return out, nil
}
