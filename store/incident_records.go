package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The records of an incident: what they share (one transaction per write, markings,
// bounds). The records themselves are in incident_timeline.go, incident_calls.go,
// incident_actions.go (actions and positions) and incident_sitrep.go.

// Bounds on a record's fields (see limits.go for items').
const (
	maxRecordText  = 100_000
	maxRecordField = 2_000
	maxRecordRefs  = 1_000
)

// recordWriter writes an incident's records inside one transaction (incidentTx).
type recordWriter struct {
	*itemWriter
	incident Item   // as read at the start
	name     string // "incident ID (\"Title\")", for messages
}

// incidentTx runs fn in one transaction (db.tx) on the live incident id, then moves the
// incident's change sequence (so the index and the screens following the store refresh) and
// raises its marking to the highest of what it holds. An unknown incident is ErrNotFound, a
// trashed one or another kind of item ErrInvalid, all naming it; on any error nothing is
// stored.
func (db *DB) incidentTx(ctx context.Context, id, verb string, fn func(w *recordWriter) error) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		iw := &itemWriter{db: db, tx: tx, now: time.Now().UTC().Truncate(time.Millisecond), classes: classes, topics: topics}
		defer iw.close()
		w := &recordWriter{itemWriter: iw}
		if w.incident, err = w.readIncident(ctx, id); err != nil {
			return err
		}
		w.name = fmt.Sprintf("incident %s (%q)", id, w.incident.Title)
		if err := fn(w); err != nil {
			return err
		}
		return w.touch(ctx)
	})
	if err != nil {
		return fmt.Errorf("store: %s on incident %s: %w", verb, id, err)
	}
	return nil
}

func (w *itemWriter) readIncident(ctx context.Context, id string) (Item, error) {
	if id == "" {
		return Item{}, fmt.Errorf("%w: no incident given", ErrInvalid)
	}
	it, err := scanItem(w.queryRow(ctx, selectItems(false)+" WHERE i.id = ?", id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Item{}, fmt.Errorf("no incident %s: %w", id, ErrNotFound)
		}
		return Item{}, err
	}
	if it.Kind != KindIncident || it.Incident == nil {
		return Item{}, fmt.Errorf("%w: %s (%q) is a %s, not an incident", ErrInvalid, id, it.Title, it.Kind)
	}
	if it.Deleted != nil {
		return Item{}, fmt.Errorf("%w: incident %s (%q) is in the trash; restore it first", ErrInvalid, id, it.Title)
	}
	return it, nil
}

// touch moves the incident's change sequence and raises its marking to what it holds.
func (w *recordWriter) touch(ctx context.Context) error {
	full, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", w.incident.ID))
	if err != nil {
		return err
	}
	full.Rev = 0
	if _, err := w.save(ctx, full); err != nil { // a new revision only when its marking rises
		return err
	}
	seq, err := w.nextSeq(ctx)
	if err != nil {
		return err
	}
	_, err = w.exec(ctx, "UPDATE items SET seq = ?, updated = ? WHERE id = ?", seq, toMillis(w.now), w.incident.ID)
	return err
}

// class checks a record's marking against the scheme and the ceiling; empty is the
// default marking.
func (w *recordWriter) class(c, what string) (string, error) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c == "" {
		c = w.db.defaultClass
		if c == "" {
			c = lowestClass(w.classes)
		}
	}
	if _, ok := w.classes[c]; !ok {
		return "", fmt.Errorf("%w: %s has unknown classification %q", ErrInvalid, what, c)
	}
	if w.db.maxClass != "" && w.classes[c] > w.db.maxRank {
		return "", fmt.Errorf("%w: %s is marked %s; the highest marking allowed here is %s", ErrAboveCeiling, what, c, w.db.maxClass)
	}
	return c, nil
}

func checkRecordText(what, field, v string, max int) error {
	if len(v) > max {
		return fmt.Errorf("%w: %s has a %s of %s, more than the %s allowed", ErrInvalid, what, field, size(len(v)), size(max))
	}
	return nil
}

func reliability(what, r string) (string, error) {
	r = strings.ToUpper(strings.TrimSpace(r))
	if r != "" && !reliabilityRE.MatchString(r) {
		return "", fmt.Errorf("%w: %s has reliability grade %q; use a letter A-F and a digit 1-6, such as B2", ErrInvalid, what, r)
	}
	return r, nil
}

func country(what, c string) (string, error) {
	cc, ok := LookupCountry(strings.TrimSpace(c))
	if !ok {
		return "", fmt.Errorf("%w: %s has unknown country %q (use an ISO 3166-1 code such as GHA)", ErrInvalid, what, c)
	}
	return cc.Alpha3, nil
}

func zone(what, z string) (string, error) {
	z = strings.TrimSpace(z)
	if z == "" {
		return "", nil
	}
	if _, err := time.LoadLocation(z); err != nil || z == "Local" {
		return "", fmt.Errorf("%w: %s has unknown time zone %q (use an IANA name such as Africa/Accra)", ErrInvalid, what, z)
	}
	return z, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return toMillis(t)
}

func fromNull(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMillis(v.Int64)
}

func utcMillis(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// liveItem reads an item a record refers to: it must exist, be live and be of kind (any
// kind when empty); the error names it.
func (w *itemWriter) liveItem(ctx context.Context, id string, kind Kind) (Item, error) {
	it, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			what := "item"
			if kind != "" {
				what = string(kind)
			}
			return Item{}, fmt.Errorf("no %s %s: %w", what, id, ErrNotFound)
		}
		return Item{}, err
	}
	if kind != "" && it.Kind != kind {
		return Item{}, fmt.Errorf("%w: %s (%q) is a %s, not a %s", ErrInvalid, id, it.Title, it.Kind, kind)
	}
	if it.Deleted != nil {
		return Item{}, fmt.Errorf("%w: %s %s (%q) is in the trash; restore it first", ErrInvalid, it.Kind, id, it.Title)
	}
	return it, nil
}

// created is when the record id in table (incident_calls, incident_positions) was first
// saved, for a save that adds or replaces it: now when it is not here yet. A record of
// another incident is refused, naming it as what.
func (w *recordWriter) created(ctx context.Context, table, what, id string) (time.Time, error) {
	var inc string
	var created int64
	err := w.queryRow(ctx, "SELECT incident_id, created FROM "+table+" WHERE id = ?", id).Scan(&inc, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return w.now, nil
	case err != nil:
		return time.Time{}, err
	case inc != w.incident.ID:
		return time.Time{}, fmt.Errorf("%w: %s %s belongs to another incident (%s)", ErrInvalid, what, id, inc)
	}
	return fromMillis(created), nil
}
