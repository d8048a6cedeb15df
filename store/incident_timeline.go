package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Timeline entry types.
const (
	EntryEvent           = "event"
	EntryDecision        = "decision"
	EntryCall            = "call"
	EntryMessageSent     = "message sent"
	EntryMessageReceived = "message received"
	EntryObservation     = "observation"
)

// EntryTypes lists the timeline entry types, in the order the product offers them.
var EntryTypes = []string{EntryEvent, EntryDecision, EntryCall, EntryMessageSent, EntryMessageReceived, EntryObservation}

// TimelineEntry is one line of an incident's timeline. Entries are never edited in place:
// a correction is a new entry whose Corrects names the one it corrects (which then reads
// with CorrectedBy set). There is no update.
type TimelineEntry struct {
	ID       string
	Incident string    // the incident's item ID
	At       time.Time // when it happened, UTC (millisecond precision)
	Type     string    // one of EntryTypes
	Text     string

	Source      string `json:",omitempty"`
	Reliability string `json:",omitempty"` // an Admiralty grade as on items ("B2")
	Significant bool   `json:",omitempty"` // goes into the next situation report
	// Refs are the items the entry links to (contacts, documents...), by ID.
	Refs     []string `json:",omitempty"`
	Corrects string   `json:",omitempty"` // the entry this one corrects
	// CallRow and CallStatus are set on a call logged on the call sheet (LogCall): the row
	// and the status the call reached.
	CallRow    string `json:",omitempty"`
	CallStatus string `json:",omitempty"`
	Class      string `json:",omitempty"` // its marking; the default marking when empty

	// Read-only, set by the store.
	CorrectedBy string    `json:",omitempty"` // the latest entry that corrects this one
	Created     time.Time `json:",omitzero"`
}

// Corrected reports whether a later entry corrects this one.
func (e TimelineEntry) Corrected() bool { return e.CorrectedBy != "" }

// AddEntry adds an entry to an incident's timeline and returns it as stored. At defaults
// to now and Type to EntryEvent; the text is required. A correction names in Corrects an
// entry of the same incident. Refs must name live items.
func (db *DB) AddEntry(ctx context.Context, e TimelineEntry) (TimelineEntry, error) {
	err := db.incidentTx(ctx, e.Incident, "add timeline entry", func(w *recordWriter) error {
		var err error
		e, err = w.addEntry(ctx, e, true)
		return err
	})
	if err != nil {
		return TimelineEntry{}, err
	}
	return e, nil
}

