package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

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
		p.ID = NewID()
	}
	if p.Created, err = w.created(ctx, "incident_positions", "position", p.ID); err != nil {
		return p, err
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
