package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The actions the audit trail records. Callers may record others; these are the ones
// Chancery writes.
const (
	AuditExport       = "export"           // a briefing, contacts or search results written to a file
	AuditImport       = "import"           // files imported
	AuditPurge        = "purge"            // the trash emptied: items removed for good
	AuditPolicy       = "policy"           // the administrator's policy changed since the last start
	AuditOptions      = "ceiling"          // the scheme, ceiling or default marking changed
	AuditLowered      = "marking-lowered"  // a save lowered an item's marking
	AuditBackup       = "backup"           // a backup written
	AuditRestore      = "restore"          // a backup restored
	AuditPackExport   = "pack-export"      // a knowledge pack written
	AuditPackImport   = "pack-import"      // a knowledge pack imported
	auditCanonVersion = "chancery-audit-1" // first field of the hashed row
)

// AuditHeadName is the file beside the database that holds the audit trail's head (the
// last row committed, and the one being committed), so that rows deleted from, or added
// to, the end of the trail are found too.
const AuditHeadName = "chancery.audit"

// AuditEvent is what a caller records.
type AuditEvent struct {
	Action  string // one of the Audit... constants, or another short word
	Subject string // what it concerns: an item ID, a file, a policy
	Detail  string // in words
	Marking string // the marking or ceiling concerned, when there is one
	Actor   string // who; "" for the OS user running Chancery
}

// AuditEntry is a row of the audit trail.
type AuditEntry struct {
	Seq  int64
	Time time.Time // UTC
	AuditEvent
	Prev string // the previous row's hash, "" for the first
	Hash string // SHA-256 over the row and Prev
}

// AuditFilter chooses rows of the audit trail. The zero value is every row.
type AuditFilter struct {
	After  int64  // rows after this sequence number
	Action string // only this action, when set
	Limit  int    // at most this many (the first ones), when above 0
}

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	Rows     int    // rows in the trail
	Head     int64  // the last row's sequence number
	HeadHash string // and its hash
	// Anchored: the head recorded beside the database (AuditHeadName) agrees with the
	// trail's last row. False when there is no such file (a trail never written to, or a
	// database moved without it); then rows removed from the end cannot be told.
	Anchored bool
	// HeadMissing: the trail has rows but the file beside the database that records its
	// head is missing (also a problem). A database copied on its own (a backup's snapshot
	// checked before it is restored) has none; recording an event writes it again.
	HeadMissing bool
	Problems    []string // in words, each naming the row; none when the chain is unbroken
}

// OK reports whether the trail is unbroken.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }

var (
	actorOnce sync.Once
	actorName string
)

// osUser is the name of the OS user running Chancery.
func osUser() string {
	actorOnce.Do(func() {
		if u, err := user.Current(); err == nil && u.Username != "" {
			actorName = u.Username
			return
		}
		for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
			if v := os.Getenv(k); v != "" {
				actorName = v
				return
			}
		}
		actorName = "uid " + strconv.Itoa(os.Getuid())
	})
	return actorName
}

// auditHash is the SHA-256, in hex, of a row in canonical form: a JSON array of its
// fields, the previous hash last.
func auditHash(e AuditEntry, at string) string {
	b, _ := json.Marshal([]any{auditCanonVersion, e.Seq, at, e.Action, e.Subject, e.Detail, e.Actor, e.Marking, e.Prev})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const auditTimeFormat = "2006-01-02T15:04:05.000000000Z"

// Audit appends an event to the audit trail, in its own transaction.
func (db *DB) Audit(ctx context.Context, ev AuditEvent) error {
	err := db.tx(ctx, func(tx *sql.Tx) error { return db.auditTx(ctx, tx, ev) })
	if err != nil {
		return fmt.Errorf("store: record %s in the audit trail: %w", ev.Action, err)
	}
	return nil
}

// auditTx appends an event to the audit trail inside tx: it is recorded if and only if
// what tx does is committed. tx writes the head beside the database (see tx).
func (db *DB) auditTx(ctx context.Context, tx *sql.Tx, ev AuditEvent) error {
	if strings.TrimSpace(ev.Action) == "" {
		return fmt.Errorf("%w: an audit event needs an action", ErrInvalid)
	}
	if ev.Actor == "" {
		ev.Actor = osUser()
	}
	e := AuditEntry{AuditEvent: ev}
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &e.Prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.Seq++
	at := time.Now().UTC().Format(auditTimeFormat)
	e.Hash = auditHash(e, at)
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit(seq, at, action, subject, detail, actor, marking, prev, hash) VALUES (?,?,?,?,?,?,?,?,?)",
		e.Seq, at, e.Action, e.Subject, e.Detail, e.Actor, e.Marking, e.Prev, e.Hash); err != nil {
		return err
	}
	p := auditTxHeads{before: auditHead{e.Seq - 1, e.Prev}}
	if v, ok := auditPending.Load(tx); ok {
		p.before = v.(auditTxHeads).before
	}
	p.after = auditHead{e.Seq, e.Hash}
	auditPending.Store(tx, p)
	return nil
}

