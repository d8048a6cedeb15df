package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The audit actions of team sync.
const (
	AuditSyncApply   = "sync-apply"   // versions from another desk applied (ApplyOptions.Sync)
	AuditSyncResolve = "sync-resolve" // a conflict resolved (ResolveConflict)
)

// resolvedPrefix begins the parent marker a resolution names: "resolved:CURRENT:OTHER".
const resolvedPrefix = "resolved:"

// ConflictWinner decides between two versions of an item, neither made from the other,
// whose histories are equally long: the winner is the version whose ContentHash sorts
// last (as a string of hex digits). Where the histories differ, the one with the longer
// history wins first (history.winner): deciding pairwise by hash alone would depend on
// the order versions arrive in (a version made from the winner of one conflict can have a
// smaller hash than the loser). Neither depends on clocks or desks, so every desk of a
// team, holding the same versions and parents, picks the same one. Two versions with the
// same hash are the same version: a is returned as the winner.
func ConflictWinner(a, b Item) (winner, loser Item) {
	if a.ContentHash() >= b.ContentHash() {
		return a, b
	}
	return b, a
}

// history is what the store knows of the versions of one item: each version's parents
// (explicit rows of sync_parents, else the revision before its first appearance) and the
// content of the versions it keeps (current and revisions), by ContentHash.
type history struct {
	id       string
	parents  map[string][]string
	explicit map[string]bool
	versions map[string]Item
	desk     map[string]string
}

// loadHistory reads the versions of item id; cur is its current version (nil when none).
func loadHistory(ctx context.Context, q querier, id string, cur *Item) (*history, error) {
	h := &history{id: id, parents: map[string][]string{}, explicit: map[string]bool{}, versions: map[string]Item{}, desk: map[string]string{}}
	rows, err := q.QueryContext(ctx, "SELECT rev, snapshot FROM revisions WHERE item_id = ? ORDER BY rev", id)
	if err != nil {
		return nil, err
	}
	var chain []Item
	for rows.Next() {
		var rev int
		var snap string
		if err := rows.Scan(&rev, &snap); err != nil {
			rows.Close()
			return nil, err
		}
		var it Item
		if err := json.Unmarshal([]byte(snap), &it); err != nil {
			rows.Close()
			return nil, fmt.Errorf("revision %d of %s is unreadable: %w", rev, id, err)
		}
		chain = append(chain, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		chain = append(chain, *cur)
	}
	prev := ""
	for _, it := range chain {
		hh := it.ContentHash()
		if _, seen := h.versions[hh]; !seen {
			h.versions[hh] = it
			if prev != "" {
				h.parents[hh] = []string{prev}
			} else {
				h.parents[hh] = nil
			}
		}
		prev = hh
	}
	rows, err = q.QueryContext(ctx, "SELECT hash, parent, desk FROM sync_parents WHERE item_id = ? ORDER BY hash, parent", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var hh, p, desk string
		if err := rows.Scan(&hh, &p, &desk); err != nil {
			return nil, err
		}
		if !h.explicit[hh] {
			h.explicit[hh] = true
			h.parents[hh] = nil
		}
		if p != "" {
			h.parents[hh] = append(h.parents[hh], p)
		}
		if desk != "" {
			h.desk[hh] = desk
		}
	}
	return h, rows.Err()
}

// height is the length of the longest line of versions that version hash is made from (0
// for a first version; markers and unknown parents count as first versions; a cycle, which
// two resolutions naming each other make, is cut where it closes).
func (h *history) height(hash string) int {
	memo := map[string]int{}
	on := map[string]bool{}
	var walk func(v string) int
	walk = func(v string) int {
		if n, ok := memo[v]; ok {
			return n
		}
		if on[v] {
			return 0
		}
		on[v] = true
		n := 0
		for _, p := range h.parents[v] {
			if p == "" || strings.HasPrefix(p, resolvedPrefix) {
				continue
			}
			if d := walk(p) + 1; d > n {
				n = d
			}
		}
		on[v] = false
		memo[v] = n
		return n
	}
	return walk(hash)
}

// winner decides a conflict between a and b with their history: the version with the
// longer history wins, then ConflictWinner. With every conflict decided so, a desk's
// current version is always the best of all the versions no other is made from (by
// height, then hash), whatever the order they came in: a version made from the current
// one is higher than it, and one made from a loser is lower than the current one.
func (h *history) winner(a, b Item) (winner, loser Item) {
	ha, hb := h.height(a.ContentHash()), h.height(b.ContentHash())
	switch {
	case ha > hb:
		return a, b
	case hb > ha:
		return b, a
	}
	return ConflictWinner(a, b)
}

// ancestors returns every version hash is made from, directly or not (markers left out).
func (h *history) ancestors(hash string) map[string]bool { return h.ancestorsExcept(hash, "") }

// ancestorsExcept is ancestors, not going through version skip.
func (h *history) ancestorsExcept(hash, skip string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(h.parents[hash])
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p == "" || p == skip || strings.HasPrefix(p, resolvedPrefix) || seen[p] {
			continue
		}
		seen[p] = true
		stack = append(stack, h.parents[p]...)
	}
	return seen
}

