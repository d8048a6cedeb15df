package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"chancery/store"
	"chancery/store/briefing"
)

// The incident commands: the incident workspace (issue 13) headless. An incident is named
// by its ID or by a unique prefix of its name (or of a word of it); everything they write
// goes through the store's incident API, which refuses bad input whole, naming the item.

func incidentCmd(dataDir *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "Incidents: list, show, add to the timeline, log calls, draft, issue and export situation reports",
		Long: `Work on an incident headless, as the incident workspace does in the window.

An incident is named by its ID or by a unique prefix of its name, or of a word of its
name ("kassiba", "ossera"); "chancery incident list" shows them.`,
		Args: cobra.NoArgs,
	}
	sitrep := &cobra.Command{
		Use:   "sitrep",
		Short: "Draft, issue and export an incident's situation reports",
		Args:  cobra.NoArgs,
	}
	sitrep.AddCommand(sitrepDraftCmd(dataDir), sitrepIssueCmd(dataDir), sitrepExportCmd(dataDir))
	timeline := &cobra.Command{
		Use:   "timeline",
		Short: "Add to an incident's timeline",
		Args:  cobra.NoArgs,
	}
	timeline.AddCommand(timelineAddCmd(dataDir))
	cmd.AddCommand(incidentListCmd(dataDir), incidentShowCmd(dataDir), timeline, incidentCallCmd(dataDir), sitrep)
	return cmd
}

// utc is how the incident commands print an instant.
func utc(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(briefing.ReportTimeFormat)
}

// findIncident is the live incident named by ref: its ID, else the one incident whose
// name starts with ref, else the one with a word starting with ref (case ignored).
func findIncident(ctx context.Context, db *store.DB, ref string) (store.Item, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return store.Item{}, errors.New("name an incident by its ID or the start of its name")
	}
	it, err := db.Get(ctx, ref)
	switch {
	case err == nil && it.Kind == store.KindIncident:
		if it.Deleted != nil {
			return store.Item{}, fmt.Errorf("incident %s (%q) is in the trash; restore it first", it.ID, it.Title)
		}
		return it, nil
	case err == nil:
		return store.Item{}, fmt.Errorf("%s (%q) is a %s, not an incident", it.ID, it.Title, it.Kind)
	case !errors.Is(err, store.ErrNotFound):
		return store.Item{}, err
	}
	all, err := db.Incidents(ctx, "")
	if err != nil {
		return store.Item{}, err
	}
	low := strings.ToLower(ref)
	for _, match := range []func(title string) bool{
		func(title string) bool { return strings.HasPrefix(strings.ToLower(title), low) },
		func(title string) bool {
			for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
				return r == ' ' || r == ':' || r == '(' || r == ')' || r == ',' || r == '—' || r == '-'
			}) {
				if strings.HasPrefix(w, low) {
					return true
				}
			}
			return false
		},
	} {
		var found []store.Item
		for _, it := range all {
			if match(it.Title) {
				found = append(found, it)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		default:
			var names []string
			for _, it := range found {
				names = append(names, fmt.Sprintf("%s (%q)", it.ID, it.Title))
			}
			return store.Item{}, fmt.Errorf("%q names %d incidents: %s; give more of the name, or the ID", ref, len(found), strings.Join(names, ", "))
		}
	}
	return store.Item{}, fmt.Errorf("no incident %q (by ID or name); \"chancery incident list\" shows them", ref)
}

func incidentListCmd(dataDir *string) *cobra.Command {
	var country string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the incidents: ID, marking, status, zero hour, name and affected countries",
		Long: `List the live incidents, active ones first, then closed ones, the latest first: ID,
marking, status, zero hour (UTC), name, and the affected countries in downstream order.`,
		Args: cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			items, err := kb.db.Incidents(ctx, country)
			if err != nil {
				return err
			}
			for _, it := range items {
				inc := it.Incident
				status := inc.Status
				if inc.Exercise {
					status += " (exercise)"
				}
				fmt.Printf("%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Class, status, utc(inc.ZeroHour), it.Title, strings.Join(inc.Affected, " → "))
			}
			fmt.Printf("%d %s\n", len(items), plural(len(items), "incident"))
			return nil
		}),
	}
	cmd.Flags().StringVar(&country, "country", "", "only the incidents of this country (a code or a name)")
	return cmd
}

func incidentShowCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "show INCIDENT",
		Short: "Show an incident: its fields, timeline, call sheet, actions, positions and situation reports",
		Args:  cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			recs, err := kb.db.Records(ctx, it.ID)
			if err != nil {
				return err
			}
			printIncident(os.Stdout, it, recs, time.Now())
			return nil
		}),
	}
}

// printIncident writes what incident show prints.
func printIncident(w io.Writer, it store.Item, r store.IncidentRecords, now time.Time) {
	inc := it.Incident
	fmt.Fprintf(w, "%s\n", it.Title)
	head := []string{"id " + it.ID, it.Class, inc.Status}
	if inc.Exercise {
		head = append(head, "EXERCISE")
	}
	if inc.Type != "" {
		head = append(head, inc.Type)
	}
	if inc.Severity != "" {
		head = append(head, "severity "+inc.Severity)
	}
	fmt.Fprintln(w, strings.Join(head, " · "))
	field := func(name, v string) {
		if strings.TrimSpace(v) != "" {
			fmt.Fprintf(w, "%-18s %s\n", name+":", v)
		}
	}
	field("zero hour", utc(inc.ZeroHour))
	if !inc.Active() {
		field("closed", utc(inc.Closed))
	}
	field("place", inc.Place)
	var affected []string
	for _, c := range inc.Affected {
		if k, ok := store.LookupCountry(c); ok {
			affected = append(affected, k.Name)
		} else {
			affected = append(affected, c)
		}
	}
	field("affected", strings.Join(affected, " → "))
	field("lead", strings.Join(nonBlank(inc.Lead, inc.LeadOrg), ", "))
	if !inc.PeriodStart.IsZero() {
		field("period", utc(inc.PeriodStart)+" to "+utc(inc.PeriodEnd))
	}

	significant := 0
	for _, e := range r.Timeline {
		if e.Significant {
			significant++
		}
	}
	fmt.Fprintf(w, "\nTimeline: %d %s, %d significant (*)\n", len(r.Timeline), entries(len(r.Timeline)), significant)
	for _, e := range r.Timeline {
		mark := " "
		if e.Significant {
			mark = "*"
		}
		text := e.Text
		if e.Corrected() {
			text += " [corrected by " + e.CorrectedBy + "]"
		}
		if e.Corrects != "" {
			text += " [corrects " + e.Corrects + "]"
		}
		fmt.Fprintf(w, "  %s %s %-16s %s  (%s, %s)\n", utc(e.At), mark, e.Type, text, e.Class, e.ID)
	}

	fmt.Fprintf(w, "\nCall sheet: %d %s — %s\n", len(r.CallSheet), plural(len(r.CallSheet), "row"), store.CallSheetNotice)
	for i, c := range r.CallSheet {
		who := strings.Join(nonBlank(c.Name, c.Institution, c.Role), ", ")
		reach := strings.Join(nonBlank(c.Phone, c.Email), " · ")
		local := c.LocalTime(now).Format("15:04 MST")
		fmt.Fprintf(w, "  %2d. %s  %s  %s  (local %s)\n", i+1, c.Country, who, reach, local)
		line := "      " + c.Status
		if !c.LastContact.IsZero() {
			line += " · last contact " + utc(c.LastContact)
		}
		if c.Outcome != "" {
			line += " · " + c.Outcome
		}
		if c.NextAction != "" {
			line += " · next: " + c.NextAction
			if !c.NextDue.IsZero() {
				line += " (due " + utc(c.NextDue) + ")"
			}
		}
		fmt.Fprintf(w, "%s  (%s, row %s)\n", line, c.Class, c.ID)
	}

	overdue := store.Overdue(r.Actions, now)
	fmt.Fprintf(w, "\nActions: %d, %d overdue\n", len(r.Actions), len(overdue))
	for _, a := range r.Actions {
		line := fmt.Sprintf("  [%s] %s", a.Status, a.Text)
		if a.Owner != "" {
			line += " — " + a.Owner
		}
		if !a.Due.IsZero() {
			line += " — due " + a.DueLocal().Format("2006-01-02 15:04 MST")
		}
		if a.Overdue(now) {
			line += " — OVERDUE"
		}
		fmt.Fprintf(w, "%s  (%s)\n", line, a.Class)
	}

	fmt.Fprintf(w, "\nPositions: %d\n", len(r.Positions))
	for _, p := range r.Positions {
		name := p.Country
		if k, ok := store.LookupCountry(p.Country); ok {
			name = k.Name
		}
		stated := ""
		if !p.Stated.IsZero() {
			stated = " (" + store.FormatDate(p.Stated) + ")"
		}
		src := strings.Join(nonBlank(p.Source, p.Reliability), " ")
		if src != "" {
			src = " [" + src + "]"
		}
		fmt.Fprintf(w, "  %s%s: %s%s  (%s)\n", name, stated, p.Text, src, p.Class)
	}

	fmt.Fprintf(w, "\nSituation reports: %d\n", len(r.Sitreps))
	for _, s := range r.Sitreps {
		fmt.Fprintln(w, "  "+sitrepLine(s))
	}
}