// auditHead is a row of the trail as the head file records it.
type auditHead struct {
	seq  int64
	hash string
}

// auditTxHeads are the trail's heads before and after a transaction's rows.
type auditTxHeads struct{ before, after auditHead }

// auditPending holds the transactions that appended to the audit trail, with the heads
// before and after their rows, until tx commits them.
var auditPending sync.Map // *sql.Tx -> auditTxHeads

// takeAuditHeads tells whether tx appended to the audit trail, and the heads before and
// after; it forgets tx.
func takeAuditHeads(tx *sql.Tx) (auditTxHeads, bool) {
	v, ok := auditPending.LoadAndDelete(tx)
	if !ok {
		return auditTxHeads{}, false
	}
	return v.(auditTxHeads), true
}

// writeAuditHead records the trail's head beside the database: the last row committed
// and, before a commit, the row being committed (so that a crash between the two is not
// taken for tampering).
func (db *DB) writeAuditHead(committed auditHead, pending *auditHead) error {
	auditHeadMu.Lock()
	defer auditHeadMu.Unlock()
	if pending == nil {
		// After a commit: another transaction may have begun since and written its own
		// pending row; the file must not go back behind it.
		if cur, p, ok, err := db.readAuditHead(); err == nil && ok && (cur.seq > committed.seq || p != nil && p.seq > committed.seq) {
			return nil
		}
	}
	var b strings.Builder
	b.WriteString("# The head of this knowledge base's audit trail (chancery audit --verify). Do not edit.\n")
	fmt.Fprintf(&b, "committed %d %s\n", committed.seq, committed.hash)
	if pending != nil {
		fmt.Fprintf(&b, "pending %d %s\n", pending.seq, pending.hash)
	}
	path := filepath.Join(db.dir, AuditHeadName)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// auditHeadMu keeps the head file's writes one at a time.
var auditHeadMu sync.Mutex

// readAuditHead reads the head file: ok false when there is none.
func (db *DB) readAuditHead() (committed auditHead, pending *auditHead, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(db.dir, AuditHeadName))
	if errors.Is(err, os.ErrNotExist) {
		return auditHead{}, nil, false, nil
	}
	if err != nil {
		return auditHead{}, nil, false, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasPrefix(line, "#") {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "committed":
			committed, ok = auditHead{n, f[2]}, true
		case "pending":
			pending = &auditHead{n, f[2]}
		}
	}
	if !ok {
		return auditHead{}, nil, false, fmt.Errorf("%s holds no committed head", AuditHeadName)
	}
	return committed, pending, true, nil
}

// commitWithAudit commits tx; when tx appended to the audit trail, the head file says
// "pending" before and "committed" after. A head that cannot be written before the commit
// stops it (nothing is recorded that could not be anchored); after it, the commit stands
// and the pending line, which VerifyAudit accepts, stays.
func (db *DB) commitWithAudit(tx *sql.Tx) error {
	h, ok := takeAuditHeads(tx)
	if !ok {
		return tx.Commit()
	}
	db.closing.RLock()
	defer db.closing.RUnlock()
	if err := db.writeAuditHead(h.before, &h.after); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("record the audit trail's head in %s: %w", filepath.Join(db.dir, AuditHeadName), err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if afterAuditCommit != nil {
		afterAuditCommit()
	}
	_ = db.writeAuditHead(h.after, nil)
	return nil
}

// afterAuditCommit, when set (by tests), runs between an audited commit and the head
// written after it.
var afterAuditCommit func()

// AuditLog lists the rows of the audit trail that f chooses, oldest first.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := "SELECT seq, at, action, subject, detail, actor, marking, prev, hash FROM audit WHERE seq > ?"
	args := []any{f.After}
	if f.Action != "" {
		q += " AND action = ?"
		args = append(args, f.Action)
	}
	q += " ORDER BY seq"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: read the audit trail: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, _, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read the audit trail: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read the audit trail: %w", err)
	}
	return out, nil
}

