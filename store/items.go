package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// itemColumns are the columns scanItem reads, in order. The three lists are joined with
// unit separators (char 31); links as to_id, char 30, rel.
const itemColumns = `i.id, i.kind, i.title, %s, i.data, i.class, i.source, i.reliability, i.language,
	i.item_date, i.created, i.updated, i.rev, i.seq, i.deleted, i.source_key,
	(SELECT group_concat(tag, char(31)) FROM item_tags WHERE item_id = i.id),
	(SELECT group_concat(country, char(31)) FROM item_countries WHERE item_id = i.id),
	(SELECT group_concat(topic, char(31)) FROM item_topics WHERE item_id = i.id),
	(SELECT group_concat(to_id || char(30) || rel, char(31)) FROM links WHERE from_id = i.id)`

func selectItems(withBody bool) string {
	body := "i.body"
	if !withBody {
		body = "''"
	}
	return "SELECT " + fmt.Sprintf(itemColumns, body) + " FROM items i"
}

type scanner interface{ Scan(dest ...any) error }

func scanItem(row scanner) (Item, error) {
	var (
		it                                 Item
		data                               string
		date, deleted                      sql.NullInt64
		created, updated                   int64
		sourceKey, tags, countries, topics sql.NullString
		links                              sql.NullString
	)
	err := row.Scan(&it.ID, &it.Kind, &it.Title, &it.Body, &data, &it.Class, &it.Source, &it.Reliability,
		&it.Language, &date, &created, &updated, &it.Rev, &it.Seq, &deleted, &sourceKey,
		&tags, &countries, &topics, &links)
	if err != nil {
		return Item{}, err
	}
	it.Created, it.Updated = fromMillis(created), fromMillis(updated)
	if date.Valid {
		it.Date = fromMillis(date.Int64)
	}
	if deleted.Valid {
		t := fromMillis(deleted.Int64)
		it.Deleted = &t
	}
	it.SourceKey = sourceKey.String
	it.Tags, it.Countries, it.Topics = splitSorted(tags), splitSorted(countries), splitSorted(topics)
	for _, l := range splitSorted(links) {
		to, rel, _ := strings.Cut(l, "\x1e")
		it.Links = append(it.Links, Link{From: it.ID, To: to, Rel: rel})
	}
	if err := it.setData(data); err != nil {
		return Item{}, fmt.Errorf("item %s has unreadable fields: %w", it.ID, err)
	}
	return it, nil
}

func splitSorted(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	v := strings.Split(s.String, "\x1f")
	slices.Sort(v)
	return v
}

// kindData returns the kind-specific struct of the item as JSON.
func (it Item) kindData() ([]byte, error) {
	switch it.Kind {
	case KindNote:
		return json.Marshal(it.Note)
	case KindContact:
		return json.Marshal(it.Contact)
	case KindOrganisation:
		return json.Marshal(it.Organisation)
	case KindDocument:
		return json.Marshal(it.Document)
	case KindBriefing:
		return json.Marshal(it.Briefing)
	}
	return nil, fmt.Errorf("%w: unknown kind %q", ErrInvalid, it.Kind)
}

func (it *Item) setData(data string) error {
	var target any
	switch it.Kind {
	case KindNote:
		it.Note = new(Note)
		target = it.Note
	case KindContact:
		it.Contact = new(Contact)
		target = it.Contact
	case KindOrganisation:
		it.Organisation = new(Organisation)
		target = it.Organisation
	case KindDocument:
		it.Document = new(Document)
		target = it.Document
	case KindBriefing:
		it.Briefing = new(Briefing)
		target = it.Briefing
	default:
		return fmt.Errorf("unknown kind %q", it.Kind)
	}
	return json.Unmarshal([]byte(data), target)
}

func toMillis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NewID returns a fresh item ID: 10 random bytes in hex, prefixed by the time so IDs sort
// roughly by creation.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%011x%s", time.Now().UnixMilli(), hex.EncodeToString(b[:]))
}

