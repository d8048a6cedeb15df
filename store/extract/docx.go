package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// maxZipEntries is the most parts of a DOCX archive looked at. Word writes a few dozen; a
// file with more is refused rather than walked.
const maxZipEntries = 10000

// oleMagic starts an OLE compound file: an old Word .doc, or an encrypted OOXML file (Office
// wraps those in one).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0}

// readDOCX reads the text of a Word document: the body of word/document.xml in order
// (paragraphs, headings as Markdown "#" lines, tables one line per row, hyperlink text, tabs
// and line breaks, without deleted revisions), then footnotes and endnotes, and the title,
// author and date of docProps/core.xml when it is there.
//
// Entries are only ever looked up by name in memory; nothing is written to disk, so entry
// names such as "../x" or "/etc/passwd" are harmless. The unpacked size of all entries read
// together is capped at lim.Memory.
func readDOCX(ctx context.Context, data []byte, lim Limits) (Result, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return Result{}, refuse("encrypted, or an old Word .doc file; save it as .docx")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return Result{}, refuse("not a Word document: it is not a zip archive")
		}
		return Result{}, refuse("not a Word document: the archive cannot be opened (%v)", err)
	}
	if len(zr.File) > maxZipEntries {
		return Result{}, refuse("damaged Word document: it holds %d parts, more than the %d allowed", len(zr.File), maxZipEntries)
	}
	z := &docxArchive{files: map[string]*zip.File{}, left: lim.Memory, limit: lim.Memory}
	for _, f := range zr.File {
		name := strings.ToLower(strings.TrimLeft(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		if _, dup := z.files[name]; !dup {
			z.files[name] = f
		}
	}
	body, ok, err := z.read(z.mainPart())
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, refuse("not a Word document: it has no word/document.xml part")
	}
	var res Result
	if core, ok, err := z.read("docProps/core.xml"); err != nil {
		return Result{}, err
	} else if ok {
		res.Title, res.Author, res.Date = docxCore(core)
	}
	styles := map[string]int{}
	if s, ok, err := z.read("word/styles.xml"); err != nil {
		return Result{}, err
	} else if ok {
		styles = docxHeadingStyles(s)
	}
	w := &docxText{ctx: ctx, headings: styles, max: lim.MaxText}
	if err := w.walk(body, ""); err != nil {
		return Result{}, err
	}
	for _, part := range []struct{ name, elem string }{{"word/footnotes.xml", "footnote"}, {"word/endnotes.xml", "endnote"}} {
		notes, ok, err := z.read(part.name)
		if err != nil {
			return Result{}, err
		}
		if ok {
			if err := w.walk(notes, part.elem); err != nil {
				return Result{}, err
			}
		}
	}
	res.Text = w.out.String()
	if strings.TrimSpace(res.Text) == "" {
		res.Empty, res.Reason = true, "no text"
	}
	return res, nil
}

// docxArchive reads parts of a DOCX within a budget of unpacked bytes.
type docxArchive struct {
	files map[string]*zip.File // by lower-case name
	left  int64                // unpacked bytes still allowed
	limit int64                // unpacked bytes allowed in all
}

// mainPart names the document part: the target of the package's officeDocument
// relationship (a few programs call it other than word/document.xml), else
// word/document.xml. The name is only looked up in the archive, never used as a path.
func (z *docxArchive) mainPart() string {
	const def = "word/document.xml"
	b, ok, err := z.read("_rels/.rels")
	if err != nil || !ok {
		return def
	}
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &rels) != nil {
		return def
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") && strings.HasSuffix(strings.ToLower(r.Target), ".xml") {
			name := strings.TrimLeft(path.Clean("/"+r.Target), "/")
			if z.files[strings.ToLower(name)] != nil {
				return name
			}
		}
	}
	return def
}

// read returns the unpacked bytes of the named part; ok is false when there is none.
func (z *docxArchive) read(name string) ([]byte, bool, error) {
	f := z.files[strings.ToLower(name)]
	if f == nil {
		return nil, false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, false, refuse("damaged Word document: %s cannot be unpacked (%v)", name, err)
	}
	defer rc.Close()
	// Room for what the archive declares (within the budget) at once: growing by doubling
	// would hold up to three times the part at the peak.
	b := make([]byte, 0, min(int64(f.UncompressedSize64), z.left)+1)
	for int64(len(b)) <= z.left {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the archive understated the size: grow
		}
		n, rerr := rc.Read(b[len(b):min(int64(cap(b)), z.left+1)])
		b = b[:len(b)+n]
		if rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
	}
	if int64(len(b)) > z.left {
		return nil, false, refuse("damaged Word document: it unpacks to more than %d MB (a zip bomb?)", max(z.limit>>20, 1))
	}
	z.left -= int64(len(b))
	if err != nil {
		return nil, false, refuse("damaged Word document: %s cannot be unpacked (%v)", name, err)
	}
	return b, true, nil
}

