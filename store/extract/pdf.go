package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
)

// readPDF reads the text layer of a PDF with PDFium (compiled to WebAssembly, run by wazero).
// Pages are read one by one as text; nothing is rendered, so page images are never decoded.
func readPDF(ctx context.Context, data []byte, lim Limits) (Result, error) {
	engine, w, err := pdfEngines.acquire(ctx, lim)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		return Result{}, refuse("the PDF reader could not be started (%v)", err)
	}
	// If the deadline passes while PDFium is busy, its module is closed: wazero stops the
	// running WebAssembly code, the call returns an error, and release drops the worker so
	// that the next file gets a fresh instance.
	stop := context.AfterFunc(ctx, w.interrupt)
	r, err := w.read(ctx, data, lim)
	killed := !stop()
	pdfEngines.release(engine, w, err, killed, lim)
	if killed {
		return Result{}, ctx.Err()
	}
	if err != nil {
		return Result{}, w.explain(err, lim)
	}
	return r, nil
}

// read opens the document, reads its metadata and the text of its pages.
func (w *pdfWorker) read(ctx context.Context, data []byte, lim Limits) (Result, error) {
	inst := w.inst
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return Result{}, fmt.Errorf("open: %w", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	var r Result
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return Result{}, fmt.Errorf("count pages: %w", err)
	}
	r.Pages = count.PageCount
	if r.Pages == 0 {
		// PDFium opens some files it cannot decrypt or whose page tree is lost, and finds no
		// pages in them.
		if sec, err := inst.FPDF_GetSecurityHandlerRevision(&requests.FPDF_GetSecurityHandlerRevision{Document: doc.Document}); err == nil && sec.SecurityHandlerRevision != -1 {
			return Result{}, refuse("encrypted: a password is needed to open it")
		}
		return Result{}, refuse("damaged PDF: no pages could be found in it")
	}
	r.Title = w.meta(doc.Document, "Title")
	r.Author = w.meta(doc.Document, "Author")
	r.Date = pdfDate(w.meta(doc.Document, "CreationDate"))

	var text strings.Builder
	for i := 0; i < r.Pages; i++ {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if err := w.checkMemory(lim); err != nil {
			return Result{}, err
		}
		page, err := w.pageText(doc.Document, i)
		if err != nil {
			return Result{}, fmt.Errorf("page %d: %w", i+1, err)
		}
		if page == "" {
			continue
		}
		if text.Len() > 0 {
			text.WriteString("\n\n")
		}
		text.WriteString(page)
		if text.Len() > lim.MaxText {
			break // As cuts the text to MaxText; the remaining pages would be dropped anyway
		}
	}
	if err := w.checkMemory(lim); err != nil {
		return Result{}, err
	}
	r.Text = text.String()
	if strings.TrimSpace(r.Text) == "" {
		r.Text = ""
		r.Empty = true
		r.Reason = "no text layer"
	}
	return r, nil
}

// pageText returns the text of page i (0-based), its lines kept, cleaned of control characters.
func (w *pdfWorker) pageText(doc references.FPDF_DOCUMENT, i int) (string, error) {
	inst := w.inst
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return "", err
	}
	text, err := w.textOf(page.Page)
	if err != nil || text != "" {
		inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
		return text, err
	}
	// A page whose content has no text may carry it in annotations (free-text notes, form
	// fields), which are not part of the page's text until flattened into its content;
	// PDFium then wants the page loaded again. Only the in-memory copy is changed. Pages
	// that have text of their own are not flattened: flattening garbled the text of
	// bug1669099.pdf (subset fonts without a ToUnicode map), so form values on such pages
	// are not read.
	n, err := inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: requests.Page{ByReference: &page.Page}})
	if err != nil || n.Count == 0 {
		inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
		return "", nil
	}
	f, err := inst.FPDFPage_Flatten(&requests.FPDFPage_Flatten{Page: requests.Page{ByReference: &page.Page}, Usage: requests.FPDFPage_FlattenUsageNormalDisplay})
	inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	if err != nil || f.Result != responses.FPDFPage_FlattenResultSuccess {
		return "", nil
	}
	page, err = inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	return w.textOf(page.Page)
}

func (w *pdfWorker) textOf(page references.FPDF_PAGE) (string, error) {
	inst := w.inst
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", err
	}
	if n.Count <= 0 {
		return "", nil
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return "", err
	}
	return cleanPageText(fixUTF8AsUTF16(t.Text)), nil
}

// cleanPageText turns PDFium's page text into lines: CR LF and CR become LF, control
// characters, symbol-font codes and invalid UTF-8 are dropped, lines are trimmed, a line of
// combining marks joins the word it came from, and runs of blank lines shrink to one.
func cleanPageText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			continue
		case r == 0xfffe || r == 0xfeff:
			continue
		case r >= 0xf000 && r <= 0xf0ff:
			// PDFium's code for a glyph of a symbol font (Symbol, Wingdings) that has no
			// Unicode meaning: an arrow or a bullet, nothing a search could find.
			continue
		}
		b.WriteRune(r)
	}
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	blank, glue := true, false
	for _, l := range lines {
		l = strings.Trim(l, " \t\u00a0")
		// PDFium puts a combining mark set above or below a letter (Thai tone marks, some
		// Indic vowel signs) on a line of its own when it sits higher or lower than the
		// letter; such a line belongs to the word it interrupts.
		if len(out) > 0 && !blank && (glue || startsWithMark(l)) {
			out[len(out)-1] += l
			glue = onlyMarks(l)
			continue
		}
		glue = false
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func (w *pdfWorker) meta(doc references.FPDF_DOCUMENT, tag string) string {
	m, err := w.inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc, Tag: tag})
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, m.Value), ""))
}

// explain turns an error from PDFium into a Refusal in words.
func (w *pdfWorker) explain(err error, lim Limits) error {
	var ref *Refusal
	switch {
	case errors.As(err, &ref):
		return err
	case errors.Is(err, pdfiumerrors.ErrPassword):
		return refuse("encrypted: a password is needed to open it")
	case errors.Is(err, pdfiumerrors.ErrSecurity):
		return refuse("encrypted with a method Chancery cannot open")
	case errors.Is(err, pdfiumerrors.ErrFormat):
		return refuse("damaged PDF: the file is not a PDF or is too damaged to repair")
	case errors.Is(err, pdfiumerrors.ErrFile):
		return refuse("damaged PDF: the file could not be read")
	case errors.Is(err, pdfiumerrors.ErrPage):
		return refuse("damaged PDF: a page could not be read")
	case errors.Is(err, pdfiumerrors.ErrUnknown), errors.Is(err, pdfiumerrors.ErrUnexpected):
		return refuse("damaged PDF: it could not be opened")
	}
	if w.memoryExhausted(lim) {
		return refuse("too large to read within the memory limit (%d MB)", lim.Memory>>20)
	}
	msg, _, _ := strings.Cut(err.Error(), "\n") // wazero adds a WebAssembly stack trace
	return refuse("damaged PDF: the PDF reader stopped on it (%s)", cut(msg, 200))
}

func startsWithMark(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me)
}

func onlyMarks(s string) bool {
	for _, r := range s {
		if !unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			return false
		}
	}
	return s != ""
}
