package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ContentHash is the SHA-256 (hex) of what a person can see of the item: every field but
// its times (Created, Updated), revision number, change sequence, trash state and
// SourceKey. Two versions with the same hash are the same version; knowledge packs name
// each version, and the version it was made from, by it.
func (it Item) ContentHash() string {
	it.Created, it.Updated, it.Rev, it.Seq, it.Deleted, it.SourceKey = time.Time{}, time.Time{}, 0, 0, nil, ""
	it = hashView(it)
	b, _ := json.Marshal(it)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// OriginalBySHA returns the original file kept under a SHA-256 (hex), checked against it:
// ErrNotFound when none is kept, ErrDamaged when the bytes no longer match.
func (db *DB) OriginalBySHA(ctx context.Context, sum string) ([]byte, error) {
	var data []byte
	if err := db.sql.QueryRowContext(ctx, "SELECT data FROM files WHERE sha256 = ?", sum).Scan(&data); err != nil {
		return nil, fmt.Errorf("store: original %s: %w", sum, notFound(err))
	}
	if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("store: the original file with SHA-256 %s does not match it; it was altered or is %w", sum, ErrDamaged)
	}
	return data, nil
}

// Incoming is one item of a knowledge pack, as ApplyPack takes it.
type Incoming struct {
	// Item is the pack's current version, with the Rev, Created and Updated it has on the
	// machine that made the pack.
	Item Item
	// Revisions are earlier versions the pack holds, any order.
	Revisions []Revision
	// Ancestors are the ContentHash of every version the current one was made from,
	// withheld ones included (the parents named in the pack).
	Ancestors []string

	// Team sync (ApplyOptions.Sync; syncapply.go). Parents gives, by ContentHash, the
	// versions each version of Item's history was made from (a merge names two or more;
	// a resolution also names a "resolved:" marker, see ResolveConflict); nil means a
	// line: each revision (by Rev) made from the one before, Item from the last.
	Parents map[string][]string
	// Tombstone: the item is in the trash on the sending desk, at the version Item (or,
	// when Item holds no more than its ID, at the version TombHash names).
	Tombstone bool
	TombHash  string
	// Gen is the trash generation of that version on the sending desk: odd when deleted,
	// even when restored (0: never deleted); the higher wins (TrashMark).
	Gen int
}

// ApplyOptions tune ApplyPack.
type ApplyOptions struct {
	// SkipAboveCeiling imports what the ceiling allows and names the items it leaves out,
	// instead of refusing the whole pack.
	SkipAboveCeiling bool
	// Progress, when set, is called after the commit with the items written.
	Progress func(done, total int)
	// Topics are the pack's topics (its header's); those this taxonomy lacks are added
	// (under their parent when it is known here or added too, else at the top level).
	Topics []Topic
	// Records are the records of the pack's incidents (packrecords.go), written after
	// the items, in the same transaction.
	Records []IncidentRecords
	// Source names the pack (its file) in the audit trail.
	Source string

	// Sync applies versions that came from another desk of the team (syncapply.go): a
	// conflict is decided the same way on every desk (ConflictWinner), contacts merge
	// field by field, the loser is kept and recorded as an open Conflict, tombstones move
	// items to the trash, and applying the same versions again changes nothing.
	Sync bool
	// Desk names the desk the versions come from (Sync), for conflicts and the audit.
	Desk string
	// State is written into the sync state (SyncState) in the same transaction (Sync):
	// a cursor the engine must not move unless the versions are in.
	State map[string]string
}

