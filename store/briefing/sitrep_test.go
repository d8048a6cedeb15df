package briefing_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/briefing"
	"chancery/store/importer"
	"chancery/store/storetest"
)

var scheme = []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}

const kestrel = "Operation Kestrel" // the text of the SECRET entry: it must leave in no release copy

// report is SITREP 3 of a spill: rows at every marking up to SECRET, enough of them to run
// over more than one page.
func report() briefing.Report {
	at := time.Date(2026, 11, 15, 14, 0, 0, 0, time.UTC)
	sig := []briefing.ReportRow{
		{Text: "2026-11-15 09:10 UTC — observation — Slick reached the Tanvi intake; intake closed.", Marking: "UNCLASSIFIED"},
		{Text: "2026-11-15 10:40 UTC — decision — Minister approves boom deployment *now*.", Marking: "RESTRICTED"},
		{Text: "2026-11-15 11:05 UTC — message received — " + kestrel + " confirms the operator's valve log was altered.", Marking: "SECRET"},
	}
	for i := range 40 {
		sig = append(sig, briefing.ReportRow{Text: fmt.Sprintf("2026-11-15 12:%02d UTC — observation — Sampling point %d reports sheen.", i, i+1), Marking: "UNCLASSIFIED"})
	}
	return briefing.Report{
		Number: 3, Incident: "Ossera depot spill", IncidentMarking: "RESTRICTED", Marking: "SECRET", // the highest line's, as the store keeps it
		AsOf: at, From: at.Add(-24 * time.Hour), To: at, NextDue: at.Add(12 * time.Hour),
		Parts: []briefing.ReportPart{
			{Heading: "Summary", Text: "The officer's view: " + kestrel + " matters most."},
			{Heading: "Significant events", Rows: sig},
			{Heading: "Contacts made", Text: "Calls down the river, in downstream order.", Rows: []briefing.ReportRow{
				{Text: "Togo — Ministry of Environment — Ms Afi Mensah — receipt confirmed", Marking: "RESTRICTED"},
				{Text: "Benin — " + kestrel + " liaison — reached", Marking: "SECRET"},
			}},
			{Heading: "Open requests"},
		},
	}
}

func TestReportPackFullCopy(t *testing.T) {
	p, err := briefing.ReportPack(report(), scheme, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "SITREP 3 — Ossera depot spill" || p.Marking != "SECRET" || p.Ceiling != "" || len(p.Withheld) != 0 {
		t.Errorf("full copy: title %q banner %s ceiling %q withheld %q", p.Title, p.Marking, p.Ceiling, p.Withheld)
	}
	if len(p.Sections) != 4 || p.Sections[1].Marking != "SECRET" || !strings.Contains(p.Sections[1].Body, kestrel) || !strings.Contains(p.Sections[0].Body, "The officer's view") {
		t.Fatalf("sections: %+v", p.Sections)
	}
	if !strings.Contains(p.Sections[1].Body, `\*now\*`) || !strings.Contains(p.Sections[1].Body, "boom deployment \\*now\\*. *(RESTRICTED)*") {
		t.Errorf("an entry's text is read as Markdown, or lacks its marking:\n%s", p.Sections[1].Body)
	}
	if !strings.Contains(p.Sections[3].Body, "None.") {
		t.Errorf("an empty part does not say so: %q", p.Sections[3].Body)
	}
	fields := map[string]string{}
	for _, f := range p.Fields {
		fields[f.Name] = f.Value
	}
	want := map[string]string{"As of": "2026-11-15 14:00 UTC", "Period": "2026-11-14 14:00 UTC to 2026-11-15 14:00 UTC", "Next report due": "2026-11-16 02:00 UTC", "Status": "DRAFT — not issued", "Incident": "Ossera depot spill"}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("cover %s = %q, want %q", k, fields[k], v)
		}
	}
	r := report()
	r.Issued, r.Hash = r.AsOf.Add(time.Minute), "ab12"
	p, err = briefing.ReportPack(r, scheme, "")
	if err != nil || p.Fields[len(p.Fields)-1].Value != "Issued 2026-11-15 14:01 UTC; SHA-256 ab12" {
		t.Errorf("issued report: %v %q", err, p.Fields)
	}
}

