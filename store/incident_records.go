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

// Call sheet statuses, in the order a call progresses.
const (
	CallNotCalled   = "not called"
	CallNoAnswer    = "no answer"
	CallMessageLeft = "message left"
	CallReached     = "reached"
	CallConfirmed   = "receipt confirmed"
)

// CallStatuses lists the call sheet statuses in the order a call progresses.
var CallStatuses = []string{CallNotCalled, CallNoAnswer, CallMessageLeft, CallReached, CallConfirmed}

// CallRow is one row of an incident's call sheet: one counterpart. The sheet is personal
// contact data, not for public release (CallSheetNotice), and the incident takes the
// highest marking of its rows.
type CallRow struct {
	ID          string
	Incident    string
	Order       int       // rows are read in this order (ProposeCallSheet: downstream order)
	Country     string    // alpha-3
	Institution string    `json:",omitempty"`
	Role        string    `json:",omitempty"`
	Name        string    `json:",omitempty"` // the counterpart as shown; the contact's title when proposed
	Contact     string    `json:",omitempty"` // the contact's item ID
	Phone       string    `json:",omitempty"`
	Email       string    `json:",omitempty"`
	TimeZone    string    `json:",omitempty"` // IANA ("Africa/Lome"), for the counterpart's local time
	Status      string    `json:",omitempty"` // one of CallStatuses; CallNotCalled when empty
	Outcome     string    `json:",omitempty"`
	NextAction  string    `json:",omitempty"`
	NextDue     time.Time `json:",omitzero"`
	Class       string    `json:",omitempty"`

	// Read-only, set by the store: the time of the latest call logged on the row (from
	// the timeline), zero when none.
	LastContact time.Time `json:",omitzero"`
	Created     time.Time `json:",omitzero"`
	Updated     time.Time `json:",omitzero"`
}

// CallSheetNotice is the notice a call sheet carries wherever it is shown or exported.
const CallSheetNotice = "Personal contact data — not for public release"

// LocalTime is now in the counterpart's time zone (now itself, in UTC, when the row has
// none or an unknown one).
func (r CallRow) LocalTime(now time.Time) time.Time {
	if r.TimeZone != "" {
		if loc, err := time.LoadLocation(r.TimeZone); err == nil {
			return now.In(loc)
		}
	}
	return now.UTC()
}

// Action statuses.
const (
	ActionOpen       = "open"
	ActionInProgress = "in progress"
	ActionDone       = "done"
	ActionCancelled  = "cancelled"
)

// ActionStatuses lists the action statuses.
var ActionStatuses = []string{ActionOpen, ActionInProgress, ActionDone, ActionCancelled}

// IncidentAction is an objective or action of an incident's response.
type IncidentAction struct {
	ID       string
	Incident string
	Text     string // the objective or action
	Owner    string `json:",omitempty"`
	// Due is the instant it is due; Zone the IANA time zone it was given in (shown in it).
	Due    time.Time `json:",omitzero"`
	Zone   string    `json:",omitempty"`
	Status string    `json:",omitempty"` // one of ActionStatuses; ActionOpen when empty
	Class  string    `json:",omitempty"`

	// Set by the store: when the status became ActionDone (kept when given).
	Done    time.Time `json:",omitzero"`
	Created time.Time `json:",omitzero"`
	Updated time.Time `json:",omitzero"`
}

// Pending reports whether the action is still to do (open or in progress).
func (a IncidentAction) Pending() bool {
	return a.Status == ActionOpen || a.Status == ActionInProgress || a.Status == ""
}

// Overdue reports whether the action is still to do and its due time is before now.
func (a IncidentAction) Overdue(now time.Time) bool {
	return a.Pending() && !a.Due.IsZero() && now.After(a.Due)
}

// DueLocal is the due time in the action's zone (UTC when it has none).
func (a IncidentAction) DueLocal() time.Time {
	if a.Zone != "" {
		if loc, err := time.LoadLocation(a.Zone); err == nil {
			return a.Due.In(loc)
		}
	}
	return a.Due.UTC()
}

