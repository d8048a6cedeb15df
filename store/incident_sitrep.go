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

// ErrIssued: a situation report is issued and never changes (an amendment is a new number,
// AmendSitrep); it is also an ErrInvalid.
var ErrIssued = errors.New("situation report is issued and never changes")

// Sitrep is a numbered situation report of an incident (SITREP 1, 2, ...). A draft can be
// edited (SaveSitrep); IssueSitrep freezes it and records the SHA-256 of its canonical
// content (SitrepHash); an issued report never changes.
type Sitrep struct {
	ID       string
	Incident string
	Number   int
	Amends   string `json:",omitempty"` // the ID of the report this one amends

	AsOf    time.Time
	From    time.Time `json:",omitzero"` // the period covered
	To      time.Time `json:",omitzero"`
	NextDue time.Time `json:",omitzero"` // when the next report is due

	Sections []SitrepSection `json:",omitempty"`
	// Class is the report's marking: never below the marking of any of its lines.
	Class string `json:",omitempty"`

	// Set by the store: when it was issued (zero while a draft) and the hex SHA-256 of its
	// canonical content then.
	Issued  time.Time `json:",omitzero"`
	SHA256  string    `json:",omitempty"`
	Created time.Time `json:",omitzero"`
	Updated time.Time `json:",omitzero"`
}

// IsIssued reports whether the report is issued (frozen).
func (s Sitrep) IsIssued() bool { return !s.Issued.IsZero() }

// Label is the report's name as shown: "SITREP 3".
func (s Sitrep) Label() string { return fmt.Sprintf("SITREP %d", s.Number) }

// SitrepSection is a section of a situation report: the officer's own text (marked with
// the report) and lines drafted from the incident's records, each with the record's
// marking, so that a release copy can leave out the lines above its ceiling.
type SitrepSection struct {
	Heading string
	Text    string       `json:",omitempty"`
	Lines   []SitrepLine `json:",omitempty"`
}

// SitrepLine is one line of a section.
type SitrepLine struct {
	Text  string
	Class string `json:",omitempty"` // the marking of what it comes from; the report's when empty
	Ref   string `json:",omitempty"` // the record it comes from (timeline entry, call sheet row, action, position)
}

// The headings of the sections DraftSitrep fills, in order.
const (
	SectionSummary     = "Summary"
	SectionEvents      = "Significant events"
	SectionActionsDone = "Actions taken"
	SectionActionsPlan = "Actions planned"
	SectionContacts    = "Contacts made"
	SectionPositions   = "Positions"
	SectionRequests    = "Open requests"
)

// Section returns the section with that heading, and whether there is one.
func (s Sitrep) Section(heading string) (SitrepSection, bool) {
	for _, sec := range s.Sections {
		if sec.Heading == heading {
			return sec, true
		}
	}
	return SitrepSection{}, false
}

// sitrepCanon is what a report's hash covers, in this order.
type sitrepCanon struct {
	Incident string
	Number   int
	Amends   string
	AsOf     string
	From     string
	To       string
	NextDue  string
	Class    string
	Sections []SitrepSection
}

