package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Format is a kind of document file.
type Format string

const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
	HTML Format = "html"
	Text Format = "text"
)

// MIME is the media type of a format.
func (f Format) MIME() string {
	switch f {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case HTML:
		return "text/html"
	case Text:
		return "text/plain"
	}
	return "application/octet-stream"
}

// Result is what was read from a file.
type Result struct {
	Format Format
	Title  string    // the document's own title (metadata, <title>, first heading); may be empty
	Author string    // may be empty
	Date   time.Time // the document's own date; zero when unknown
	Text   string    // the extracted text; paragraphs separated by blank lines
	Pages  int       // PDF pages; 0 for other formats
	// Empty is set when the file was read but holds no text (a scan, a blank page); Reason
	// says so in words ("no text layer").
	Empty  bool
	Reason string
}

// Limits bound what one file may cost.
type Limits struct {
	Time    time.Duration // wall time for one file
	MaxSize int64         // the largest file accepted, in bytes
	Memory  int64         // what a parser may inflate or allocate (PDF engine memory, unzipped bytes)
	MaxText int           // the longest text returned, in bytes; longer text is cut at a paragraph
}

// DefaultLimits suit an ordinary laptop.
var DefaultLimits = Limits{Time: 30 * time.Second, MaxSize: 200 << 20, Memory: 512 << 20, MaxText: 16 << 20}

// Refusal is why a file could not be read.
type Refusal struct {
	Reason string
}

func (r *Refusal) Error() string { return r.Reason }

func refuse(format string, args ...any) error {
	return &Refusal{Reason: fmt.Sprintf(format, args...)}
}

// Detect names the format of a file from its first bytes, and from its name where the bytes
// do not say. ok is false for formats this package does not read.
func Detect(name string, data []byte) (Format, bool) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return PDF, true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) && strings.EqualFold(filepath.Ext(name), ".docx"):
		return DOCX, true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return PDF, true
	case ".docx":
		return DOCX, true
	case ".html", ".htm", ".xhtml":
		return HTML, true
	case ".txt", ".text":
		return Text, true
	}
	l := bytes.ToLower(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"))
	if bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html")) {
		return HTML, true
	}
	return "", false
}

// File reads the text of one file. name is used to choose the format where the bytes do not
// say and in messages; data is the whole file.
func File(ctx context.Context, name string, data []byte, lim Limits) (Result, error) {
	f, ok := Detect(name, data)
	if !ok {
		return Result{}, refuse("not a document Chancery reads (PDF, DOCX, HTML or text)")
	}
	return As(ctx, f, data, lim)
}

// As reads data as the given format, within the limits.
func As(ctx context.Context, f Format, data []byte, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxSize {
		return Result{}, refuse("too large (%d MB; the limit is %d MB)", len(data)>>20, lim.MaxSize>>20)
	}
	var read func(context.Context, []byte, Limits) (Result, error)
	switch f {
	case PDF:
		read = readPDF
	case DOCX:
		read = readDOCX
	case HTML:
		read = readHTML
	case Text:
		read = readText
	default:
		return Result{}, refuse("not a document Chancery reads (PDF, DOCX, HTML or text)")
	}
	return run(ctx, f, read, data, lim)
}

// run calls read within lim.Time, turning a panic into a refusal.
func run(ctx context.Context, f Format, read func(context.Context, []byte, Limits) (Result, error), data []byte, lim Limits) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, lim.Time)
	defer cancel()
	type outcome struct {
		r   Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if p := recover(); p != nil {
				o = outcome{err: refuse("the %s reader failed on this file (%v)", f, p)}
			}
			done <- o
		}()
		o.r, o.err = read(ctx, data, lim)
	}()
	select {
	case o := <-done:
		if o.err != nil {
			if ctx.Err() != nil && errors.Is(o.err, ctx.Err()) {
				return Result{}, timeoutOr(ctx, lim)
			}
			return Result{}, o.err
		}
		o.r.Format = f
		o.r.Text = cut(strings.TrimSpace(o.r.Text), lim.MaxText)
		if o.r.Text == "" && !o.r.Empty {
			o.r.Empty = true
			if o.r.Reason == "" {
				o.r.Reason = "no text"
			}
		}
		return o.r, nil
	case <-ctx.Done():
		// The parser goroutine is left to finish on its own; its result is dropped.
		return Result{}, timeoutOr(ctx, lim)
	}
}

func timeoutOr(ctx context.Context, lim Limits) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return refuse("took longer than %s to read; stopped", lim.Time)
	}
	return ctx.Err()
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.Time > 0 {
		d.Time = l.Time
	}
	if l.MaxSize > 0 {
		d.MaxSize = l.MaxSize
	}
	if l.Memory > 0 {
		d.Memory = l.Memory
	}
	if l.MaxText > 0 {
		d.MaxText = l.MaxText
	}
	return d
}

// cut shortens text to at most max bytes, at a paragraph break where there is one.
func cut(text string, max int) string {
	if len(text) <= max {
		return text
	}
	t := text[:max]
	if i := strings.LastIndex(t, "\n\n"); i > max/2 {
		return t[:i]
	}
	for len(t) > 0 && t[len(t)-1]&0xC0 == 0x80 {
		t = t[:len(t)-1]
	}
	if len(t) > 0 && t[len(t)-1] >= 0xC0 {
		t = t[:len(t)-1]
	}
	return t
}
