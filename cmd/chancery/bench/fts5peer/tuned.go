package fts5peer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TunedFileName is the tuned peer's database file inside its folder.
const TunedFileName = "fts5tuned.db"

// Tuned is the FTS5 peer as an FTS5 expert would set it up for a search screen, beside the
// default one (DB) that the FTS5 documentation's first example gives:
//
//   - the text table holds only what is searched (title, body), with a prefix index
//     (prefix='2 3 4') so that the unfinished last word typed is a prefix query over a
//     prefix index, not a scan of every term it starts;
//   - ranking is the table's own rank (bm25 with the title weighted twice the body, set
//     once with the 'rank' configuration), so that ORDER BY rank LIMIT n is FTS5's fast path;
//   - the top n are found first, as rowids, and only those n get snippets;
//   - the filterable and faceted values (kind, country, topic, year) live in an ordinary
//     table keyed by the same rowid, joined on rowid after the MATCH;
//   - the facets are counted in one GROUP BY over the matches' rowids (no ranking, no
//     snippet, one lookup per match), and folded into the four facets in Go.
//
// Its answers are the default peer's (the same rows, the same bm25 scores); only the
// work done to find them differs.
type Tuned struct{ conn }

// TunedRow is one item as the tuned peer stores it.
type TunedRow struct {
	ID, Kind, Country, Topic string
	Year                     int
	Title, Body              string
}

// TunedResult is what the tuned peer returns: hits, and the counts of the matches by kind,
// country, topic and year (the facets Chancery counts), most frequent first, cut at the
// sizes Chancery shows (5, 15, 15, 20).
type TunedResult struct {
	Hits                            []Hit
	Kinds, Countries, Topics, Years []FacetTerm
}

// OpenTuned opens or creates the tuned peer's database in dir.
func OpenTuned(ctx context.Context, dir string) (*Tuned, error) {
	c, err := openConn(ctx, dir, TunedFileName, []string{"cache_size(-65536)"},
		`CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body,
			prefix = '2 3 4', tokenize = 'porter unicode61 remove_diacritics 2')`,
		`INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(2.0, 1.0)')`,
		`CREATE TABLE IF NOT EXISTS meta (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL,
			kind TEXT NOT NULL, country TEXT NOT NULL, topic TEXT NOT NULL, year INTEGER NOT NULL)`,
	)
	if err != nil {
		return nil, err
	}
	return &Tuned{c}, nil
}

// Count is the number of rows held.
func (db *Tuned) Count(ctx context.Context) (int, error) { return db.count(ctx, "meta") }