// markers returns the resolution markers named by hash and every version it is made from.
func (h *history) markers(hash string) map[string]bool {
	out := map[string]bool{}
	for v := range h.ancestors(hash) {
		for _, p := range h.parents[v] {
			if strings.HasPrefix(p, resolvedPrefix) {
				out[p] = true
			}
		}
	}
	for _, p := range h.parents[hash] {
		if strings.HasPrefix(p, resolvedPrefix) {
			out[p] = true
		}
	}
	return out
}

// pin writes the implicit parents of every version as explicit rows, so that versions
// added to the item's history out of order keep their ancestry.
func (w *itemWriter) pin(ctx context.Context, h *history) error {
	hashes := make([]string, 0, len(h.parents))
	for hh := range h.parents {
		if !h.explicit[hh] {
			hashes = append(hashes, hh)
		}
	}
	slices.Sort(hashes)
	for _, hh := range hashes {
		if err := w.addParents(ctx, h, hh, h.parents[hh], ""); err != nil {
			return err
		}
	}
	return nil
}

// addParents records (union) that version hash was made from parents.
func (w *itemWriter) addParents(ctx context.Context, h *history, hash string, parents []string, desk string) error {
	if !h.explicit[hash] {
		h.explicit[hash] = true
		h.parents[hash] = nil
	}
	if len(parents) == 0 {
		parents = []string{""}
	}
	for _, p := range parents {
		if p == hash {
			continue
		}
		if _, err := w.exec(ctx, "INSERT OR IGNORE INTO sync_parents(item_id, hash, parent, desk) VALUES (?, ?, ?, ?)", h.id, hash, p, desk); err != nil {
			return err
		}
		if p != "" && !slices.Contains(h.parents[hash], p) {
			h.parents[hash] = append(h.parents[hash], p)
		}
	}
	if desk != "" && h.desk[hash] == "" {
		h.desk[hash] = desk
	}
	return nil
}

// VersionParents returns, for every version of item id this store knows (by
// ContentHash), the versions it was made from: a merge or resolution names several, a
// resolution also a marker "resolved:CURRENT:OTHER"; a first version none. store/pack
// writes them as each version's "parent" and "parents".
func (db *DB) VersionParents(ctx context.Context, id string) (map[string][]string, error) {
	cur, err := db.Get(ctx, id)
	var curp *Item
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return nil, err
	default:
		curp = &cur
	}
	h, err := loadHistory(ctx, db.sql, id, curp)
	if err != nil {
		return nil, fmt.Errorf("store: versions of %s: %w", id, err)
	}
	return h.parents, nil
}

// incomingParents gives the parents of every version an Incoming holds.
func incomingParents(in Incoming) map[string][]string {
	if in.Parents != nil {
		return in.Parents
	}
	revs := slices.Clone(in.Revisions)
	sort.SliceStable(revs, func(i, j int) bool { return revs[i].Rev < revs[j].Rev })
	out := map[string][]string{}
	prev := ""
	add := func(it Item) {
		hh := it.ContentHash()
		if _, ok := out[hh]; !ok {
			out[hh] = nil
			if prev != "" {
				out[hh] = []string{prev}
			}
		}
		prev = hh
	}
	for _, r := range revs {
		add(r.Item)
	}
	if in.Item.Kind != "" {
		add(in.Item)
	}
	return out
}

