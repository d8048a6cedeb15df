package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// IncidentRecords is everything an incident holds, as Records reads it and
// LoadIncidentRecords writes it.
type IncidentRecords struct {
	Incident  string           // the incident's item ID
	Timeline  []TimelineEntry  `json:",omitempty"`
	CallSheet []CallRow        `json:",omitempty"`
	Actions   []IncidentAction `json:",omitempty"`
	Positions []Position       `json:",omitempty"`
	Sitreps   []Sitrep         `json:",omitempty"`
}

// Records reads everything an incident holds (in the orders of Timeline, CallSheet,
// Actions, Positions and Sitreps) in one read transaction, so the parts agree.
func (db *DB) Records(ctx context.Context, incidentID string) (IncidentRecords, error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return IncidentRecords{}, fmt.Errorf("store: records of %s: %w", incidentID, err)
	}
	defer tx.Rollback()
	inc, err := scanItem(tx.QueryRowContext(ctx, selectItems(false)+" WHERE i.id = ?", incidentID))
	if err != nil {
		return IncidentRecords{}, fmt.Errorf("store: no incident %s: %w", incidentID, notFound(err))
	}
	if inc.Kind != KindIncident || inc.Incident == nil {
		return IncidentRecords{}, fmt.Errorf("store: %w: %s (%q) is a %s, not an incident", ErrInvalid, incidentID, inc.Title, inc.Kind)
	}
	r, err := records(ctx, tx, inc)
	if err != nil {
		return IncidentRecords{}, fmt.Errorf("store: records of %s: %w", incidentID, err)
	}
	return r, nil
}

func records(ctx context.Context, q querier, inc Item) (IncidentRecords, error) {
	r := IncidentRecords{Incident: inc.ID}
	var err error
	if r.Timeline, err = timeline(ctx, q, inc.ID); err != nil {
		return r, err
	}
	if r.CallSheet, err = callSheet(ctx, q, inc.ID); err != nil {
		return r, err
	}
	if r.Actions, err = actions(ctx, q, inc.ID); err != nil {
		return r, err
	}
	if r.Positions, err = incidentPositions(ctx, q, inc); err != nil {
		return r, err
	}
	if r.Sitreps, err = sitreps(ctx, q, inc.ID); err != nil {
		return r, err
	}
	return r, nil
}

// LoadIncidentRecords writes records into an incident in one transaction, all or none:
// for the example knowledge base, and for tools that move an incident between knowledge
// bases. Records keep the IDs they carry (new ones get one). Timeline entries and issued
// reports already stored under their ID are left as they are (they never change); call
// sheet rows, actions, positions and draft reports replace theirs. A report given with
// Issued set is stored issued, its hash recorded; call entries are stored as given, without
// touching the contacts' last contact. References to other items are not checked (they
// may come in a later transaction).
func (db *DB) LoadIncidentRecords(ctx context.Context, r IncidentRecords) error {
	return db.incidentTx(ctx, r.Incident, "load records", func(w *recordWriter) error {
		for _, c := range r.CallSheet { // first: calls on the timeline name their rows
			if _, err := w.saveCallRow(ctx, c, false); err != nil {
				return err
			}
		}
		for _, e := range r.Timeline {
			if e.ID != "" && w.exists(ctx, "incident_entries", e.ID) {
				continue
			}
			if _, err := w.addEntry(ctx, e, false); err != nil {
				return err
			}
		}
		for _, a := range r.Actions {
			if _, err := w.saveAction(ctx, a); err != nil {
				return err
			}
		}
		for _, p := range r.Positions {
			if _, err := w.savePosition(ctx, p, false); err != nil {
				return err
			}
		}
		for _, s := range r.Sitreps {
			if s.ID != "" {
				old, err := scanSitrep(w.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", s.ID))
				switch {
				case errors.Is(err, sql.ErrNoRows):
				case err != nil:
					return err
				case old.IsIssued():
					continue
				}
			}
			issued := s.Issued
			s.Incident, s.Issued, s.SHA256 = w.incident.ID, time.Time{}, ""
			saved, err := w.saveSitrep(ctx, s)
			if err != nil {
				return err
			}
			if !issued.IsZero() {
				if _, err := w.issueSitrep(ctx, saved.ID, issued); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (w *recordWriter) exists(ctx context.Context, table, id string) bool {
	var one int
	return w.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = ?", id).Scan(&one) == nil
}
