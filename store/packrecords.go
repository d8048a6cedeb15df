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
	"unicode/utf8"
)

// The records of incidents a knowledge pack carries (ApplyOptions.Records), written by
// ApplyPack in its transaction after the items. Records keep their IDs, their Created and
// Updated times. The rules, per record (compared on everything but those times and what the
// store derives):
//
//   - a timeline entry is added when it is not here; one already here is left as it is
//     (entries never change);
//   - a situation report not here is added (issued when the pack's is, and then its
//     recorded SHA-256 must be the pack's); an issued report here never changes: the
//     pack's, when different, is a conflict reported in words. Another report here with the
//     same number is a conflict too, and the pack's is left out. A draft here becomes the
//     pack's issued report of the same ID (the draft, when it differs, kept on the
//     timeline as below); a draft here is never replaced by a draft;
//   - a call sheet row, action or position not here is added; the same here is unchanged;
//     a different one is replaced only by a newer one (a later Updated), and the version
//     here it replaces is kept on the incident's timeline, as an observation marked as it
//     was ("Kept at pack import: ..."), and reported; an older one changes nothing and is
//     reported. Nothing typed here is dropped.
//
// Records of an incident that is in the trash here are left out and named. Each record's
// marking, and each line of a report, is checked against this machine's ceiling before
// anything is written (see ApplyPack).

// recordRef names a record in messages: "timeline entry ID of incident ID".
func recordRef(kind, id, incident string) string {
	return fmt.Sprintf("%s %s of incident %s", kind, id, incident)
}

// checkRecords checks the pack's incident records before anything is written: every record
// has an ID and a marking of the scheme; those above this machine's ceiling are listed.
// Records of incidents the pack's items skip (refused) are dropped.
func checkRecords(recs []IncidentRecords, skipIncident map[string]bool, above func(string) (bool, error)) (keep []IncidentRecords, refused []string, err error) {
	for _, r := range recs {
		if r.Incident == "" {
			return nil, nil, fmt.Errorf("%w: the pack holds records of no incident", ErrInvalid)
		}
		if skipIncident[r.Incident] {
			continue
		}
		check := func(kind, id, class string) error {
			if id == "" {
				return fmt.Errorf("%w: a %s of incident %s in the pack has no ID", ErrInvalid, kind, r.Incident)
			}
			hi, err := above(class)
			if err != nil {
				return fmt.Errorf("%s: %w", recordRef(kind, id, r.Incident), err)
			}
			if hi {
				refused = append(refused, fmt.Sprintf("%s (%s)", recordRef(kind, id, r.Incident), class))
			}
			return nil
		}
		for _, e := range r.Timeline {
			if err := check("timeline entry", e.ID, e.Class); err != nil {
				return nil, nil, err
			}
		}
		for _, c := range r.CallSheet {
			if err := check("call sheet row", c.ID, c.Class); err != nil {
				return nil, nil, err
			}
		}
		for _, a := range r.Actions {
			if err := check("action", a.ID, a.Class); err != nil {
				return nil, nil, err
			}
		}
		for _, p := range r.Positions {
			if err := check("position", p.ID, p.Class); err != nil {
				return nil, nil, err
			}
		}
		for _, s := range r.Sitreps {
			if err := check("situation report", s.ID, s.Class); err != nil {
				return nil, nil, err
			}
			for _, sec := range s.Sections {
				for _, l := range sec.Lines {
					if l.Class == "" {
						continue
					}
					if err := check("situation report", s.ID, l.Class); err != nil {
						return nil, nil, err
					}
				}
			}
		}
		keep = append(keep, r)
	}
	return keep, slices.Compact(refused), nil
}

