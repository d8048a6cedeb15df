package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// makePDF builds a small, valid PDF: one page per entry of pages, each showing its text in
// Helvetica (one line per "\n"), and an Info dictionary when info is not empty.
func makePDF(pages []string, info string) []byte {
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled in below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	for _, p := range pages {
		var c strings.Builder
		c.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
		for _, line := range strings.Split(p, "\n") {
			if line == "" {
				continue
			}
			line = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(line)
			fmt.Fprintf(&c, "(%s) Tj T*\n", line)
		}
		c.WriteString("ET")
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	infoObj := 0
	if info != "" {
		infoObj = add(info)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", len(objs)+1, catalog)
	if infoObj > 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", infoObj)
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// warmPDF starts the PDF engine so that its start-up is not counted in a file's time limit.
func warmPDF(t testing.TB) {
	t.Helper()
	if err := WarmUpPDF(context.Background()); err != nil {
		t.Fatalf("start the PDF engine: %v", err)
	}
}

func refusal(t *testing.T, err error) string {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("want a *Refusal, got %T: %v", err, err)
	}
	return r.Reason
}

func TestPDFMade(t *testing.T) {
	warmPDF(t)
	ctx := context.Background()
	doc := makePDF([]string{"Memorandum of understanding\nsigned in Vienna", "Annex (second page)"},
		"<< /Title (Draft memorandum) /Author (Desk officer) /CreationDate (D:20240315093000+01'00') >>")
	r, err := As(ctx, PDF, doc, DefaultLimits)
	if err != nil {
		t.Fatalf("read a made PDF: %v", err)
	}
	want := "Memorandum of understanding\nsigned in Vienna\n\nAnnex (second page)"
	if r.Text != want {
		t.Errorf("text = %q, want %q", r.Text, want)
	}
	if r.Pages != 2 || r.Format != PDF || r.Empty {
		t.Errorf("pages %d, format %q, empty %v; want 2 pages of PDF, not empty", r.Pages, r.Format, r.Empty)
	}
	if r.Title != "Draft memorandum" || r.Author != "Desk officer" {
		t.Errorf("title %q, author %q", r.Title, r.Author)
	}
	if wantDate := time.Date(2024, 3, 15, 8, 30, 0, 0, time.UTC); !r.Date.Equal(wantDate) {
		t.Errorf("date = %v, want %v", r.Date, wantDate)
	}

	blank, err := As(ctx, PDF, makePDF([]string{""}, ""), DefaultLimits)
	if err != nil {
		t.Fatalf("read a blank page: %v", err)
	}
	if !blank.Empty || blank.Reason != "no text layer" || blank.Pages != 1 || blank.Text != "" {
		t.Errorf("blank page: %+v; want Empty with reason %q", blank, "no text layer")
	}
}

func TestPDFRefusals(t *testing.T) {
	warmPDF(t)
	good := makePDF([]string{"Hello"}, "")
	tests := []struct {
		name string
		data []byte
		want string // prefix of the refusal
	}{
		{"not a PDF", []byte("this is a letter, not a PDF"), "damaged PDF"},
		{"empty file", []byte{}, "damaged PDF"},
		{"header only", []byte("%PDF-1.7\n"), "damaged PDF"},
		{"first 40 bytes", good[:40], "damaged PDF"},
		{"no pages", []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), "damaged PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := As(context.Background(), PDF, tt.data, DefaultLimits)
			if got := refusal(t, err); !strings.HasPrefix(got, tt.want) {
				t.Errorf("refusal %q, want it to start with %q", got, tt.want)
			}
		})
	}
	// The engine still works after all that.
	r, err := As(context.Background(), PDF, good, DefaultLimits)
	if err != nil || r.Text != "Hello" {
		t.Errorf("after refusals: %q, %v; want Hello", r.Text, err)
	}
}

func TestPDFDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"D:20240315093000+01'00'", time.Date(2024, 3, 15, 9, 30, 0, 0, time.FixedZone("", 3600))},
		{"D:20240315093000Z", time.Date(2024, 3, 15, 9, 30, 0, 0, time.UTC)},
		{"D:20240315093000-05'30", time.Date(2024, 3, 15, 9, 30, 0, 0, time.FixedZone("", -(5*3600+1800)))},
		{"D:2004", time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"20100316021332", time.Date(2010, 3, 16, 2, 13, 32, 0, time.UTC)},
		{"D:20241315", time.Time{}}, // month 13
		{"D:123", time.Time{}},
		{"yesterday", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		if got := pdfDate(tt.in); !got.Equal(tt.want) {
			t.Errorf("pdfDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCleanPageText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one\r\ntwo\rthree", "one\ntwo\nthree"},
		{"  indented  \r\n\r\n\r\n\r\nafter gap ", "indented\n\nafter gap"},
		{"a\x00b\x02c\ufffed", "abcd"},
		{"vector \uf076u", "vector u"},
		// Thai: the tone mark line belongs to the word "ตั้งฉาก"
		{"และต\r\nั้\r\nงฉาก", "และตั้งฉาก"},
		{"ok\xffbytes", "okbytes"},
	}
	for _, tt := range tests {
		if got := cleanPageText(tt.in); got != tt.want {
			t.Errorf("cleanPageText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFixUTF8AsUTF16(t *testing.T) {
	// "Масса Масштаб" as PDFium reads it from issue20232.pdf: each Cyrillic letter's UTF-8
	// bytes taken as one UTF-16 unit.
	var garbled strings.Builder
	for _, r := range "Масса Масштаб" {
		if r < 0x80 {
			garbled.WriteRune(r)
			continue
		}
		var b [2]byte
		utf8.EncodeRune(b[:], r)
		garbled.WriteRune(rune(b[0])<<8 | rune(b[1]))
	}
	if got := fixUTF8AsUTF16(garbled.String()); got != "Масса Масштаб" {
		t.Errorf("fixUTF8AsUTF16(%q) = %q, want %q", garbled.String(), got, "Масса Масштаб")
	}
	for _, s := range []string{
		"안녕하세요, 세계", // real Korean is left alone
		"킜",         // too little to judge
		"Hello, world",
		"ㄱ ㄲ ㄳ", // Hangul jamo from issue8424.pdf
	} {
		if got := fixUTF8AsUTF16(s); got != s {
			t.Errorf("fixUTF8AsUTF16(%q) = %q; want it unchanged", s, got)
		}
	}
}

// corpusPDF reads one file of the real-world corpus, or skips.
func corpusPDF(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir(t), "pdf", name))
	if err != nil {
		t.Skipf("corpus file %s: %v", name, err)
	}
	return data
}

// Words checked by eye against pdftotext (poppler-utils 25.03) on the same files.
func TestPDFScripts(t *testing.T) {
	warmPDF(t)
	tests := []struct {
		file  string
		words []string
	}{
		{"issue2840.pdf", []string{"Номер полиса"}},                                            // Russian
		{"issue20232.pdf", []string{"Масса Масштаб", "Разраб.", "Инв. №", "Утв."}},             // Russian, UTF-8 in its ToUnicode map
		{"issue5421.pdf", []string{"РЕСПУБЛИКАСЫ"}},                                            // Kazakh
		{"issue11656.pdf", []string{"שלום עולם מה שלום כולם?", "כמו כל הילדים."}},              // Hebrew, logical order
		{"ArabicCIDTrueType.pdf", []string{"انواع الخطوط العربية"}},                            // Arabic
		{"issue13211.pdf", []string{"เวกเตอร์ที่มีขนาดเท่ากับ", "ตั้งฉากกับระนาบที่ผ่าน"}},     // Thai
		{"issue3521.pdf", []string{"我们都是黑体字"}},                                                 // Chinese, GBK-EUC
		{"issue12823.pdf", []string{"描述团队的共同目标，有利于团队成员理解目标并朝着目标努力。"}},                          // Chinese
		{"XiaoBiaoSong.pdf", []string{"关 于 红 军 作 战 的 原 则"}},                                    // Chinese, font not embedded (pdftotext gives Latin-1 mojibake)
		{"SimFang-variant.pdf", []string{"全 世 界 无 产 者"}},                                       // idem
		{"90ms_rksj_h_sample.pdf", []string{"日本語テスト"}},                                         // Japanese, 90ms-RKSJ-H
		{"noembed-sjis.pdf", []string{"あいうえお"}},                                                // Japanese, Shift-JIS
		{"issue15340.pdf", []string{"漏電遮断機構（電流制限器等に漏電遮断特性を持"}},                                 // Japanese
		{"issue6387.pdf", []string{"あのイーハトーヴォのすきとおった風"}},                                       // Japanese with kerning
		{"vertical.pdf", []string{"日本語", "あいうえお"}},                                             // Japanese, vertical
		{"issue8424.pdf", []string{"ㄱ", "ㅎ", "ㅏ"}},                                             // Korean jamo
		{"issue20504.pdf", []string{"ᱡᱚᱦᱟᱨ ᱡᱮᱜᱮᱛ", "你好世界", "Hello World"}},                     // Santali, Chinese, in free-text annotations
		{"standard_fonts.pdf", []string{"Α Β Χ ∆ Ε Φ Γ Η Ι"}},                                  // Greek, Symbol font (∆ is U+2206, as in Adobe's Symbol encoding)
		{"french_diacritics.pdf", []string{"à À â Â ä Ä ç Ç é É è È ê Ê ë Ë î Î ï Ï ô Ô ù Ù"}}, // French
		{"bug1669099.pdf", []string{"Straße, Hausnummer", "Verein zur Förderung"}},             // German
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := As(context.Background(), PDF, corpusPDF(t, tt.file), DefaultLimits)
			if err != nil {
				t.Fatalf("%s: %v", tt.file, err)
			}
			for _, w := range tt.words {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%s: %q not in the text:\n%s", tt.file, w, head(r.Text, 600))
				}
			}
		})
	}
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cut(s, n) + "…"
}