func TestReportPackReleaseCopy(t *testing.T) {
	p, err := briefing.ReportPack(report(), scheme, "restricted")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Section 1 (Summary): its text (SECRET)", "Section 2 (Significant events): 1 entry (SECRET)", "Section 3 (Contacts made): its text (SECRET), 1 entry (SECRET)"}
	if p.Marking != "RESTRICTED" || p.Ceiling != "RESTRICTED" || strings.Join(p.Withheld, "|") != strings.Join(want, "|") {
		t.Errorf("release copy: banner %s ceiling %s withheld %q", p.Marking, p.Ceiling, p.Withheld)
	}
	for _, s := range p.Sections {
		if strings.Contains(s.Body, kestrel) || strings.Contains(s.Body, "officer's view") || (s.Marking != "RESTRICTED" && s.Marking != "UNCLASSIFIED") {
			t.Errorf("section %q (%s) keeps what is above the ceiling:\n%s", s.Heading, s.Marking, s.Body)
		}
	}
	if !strings.Contains(p.Sections[1].Body, "Withheld from this copy, above RESTRICTED: 1 entry (SECRET).") || !strings.Contains(p.Sections[1].Body, "Tanvi intake") {
		t.Errorf("section 2 does not say what it left out, or lost the rest:\n%s", p.Sections[1].Body)
	}
	if p.Sections[0].Marking != "UNCLASSIFIED" || !strings.Contains(p.Sections[0].Body, "its text (SECRET)") {
		t.Errorf("summary in the release copy: %+v", p.Sections[0])
	}

	// An incident whose name is above the ceiling is not named.
	r := report()
	r.IncidentMarking = "CONFIDENTIAL"
	p, err = briefing.ReportPack(r, scheme, "RESTRICTED")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "SITREP 3 — incident name withheld (CONFIDENTIAL)" {
		t.Errorf("title %q", p.Title)
	}
	for _, f := range briefing.Formats {
		if text := packText(t, p, f); strings.Contains(text, "Ossera") || strings.Contains(text, kestrel) {
			t.Errorf("%s release copy names the CONFIDENTIAL incident or the SECRET entry", f)
		}
	}

	// A heading the officer wrote is marked as the report: above the ceiling, only its number.
	r = report()
	r.Parts[2].Heading = "Calls about " + kestrel
	p, err = briefing.ReportPack(r, scheme, "RESTRICTED")
	if err != nil {
		t.Fatal(err)
	}
	if p.Sections[2].Heading != "Section 3" || !strings.Contains(strings.Join(p.Withheld, "|"), "|Section 3: its text (SECRET), 1 entry (SECRET)") {
		t.Errorf("an officer's heading in a release copy: %q, withheld %q", p.Sections[2].Heading, p.Withheld)
	}
	if full, _ := briefing.ReportPack(r, scheme, ""); full.Sections[2].Heading != r.Parts[2].Heading {
		t.Errorf("the full copy lost the heading: %q", full.Sections[2].Heading)
	}

	// A ceiling the scheme lacks: refused, naming the report.
	if _, err := briefing.ReportPack(report(), scheme, "TOP SECRET"); err == nil || !strings.Contains(err.Error(), `SITREP 3 — Ossera depot spill: release ceiling "TOP SECRET"`) {
		t.Errorf("unknown ceiling: %v", err)
	}
}

// ExportReport is a release copy up to the lowest marking unless told, and refuses an
// unknown format before writing anything.
func TestExportReport(t *testing.T) {
	var b bytes.Buffer
	if _, err := briefing.ExportReport(report(), scheme, "odt", "SECRET", &b); err == nil || !strings.Contains(err.Error(), "SITREP 3") || b.Len() > 0 {
		t.Errorf("odt: %v, %d bytes", err, b.Len())
	}
	r := report()
	r.IncidentMarking = "UNCLASSIFIED"
	p, err := briefing.ExportReport(r, scheme, "md", "", &b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ceiling != "UNCLASSIFIED" || p.Marking != "UNCLASSIFIED" || strings.Contains(b.String(), "boom deployment") || !strings.Contains(b.String(), "Tanvi intake") {
		t.Errorf("default export: ceiling %s banner %s\n%.400s", p.Ceiling, p.Marking, b.String())
	}
}

// Every format carries the report's title, cover lines and the banner at the top and
// bottom of every page (the PDF through pdftotext and pdftoppm, the DOCX through
// LibreOffice), and the release copy's SECRET entry in none.
func TestReportRenders(t *testing.T) {
	p, err := briefing.ReportPack(report(), scheme, "RESTRICTED")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range briefing.Formats {
		text := packText(t, p, f)
		if strings.Contains(text, kestrel) || strings.Contains(text, "officer's view") {
			t.Errorf("%s: the SECRET entry's text is in the release copy", f)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"SITREP 3 — Ossera depot spill", "2026-11-15 14:00 UTC", "2026-11-16 02:00 UTC", "Section 2 (Significant events): 1 entry (SECRET)", "Slick reached the Tanvi intake"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s lacks %q", f, want)
			}
		}
	}
	md := packText(t, p, "md")
	if lines := strings.Split(strings.TrimSpace(md), "\n"); lines[0] != "**RESTRICTED**" || lines[len(lines)-1] != "**RESTRICTED**" {
		t.Errorf("Markdown does not start and end with the banner")
	}
	if h := packText(t, p, "html"); strings.Count(h, `class="banner" role=`) != 2 {
		t.Errorf("HTML lacks its two banners")
	}

	need(t, "pdftotext")
	need(t, "pdftoppm")
	path := writeOut(t, p, "pdf", "sitrep")
	pages := pdfPages(t, path)
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, pg := range pages {
		if strings.Count(pg, "RESTRICTED") < 2 || !strings.Contains(pg, fmt.Sprintf("Page %d of %d", i+1, len(pages))) {
			t.Errorf("PDF page %d lacks the banner at top and bottom or its number:\n%s", i+1, pg)
		}
	}
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-r", "40", "-png", path, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if pngs, _ := filepath.Glob(filepath.Join(dir, "p-*.png")); len(pngs) != len(pages) {
		t.Errorf("pdftoppm rendered %d pages of %d", len(pngs), len(pages))
	}

	need(t, "soffice")
	docx := writeOut(t, p, "docx", "sitrep")
	cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, docx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pages = pdfPages(t, filepath.Join(dir, "sitrep.pdf"))
	if len(pages) < 3 {
		t.Fatalf("LibreOffice made %d pages", len(pages))
	}
	for i, pg := range pages {
		if strings.Count(pg, "RESTRICTED") < 2 || !strings.Contains(pg, fmt.Sprintf("Page %d of %d", i+1, len(pages))) {
			t.Errorf("page %d of the converted DOCX lacks the banner at top and bottom or its number", i+1)
		}
		if strings.Contains(pg, kestrel) {
			t.Errorf("page %d of the converted DOCX has the SECRET entry", i+1)
		}
	}
	if all := strings.Join(strings.Fields(strings.Join(pages, " ")), " "); !strings.Contains(all, "SITREP 3 — Ossera depot spill") || !strings.Contains(all, "Significant events") {
		t.Errorf("converted DOCX lacks the title or a section")
	}
}