// applySync is ApplyPack in Sync mode.
func (db *DB) applySync(ctx context.Context, items []Incoming, originals map[string][]byte, opt ApplyOptions) (PackResult, error) {
	var res PackResult
	for sum, data := range originals {
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			return res, fmt.Errorf("store: apply sync from %s: the original file %s does not match its SHA-256: %w", opt.Desk, sum, ErrDamaged)
		}
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		above := db.aboveHere(classes)
		for _, in := range items {
			if in.Item.ID == "" {
				return fmt.Errorf("%w: a version from desk %s has no item ID", ErrInvalid, opt.Desk)
			}
		}
		rel, err := release(items, opt.Records, above, true, &res)
		if err != nil {
			return err
		}
		keep, refused := rel.keep, rel.refused
		if len(refused) > 0 && !opt.SkipAboveCeiling {
			return fmt.Errorf("%w: desk %s sent %d item(s) marked above the highest marking allowed here (%s): %s; nothing was applied",
				ErrAboveCeiling, opt.Desk, len(refused), db.maxClass, strings.Join(refused, ", "))
		}
		res.Refused = refused
		recs, refusedRecs := rel.records, rel.refusedRecs
		if err := rel.recordsErr; err != nil {
			return err
		}
		if len(refusedRecs) > 0 && !opt.SkipAboveCeiling {
			return fmt.Errorf("%w: desk %s sent %d incident record(s) marked above the highest marking allowed here (%s): %s; nothing was applied",
				ErrAboveCeiling, opt.Desk, len(refusedRecs), db.maxClass, strings.Join(refusedRecs, ", "))
		}
		recs, more := dropRefused(recs, refusedRecs)
		res.RefusedRecords = append(refusedRecs, more...)
		if err := addTopics(ctx, tx, topics, opt.Topics, &res); err != nil {
			return err
		}
		w := &itemWriter{db: db, tx: tx, now: time.Now().UTC().Truncate(time.Millisecond), classes: classes, topics: topics, keepMarks: true}
		defer w.close()
		written := map[string]bool{}
		for _, in := range keep {
			if err := w.applySyncOne(ctx, in, originals, written, opt, &res); err != nil {
				return fmt.Errorf("item %s: %w", in.Item.ID, err)
			}
		}
		for _, r := range recs {
			if err := w.applyRecords(ctx, r, &res); err != nil {
				return fmt.Errorf("records of incident %s: %w", r.Incident, err)
			}
		}
		if err := setSyncState(ctx, tx, opt.State); err != nil {
			return err
		}
		if n := len(res.Added) + len(res.Updated) + len(res.Conflicts) + len(res.Merged) + len(res.Trashed) + len(res.Restored) + len(res.Records); n > 0 {
			if err := db.auditTx(ctx, tx, AuditEvent{Action: AuditSyncApply, Subject: opt.Desk,
				Detail: fmt.Sprintf("from desk %s: %d added, %d updated, %d merged, %d conflicts kept, %d moved to the trash, %d restored, %d unchanged, %d older, %d withdrawn, %d refused above the ceiling, %d revisions left out; incident records: %d",
					opt.Desk, len(res.Added), len(res.Updated), len(res.Merged), len(res.Conflicts), len(res.Trashed), len(res.Restored), len(res.Unchanged), len(res.Older), len(res.Withdrawn), len(res.Refused), len(res.SkippedRevisions), len(res.Records))}); err != nil {
				return err
			}
		}
		res.Seq = w.seq
		return nil
	})
	if err != nil {
		return PackResult{}, fmt.Errorf("store: apply sync from desk %s: %w", opt.Desk, err)
	}
	if opt.Progress != nil {
		n := len(res.Added) + len(res.Updated) + len(res.Conflicts) + len(res.Merged)
		opt.Progress(n, n)
	}
	return res, nil
}

// current reads an item (trashed or not) inside the writer's transaction; nil when none.
func (w *itemWriter) current(ctx context.Context, id string) (*Item, error) {
	it, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &it, nil
}

// keepOriginal stores the original a version names, from originals or already here.
func (w *itemWriter) keepOriginal(ctx context.Context, v Item, originals map[string][]byte, written map[string]bool) error {
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
			return fmt.Errorf("%w: the original file (SHA-256 %s) of %s was not sent and is not here", ErrDamaged, d.SHA256, v.ID)
		}
		written[d.SHA256] = true
		return nil
	}
	written[d.SHA256] = true
	_, err := w.exec(ctx, "INSERT INTO files(sha256, size, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", d.SHA256, int64(len(data)), data)
	return err
}

