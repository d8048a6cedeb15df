package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // call sheets name their counterparts' time zones on any platform
)

// An incident is an item (KindIncident) whose kind-specific fields are in Incident; what it
// holds (timeline entries, call sheet rows, actions, positions and situation reports) are
// records in tables of their own, each with its own marking (incident_records.go,
// incident_sitrep.go). It is searchable, linkable, classified, revisioned and trashed like
// any item; its records follow it: they are read with it while it is in the trash (but
// nothing new is written to it there, and lists across incidents leave them out), and
// EmptyTrash removes them with it.

// Incident statuses.
const (
	IncidentActive = "active"
	IncidentClosed = "closed"
)

// Severities are the severities an incident may have, lowest first (or none).
var Severities = []string{"minor", "moderate", "major", "critical"}

// Rels of the links an incident has to the items about it (Item.Links).
const (
	RelRiver            = "river"             // the river (or place) concerned: a note, a document
	RelOperator         = "operator"          // the operator at the source: an organisation
	RelTreaty           = "treaty"            // a treaty or convention that applies
	RelEarlierIncident  = "earlier-incident"  // an earlier incident (an incident item or a note)
	RelLead             = "lead"              // the lead, when a contact
	RelLeadOrganisation = "lead-organisation" // the lead organisation, when an organisation
)

// Incident is what an incident has beyond the common fields: an emergency such as an oil
// spill into an international river. Its Title is its name, its Body a summary.
//
// Its Affected countries are in their downstream order (the first is first in line);
// saving also adds them to the item's Countries, so that a country's filter finds it, and
// takes its zero hour for the item's Date when that is unset. An
// unknown code is refused (ErrInvalid, naming the incident and the code).
//
// Its marking (Item.Class) is never below the highest marking of what it holds: saving it
// lower, or adding a record marked higher, raises it (HeldClass).
type Incident struct {
	Type     string    `json:",omitempty"` // "oil spill", "chemical spill", "flood"...
	Status   string    `json:",omitempty"` // IncidentActive (when empty) or IncidentClosed
	Closed   time.Time `json:",omitzero"`  // when it closed; set to the save's time when closed without one
	Exercise bool      `json:",omitempty"` // an exercise, not a real emergency
	ZeroHour time.Time `json:",omitzero"`  // when it began (UTC)
	Place    string    `json:",omitempty"`
	Affected []string  `json:",omitempty"` // ISO 3166-1 alpha-3 codes, in downstream order
	Severity string    `json:",omitempty"` // one of Severities, or empty
	Lead     string    `json:",omitempty"` // who leads the response, in words (link a contact with RelLead)
	LeadOrg  string    `json:",omitempty"` // the lead organisation, in words (link it with RelLeadOrganisation)
	// The current operational period; its length is the rhythm of the situation reports
	// (a draft's NextDue is its AsOf plus this length, or 24 hours when unset).
	PeriodStart time.Time `json:",omitzero"`
	PeriodEnd   time.Time `json:",omitzero"`
}

// Active reports whether the incident is open.
func (inc Incident) Active() bool { return inc.Status != IncidentClosed }

// PeriodLength is the length of the operational period, 24 hours when it is not set.
func (inc Incident) PeriodLength() time.Duration {
	if d := inc.PeriodEnd.Sub(inc.PeriodStart); !inc.PeriodStart.IsZero() && !inc.PeriodEnd.IsZero() && d > 0 {
		return d
	}
	return 24 * time.Hour
}

// normalizeIncident checks an incident's fields and puts them in canonical form; it does
// nothing for other kinds.
func (it *Item) normalizeIncident() error {
	inc := it.Incident
	if it.Kind != KindIncident || inc == nil {
		return nil
	}
	name := fmt.Sprintf("incident %q", it.Title)
	if it.ID != "" {
		name = fmt.Sprintf("incident %s (%q)", it.ID, it.Title)
	}
	inc.Type = strings.TrimSpace(inc.Type)
	inc.Place = strings.TrimSpace(inc.Place)
	inc.Lead = strings.TrimSpace(inc.Lead)
	inc.LeadOrg = strings.TrimSpace(inc.LeadOrg)
	switch inc.Status = strings.ToLower(strings.TrimSpace(inc.Status)); inc.Status {
	case "", IncidentActive:
		inc.Status, inc.Closed = IncidentActive, time.Time{}
	case IncidentClosed:
	default:
		return fmt.Errorf("%w: %s has status %q; use %s or %s", ErrInvalid, name, inc.Status, IncidentActive, IncidentClosed)
	}
	inc.Severity = strings.ToLower(strings.TrimSpace(inc.Severity))
	if inc.Severity != "" && !slices.Contains(Severities, inc.Severity) {
		return fmt.Errorf("%w: %s has severity %q; use one of %s", ErrInvalid, name, inc.Severity, strings.Join(Severities, ", "))
	}
	var affected []string
	for _, c := range inc.Affected {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		cc, ok := LookupCountry(c)
		if !ok {
			return fmt.Errorf("%w: %s has unknown affected country %q (use an ISO 3166-1 code such as GHA)", ErrInvalid, name, c)
		}
		if !slices.Contains(affected, cc.Alpha3) {
			affected = append(affected, cc.Alpha3)
		}
	}
	inc.Affected = affected
	for _, c := range affected {
		if !slices.Contains(it.Countries, c) {
			it.Countries = append(it.Countries, c)
		}
	}
	if !inc.PeriodStart.IsZero() && !inc.PeriodEnd.IsZero() && inc.PeriodEnd.Before(inc.PeriodStart) {
		return fmt.Errorf("%w: %s has an operational period that ends before it starts", ErrInvalid, name)
	}
	for _, t := range []*time.Time{&inc.Closed, &inc.ZeroHour, &inc.PeriodStart, &inc.PeriodEnd} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Millisecond)
		}
	}
	if it.Date.IsZero() {
		it.Date = inc.ZeroHour // the date it is shown and filtered by
	}
	return nil
}