// The example incident's next report, drafted and issued in the store, exported at the
// lowest marking: the incident (RESTRICTED) is not named, no RESTRICTED line's text is in
// any format, every UNCLASSIFIED one is; at RESTRICTED everything is, under its banner.
func TestExportSitrepFromTheStore(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	if _, err := importer.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	const incident = "demo-incident-kassiba-spill"
	inc, err := db.Get(ctx, incident)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: incident, At: time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC),
		Type: store.EntryDecision, Text: "Booms ordered for the second line at Kpeme.", Significant: true, Class: "RESTRICTED"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: incident, At: time.Date(2026, 11, 12, 9, 30, 0, 0, time.UTC),
		Type: store.EntryObservation, Text: "Sheen seen at the Togo border gauge.", Significant: true, Class: "UNCLASSIFIED"}); err != nil {
		t.Fatal(err)
	}
	draft, err := db.DraftSitrep(ctx, incident, time.Date(2026, 11, 12, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.IssueSitrep(ctx, draft.ID, time.Date(2026, 11, 12, 12, 5, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var restricted []string
	open := 0
	for _, sec := range s.Sections {
		for _, l := range sec.Lines {
			if l.Class == "RESTRICTED" || (l.Class == "" && s.Class == "RESTRICTED") {
				restricted = append(restricted, l.Text)
			} else {
				open++
			}
		}
	}
	if len(restricted) == 0 || open == 0 {
		t.Fatalf("the drafted report has %d RESTRICTED and %d UNCLASSIFIED lines; the test wants both", len(restricted), open)
	}
	name := fmt.Sprintf("SITREP %d — %s", s.Number, inc.Title)
	for _, f := range briefing.Formats {
		var b bytes.Buffer
		p, err := briefing.ExportSitrep(ctx, db, s.ID, f, "", &b)
		if err != nil {
			t.Fatal(err)
		}
		if p.Ceiling != "UNCLASSIFIED" || p.Marking != "UNCLASSIFIED" || p.Title != fmt.Sprintf("SITREP %d — incident name withheld (RESTRICTED)", s.Number) {
			t.Errorf("%s: ceiling %s banner %s title %q", f, p.Ceiling, p.Marking, p.Title)
		}
		text := packText(t, p, f)
		flat := strings.Join(strings.Fields(text), " ")
		if strings.Contains(flat, inc.Title) || strings.Contains(flat, "Booms ordered") {
			t.Errorf("%s names the RESTRICTED incident, or has the RESTRICTED entry", f)
		}
		for _, l := range restricted {
			if strings.Contains(flat, l) || strings.Contains(text, l) {
				t.Errorf("%s has a RESTRICTED line: %q", f, l)
			}
		}
		if !strings.Contains(flat, "Sheen seen at the Togo border gauge.") || !strings.Contains(flat, "SHA-256 "+s.SHA256) {
			t.Errorf("%s lacks the UNCLASSIFIED entry or the report's hash", f)
		}
	}
	var b bytes.Buffer
	p, err := briefing.ExportSitrep(ctx, db, s.ID, "md", "RESTRICTED", &b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Marking != "RESTRICTED" || len(p.Withheld) != 0 || !strings.Contains(b.String(), name) || !strings.Contains(b.String(), "Booms ordered for the second line") {
		t.Errorf("RESTRICTED copy: banner %s withheld %q\n%.500s", p.Marking, p.Withheld, b.String())
	}
	if _, err := briefing.ExportSitrep(ctx, db, "no-such-report", "md", "", &b); err == nil || !strings.Contains(err.Error(), "no-such-report") {
		t.Errorf("a missing report: %v", err)
	}
}