// addVersion keeps v as a revision of item id, which has a current version: at the
// current revision number, the current version moving up one.
func (w *itemWriter) addVersion(ctx context.Context, id string, v Item, saved time.Time) error {
	seq, err := w.nextSeq(ctx)
	if err != nil {
		return err
	}
	var rev int
	if err := w.queryRow(ctx, "UPDATE items SET rev = rev + 1, seq = ? WHERE id = ? RETURNING rev", seq, id).Scan(&rev); err != nil {
		return err
	}
	snap := v
	snap.Seq, snap.Deleted, snap.SourceKey, snap.Rev = 0, nil, "", rev-1
	if snap.Document != nil {
		d := *snap.Document
		d.Original = nil
		snap.Document = &d
	}
	if saved.IsZero() {
		saved = w.now
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	_, err = w.exec(ctx, "INSERT OR REPLACE INTO revisions(item_id, rev, saved, snapshot) VALUES (?,?,?,?)", id, rev-1, toMillis(saved), b)
	return err
}

// saveVersion makes v the current version of its item (the one there becomes a revision).
func (w *itemWriter) saveVersion(ctx context.Context, v Item) (Item, error) {
	updated := v.Updated
	v.Rev, v.Seq, v.Deleted, v.SourceKey = 0, 0, nil, ""
	if v.Document != nil {
		d := *v.Document
		d.Original = nil
		v.Document = &d
	}
	saved, err := w.save(ctx, v)
	if err != nil {
		return Item{}, err
	}
	if !updated.IsZero() {
		if _, err := w.exec(ctx, "UPDATE items SET updated = ? WHERE id = ?", toMillis(updated), v.ID); err != nil {
			return Item{}, err
		}
		saved.Updated = updated
	}
	return saved, nil
}

// applySyncOne applies one item's versions from another desk (see syncDoc in doc.go).
func (w *itemWriter) applySyncOne(ctx context.Context, in Incoming, originals map[string][]byte, written map[string]bool, opt ApplyOptions, res *PackResult) error {
	it := in.Item
	name := fmt.Sprintf("%s %q", it.ID, shortTitle(it.Title))
	if w.withdrawn == nil {
		w.withdrawn = map[string]bool{}
		rows, err := w.tx.QueryContext(ctx, "SELECT item_id FROM sync_withdrawn")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			w.withdrawn[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if w.withdrawn[it.ID] {
		res.Withdrawn = append(res.Withdrawn, it.ID)
		return nil
	}
	content := it.Kind != ""
	head := in.TombHash
	if content {
		head = it.ContentHash()
	}
	if head == "" {
		return fmt.Errorf("%w: a tombstone from desk %s names no version", ErrInvalid, opt.Desk)
	}
	gen := in.Gen
	if in.Tombstone && gen%2 == 0 {
		gen++
	}
	// The versions sent, by hash.
	sent := map[string]Revision{}
	for _, r := range in.Revisions {
		sent[r.Item.ContentHash()] = r
	}
	if content {
		sent[head] = Revision{Rev: it.Rev, Item: it}
	}
	for _, r := range sent {
		if err := w.keepOriginal(ctx, r.Item, originals, written); err != nil {
			return err
		}
	}
	inParents := incomingParents(in)
	local, err := w.current(ctx, it.ID)
	if err != nil {
		return err
	}
	if local == nil {
		if !content {
			res.Unchanged = append(res.Unchanged, it.ID+" (a deletion of an item never here, remembered)")
			return w.mark(ctx, it.ID, head, gen, opt.Desk)
		}
		var purged, odd int
		if err := w.queryRow(ctx, "SELECT count(*) FROM tombstones WHERE id = ?", it.ID).Scan(&purged); err != nil {
			return err
		}
		if purged > 0 {
			if err := w.queryRow(ctx, "SELECT count(*) FROM sync_trash WHERE item_id = ? AND hash = ? AND gen % 2 = 1 AND gen >= ?", it.ID, head, gen).Scan(&odd); err != nil {
				return err
			}
		}
		if purged > 0 && odd > 0 {
			res.Unchanged = append(res.Unchanged, name+" (deleted and purged here)")
			return nil
		}
		saved, err := w.saveVersion(ctx, it)
		if err != nil {
			return err
		}
		revs := slices.Clone(in.Revisions)
		sort.SliceStable(revs, func(i, j int) bool { return revs[i].Rev < revs[j].Rev })
		next := 1
		for _, r := range revs {
			if r.Item.ContentHash() == head {
				continue
			}
			snap := r.Item
			snap.ID, snap.Kind, snap.Seq, snap.Deleted, snap.SourceKey, snap.Rev = it.ID, it.Kind, 0, nil, "", next
			if snap.Document != nil {
				d := *snap.Document
				d.Original = nil
				snap.Document = &d
			}
			b, err := json.Marshal(snap)
			if err != nil {
				return err
			}
			saved := r.Saved
			if saved.IsZero() {
				saved = w.now
			}
			if _, err := w.exec(ctx, "INSERT INTO revisions(item_id, rev, saved, snapshot) VALUES (?,?,?,?)", it.ID, next, toMillis(saved), b); err != nil {
				return err
			}
			next++
		}
		created := saved.Created
		if !it.Created.IsZero() {
			created = it.Created
		}
		if _, err := w.exec(ctx, "UPDATE items SET rev = ?, created = ? WHERE id = ?", next, toMillis(created), it.ID); err != nil {
			return err
		}
		h := &history{id: it.ID, parents: map[string][]string{}, explicit: map[string]bool{}, versions: map[string]Item{}, desk: map[string]string{}}
		if err := w.recordParents(ctx, h, inParents, opt.Desk); err != nil {
			return err
		}
		res.Added = append(res.Added, name)
		if gen > 0 {
			if err := w.mark(ctx, it.ID, head, gen, opt.Desk); err != nil {
				return err
			}
		} else {
			var marks int // a tombstone remembered before the item came
			if err := w.queryRow(ctx, "SELECT count(*) FROM sync_trash WHERE item_id = ?", it.ID).Scan(&marks); err != nil || marks == 0 {
				return err
			}
		}
		return w.settle(ctx, it.ID, nil, opt, res, name)
	}

	h, err := loadHistory(ctx, w.tx, it.ID, local)
	if err != nil {
		return err
	}
	if err := w.pin(ctx, h); err != nil {
		return err
	}
	if err := w.recordParents(ctx, h, inParents, opt.Desk); err != nil {
		return err
	}
	here := local.ContentHash()
	// Keep every version sent that is not here yet, but the head, which may become current.
	hashes := make([]string, 0, len(sent))
	for hh := range sent {
		if _, ok := h.versions[hh]; !ok && hh != head {
			hashes = append(hashes, hh)
		}
	}
	slices.SortFunc(hashes, func(a, b string) int { return sent[a].Rev - sent[b].Rev })
	for _, hh := range hashes {
		if err := w.addVersion(ctx, it.ID, sent[hh].Item, sent[hh].Saved); err != nil {
			return err
		}
		h.versions[hh] = sent[hh].Item
	}
	keepHead := func() error {
		if _, ok := h.versions[head]; ok || !content {
			return nil
		}
		h.versions[head] = it
		return w.addVersion(ctx, it.ID, it, time.Time{})
	}
	// Two desks that resolved one conflict differently, each keeping a version that was
	// already there, make each version name the other as a parent: such a pair is decided
	// as a conflict (ConflictWinner), the same on every desk.
	older, newer := h.ancestors(here)[head], h.ancestors(head)[here]
	switch {
	case !content || head == here:
		res.Unchanged = append(res.Unchanged, name)
	case older && newer:
		if err := w.conflict(ctx, h, *local, it, opt, res, name); err != nil {
			return err
		}
	case older:
		res.Older = append(res.Older, name)
		if err := keepHead(); err != nil {
			return err
		}
	case newer:
		if _, err := w.saveVersion(ctx, it); err != nil {
			return err
		}
		h.versions[head] = it
		res.Updated = append(res.Updated, name)
		if err := w.mergedThere(ctx, h, *local, it, opt, res, name); err != nil {
			return err
		}
	default:
		if err := w.conflict(ctx, h, *local, it, opt, res, name); err != nil {
			return err
		}
	}
	if gen > 0 {
		if err := w.mark(ctx, it.ID, head, gen, opt.Desk); err != nil {
			return err
		}
	}
	return w.settle(ctx, it.ID, local, opt, res, name)
}

// recordParents records the parents of the versions sent.
func (w *itemWriter) recordParents(ctx context.Context, h *history, parents map[string][]string, desk string) error {
	hashes := make([]string, 0, len(parents))
	for hh := range parents {
		hashes = append(hashes, hh)
	}
	slices.Sort(hashes)
	for _, hh := range hashes {
		ps := slices.Clone(parents[hh])
		slices.Sort(ps)
		if err := w.addParents(ctx, h, hh, ps, desk); err != nil {
			return err
		}
	}
	return nil
}

// conflict handles two versions neither of which is made from the other: contacts merge
// field by field; otherwise ConflictWinner decides, and the loser is kept and recorded.
func (w *itemWriter) conflict(ctx context.Context, h *history, local, in Item, opt ApplyOptions, res *PackResult, name string) error {
	here, there := local.ContentHash(), in.ContentHash()
	winner, loser := h.winner(local, in)
	wh, lh := winner.ContentHash(), loser.ContentHash()
	loserDesk := h.desk[lh]
	if lh == there && loserDesk == "" {
		loserDesk = opt.Desk
	}
	if local.Kind == KindContact {
		merged, clash, ok := w.mergeContact(h, local, in, "")
		if ok {
			mm := merged
			if err := mm.normalize(w.classes, w.topics); err != nil {
				return err
			}
			mh := mm.ContentHash()
			both := []string{here, there}
			slices.Sort(both)
			anc := h.ancestors(here)
			for a := range h.ancestors(there) {
				anc[a] = true
			}
			if !anc[mh] {
				switch mh {
				case here: // what came adds nothing: the version here is made from it too
					if err := w.addParents(ctx, h, here, []string{there}, ""); err != nil {
						return err
					}
					if _, ok := h.versions[there]; !ok {
						h.versions[there] = in
						if err := w.addVersion(ctx, in.ID, in, time.Time{}); err != nil {
							return err
						}
					}
				case there:
					if err := w.addParents(ctx, h, there, []string{here}, ""); err != nil {
						return err
					}
					if _, err := w.saveVersion(ctx, in); err != nil {
						return err
					}
					h.versions[there] = in
				default:
					if _, ok := h.versions[there]; !ok {
						h.versions[there] = in
						if err := w.addVersion(ctx, in.ID, in, time.Time{}); err != nil {
							return err
						}
					}
					merged.Updated = time.Time{}
					saved, err := w.saveVersion(ctx, merged)
					if err != nil {
						return err
					}
					if sh := saved.ContentHash(); sh != mh {
						return fmt.Errorf("the merge of versions %.12s and %.12s changed when saved", here, there)
					}
					if err := w.addParents(ctx, h, mh, both, ""); err != nil {
						return err
					}
					h.versions[mh] = saved
				}
				res.Merged = append(res.Merged, name)
				if len(clash) > 0 {
					return w.recordConflict(ctx, in.ID, mh, loser, lh, loserDesk, clash, res, name)
				}
				return nil
			}
		}
	}
	if wh == there {
		if _, err := w.saveVersion(ctx, in); err != nil {
			return err
		}
		h.versions[there] = in
	} else if _, ok := h.versions[there]; !ok {
		h.versions[there] = in
		if err := w.addVersion(ctx, in.ID, in, time.Time{}); err != nil {
			return err
		}
	}
	return w.recordConflict(ctx, in.ID, wh, loser, lh, loserDesk, diffFields(winner, loser), res, name)
}

// mergedThere records, when the version that came (in) is a contact merged on another desk
// from the version here (local) and another, with fields both changed, the same conflict
// that desk recorded: the change typed here may have lost there.
func (w *itemWriter) mergedThere(ctx context.Context, h *history, local, in Item, opt ApplyOptions, res *PackResult, name string) error {
	if local.Kind != KindContact {
		return nil
	}
	here, head := local.ContentHash(), in.ContentHash()
	ps := h.parents[head]
	if len(ps) < 2 || !slices.Contains(ps, here) || slices.ContainsFunc(ps, func(p string) bool { return strings.HasPrefix(p, resolvedPrefix) }) {
		return nil
	}
	// The other side is another parent, or the version itself when the merge came out
	// the same as that side.
	anc := h.ancestors(here)
	for _, p := range append(slices.Clone(ps), head) {
		other, ok := h.versions[p]
		if p == here || anc[p] || !ok {
			continue
		}
		skip := ""
		if p == head {
			skip = here // the edge the merge added, not one of the sides' own ancestry
		}
		merged, clash, ok := w.mergeContact(h, local, other, skip)
		if !ok || len(clash) == 0 {
			continue
		}
		if err := merged.normalize(w.classes, w.topics); err != nil || merged.ContentHash() != head {
			continue
		}
		_, loser := h.winner(local, other)
		lh := loser.ContentHash()
		desk := h.desk[lh]
		if lh == p && desk == "" {
			desk = opt.Desk
		}
		if err := w.recordConflict(ctx, in.ID, head, loser, lh, desk, clash, res, name); err != nil {
			return err
		}
	}
	return nil
}

// recordConflict records an open conflict once (the same two versions again change nothing).
func (w *itemWriter) recordConflict(ctx context.Context, id, current string, other Item, otherHash, desk string, fields []string, res *PackResult, name string) error {
	snap := other
	snap.Seq, snap.Deleted, snap.SourceKey = 0, nil, ""
	b, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	if fields == nil {
		fields = []string{}
	}
	f, _ := json.Marshal(fields)
	r, err := w.exec(ctx, `INSERT OR IGNORE INTO sync_conflicts(item_id, current_hash, other_hash, other_desk, other, fields, found)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, current, otherHash, desk, b, f, toMillis(w.now))
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n > 0 {
		from := "this desk"
		if desk != "" {
			from = "desk " + desk
		}
		res.Conflicts = append(res.Conflicts, fmt.Sprintf("%s: changed on two desks; the version from %s is kept as a revision (%s)", name, from, strings.Join(fields, ", ")))
	}
	return nil
}

// mark raises the trash generation of version hash of item id to gen (the higher wins).
func (w *itemWriter) mark(ctx context.Context, id, hash string, gen int, desk string) error {
	var g int
	err := w.queryRow(ctx, "SELECT gen FROM sync_trash WHERE item_id = ? AND hash = ?", id, hash).Scan(&g)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if gen <= g {
		return nil
	}
	seq, err := w.nextSeq(ctx)
	if err != nil {
		return err
	}
	_, err = w.exec(ctx, `INSERT INTO sync_trash(item_id, hash, gen, seq, desk) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(item_id, hash) DO UPDATE SET gen = excluded.gen, seq = excluded.seq, desk = excluded.desk`, id, hash, gen, seq, desk)
	return err
}

// settle puts the item in or out of the trash by the trash mark of its current version
// (an odd mark: in the trash; an even one, or none while a version before it has one: out;
// no mark at all: as it was), records a deletion met by a change as a conflict, and closes
// the open conflicts the current version resolves (it is made from a version that names
// their marker).
func (w *itemWriter) settle(ctx context.Context, id string, before *Item, opt ApplyOptions, res *PackResult, name string) error {
	cur, err := w.current(ctx, id)
	if err != nil || cur == nil {
		return err
	}
	var h *history // read only when needed: most items have no marks and no conflicts
	history := func() (*history, error) {
		if h != nil {
			return h, nil
		}
		var err error
		h, err = loadHistory(ctx, w.tx, id, cur)
		return h, err
	}
	head := cur.ContentHash()
	marks := map[string]int{}
	desks := map[string]string{}
	rows, err := w.tx.QueryContext(ctx, "SELECT hash, gen, desk FROM sync_trash WHERE item_id = ?", id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var hh, desk string
		var g int
		if err := rows.Scan(&hh, &g, &desk); err != nil {
			rows.Close()
			return err
		}
		marks[hh], desks[hh] = g, desk
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	wasDeleted := before != nil && before.Deleted != nil
	trash := wasDeleted
	if g, ok := marks[head]; ok {
		trash = g%2 == 1
	} else if len(marks) > 0 {
		trash = false
		// A version this one is made from was deleted (here or on another desk): the
		// change wins, and the deletion is recorded as a conflict.
		h, err := history()
		if err != nil {
			return err
		}
		anc := h.ancestors(head)
		hashes := make([]string, 0, len(marks))
		for hh := range marks {
			hashes = append(hashes, hh)
		}
		slices.Sort(hashes)
		for _, hh := range hashes {
			if marks[hh]%2 == 1 && anc[hh] {
				other, ok := h.versions[hh]
				if !ok {
					other = Item{ID: id, Kind: cur.Kind, Title: cur.Title}
				}
				if err := w.recordConflict(ctx, id, head, other, hh, desks[hh], []string{"Deleted"}, res, name); err != nil {
					return err
				}
			}
		}
	}
	isDeleted := cur.Deleted != nil
	if trash != isDeleted {
		seq, err := w.nextSeq(ctx)
		if err != nil {
			return err
		}
		var at any
		if trash {
			at = toMillis(w.now)
			if wasDeleted {
				at = toMillis(*before.Deleted)
			}
		}
		if _, err := w.exec(ctx, "UPDATE items SET deleted = ?, seq = ? WHERE id = ?", at, seq, id); err != nil {
			return err
		}
	}
	switch {
	case trash && !wasDeleted:
		res.Trashed = append(res.Trashed, name)
	case !trash && wasDeleted:
		res.Restored = append(res.Restored, name)
	}
	var open int
	if err := w.queryRow(ctx, "SELECT count(*) FROM sync_conflicts WHERE item_id = ? AND resolved = 0", id).Scan(&open); err != nil || open == 0 {
		return err
	}
	if h, err = history(); err != nil {
		return err
	}
	return w.closeResolved(ctx, h, id, head)
}

// closeResolved closes the open conflicts of item id whose resolution marker the version
// head is made from.
func (w *itemWriter) closeResolved(ctx context.Context, h *history, id, head string) error {
	marks := h.markers(head)
	if len(marks) == 0 {
		return nil
	}
	rows, err := w.tx.QueryContext(ctx, "SELECT id, current_hash, other_hash FROM sync_conflicts WHERE item_id = ? AND resolved = 0", id)
	if err != nil {
		return err
	}
	var close []int64
	for rows.Next() {
		var cid int64
		var c, o string
		if err := rows.Scan(&cid, &c, &o); err != nil {
			rows.Close()
			return err
		}
		if marks[resolvedPrefix+c+":"+o] {
			close = append(close, cid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, cid := range close {
		if _, err := w.exec(ctx, "UPDATE sync_conflicts SET resolved = ? WHERE id = ?", toMillis(w.now), cid); err != nil {
			return err
		}
	}
	return nil
}

// resolve saves keep as the resolution of conflict c (ResolveConflict).
func (w *itemWriter) resolve(ctx context.Context, c Conflict, keep Item) (Item, error) {
	local, err := w.current(ctx, c.ItemID)
	if err != nil {
		return Item{}, err
	}
	if local == nil {
		return Item{}, fmt.Errorf("item %s: %w", c.ItemID, ErrNotFound)
	}
	h, err := loadHistory(ctx, w.tx, c.ItemID, local)
	if err != nil {
		return Item{}, err
	}
	if err := w.pin(ctx, h); err != nil {
		return Item{}, err
	}
	keep.ID, keep.Rev, keep.Seq, keep.Deleted, keep.Updated = c.ItemID, 0, 0, nil, time.Time{}
	if keep.Kind == "" {
		keep.Kind = local.Kind
	}
	kk := keep
	if err := kk.normalize(w.classes, w.topics); err != nil {
		return Item{}, err
	}
	here, kh := local.ContentHash(), kk.ContentHash()
	marker := resolvedPrefix + c.CurrentHash + ":" + c.OtherHash
	var parents []string
	for _, p := range []string{here, c.CurrentHash, c.OtherHash} {
		if p != kh && !slices.Contains(parents, p) && !h.ancestors(kh)[p] || p != kh && !slices.Contains(parents, p) && kh == here {
			parents = append(parents, p)
		}
	}
	slices.Sort(parents)
	parents = append(parents, marker)
	out := *local
	if kh == here {
		seq, err := w.nextSeq(ctx)
		if err != nil {
			return Item{}, err
		}
		if _, err := w.exec(ctx, "UPDATE items SET seq = ?, updated = ? WHERE id = ?", seq, toMillis(w.now), c.ItemID); err != nil {
			return Item{}, err
		}
	} else {
		if out, err = w.save(ctx, keep); err != nil {
			return Item{}, err
		}
		if sh := out.ContentHash(); sh != kh {
			return Item{}, fmt.Errorf("the resolution of %s changed when saved", c.ItemID)
		}
	}
	if err := w.addParents(ctx, h, kh, parents, ""); err != nil {
		return Item{}, err
	}
	if _, err := w.exec(ctx, "UPDATE sync_conflicts SET resolved = ? WHERE id = ?", toMillis(w.now), c.ID); err != nil {
		return Item{}, err
	}
	if err := w.closeResolved(ctx, h, c.ItemID, kh); err != nil {
		return Item{}, err
	}
	what := "a merge"
	switch kh {
	case c.CurrentHash:
		what = "the current version"
	case c.OtherHash:
		what = "the other version"
	}
	if err := w.db.auditTx(ctx, w.tx, AuditEvent{Action: AuditSyncResolve, Subject: c.ItemID, Marking: out.Class,
		Detail: fmt.Sprintf("conflict %d resolved by keeping %s (version %.12s; the versions were %.12s and %.12s, the other from %s)",
			c.ID, what, kh, c.CurrentHash, c.OtherHash, deskName(c.OtherDesk))}); err != nil {
		return Item{}, err
	}
	return out, nil
}

func deskName(d string) string {
	if d == "" {
		return "this desk"
	}
	return "desk " + d
}

// flatFields is an item's content as field name → JSON value: the common fields, and
// the fields of its kind as "Contact.Phones" and the like (no times, revision, sequence,
// trash state or SourceKey).
func flatFields(it Item) map[string]json.RawMessage {
	it = hashView(it)
	b, _ := json.Marshal(it)
	var top map[string]json.RawMessage
	_ = json.Unmarshal(b, &top)
	for _, k := range []string{"ID", "Kind", "Created", "Updated", "Rev", "Seq", "Deleted", "SourceKey"} {
		delete(top, k)
	}
	for _, k := range []string{"Note", "Contact", "Organisation", "Document", "Briefing", "Incident"} {
		raw, ok := top[k]
		if !ok {
			continue
		}
		delete(top, k)
		var sub map[string]json.RawMessage
		if json.Unmarshal(raw, &sub) == nil {
			for sk, sv := range sub {
				top[k+"."+sk] = sv
			}
		}
	}
	return top
}

// hashView is the item as ContentHash sees it.
func hashView(it Item) Item {
	if !it.Date.IsZero() {
		it.Date = it.Date.UTC()
	}
	if d := it.Document; d != nil {
		c := *d
		c.Original = nil
		it.Document = &c
	}
	if len(it.Links) == 0 {
		it.Links = nil
	} else {
		it.Links = append([]Link(nil), it.Links...)
		for i := range it.Links {
			it.Links[i].From = it.ID
			if it.Links[i].Rel == "" {
				it.Links[i].Rel = "mentions"
			}
		}
	}
	for _, l := range []*[]string{&it.Tags, &it.Countries, &it.Topics} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return it
}

// diffFields names the fields in which two versions differ, sorted.
func diffFields(a, b Item) []string {
	fa, fb := flatFields(a), flatFields(b)
	var out []string
	for k, va := range fa {
		if !bytes.Equal(va, fb[k]) {
			out = append(out, k)
		}
	}
	for k := range fb {
		if _, ok := fa[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// mergeContact merges two versions of a contact from the newest version both are made
// from (the common ancestor; of several, the one whose hash sorts last): a field only one
// side changed takes that side's value; a field both changed differently takes the
// winner's (ConflictWinner) and is named in clash. The result depends on the three
// versions only, so every desk makes the same one. ok is false when no common ancestor
// is known here.
func (w *itemWriter) mergeContact(h *history, a, b Item, skip string) (merged Item, clash []string, ok bool) {
	ha, hb := a.ContentHash(), b.ContentHash()
	ancA, ancB := h.ancestors(ha), h.ancestorsExcept(hb, skip)
	ancA[ha], ancB[hb] = true, true
	var common []string
	for x := range ancA {
		if ancB[x] {
			common = append(common, x)
		}
	}
	var best string
	for _, x := range common {
		newest := true
		for _, y := range common {
			if y != x && h.ancestors(y)[x] {
				newest = false
				break
			}
		}
		if _, known := h.versions[x]; newest && known && x > best {
			best = x
		}
	}
	if best == "" {
		return Item{}, nil, false
	}
	winner, _ := h.winner(a, b)
	fo, fa, fb, fw := flatFields(h.versions[best]), flatFields(a), flatFields(b), flatFields(winner)
	keys := map[string]bool{}
	for _, m := range []map[string]json.RawMessage{fo, fa, fb} {
		for k := range m {
			keys[k] = true
		}
	}
	out := map[string]json.RawMessage{}
	for k := range keys {
		va, vb, vo := fa[k], fb[k], fo[k]
		var v json.RawMessage
		switch {
		case bytes.Equal(va, vb):
			v = va
		case bytes.Equal(va, vo):
			v = vb
		case bytes.Equal(vb, vo):
			v = va
		default:
			v = fw[k]
			clash = append(clash, k)
		}
		if v != nil {
			out[k] = v
		}
	}
	slices.Sort(clash)
	top := map[string]json.RawMessage{}
	sub := map[string]json.RawMessage{}
	for k, v := range out {
		if s, ok := strings.CutPrefix(k, "Contact."); ok {
			sub[s] = v
		} else if !strings.Contains(k, ".") {
			top[k] = v
		}
	}
	sb, _ := json.Marshal(sub)
	top["Contact"] = sb
	tb, _ := json.Marshal(top)
	if err := json.Unmarshal(tb, &merged); err != nil {
		return Item{}, nil, false
	}
	merged.ID, merged.Kind, merged.Created = a.ID, a.Kind, a.Created
	if merged.Contact == nil {
		merged.Contact = &Contact{}
	}
	return merged, clash, true
}