// SitrepHash is the hex SHA-256 of a report's canonical content: the JSON of its incident,
// number, amended report, times (RFC 3339, UTC, milliseconds; empty when unset), marking and
// sections, in that order. IssueSitrep records it; anyone can check a report against it.
func SitrepHash(s Sitrep) string {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	b, _ := json.Marshal(sitrepCanon{s.Incident, s.Number, s.Amends, ts(s.AsOf), ts(s.From), ts(s.To), ts(s.NextDue), s.Class, s.Sections})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

const sitrepColumns = `id, incident_id, number, amends, as_of, period_from, period_to, next_due, content, class, issued, sha256, created, updated`

func scanSitrep(row scanner) (Sitrep, error) {
	var s Sitrep
	var asOf, created, updated int64
	var from, to, next, issued sql.NullInt64
	var content string
	if err := row.Scan(&s.ID, &s.Incident, &s.Number, &s.Amends, &asOf, &from, &to, &next, &content, &s.Class, &issued,
		&s.SHA256, &created, &updated); err != nil {
		return s, err
	}
	s.AsOf, s.From, s.To, s.NextDue, s.Issued = fromMillis(asOf), fromNull(from), fromNull(to), fromNull(next), fromNull(issued)
	s.Created, s.Updated = fromMillis(created), fromMillis(updated)
	if err := json.Unmarshal([]byte(content), &s.Sections); err != nil {
		return s, fmt.Errorf("situation report %s is unreadable: %w", s.ID, err)
	}
	return s, nil
}

// Sitreps returns an incident's situation reports, by number.
func (db *DB) Sitreps(ctx context.Context, incidentID string) ([]Sitrep, error) {
	if err := db.checkIncident(ctx, incidentID); err != nil {
		return nil, err
	}
	return sitreps(ctx, db.sql, incidentID)
}

func sitreps(ctx context.Context, q querier, incidentID string) ([]Sitrep, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE incident_id = ? ORDER BY number", incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: situation reports of %s: %w", incidentID, err)
	}
	defer rows.Close()
	var out []Sitrep
	for rows.Next() {
		s, err := scanSitrep(rows)
		if err != nil {
			return nil, fmt.Errorf("store: situation reports of %s: %w", incidentID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GetSitrep returns the situation report with that ID.
func (db *DB) GetSitrep(ctx context.Context, id string) (Sitrep, error) {
	s, err := scanSitrep(db.sql.QueryRowContext(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", id))
	if err != nil {
		return Sitrep{}, fmt.Errorf("store: situation report %s: %w", id, notFound(err))
	}
	return s, nil
}

// sitrepIncident returns the incident a report belongs to.
func (db *DB) sitrepIncident(ctx context.Context, id string) (string, error) {
	var inc string
	err := db.sql.QueryRowContext(ctx, "SELECT incident_id FROM incident_sitreps WHERE id = ?", id).Scan(&inc)
	if err != nil {
		return "", fmt.Errorf("store: situation report %s: %w", id, notFound(err))
	}
	return inc, nil
}

// DraftSitrep drafts the next situation report of an incident as of now and stores it as
// a draft, which it returns. It fills it from what changed since the last issued report
// (the previous one: its AsOf; the zero hour when none was issued):
//
//   - Significant events: exactly the significant timeline entries with From < At <= now,
//     earliest first, leaving out those corrected by a later entry;
//   - Actions taken: the actions done in that period; Actions planned: those still to do,
//     earliest due first, the overdue ones said to be;
//   - Contacts made: the call sheet rows with a call logged in that period (status and
//     outcome), in sheet order;
//   - Positions: every position held, in downstream order;
//   - Open requests: the call sheet rows with a next action (what is owed to or asked of a
//     counterpart), with its due time, in sheet order;
//   - Summary: empty, for the officer.
//
// Each line carries its record's marking, and the report the highest of them (the
// default marking at least). It covers From to now, and the next is due after one
// operational period (Incident.PeriodLength). Its number follows the highest so far; when
// a draft (not an amendment) is pending already, that draft is filled again in place,
// keeping its number and the officer's own text of each section (its lines are drafted
// anew). Drafting on a closed incident is allowed; on a trashed one, not.
func (db *DB) DraftSitrep(ctx context.Context, incidentID string, now time.Time) (Sitrep, error) {
	now = utcMillis(now)
	var s Sitrep
	err := db.incidentTx(ctx, incidentID, "draft situation report", func(w *recordWriter) error {
		var err error
		s, err = w.draftSitrep(ctx, now)
		return err
	})
	if err != nil {
		return Sitrep{}, err
	}
	return s, nil
}

func (w *recordWriter) draftSitrep(ctx context.Context, now time.Time) (Sitrep, error) {
	id := w.incident.ID
	var s Sitrep
	// The pending draft, if any, and the number after the highest.
	var maxNum sql.NullInt64
	if err := w.queryRow(ctx, "SELECT max(number) FROM incident_sitreps WHERE incident_id = ?", id).Scan(&maxNum); err != nil {
		return s, err
	}
	draft, err := scanSitrep(w.queryRow(ctx, "SELECT "+sitrepColumns+` FROM incident_sitreps
		WHERE incident_id = ? AND issued IS NULL AND amends = '' ORDER BY number DESC LIMIT 1`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s = Sitrep{Incident: id, Number: int(maxNum.Int64) + 1}
	case err != nil:
		return s, err
	default:
		s = draft
	}
	var prevAsOf sql.NullInt64
	if err := w.queryRow(ctx, "SELECT as_of FROM incident_sitreps WHERE incident_id = ? AND issued IS NOT NULL ORDER BY number DESC LIMIT 1", id).Scan(&prevAsOf); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, err
	}
	from := w.incident.Incident.ZeroHour
	if prevAsOf.Valid {
		from = fromMillis(prevAsOf.Int64)
	}
	s.AsOf, s.From, s.To = now, from, now
	s.NextDue = now.Add(w.incident.Incident.PeriodLength())
	s.Class = ""
	recs, err := records(ctx, w.tx, w.incident)
	if err != nil {
		return s, err
	}
	fresh := fillSitrep(recs, from, now)
	for i := range fresh { // the officer's own text of a draft filled again stays
		if old, ok := s.Section(fresh[i].Heading); ok {
			fresh[i].Text = old.Text
		}
	}
	s.Sections = fresh
	return w.saveSitrep(ctx, s)
}

// fillSitrep drafts a report's sections from an incident's records, for the period
// (from, to].
func fillSitrep(r IncidentRecords, from, to time.Time) []SitrepSection {
	in := func(t time.Time) bool { return t.After(from) && !t.After(to) }
	hm := func(t time.Time) string { return t.UTC().Format("02 Jan 15:04Z") }
	var events SitrepSection
	events.Heading = SectionEvents
	for _, e := range r.Timeline {
		if !e.Significant || !in(e.At) || e.Corrected() {
			continue
		}
		text := hm(e.At) + " — " + e.Text
		if e.Corrects != "" {
			text += " (correction)"
		}
		if src := strings.TrimSpace(strings.Join([]string{e.Source, e.Reliability}, " ")); src != "" {
			text += " [" + src + "]"
		}
		events.Lines = append(events.Lines, SitrepLine{Text: text, Class: e.Class, Ref: e.ID})
	}
	done := SitrepSection{Heading: SectionActionsDone}
	planned := SitrepSection{Heading: SectionActionsPlan}
	for _, a := range r.Actions {
		owner := ""
		if a.Owner != "" {
			owner = " (" + a.Owner + ")"
		}
		switch {
		case a.Status == ActionDone && in(a.Done):
			done.Lines = append(done.Lines, SitrepLine{Text: a.Text + owner + ", done " + hm(a.Done), Class: a.Class, Ref: a.ID})
		case a.Pending():
			text := a.Text + owner
			if !a.Due.IsZero() {
				text += ", due " + a.DueLocal().Format("02 Jan 15:04 MST")
				if a.Overdue(to) {
					text += " — OVERDUE"
				}
			}
			planned.Lines = append(planned.Lines, SitrepLine{Text: text, Class: a.Class, Ref: a.ID})
		}
	}
	contacts := SitrepSection{Heading: SectionContacts}
	requests := SitrepSection{Heading: SectionRequests}
	for _, row := range r.CallSheet {
		who := firstNonBlank(row.Name, row.Institution)
		if row.Institution != "" && row.Name != "" {
			who += ", " + row.Institution
		}
		if in(row.LastContact) {
			text := fmt.Sprintf("%s — %s: %s", row.Country, who, row.Status)
			if row.Outcome != "" {
				text += ". " + row.Outcome
			}
			contacts.Lines = append(contacts.Lines, SitrepLine{Text: text, Class: row.Class, Ref: row.ID})
		}
		if row.NextAction != "" {
			text := fmt.Sprintf("%s — %s: %s", row.Country, who, row.NextAction)
			if !row.NextDue.IsZero() {
				text += ", due " + hm(row.NextDue)
			}
			requests.Lines = append(requests.Lines, SitrepLine{Text: text, Class: row.Class, Ref: row.ID})
		}
	}
	positions := SitrepSection{Heading: SectionPositions}
	for _, p := range r.Positions {
		name := p.Country
		if c, ok := LookupCountry(p.Country); ok {
			name = c.Name
		}
		text := name
		if !p.Stated.IsZero() {
			text += " (" + p.Stated.UTC().Format("02 Jan") + ")"
		}
		text += ": " + p.Text
		if src := strings.TrimSpace(strings.Join([]string{p.Source, p.Reliability}, " ")); src != "" {
			text += " [" + src + "]"
		}
		positions.Lines = append(positions.Lines, SitrepLine{Text: text, Class: p.Class, Ref: p.ID})
	}
	return []SitrepSection{{Heading: SectionSummary}, events, done, planned, contacts, positions, requests}
}

// SaveSitrep saves an edited draft (its times, sections and marking; its number, incident
// and amended report stay as drafted) and returns it as stored. An issued report is
// refused (ErrIssued, naming it); so is a report that is not stored yet (draft it with
// DraftSitrep or AmendSitrep).
func (db *DB) SaveSitrep(ctx context.Context, s Sitrep) (Sitrep, error) {
	inc, err := db.sitrepIncident(ctx, s.ID)
	if err != nil {
		return Sitrep{}, err
	}
	err = db.incidentTx(ctx, inc, "save situation report "+s.ID, func(w *recordWriter) error {
		old, err := scanSitrep(w.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", s.ID))
		if err != nil {
			return err
		}
		if old.IsIssued() {
			return fmt.Errorf("%w: %w: %s (%s) of %s was issued on %s; amend it instead", ErrInvalid, ErrIssued,
				old.Label(), old.ID, w.name, old.Issued.Format(time.RFC3339))
		}
		s.Incident, s.Number, s.Amends, s.Created = old.Incident, old.Number, old.Amends, old.Created
		s.Issued, s.SHA256 = time.Time{}, ""
		s, err = w.saveSitrep(ctx, s)
		return err
	})
	if err != nil {
		return Sitrep{}, err
	}
	return s, nil
}

// saveSitrep checks a report's markings and writes it (a new one when its ID is empty).
func (w *recordWriter) saveSitrep(ctx context.Context, s Sitrep) (Sitrep, error) {
	what := fmt.Sprintf("%s of %s", s.Label(), w.name)
	for _, t := range []*time.Time{&s.AsOf, &s.From, &s.To, &s.NextDue, &s.Issued} {
		*t = utcMillis(*t)
	}
	if s.AsOf.IsZero() {
		s.AsOf = w.now
	}
	if !s.From.IsZero() && !s.To.IsZero() && s.To.Before(s.From) {
		return s, fmt.Errorf("%w: %s covers a period that ends before it starts", ErrInvalid, what)
	}
	cls, err := w.class(s.Class, what)
	if err != nil {
		return s, err
	}
	total := 0
	for i := range s.Sections {
		sec := &s.Sections[i]
		sec.Heading = strings.TrimSpace(sec.Heading)
		total += len(sec.Heading) + len(sec.Text)
		for j := range sec.Lines {
			l := &sec.Lines[j]
			total += len(l.Text)
			if l.Class == "" {
				continue
			}
			if l.Class, err = w.class(l.Class, fmt.Sprintf("a line of %s", what)); err != nil {
				return s, err
			}
			if w.classes[l.Class] > w.classes[cls] {
				cls = l.Class
			}
		}
	}
	if total > 10*maxRecordText {
		return s, fmt.Errorf("%w: %s holds %s of text, more than the %s allowed", ErrInvalid, what, size(total), size(10*maxRecordText))
	}
	s.Class = cls
	content, err := json.Marshal(s.Sections)
	if err != nil {
		return s, err
	}
	if s.Sections == nil {
		content = []byte("[]")
	}
	s.Updated = w.now
	if s.ID == "" {
		s.ID, s.Created = NewID(), w.now
	}
	if s.Created.IsZero() {
		s.Created = w.now
	}
	_, err = w.exec(ctx, `INSERT INTO incident_sitreps(id, incident_id, number, amends, as_of, period_from, period_to,
		next_due, content, class, issued, sha256, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET as_of=excluded.as_of, period_from=excluded.period_from, period_to=excluded.period_to,
		next_due=excluded.next_due, content=excluded.content, class=excluded.class, issued=excluded.issued,
		sha256=excluded.sha256, updated=excluded.updated WHERE incident_sitreps.issued IS NULL`,
		s.ID, s.Incident, s.Number, s.Amends, toMillis(s.AsOf), nullTime(s.From), nullTime(s.To), nullTime(s.NextDue),
		string(content), s.Class, nullTime(s.Issued), s.SHA256, toMillis(s.Created), toMillis(s.Updated))
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return s, fmt.Errorf("%w: %s exists already", ErrInvalid, what)
	}
	return s, err
}

// IssueSitrep issues a draft report as of now: it is frozen from then on, and the SHA-256
// of its canonical content (SitrepHash) is recorded. Issuing a report already issued is
// refused (ErrIssued, naming it), and nothing changes.
func (db *DB) IssueSitrep(ctx context.Context, id string, now time.Time) (Sitrep, error) {
	inc, err := db.sitrepIncident(ctx, id)
	if err != nil {
		return Sitrep{}, err
	}
	var s Sitrep
	err = db.incidentTx(ctx, inc, "issue situation report "+id, func(w *recordWriter) error {
		var err error
		s, err = w.issueSitrep(ctx, id, now)
		return err
	})
	if err != nil {
		return Sitrep{}, err
	}
	return s, nil
}

func (w *recordWriter) issueSitrep(ctx context.Context, id string, now time.Time) (Sitrep, error) {
	s, err := scanSitrep(w.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", id))
	if err != nil {
		return s, err
	}
	if s.IsIssued() {
		return s, fmt.Errorf("%w: %w: %s (%s) of %s was issued already, on %s", ErrInvalid, ErrIssued, s.Label(), s.ID,
			w.name, s.Issued.Format(time.RFC3339))
	}
	if now.IsZero() {
		now = w.now
	}
	s.Issued = utcMillis(now)
	s.SHA256 = SitrepHash(s)
	_, err = w.exec(ctx, "UPDATE incident_sitreps SET issued = ?, sha256 = ?, updated = ? WHERE id = ? AND issued IS NULL",
		toMillis(s.Issued), s.SHA256, toMillis(w.now), s.ID)
	s.Updated = w.now
	return s, err
}

// AmendSitrep drafts an amendment of an issued report: a new report with the next number,
// naming the one it amends (Amends) and starting from its content and period. It is a
// draft: edit it with SaveSitrep, then issue it.
func (db *DB) AmendSitrep(ctx context.Context, id string, now time.Time) (Sitrep, error) {
	inc, err := db.sitrepIncident(ctx, id)
	if err != nil {
		return Sitrep{}, err
	}
	var s Sitrep
	err = db.incidentTx(ctx, inc, "amend situation report "+id, func(w *recordWriter) error {
		old, err := scanSitrep(w.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", id))
		if err != nil {
			return err
		}
		if !old.IsIssued() {
			return fmt.Errorf("%w: %s (%s) of %s is a draft; edit it instead of amending it", ErrInvalid, old.Label(), old.ID, w.name)
		}
		var maxNum int
		if err := w.queryRow(ctx, "SELECT max(number) FROM incident_sitreps WHERE incident_id = ?", inc).Scan(&maxNum); err != nil {
			return err
		}
		s = Sitrep{Incident: inc, Number: maxNum + 1, Amends: old.ID, AsOf: utcMillis(now), From: old.From, To: old.To,
			NextDue: old.NextDue, Class: old.Class, Sections: slices.Clone(old.Sections)}
		if s.AsOf.IsZero() {
			s.AsOf = w.now
		}
		s, err = w.saveSitrep(ctx, s)
		return err
	})
	if err != nil {
		return Sitrep{}, err
	}
	return s, nil
}
