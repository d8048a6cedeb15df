package briefing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"chancery/store"
)

// Report is a situation report as the writers take it: what the store keeps of a report
// (store.Sitrep, read by ReportOf), each line carrying its marking, so that a release copy
// can leave out what is above its ceiling. ReportPack makes a Pack of it.
type Report struct {
	Number int
	// Incident is the incident's name, printed in the title; IncidentMarking is the
	// marking of that name (the incident item's marking).
	Incident        string
	IncidentMarking string
	// Marking is the marking of the report's own text (the officer's text in its
	// sections). The store keeps a report's marking at the highest of its lines, so the
	// officer's text is taken to be that high.
	Marking string
	AsOf    time.Time
	From    time.Time // the period the report covers
	To      time.Time
	NextDue time.Time // zero when none is set
	Issued  time.Time // zero for a draft
	Hash    string    // the issued report's SHA-256
	Amends  int       // the number of the report this one amends; 0 when none
	Parts   []ReportPart
}

// ReportPart is one section of a report: a fixed heading ("Significant events", "Contacts
// made"...), the officer's own text, and rows (timeline entries, call-sheet rows, actions,
// positions), each with its own marking.
type ReportPart struct {
	Heading string
	Text    string // Markdown, marked as the report (Report.Marking)
	Rows    []ReportRow
}

// ReportRow is one line of a part: plain text (never read as Markdown) and its marking
// (the report's when empty).
type ReportRow struct {
	Text    string
	Marking string
}

// Name is the report's name: "SITREP 3 — Kassiba spill".
func (r Report) Name() string {
	if r.Incident == "" {
		return fmt.Sprintf("SITREP %d", r.Number)
	}
	return fmt.Sprintf("SITREP %d — %s", r.Number, r.Incident)
}

// reportHeadings are the fixed headings the store drafts a report with: words, not content.
var reportHeadings = []string{store.SectionSummary, store.SectionEvents, store.SectionActionsDone,
	store.SectionActionsPlan, store.SectionContacts, store.SectionPositions, store.SectionRequests}

// ReportTimeFormat is how a report prints times: in UTC, to the minute.
const ReportTimeFormat = "2006-01-02 15:04 UTC"

func reportTime(t time.Time) string { return t.UTC().Format(ReportTimeFormat) }

// ReportPack makes a pack of a situation report in the scheme classes (lowest first):
// "SITREP 3 — <incident>", as of, period, next due and status on the cover, one section
// per part. With a ceiling it is a release copy: every row above the ceiling is left out,
// and so is the officer's text of a report marked above it; each part says in place what
// it left out, and the cover lists it by section number, the part's fixed heading and
// marking only ("Section 2 (Significant events): 1 entry (SECRET)"), never by content (a
// heading the officer wrote in a report above the ceiling gives way to the number). An
// incident whose name is marked above the ceiling is not named ("incident name withheld
// (SECRET)"). A ceiling the scheme lacks is an error naming the report. The banner is the
// highest marking of what the copy includes.
func ReportPack(r Report, classes []string, ceiling string) (*Pack, error) {
	rk := ranker(classes)
	name := r.Name()
	p := &Pack{Title: name, Date: r.AsOf}
	if p.Date.IsZero() {
		p.Date = time.Now()
	}
	limit := len(classes) // no ceiling: everything goes
	if c := strings.TrimSpace(ceiling); c != "" {
		c = strings.ToUpper(c)
		i := slices.Index(classes, c)
		if i < 0 {
			return nil, fmt.Errorf("%s: release ceiling %q is not a marking of the classification scheme (%s)", name, ceiling, strings.Join(classes, ", "))
		}
		limit, p.Ceiling = i, c
	}
	top := 0
	if r.Incident != "" {
		if ir := rk.rank(r.IncidentMarking); ir > limit {
			p.Title = fmt.Sprintf("SITREP %d — incident name withheld (%s)", r.Number, rk.name(r.IncidentMarking))
		} else {
			top = max(top, ir)
			p.Fields = append(p.Fields, Field{"Incident", r.Incident})
		}
	}
	p.Fields = append(p.Fields, Field{"As of", reportTime(r.AsOf)})
	if !r.From.IsZero() || !r.To.IsZero() {
		p.Fields = append(p.Fields, Field{"Period", reportTime(r.From) + " to " + reportTime(r.To)})
	}
	next := "not set"
	if !r.NextDue.IsZero() {
		next = reportTime(r.NextDue)
	}
	p.Fields = append(p.Fields, Field{"Next report due", next})
	if r.Amends > 0 {
		p.Fields = append(p.Fields, Field{"Amends", fmt.Sprintf("SITREP %d", r.Amends)})
	}
	if r.Issued.IsZero() {
		p.Fields = append(p.Fields, Field{"Status", "DRAFT — not issued"})
	} else {
		st := "Issued " + reportTime(r.Issued)
		if r.Hash != "" {
			st += "; SHA-256 " + r.Hash
		}
		p.Fields = append(p.Fields, Field{"Status", st})
	}
	own := rk.rank(r.Marking)
	for n, part := range r.Parts {
		heading := part.Heading
		// A heading the officer wrote is marked as the report: above the ceiling, the
		// section goes by its number.
		if heading == "" || (own > limit && !slices.Contains(reportHeadings, heading)) {
			heading = fmt.Sprintf("Section %d", n+1)
		}
		secTop := -1
		var body strings.Builder
		var left []string // what this part left out, in words
		text := strings.TrimSpace(part.Text)
		switch {
		case text != "" && own > limit:
			left = append(left, fmt.Sprintf("its text (%s)", rk[own]))
		case text != "":
			body.WriteString(text + "\n\n")
			secTop = own
		}
		withheld := map[int]int{} // rank → rows left out
		kept := 0
		for _, row := range part.Rows {
			rr := own
			if row.Marking != "" {
				rr = rk.rank(row.Marking)
			}
			if rr > limit {
				withheld[rr]++
				continue
			}
			secTop = max(secTop, rr)
			body.WriteString("- " + mdEscape(oneLine(row.Text)))
			if len(rk) > 0 && rr > 0 {
				body.WriteString(" *(" + rk[rr] + ")*")
			}
			body.WriteString("\n")
			kept++
		}
		for _, rr := range slices.Backward(slices.Sorted(maps.Keys(withheld))) {
			left = append(left, fmt.Sprintf("%d %s (%s)", withheld[rr], plural(withheld[rr], "entry", "entries"), rk[rr]))
		}
		if len(left) > 0 {
			what := strings.Join(left, ", ")
			where := fmt.Sprintf("Section %d", n+1)
			if heading != where {
				where += " (" + heading + ")"
			}
			p.Withheld = append(p.Withheld, where+": "+what)
			if kept > 0 {
				body.WriteString("\n")
			}
			fmt.Fprintf(&body, "*Withheld from this copy, above %s: %s.*\n", p.Ceiling, what)
		} else if kept == 0 && text == "" {
			body.WriteString("*None.*\n")
		}
		secTop = max(secTop, 0)
		top = max(top, secTop)
		p.Sections = append(p.Sections, Section{Heading: heading, Marking: rk.nameAt(secTop), Body: body.String()})
	}
	p.Marking = rk.nameAt(top)
	return p, nil
}