func (w *recordWriter) addEntry(ctx context.Context, e TimelineEntry, checkRefs bool) (TimelineEntry, error) {
	e.Incident = w.incident.ID
	if e.ID == "" {
		e.ID = NewID()
	}
	e.Text = strings.TrimSpace(e.Text)
	what := fmt.Sprintf("timeline entry %q of %s", shortTitle(e.Text), w.name)
	if e.Text == "" {
		return e, fmt.Errorf("%w: a timeline entry of %s needs a text", ErrInvalid, w.name)
	}
	e.Type = strings.ToLower(strings.TrimSpace(e.Type))
	if e.Type == "" {
		e.Type = EntryEvent
	}
	if !slices.Contains(EntryTypes, e.Type) {
		return e, fmt.Errorf("%w: %s has type %q; use one of %s", ErrInvalid, what, e.Type, strings.Join(EntryTypes, ", "))
	}
	if e.At.IsZero() {
		e.At = w.now
	}
	e.At = utcMillis(e.At)
	var err error
	if e.Reliability, err = reliability(what, e.Reliability); err != nil {
		return e, err
	}
	if e.Class, err = w.class(e.Class, what); err != nil {
		return e, err
	}
	e.Source = strings.TrimSpace(e.Source)
	for _, f := range []struct {
		name, v string
		max     int
	}{{"text", e.Text, maxRecordText}, {"source", e.Source, maxRecordField}} {
		if err := checkRecordText(what, f.name, f.v, f.max); err != nil {
			return e, err
		}
	}
	refs, _ := canonical(e.Refs, func(s string) (string, error) { return s, nil })
	if len(refs) > maxRecordRefs {
		return e, fmt.Errorf("%w: %s links to %d items, more than the %d allowed", ErrInvalid, what, len(refs), maxRecordRefs)
	}
	if checkRefs {
		for _, r := range refs {
			if _, err := w.liveItem(ctx, r, ""); err != nil {
				return e, fmt.Errorf("%s: %w", what, err)
			}
		}
	}
	e.Refs = refs
	if e.CallRow != "" || e.CallStatus != "" {
		var inc string
		err := w.queryRow(ctx, "SELECT incident_id FROM incident_calls WHERE id = ?", e.CallRow).Scan(&inc)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && inc != e.Incident) {
			return e, fmt.Errorf("%w: %s names call sheet row %q, which is not on its call sheet", ErrInvalid, what, e.CallRow)
		}
		if err != nil {
			return e, err
		}
		if e.Type != EntryCall || !slices.Contains(CallStatuses[1:], e.CallStatus) {
			return e, fmt.Errorf("%w: %s names a call sheet row, so it must be a call with one of the statuses %s", ErrInvalid, what, strings.Join(CallStatuses[1:], ", "))
		}
	}
	if e.Corrects != "" {
		var inc string
		err := w.queryRow(ctx, "SELECT incident_id FROM incident_entries WHERE id = ?", e.Corrects).Scan(&inc)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && inc != e.Incident) {
			return e, fmt.Errorf("%w: %s corrects entry %s, which is not on its timeline", ErrInvalid, what, e.Corrects)
		}
		if err != nil {
			return e, err
		}
	}
	refsJSON, err := json.Marshal(refs)
	if err != nil {
		return e, err
	}
	if refs == nil {
		refsJSON = []byte("[]")
	}
	e.Created, e.CorrectedBy = w.now, ""
	_, err = w.exec(ctx, `INSERT INTO incident_entries(id, incident_id, at, type, text, source, reliability,
		significant, refs, corrects, call_row, call_status, class, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.Incident, toMillis(e.At), e.Type, e.Text, e.Source, e.Reliability, e.Significant, string(refsJSON),
		nullString(e.Corrects), nullString(e.CallRow), e.CallStatus, e.Class, toMillis(e.Created))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return e, fmt.Errorf("%w: timeline entry %s exists already; entries are never edited in place (add a correction)", ErrInvalid, e.ID)
		}
		return e, err
	}
	return e, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Timeline returns an incident's timeline, earliest first (entries at the same time in the
// order they were added), corrected entries with CorrectedBy set.
func (db *DB) Timeline(ctx context.Context, incidentID string) ([]TimelineEntry, error) {
	if err := db.checkIncident(ctx, incidentID); err != nil {
		return nil, err
	}
	return timeline(ctx, db.sql, incidentID)
}

func timeline(ctx context.Context, q querier, incidentID string) ([]TimelineEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, incident_id, at, type, text, source, reliability, significant,
		refs, coalesce(corrects, ''), coalesce(call_row, ''), call_status, class, created
		FROM incident_entries WHERE incident_id = ? ORDER BY at, created, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: timeline of %s: %w", incidentID, err)
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var e TimelineEntry
		var at, created int64
		var refs string
		if err := rows.Scan(&e.ID, &e.Incident, &at, &e.Type, &e.Text, &e.Source, &e.Reliability, &e.Significant,
			&refs, &e.Corrects, &e.CallRow, &e.CallStatus, &e.Class, &created); err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", incidentID, err)
		}
		e.At, e.Created = fromMillis(at), fromMillis(created)
		if err := json.Unmarshal([]byte(refs), &e.Refs); err != nil {
			return nil, fmt.Errorf("store: timeline entry %s of %s is unreadable: %w", e.ID, incidentID, err)
		}
		if len(e.Refs) == 0 {
			e.Refs = nil
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: timeline of %s: %w", incidentID, err)
	}
	markCorrected(out)
	return out, nil
}

// markCorrected sets CorrectedBy on every corrected entry: the latest correction of it.
func markCorrected(entries []TimelineEntry) {
	idx := make(map[string]int, len(entries))
	for i, e := range entries {
		idx[e.ID] = i
	}
	for _, e := range entries {
		if i, ok := idx[e.Corrects]; ok && e.Corrects != "" {
			cur := entries[i].CorrectedBy
			if j, ok := idx[cur]; !ok || cur == "" || !entries[j].Created.After(e.Created) {
				entries[i].CorrectedBy = e.ID
			}
		}
	}
}

// checkIncident fails unless id is an incident (live or in the trash), naming it.
func (db *DB) checkIncident(ctx context.Context, id string) error {
	var kind Kind
	var title string
	err := db.sql.QueryRowContext(ctx, "SELECT kind, title FROM items WHERE id = ?", id).Scan(&kind, &title)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: no incident %s: %w", id, ErrNotFound)
		}
		return fmt.Errorf("store: read incident %s: %w", id, err)
	}
	if kind != KindIncident {
		return fmt.Errorf("store: %w: %s (%q) is a %s, not an incident", ErrInvalid, id, title, kind)
	}
	return nil
}