// docxCore reads title, author and date from docProps/core.xml; a damaged part gives nothing.
func docxCore(b []byte) (title, author string, date time.Time) {
	var core struct {
		Title    string `xml:"title"`
		Creator  string `xml:"creator"`
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if xml.Unmarshal(b, &core) != nil {
		return "", "", time.Time{}
	}
	for _, s := range []string{core.Created, core.Modified} {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil && t.Year() > 1900 {
			date = t
			break
		}
	}
	return strings.TrimSpace(core.Title), strings.TrimSpace(core.Creator), date
}

// docxHeadingStyles maps style IDs to a heading level (1–6) from styles.xml: "heading N" by
// name, and "Title" as level 1.
func docxHeadingStyles(b []byte) map[string]int {
	var styles struct {
		Style []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	m := map[string]int{}
	if xml.Unmarshal(b, &styles) != nil {
		return m
	}
	for _, s := range styles.Style {
		if n := headingLevel(s.Name.Val); n > 0 {
			m[s.ID] = n
		}
	}
	return m
}

// headingLevel reads "heading 2", "Heading2" or "Title" as a level; 0 for other names.
func headingLevel(name string) int {
	l := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if l == "title" {
		return 1
	}
	if rest, ok := strings.CutPrefix(l, "heading"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 && n <= 9 {
			return min(n, 6)
		}
	}
	return 0
}

// docxText walks WordprocessingML and writes its text.
type docxText struct {
	ctx      context.Context
	headings map[string]int // style ID → heading level
	max      int
	out      strings.Builder

	para   strings.Builder
	style  string
	list   bool
	inText bool
	tables []*docxTable
	skip   int // depth inside a skipped element (deleted revision, fallback content)
}

type docxTable struct {
	rows  []string
	cells []string
	cell  strings.Builder
}

// walk writes the text of one part. noteElem is "" for the main document, or "footnote" /
// "endnote" for those parts, whose separator notes are skipped.
func (w *docxText) walk(part []byte, noteElem string) error {
	d := xml.NewDecoder(bytes.NewReader(part))
	d.CharsetReader = charset.NewReaderLabel // parts may declare another encoding than UTF-8
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return refuse("damaged Word document: %s", xmlProblem(err))
		}
		if n++; n%2048 == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
			if w.out.Len() > w.max {
				return nil
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if w.skip > 0 {
				w.skip++
				continue
			}
			w.start(t, noteElem)
		case xml.EndElement:
			if w.skip > 0 {
				w.skip--
				continue
			}
			w.end(t.Name.Local)
		case xml.CharData:
			if w.skip == 0 && w.inText {
				w.write(string(t))
			}
		}
	}
	w.flushPara()
	return nil
}

func xmlProblem(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("its XML is malformed at line %d (%s)", se.Line, se.Msg)
	}
	return fmt.Sprintf("its XML cannot be read (%v)", err)
}

func (w *docxText) start(t xml.StartElement, noteElem string) {
	switch t.Name.Local {
	case "del", "moveFrom", "Fallback", "instrText", "delText", "delInstrText":
		w.skip = 1
	case "footnote", "endnote":
		if t.Name.Local == noteElem && attr(t, "type") != "" && attr(t, "type") != "normal" {
			w.skip = 1 // separator and continuation notice
		}
	case "p":
		w.flushPara()
		w.style, w.list = "", false
	case "pStyle":
		w.style = attr(t, "val")
	case "numPr":
		w.list = true
	case "t":
		w.inText = true
	case "tab":
		if attr(t, "pos") == "" { // a tab stop in pPr/tabs carries a position; a run's tab does not
			w.write("\t")
		}
	case "br", "cr":
		w.write("\n")
	case "noBreakHyphen":
		w.write("-")
	case "tbl":
		w.flushPara()
		w.tables = append(w.tables, &docxTable{})
	case "tc":
		if tb := w.table(); tb != nil {
			tb.cell.Reset()
		}
	}
}

func (w *docxText) end(local string) {
	switch local {
	case "t":
		w.inText = false
	case "p":
		w.flushPara()
	case "tc":
		if tb := w.table(); tb != nil {
			w.flushPara()
			tb.cells = append(tb.cells, strings.TrimSpace(tb.cell.String()))
			tb.cell.Reset()
		}
	case "tr":
		if tb := w.table(); tb != nil {
			row := strings.Join(tb.cells, " | ")
			if strings.Trim(row, " |") != "" {
				tb.rows = append(tb.rows, row)
			}
			tb.cells = nil
		}
	case "tbl":
		if tb := w.table(); tb != nil {
			w.tables = w.tables[:len(w.tables)-1]
			if outer := w.table(); outer != nil {
				addSep(&outer.cell, strings.Join(tb.rows, "; "), " ")
			} else {
				w.block(strings.Join(tb.rows, "\n"))
			}
		}
	}
}

func (w *docxText) table() *docxTable {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

func (w *docxText) write(s string) {
	if len(w.tables) > 0 {
		s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	}
	w.para.WriteString(s)
}

// flushPara ends the current paragraph: into the current table cell, or as a block.
func (w *docxText) flushPara() {
	p := strings.TrimSpace(w.para.String())
	w.para.Reset()
	if p == "" {
		return
	}
	if tb := w.table(); tb != nil {
		addSep(&tb.cell, p, " ")
		return
	}
	if n := w.headings[w.style]; n > 0 {
		p = strings.Repeat("#", n) + " " + strings.ReplaceAll(p, "\n", " ")
	} else if n := headingLevel(w.style); n > 0 {
		p = strings.Repeat("#", n) + " " + strings.ReplaceAll(p, "\n", " ")
	} else if w.list {
		p = "- " + p
	}
	w.block(p)
}

func (w *docxText) block(s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	addSep(&w.out, s, "\n\n")
}

func addSep(b *strings.Builder, s, sep string) {
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteString(sep)
	}
	b.WriteString(s)
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
