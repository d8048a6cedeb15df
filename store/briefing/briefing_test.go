package briefing_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/briefing"
	"chancery/store/importer"
	"chancery/store/storetest"
)

const demoID = "demo-briefing-orbc-extraordinary-session"

var day = time.Date(2026, 11, 14, 0, 0, 0, 0, time.UTC)

func demoDB(t *testing.T) *store.DB {
	t.Helper()
	items, err := importer.DemoItems()
	if err != nil {
		t.Fatal(err)
	}
	return storetest.Open(t, items...)
}

// writeOut writes the pack in format to a temporary file (and to $BRIEFING_OUT when set, to
// look at by hand).
func writeOut(t *testing.T, p *briefing.Pack, format, name string) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Write(&b, format); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	dir := t.TempDir()
	if out := os.Getenv("BRIEFING_OUT"); out != "" {
		dir = out
	}
	path := filepath.Join(dir, name+"."+format)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestComposeDemo(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	p, err := briefing.Compose(ctx, db, demoID, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Marking != "CONFIDENTIAL" {
		t.Errorf("banner %s, want CONFIDENTIAL (the legal note's marking, the highest included)", p.Marking)
	}
	kinds := map[store.Kind]bool{}
	var contact, excerpt string
	for _, s := range p.Sections {
		kinds[s.Kind] = true
		if s.Kind == store.KindContact {
			contact = s.Body
		}
		if strings.HasPrefix(s.Heading, "Annex A") {
			excerpt = s.Body
		}
	}
	for _, k := range []store.Kind{"", store.KindNote, store.KindContact, store.KindDocument} {
		if !kinds[k] {
			t.Errorf("no section of kind %q", k)
		}
	}
	for _, want := range []string{"Dr Aurélien Gbaguidi", "Executive Secretary", "Benin", "executive.secretary@orbc.example"} {
		if !strings.Contains(contact, want) {
			t.Errorf("contact card lacks %q:\n%s", want, contact)
		}
	}
	if !strings.Contains(excerpt, "Article 9") || strings.Contains(excerpt, "Article 1 — Definitions") {
		t.Errorf("Annex A should be the chosen excerpt (Articles 9 and 20), got:\n%s", excerpt)
	}
	if len(p.Withheld) != 0 || p.Ceiling != "" {
		t.Errorf("full copy withheld %v", p.Withheld)
	}
	if hasNotice(p, "Arabic") {
		t.Errorf("a notice about Arabic before any PDF is written: %q", p.Notices)
	}
}

func hasNotice(p *briefing.Pack, word string) bool {
	for _, n := range p.Notices {
		if strings.Contains(n, word) {
			return true
		}
	}
	return false
}

func TestReleaseCopy(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	p, err := briefing.Compose(ctx, db, demoID, briefing.Options{Ceiling: "restricted", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Marking != "RESTRICTED" || p.Ceiling != "RESTRICTED" {
		t.Errorf("release copy banner %s ceiling %s, want RESTRICTED", p.Marking, p.Ceiling)
	}
	if len(p.Withheld) != 1 || p.Withheld[0] != "Section 5 (CONFIDENTIAL)" {
		t.Errorf("withheld %q, want the CONFIDENTIAL legal note", p.Withheld)
	}
	for _, s := range p.Sections {
		if s.Marking == "CONFIDENTIAL" || s.Marking == "SECRET" {
			t.Errorf("release copy keeps %q marked %s", s.Heading, s.Marking)
		}
		if strings.Contains(s.Body, "compensation fund") && s.Kind == store.KindNote {
			t.Errorf("release copy keeps the legal note's text in %q", s.Heading)
		}
	}
	for _, f := range []string{"md", "html"} {
		var b bytes.Buffer
		if err := p.Write(&b, f); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Release copy — releasable up to RESTRICTED", "Section 5 (CONFIDENTIAL)"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s cover lacks %q", f, want)
			}
		}
	}

	// At UNCLASSIFIED the briefing itself (RESTRICTED) cannot be released.
	_, err = briefing.Compose(ctx, db, demoID, briefing.Options{Ceiling: "UNCLASSIFIED"})
	if err == nil || !strings.Contains(err.Error(), "marked RESTRICTED, above the release ceiling UNCLASSIFIED") {
		t.Errorf("briefing above the ceiling: %v", err)
	}
	_, err = briefing.Compose(ctx, db, demoID, briefing.Options{Ceiling: "TOP SECRET"})
	if err == nil || !strings.Contains(err.Error(), `"TOP SECRET"`) {
		t.Errorf("unknown ceiling: %v", err)
	}
}

