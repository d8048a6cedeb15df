package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Save stores one item and returns it as stored. See SaveAll.
func (db *DB) Save(ctx context.Context, it Item) (Item, error) {
	saved, err := db.SaveAll(ctx, []Item{it})
	if err != nil {
		return Item{}, err
	}
	return saved[0], nil
}

// SaveAll stores items in one transaction: all or none. An item without ID is new (or, when
// its SourceKey is already stored, an update of that item). An item with ID replaces the
// stored one, keeping the previous version as a revision; when its Rev is not zero it must
// match the stored Rev, or nothing is saved and the error is ErrConflict. Saving an item
// unchanged writes nothing. Saving a trashed item's ID restores it.
func (db *DB) SaveAll(ctx context.Context, items []Item) ([]Item, error) {
	return writeItems(ctx, db, items, (*itemWriter).save)
}

// writeItems saves items in one transaction, all or none, each through save; the error
// names the item that failed.
func writeItems[T any](ctx context.Context, db *DB, items []Item, save func(*itemWriter, context.Context, Item) (T, error)) ([]T, error) {
	if len(items) == 0 {
		return nil, nil
	}
	out := make([]T, 0, len(items))
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		w := &itemWriter{db: db, tx: tx, now: now, classes: classes, topics: topics}
		defer w.close()
		for _, it := range items {
			saved, err := save(w, ctx, it)
			if err != nil {
				if it.ID == "" {
					return fmt.Errorf("save %s %q: %w", it.Kind, shortTitle(it.Title), err)
				}
				return fmt.Errorf("save %s: %w", it.ID, err)
			}
			out = append(out, saved)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

type itemWriter struct {
	db      *DB
	tx      *sql.Tx
	seq     int64 // the transaction's change sequence number, taken at its first change
	now     time.Time
	classes map[string]int
	topics  map[string]bool
	stmts   map[string]*sql.Stmt

	// keepMarks: a pack or sync apply, whose saves raise no trash mark (syncstate.go);
	// withdrawn: the items other desks withdrew, read once by a sync apply.
	keepMarks bool
	withdrawn map[string]bool
}

// stmt returns a statement prepared once per transaction: preparing costs more than
// running for the small statements an import repeats thousands of times.
func (w *itemWriter) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	w.stmts[q] = st
	return st, nil
}

func (w *itemWriter) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := w.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (w *itemWriter) queryRow(ctx context.Context, q string, args ...any) scanner {
	st, err := w.stmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (w *itemWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// nextSeq returns the transaction's change sequence number, advancing the counter the first
// time: a transaction that changes nothing leaves the sequence alone.
func (w *itemWriter) nextSeq(ctx context.Context) (int64, error) {
	if w.seq == 0 {
		seq, err := nextSeq(ctx, w.tx)
		if err != nil {
			return 0, err
		}
		w.seq = seq
	}
	return w.seq, nil
}

func (w *itemWriter) save(ctx context.Context, it Item) (Item, error) {
	if it.ID == "" && it.SourceKey != "" {
		err := w.queryRow(ctx, "SELECT id FROM items WHERE source_key = ?", it.SourceKey).Scan(&it.ID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Item{}, err
		}
	}
	var old *Item
	if it.ID == "" {
		it.ID = NewID()
	} else {
		prev, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", it.ID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return Item{}, err
		default:
			old = &prev
		}
	}
	if it.Class == "" {
		it.Class = w.db.defaultClass // the policy's; normalize gives the lowest when none
	}
	if err := it.normalize(w.classes, w.topics); err != nil {
		return Item{}, err
	}
	if err := w.prepareIncident(ctx, &it); err != nil { // incident.go
		return Item{}, err
	}
	if err := w.db.checkCeiling(it, w.classes); err != nil {
		return Item{}, err
	}
	if old != nil {
		if old.Kind != it.Kind {
			return Item{}, fmt.Errorf("%w: %s is a %s, not a %s", ErrInvalid, it.ID, old.Kind, it.Kind)
		}
		if it.Rev != 0 && it.Rev != old.Rev {
			return Item{}, ErrConflict
		}
		if old.Deleted == nil && sameContent(*old, it) {
			return *old, nil
		}
	}
	if _, err := w.nextSeq(ctx); err != nil {
		return Item{}, err
	}
	if d := it.Document; d != nil && d.Original != nil {
		sum := sha256.Sum256(d.Original)
		d.SHA256, d.Size = hex.EncodeToString(sum[:]), int64(len(d.Original))
		if _, err := w.exec(ctx, "INSERT INTO files(sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
			d.SHA256, d.Size, d.Original); err != nil {
			return Item{}, err
		}
	}
	data, err := it.kindData()
	if err != nil {
		return Item{}, err
	}
	var date any
	if !it.Date.IsZero() {
		date = toMillis(it.Date)
	}
	var sourceKey any
	if it.SourceKey != "" {
		sourceKey = it.SourceKey
	}
	if old == nil {
		if it.Created.IsZero() {
			it.Created = w.now
		}
		it.Updated, it.Rev, it.Seq, it.Deleted = w.now, 1, w.seq, nil
		_, err = w.exec(ctx, `INSERT INTO items(id, kind, title, body, data, class, source, reliability, language,
			item_date, created, updated, rev, seq, source_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			it.ID, it.Kind, it.Title, it.Body, data, it.Class, it.Source, it.Reliability, it.Language,
			date, toMillis(it.Created), toMillis(it.Updated), it.Rev, it.Seq, sourceKey)
		if err != nil {
			return Item{}, err
		}
		if _, err := w.exec(ctx, "DELETE FROM tombstones WHERE id = ?", it.ID); err != nil {
			return Item{}, err
		}
		if _, err := w.exec(ctx, "INSERT OR REPLACE INTO item_births(id, seq) VALUES (?, ?)", it.ID, it.Seq); err != nil { // kept.go
			return Item{}, err
		}
	} else {
		snapshot, err := json.Marshal(old)
		if err != nil {
			return Item{}, err
		}
		if _, err := w.exec(ctx, "INSERT OR REPLACE INTO revisions(item_id, rev, saved, snapshot) VALUES (?,?,?,?)",
			old.ID, old.Rev, toMillis(w.now), snapshot); err != nil {
			return Item{}, err
		}
		it.Created, it.Updated, it.Rev, it.Seq, it.Deleted = old.Created, w.now, old.Rev+1, w.seq, nil
		if sourceKey == nil && old.SourceKey != "" {
			it.SourceKey, sourceKey = old.SourceKey, old.SourceKey
		}
		_, err = w.exec(ctx, `UPDATE items SET title=?, body=?, data=?, class=?, source=?, reliability=?,
			language=?, item_date=?, updated=?, rev=?, seq=?, deleted=NULL, source_key=? WHERE id=?`,
			it.Title, it.Body, data, it.Class, it.Source, it.Reliability, it.Language, date,
			toMillis(it.Updated), it.Rev, it.Seq, sourceKey, it.ID)
		if err != nil {
			return Item{}, err
		}
		if err := w.liveMark(ctx, it); err != nil { // team sync: a version saved is live (syncstate.go)
			return Item{}, err
		}
		for _, table := range []string{"item_tags", "item_countries", "item_topics"} {
			if _, err := w.exec(ctx, "DELETE FROM "+table+" WHERE item_id = ?", it.ID); err != nil {
				return Item{}, err
			}
		}
		if _, err := w.exec(ctx, "DELETE FROM links WHERE from_id = ?", it.ID); err != nil {
			return Item{}, err
		}
	}
	for _, l := range []struct {
		sql    string
		values []string
	}{
		{"INSERT INTO item_tags(item_id, tag) VALUES (?, ?)", it.Tags},
		{"INSERT INTO item_countries(item_id, country) VALUES (?, ?)", it.Countries},
		{"INSERT INTO item_topics(item_id, topic) VALUES (?, ?)", it.Topics},
	} {
		for _, v := range l.values {
			if _, err := w.exec(ctx, l.sql, it.ID, v); err != nil {
				return Item{}, err
			}
		}
	}
	for _, l := range it.Links {
		if _, err := w.exec(ctx, "INSERT INTO links(from_id, to_id, rel) VALUES (?, ?, ?)", it.ID, l.To, l.Rel); err != nil {
			return Item{}, err
		}
	}
	if err := w.auditLowered(ctx, old, it); err != nil { // a lowered marking, in the audit trail
		return Item{}, err
	}
	if it.Document != nil {
		it.Document.Original = nil
	}
	return it, nil
}

// sameContent reports whether saving b over a would change nothing the user can see.
func sameContent(a, b Item) bool {
	strip := func(it Item) string {
		it.Created, it.Updated, it.Rev, it.Seq, it.Deleted = time.Time{}, time.Time{}, 0, 0, nil
		if it.Document != nil {
			d := *it.Document
			d.Original = nil
			it.Document = &d
		}
		if it.SourceKey == "" {
			it.SourceKey = a.SourceKey
		}
		b, _ := json.Marshal(it)
		return string(b)
	}
	return strip(a) == strip(b)
}