// PackResult is what ApplyPack did, one line per item: "ID \"title\"" (for Refused and
// SkippedRevisions, ID and marking only: their titles are not for this machine).
type PackResult struct {
	Added     []string // new here, with their history
	Updated   []string // the pack's version descends from the one here: it is now current
	Unchanged []string // the same version is current here
	Older     []string // the version here descends from the pack's: kept
	// Conflicts: changed here since the version the pack's was made from. The version
	// here stays current; the pack's is kept as a revision (named in the line).
	Conflicts        []string
	Refused          []string // above this machine's ceiling, left out (SkipAboveCeiling)
	SkippedRevisions []string // revisions above this machine's ceiling, left out
	TopicsAdded      []string // topics added to the taxonomy, as "ID (Label)"
	Seq              int64    // the change sequence of the commit, 0 when nothing changed
	// Records: per incident whose records the pack holds, what was added, updated, left
	// unchanged or kept as it is here. RecordConflicts say in words what was kept or
	// replaced (packrecords.go); RefusedRecords are records above this machine's ceiling,
	// left out (SkipAboveCeiling), by ID and marking.
	Records         []string
	RecordConflicts []string
	RefusedRecords  []string
	// Sync mode only (syncapply.go): versions merged field by field (contacts), items
	// moved to the trash by a tombstone or brought back by a restore, and items skipped
	// because another desk withdrew them here (ApplyWithdrawal).
	Merged    []string
	Trashed   []string
	Restored  []string
	Withdrawn []string
}

// ApplyPack writes the items of a knowledge pack into the knowledge base in one
// transaction, all or nothing, keeping their IDs. originals are the files the pack holds
// by SHA-256 (hex); each is checked against its hash, and only those a version written
// here names are kept. The rules, per item (versions compared by ContentHash):
//
//   - not here (or purged): added, with the pack's revisions, revision number and times;
//   - the same version is current here: unchanged;
//   - the version here is one of the pack's ancestors: updated to the pack's version (the
//     one here becomes a revision, the pack's revisions are added where their numbers are
//     free);
//   - the pack's version is one this item had here before: older, the current one kept;
//   - otherwise it changed here since the version the pack's was made from: a conflict.
//     Nothing is overwritten: the pack's version is saved and then the one here again, so
//     the one here stays current and the pack's is the revision before it (RestoreRevision
//     brings it back); reported in Conflicts.
//
// A pack made at a lower ceiling leaves out references to items above it; so versions are
// compared both as they are here and as the pack would show them (Without the references
// no version of the pack names): the same version with less in it is unchanged, not a
// conflict, and an update keeps what the pack left out (restoreWithheld).
//
// An item in the trash here stays in the trash. Nothing above this machine's ceiling gets
// in: a pack holding such items is refused with ErrAboveCeiling, naming them by ID and
// marking, before anything is written (or, with SkipAboveCeiling, they are left out and
// named); revisions above it are left out and named; so are incident records
// (opt.Records, written after the items by the rules in packrecords.go, in the same
// transaction; those above it refuse the pack too, or are left out and named in
// RefusedRecords). A marking this scheme lacks, an
// original that does not match its hash, or an item that breaks a rule refuses the pack
// (ErrInvalid, ErrDamaged), nothing written.
//
// With opt.Sync the versions come from another desk of the team and the sync rules
// apply instead (syncapply.go, and the package doc).
func (db *DB) ApplyPack(ctx context.Context, items []Incoming, originals map[string][]byte, opt ApplyOptions) (PackResult, error) {
	if opt.Sync {
		return db.applySync(ctx, items, originals, opt)
	}
	var res PackResult
	for sum, data := range originals {
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			return res, fmt.Errorf("store: apply pack: the original file %s does not match its SHA-256: the pack is %w", sum, ErrDamaged)
		}
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		above := db.aboveHere(classes)
		// Check everything before the first write.
		rel, err := release(items, opt.Records, above, false, &res)
		if err != nil {
			return fmt.Errorf("apply pack: %w", err)
		}
		keep, refused := rel.keep, rel.refused
		if len(refused) > 0 && !opt.SkipAboveCeiling {
			return fmt.Errorf("%w: the pack holds %d item(s) marked above the highest marking allowed here (%s): %s; nothing was imported",
				ErrAboveCeiling, len(refused), db.maxClass, strings.Join(refused, ", "))
		}
		res.Refused = refused
		recs, refusedRecs := rel.records, rel.refusedRecs
		if err := rel.recordsErr; err != nil {
			return fmt.Errorf("apply pack: %w", err)
		}
		if len(refusedRecs) > 0 && !opt.SkipAboveCeiling {
			return fmt.Errorf("%w: the pack holds %d incident record(s) marked above the highest marking allowed here (%s): %s; nothing was imported",
				ErrAboveCeiling, len(refusedRecs), db.maxClass, strings.Join(refusedRecs, ", "))
		}
		recs, more := dropRefused(recs, refusedRecs)
		res.RefusedRecords = append(refusedRecs, more...)

		if err := addTopics(ctx, tx, topics, opt.Topics, &res); err != nil {
			return fmt.Errorf("apply pack: %w", err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		w := &itemWriter{db: db, tx: tx, now: now, classes: classes, topics: topics, keepMarks: true}
		defer w.close()
		written := map[string]bool{}
		for _, in := range keep {
			if err := w.applyOne(ctx, in, originals, written, &res); err != nil {
				return fmt.Errorf("apply pack: item %s: %w", in.Item.ID, err)
			}
		}
		for _, r := range recs {
			if err := w.applyRecords(ctx, r, &res); err != nil {
				return fmt.Errorf("apply pack: records of incident %s: %w", r.Incident, err)
			}
		}
		// The audit trail records the import in this transaction.
		if err := db.auditTx(ctx, tx, AuditEvent{Action: AuditPackImport, Subject: opt.Source,
			Detail: fmt.Sprintf("%d added, %d updated, %d conflicts kept (the version here stays current), %d unchanged, %d older, %d refused above the ceiling, %d revisions left out; incident records: %d",
				len(res.Added), len(res.Updated), len(res.Conflicts), len(res.Unchanged), len(res.Older), len(res.Refused), len(res.SkippedRevisions), len(res.Records))}); err != nil {
			return fmt.Errorf("apply pack: %w", err)
		}
		res.Seq = w.seq
		return nil
	})
	if err != nil {
		return PackResult{}, fmt.Errorf("store: %w", err)
	}
	if opt.Progress != nil {
		n := len(res.Added) + len(res.Updated) + len(res.Conflicts)
		opt.Progress(n, n)
	}
	return res, nil
}