// Overdue returns the actions still to do whose due time is before now, earliest due
// first.
func Overdue(actions []IncidentAction, now time.Time) []IncidentAction {
	var out []IncidentAction
	for _, a := range actions {
		if a.Overdue(now) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b IncidentAction) int { return a.Due.Compare(b.Due) })
	return out
}

// Position is an affected country's stated position on an incident.
type Position struct {
	ID          string
	Incident    string
	Country     string    // alpha-3
	Text        string    // the stated position
	Stated      time.Time `json:",omitzero"` // when it was stated
	Source      string    `json:",omitempty"`
	Reliability string    `json:",omitempty"`
	Statement   string    `json:",omitempty"` // the item ID of the statement it comes from
	Class       string    `json:",omitempty"`

	Created time.Time `json:",omitzero"`
	Updated time.Time `json:",omitzero"`
}

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

// ---- Timeline ----

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

// ---- Call sheet ----

const callColumns = `c.id, c.incident_id, c.ord, c.country, c.institution, c.role, c.name, c.contact_id, c.phone,
	c.email, c.time_zone, c.status, c.outcome, c.next_action, c.next_due, c.class, c.created, c.updated,
	(SELECT max(at) FROM incident_entries e WHERE e.call_row = c.id)`

func scanCallRow(row scanner) (CallRow, error) {
	var r CallRow
	var due, last sql.NullInt64
	var created, updated int64
	err := row.Scan(&r.ID, &r.Incident, &r.Order, &r.Country, &r.Institution, &r.Role, &r.Name, &r.Contact, &r.Phone,
		&r.Email, &r.TimeZone, &r.Status, &r.Outcome, &r.NextAction, &due, &r.Class, &created, &updated, &last)
	r.NextDue, r.LastContact = fromNull(due), fromNull(last)
	r.Created, r.Updated = fromMillis(created), fromMillis(updated)
	return r, err
}

// CallSheet returns an incident's call sheet in row order.
func (db *DB) CallSheet(ctx context.Context, incidentID string) ([]CallRow, error) {
	if err := db.checkIncident(ctx, incidentID); err != nil {
		return nil, err
	}
	return callSheet(ctx, db.sql, incidentID)
}

