package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// zipEntry is one part of a hand-made archive.
type zipEntry struct{ name, body string }

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// wordDoc wraps body XML in a document part.
func wordDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`
}

func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

const stylesXML = `<w:styles ` + wNS + `><w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Kop2"><w:name w:val="heading 2"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style></w:styles>`

const coreXML = `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>Démarche à Vienne</dc:title><dc:creator>Anne Dupont</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2024-03-05T09:30:00Z</dcterms:created></cp:coreProperties>`

func TestDOCXText(t *testing.T) {
	tests := []struct {
		name  string
		parts []zipEntry
		want  string
	}{
		{"paragraphs", []zipEntry{{"word/document.xml", wordDoc(para("First.") + para("Second, «ça va».") + para("Третий."))}}, "First.\n\nSecond, «ça va».\n\nТретий."},
		{"headings by style name", []zipEntry{
			{"word/document.xml", wordDoc(`<w:p><w:pPr><w:pStyle w:val="Titel"/></w:pPr><w:r><w:t>Report</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="Kop2"/></w:pPr><w:r><w:t>Background</w:t></w:r></w:p>` + para("Text."))},
			{"word/styles.xml", stylesXML}}, "# Report\n\n## Background\n\nText."},
		{"headings by style ID without styles part", []zipEntry{
			{"word/document.xml", wordDoc(`<w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Annex</w:t></w:r></w:p>`)}}, "### Annex"},
		{"table rows", []zipEntry{{"word/document.xml", wordDoc(para("Before.") +
			`<w:tbl><w:tr><w:tc>` + para("Name") + `</w:tc><w:tc>` + para("Post") + `</w:tc></w:tr>` +
			`<w:tr><w:tc>` + para("A. Berg") + para("(acting)") + `</w:tc><w:tc>` + para("Vienna") + `</w:tc></w:tr></w:tbl>` + para("After."))}},
			"Before.\n\nName | Post\nA. Berg (acting) | Vienna\n\nAfter."},
		{"hyperlink, tab and break", []zipEntry{{"word/document.xml", wordDoc(`<w:p><w:r><w:t>See</w:t></w:r><w:r><w:tab/></w:r>` +
			`<w:hyperlink r:id="rId4" xmlns:r="r"><w:r><w:t>the register</w:t></w:r></w:hyperlink><w:r><w:br/><w:t>next line</w:t></w:r></w:p>`)}},
			"See\tthe register\nnext line"},
		{"deleted revision skipped, insertion kept", []zipEntry{{"word/document.xml", wordDoc(`<w:p><w:r><w:t xml:space="preserve">The </w:t></w:r>` +
			`<w:del w:id="1" w:author="x"><w:r><w:delText>old </w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve">new </w:t></w:r></w:ins>` +
			`<w:r><w:t>text</w:t></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r></w:p>`)}},
			"The new text"},
		{"list item", []zipEntry{{"word/document.xml", wordDoc(`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>point</w:t></w:r></w:p>`)}}, "- point"},
		{"footnotes without the separator", []zipEntry{
			{"word/document.xml", wordDoc(para("Body."))},
			{"word/footnotes.xml", `<w:footnotes ` + wNS + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/><w:t>SEP</w:t></w:r></w:p></w:footnote>` +
				`<w:footnote w:id="1">` + para("A note.") + `</w:footnote></w:footnotes>`}},
			"Body.\n\nA note."},
		{"alternate content read once", []zipEntry{{"word/document.xml", wordDoc(`<w:p><w:r><mc:AlternateContent xmlns:mc="mc"><mc:Choice Requires="wps"><w:t>box</w:t></mc:Choice><mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`)}}, "box"},
		{"main part named by the package relationships", []zipEntry{
			{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`},
			{"word/document2.xml", wordDoc(para("Second name."))}}, "Second name."},
		{"relationship pointing outside the archive", []zipEntry{
			{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="../../../etc/passwd.xml"/></Relationships>`},
			{"word/document.xml", wordDoc(para("Default part."))}}, "Default part."},
		{"part in Windows-1252", []zipEntry{{"word/document.xml", `<?xml version="1.0" encoding="windows-1252"?><w:document ` + wNS + `><w:body>` + para("caf\xe9 cr\xe8me") + `</w:body></w:document>`}}, "café crème"},
		{"path tricks in other entries", []zipEntry{
			{"../../evil-docx-test.txt", "x"}, {"/etc/evil-docx-test", "x"}, {`..\..\evil-docx-test.txt`, "x"},
			{"word/document.xml", wordDoc(para("Safe."))}}, "Safe."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := As(context.Background(), DOCX, makeZip(t, tt.parts...), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != tt.want {
				t.Errorf("text = %q, want %q", r.Text, tt.want)
			}
			if r.Empty {
				t.Error("Empty set on a document with text")
			}
		})
	}
	for _, p := range []string{"../../evil-docx-test.txt", "/etc/evil-docx-test", "../evil-docx-test.txt"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("reading a DOCX wrote %s", p)
		}
	}
}

func TestDOCXMetadata(t *testing.T) {
	r, err := As(context.Background(), DOCX, makeZip(t, zipEntry{"word/document.xml", wordDoc(para("x"))}, zipEntry{"docProps/core.xml", coreXML}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	if r.Title != "Démarche à Vienne" || r.Author != "Anne Dupont" || !r.Date.Equal(want) || r.Format != DOCX {
		t.Errorf("got title %q author %q date %v format %q", r.Title, r.Author, r.Date, r.Format)
	}
	r, err = As(context.Background(), DOCX, makeZip(t, zipEntry{"word/document.xml", wordDoc("")}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Empty || r.Reason != "no text" || r.Title != "" || !r.Date.IsZero() {
		t.Errorf("empty body without core properties: %+v", r)
	}
}

// bomb builds a zip whose one entry holds n bytes of filler inside w:t, written by the
// real compressor: a small file that unpacks to a large one.
func bomb(t testing.TB, name string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	mb := bytes.Repeat([]byte("a"), 1<<20)
	w.Write([]byte(`<w:document ` + wNS + `><w:body><w:p><w:r><w:t>`))
	for i := 0; i < n>>20; i++ {
		w.Write(mb)
	}
	w.Write([]byte(`</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

// lyingZip has an entry whose header claims 10 bytes but whose data unpacks to 4 MB.
func lyingZip(t testing.TB) []byte {
	t.Helper()
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	body := wordDoc(para(strings.Repeat("b", 4<<20)))
	fw.Write([]byte(body))
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var w io.Writer
	w, err = zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(body)),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: 10})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestDOCXRefusals(t *testing.T) {
	good := makeZip(t, zipEntry{"word/document.xml", wordDoc(para(strings.Repeat("Some words. ", 500)))}, zipEntry{"docProps/core.xml", coreXML})
	many := make([]zipEntry, maxZipEntries+1)
	for i := range many {
		many[i] = zipEntry{fmt.Sprintf("x/%d", i), ""}
	}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want string
	}{
		{"not a zip", []byte("Dear colleagues, this is plain text."), Limits{}, "not a Word document: "},
		{"empty file", nil, Limits{}, "not a Word document: "},
		{"truncated zip", good[:len(good)/2], Limits{}, "not a Word document: "},
		{"zip without a document part", makeZip(t, zipEntry{"readme.txt", "hello"}), Limits{}, "no word/document.xml"},
		{"document part only outside word/", makeZip(t, zipEntry{"../word/document.xml", wordDoc(para("x"))}), Limits{}, "no word/document.xml"},
		{"old .doc or encrypted", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), Limits{}, "encrypted, or an old Word .doc file; save it as .docx"},
		{"malformed XML", makeZip(t, zipEntry{"word/document.xml", `<w:document ` + wNS + `><w:body><w:p><w:t>open</w:body>`}), Limits{}, "damaged Word document: "},
		{"not XML at all", makeZip(t, zipEntry{"word/document.xml", "\x00\x01binary<<"}), Limits{}, "damaged Word document: "},
		{"zip bomb, one entry", bomb(t, "word/document.xml", 24<<20), Limits{Memory: 4 << 20}, "zip bomb"},
		{"zip bomb, entries together", makeZip(t, zipEntry{"word/document.xml", wordDoc(para(strings.Repeat("c", 600<<10)))},
			zipEntry{"word/styles.xml", strings.Repeat(" ", 600<<10)}), Limits{Memory: 1 << 20}, "zip bomb"},
		{"size in header lies", lyingZip(t), Limits{}, "damaged Word document: "},
		{"too many entries", makeZip(t, many...), Limits{}, "parts, more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := As(context.Background(), DOCX, tt.data, tt.lim)
			var ref *Refusal
			if !errors.As(err, &ref) {
				t.Fatalf("err = %v (%T), want a *Refusal", err, err)
			}
			if !strings.Contains(ref.Reason, tt.want) {
				t.Errorf("reason %q does not say %q", ref.Reason, tt.want)
			}
		})
	}
}

