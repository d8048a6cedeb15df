package store

import (
	"context"
	"database/sql"
)

func vocabulary(ctx context.Context, tx *sql.Tx) (map[string]int, map[string]bool, error) {
	classes := map[string]int{}
	topics := map[string]bool{}
	rows, err := tx.QueryContext(ctx, "SELECT name, rank FROM classes")
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var n string
		var r int
		if err := rows.Scan(&n, &r); err != nil {
			rows.Close()
			return nil, nil, err
		}
		classes[n] = r
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, "SELECT id FROM topics")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, nil, err
		}
		topics[id] = true
	}
	return classes, topics, rows.Err()
}
