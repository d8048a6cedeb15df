package store

import (
	"context"
	"fmt"
)

// ResolutionPrefix begins the parent marker a conflict's resolution names among the
// parents of the version it keeps: "resolved:CURRENT:OTHER" (ResolveConflict).
const ResolutionPrefix = resolvedPrefix

// ResolutionMarkers returns the resolution markers every version names among its parents,
// as item ID → ContentHash → markers (sorted). A resolution that keeps the version current
// now adds a marker but no new content; team sync compares the markers as well as the
// ContentHash with what a remote holds, so that such a resolution is sent again.
func (db *DB) ResolutionMarkers(ctx context.Context) (map[string]map[string][]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT item_id, hash, parent FROM sync_parents
		WHERE substr(parent, 1, ?) = ? ORDER BY item_id, hash, parent`, len(resolvedPrefix), resolvedPrefix)
	if err != nil {
		return nil, fmt.Errorf("store: resolution markers: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string][]string{}
	for rows.Next() {
		var id, hash, marker string
		if err := rows.Scan(&id, &hash, &marker); err != nil {
			return nil, fmt.Errorf("store: resolution markers: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string][]string{}
		}
		out[id][hash] = append(out[id][hash], marker)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: resolution markers: %w", err)
	}
	return out, nil
}