func TestPDFMetadata(t *testing.T) {
	warmPDF(t)
	r, err := As(context.Background(), PDF, corpusPDF(t, "freeculture.pdf"), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if r.Title != "Free Culture" || r.Author != "Lawrence Lessig" || r.Pages != 352 {
		t.Errorf("title %q, author %q, pages %d; want Free Culture, Lawrence Lessig, 352", r.Title, r.Author, r.Pages)
	}
	if r.Date.Year() != 2004 || r.Date.Month() != 2 || r.Date.Day() != 10 {
		t.Errorf("date = %v, want 2004-02-10", r.Date)
	}
	if !strings.Contains(r.Text, "Creative Commons") {
		t.Errorf("text lacks %q", "Creative Commons")
	}
	// pages are separated by a blank line: 352 pages give many
	if n := strings.Count(r.Text, "\n\n"); n < 300 {
		t.Errorf("%d blank lines between pages of a 352-page book; want at least 300", n)
	}
}

func TestPDFEncrypted(t *testing.T) {
	warmPDF(t)
	// A user password is needed.
	for _, f := range []string{"issue3371.pdf", "issue6010_1.pdf", "pr6531_1.pdf", "issue19484_1.pdf", "issue21579.pdf"} {
		_, err := As(context.Background(), PDF, corpusPDF(t, f), DefaultLimits)
		if got := refusal(t, err); got != "encrypted: a password is needed to open it" {
			t.Errorf("%s: refusal %q", f, got)
		}
	}
	// Only an owner password: read normally.
	r, err := As(context.Background(), PDF, corpusPDF(t, "bug900822.pdf"), DefaultLimits)
	if err != nil || !strings.Contains(r.Text, "Pdf Test 1") {
		t.Errorf("bug900822.pdf (owner password only): %q, %v", head(r.Text, 100), err)
	}
}

func TestPDFTimeLimit(t *testing.T) {
	warmPDF(t)
	book := corpusPDF(t, "freeculture.pdf") // 352 pages take seconds
	_, err := As(context.Background(), PDF, book, Limits{Time: 100 * time.Millisecond})
	if got := refusal(t, err); !strings.HasPrefix(got, "took longer than 100ms") {
		t.Errorf("refusal %q, want a time-out", got)
	}
	// The stuck instance was killed; the next file gets a fresh one.
	r, err := As(context.Background(), PDF, makePDF([]string{"after the time-out"}, ""), DefaultLimits)
	if err != nil || r.Text != "after the time-out" {
		t.Errorf("next file: %q, %v", r.Text, err)
	}
	// A caller's cancellation is passed through as it is.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := As(ctx, PDF, book, DefaultLimits); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestPDFMemoryLimit(t *testing.T) {
	warmPDF(t)
	// bug1978317.pdf has no trailer; rebuilding its cross-reference table needs more than
	// 20 MB of PDFium heap (the instance itself starts at about 17 MB).
	data := corpusPDF(t, "bug1978317.pdf")
	_, err := As(context.Background(), PDF, data, Limits{Memory: 20 << 20})
	if got := refusal(t, err); !strings.HasPrefix(got, "too large to read within the memory limit") {
		t.Errorf("refusal %q, want the memory limit", got)
	}
	// The instance that ran out was replaced: the next file under the same cap is read.
	r, err := As(context.Background(), PDF, makePDF([]string{"after the memory limit"}, ""), Limits{Memory: 20 << 20})
	if err != nil || r.Text != "after the memory limit" {
		t.Errorf("next file: %q, %v", r.Text, err)
	}
}

func TestPDFMaxText(t *testing.T) {
	warmPDF(t)
	r, err := As(context.Background(), PDF, corpusPDF(t, "freeculture.pdf"), Limits{MaxText: 20000})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Text) > 20000 || len(r.Text) < 10000 || r.Pages != 352 {
		t.Errorf("%d bytes of text, %d pages; want 10000-20000 bytes and the full page count", len(r.Text), r.Pages)
	}
}