// ExportReport writes a release copy of the report to w in a format of Formats, up to
// ceiling or, when that is empty, the scheme's lowest marking (callers pass the policy's
// export ceiling). An unknown format is refused before anything is written.
func ExportReport(r Report, classes []string, format, ceiling string, w io.Writer) (*Pack, error) {
	if !slices.Contains(Formats, strings.ToLower(strings.TrimPrefix(format, "."))) {
		return nil, fmt.Errorf("%s cannot be written as %q; the formats are %s", r.Name(), format, strings.Join(Formats, ", "))
	}
	if strings.TrimSpace(ceiling) == "" {
		if len(classes) == 0 {
			return nil, errors.New("briefing: the knowledge base has no classification scheme to export under")
		}
		ceiling = classes[0]
	}
	p, err := ReportPack(r, classes, ceiling)
	if err != nil {
		return nil, err
	}
	if err := p.Write(w, format); err != nil {
		return nil, err
	}
	return p, nil
}

// ReportOf is the report s of incident inc as the writers take it; amends is the number
// of the report s amends (0 when none).
func ReportOf(s store.Sitrep, inc store.Item, amends int) Report {
	r := Report{Number: s.Number, Incident: inc.Title, IncidentMarking: inc.Class, Marking: s.Class,
		AsOf: s.AsOf, From: s.From, To: s.To, NextDue: s.NextDue, Issued: s.Issued, Hash: s.SHA256, Amends: amends}
	for _, sec := range s.Sections {
		part := ReportPart{Heading: sec.Heading, Text: sec.Text}
		for _, l := range sec.Lines {
			part.Rows = append(part.Rows, ReportRow{Text: l.Text, Marking: l.Class})
		}
		r.Parts = append(r.Parts, part)
	}
	return r
}

// ExportSitrep writes a release copy of the situation report with ID id (see
// ExportReport), read from db with its incident.
func ExportSitrep(ctx context.Context, db *store.DB, id, format, ceiling string, w io.Writer) (*Pack, error) {
	s, err := db.GetSitrep(ctx, id)
	if err != nil {
		return nil, err
	}
	inc, err := db.Get(ctx, s.Incident)
	if err != nil {
		return nil, fmt.Errorf("%s: its incident: %w", s.Label(), err)
	}
	amends := 0
	if s.Amends != "" {
		if a, err := db.GetSitrep(ctx, s.Amends); err == nil {
			amends = a.Number
		}
	}
	classes, err := db.Classes(ctx)
	if err != nil {
		return nil, err
	}
	return ExportReport(ReportOf(s, inc, amends), classes, format, ceiling, w)
}

// nameAt is the marking of rank i.
func (r rankFunc) nameAt(i int) string {
	if i < 0 || i >= len(r) {
		return ""
	}
	return r[i]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
