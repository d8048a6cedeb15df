package briefing_test

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/store/briefing"
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
		sig = append(sig, briefing.ReportRow{Text: fmt.Sprintf("2026-11-15 12:%02d UTC — observation — Sampling point %d reports sheen.", i, i+1)})
	}
	return briefing.Report{
		Number: 3, Incident: "Ossera depot spill", IncidentMarking: "RESTRICTED", Marking: "RESTRICTED",
		AsOf: at, From: at.Add(-24 * time.Hour), To: at, NextDue: at.Add(12 * time.Hour),
		Parts: []briefing.ReportPart{
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
	if len(p.Sections) != 3 || p.Sections[0].Marking != "SECRET" || !strings.Contains(p.Sections[0].Body, kestrel) {
		t.Fatalf("sections: %+v", p.Sections)
	}
	if !strings.Contains(p.Sections[0].Body, `\*now\*`) {
		t.Errorf("an entry's text is read as Markdown:\n%s", p.Sections[0].Body)
	}
	if !strings.Contains(p.Sections[2].Body, "None.") {
		t.Errorf("an empty part does not say so: %q", p.Sections[2].Body)
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
	want := []string{"Section 1 (Significant events): 1 entry (SECRET)", "Section 2 (Contacts made): 1 entry (SECRET)"}
	if p.Marking != "RESTRICTED" || p.Ceiling != "RESTRICTED" || strings.Join(p.Withheld, "|") != strings.Join(want, "|") {
		t.Errorf("release copy: banner %s ceiling %s withheld %q", p.Marking, p.Ceiling, p.Withheld)
	}
	for _, s := range p.Sections {
		if strings.Contains(s.Body, kestrel) || s.Marking != "RESTRICTED" {
			t.Errorf("section %q (%s) keeps what is above the ceiling:\n%s", s.Heading, s.Marking, s.Body)
		}
	}
	if !strings.Contains(p.Sections[0].Body, "1 entry (SECRET) withheld from this copy (above RESTRICTED)") || !strings.Contains(p.Sections[0].Body, "Tanvi intake") {
		t.Errorf("section 1 does not say what it left out, or lost the rest:\n%s", p.Sections[0].Body)
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

	// A report itself above the ceiling, or a ceiling the scheme lacks: refused, naming it.
	r = report()
	r.Marking = "CONFIDENTIAL"
	_, err = briefing.ReportPack(r, scheme, "RESTRICTED")
	var ce *briefing.CeilingError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `situation report: "SITREP 3 — Ossera depot spill" is itself marked CONFIDENTIAL, above the release ceiling RESTRICTED`) {
		t.Errorf("report above the ceiling: %v", err)
	}
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
	r.Marking, r.IncidentMarking = "UNCLASSIFIED", "UNCLASSIFIED"
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
		if strings.Contains(text, kestrel) {
			t.Errorf("%s: the SECRET entry's text is in the release copy", f)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"SITREP 3 — Ossera depot spill", "2026-11-15 14:00 UTC", "2026-11-16 02:00 UTC", "Section 1 (Significant events): 1 entry (SECRET)", "Slick reached the Tanvi intake"} {
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