func scanAudit(s scanner) (AuditEntry, string, error) {
	var e AuditEntry
	var at string
	if err := s.Scan(&e.Seq, &at, &e.Action, &e.Subject, &e.Detail, &e.Actor, &e.Marking, &e.Prev, &e.Hash); err != nil {
		return e, "", err
	}
	e.Time, _ = time.Parse(time.RFC3339Nano, at)
	return e, at, nil
}

// describe names a row for people: "row 7 (export of demo-briefing, 2026-12-06 02:10 UTC)".
func (e AuditEntry) describe() string {
	what := e.Action
	if e.Subject != "" {
		what += " of " + e.Subject
	}
	if !e.Time.IsZero() {
		what += ", " + e.Time.Format("2006-01-02 15:04:05 UTC")
	}
	return fmt.Sprintf("row %d (%s)", e.Seq, what)
}

// VerifyAudit walks the whole audit trail and checks its chain: every row's hash against
// its content and the previous row's hash, the sequence without gaps, and the last row
// against the head recorded beside the database. A row changed, deleted or inserted with a
// SQLite tool is reported in words naming the row. Only a failure to read is an error.
func (db *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var r AuditReport
	rows, err := db.sql.QueryContext(ctx, "SELECT seq, at, action, subject, detail, actor, marking, prev, hash FROM audit ORDER BY seq")
	if err != nil {
		return r, fmt.Errorf("store: verify the audit trail: %w", err)
	}
	defer rows.Close()
	var (
		expect   int64 = 1
		prevHash string
		prev     *AuditEntry
	)
	for rows.Next() {
		e, at, err := scanAudit(rows)
		if err != nil {
			return r, fmt.Errorf("store: verify the audit trail: %w", err)
		}
		r.Rows++
		gap := false
		switch {
		case e.Seq > expect && expect == e.Seq-1:
			r.Problems = append(r.Problems, fmt.Sprintf("row %d is missing: it was deleted (the trail goes from row %d to %s)", expect, expect-1, e.describe()))
			gap = true
		case e.Seq > expect:
			r.Problems = append(r.Problems, fmt.Sprintf("rows %d to %d are missing: they were deleted (the trail goes from row %d to %s)", expect, e.Seq-1, expect-1, e.describe()))
			gap = true
		case e.Seq < expect:
			r.Problems = append(r.Problems, fmt.Sprintf("%s is out of sequence: it was inserted", e.describe()))
		}
		want := auditHash(e, at)
		changed := want != e.Hash
		if changed {
			r.Problems = append(r.Problems, fmt.Sprintf("%s was changed after it was written: its content does not match its hash", e.describe()))
		}
		if !gap && e.Prev != prevHash {
			if prev == nil {
				r.Problems = append(r.Problems, fmt.Sprintf("%s does not start the chain: rows before it were deleted, or it was inserted", e.describe()))
			} else if !changed {
				r.Problems = append(r.Problems, fmt.Sprintf("%s does not follow %s: one of them was changed, replaced or inserted", e.describe(), prev.describe()))
			}
		}
		prevHash = e.Hash
		cp := e
		prev = &cp
		expect = e.Seq + 1
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("store: verify the audit trail: %w", err)
	}
	if prev != nil {
		r.Head, r.HeadHash = prev.Seq, prev.Hash
	}
	committed, pending, ok, err := db.readAuditHead()
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("the head of the trail kept in %s cannot be read: %v", AuditHeadName, err))
		return r, nil
	}
	if !ok {
		if r.Rows > 0 {
			r.HeadMissing = true
			r.Problems = append(r.Problems, fmt.Sprintf("the head of the trail kept in %s beside the database is missing: it was deleted, or the database was copied without it; rows deleted from the end of the trail cannot be told", AuditHeadName))
		}
		return r, nil
	}
	last := auditHead{r.Head, r.HeadHash}
	switch {
	case last == committed, pending != nil && last == *pending:
		r.Anchored = true
	case last.seq < committed.seq:
		r.Problems = append(r.Problems, fmt.Sprintf("rows %d to %d are missing at the end of the trail: they were deleted (%s records row %d as the last)", last.seq+1, committed.seq, AuditHeadName, committed.seq))
	case last.seq > committed.seq && (pending == nil || last.seq > pending.seq):
		r.Problems = append(r.Problems, fmt.Sprintf("rows %d to %d were added after the last row Chancery wrote (row %d, as %s records): they were inserted", committed.seq+1, last.seq, committed.seq, AuditHeadName))
	default:
		r.Problems = append(r.Problems, fmt.Sprintf("row %d is not the row Chancery wrote last (%s records another hash): it was changed or replaced", last.seq, AuditHeadName))
	}
	return r, nil
}

