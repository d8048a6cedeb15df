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
		r.ID = NewID()
	}
	if r.Created, err = w.created(ctx, "incident_calls", "call sheet row", r.ID); err != nil {
		return r, err
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
	if err != nil {
		return TimelineEntry{}, err
	}
	return e, nil
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