// Insert adds rows in one transaction: the text to the FTS5 table, the values to meta
// under the same rowid.
func (db *Tuned) Insert(ctx context.Context, rows []TunedRow) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	defer tx.Rollback()
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) + 1 FROM meta`).Scan(&next); err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	text, err := tx.PrepareContext(ctx, `INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	defer text.Close()
	meta, err := tx.PrepareContext(ctx, `INSERT INTO meta (rowid, id, kind, country, topic, year) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5peer: insert: %w", err)
	}
	defer meta.Close()
	for i, r := range rows {
		rowid := next + int64(i)
		if _, err := text.ExecContext(ctx, rowid, r.Title, r.Body); err != nil {
			return fmt.Errorf("fts5peer: insert %s: %w", r.ID, err)
		}
		if _, err := meta.ExecContext(ctx, rowid, r.ID, r.Kind, r.Country, r.Topic, r.Year); err != nil {
			return fmt.Errorf("fts5peer: insert %s: %w", r.ID, err)
		}
	}
	return tx.Commit()
}

// Optimize merges the FTS5 index's segments into one and updates the planner's statistics.
func (db *Tuned) Optimize(ctx context.Context) error {
	for _, s := range []string{`INSERT INTO docs(docs) VALUES('optimize')`, `ANALYZE meta`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("fts5peer: optimize: %s: %w", s, err)
		}
	}
	return nil
}

// where is the filter as SQL over meta (aliased m), with its arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if len(f.Countries) > 0 {
		conds = append(conds, "m.country IN (?"+strings.Repeat(", ?", len(f.Countries)-1)+")")
		for _, c := range f.Countries {
			args = append(args, c)
		}
	}
	if f.YearFrom > 0 {
		conds = append(conds, "m.year >= ?")
		args = append(args, f.YearFrom)
	}
	if f.YearTo > 0 {
		conds = append(conds, "m.year <= ?")
		args = append(args, f.YearTo)
	}
	return strings.Join(conds, " AND "), args
}

// Search runs an FTS5 MATCH expression with a filter: the top n by rank with a snippet of
// the body each, and, when facets is set, the counts of all the matches by kind, country,
// topic and year.
func (db *Tuned) Search(ctx context.Context, match string, f Filter, n int, facets bool) (TunedResult, error) {
	var res TunedResult
	filter, fargs := f.where()
	// The top n: rowids and ranks only, the filter joined on rowid.
	top := `SELECT docs.rowid, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?`
	args := []any{match, n}
	if filter != "" {
		top = `SELECT docs.rowid, docs.rank FROM docs JOIN meta m ON m.rowid = docs.rowid
			WHERE docs MATCH ? AND ` + filter + ` ORDER BY docs.rank LIMIT ?`
		args = append(append([]any{match}, fargs...), n)
	}
	rows, err := db.sql.QueryContext(ctx, top, args...)
	if err != nil {
		return res, fmt.Errorf("fts5peer: search %q: %w", match, err)
	}
	var rowids []any
	var ranks []float64
	for rows.Next() {
		var id int64
		var r float64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return res, fmt.Errorf("fts5peer: search %q: %w", match, err)
		}
		rowids, ranks = append(rowids, id), append(ranks, r)
	}
	if err := rows.Close(); err != nil {
		return res, err
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("fts5peer: search %q: %w", match, err)
	}
	if len(rowids) > 0 {
		// Snippets and IDs for those n only.
		rows, err = db.sql.QueryContext(ctx, `SELECT docs.rowid, m.id, docs.title,
				snippet(docs, 1, char(2), char(3), ' … ', 32)
			FROM docs JOIN meta m ON m.rowid = docs.rowid
			WHERE docs MATCH ? AND docs.rowid IN (?`+strings.Repeat(", ?", len(rowids)-1)+`)`,
			append([]any{match}, rowids...)...)
		if err != nil {
			return res, fmt.Errorf("fts5peer: snippets %q: %w", match, err)
		}
		byRowid := map[int64]Hit{}
		for rows.Next() {
			var id int64
			var h Hit
			if err := rows.Scan(&id, &h.ID, &h.Title, &h.Snippet); err != nil {
				rows.Close()
				return res, fmt.Errorf("fts5peer: snippets %q: %w", match, err)
			}
			byRowid[id] = h
		}
		if err := rows.Close(); err != nil {
			return res, err
		}
		if err := rows.Err(); err != nil {
			return res, fmt.Errorf("fts5peer: snippets %q: %w", match, err)
		}
		for i, id := range rowids {
			h := byRowid[id.(int64)]
			h.Score = -ranks[i]
			res.Hits = append(res.Hits, h)
		}
	}
	if !facets || len(res.Hits) == 0 {
		return res, nil // no top hit: no match to count either
	}
	// The facets: one pass over the matches' rowids, grouped by every combination of the
	// four values (a few thousand at most), folded per facet here.
	q := `SELECT m.kind, m.country, m.topic, m.year, count(*) FROM meta m
		WHERE m.rowid IN (SELECT rowid FROM docs WHERE docs MATCH ?)`
	if filter != "" {
		q += ` AND ` + filter
	}
	q += ` GROUP BY m.kind, m.country, m.topic, m.year`
	rows, err = db.sql.QueryContext(ctx, q, append([]any{match}, fargs...)...)
	if err != nil {
		return res, fmt.Errorf("fts5peer: facets %q: %w", match, err)
	}
	defer rows.Close()
	counts := [4]map[string]int{{}, {}, {}, {}}
	for rows.Next() {
		var kind, country, topic string
		var year, c int
		if err := rows.Scan(&kind, &country, &topic, &year, &c); err != nil {
			return res, fmt.Errorf("fts5peer: facets %q: %w", match, err)
		}
		counts[0][kind] += c
		counts[1][country] += c
		counts[2][topic] += c
		counts[3][strconv.Itoa(year)] += c
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("fts5peer: facets %q: %w", match, err)
	}
	res.Kinds, res.Countries, res.Topics, res.Years = topTerms(counts[0], 5), topTerms(counts[1], 15), topTerms(counts[2], 15), topTerms(counts[3], 20)
	return res, nil
}

// topTerms is the n most frequent values of a count, most frequent first, then by value.
func topTerms(counts map[string]int, n int) []FacetTerm {
	out := make([]FacetTerm, 0, len(counts))
	for t, c := range counts {
		if t != "" {
			out = append(out, FacetTerm{Term: t, Count: c})
		}
	}
	slices.SortFunc(out, func(a, b FacetTerm) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term)) })
	return out[:min(n, len(out))]
}
