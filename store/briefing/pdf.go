package briefing

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"chancery/store"
)

const (
	pdfMargin = 20.0 // mm
	pdfBody   = 10.5 // pt
)

// pdfWriter lays out a pack with fpdf. It renders twice: the first pass learns the page each
// section starts on and the number of pages, the second prints them in the contents and
// the page footers.
type pdfWriter struct {
	p            *Pack
	f            *fpdf.Fpdf
	latin        *face
	cjk          *face
	starts       []int // page of each section, from the first pass
	links        []int // link targets of the sections
	sectionPages []int // page of each section, in this pass
	total        int   // pages, from the first pass
	missing      map[string]bool
	replaced     map[string]bool // "Arabic\x00heading": a special script printed as a placeholder, and where
	where        string          // the part being written: a section heading, or "" for the cover
	unknown      map[rune]bool   // characters no font has, printed as "?"
	cjkAdded     bool            // cjk is registered with f (in this pass)
	cjkLooked    bool            // findCJKFont has run: cjk is what it found
}

// cjkFace is the CJK font, looked for on this computer when text first needs one (reading
// and parsing it costs some 20 ms, for nothing in a pack without CJK text).
func (pw *pdfWriter) cjkFace() *face {
	if !pw.cjkLooked {
		pw.cjk, pw.cjkLooked = findCJKFont(), true
	}
	return pw.cjk
}

func (p *Pack) writePDF(w io.Writer) error {
	latin, err := newFace("dejavu", latinStyles[""])
	if err != nil {
		return fmt.Errorf("briefing: built-in font: %w", err)
	}
	pw := &pdfWriter{p: p, latin: latin, missing: map[string]bool{}, replaced: map[string]bool{}, unknown: map[rune]bool{}}
	// Pass 1 learns the section pages, the page count and what could not be shown; the
	// notices it adds appear on the cover of pass 2. Should they move a page, pass 3 settles.
	for pass := 0; pass < 3; pass++ {
		if err := pw.render(); err != nil {
			return err
		}
		pw.addNotices()
		if pass > 0 && slices.Equal(pw.starts, pw.sectionPages) && pw.total == pw.f.PageNo() {
			break
		}
		pw.starts, pw.total = pw.sectionPages, pw.f.PageNo()
	}
	if err := pw.f.Output(w); err != nil {
		return fmt.Errorf("briefing: write PDF: %w", err)
	}
	return nil
}

// addNotices adds to the pack what this PDF could not show.
func (pw *pdfWriter) addNotices() {
	p := pw.p
	for _, name := range slices.Sorted(maps.Keys(pw.missing)) {
		p.addNotice(fmt.Sprintf("No font for %s text was found on this computer, so the PDF copy prints a placeholder where it occurs; the DOCX and HTML copies carry it. (Set %s to a TrueType font with %s glyphs, or install one such as Droid Sans Fallback.)", name, cjkFontEnv, name))
	}
	for _, k := range slices.Sorted(maps.Keys(pw.replaced)) {
		name, where, _ := strings.Cut(k, "\x00")
		part := "The cover"
		if where != "" {
			part = fmt.Sprintf("Section %q", where)
		}
		p.addNotice(fmt.Sprintf("%s has %s text, which the PDF copy cannot show (it is written right to left); the PDF prints a placeholder there. The DOCX and HTML copies carry it.", part, name))
	}
	if len(pw.unknown) > 0 {
		var cs []string
		for _, r := range slices.Sorted(maps.Keys(pw.unknown)) {
			if len(cs) == 8 {
				cs = append(cs, "…")
				break
			}
			cs = append(cs, fmt.Sprintf("U+%04X", r))
		}
		p.addNotice(fmt.Sprintf("Some characters have no font in the PDF copy and print as \"?\" (%s); the DOCX and HTML copies carry them.", strings.Join(cs, ", ")))
	}
}

func (pw *pdfWriter) render() error {
	f := fpdf.New("P", "mm", "A4", "")
	pw.f = f
	pw.sectionPages = nil
	for style, ttf := range latinStyles {
		f.AddUTF8FontFromBytes("dejavu", style, ttf)
	}
	f.AddUTF8FontFromBytes("dejavu", "BI", latinStyles["B"])
	// The CJK font (some 4 MB to parse) is added where CJK text first needs it (plain).
	pw.cjkAdded = false
	if err := f.Error(); err != nil {
		return fmt.Errorf("briefing: load fonts for the PDF: %w", err)
	}
	f.SetTitle(pw.p.Title, true)
	f.SetCreator("Chancery", true)
	f.SetCreationDate(pw.p.Date)
	f.SetModificationDate(pw.p.Date)
	f.SetMargins(pdfMargin, pdfMargin+4, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin+2)
	f.SetHeaderFuncMode(pw.header, true)
	f.SetFooterFunc(pw.footer)

	pw.where = ""
	pw.cover()
	pw.where = "Contents"
	pw.contents()
	pw.sections()
	return f.Error()
}