// FuzzPDF checks that no input makes the PDF reader panic, hang or return invalid text.
func FuzzPDF(f *testing.F) {
	f.Add(makePDF([]string{"Hello\nworld"}, "<< /Title (t) /CreationDate (D:2020) >>"))
	f.Add(makePDF([]string{"", "two"}, ""))
	f.Add([]byte("%PDF-1.7\n"))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"))
	f.Add([]byte("%PDF-1.5\n1 0 obj<</Length 99999999/Filter/FlateDecode>>stream\nx\x9c\x03\x00endstream endobj"))
	if dir, ok := corpusPath(); ok {
		for _, name := range []string{"helloworld-bad.pdf", "issue2840.pdf", "bug1020226.pdf", "Pages-tree-refs.pdf", "issue6010_1.pdf", "poppler-91414-0-53.pdf", "xref_command_missing.pdf", "90ms_rksj_h_sample.pdf"} {
			if data, err := os.ReadFile(filepath.Join(dir, "pdf", name)); err == nil {
				f.Add(data)
			}
		}
	}
	warmPDF(f)
	lim := Limits{Time: 5 * time.Second, Memory: 64 << 20, MaxText: 64 << 10, MaxSize: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := As(context.Background(), PDF, data, lim)
		if err != nil {
			refusal(t, err)
			return
		}
		if !utf8.ValidString(r.Text) || !utf8.ValidString(r.Title) || !utf8.ValidString(r.Author) {
			t.Errorf("invalid UTF-8 in %+v", r)
		}
		if len(r.Text) > lim.MaxText {
			t.Errorf("%d bytes of text, over the %d limit", len(r.Text), lim.MaxText)
		}
		if r.Empty != (r.Text == "") {
			t.Errorf("Empty %v with %d bytes of text", r.Empty, len(r.Text))
		}
	})
}
