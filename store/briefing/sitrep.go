package briefing

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Report is a situation report as the writers take it: what the store keeps of a report,
// each part carrying its marking, so that a release copy can leave out what is above its
// ceiling. ReportPack makes a Pack of it.
type Report struct {
	Number int
	// Incident is the incident's name, printed in the title; IncidentMarking is the
	// marking of that name (the incident item's own marking).
	Incident        string
	IncidentMarking string
	// Marking is the report's own marking: its own text (the officer's) is marked so.
	Marking string
	AsOf    time.Time
	From    time.Time // the period the report covers
	To      time.Time
	NextDue time.Time // zero when none is set
	Issued  time.Time // zero for a draft
	Hash    string    // the issued report's hash
	Parts   []ReportPart
}

// ReportPart is one section of a report: a fixed heading ("Significant events", "Contacts
// made"...), the officer's own text, and rows (timeline entries, call-sheet rows, actions,
// positions), each with its own marking.
type ReportPart struct {
	Heading string
	Text    string // Markdown, marked as the report
	Rows    []ReportRow
}

// ReportRow is one line of a part: plain text (never read as Markdown) and its marking.
type ReportRow struct {
	Text    string
	Marking string
}

// Name is the report's name: "SITREP 3 — Ossera depot spill".
func (r Report) Name() string {
	if r.Incident == "" {
		return fmt.Sprintf("SITREP %d", r.Number)
	}
	return fmt.Sprintf("SITREP %d — %s", r.Number, r.Incident)
}

// ReportTimeFormat is how a report prints times: in UTC, to the minute.
const ReportTimeFormat = "2006-01-02 15:04 UTC"

func reportTime(t time.Time) string { return t.UTC().Format(ReportTimeFormat) }

// ReportPack makes a pack of a situation report in the scheme classes (lowest first).
// With a ceiling it is a release copy: every row marked above it is left out, and listed on
// the cover by section number, heading (a report's headings are fixed words) and marking
// only, with how many entries; an incident whose name is marked above the ceiling is not
// named in the title. A report itself marked above the ceiling cannot be released (a
// *CeilingError naming the report), nor can a ceiling the scheme lacks. The banner is the
// highest marking of what the copy includes.
func ReportPack(r Report, classes []string, ceiling string) (*Pack, error) {
	rk := ranker(classes)
	name := r.Name()
	p := &Pack{Title: name, Date: r.AsOf}
	if p.Date.IsZero() {
		p.Date = time.Now()
	}
	top := rk.rank(r.Marking)
	limit := len(classes) // no ceiling: everything goes
	if c := strings.TrimSpace(ceiling); c != "" {
		c = strings.ToUpper(c)
		i := slices.Index(classes, c)
		if i < 0 {
			return nil, fmt.Errorf("%s: release ceiling %q is not a marking of the classification scheme (%s)", name, ceiling, strings.Join(classes, ", "))
		}
		limit, p.Ceiling = i, c
		if rk.rank(r.Marking) > limit {
			return nil, &CeilingError{What: "situation report", Title: name, Marking: rk.name(r.Marking), Ceiling: c}
		}
	}
	if r.Incident != "" {
		if rk.rank(r.IncidentMarking) > limit {
			p.Title = fmt.Sprintf("SITREP %d — incident name withheld (%s)", r.Number, rk.name(r.IncidentMarking))
		} else {
			top = max(top, rk.rank(r.IncidentMarking))
		}
	}
	if r.Incident != "" && rk.rank(r.IncidentMarking) <= limit {
		p.Fields = append(p.Fields, Field{"Incident", r.Incident})
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
	if r.Issued.IsZero() {
		p.Fields = append(p.Fields, Field{"Status", "DRAFT — not issued"})
	} else {
		st := "Issued " + reportTime(r.Issued)
		if r.Hash != "" {
			st += "; SHA-256 " + r.Hash
		}
		p.Fields = append(p.Fields, Field{"Status", st})
	}
	for n, part := range r.Parts {
		secTop := rk.rank(r.Marking)
		var body strings.Builder
		if t := strings.TrimSpace(part.Text); t != "" {
			body.WriteString(t + "\n\n")
		}
		withheld := map[int]int{} // rank → rows left out
		kept := 0
		for _, row := range part.Rows {
			rr := rk.rank(row.Marking)
			if rr > limit {
				withheld[rr]++
				continue
			}
			secTop = max(secTop, rr)
			body.WriteString("- " + mdEscape(oneLine(row.Text)))
			if rr > rk.rank(r.Marking) {
				body.WriteString(" *(" + rk.name(row.Marking) + ")*")
			}
			body.WriteString("\n")
			kept++
		}
		heading := part.Heading
		if heading == "" {
			heading = fmt.Sprintf("Section %d", n+1)
		}
		if len(withheld) > 0 {
			var what []string
			for _, rr := range slices.Backward(slices.Sorted(maps.Keys(withheld))) {
				what = append(what, fmt.Sprintf("%d %s (%s)", withheld[rr], plural(withheld[rr], "entry", "entries"), rk[rr]))
			}
			p.Withheld = append(p.Withheld, fmt.Sprintf("Section %d (%s): %s", n+1, heading, strings.Join(what, ", ")))
			if kept > 0 {
				body.WriteString("\n")
			}
			fmt.Fprintf(&body, "*%s withheld from this copy (above %s).*\n", capitalise(strings.Join(what, ", ")), p.Ceiling)
		} else if kept == 0 && strings.TrimSpace(part.Text) == "" {
			body.WriteString("*None.*\n")
		}
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

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