func (pw *pdfWriter) header() {
	f := pw.f
	f.SetY(8)
	f.SetFont("dejavu", "B", 9)
	f.SetTextColor(160, 0, 0)
	f.CellFormat(0, 5, pw.p.Marking, "", 0, "C", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetY(pdfMargin + 4)
}

func (pw *pdfWriter) footer() {
	f := pw.f
	f.SetY(-14)
	f.SetFont("dejavu", "B", 9)
	f.SetTextColor(160, 0, 0)
	f.CellFormat(0, 5, pw.p.Marking, "", 0, "C", false, 0, "")
	f.SetX(pdfMargin)
	f.SetFont("dejavu", "", 8)
	f.SetTextColor(90, 90, 90)
	total := pw.total
	if total == 0 {
		total = f.PageNo()
	}
	f.CellFormat(0, 5, fmt.Sprintf("Page %d of %d", f.PageNo(), total), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

func (pw *pdfWriter) cover() {
	f, p := pw.f, pw.p
	f.AddPage()
	f.SetY(50)
	pw.text([]run{{text: p.Title, bold: true}}, 20, 9)
	f.Ln(14)
	if strings.TrimSpace(p.Purpose) != "" {
		pw.label("Purpose")
		pw.blocks(parseBlocks(p.Purpose))
		f.Ln(2)
	}
	if p.Audience != "" {
		pw.field("Audience", p.Audience)
	}
	pw.field("Date", store.FormatDate(p.Date))
	for _, fd := range p.Fields {
		pw.field(fd.Name, fd.Value)
	}
	pw.field("Marking", p.Marking)
	if p.Ceiling != "" {
		f.Ln(4)
		f.SetTextColor(160, 0, 0)
		pw.text([]run{{text: "Release copy — releasable up to " + p.Ceiling, bold: true}}, 12, 6)
		f.SetTextColor(0, 0, 0)
		f.Ln(8)
		if len(p.Withheld) > 0 {
			pw.label("Withheld from this copy")
			var bs []block
			for _, h := range p.Withheld {
				bs = append(bs, block{kind: bItem, level: 1, bullet: "•", runs: []run{{text: h}}})
			}
			pw.blocks(bs)
		} else {
			pw.text([]run{{text: "Nothing was withheld.", italic: true}}, pdfBody, 5.2)
			f.Ln(6)
		}
	}
	if len(p.Notices) > 0 {
		f.Ln(4)
		pw.label("Notes on this copy")
		var bs []block
		for _, n := range p.Notices {
			bs = append(bs, block{kind: bItem, level: 1, bullet: "•", runs: []run{{text: n, italic: true}}})
		}
		pw.blocks(bs)
	}
}

func (pw *pdfWriter) label(s string) {
	pw.text([]run{{text: s, bold: true}}, 12, 6)
	pw.f.Ln(8)
}

func (pw *pdfWriter) field(name, value string) {
	pw.text([]run{{text: name + ": ", bold: true}, {text: value}}, pdfBody+0.5, 5.5)
	pw.f.Ln(7)
}

func (pw *pdfWriter) contents() {
	f, p := pw.f, pw.p
	f.AddPage()
	pw.text([]run{{text: "Contents", bold: true}}, 16, 8)
	f.Ln(12)
	pw.links = make([]int, len(p.Sections))
	w, _ := f.GetPageSize()
	for i, s := range p.Sections {
		pw.links[i] = f.AddLink()
		page := 0
		if i < len(pw.starts) {
			page = pw.starts[i]
		}
		f.SetRightMargin(pdfMargin + 18)
		pw.text([]run{{text: fmt.Sprintf("%d.  %s", i+1, s.Heading)}, {text: "   " + s.Marking, italic: true}}, pdfBody+0.5, 6)
		f.SetRightMargin(pdfMargin)
		f.SetFont("dejavu", "", pdfBody+0.5)
		f.SetX(w - pdfMargin - 16)
		f.CellFormat(16, 6, fmt.Sprint(page), "", 0, "R", false, pw.links[i], "")
		f.Ln(8)
	}
}

func (pw *pdfWriter) sections() {
	f, p := pw.f, pw.p
	for i, s := range p.Sections {
		if i == 0 {
			f.AddPage()
		} else if _, h := f.GetPageSize(); f.GetY() > h-80 {
			f.AddPage()
		} else {
			f.Ln(6)
		}
		pw.where = s.Heading
		pw.sectionPages = append(pw.sectionPages, f.PageNo())
		f.SetLink(pw.links[i], -1, -1)
		f.Bookmark(s.Heading, 0, -1)
		pw.text([]run{{text: fmt.Sprintf("%d.  %s", i+1, s.Heading), bold: true}}, 15, 7.5)
		f.Ln(8.5)
		f.SetTextColor(160, 0, 0)
		label := s.Marking
		if s.Kind != "" {
			label += " · " + string(s.Kind)
		}
		pw.text([]run{{text: label}}, 8, 4)
		f.SetTextColor(0, 0, 0)
		f.Ln(7)
		pw.blocks(parseBlocks(s.Body))
	}
}

func (pw *pdfWriter) blocks(bs []block) {
	f := pw.f
	for i, b := range bs {
		if i > 0 && bs[i-1].kind == bItem && b.kind != bItem {
			f.Ln(1.5) // a list ends
		}
		switch b.kind {
		case bHeading:
			size := 13.0
			if b.level >= 3 {
				size = 11.5
			}
			if _, h := f.GetPageSize(); f.GetY() > h-50 {
				f.AddPage()
			}
			f.Ln(2)
			rs := slices.Clone(b.runs)
			for i := range rs {
				rs[i].bold = true
			}
			pw.text(rs, size, size*0.5)
			f.Ln(size*0.5 + 2)
		case bPara, bQuote:
			indent := 0.0
			if b.kind == bQuote {
				indent = 6
			}
			pw.indented(indent, func() { pw.text(b.runs, pdfBody, 5.2) })
			f.Ln(5.2 + 2)
		case bItem:
			indent := 6.0 * float64(max(b.level, 1))
			if b.bullet != "" {
				f.SetFont("dejavu", "", pdfBody)
				f.SetX(pdfMargin + indent - 5)
				f.CellFormat(5, 5.2, b.bullet, "", 0, "L", false, 0, "")
			}
			pw.indented(indent, func() { pw.text(b.runs, pdfBody, 5.2) })
			f.Ln(5.2 + 1)
		case bCode:
			f.SetTextColor(60, 60, 60)
			pw.indented(4+6*float64(b.level), func() { pw.text(b.runs, pdfBody-1.5, 4.4) })
			f.SetTextColor(0, 0, 0)
			f.Ln(4.4)
		case bRule:
			w, _ := f.GetPageSize()
			f.Ln(2)
			f.SetDrawColor(150, 150, 150)
			f.Line(pdfMargin, f.GetY(), w-pdfMargin, f.GetY())
			f.Ln(4)
		}
	}
}

// indented runs fn with the left margin moved in by mm.
func (pw *pdfWriter) indented(mm float64, fn func()) {
	pw.f.SetLeftMargin(pdfMargin + mm)
	pw.f.SetX(pdfMargin + mm)
	fn()
	pw.f.SetLeftMargin(pdfMargin)
}

// text writes runs from the current position, wrapping at the margins. Each stretch goes to
// a font that has its glyphs; what no font can show becomes a visible placeholder.
func (pw *pdfWriter) text(runs []run, size, lh float64) {
	for _, r := range runs {
		style := ""
		if r.bold {
			style += "B"
		}
		if r.italic {
			style += "I"
		}
		for _, pc := range splitScripts(r.text) {
			switch {
			case pc.sc.rtl:
				pw.replaced[pc.sc.name+"\x00"+pw.where] = true
				pw.placeholder(fmt.Sprintf("[%s text — see the DOCX or HTML copy]", pc.sc.name), size, lh)
			case pc.sc.cjk && !pw.covers(pw.cjkFace(), pc.text):
				pw.missing[pc.sc.name] = true
				pw.placeholder(fmt.Sprintf("[%s text: no font available]", pc.sc.name), size, lh)
			default:
				pw.plain(pc.text, style, size, lh, r.link)
			}
		}
	}
}

// covers reports whether the font has every letter of s.
func (pw *pdfWriter) covers(fc *face, s string) bool {
	if fc == nil {
		return false
	}
	for _, r := range s {
		if r > ' ' && !fc.has(r) && !pw.latin.has(r) {
			return false
		}
	}
	return true
}

func (pw *pdfWriter) placeholder(s string, size, lh float64) {
	f := pw.f
	f.SetFont("dejavu", "I", size)
	r, g, b := f.GetTextColor()
	f.SetTextColor(110, 110, 110)
	f.Write(lh, s)
	f.SetTextColor(r, g, b)
}

// plain writes ordinary text, in DejaVu where it has the glyph and in the CJK font
// elsewhere; a character neither has is printed as "?".
func (pw *pdfWriter) plain(s, style string, size, lh float64, link string) {
	f := pw.f
	var cur strings.Builder
	curFam := ""
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		st := style
		if curFam == "cjk" {
			st = ""
			if !pw.cjkAdded {
				f.AddUTF8FontFromBytes("cjk", "", pw.cjk.ttf)
				pw.cjkAdded = true
			}
		}
		f.SetFont(curFam, st, size)
		if LinkAllowed(link) {
			f.WriteLinkString(lh, cur.String(), link)
		} else {
			f.Write(lh, cur.String())
		}
		cur.Reset()
	}
	for _, r := range s {
		fam := "dejavu"
		// fpdf keeps character widths for the Basic Multilingual Plane only: a character
		// beyond it (U+10000 and up) would index past them, whatever the font has.
		switch {
		case r == '\n' || r == '\t' || (r <= 0xFFFF && pw.latin.has(r)):
		case r <= 0xFFFF && pw.cjkFace().has(r):
			fam = "cjk"
		default:
			pw.unknown[r] = true
			r = '?'
		}
		if r == '\t' {
			r = ' '
		}
		if fam != curFam {
			flush()
			curFam = fam
		}
		cur.WriteRune(r)
	}
	flush()
}
