// Package fts5peer is the search engines Chancery is measured against: SQLite FTS5 tables
// (the FTS5 built into modernc.org/sqlite) holding the same items, ranked with bm25 and cut
// into snippets by FTS5 itself. DB is the default peer, what a Go developer would write
// from the FTS5 documentation (porter stemmer over unicode61, transactions of many rows,
// filters and facets on unindexed columns); Tuned is the same data set up as an FTS5
// expert would for a search screen (see Tuned). Both return the same top n. It exists for
// `chancery bench`; the app never uses it.
package fts5peer

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the peer's database file inside its folder.
const FileName = "fts5.db"

// Row is one statement as the peer stores it.
type Row struct {
	ID      string
	Title   string
	Country string
	Year    int
	Body    string
}

// Filter narrows a search to countries and a range of years (0 = open).
type Filter struct {
	Countries        []string
	YearFrom, YearTo int
}

// Hit is one result: the statement's ID and title, and a snippet with each matched term
// between \x02 and \x03.
type Hit struct {
	ID, Title, Snippet string
	Score              float64
}

// FacetTerm is one value of a facet and how many matches have it.
type FacetTerm struct {
	Term  string
	Count int
}

// Result is what a search returns.
type Result struct {
	Hits             []Hit
	Countries, Years []FacetTerm // filled when facets are asked for
}

// DB is an FTS5 table in a folder of its own.
type DB struct{ conn }

// Open opens or creates the peer's database in dir.
func Open(ctx context.Context, dir string) (*DB, error) {
	c, err := openConn(ctx, dir, FileName, nil, `CREATE VIRTUAL TABLE IF NOT EXISTS statements USING fts5(
		id UNINDEXED, country UNINDEXED, year UNINDEXED, title, body,
		tokenize = 'porter unicode61 remove_diacritics 2')`)
	if err != nil {
		return nil, err
	}
	return &DB{c}, nil
}

// conn is a peer's database: its connection and file.
type conn struct {
	sql  *sql.DB
	path string
}

// openConn opens or creates the database file in dir, with the pragmas every peer uses
// and more, and runs schema (statements that create what is missing).
func openConn(ctx context.Context, dir, file string, pragmas []string, schema ...string) (conn, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return conn{}, fmt.Errorf("fts5peer: %w", err)
	}
	q := url.Values{}
	for _, p := range append([]string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)"}, pragmas...) {
		q.Add("_pragma", p)
	}
	path := filepath.Join(dir, file)
	sdb, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return conn{}, fmt.Errorf("fts5peer: open %s: %w", path, err)
	}
	for _, s := range schema {
		if _, err := sdb.ExecContext(ctx, s); err != nil {
			sdb.Close()
			return conn{}, fmt.Errorf("fts5peer: create tables in %s: %w", path, err)
		}
	}
	return conn{sql: sdb, path: path}, nil
}

// Close closes the database.
func (c conn) Close() error { return c.sql.Close() }

// Path is the database file.
func (c conn) Path() string { return c.path }

// count is the number of rows of table.
func (c conn) count(ctx context.Context, table string) (int, error) {
	var n int
	err := c.sql.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
	return n, err
}

// Count is the number of rows held.
func (db *DB) Count(ctx context.Context) (int, error) { return db.count(ctx, "statements") }

// Insert adds rows in one transaction.
func (db *DB) Insert(ctx context.Context, rows []Row) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO statements (id, country, year, title, body) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.ID, r.Country, r.Year, r.Title, r.Body); err != nil {
			return fmt.Errorf("fts5peer: insert %s: %w", r.ID, err)
		}
	}
	return tx.Commit()
}

// Optimize merges the FTS5 index's segments into one, as the FTS5 documentation suggests
// after a bulk load.
func (db *DB) Optimize(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, `INSERT INTO statements(statements) VALUES('optimize')`); err != nil {
		return fmt.Errorf("fts5peer: optimize: %w", err)
	}
	_, err := db.sql.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// Search runs an FTS5 MATCH expression with a filter: the top n by bm25 (title weighted
// twice the body, as Chancery does) with a snippet of the body, and, when facets is set,
// the match counts by country (top 15) and by year (top 20).
func (db *DB) Search(ctx context.Context, match string, f Filter, n int, facets bool) (Result, error) {
	where, args := "statements MATCH ?", []any{match}
	if len(f.Countries) > 0 {
		where += " AND country IN (?" + strings.Repeat(", ?", len(f.Countries)-1) + ")"
		for _, c := range f.Countries {
			args = append(args, c)
		}
	}
	if f.YearFrom > 0 {
		where += " AND year >= ?"
		args = append(args, f.YearFrom)
	}
	if f.YearTo > 0 {
		where += " AND year <= ?"
		args = append(args, f.YearTo)
	}
	var res Result
	rows, err := db.sql.QueryContext(ctx, `SELECT id, title,
			snippet(statements, 4, char(2), char(3), ' … ', 32), bm25(statements, 0, 0, 0, 2.0, 1.0) AS r
		FROM statements WHERE `+where+` ORDER BY r LIMIT ?`, append(args, n)...)
	if err != nil {
		return Result{}, fmt.Errorf("fts5peer: search %q: %w", match, err)
	}
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ID, &h.Title, &h.Snippet, &h.Score); err != nil {
			rows.Close()
			return Result{}, fmt.Errorf("fts5peer: search %q: %w", match, err)
		}
		h.Score = -h.Score // bm25() is lower for better matches
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Close(); err != nil {
		return Result{}, err
	}
	if err := rows.Err(); err != nil {
		return Result{}, fmt.Errorf("fts5peer: search %q: %w", match, err)
	}
	if !facets {
		return res, nil
	}
	if res.Countries, err = db.facet(ctx, "country", where, args, 15); err != nil {
		return Result{}, err
	}
	if res.Years, err = db.facet(ctx, "year", where, args, 20); err != nil {
		return Result{}, err
	}
	return res, nil
}

func (db *DB) facet(ctx context.Context, col, where string, args []any, n int) ([]FacetTerm, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+col+`, count(*) AS c FROM statements WHERE `+where+
		` GROUP BY `+col+` ORDER BY c DESC, `+col+` LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, fmt.Errorf("fts5peer: facet %s: %w", col, err)
	}
	defer rows.Close()
	var out []FacetTerm
	for rows.Next() {
		var t FacetTerm
		if err := rows.Scan(&t.Term, &t.Count); err != nil {
			return nil, fmt.Errorf("fts5peer: facet %s: %w", col, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