// sitrepLine is a report in one line: "SITREP 2  issued 2026-11-10 12:00 UTC  as of ...".
func sitrepLine(s store.Sitrep) string {
	state := "draft"
	if s.IsIssued() {
		state = "issued " + utc(s.Issued)
	}
	line := fmt.Sprintf("%s  %s  as of %s  next due %s  %s", s.Label(), state, utc(s.AsOf), utc(s.NextDue), s.Class)
	if s.SHA256 != "" {
		line += "  sha256 " + s.SHA256
	}
	return line
}

func nonBlank(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func timelineAddCmd(dataDir *string) *cobra.Command {
	var typ, at, class, source, reliability string
	var significant bool
	cmd := &cobra.Command{
		Use:   "add INCIDENT TEXT...",
		Short: "Add an entry to an incident's timeline",
		Long: `Add an entry to an incident's timeline: now, or --at a time (RFC 3339, "2026-11-12T09:30:00Z";
stored in UTC), of a --type (` + strings.Join(store.EntryTypes, ", ") + `; default event).
--significant puts it in the next situation report. Entries are never edited: a correction is
a new entry.`,
		Example: `  chancery incident timeline add kassiba --type observation --significant "Sheen at the Togo border gauge"`,
		Args:    cobra.MinimumNArgs(2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			e := store.TimelineEntry{Incident: it.ID, Type: typ, Text: strings.Join(args[1:], " "), Significant: significant,
				Class: class, Source: source, Reliability: reliability}
			if at != "" {
				if e.At, err = time.Parse(time.RFC3339, at); err != nil {
					return fmt.Errorf("--at %q is not a time such as 2026-11-12T09:30:00Z (RFC 3339)", at)
				}
			}
			if e, err = kb.db.AddEntry(ctx, e); err != nil {
				return err
			}
			sig := ""
			if e.Significant {
				sig = ", significant"
			}
			fmt.Printf("added to the timeline of %q: %s %s%s (%s): %s [entry %s]\n", it.Title, utc(e.At), e.Type, sig, e.Class, e.Text, e.ID)
			return kb.waitIndexed(ctx)
		}),
	}
	cmd.Flags().StringVar(&typ, "type", store.EntryEvent, "the entry's type: "+strings.Join(store.EntryTypes, ", "))
	cmd.Flags().StringVar(&at, "at", "", "when it happened (RFC 3339; default now)")
	cmd.Flags().BoolVar(&significant, "significant", false, "put it in the next situation report")
	cmd.Flags().StringVar(&class, "class", "", "its marking (default: the default marking)")
	cmd.Flags().StringVar(&source, "source", "", "where it comes from")
	cmd.Flags().StringVar(&reliability, "reliability", "", "the source's reliability grade (B2)")
	return cmd
}

