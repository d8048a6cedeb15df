package briefing

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"chancery/store"
)

// The DOCX is WordprocessingML written directly: a minimal valid package with styles
// (Title, Heading 1-3), one header and one footer carrying the banner, and the footer's
// "Page N of M" made of PAGE and NUMPAGES fields, which Word and LibreOffice fill in.

const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

type docxWriter struct {
	p     *Pack
	body  strings.Builder
	rels  []string // external hyperlink relationships
	bookm int
}

func (p *Pack) writeDOCX(w io.Writer) error {
	dw := &docxWriter{p: p}
	dw.document()
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", dw.core()},
		{"word/_rels/document.xml.rels", dw.documentRels()},
		{"word/document.xml", xml.Header + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>` + dw.body.String() + docxSectPr + `</w:body></w:document>`},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
		{"word/header1.xml", xml.Header + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + dw.bannerPara("Header") + `</w:hdr>`},
		{"word/footer1.xml", xml.Header + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + dw.bannerPara("Footer") + docxPageNumber + `</w:ftr>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range parts {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: p.Date})
		if err != nil {
			return fmt.Errorf("briefing: write DOCX: %w", err)
		}
		if _, err := io.WriteString(fw, part.data); err != nil {
			return fmt.Errorf("briefing: write DOCX: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("briefing: write DOCX: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (dw *docxWriter) bannerPara(style string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="A00000"/></w:rPr><w:t>` + esc(dw.p.Marking) + `</w:t></w:r></w:p>`
}

func (dw *docxWriter) core() string {
	d := dw.p.Date.UTC().Format(time.RFC3339)
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(dw.p.Title) + `</dc:title><dc:creator>Chancery</dc:creator><cp:keywords>` + esc(dw.p.Marking) + `</cp:keywords>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + d + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + d + `</dcterms:modified></cp:coreProperties>`
}

func (dw *docxWriter) documentRels() string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`)
	b.WriteString(`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i, target := range dw.rels {
		fmt.Fprintf(&b, `<Relationship Id="rIdLink%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="%s" TargetMode="External"/>`, i+1, esc(target))
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func (dw *docxWriter) document() {
	p := dw.p
	dw.para("Title", "", []run{{text: p.Title}})
	if strings.TrimSpace(p.Purpose) != "" {
		dw.para("Label", "", []run{{text: "Purpose", bold: true}})
		dw.blocks(parseBlocks(p.Purpose), 0)
	}
	if p.Audience != "" {
		dw.para("", "", []run{{text: "Audience: ", bold: true}, {text: p.Audience}})
	}
	dw.para("", "", []run{{text: "Date: ", bold: true}, {text: store.FormatDate(p.Date)}})
	for _, fd := range p.Fields {
		dw.para("", "", []run{{text: fd.Name + ": ", bold: true}, {text: fd.Value}})
	}
	dw.para("", "", []run{{text: "Marking: ", bold: true}, {text: p.Marking}})
	if p.Ceiling != "" {
		dw.para("Release", "", []run{{text: "Release copy — releasable up to " + p.Ceiling}})
		if len(p.Withheld) > 0 {
			dw.para("", "", []run{{text: "Withheld from this copy:", bold: true}})
			for _, h := range p.Withheld {
				dw.blocks([]block{{kind: bItem, level: 1, bullet: "•", runs: []run{{text: h}}}}, 0)
			}
		} else {
			dw.para("", "", []run{{text: "Nothing was withheld.", italic: true}})
		}
	}
	dw.pageBreak()
	dw.para("TOCHeading", "", []run{{text: "Contents"}})
	for i, s := range p.Sections {
		dw.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="TOC1"/>` + bidiProp(s.Heading) + `</w:pPr>`)
		fmt.Fprintf(&dw.body, `<w:hyperlink w:anchor="section_%d">`, i+1)
		dw.runs([]run{{text: fmt.Sprintf("%d. %s", i+1, s.Heading)}}, `<w:rStyle w:val="Hyperlink"/>`)
		dw.body.WriteString(`</w:hyperlink>`)
		dw.runs([]run{{text: "  " + s.Marking, italic: true}}, `<w:color w:val="A00000"/><w:sz w:val="18"/>`)
		dw.body.WriteString(`</w:p>`)
	}
	dw.pageBreak()
	for i, s := range p.Sections {
		dw.bookm++
		fmt.Fprintf(&dw.body, `<w:p><w:pPr><w:pStyle w:val="Heading1"/>%s</w:pPr><w:bookmarkStart w:id="%d" w:name="section_%d"/>`, bidiProp(s.Heading), dw.bookm, i+1)
		dw.runs([]run{{text: fmt.Sprintf("%d. %s", i+1, s.Heading)}}, "")
		fmt.Fprintf(&dw.body, `<w:bookmarkEnd w:id="%d"/></w:p>`, dw.bookm)
		label := s.Marking
		if s.Kind != "" {
			label += " · " + string(s.Kind)
		}
		dw.para("Marking", "", []run{{text: label}})
		dw.blocks(parseBlocks(s.Body), 1)
	}
}

func (dw *docxWriter) pageBreak() {
	dw.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

// blocks writes Markdown blocks; shift moves their headings down (a body's "#" is Heading 2).
func (dw *docxWriter) blocks(bs []block, shift int) {
	for _, b := range bs {
		switch b.kind {
		case bHeading:
			dw.para(fmt.Sprintf("Heading%d", min(b.level+shift, 3)), "", b.runs)
		case bPara:
			dw.para("", "", b.runs)
		case bQuote:
			dw.para("Quote", "", b.runs)
		case bCode:
			dw.para("Code", "", b.runs)
		case bRule:
			dw.body.WriteString(`<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="999999"/></w:pBdr></w:pPr></w:p>`)
		case bItem:
			lvl := max(b.level, 1)
			ind := fmt.Sprintf(`<w:ind w:left="%d" w:hanging="360"/>`, 360*lvl+360)
			var rs []run
			if b.bullet != "" {
				rs = append(rs, run{text: b.bullet + "\t"})
			}
			dw.para("ListParagraph", ind, append(rs, b.runs...))
		}
	}
}

// para writes a paragraph; a right-to-left first letter makes it a right-to-left paragraph.
func (dw *docxWriter) para(style, pPr string, runs []run) {
	var plain strings.Builder
	for _, r := range runs {
		plain.WriteString(r.text)
	}
	dw.body.WriteString(`<w:p><w:pPr>`)
	if style != "" {
		dw.body.WriteString(`<w:pStyle w:val="` + style + `"/>`)
	}
	dw.body.WriteString(bidiProp(plain.String()) + pPr + `</w:pPr>`)
	dw.runs(runs, "")
	dw.body.WriteString(`</w:p>`)
}

// bidiProp is <w:bidi/> when the text's first strong letter is right-to-left.
func bidiProp(s string) string {
	for _, r := range s {
		if sc := scriptOf(r); sc.rtl {
			return `<w:bidi/>`
		}
		if !isNeutral(r) {
			return ""
		}
	}
	return ""
}

func (dw *docxWriter) runs(runs []run, extra string) {
	for _, r := range runs {
		link := ""
		if LinkAllowed(r.link) {
			dw.rels = append(dw.rels, r.link)
			link = fmt.Sprintf("rIdLink%d", len(dw.rels))
			fmt.Fprintf(&dw.body, `<w:hyperlink r:id="%s">`, link)
		}
		for _, pc := range splitScripts(r.text) {
			var rPr strings.Builder
			if link != "" {
				rPr.WriteString(`<w:rStyle w:val="Hyperlink"/>`)
			}
			if r.mono {
				rPr.WriteString(`<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>`)
			}
			if r.bold {
				rPr.WriteString(`<w:b/><w:bCs/>`)
			}
			if r.italic {
				rPr.WriteString(`<w:i/><w:iCs/>`)
			}
			rPr.WriteString(extra)
			if pc.sc.rtl {
				rPr.WriteString(`<w:rtl/>`)
			}
			lines := strings.Split(pc.text, "\n")
			dw.body.WriteString(`<w:r><w:rPr>` + rPr.String() + `</w:rPr>`)
			for i, l := range lines {
				if i > 0 {
					dw.body.WriteString(`<w:br/>`)
				}
				for j, part := range strings.Split(l, "\t") {
					if j > 0 {
						dw.body.WriteString(`<w:tab/>`)
					}
					if part != "" {
						dw.body.WriteString(`<w:t xml:space="preserve">` + esc(part) + `</w:t>`)
					}
				}
			}
			dw.body.WriteString(`</w:r>`)
		}
		if link != "" {
			dw.body.WriteString(`</w:hyperlink>`)
		}
	}
}

const docxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const docxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

// A4 with 2 cm side margins; the header and footer on every page, the cover's included.
const docxSectPr = `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>` +
	`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1134" w:bottom="1440" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`

func fieldRuns(instr, shown string) string {
	return `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` + instr + ` </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>` + shown + `</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`
}

var docxPageNumber = `<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">Page </w:t></w:r>` +
	fieldRuns("PAGE", "1") + `<w:r><w:t xml:space="preserve"> of </w:t></w:r>` + fieldRuns("NUMPAGES", "1") + `</w:p>`

const docxSettings = xml.Header + `<w:settings xmlns:w="` + nsW + `"><w:defaultTabStop w:val="720"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

const docxStyles = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="480"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="60"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="25"/><w:szCs w:val="25"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="80"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Label"><w:name w:val="Label"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Release"><w:name w:val="Release"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="360"/></w:pPr><w:rPr><w:b/><w:color w:val="A00000"/><w:sz w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Marking"><w:name w:val="Marking"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:color w:val="A00000"/><w:sz w:val="16"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/><w:color w:val="404040"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Code"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:ind w:left="284"/></w:pPr><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>` +
	`</w:styles>`