func callSheet(ctx context.Context, q querier, incidentID string) ([]CallRow, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+callColumns+" FROM incident_calls c WHERE c.incident_id = ? ORDER BY c.ord, c.created, c.id", incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: call sheet of %s: %w", incidentID, err)
	}
	defer rows.Close()
	var out []CallRow
	for rows.Next() {
		r, err := scanCallRow(rows)
		if err != nil {
			return nil, fmt.Errorf("store: call sheet of %s: %w", incidentID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveCallRow adds a row to an incident's call sheet (ID empty) or replaces one, and
// returns it as stored. See SaveCallRows.
func (db *DB) SaveCallRow(ctx context.Context, r CallRow) (CallRow, error) {
	rows, err := db.SaveCallRows(ctx, r.Incident, []CallRow{r})
	if err != nil {
		return CallRow{}, err
	}
	return rows[0], nil
}

// SaveCallRows adds or replaces rows of an incident's call sheet in one transaction, all or
// none (a row's Incident is set to incidentID). A row's country must be known, its time
// zone an IANA name, its status one of CallStatuses, its contact (when set) a live
// contact; LastContact is derived, never saved.
func (db *DB) SaveCallRows(ctx context.Context, incidentID string, rows []CallRow) ([]CallRow, error) {
	out := make([]CallRow, 0, len(rows))
	err := db.incidentTx(ctx, incidentID, "save call sheet", func(w *recordWriter) error {
		for _, r := range rows {
			saved, err := w.saveCallRow(ctx, r, true)
			if err != nil {
				return err
			}
			out = append(out, saved)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (w *recordWriter) saveCallRow(ctx context.Context, r CallRow, checkContact bool) (CallRow, error) {
	r.Incident = w.incident.ID
	label := strings.TrimSpace(r.Name)
	if label == "" {
		label = strings.TrimSpace(r.Institution)
	}
	what := fmt.Sprintf("call sheet row %q of %s", shortTitle(label), w.name)
	if r.ID != "" {
		what = fmt.Sprintf("call sheet row %s (%q) of %s", r.ID, shortTitle(label), w.name)
	}
	var err error
	if r.Country, err = country(what, r.Country); err != nil {
		return r, err
	}
	if r.TimeZone, err = zone(what, r.TimeZone); err != nil {
		return r, err
	}
	r.Status = strings.ToLower(strings.TrimSpace(r.Status))
	if r.Status == "" {
		r.Status = CallNotCalled
	}
	if !slices.Contains(CallStatuses, r.Status) {
		return r, fmt.Errorf("%w: %s has status %q; use one of %s", ErrInvalid, what, r.Status, strings.Join(CallStatuses, ", "))
	}
	if r.Class, err = w.class(r.Class, what); err != nil {
		return r, err
	}
	r.Contact = strings.TrimSpace(r.Contact)
	if r.Contact != "" && checkContact {
		if _, err := w.liveItem(ctx, r.Contact, KindContact); err != nil {
			return r, fmt.Errorf("%s: %w", what, err)
		}
	}
	for _, f := range []struct{ name, v string }{{"institution", r.Institution}, {"role", r.Role}, {"name", r.Name},
		{"phone", r.Phone}, {"email", r.Email}, {"outcome", r.Outcome}, {"next action", r.NextAction}} {
		if err := checkRecordText(what, f.name, f.v, maxRecordField); err != nil {
			return r, err
		}
	}
	r.NextDue = utcMillis(r.NextDue)
	r.Updated = w.now
	if r.ID == "" {
		r.ID, r.Created = NewID(), w.now
	} else {
		var inc string
		var created int64
		err := w.queryRow(ctx, "SELECT incident_id, created FROM incident_calls WHERE id = ?", r.ID).Scan(&inc, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			r.Created = w.now
		case err != nil:
			return r, err
		case inc != r.Incident:
			return r, fmt.Errorf("%w: call sheet row %s belongs to another incident (%s)", ErrInvalid, r.ID, inc)
		default:
			r.Created = fromMillis(created)
		}
	}
	_, err = w.exec(ctx, `INSERT INTO incident_calls(id, incident_id, ord, country, institution, role, name, contact_id,
		phone, email, time_zone, status, outcome, next_action, next_due, class, created, updated)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET ord=excluded.ord, country=excluded.country, institution=excluded.institution,
		role=excluded.role, name=excluded.name, contact_id=excluded.contact_id, phone=excluded.phone, email=excluded.email,
		time_zone=excluded.time_zone, status=excluded.status, outcome=excluded.outcome, next_action=excluded.next_action,
		next_due=excluded.next_due, class=excluded.class, updated=excluded.updated`,
		r.ID, r.Incident, r.Order, r.Country, r.Institution, r.Role, r.Name, r.Contact, r.Phone, r.Email, r.TimeZone,
		r.Status, r.Outcome, r.NextAction, nullTime(r.NextDue), r.Class, toMillis(r.Created), toMillis(r.Updated))
	if err != nil {
		return r, err
	}
	var last sql.NullInt64
	if err := w.queryRow(ctx, "SELECT max(at) FROM incident_entries WHERE call_row = ?", r.ID).Scan(&last); err != nil {
		return r, err
	}
	r.LastContact = fromNull(last)
	return r, nil
}

// RemoveCallRow takes a row off an incident's call sheet. The calls logged on it stay on
// the timeline.
func (db *DB) RemoveCallRow(ctx context.Context, incidentID, rowID string) error {
	return db.incidentTx(ctx, incidentID, "remove call sheet row "+rowID, func(w *recordWriter) error {
		res, err := w.exec(ctx, "DELETE FROM incident_calls WHERE id = ? AND incident_id = ?", rowID, incidentID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("no call sheet row %s on %s: %w", rowID, w.name, ErrNotFound)
		}
		return nil
	})
}

// CallLog is a call to log on a call sheet row (LogCallWith).
type CallLog struct {
	Incident string
	Row      string    // the call sheet row's ID
	Status   string    // the status the call reached, one of CallStatuses (not CallNotCalled)
	Text     string    // what was said; becomes the row's outcome
	At       time.Time // when; now when zero
	// NextAction and NextDue, when NextAction is set, replace the row's.
	NextAction  string
	NextDue     time.Time
	Significant bool
	Class       string // the timeline entry's marking
}

// LogCall logs a call on a call sheet row now: see LogCallWith.
func (db *DB) LogCall(ctx context.Context, incidentID, rowID, status, text string) (TimelineEntry, error) {
	return db.LogCallWith(ctx, CallLog{Incident: incidentID, Row: rowID, Status: status, Text: text})
}

// LogCallWith logs a call, all in one transaction: it adds a call entry to the timeline
// (naming the row, linking the contact, its text "Name (Country): status. text"), sets the
// row's status to the one reached when that is further along (CallStatuses; a "no answer"
// after "reached" leaves "reached"), its outcome to the text, and its next action when
// given; and it sets the contact's last contact (Contact.LastContact, on the contact item,
// a new revision of it) to the call's time when that is later. A call on a row whose
// contact is in the trash is refused naming the contact, and nothing changes.
func (db *DB) LogCallWith(ctx context.Context, c CallLog) (TimelineEntry, error) {
	var e TimelineEntry
	err := db.incidentTx(ctx, c.Incident, "log call", func(w *recordWriter) error {
		var err error
		e, err = w.logCall(ctx, c)
		return err
	})
	return e, err
}

func (w *recordWriter) logCall(ctx context.Context, c CallLog) (TimelineEntry, error) {
	r, err := scanCallRow(w.queryRow(ctx, "SELECT "+callColumns+" FROM incident_calls c WHERE c.id = ? AND c.incident_id = ?", c.Row, w.incident.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return TimelineEntry{}, fmt.Errorf("no call sheet row %s on %s: %w", c.Row, w.name, ErrNotFound)
	}
	if err != nil {
		return TimelineEntry{}, err
	}
	status := strings.ToLower(strings.TrimSpace(c.Status))
	if !slices.Contains(CallStatuses, status) || status == CallNotCalled {
		return TimelineEntry{}, fmt.Errorf("%w: a call on row %s of %s has status %q; use one of %s", ErrInvalid, r.ID, w.name, c.Status, strings.Join(CallStatuses[1:], ", "))
	}
	var contact Item
	if r.Contact != "" {
		if contact, err = w.liveItem(ctx, r.Contact, KindContact); err != nil {
			return TimelineEntry{}, fmt.Errorf("call on row %s: %w", r.ID, err)
		}
	}
	at := c.At
	if at.IsZero() {
		at = w.now
	}
	at = utcMillis(at)
	who := r.Name
	if who == "" {
		who = r.Institution
	}
	text := fmt.Sprintf("%s (%s): %s.", who, r.Country, status)
	if t := strings.TrimSpace(c.Text); t != "" {
		text += " " + t
	}
	e := TimelineEntry{Incident: w.incident.ID, At: at, Type: EntryCall, Text: text, Significant: c.Significant,
		CallRow: r.ID, CallStatus: status, Class: c.Class}
	if r.Contact != "" {
		e.Refs = []string{r.Contact}
	}
	if e, err = w.addEntry(ctx, e, false); err != nil {
		return e, err
	}
	if slices.Index(CallStatuses, status) > slices.Index(CallStatuses, r.Status) {
		r.Status = status
	}
	if t := strings.TrimSpace(c.Text); t != "" {
		r.Outcome = t
	}
	if strings.TrimSpace(c.NextAction) != "" {
		r.NextAction, r.NextDue = strings.TrimSpace(c.NextAction), c.NextDue
	}
	if _, err := w.saveCallRow(ctx, r, false); err != nil {
		return e, err
	}
	if contact.Contact != nil && at.After(contact.Contact.LastContact) {
		contact.Contact.LastContact = at
		contact.Rev = 0
		if _, err := w.save(ctx, contact); err != nil {
			return e, fmt.Errorf("set the last contact of %s (%q): %w", contact.ID, contact.Title, err)
		}
	}
	return e, nil
}

// countryZones are the time zones proposed for counterparts of a country (its capital's);
// a row's zone can be edited.
var countryZones = map[string]string{
	"BEN": "Africa/Porto-Novo", "BFA": "Africa/Ouagadougou", "CIV": "Africa/Abidjan", "CMR": "Africa/Douala",
	"GHA": "Africa/Accra", "GIN": "Africa/Conakry", "LBR": "Africa/Monrovia", "MLI": "Africa/Bamako",
	"NER": "Africa/Niamey", "NGA": "Africa/Lagos", "SEN": "Africa/Dakar", "SLE": "Africa/Freetown",
	"TGO": "Africa/Lome", "TCD": "Africa/Ndjamena", "GMB": "Africa/Banjul", "GNB": "Africa/Bissau",
	"MRT": "Africa/Nouakchott", "CPV": "Atlantic/Cape_Verde", "KEN": "Africa/Nairobi", "ETH": "Africa/Addis_Ababa",
	"ZAF": "Africa/Johannesburg", "EGY": "Africa/Cairo", "MAR": "Africa/Casablanca", "DZA": "Africa/Algiers",
	"CHE": "Europe/Zurich", "BEL": "Europe/Brussels", "NLD": "Europe/Amsterdam", "FRA": "Europe/Paris",
	"DEU": "Europe/Berlin", "ESP": "Europe/Madrid", "GBR": "Europe/London", "ITA": "Europe/Rome",
	"AUT": "Europe/Vienna", "SWE": "Europe/Stockholm", "NOR": "Europe/Oslo", "DNK": "Europe/Copenhagen",
	"CHN": "Asia/Shanghai", "JPN": "Asia/Tokyo", "IND": "Asia/Kolkata", "ARE": "Asia/Dubai",
}

// CountryZone is the time zone proposed for a country's counterparts (its capital's), ""
// when the store does not know it.
func CountryZone(alpha3 string) string { return countryZones[alpha3] }

// ProposeCallSheet proposes call sheet rows for an incident, not saved (save them with
// SaveCallRows): the live contacts of its affected countries, in their downstream order,
// that are not on the sheet yet. A contact belongs to an affected country by its own
// Countries or by its organisation's; one in several goes to the first in line. Within a
// country, contacts sharing a topic with the incident come first, then those with a
// phone, then by name. Rows carry the contact's name, organisation, job title or role,
// first phone and email, and the country's time zone; their Order continues the sheet's.
func (db *DB) ProposeCallSheet(ctx context.Context, incidentID string) ([]CallRow, error) {
	inc, err := db.Get(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if inc.Kind != KindIncident || inc.Incident == nil {
		return nil, fmt.Errorf("store: propose call sheet: %w: %s (%q) is a %s, not an incident", ErrInvalid, incidentID, inc.Title, inc.Kind)
	}
	sheet, err := db.CallSheet(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	onSheet := map[string]bool{}
	order := 0
	for _, r := range sheet {
		onSheet[r.Contact] = true
		order = max(order, r.Order)
	}
	contacts, err := db.List(ctx, ListOptions{Kind: KindContact})
	if err != nil {
		return nil, fmt.Errorf("store: propose call sheet for %s: %w", incidentID, err)
	}
	orgs, err := db.List(ctx, ListOptions{Kind: KindOrganisation})
	if err != nil {
		return nil, fmt.Errorf("store: propose call sheet for %s: %w", incidentID, err)
	}
	orgByID := make(map[string]Item, len(orgs))
	for _, o := range orgs {
		orgByID[o.ID] = o
	}
	type cand struct {
		it     Item
		topics int
	}
	byCountry := map[string][]cand{}
	for _, c := range contacts {
		if onSheet[c.ID] || c.Contact == nil {
			continue
		}
		org, hasOrg := orgByID[c.Contact.OrgID]
		home := ""
		for _, a := range inc.Incident.Affected {
			if slices.Contains(c.Countries, a) || (hasOrg && slices.Contains(org.Countries, a)) {
				home = a
				break
			}
		}
		if home == "" {
			continue
		}
		n := 0
		for _, t := range inc.Topics {
			if slices.Contains(c.Topics, t) || (hasOrg && slices.Contains(org.Topics, t)) {
				n++
			}
		}
		byCountry[home] = append(byCountry[home], cand{c, n})
	}
	var out []CallRow
	for _, a := range inc.Incident.Affected {
		cs := byCountry[a]
		slices.SortStableFunc(cs, func(x, y cand) int {
			if x.topics != y.topics {
				return y.topics - x.topics
			}
			xp, yp := len(x.it.Contact.Phones) > 0, len(y.it.Contact.Phones) > 0
			if xp != yp {
				if xp {
					return -1
				}
				return 1
			}
			return strings.Compare(strings.ToLower(x.it.Title), strings.ToLower(y.it.Title))
		})
		for _, c := range cs {
			order += 10
			ct := c.it.Contact
			r := CallRow{Incident: incidentID, Order: order, Country: a, Name: c.it.Title, Contact: c.it.ID,
				Role: firstNonBlank(ct.JobTitle, ct.Role), TimeZone: countryZones[a], Status: CallNotCalled}
			if o, ok := orgByID[ct.OrgID]; ok {
				r.Institution = o.Title
			}
			if len(ct.Phones) > 0 {
				r.Phone = ct.Phones[0].Value
			}
			if len(ct.Emails) > 0 {
				r.Email = ct.Emails[0].Value
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func firstNonBlank(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// ---- Actions ----

// SaveAction adds an action to an incident (ID empty) or replaces one, and returns it as
// stored. Setting its status to done records when (Done), unless given.
func (db *DB) SaveAction(ctx context.Context, a IncidentAction) (IncidentAction, error) {
	err := db.incidentTx(ctx, a.Incident, "save action", func(w *recordWriter) error {
		var err error
		a, err = w.saveAction(ctx, a)
		return err
	})
	if err != nil {
		return IncidentAction{}, err
	}
	return a, nil
}

func (w *recordWriter) saveAction(ctx context.Context, a IncidentAction) (IncidentAction, error) {
	a.Incident = w.incident.ID
	a.Text = strings.TrimSpace(a.Text)
	what := fmt.Sprintf("action %q of %s", shortTitle(a.Text), w.name)
	if a.Text == "" {
		return a, fmt.Errorf("%w: an action of %s needs a text", ErrInvalid, w.name)
	}
	var err error
	if a.Zone, err = zone(what, a.Zone); err != nil {
		return a, err
	}
	a.Status = strings.ToLower(strings.TrimSpace(a.Status))
	if a.Status == "" {
		a.Status = ActionOpen
	}
	if !slices.Contains(ActionStatuses, a.Status) {
		return a, fmt.Errorf("%w: %s has status %q; use one of %s", ErrInvalid, what, a.Status, strings.Join(ActionStatuses, ", "))
	}
	if a.Class, err = w.class(a.Class, what); err != nil {
		return a, err
	}
	if err := checkRecordText(what, "text", a.Text, maxRecordText); err != nil {
		return a, err
	}
	if err := checkRecordText(what, "owner", a.Owner, maxRecordField); err != nil {
		return a, err
	}
	a.Due, a.Done = utcMillis(a.Due), utcMillis(a.Done)
	a.Updated = w.now
	var prevDone sql.NullInt64
	if a.ID == "" {
		a.ID, a.Created = NewID(), w.now
	} else {
		var inc string
		var created int64
		err := w.queryRow(ctx, "SELECT incident_id, created, done FROM incident_actions WHERE id = ?", a.ID).Scan(&inc, &created, &prevDone)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			a.Created = w.now
		case err != nil:
			return a, err
		case inc != a.Incident:
			return a, fmt.Errorf("%w: action %s belongs to another incident (%s)", ErrInvalid, a.ID, inc)
		default:
			a.Created = fromMillis(created)
		}
	}
	switch {
	case a.Status != ActionDone:
		a.Done = time.Time{}
	case a.Done.IsZero() && prevDone.Valid:
		a.Done = fromMillis(prevDone.Int64)
	case a.Done.IsZero():
		a.Done = w.now
	}
	_, err = w.exec(ctx, `INSERT INTO incident_actions(id, incident_id, text, owner, due, zone, status, done, class, created, updated)
		VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET text=excluded.text, owner=excluded.owner,
		due=excluded.due, zone=excluded.zone, status=excluded.status, done=excluded.done, class=excluded.class,
		updated=excluded.updated`,
		a.ID, a.Incident, a.Text, strings.TrimSpace(a.Owner), nullTime(a.Due), a.Zone, a.Status, nullTime(a.Done), a.Class,
		toMillis(a.Created), toMillis(a.Updated))
	return a, err
}

// Actions returns an incident's actions: those still to do first, earliest due first
// (undated last), then the rest.
func (db *DB) Actions(ctx context.Context, incidentID string) ([]IncidentAction, error) {
	if err := db.checkIncident(ctx, incidentID); err != nil {
		return nil, err
	}
	return actions(ctx, db.sql, incidentID)
}

func actions(ctx context.Context, q querier, incidentID string) ([]IncidentAction, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, incident_id, text, owner, due, zone, status, done, class, created, updated
		FROM incident_actions WHERE incident_id = ?
		ORDER BY status NOT IN ('open', 'in progress'), due IS NULL, due, created, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: actions of %s: %w", incidentID, err)
	}
	defer rows.Close()
	var out []IncidentAction
	for rows.Next() {
		var a IncidentAction
		var due, done sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.Incident, &a.Text, &a.Owner, &due, &a.Zone, &a.Status, &done, &a.Class, &created, &updated); err != nil {
			return nil, fmt.Errorf("store: actions of %s: %w", incidentID, err)
		}
		a.Due, a.Done, a.Created, a.Updated = fromNull(due), fromNull(done), fromMillis(created), fromMillis(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ---- Positions ----

// SavePosition adds a country's position to an incident (ID empty) or replaces one, and
// returns it as stored. Its statement, when set, must be a live item.
func (db *DB) SavePosition(ctx context.Context, p Position) (Position, error) {
	err := db.incidentTx(ctx, p.Incident, "save position", func(w *recordWriter) error {
		var err error
		p, err = w.savePosition(ctx, p, true)
		return err
	})
	if err != nil {
		return Position{}, err
	}
	return p, nil
}

func (w *recordWriter) savePosition(ctx context.Context, p Position, checkStatement bool) (Position, error) {
	p.Incident = w.incident.ID
	p.Text = strings.TrimSpace(p.Text)
	what := fmt.Sprintf("position of %s on %s", p.Country, w.name)
	var err error
	if p.Country, err = country(what, p.Country); err != nil {
		return p, err
	}
	what = fmt.Sprintf("position of %s on %s", p.Country, w.name)
	if p.Text == "" {
		return p, fmt.Errorf("%w: the %s needs a text", ErrInvalid, what)
	}
	if p.Reliability, err = reliability(what, p.Reliability); err != nil {
		return p, err
	}
	if p.Class, err = w.class(p.Class, what); err != nil {
		return p, err
	}
	if err := checkRecordText(what, "text", p.Text, maxRecordText); err != nil {
		return p, err
	}
	if err := checkRecordText(what, "source", p.Source, maxRecordField); err != nil {
		return p, err
	}
	if p.Statement = strings.TrimSpace(p.Statement); p.Statement != "" && checkStatement {
		if _, err := w.liveItem(ctx, p.Statement, ""); err != nil {
			return p, fmt.Errorf("%s: %w", what, err)
		}
	}
	p.Stated = utcMillis(p.Stated)
	p.Updated = w.now
	if p.ID == "" {
		p.ID, p.Created = NewID(), w.now
	} else {
		var inc string
		var created int64
		err := w.queryRow(ctx, "SELECT incident_id, created FROM incident_positions WHERE id = ?", p.ID).Scan(&inc, &created)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Created = w.now
		case err != nil:
			return p, err
		case inc != p.Incident:
			return p, fmt.Errorf("%w: position %s belongs to another incident (%s)", ErrInvalid, p.ID, inc)
		default:
			p.Created = fromMillis(created)
		}
	}
	_, err = w.exec(ctx, `INSERT INTO incident_positions(id, incident_id, country, position, stated, source, reliability,
		statement, class, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET
		country=excluded.country, position=excluded.position, stated=excluded.stated, source=excluded.source,
		reliability=excluded.reliability, statement=excluded.statement, class=excluded.class, updated=excluded.updated`,
		p.ID, p.Incident, p.Country, p.Text, nullTime(p.Stated), strings.TrimSpace(p.Source), p.Reliability, p.Statement,
		p.Class, toMillis(p.Created), toMillis(p.Updated))
	return p, err
}

const positionColumns = `p.id, p.incident_id, p.country, p.position, p.stated, p.source, p.reliability, p.statement,
	p.class, p.created, p.updated`

func positions(ctx context.Context, db querier, q string, arg any) ([]Position, error) {
	rows, err := db.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Position
	for rows.Next() {
		var p Position
		var stated sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&p.ID, &p.Incident, &p.Country, &p.Text, &stated, &p.Source, &p.Reliability, &p.Statement,
			&p.Class, &created, &updated); err != nil {
			return nil, err
		}
		p.Stated, p.Created, p.Updated = fromNull(stated), fromMillis(created), fromMillis(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Positions returns an incident's positions: by country in the incident's downstream order
// (others after, by code), latest stated first within a country.
func (db *DB) Positions(ctx context.Context, incidentID string) ([]Position, error) {
	inc, err := db.Get(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if inc.Kind != KindIncident || inc.Incident == nil {
		return nil, fmt.Errorf("store: positions: %w: %s (%q) is a %s, not an incident", ErrInvalid, incidentID, inc.Title, inc.Kind)
	}
	return incidentPositions(ctx, db.sql, inc)
}

func incidentPositions(ctx context.Context, q querier, inc Item) ([]Position, error) {
	ps, err := positions(ctx, q, "SELECT "+positionColumns+" FROM incident_positions p WHERE p.incident_id = ? ORDER BY p.country, p.stated DESC, p.created DESC", inc.ID)
	if err != nil {
		return nil, fmt.Errorf("store: positions of %s: %w", inc.ID, err)
	}
	sortDownstream(ps, inc.Incident.Affected)
	return ps, nil
}

func sortDownstream(ps []Position, affected []string) {
	rank := func(c string) int {
		if i := slices.Index(affected, c); i >= 0 {
			return i
		}
		return len(affected)
	}
	slices.SortStableFunc(ps, func(a, b Position) int {
		if ra, rb := rank(a.Country), rank(b.Country); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Country, b.Country)
	})
}

// CountryPositions returns a country's positions on every live incident, latest stated
// first (for a country's dossier).
func (db *DB) CountryPositions(ctx context.Context, country string) ([]Position, error) {
	c, ok := LookupCountry(country)
	if !ok {
		return nil, fmt.Errorf("store: positions of %q: %w: unknown country", country, ErrInvalid)
	}
	ps, err := positions(ctx, db.sql, "SELECT "+positionColumns+` FROM incident_positions p JOIN items i ON i.id = p.incident_id
		WHERE p.country = ? AND i.deleted IS NULL ORDER BY p.stated IS NULL, p.stated DESC, p.created DESC`, c.Alpha3)
	if err != nil {
		return nil, fmt.Errorf("store: positions of %s: %w", c.Alpha3, err)
	}
	return ps, nil
}