var reliabilityRE = regexp.MustCompile(`^[A-F][1-6]?$`)

// normalize checks an item before it is saved and puts its lists in canonical form.
func (it *Item) normalize(classes map[string]int, topics map[string]bool) error {
	if !it.Kind.Valid() {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalid, it.Kind)
	}
	it.Title = strings.TrimSpace(it.Title)
	if it.Title == "" {
		return fmt.Errorf("%w: a %s needs a title", ErrInvalid, it.Kind)
	}
	if err := it.CheckLengths(); err != nil {
		return err
	}
	set := 0
	for _, p := range []bool{it.Note != nil, it.Contact != nil, it.Organisation != nil, it.Document != nil, it.Briefing != nil} {
		if p {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("%w: %q has the fields of more than one kind", ErrInvalid, it.Title)
	}
	if set == 1 {
		if ok := (it.Kind == KindNote && it.Note != nil) || (it.Kind == KindContact && it.Contact != nil) ||
			(it.Kind == KindOrganisation && it.Organisation != nil) || (it.Kind == KindDocument && it.Document != nil) ||
			(it.Kind == KindBriefing && it.Briefing != nil); !ok {
			return fmt.Errorf("%w: %q is a %s but carries another kind's fields", ErrInvalid, it.Title, it.Kind)
		}
	} else if err := it.setData("{}"); err != nil {
		return err
	}
	if it.Class == "" {
		it.Class = lowestClass(classes)
	}
	it.Class = strings.ToUpper(strings.TrimSpace(it.Class))
	if _, ok := classes[it.Class]; !ok {
		return fmt.Errorf("%w: %q has unknown classification %q", ErrInvalid, it.Title, it.Class)
	}
	it.Reliability = strings.ToUpper(strings.TrimSpace(it.Reliability))
	if it.Reliability != "" && !reliabilityRE.MatchString(it.Reliability) {
		return fmt.Errorf("%w: %q has reliability grade %q; use a letter A-F and a digit 1-6, such as B2", ErrInvalid, it.Title, it.Reliability)
	}
	it.Language = strings.ToLower(strings.TrimSpace(it.Language))
	if it.Language == "" {
		it.Language = DetectLanguage(it.Title + "\n" + it.Body)
	}
	var err error
	if it.Tags, err = canonical(it.Tags, func(s string) (string, error) {
		return strings.ToLower(strings.Join(strings.Fields(s), "-")), nil
	}); err != nil {
		return err
	}
	if it.Countries, err = canonical(it.Countries, func(s string) (string, error) {
		c, ok := LookupCountry(s)
		if !ok {
			return "", fmt.Errorf("%w: %q has unknown country %q (use an ISO 3166-1 code such as NGA)", ErrInvalid, it.Title, s)
		}
		return c.Alpha3, nil
	}); err != nil {
		return err
	}
	if it.Topics, err = canonical(it.Topics, func(s string) (string, error) {
		s = strings.ToLower(s)
		if !topics[s] {
			return "", fmt.Errorf("%w: %q has unknown topic %q", ErrInvalid, it.Title, s)
		}
		return s, nil
	}); err != nil {
		return err
	}
	links := it.Links[:0:0]
	for _, l := range it.Links {
		l.From = it.ID
		if l.Rel == "" {
			l.Rel = "mentions"
		}
		if l.To == "" || l.To == it.ID || slices.Contains(links, l) {
			continue
		}
		links = append(links, l)
	}
	slices.SortFunc(links, func(a, b Link) int { return strings.Compare(a.To+"\x1e"+a.Rel, b.To+"\x1e"+b.Rel) })
	it.Links = links
	return nil
}