// prepareIncident completes an incident being saved (normalised already): a closed one
// without a closing time closes now, and its marking is raised to the highest of what it
// holds.
func (w *itemWriter) prepareIncident(ctx context.Context, it *Item) error {
	if it.Kind != KindIncident || it.Incident == nil {
		return nil
	}
	if it.Incident.Status == IncidentClosed && it.Incident.Closed.IsZero() {
		it.Incident.Closed = w.now
	}
	held, err := heldClass(ctx, w.tx, it.ID, w.classes)
	if err != nil {
		return err
	}
	if held != "" && w.classes[held] > w.classes[it.Class] {
		it.Class = held
	}
	return nil
}

// recordTables are the tables of an incident's records.
var recordTables = []string{"incident_entries", "incident_calls", "incident_actions", "incident_positions", "incident_sitreps"}

// recordClasses selects the markings the records of every incident carry.
var recordClasses = func() string {
	var parts []string
	for _, t := range recordTables {
		parts = append(parts, "SELECT class FROM "+t)
	}
	return strings.Join(parts, " UNION ")
}()

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// heldClass is the highest marking of the records an incident holds, "" when none.
func heldClass(ctx context.Context, q querier, id string, classes map[string]int) (string, error) {
	if id == "" {
		return "", nil
	}
	var parts []string
	for _, t := range recordTables {
		parts = append(parts, "SELECT DISTINCT class FROM "+t+" WHERE incident_id = ?1")
	}
	rows, err := q.QueryContext(ctx, strings.Join(parts, " UNION "), id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	best := ""
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", err
		}
		if best == "" || classes[c] > classes[best] {
			best = c
		}
	}
	return best, rows.Err()
}

// HeldClass returns the marking an incident must carry at least: the highest of its own
// and of every record it holds (timeline entries, call sheet rows, actions, positions,
// situation reports). The store keeps the incident's Class at it; the sheet, a report or an
// export shows it.
func (db *DB) HeldClass(ctx context.Context, incidentID string) (string, error) {
	it, err := db.Get(ctx, incidentID)
	if err != nil {
		return "", err
	}
	ranks, err := db.classRanks(ctx)
	if err != nil {
		return "", fmt.Errorf("store: marking of %s: %w", incidentID, err)
	}
	held, err := heldClass(ctx, db.sql, incidentID, ranks)
	if err != nil {
		return "", fmt.Errorf("store: marking of %s: %w", incidentID, err)
	}
	if held == "" || ranks[it.Class] >= ranks[held] {
		return it.Class, nil
	}
	return held, nil
}

func (db *DB) classRanks(ctx context.Context) (map[string]int, error) {
	classes, err := db.Classes(ctx)
	if err != nil {
		return nil, err
	}
	ranks := make(map[string]int, len(classes))
	for i, c := range classes {
		ranks[c] = i
	}
	return ranks, nil
}

// Incidents returns the live incidents, those of a country only when country is set (an
// alpha-3 code, or any name LookupCountry reads): active ones first, then closed ones,
// each latest zero hour first.
func (db *DB) Incidents(ctx context.Context, country string) ([]Item, error) {
	opt := ListOptions{Kind: KindIncident, WithBody: true}
	if country != "" {
		c, ok := LookupCountry(country)
		if !ok {
			return nil, fmt.Errorf("store: incidents of %q: %w: unknown country", country, ErrInvalid)
		}
		opt.Country = c.Alpha3
	}
	items, err := db.List(ctx, opt)
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", err)
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		if a.Incident.Active() != b.Incident.Active() {
			if a.Incident.Active() {
				return -1
			}
			return 1
		}
		return b.Incident.ZeroHour.Compare(a.Incident.ZeroHour)
	})
	return items, nil
}

// moveCallRows points the call sheet rows of the contacts in gone at the contact to
// instead (MergeContacts), moving the change sequence of the incidents whose sheet
// changed.
func (w *itemWriter) moveCallRows(ctx context.Context, gone map[string]bool, to string) error {
	for id := range gone {
		res, err := w.exec(ctx, "UPDATE incident_calls SET contact_id = ?, updated = ? WHERE contact_id = ?", to, toMillis(w.now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		seq, err := w.nextSeq(ctx)
		if err != nil {
			return err
		}
		if _, err := w.exec(ctx, `UPDATE items SET seq = ?, updated = ? WHERE id IN
			(SELECT incident_id FROM incident_calls WHERE contact_id = ?)`, seq, toMillis(w.now), to); err != nil {
			return err
		}
	}
	return nil
}