// applyOne writes one incoming item by ApplyPack's rules.
func (w *itemWriter) applyOne(ctx context.Context, in Incoming, originals map[string][]byte, written map[string]bool, res *PackResult) error {
	it := in.Item
	name := fmt.Sprintf("%s %q", it.ID, shortTitle(it.Title))
	if it.ID == "" {
		return fmt.Errorf("%w: an item of the pack has no ID", ErrInvalid)
	}
	var local *Item
	prev, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", it.ID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		local = &prev
	}
	// A version's original comes with it.
	keepOriginal := func(v Item) error {
		d := v.Document
		if d == nil || d.SHA256 == "" || written[d.SHA256] {
			return nil
		}
		data, ok := originals[d.SHA256]
		if !ok {
			var n int
			if err := w.queryRow(ctx, "SELECT count(*) FROM files WHERE sha256 = ?", d.SHA256).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: the pack lacks the original file (SHA-256 %s) of %s", ErrDamaged, d.SHA256, v.ID)
			}
			return nil
		}
		written[d.SHA256] = true
		_, err := w.exec(ctx, "INSERT INTO files(sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", d.SHA256, int64(len(data)), data)
		return err
	}
	addRevisions := func() error {
		for _, r := range in.Revisions {
			if err := keepOriginal(r.Item); err != nil {
				return err
			}
			snap := r.Item
			snap.ID, snap.Kind, snap.Seq, snap.Deleted, snap.SourceKey = it.ID, it.Kind, 0, nil, ""
			if snap.Document != nil {
				snap.Document.Original = nil
			}
			b, err := json.Marshal(snap)
			if err != nil {
				return err
			}
			if _, err := w.exec(ctx, "INSERT OR IGNORE INTO revisions(item_id, rev, saved, snapshot) VALUES (?,?,?,?)",
				it.ID, r.Rev, toMillis(r.Saved), b); err != nil {
				return err
			}
		}
		return nil
	}
	save := func(v Item) (Item, error) {
		v.Rev, v.Seq, v.Deleted = 0, 0, nil
		if v.Document != nil {
			d := *v.Document
			d.Original = nil
			v.Document = &d
		}
		return w.save(ctx, v)
	}
	retrash := func() error {
		if local == nil || local.Deleted == nil {
			return nil
		}
		_, err := w.exec(ctx, "UPDATE items SET deleted = ? WHERE id = ?", toMillis(*local.Deleted), it.ID)
		return err
	}
	if err := keepOriginal(it); err != nil {
		return err
	}
	incoming := it.ContentHash()
	if local == nil {
		it.SourceKey = ""
		saved, err := save(it)
		if err != nil {
			return err
		}
		rev := max(it.Rev, 1)
		created, updated := saved.Created, saved.Updated
		if !it.Updated.IsZero() {
			updated = it.Updated
		}
		if _, err := w.exec(ctx, "UPDATE items SET rev = ?, created = ?, updated = ? WHERE id = ?", rev, toMillis(created), toMillis(updated), it.ID); err != nil {
			return err
		}
		res.Added = append(res.Added, name)
		return addRevisions()
	}
	// The pack may leave out references to items above its ceiling: the version here,
	// without the references the pack never names, is what the pack would show of it.
	named := map[string]bool{}
	for _, v := range append([]Item{it}, revisionItems(in.Revisions)...) {
		for _, r := range v.References() {
			named[r] = true
		}
	}
	hidden := func(id string) bool { return !named[id] }
	here, shown := local.ContentHash(), local.Without(hidden).ContentHash()
	if incoming == here || incoming == shown {
		res.Unchanged = append(res.Unchanged, name)
		return nil
	}
	localRevs, err := w.revisions(ctx, it.ID)
	if err != nil {
		return err
	}
	for _, r := range localRevs {
		if h := r.Item.ContentHash(); h == incoming || r.Item.Without(hidden).ContentHash() == incoming {
			res.Older = append(res.Older, name+fmt.Sprintf(" (the pack's version is revision %d here; rev %d kept)", r.Rev, local.Rev))
			return nil
		}
	}
	ancestor := false
	for _, h := range in.Ancestors {
		ancestor = ancestor || h == here || h == shown
	}
	for _, r := range in.Revisions {
		h := r.Item.ContentHash()
		ancestor = ancestor || h == here || h == shown
	}
	it.SourceKey = ""
	if ancestor {
		if here != shown {
			// What the pack left out, and what was added here, stays.
			it = restoreWithheld(it, *local, hidden)
		}
		if _, err := save(it); err != nil {
			return err
		}
		rev := max(it.Rev, local.Rev+1)
		updated := w.now
		if !it.Updated.IsZero() {
			updated = it.Updated
		}
		if _, err := w.exec(ctx, "UPDATE items SET rev = ?, updated = ? WHERE id = ?", rev, toMillis(updated), it.ID); err != nil {
			return err
		}
		res.Updated = append(res.Updated, name+fmt.Sprintf(" (rev %d → %d)", local.Rev, rev))
		if err := addRevisions(); err != nil {
			return err
		}
		// The version here, now a revision, was replaced when the pack's machine says.
		for _, r := range in.Revisions {
			if r.Rev == local.Rev && r.Item.ContentHash() == here {
				if _, err := w.exec(ctx, "UPDATE revisions SET saved = ? WHERE item_id = ? AND rev = ?", toMillis(r.Saved), it.ID, r.Rev); err != nil {
					return err
				}
			}
		}
		return retrash()
	}
	// A conflict: the pack's version, then the one here again.
	if _, err := save(it); err != nil {
		return err
	}
	mine := *local
	mine.SourceKey = local.SourceKey
	if _, err := save(mine); err != nil {
		return err
	}
	res.Conflicts = append(res.Conflicts, fmt.Sprintf("%s: changed here since the pack's version was made; this version stays current, the pack's is kept as revision %d", name, local.Rev+1))
	return retrash()
}