// findCallRow is the row of the sheet named by ref: its number as show prints it, its ID,
// or the one row whose counterpart's name starts with ref (or has a word that does).
func findCallRow(it store.Item, rows []store.CallRow, ref string) (store.CallRow, error) {
	if n, err := strconv.Atoi(ref); err == nil {
		if n < 1 || n > len(rows) {
			return store.CallRow{}, fmt.Errorf("the call sheet of %q has rows 1 to %d, no row %d", it.Title, len(rows), n)
		}
		return rows[n-1], nil
	}
	for _, r := range rows {
		if r.ID == ref {
			return r, nil
		}
	}
	low := strings.ToLower(ref)
	var found []store.CallRow
	for _, r := range rows {
		for _, w := range strings.Fields(strings.ToLower(r.Name)) {
			if strings.HasPrefix(w, low) || strings.HasPrefix(strings.ToLower(r.Name), low) {
				found = append(found, r)
				break
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return store.CallRow{}, fmt.Errorf("no row %q on the call sheet of %q (give a row number, a row ID or a counterpart's name)", ref, it.Title)
	}
	var names []string
	for _, r := range found {
		names = append(names, r.Name)
	}
	return store.CallRow{}, fmt.Errorf("%q names %d rows of the call sheet of %q: %s; give the row number", ref, len(found), it.Title, strings.Join(names, ", "))
}

func incidentCallCmd(dataDir *string) *cobra.Command {
	var status, next, due string
	var significant bool
	cmd := &cobra.Command{
		Use:   "call INCIDENT ROW --status STATUS TEXT...",
		Short: "Log a call on a call sheet row: a timeline entry, the row's status and outcome, the contact's last contact",
		Long: `Log a call to the counterpart on a row of an incident's call sheet. ROW is the row's number
as "chancery incident show" prints it, its ID, or the counterpart's name (a unique start of
it). --status is the status the call reached: ` + strings.Join(store.CallStatuses[1:], ", ") + `.
The call becomes a timeline entry; the row takes the status (when further along) and the
text as its outcome; the contact's last contact becomes now. A call on a row whose contact
is in the trash is refused, and nothing changes.`,
		Example: `  chancery incident call kassiba 2 --status "receipt confirmed" "Duty officer confirms receipt of the notification"`,
		Args:    cobra.MinimumNArgs(2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			if st := strings.ToLower(strings.TrimSpace(status)); !slices.Contains(store.CallStatuses[1:], st) {
				return fmt.Errorf("say what the call reached with --status (%s), not %q", strings.Join(store.CallStatuses[1:], ", "), status)
			}
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			rows, err := kb.db.CallSheet(ctx, it.ID)
			if err != nil {
				return err
			}
			row, err := findCallRow(it, rows, args[1])
			if err != nil {
				return err
			}
			c := store.CallLog{Incident: it.ID, Row: row.ID, Status: status, Text: strings.Join(args[2:], " "), NextAction: next, Significant: significant}
			if due != "" {
				if c.NextDue, err = time.Parse(time.RFC3339, due); err != nil {
					return fmt.Errorf("--due %q is not a time such as 2026-11-12T18:00:00Z (RFC 3339)", due)
				}
			}
			e, err := kb.db.LogCallWith(ctx, c)
			if err != nil {
				return err
			}
			after, err := kb.db.CallSheet(ctx, it.ID)
			if err != nil {
				return err
			}
			now := row
			for _, r := range after {
				if r.ID == row.ID {
					now = r
				}
			}
			fmt.Printf("logged a call on row %s of %q: %s\n", args[1], it.Title, e.Text)
			fmt.Printf("row %s (%s, %s) now reads: %s; last contact %s [entry %s]\n", row.ID, row.Name, row.Country, now.Status, utc(now.LastContact), e.ID)
			return kb.waitIndexed(ctx)
		}),
	}
	cmd.Flags().StringVar(&status, "status", "", "what the call reached: "+strings.Join(store.CallStatuses[1:], ", "))
	cmd.Flags().StringVar(&next, "next", "", "the next action on this row (replaces the row's)")
	cmd.Flags().StringVar(&due, "due", "", "when the next action is due (RFC 3339)")
	cmd.Flags().BoolVar(&significant, "significant", false, "put the call in the next situation report")
	return cmd
}

func sitrepDraftCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "draft INCIDENT",
		Short: "Draft the next situation report from what changed since the last one issued",
		Long: `Draft the next situation report of an incident as of now, from what changed since the last
one issued: the significant timeline entries, actions taken and planned, contacts made,
positions and open requests. A pending draft is drafted again in place, keeping its number.
It stays a draft until "chancery incident sitrep issue".`,
		Args: cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			s, err := kb.db.DraftSitrep(ctx, it.ID, time.Now())
			if err != nil {
				return err
			}
			fmt.Printf("drafted %s of %q: as of %s, covering %s to %s, next due %s; marked %s\n", s.Label(), it.Title, utc(s.AsOf), utc(s.From), utc(s.To), utc(s.NextDue), s.Class)
			for _, sec := range s.Sections {
				fmt.Printf("\n%s (%d)\n", sec.Heading, len(sec.Lines))
				for _, l := range sec.Lines {
					fmt.Printf("  - %s  (%s)\n", l.Text, cmpOr(l.Class, s.Class))
				}
			}
			fmt.Printf("\nissue it with: chancery incident sitrep issue %s %d\n", it.ID, s.Number)
			return kb.waitIndexed(ctx)
		}),
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// findSitrep is report number n (as given on the command line) of the incident.
func findSitrep(ctx context.Context, db *store.DB, it store.Item, n string) (store.Sitrep, error) {
	num, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(n)), "SITREP"))
	if err != nil || num < 1 {
		return store.Sitrep{}, fmt.Errorf("%q is not a situation report number (1, 2, ...)", n)
	}
	all, err := db.Sitreps(ctx, it.ID)
	if err != nil {
		return store.Sitrep{}, err
	}
	i := slices.IndexFunc(all, func(s store.Sitrep) bool { return s.Number == num })
	if i < 0 {
		have := "none yet"
		if len(all) > 0 {
			have = fmt.Sprintf("1 to %d", all[len(all)-1].Number)
		}
		return store.Sitrep{}, fmt.Errorf("%q has no SITREP %d (it has %s; draft the next with \"chancery incident sitrep draft\")", it.Title, num, have)
	}
	return all[i], nil
}

func sitrepIssueCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "issue INCIDENT N",
		Short: "Issue situation report N: it is frozen from then on and its SHA-256 recorded",
		Long: `Issue a drafted situation report: it never changes again (an amendment is a new number),
and the SHA-256 of its content is recorded. A report issued already is refused, and nothing
changes.`,
		Args: cobra.ExactArgs(2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			s, err := findSitrep(ctx, kb.db, it, args[1])
			if err != nil {
				return err
			}
			if s.IsIssued() {
				return fmt.Errorf("%s of %q was issued already, on %s (sha256 %s); an issued report never changes: an amendment is a new number", s.Label(), it.Title, utc(s.Issued), s.SHA256)
			}
			if s, err = kb.db.IssueSitrep(ctx, s.ID, time.Now()); err != nil {
				return err
			}
			fmt.Printf("issued %s of %q at %s; marked %s; sha256 %s\n", s.Label(), it.Title, utc(s.Issued), s.Class, s.SHA256)
			return kb.waitIndexed(ctx)
		}),
	}
}

func sitrepExportCmd(dataDir *string) *cobra.Command {
	var format, ceiling, out string
	cmd := &cobra.Command{
		Use:   "export INCIDENT N --format pdf|docx|html|md --out FILE",
		Short: "Export situation report N as PDF, DOCX, HTML or Markdown, with its classification banners",
		Long: `Export a situation report through the briefing writers: "SITREP N — <incident>", as of,
period, next due and status (with the issued report's SHA-256) on the cover, its sections,
and the classification banner (the highest marking included) at the top and bottom of every
page.

Every export is a release copy up to a ceiling: --ceiling, else the administrator's
export_ceiling, else the lowest marking; a ceiling above the policy's is refused. Lines
marked above the ceiling are left out (and the officer's text of a report marked above it,
and the incident's name when it is), each section says so, and the cover lists them by
section and marking only. The file is readable by you only. The format is taken from
--format, or else from the file's extension.`,
		Example: "  chancery incident sitrep export kassiba 3 --format pdf --out sitrep3.pdf\n" +
			"  chancery incident sitrep export kassiba 3 --ceiling RESTRICTED --out sitrep3.docx",
		Args: cobra.ExactArgs(2),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			f := strings.ToLower(strings.TrimPrefix(format, "."))
			if f == "" {
				f = strings.ToLower(strings.TrimPrefix(filepath.Ext(out), "."))
			}
			if !slices.Contains(briefing.Formats, f) {
				return fmt.Errorf("say which format to export with --format (%s), or give the file one of those extensions", strings.Join(briefing.Formats, ", "))
			}
			it, err := findIncident(ctx, kb.db, args[0])
			if err != nil {
				return err
			}
			s, err := findSitrep(ctx, kb.db, it, args[1])
			if err != nil {
				return err
			}
			var b bytes.Buffer
			p, err := exportSitrep(ctx, kb, s.ID, f, ceiling, &b)
			if err != nil {
				return err
			}
			if err := writeOwnerOnly(out, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
				return fmt.Errorf("save %s of %q: %w", s.Label(), it.Title, err)
			}
			if err := kb.auditExport(ctx, out, sitrepExportEvent(s, p, f, out)); err != nil {
				return err
			}
			for _, n := range p.Notices {
				fmt.Fprintln(os.Stderr, "note:", n)
			}
			state := "draft"
			if s.IsIssued() {
				state = "issued"
			}
			fmt.Printf("exported %q (%s, %s; release copy up to %s, %d %s withheld) to %s\n", p.Title, state, p.Marking, p.Ceiling, len(p.Withheld), plural(len(p.Withheld), "part"), out)
			if len(p.Withheld) > 0 {
				fmt.Printf("withheld: %s\n", strings.Join(p.Withheld, "; "))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&format, "format", "", "pdf, docx, html or md (default: the file's extension)")
	cmd.Flags().StringVar(&ceiling, "ceiling", "", "leave out what is marked above this marking (default: the policy's export_ceiling, else the lowest marking)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "the file to write")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func entries(n int) string {
	if n == 1 {
		return "entry"
	}
	return "entries"
}

// exportSitrep writes situation report id in format to w as a release copy up to ceiling
// (the policy's export_ceiling, else the lowest marking, when empty); a ceiling above the
// policy's is refused naming the report. The window's export of a report can take it as
// it is (as gui.go's exportBriefing for briefings).
func exportSitrep(ctx context.Context, kb *knowledgeBase, id, format, ceiling string, w io.Writer) (*briefing.Pack, error) {
	s, err := kb.db.GetSitrep(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := kb.exportCeiling(ctx, ceiling)
	if err != nil {
		name := s.Label()
		if it, gerr := kb.db.Get(ctx, s.Incident); gerr == nil {
			name += fmt.Sprintf(" of %q", it.Title)
		}
		return nil, fmt.Errorf("%s cannot be exported: %w", name, err)
	}
	return briefing.ExportSitrep(ctx, kb.db, id, format, c, w)
}

// sitrepExportEvent is the audit trail's record of a situation report written to a file
// (to is the file, or "" from the window).
func sitrepExportEvent(s store.Sitrep, p *briefing.Pack, format, to string) store.AuditEvent {
	where := "from the window"
	if to != "" {
		where = "to " + to
	}
	return store.AuditEvent{Action: store.AuditExport, Subject: s.ID, Marking: p.Ceiling,
		Detail: fmt.Sprintf("situation report %q (%s) as %s %s, release copy up to %s, %d withheld", p.Title, p.Marking, format, where, p.Ceiling, len(p.Withheld))}
}