// canonical maps, trims, drops empties, sorts and de-duplicates a list.
func canonical(in []string, f func(string) (string, error)) ([]string, error) {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		v, err := f(s)
		if err != nil {
			return nil, err
		}
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func lowestClass(classes map[string]int) string {
	best, rank := "", int(^uint(0)>>1)
	for name, r := range classes {
		if r < rank {
			best, rank = name, r
		}
	}
	return best
}

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

type itemWriter struct {
	db      *DB
	tx      *sql.Tx
	seq     int64 // the transaction's change sequence number, taken at its first change
	now     time.Time
	classes map[string]int
	topics  map[string]bool
	stmts   map[string]*sql.Stmt
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

// Delete moves an item to the trash. Its links stay, so restoring it brings them back.
func (db *DB) Delete(ctx context.Context, id string) error {
	return db.setDeleted(ctx, id, true)
}

// Restore brings an item back from the trash. An item marked above the highest marking
// allowed (Options.MaxClass) stays there: ErrAboveCeiling.
func (db *DB) Restore(ctx context.Context, id string) error {
	return db.setDeleted(ctx, id, false)
}

func (db *DB) setDeleted(ctx context.Context, id string, trash bool) error {
	verb := "restore"
	if trash {
		verb = "delete"
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if !trash && db.maxClass != "" {
			var it Item
			var rank int
			err := tx.QueryRowContext(ctx, "SELECT i.title, i.class, c.rank FROM items i JOIN classes c ON c.name = i.class WHERE i.id = ?", id).Scan(&it.Title, &it.Class, &rank)
			if err != nil {
				return notFound(err)
			}
			if err := db.checkCeiling(it, map[string]int{it.Class: rank}); err != nil {
				return err
			}
		}
		var deleted any
		cond := "deleted IS NOT NULL"
		if trash {
			deleted, cond = toMillis(time.Now()), "deleted IS NULL"
		}
		res, err := tx.ExecContext(ctx, "UPDATE items SET deleted = ?, seq = ? WHERE id = ? AND "+cond, deleted, seq, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM items WHERE id = ?", id).Scan(&exists); err != nil {
				return notFound(err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %s %s: %w", verb, id, err)
	}
	return nil
}

// EmptyTrash removes every item in the trash for good, with its revisions and links, and
// the original files no item refers to any more. It returns how many items went. What went
// is gone from the files too: deleted content is overwritten (secure_delete, on every
// connection), and the write-ahead log, which still holds the pages as they were, is
// checkpointed into the database and truncated.
func (db *DB) EmptyTrash(ctx context.Context) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO tombstones(id, seq) SELECT id, ? FROM items WHERE deleted IS NOT NULL", seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM links WHERE to_id IN (SELECT id FROM items WHERE deleted IS NOT NULL)"); err != nil {
			return err
		}
		// What an import recorded of them (their revision, a hash of the file's content).
		if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE key IN (SELECT 'import:' || id FROM items WHERE deleted IS NOT NULL)"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM items WHERE deleted IS NOT NULL")
		if err != nil {
			return err
		}
		n64, _ := res.RowsAffected()
		n = int(n64)
		_, err = tx.ExecContext(ctx, `DELETE FROM files WHERE sha256 NOT IN (
			SELECT json_extract(data, '$.SHA256') FROM items WHERE kind = 'document' AND json_extract(data, '$.SHA256') IS NOT NULL
			UNION SELECT json_extract(snapshot, '$.Document.SHA256') FROM revisions WHERE json_extract(snapshot, '$.Document.SHA256') IS NOT NULL)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: empty trash: %w", err)
	}
	if err := db.truncateWAL(ctx); err != nil {
		return n, fmt.Errorf("store: empty trash: the items are removed, but their old pages may remain in %s-wal until the next start: %w", FileName, err)
	}
	return n, nil
}

// truncateWAL copies the write-ahead log into the database and empties it, so that no
// earlier version of a page remains in it.
func (db *DB) truncateWAL(ctx context.Context) error {
	var busy, logPages, done int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("the log is in use by a reader")
	}
	return nil
}

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