// dropRefused leaves out the records named in refused (SkipAboveCeiling), and the calls
// logged on call sheet rows left out, which it names.
func dropRefused(recs []IncidentRecords, refused []string) ([]IncidentRecords, []string) {
	if len(refused) == 0 {
		return recs, nil
	}
	var more []string
	out := map[string]bool{}
	for _, r := range refused {
		out[r[:strings.LastIndex(r, " (")]] = true
	}
	var keep []IncidentRecords
	for _, r := range recs {
		ok := func(kind, id string) bool { return !out[recordRef(kind, id, r.Incident)] }
		// A call logged on a row left out quotes it: it goes too. A correction of an
		// entry left out stands alone.
		r.Timeline = slices.DeleteFunc(slices.Clone(r.Timeline), func(e TimelineEntry) bool {
			if !ok("timeline entry", e.ID) {
				return true
			}
			if e.CallRow != "" && !ok("call sheet row", e.CallRow) {
				more = append(more, fmt.Sprintf("%s (a call on row %s)", recordRef("timeline entry", e.ID, r.Incident), e.CallRow))
				return true
			}
			return false
		})
		for i, e := range r.Timeline {
			if e.Corrects != "" && !ok("timeline entry", e.Corrects) {
				r.Timeline[i].Corrects = ""
			}
		}
		r.CallSheet = slices.DeleteFunc(slices.Clone(r.CallSheet), func(c CallRow) bool { return !ok("call sheet row", c.ID) })
		r.Actions = slices.DeleteFunc(slices.Clone(r.Actions), func(a IncidentAction) bool { return !ok("action", a.ID) })
		r.Positions = slices.DeleteFunc(slices.Clone(r.Positions), func(p Position) bool { return !ok("position", p.ID) })
		r.Sitreps = slices.DeleteFunc(slices.Clone(r.Sitreps), func(s Sitrep) bool { return !ok("situation report", s.ID) })
		keep = append(keep, r)
	}
	return keep, more
}

// recordCounts is what applyRecords did to one incident's records.
type recordCounts struct{ added, updated, unchanged, kept int }

// applyRecords writes one incident's records by the rules above.
func (w *itemWriter) applyRecords(ctx context.Context, r IncidentRecords, res *PackResult) error {
	inc, err := scanItem(w.queryRow(ctx, selectItems(false)+" WHERE i.id = ?", r.Incident))
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: the pack holds records of incident %s, which is neither in it nor here", ErrInvalid, r.Incident)
	}
	if err != nil {
		return err
	}
	if inc.Kind != KindIncident || inc.Incident == nil {
		return fmt.Errorf("%w: the pack holds incident records for %s (%q), a %s here", ErrInvalid, r.Incident, inc.Title, inc.Kind)
	}
	if inc.Deleted != nil {
		res.RecordConflicts = append(res.RecordConflicts, fmt.Sprintf("the records of incident %s %q were left out: it is in the trash here", inc.ID, shortTitle(inc.Title)))
		return nil
	}
	rw := &recordWriter{itemWriter: w, incident: inc, name: fmt.Sprintf("incident %s (%q)", inc.ID, inc.Title)}
	var n recordCounts
	conflict := func(format string, a ...any) {
		res.RecordConflicts = append(res.RecordConflicts, fmt.Sprintf(format, a...))
	}
	// Call sheet rows first: calls on the timeline name their rows.
	for _, c := range r.CallSheet {
		here, err := scanCallRow(w.queryRow(ctx, "SELECT "+callColumns+" FROM incident_calls c WHERE c.id = ?", c.ID))
		if err := rw.applyMutable(ctx, "call sheet row", "incident_calls", c.ID, c.Class, c.Created, c.Updated, err, here.Incident, here.Updated, here.Class,
			sameCall(here, c), callText(here), func() error { _, err := rw.saveCallRow(ctx, c, false); return err }, &n, conflict); err != nil {
			return err
		}
	}
	if err := rw.applyTimeline(ctx, r.Timeline, &n); err != nil {
		return err
	}
	for _, a := range r.Actions {
		here, err := scanAction(w.queryRow(ctx, `SELECT id, incident_id, text, owner, due, zone, status, done, class, created, updated
			FROM incident_actions WHERE id = ?`, a.ID))
		if err := rw.applyMutable(ctx, "action", "incident_actions", a.ID, a.Class, a.Created, a.Updated, err, here.Incident, here.Updated, here.Class,
			sameAction(here, a), actionText(here), func() error { _, err := rw.saveAction(ctx, a); return err }, &n, conflict); err != nil {
			return err
		}
	}
	for _, p := range r.Positions {
		var here Position
		ps, err := positions(ctx, w.tx, "SELECT "+positionColumns+" FROM incident_positions p WHERE p.id = ?", p.ID)
		if err == nil && len(ps) == 0 {
			err = sql.ErrNoRows
		} else if err == nil {
			here = ps[0]
		}
		if err := rw.applyMutable(ctx, "position", "incident_positions", p.ID, p.Class, p.Created, p.Updated, err, here.Incident, here.Updated, here.Class,
			samePosition(here, p), positionText(here), func() error { _, err := rw.savePosition(ctx, p, false); return err }, &n, conflict); err != nil {
			return err
		}
	}
	for _, s := range r.Sitreps {
		if err := rw.applySitrep(ctx, s, &n, conflict); err != nil {
			return err
		}
	}
	if n.added+n.updated > 0 {
		if err := rw.touch(ctx); err != nil {
			return err
		}
	}
	res.Records = append(res.Records, fmt.Sprintf("%s %q: %d added, %d updated, %d unchanged, %d kept as they are here",
		inc.ID, shortTitle(inc.Title), n.added, n.updated, n.unchanged, n.kept))
	return nil
}