// fixture is a small briefing with every kind of section, a missing item and hostile text.
func fixture(t *testing.T) (*store.DB, string) {
	t.Helper()
	items := []store.Item{
		{ID: "org", Kind: store.KindOrganisation, Title: "Ministry of Foreign Affairs", Organisation: &store.Organisation{Acronym: "MFA", Type: "ministry"}, Countries: []string{"GHA"}},
		{ID: "c", Kind: store.KindContact, Title: "Ms Ama Mensah", Class: "RESTRICTED", Body: "Met twice in 2025.", Contact: &store.Contact{Honorific: "Ms", GivenName: "Ama", FamilyName: "Mensah", JobTitle: "Director", OrgID: "org", Languages: []string{"en", "fr"}, Phones: []store.Labeled{{Label: "mobile", Value: "+233 20 000 0000"}}}},
		{ID: "n", Kind: store.KindNote, Title: "Secret assessment", Class: "SECRET", Body: "The **assessment** says no."},
		{ID: "d", Kind: store.KindDocument, Title: "Long report", Source: "Secretariat", Body: strings.Repeat("A paragraph of the report that goes on. ", 20) + "\n\n" + strings.Repeat("Second paragraph <b>bold?</b> text. ", 15) + "\n\n" + strings.Repeat("Third paragraph never shown. ", 10), Document: &store.Document{FileName: "r.txt"}},
		{ID: "gone", Kind: store.KindNote, Title: "Deleted note", Body: "gone"},
		{ID: "b", Kind: store.KindBriefing, Title: "Visit of the Minister", Class: "UNCLASSIFIED", Body: "To prepare the *visit*.", Briefing: &store.Briefing{Audience: "The Minister", Sections: []store.Section{
			{Heading: "Overview", Text: "Hostile <script>alert('x')</script> text and [a link](javascript:alert(1)).\n\n- one\n- **two**"},
			{Ref: "c"},
			{Heading: "Assessment", Ref: "n"},
			{Ref: "d"},
			{Heading: "Old note", Ref: "gone"},
			{Heading: "Scripts", Text: "Русский текст. Ελληνικό κείμενο. 中文文本。"},
			{Heading: "Arabic", Text: "Line: مرحبا بالعالم end."},
			{Ref: "org"},
			{Text: "A section without a heading. Linear B: 𐀀."},
		}}},
		{ID: "empty", Kind: store.KindBriefing, Title: "Empty briefing", Briefing: &store.Briefing{}},
	}
	db := storetest.Open(t, items...)
	if err := db.Delete(context.Background(), "gone"); err != nil {
		t.Fatal(err)
	}
	return db, "b"
}