// AuditState records an event when state (a description of a setting in force, such as
// the administrator's policy or the ceiling) differs from the one recorded last for
// subject: its detail says what it was and what it is. It reports whether it recorded.
// The first state recorded for a subject is recorded as a change from "(none recorded)".
func (db *DB) AuditState(ctx context.Context, action, subject, state string) (bool, error) {
	key := "audit.state " + subject
	sum := sha256.Sum256([]byte(state))
	now := hex.EncodeToString(sum[:])
	var cur string
	if err := db.sql.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&cur); err == nil && strings.HasPrefix(cur, now+" ") {
		return false, nil // unchanged: nothing to write (a read-only knowledge base opens)
	}
	var recorded bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var prev string
		err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		prevSum, prevState, _ := strings.Cut(prev, " ")
		if prevSum == now {
			return nil
		}
		if prev == "" {
			prevState = "(none recorded)"
		}
		if err := db.auditTx(ctx, tx, AuditEvent{Action: action, Subject: subject,
			Detail: "was: " + prevState + "; now: " + state}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, now+" "+state); err != nil {
			return err
		}
		recorded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: record %s in the audit trail: %w", subject, err)
	}
	return recorded, nil
}

// optionsState describes the options in force, for the audit trail.
func (db *DB) optionsState(ctx context.Context) (string, error) {
	classes, err := db.Classes(ctx)
	if err != nil {
		return "", err
	}
	max := db.maxClass
	if max == "" {
		max = "any"
	}
	return fmt.Sprintf("scheme %s; highest marking allowed %s; default marking %s", strings.Join(classes, " < "), max, db.DefaultClass()), nil
}

// auditOptions records the options in force when they changed since the last start.
func (db *DB) auditOptions(ctx context.Context) error {
	st, err := db.optionsState(ctx)
	if err != nil {
		return err
	}
	_, err = db.AuditState(ctx, AuditOptions, "options", st)
	return err
}

// auditLowered records, in the saving transaction, an item whose marking a save lowers.
func (w *itemWriter) auditLowered(ctx context.Context, old *Item, it Item) error {
	if old == nil || w.classes[it.Class] >= w.classes[old.Class] {
		return nil
	}
	return w.db.auditTx(ctx, w.tx, AuditEvent{Action: AuditLowered, Subject: it.ID, Marking: it.Class,
		Detail: fmt.Sprintf("%s %q lowered from %s to %s", it.Kind, shortTitle(it.Title), old.Class, it.Class)})
}

// auditPurge records, in EmptyTrash's transaction, the items it removes for good: how
// many, the highest marking among them, and their IDs (the first hundred).
func (db *DB) auditPurge(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.class, c.rank FROM items i LEFT JOIN classes c ON c.name = i.class
		WHERE i.deleted IS NOT NULL ORDER BY i.id`)
	if err != nil {
		return err
	}
	var ids []string
	top, topRank := "", -1
	for rows.Next() {
		var id, class string
		var rank sql.NullInt64
		if err := rows.Scan(&id, &class, &rank); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		if int(rank.Int64) > topRank {
			top, topRank = class, int(rank.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	list := ids
	more := ""
	if len(list) > 100 {
		list, more = list[:100], fmt.Sprintf(" and %d more", len(ids)-100)
	}
	return db.auditTx(ctx, tx, AuditEvent{Action: AuditPurge, Subject: "trash", Marking: top,
		Detail: fmt.Sprintf("emptied the trash: %d items removed for good (the highest marked %s): %s%s", len(ids), top, strings.Join(list, ", "), more)})
}