// applyMutable applies a call sheet row, action or position (see the rules above). here is
// the record here as read (err from reading it).
func (rw *recordWriter) applyMutable(ctx context.Context, kind, table, id, class string, created, updated time.Time,
	readErr error, hereIncident string, hereUpdated time.Time, hereClass string,
	same bool, hereText string, save func() error, n *recordCounts, conflict func(string, ...any)) error {
	ref := recordRef(kind, id, rw.incident.ID)
	switch {
	case errors.Is(readErr, sql.ErrNoRows):
		if err := save(); err != nil {
			return err
		}
		n.added++
		return rw.setTimes(ctx, table, id, created, updated)
	case readErr != nil:
		return readErr
	case hereIncident != rw.incident.ID:
		return fmt.Errorf("%w: %s is a record of incident %s here", ErrInvalid, ref, hereIncident)
	case same:
		n.unchanged++
		return nil
	case !updated.After(hereUpdated):
		n.kept++
		conflict("%s: the version here (changed %s) is newer than the pack's (changed %s): kept", ref,
			hereUpdated.Format(time.RFC3339), updated.Format(time.RFC3339))
		return nil
	}
	kept, err := rw.keepOnTimeline(ctx, kind, id, hereClass, hereUpdated, hereText)
	if err != nil {
		return err
	}
	if err := save(); err != nil {
		return err
	}
	n.updated++
	conflict("%s: updated to the pack's newer version; the version here is kept on the timeline (entry %s)", ref, kept)
	return rw.setTimes(ctx, table, id, created, updated)
}

// keepOnTimeline writes the version here of a record the pack replaces onto the
// incident's timeline, marked as it was; its ID follows from the version, so importing the
// same pack twice keeps it once.
func (rw *recordWriter) keepOnTimeline(ctx context.Context, kind, id, class string, updated time.Time, text string) (string, error) {
	sum := sha256.Sum256([]byte(kind + "\x00" + id + "\x00" + updated.UTC().Format(time.RFC3339Nano) + "\x00" + text))
	eid := "kept-" + hex.EncodeToString(sum[:10])
	if rw.exists(ctx, "incident_entries", eid) {
		return eid, nil
	}
	e := TimelineEntry{ID: eid, Type: EntryObservation, Class: class,
		Text: fmt.Sprintf("Kept at pack import: %s %s as it stood here (changed %s), before the pack's newer version replaced it: %s",
			kind, id, updated.UTC().Format("02 Jan 2006 15:04Z"), fitEntry(text))}
	if _, err := rw.addEntry(ctx, e, false); err != nil {
		return "", err
	}
	return eid, nil
}

// setTimes keeps the pack's Created and Updated on a record written from it.
func (w *itemWriter) setTimes(ctx context.Context, table, id string, created, updated time.Time) error {
	if created.IsZero() || updated.IsZero() {
		return nil
	}
	_, err := w.exec(ctx, "UPDATE "+table+" SET created = ?, updated = ? WHERE id = ?", toMillis(created), toMillis(updated), id)
	return err
}