func TestComposeFixture(t *testing.T) {
	db, id := fixture(t)
	p, err := briefing.Compose(context.Background(), db, id, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Marking != "SECRET" {
		t.Errorf("banner %s, want SECRET", p.Marking)
	}
	heads := map[string]briefing.Section{}
	for _, s := range p.Sections {
		heads[s.Heading] = s
	}
	if s, ok := heads["Ms Ama Mensah"]; !ok || !strings.Contains(s.Body, "Ms Ama Mensah") || !strings.Contains(s.Body, "Director, Ministry of Foreign Affairs") || !strings.Contains(s.Body, "English, French") || !strings.Contains(s.Body, "Met twice") {
		t.Errorf("contact card: %+v", s)
	}
	d := heads["Long report"].Body
	if !strings.Contains(d, "Long report") || !strings.Contains(d, "Secretariat") || strings.Contains(d, "Third paragraph") || !strings.Contains(d, `\<b\>`) {
		t.Errorf("document excerpt (first paragraphs, cut, plain text escaped):\n%s", d)
	}
	if !strings.Contains(heads["Old note"].Body, "no longer available") || !hasNotice(p, "Old note") {
		t.Errorf("missing item: %q, notices %q", heads["Old note"].Body, p.Notices)
	}

	if s, ok := heads["Ministry of Foreign Affairs"]; !ok || s.Kind != store.KindOrganisation || !strings.Contains(s.Body, "(MFA)") || !strings.Contains(s.Body, "Ghana") || !strings.Contains(s.Body, "ministry") {
		t.Errorf("organisation card: %+v", s)
	}
	var pdf bytes.Buffer
	if err := p.Write(&pdf, "pdf"); err != nil {
		t.Fatal(err)
	}
	if !hasNotice(p, "U+10000") {
		t.Errorf("no notice for a character no font has: %q", p.Notices)
	}
	if _, ok := heads["Section 9"]; !ok {
		t.Errorf("a section without a heading is not called Section 9: %v", heads)
	}

	rel, err := briefing.Compose(context.Background(), db, id, briefing.Options{Ceiling: "CONFIDENTIAL", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if rel.Marking != "RESTRICTED" || len(rel.Withheld) != 1 || rel.Withheld[0] != "Section 3 (SECRET)" {
		t.Errorf("release copy: banner %s withheld %q", rel.Marking, rel.Withheld)
	}
}

func TestEmptyAndWrongKind(t *testing.T) {
	db, _ := fixture(t)
	ctx := context.Background()
	p, err := briefing.Compose(ctx, db, "empty", briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Marking != "UNCLASSIFIED" || len(p.Sections) != 0 {
		t.Errorf("empty briefing: %+v", p)
	}
	for _, f := range briefing.Formats {
		var b bytes.Buffer
		if err := p.Write(&b, f); err != nil || b.Len() == 0 {
			t.Errorf("empty briefing as %s: %v", f, err)
		}
	}
	if _, err := briefing.Compose(ctx, db, "c", briefing.Options{}); !errors.Is(err, briefing.ErrNotBriefing) {
		t.Errorf("a contact as a briefing: %v", err)
	}
	if _, err := briefing.Compose(ctx, db, "nope", briefing.Options{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing briefing: %v", err)
	}
}

func TestHTMLEscapesHostileText(t *testing.T) {
	db, id := fixture(t)
	p, err := briefing.Compose(context.Background(), db, id, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Write(&b, "html"); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, bad := range []string{"<script>", "javascript:", "<b>bold"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if strings.Count(h, `class="banner"`) != 2 || !strings.Contains(h, "position: fixed") || !strings.Contains(h, `dir="auto"`) || !strings.Contains(h, "مرحبا") {
		t.Errorf("HTML lacks banners, print CSS, dir=auto or the Arabic text")
	}
	if !strings.Contains(h, "<strong>two</strong>") {
		t.Errorf("Markdown not rendered in HTML")
	}
}

func TestMarkdownBanners(t *testing.T) {
	db, id := fixture(t)
	p, err := briefing.Compose(context.Background(), db, id, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.Write(&b, "md"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "**SECRET**" || lines[len(lines)-1] != "**SECRET**" {
		t.Errorf("first and last lines %q %q, want the banner", lines[0], lines[len(lines)-1])
	}
	if n := strings.Count(b.String(), "**SECRET**"); n != len(p.Sections)+2 {
		t.Errorf("%d banners, want %d (first, last, each section)", n, len(p.Sections)+2)
	}
	if !strings.Contains(b.String(), "](#1-overview)") {
		t.Errorf("no linked contents")
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	p := &briefing.Pack{Title: "x"}
	if err := p.Write(&bytes.Buffer{}, "odt"); err == nil || !strings.Contains(err.Error(), "pdf, docx, html, md") {
		t.Errorf("unknown format: %v", err)
	}
}

func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s is not installed (apt-get install poppler-utils / libreoffice-writer-nogui); skipping", tool)
	}
}

// pdfPages is the text of each page of a PDF, through pdftotext.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

func TestPDF(t *testing.T) {
	need(t, "pdftotext")
	need(t, "pdftoppm")
	ctx := context.Background()
	db := demoDB(t)
	p, err := briefing.Compose(ctx, db, demoID, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	path := writeOut(t, p, "pdf", "demo")
	pages := pdfPages(t, path)
	if len(pages) < 4 {
		t.Fatalf("%d pages", len(pages))
	}
	for i, pg := range pages {
		if strings.Count(pg, "CONFIDENTIAL") < 2 {
			t.Errorf("page %d lacks the banner at top and bottom:\n%s", i+1, pg)
		}
		want := "Page " + itoa(i+1) + " of " + itoa(len(pages))
		if !strings.Contains(pg, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Contents", "Гана призывает", "Η Γκάνα ζητά", "加纳呼吁", "[Arabic text — see the DOCX or HTML copy]", "Dr Aurélien Gbaguidi", "Article 9"} {
		if want == "加纳呼吁" && !hasCJKFont() {
			want = "[Chinese text: no font available]"
		}
		if !strings.Contains(strings.Join(strings.Fields(all), " "), want) && !strings.Contains(all, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if !hasNotice(p, `Section "Press line in Arabic" has Arabic text`) {
		t.Errorf("no notice about the Arabic section after writing the PDF: %q", p.Notices)
	}
	for _, r := range all {
		if r >= 0x0600 && r <= 0x06FF {
			t.Fatalf("PDF has Arabic glyph %q", r)
		}
	}
	// The contents give the page each section starts on.
	tocLine := regexp.MustCompile(`^\s*(\d+)\.\s+(.*?)\s+[A-Z]{4,}\s+(\d+)\s*$`)
	checked := 0
	for _, l := range strings.Split(pages[1], "\n") {
		m := tocLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		checked++
		n, _ := strconv.Atoi(m[3])
		if n < 3 || n > len(pages) || !strings.Contains(strings.Join(strings.Fields(pages[n-1]), " "), m[1]+". "+m[2]) {
			t.Errorf("contents say section %s %q starts on page %s; it does not", m[1], m[2], m[3])
		}
	}
	if checked < len(p.Sections)-3 {
		t.Errorf("only %d contents lines with page numbers", checked)
	}
	// Every page renders.
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-r", "40", "-png", path, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if len(pngs) != len(pages) {
		t.Errorf("pdftoppm rendered %d pages of %d", len(pngs), len(pages))
	}
}

func TestPDFWithoutCJKFont(t *testing.T) {
	need(t, "pdftotext")
	db, id := fixture(t)
	p, err := briefing.Compose(context.Background(), db, id, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	restore := briefing.SetCJKFontPaths(nil)
	defer restore()
	path := writeOut(t, p, "pdf", "nocjk")
	all := strings.Join(pdfPages(t, path), "\n")
	if !strings.Contains(all, "[Chinese text: no font available]") || !hasNotice(p, "No font for Chinese") {
		t.Errorf("no placeholder or notice for Chinese without a font; notices %q", p.Notices)
	}
	if strings.Contains(all, "available]?") || hasNotice(p, "U+3002") {
		t.Errorf("the Chinese full stop lost its font: %q", p.Notices)
	}
	if !strings.Contains(all, "Русский текст") || !strings.Contains(all, "Ελληνικό κείμενο") {
		t.Errorf("Cyrillic or Greek lost")
	}
}

func hasCJKFont() bool { return briefing.HasCJKFont() }

func itoa(n int) string { return strconv.Itoa(n) }

// docxParts is every part of the DOCX package at path, by name.
func docxParts(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("DOCX is not a zip package: %v", err)
	}
	defer zr.Close()
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(b)
	}
	return parts
}

func TestDOCX(t *testing.T) {
	ctx := context.Background()
	db := demoDB(t)
	p, err := briefing.Compose(ctx, db, demoID, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	path := writeOut(t, p, "docx", "demo")
	parts := docxParts(t, path)
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := xml.NewDecoder(strings.NewReader(b)).Decode(new(any)); err != nil {
				t.Errorf("%s is not well-formed XML: %v", name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml", "word/settings.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("DOCX lacks %s", name)
		}
	}
	if !strings.Contains(parts["word/header1.xml"], "CONFIDENTIAL") || !strings.Contains(parts["word/footer1.xml"], "CONFIDENTIAL") || !strings.Contains(parts["word/footer1.xml"], " PAGE ") {
		t.Errorf("header or footer lacks the banner or the page number")
	}
	doc := parts["word/document.xml"]
	if !strings.Contains(doc, "<w:bidi/>") || !strings.Contains(doc, "<w:rtl/>") || !strings.Contains(doc, "تدعو غانا") {
		t.Errorf("document lacks the Arabic paragraph marked right-to-left")
	}
	if !strings.Contains(doc, "Гана призывает") || !strings.Contains(doc, "加纳呼吁") {
		t.Errorf("document lacks the Cyrillic or Chinese text")
	}

	need(t, "soffice")
	need(t, "pdftotext")
	dir := t.TempDir()
	cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "demo.pdf")
	if os.Getenv("BRIEFING_OUT") != "" {
		data, _ := os.ReadFile(pdf)
		_ = os.WriteFile(filepath.Join(os.Getenv("BRIEFING_OUT"), "demo-docx-libreoffice.pdf"), data, 0o644)
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 4 {
		t.Fatalf("LibreOffice made %d pages", len(pages))
	}
	for i, pg := range pages {
		if strings.Count(pg, "CONFIDENTIAL") < 2 {
			t.Errorf("page %d of the converted DOCX lacks the banner at top and bottom", i+1)
		}
		if !strings.Contains(pg, "Page "+itoa(i+1)+" of "+itoa(len(pages))) {
			t.Errorf("page %d of the converted DOCX lacks its page number", i+1)
		}
	}
	all := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
	for _, s := range p.Sections {
		if !strings.Contains(all, strings.Join(strings.Fields(s.Heading), " ")) {
			t.Errorf("converted DOCX lacks section %q", s.Heading)
		}
	}
}

// A TrueType collection (.ttc: Windows' Microsoft YaHei and SimSun, Linux's WenQuanYi) serves
// for Chinese too: its first font is taken out and embedded.
func TestPDFWithCJKFontCollection(t *testing.T) {
	need(t, "pdftotext")
	const ttc = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
	if _, err := os.Stat(ttc); err != nil {
		t.Skipf("no font collection to try (%v); apt-get install fonts-wqy-zenhei", err)
	}
	restore := briefing.SetCJKFontPaths([]string{ttc})
	defer restore()
	if !briefing.HasCJKFont() {
		t.Fatalf("%s not taken as a CJK font", ttc)
	}
	db, id := fixture(t)
	p, err := briefing.Compose(context.Background(), db, id, briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pdfPages(t, writeOut(t, p, "pdf", "ttc")), "\n")
	if !strings.Contains(all, "中文文本") || strings.Contains(all, "no font available") || hasNotice(p, "No font for Chinese") {
		t.Errorf("Chinese not set in the collection's font; notices %q", p.Notices)
	}
}

// Export refuses an unknown format before reading anything, and otherwise writes the pack
// it composed.
func TestExport(t *testing.T) {
	db, id := fixture(t)
	var b bytes.Buffer
	if _, err := briefing.Export(context.Background(), db, "no-such-id", "odt", briefing.Options{}, &b); err == nil || !strings.Contains(err.Error(), `"odt"`) || b.Len() > 0 {
		t.Errorf("odt: %v, %d bytes written", err, b.Len())
	}
	p, err := briefing.Export(context.Background(), db, id, ".MD", briefing.Options{Ceiling: "RESTRICTED", Now: day}, &b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ceiling != "RESTRICTED" || len(p.Withheld) != 1 || !strings.Contains(b.String(), p.Title) {
		t.Errorf("pack %+v, %d bytes", p.Withheld, b.Len())
	}
}