func TestDOCXLimits(t *testing.T) {
	var body strings.Builder
	for i := 0; i < 20000; i++ {
		body.WriteString(para(fmt.Sprintf("Paragraph %d of a long report.", i)))
	}
	data := makeZip(t, zipEntry{"word/document.xml", wordDoc(body.String())})
	r, err := As(context.Background(), DOCX, data, Limits{MaxText: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Text) > 4096 || !strings.HasPrefix(r.Text, "Paragraph 0 of") {
		t.Errorf("MaxText 4096: got %d bytes starting %.30q", len(r.Text), r.Text)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := As(ctx, DOCX, data, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// docxEmptyBodies are the corpus files whose word/document.xml holds no text at all; checked
// with `unzip -p F word/document.xml | grep -o '<w:t[ >][^<]*'`, which finds no text in them.
var docxEmptyBodies = map[string]bool{
	"blk-containing-table.docx": true, "default.docx": true, "doc-coreprops.docx": true,
	"doc-default.docx": true, "doc-no-coreprops.docx": true, "doc-word-default-blank.docx": true,
	"having-images.docx": true, "set-no-settings-part.docx": true, "shp-inline-shape-access.docx": true,
	"sty-behav-props.docx": true, "sty-having-no-styles-part.docx": true, "sty-having-styles-part.docx": true,
	"tbl-2x2-table.docx": true, "tbl-col-props.docx": true, "tbl-having-tables.docx": true,
	"tbl-on-off-props.docx": true,
}

func TestDOCXCorpus(t *testing.T) {
	dir, rows := filepath.Join(corpusDir(t), "docx"), manifestFolder(t, "docx", ".docx")
	outcome := outcomes{}
	for _, row := range rows {
		r, err := outcome.read(t, dir, row)
		if err != nil {
			t.Errorf("%s (class %s): refused: %v", row.File, row.Class, err)
			continue
		}
		if want := docxEmptyBodies[row.File]; r.Empty != want {
			t.Errorf("%s: Empty = %v, want %v (text %.80q)", row.File, r.Empty, want, r.Text)
		}
		if !utf8.ValidString(r.Text) {
			t.Errorf("%s: text is not valid UTF-8", row.File)
		}
	}
	outcome.log(t, "docx")
	for file, want := range map[string]string{
		"tbl-cell-access.docx":    "1 | 2 | 3\n4 | 5 | 6\n7 | 8 | 9",
		"par-known-styles.docx":   "# Heading 1\n\nBody Text",
		"par-hyperlinks.docx":     "Three hyperlinks: the first one here, the second one, and the third.",
		"test.docx":               "# python-docx was here!",
		"tab-stops.docx":          "Assigned\tLeft\tcenter\tright",
		"txt-font-props.docx":     "A paragraph in ‘Having Typeface’ style.",
		"comments-rich-para.docx": "Some text worthy of note.",
	} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := As(context.Background(), DOCX, data, Limits{})
		if err != nil || !strings.Contains(r.Text, want) {
			t.Errorf("%s: text %q, err %v; want it to contain %q", file, r.Text, err, want)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "doc-coreprops.docx"))
	if r, _ := As(context.Background(), DOCX, data, Limits{}); r.Title != "Title" || r.Author != "Steve Canny" {
		t.Errorf("doc-coreprops.docx: title %q author %q", r.Title, r.Author)
	}
}

func BenchmarkDOCX(b *testing.B) {
	benchmarkFolder(b, "docx", ".docx", DOCX, nil)
}

func FuzzDOCX(f *testing.F) {
	if dir, ok := corpusPath(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "docx", "*.docx"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add(makeZip(f, zipEntry{"word/document.xml", wordDoc(para("Hello") + `<w:tbl><w:tr><w:tc>` + para("a") + `</w:tc></w:tr></w:tbl>`)}, zipEntry{"docProps/core.xml", coreXML}))
	f.Add(makeZip(f, zipEntry{"word/document.xml", "<w:document"}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte(wordDoc(`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>` + para("in") + `</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl><w:del><w:r><w:delText>x</w:delText></w:r></w:del>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{Memory: 16 << 20, Time: 10 * time.Second}
		r, err := As(context.Background(), DOCX, data, lim)
		checkOutcome(t, r, err)
		// Most mutations of a zip break its checksums, so the same bytes are also read as the
		// document part of a valid archive: that is what fuzzes the XML walker.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		if w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store}); err == nil {
			w.Write(data)
		}
		zw.Close()
		r, err = As(context.Background(), DOCX, buf.Bytes(), lim)
		checkOutcome(t, r, err)
	})
}

// checkOutcome is the fuzz targets' property: valid UTF-8 text, or a *Refusal.
func checkOutcome(t *testing.T, r Result, err error) {
	t.Helper()
	if err != nil {
		var ref *Refusal
		if !errors.As(err, &ref) {
			t.Fatalf("error is not a *Refusal: %v (%T)", err, err)
		}
		if ref.Reason == "" {
			t.Fatal("refusal without a reason")
		}
		return
	}
	for _, s := range []string{r.Text, r.Title, r.Author} {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in the result: %q", s)
		}
	}
	if r.Empty == (r.Text != "") {
		t.Fatalf("Empty = %v with %d bytes of text", r.Empty, len(r.Text))
	}
}
