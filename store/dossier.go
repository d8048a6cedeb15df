package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// DossierLatest is how many of a country's latest notes and documents a dossier holds.
const DossierLatest = 10

// Dossier is what the knowledge base holds about one country: its counterparts (the live
// contacts marked with it), its organisations, its latest notes and documents, its stated
// positions and the incidents it is part of. Items are read without their Body.
type Dossier struct {
	Country Country
	// Names are the country's names in the six UN languages and its demonyms (none for a
	// historical entry).
	Names CountryNames
	// Contacts are the country's contacts, the most recently contacted first (those never
	// contacted last), then by title.
	Contacts []Item
	// Organisations are the country's organisations, by title.
	Organisations []Item
	// Notes and Documents are the latest DossierLatest of each (by DisplayDate, newest
	// first); NoteCount and DocumentCount say how many the country has in all.
	Notes, Documents         []Item
	NoteCount, DocumentCount int
	// Positions are the country's positions on every live incident, latest stated first.
	Positions []Position
	// Incidents are the live incidents the country is part of (affected, or marked with
	// it): the active ones first, then the latest zero hour first.
	Incidents []Item
}

// Dossier reads the dossier of a country, given by code or name (LookupCountry, then
// LookupCountryName). An unknown country is ErrInvalid, naming it.
func (db *DB) Dossier(ctx context.Context, country string) (Dossier, error) {
	c, ok := LookupCountry(country)
	if !ok {
		c, ok = LookupCountryName(country)
	}
	if !ok {
		return Dossier{}, fmt.Errorf("store: dossier: %w: no country %q (use an ISO 3166-1 code such as TGO, or a name)", ErrInvalid, country)
	}
	d := Dossier{Country: c}
	d.Names, _ = NamesOf(c.Alpha3)
	var err error
	if d.Contacts, err = db.List(ctx, ListOptions{Kind: KindContact, Country: c.Alpha3}); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	slices.SortStableFunc(d.Contacts, func(a, b Item) int {
		return lastContact(b).Compare(lastContact(a)) // zero (never) sorts last
	})
	if d.Organisations, err = db.List(ctx, ListOptions{Kind: KindOrganisation, Country: c.Alpha3}); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	if d.Notes, d.NoteCount, err = db.latest(ctx, KindNote, c.Alpha3); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	if d.Documents, d.DocumentCount, err = db.latest(ctx, KindDocument, c.Alpha3); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	if d.Positions, err = db.CountryPositions(ctx, c.Alpha3); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	if d.Incidents, err = db.List(ctx, ListOptions{Kind: KindIncident, Country: c.Alpha3}); err != nil {
		return Dossier{}, fmt.Errorf("store: dossier %s: %w", c.Alpha3, err)
	}
	slices.SortStableFunc(d.Incidents, func(a, b Item) int {
		if a, b := incidentActive(a), incidentActive(b); a != b {
			if a {
				return -1
			}
			return 1
		}
		return zeroHour(b).Compare(zeroHour(a))
	})
	return d, nil
}

// latest returns the DossierLatest live items of a kind marked with a country, newest
// first, and how many there are in all.
func (db *DB) latest(ctx context.Context, k Kind, alpha3 string) ([]Item, int, error) {
	opt := ListOptions{Kind: k, Country: alpha3}
	n, err := db.Count(ctx, opt)
	if err != nil || n == 0 {
		return nil, n, err
	}
	where, args := listWhere(opt)
	q := selectItems(false) + " WHERE " + where + " ORDER BY coalesce(i.item_date, i.created) DESC, i.title COLLATE NOCASE, i.id LIMIT ?"
	var out []Item
	if err := db.query(ctx, q, append(args, DossierLatest), func(it Item) { out = append(out, it) }); err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

func lastContact(it Item) time.Time {
	if it.Contact == nil {
		return time.Time{}
	}
	return it.Contact.LastContact
}

func incidentActive(it Item) bool { return it.Incident == nil || it.Incident.Active() }

func zeroHour(it Item) time.Time {
	if it.Incident == nil || it.Incident.ZeroHour.IsZero() {
		return it.DisplayDate()
	}
	return it.Incident.ZeroHour
}