// applyTimeline adds the entries not here, in an order in which every correction follows
// the entry it corrects; those here stay as they are.
func (rw *recordWriter) applyTimeline(ctx context.Context, entries []TimelineEntry, n *recordCounts) error {
	pending := slices.Clone(entries)
	for len(pending) > 0 {
		var later []TimelineEntry
		for _, e := range pending {
			var inc string
			err := rw.queryRow(ctx, "SELECT incident_id FROM incident_entries WHERE id = ?", e.ID).Scan(&inc)
			switch {
			case err == nil && inc != rw.incident.ID:
				return fmt.Errorf("%w: %s is an entry of incident %s here", ErrInvalid, recordRef("timeline entry", e.ID, rw.incident.ID), inc)
			case err == nil:
				n.unchanged++
				continue
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			if e.Corrects != "" && !rw.exists(ctx, "incident_entries", e.Corrects) && slices.ContainsFunc(pending, func(o TimelineEntry) bool { return o.ID == e.Corrects }) {
				later = append(later, e)
				continue
			}
			created := e.Created
			e.CorrectedBy = ""
			if _, err := rw.addEntry(ctx, e, false); err != nil {
				return err
			}
			n.added++
			if !created.IsZero() {
				if _, err := rw.exec(ctx, "UPDATE incident_entries SET created = ? WHERE id = ?", toMillis(created), e.ID); err != nil {
					return err
				}
			}
		}
		if len(later) == len(pending) {
			return fmt.Errorf("%w: the timeline entries of incident %s in the pack correct one another in a circle", ErrInvalid, rw.incident.ID)
		}
		pending = later
	}
	return nil
}

// applySitrep applies a situation report (see the rules above).
func (rw *recordWriter) applySitrep(ctx context.Context, s Sitrep, n *recordCounts, conflict func(string, ...any)) error {
	ref := recordRef("situation report", s.ID, rw.incident.ID) + " (" + s.Label() + ")"
	here, err := scanSitrep(rw.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE id = ?", s.ID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var other Sitrep
		other, err = scanSitrep(rw.queryRow(ctx, "SELECT "+sitrepColumns+" FROM incident_sitreps WHERE incident_id = ? AND number = ?", rw.incident.ID, s.Number))
		if err == nil {
			n.kept++
			conflict("%s: another report here has that number (%s), %s: kept, the pack's left out", ref, other.ID, sitrepState(other))
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	case err != nil:
		return err
	case here.Incident != rw.incident.ID:
		return fmt.Errorf("%w: %s is a report of incident %s here", ErrInvalid, ref, here.Incident)
	case here.IsIssued():
		if s.IsIssued() && s.SHA256 == here.SHA256 {
			n.unchanged++
			return nil
		}
		n.kept++
		conflict("%s: issued here on %s, never changes; the pack's %s differs: kept as it is here", ref,
			here.Issued.Format(time.RFC3339), sitrepState(s))
		return nil
	case !s.IsIssued():
		if SitrepHash(here) == SitrepHash(s) {
			n.unchanged++
			return nil
		}
		n.kept++
		conflict("%s: a draft here, and the pack's is another draft: the one here is kept", ref)
		return nil
	}
	issued, sum, created, updated := s.Issued, s.SHA256, s.Created, s.Updated
	s.Incident, s.Issued, s.SHA256 = rw.incident.ID, time.Time{}, ""
	if here.ID != "" { // a draft here becomes the pack's issued report
		s.Created = here.Created
		if SitrepHash(here) != SitrepHash(Sitrep{Incident: s.Incident, Number: s.Number, Amends: s.Amends, AsOf: s.AsOf, From: s.From,
			To: s.To, NextDue: s.NextDue, Class: s.Class, Sections: s.Sections}) {
			kept, err := rw.keepOnTimeline(ctx, "situation report", s.ID, here.Class, here.Updated, sitrepText(here))
			if err != nil {
				return err
			}
			conflict("%s: the draft here became the pack's issued report; the draft is kept on the timeline (entry %s)", ref, kept)
		}
	}
	saved, err := rw.saveSitrep(ctx, s)
	if err != nil {
		return err
	}
	if !issued.IsZero() {
		got, err := rw.issueSitrep(ctx, saved.ID, issued)
		if err != nil {
			return err
		}
		if sum != "" && got.SHA256 != sum {
			return fmt.Errorf("%w: %s does not match the SHA-256 it was issued with: altered", ErrDamaged, ref)
		}
	}
	if here.ID != "" {
		n.updated++
	} else {
		n.added++
	}
	return rw.setTimes(ctx, "incident_sitreps", s.ID, created, updated)
}

func sitrepState(s Sitrep) string {
	if s.IsIssued() {
		return "issued " + s.Issued.Format(time.RFC3339)
	}
	return "a draft"
}

func scanAction(row scanner) (IncidentAction, error) {
	var a IncidentAction
	var due, done sql.NullInt64
	var created, updated int64
	err := row.Scan(&a.ID, &a.Incident, &a.Text, &a.Owner, &due, &a.Zone, &a.Status, &done, &a.Class, &created, &updated)
	a.Due, a.Done, a.Created, a.Updated = fromNull(due), fromNull(done), fromMillis(created), fromMillis(updated)
	return a, err
}

// sameJSON compares two records as JSON.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func sameCall(a, b CallRow) bool {
	for _, r := range []*CallRow{&a, &b} {
		r.Incident, r.LastContact, r.Created, r.Updated = "", time.Time{}, time.Time{}, time.Time{}
		r.NextDue = utcMillis(r.NextDue)
	}
	return sameJSON(a, b)
}

func sameAction(a, b IncidentAction) bool {
	for _, r := range []*IncidentAction{&a, &b} {
		r.Incident, r.Created, r.Updated = "", time.Time{}, time.Time{}
		r.Due, r.Done = utcMillis(r.Due), utcMillis(r.Done)
	}
	return sameJSON(a, b)
}

func samePosition(a, b Position) bool {
	for _, r := range []*Position{&a, &b} {
		r.Incident, r.Created, r.Updated = "", time.Time{}, time.Time{}
		r.Stated = utcMillis(r.Stated)
	}
	return sameJSON(a, b)
}

func callText(r CallRow) string {
	t := fmt.Sprintf("%s (%s): %s", strings.Trim(r.Name+", "+r.Institution, ", "), r.Country, r.Status)
	for _, f := range []struct{ k, v string }{{"role", r.Role}, {"phone", r.Phone}, {"email", r.Email}, {"outcome", r.Outcome}, {"next action", r.NextAction}} {
		if f.v != "" {
			t += "; " + f.k + ": " + f.v
		}
	}
	return t
}

func actionText(a IncidentAction) string {
	t := a.Text
	if a.Owner != "" {
		t += " (" + a.Owner + ")"
	}
	t += ", " + a.Status
	if !a.Due.IsZero() {
		t += ", due " + a.DueLocal().Format("02 Jan 2006 15:04 MST")
	}
	return t
}

func positionText(p Position) string {
	t := p.Country + ": " + p.Text
	if src := strings.TrimSpace(p.Source + " " + p.Reliability); src != "" {
		t += " [" + src + "]"
	}
	return t
}

// sitrepText is a draft report as one text, for the timeline.
func sitrepText(s Sitrep) string {
	var b strings.Builder
	b.WriteString(s.Label())
	for _, sec := range s.Sections {
		b.WriteString(" | " + sec.Heading + ":")
		if sec.Text != "" {
			b.WriteString(" " + sec.Text)
		}
		for _, l := range sec.Lines {
			b.WriteString(" / " + l.Text)
		}
	}
	return b.String()
}

// fitEntry cuts a text to what a timeline entry holds, with room for a sentence before it.
func fitEntry(t string) string {
	if n := maxRecordText - 1000; len(t) > n {
		for n > 0 && !utf8.RuneStart(t[n]) {
			n--
		}
		t = t[:n] + " …"
	}
	return t
}