// revisions reads an item's revisions inside the writer's transaction.
func (w *itemWriter) revisions(ctx context.Context, id string) ([]Revision, error) {
	st, err := w.stmt(ctx, "SELECT rev, saved, snapshot FROM revisions WHERE item_id = ? ORDER BY rev DESC")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		var saved int64
		var snap string
		if err := rows.Scan(&r.Rev, &saved, &snap); err != nil {
			return nil, err
		}
		r.Saved = fromMillis(saved)
		if err := json.Unmarshal([]byte(snap), &r.Item); err != nil {
			return nil, fmt.Errorf("revision %d of %s is unreadable: %w", r.Rev, id, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func revisionItems(revs []Revision) []Item {
	out := make([]Item, len(revs))
	for i, r := range revs {
		out[i] = r.Item
	}
	return out
}

// addTopics adds to the taxonomy (and to known) the topics it lacks, parents first.
func addTopics(ctx context.Context, tx *sql.Tx, known map[string]bool, topics []Topic, res *PackResult) error {
	byID := map[string]Topic{}
	for _, t := range topics {
		t.ID = strings.ToLower(strings.TrimSpace(t.ID))
		if t.ID != "" {
			byID[t.ID] = t
		}
	}
	var add func(id string, depth int) error
	add = func(id string, depth int) error {
		t, ok := byID[id]
		if !ok || known[id] || depth > 20 {
			return nil
		}
		if t.Parent != "" {
			if err := add(t.Parent, depth+1); err != nil {
				return err
			}
		}
		var parent any
		if known[t.Parent] {
			parent = t.Parent
		}
		label := strings.TrimSpace(t.Label)
		if label == "" {
			label = id
		}
		if len(id) > maxTerm || len(label) > maxLine {
			return fmt.Errorf("%w: the pack's topic %q is too long", ErrInvalid, shortTitle(id))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO topics(id, label, parent) VALUES (?, ?, ?)", id, label, parent); err != nil {
			return fmt.Errorf("add topic %s: %w", id, err)
		}
		known[id] = true
		res.TopicsAdded = append(res.TopicsAdded, fmt.Sprintf("%s (%s)", id, label))
		return nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := add(id, 0); err != nil {
			return err
		}
	}
	return nil
}

// aboveHere returns the test of a marking against this machine's ceiling, over the
// classification scheme classes: true above it, an error for a marking the scheme lacks.
func (db *DB) aboveHere(classes map[string]int) func(class string) (bool, error) {
	return func(class string) (bool, error) {
		r, ok := classes[strings.ToUpper(class)]
		if !ok {
			return false, fmt.Errorf("%w: marking %q is not in this knowledge base's classification scheme", ErrInvalid, class)
		}
		return db.maxClass != "" && r > db.maxRank, nil
	}
}

// released is what ApplyPack (and its Sync mode) may write of what came in, sorted by this
// machine's ceiling before anything is written.
type released struct {
	keep        []Incoming        // the items at or below the ceiling, their revisions above it left out
	refused     []string          // items above it, "ID (MARKING)"
	records     []IncidentRecords // incident records at or below it, of incidents kept
	refusedRecs []string          // records above it
	recordsErr  error             // a record that breaks a rule (checkRecords)
}

// release sorts items and records by this machine's ceiling (above): an item above it is
// refused whole; a revision above it is left out and named in res.SkippedRevisions;
// records go through checkRecords, those of a refused incident with it. bare allows
// versions without a kind (a sync tombstone of an item never seen here), which carry no
// marking to check. The error is an item's marking the scheme lacks.
func release(items []Incoming, records []IncidentRecords, above func(string) (bool, error), bare bool, res *PackResult) (released, error) {
	var r released
	for _, in := range items {
		if !bare || in.Item.Kind != "" {
			hi, err := above(in.Item.Class)
			if err != nil {
				return r, fmt.Errorf("item %s: %w", in.Item.ID, err)
			}
			if hi {
				r.refused = append(r.refused, fmt.Sprintf("%s (%s)", in.Item.ID, in.Item.Class))
				continue
			}
		}
		var revs []Revision
		for _, rv := range in.Revisions {
			hi, err := above(rv.Item.Class)
			if err != nil || hi {
				res.SkippedRevisions = append(res.SkippedRevisions, fmt.Sprintf("%s revision %d (%s)", in.Item.ID, rv.Rev, rv.Item.Class))
				continue
			}
			revs = append(revs, rv)
		}
		in.Revisions = revs
		r.keep = append(r.keep, in)
	}
	skipInc := map[string]bool{}
	for _, ref := range r.refused {
		skipInc[ref[:strings.LastIndex(ref, " (")]] = true
	}
	r.records, r.refusedRecs, r.recordsErr = checkRecords(records, skipInc, above)
	return r, nil
}
