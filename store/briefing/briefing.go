package briefing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"chancery/store"
)

// Options tune Compose.
type Options struct {
	// Ceiling, when set, makes a release copy: included items marked above it are left out
	// and listed as withheld. It must be one of the scheme's markings.
	Ceiling string
	// Now is the date printed on the cover; zero means the briefing's own date, or today
	// when it has none.
	Now time.Time
}

// Pack is a briefing ready to write.
type Pack struct {
	Title    string
	Purpose  string // Markdown
	Audience string
	Date     time.Time
	// Fields are more lines for the cover, after the date ("As of", "Period"...).
	Fields   []Field
	Marking  string // the banner: the highest marking of what is included
	Sections []Section
	Withheld []string // sections left out of a release copy: "Section 3 (SECRET)", never their heading
	Ceiling  string   // the release copy's ceiling; empty for a full copy
	// Notices say what could not be included or rendered properly, in words. Compose adds
	// what it found missing; Write adds what the format could not show (Arabic text in a
	// PDF, Chinese text in a PDF when this computer has no font for it).
	Notices []string
}

// Field is a line of the cover: a name and its value, in plain text.
type Field struct{ Name, Value string }

// Section is one resolved section.
type Section struct {
	Heading string
	Kind    store.Kind // the included item's kind; empty for the briefing's own text
	Marking string
	Body    string // Markdown
}

// Formats lists what a pack can be written as, by file extension.
var Formats = []string{"pdf", "docx", "html", "md"}

// ErrNotBriefing: the ID names an item that is not a briefing.
var ErrNotBriefing = errors.New("not a briefing")

// CeilingError: the briefing itself is marked above the release ceiling asked for.
type CeilingError struct {
	Title, Marking, Ceiling string
}

func (e *CeilingError) Error() string {
	return fmt.Sprintf("briefing: %q is itself marked %s, above the release ceiling %s; no release copy can be made at that level", e.Title, e.Marking, e.Ceiling)
}

// Compose reads the briefing with the given ID and what its sections include.
func Compose(ctx context.Context, db *store.DB, id string, opt Options) (*Pack, error) {
	b, err := db.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("briefing %s: %w", id, err)
	}
	if b.Kind != store.KindBriefing || b.Briefing == nil {
		return nil, fmt.Errorf("briefing: %q is a %s: %w", b.Title, b.Kind, ErrNotBriefing)
	}
	if b.Deleted != nil {
		return nil, fmt.Errorf("briefing: %q is in the trash: %w", b.Title, store.ErrNotFound)
	}
	classes, err := db.Classes(ctx)
	if err != nil {
		return nil, err
	}
	r := ranker(classes)
	p := &Pack{
		Title:    b.Title,
		Purpose:  b.Body,
		Audience: b.Briefing.Audience,
		Date:     opt.Now,
	}
	if p.Date.IsZero() {
		p.Date = b.Date
	}
	if p.Date.IsZero() {
		p.Date = time.Now()
	}
	ceiling := -1
	if c := strings.TrimSpace(opt.Ceiling); c != "" {
		c = strings.ToUpper(c)
		i := slices.Index(classes, c)
		if i < 0 {
			return nil, fmt.Errorf("briefing: release ceiling %q is not a marking of the classification scheme (%s)", opt.Ceiling, strings.Join(classes, ", "))
		}
		ceiling, p.Ceiling = i, c
		if r.rank(b.Class) > ceiling {
			return nil, &CeilingError{Title: b.Title, Marking: r.name(b.Class), Ceiling: c}
		}
	}
	marking := r.name(b.Class)
	ids := make([]string, 0, len(b.Briefing.Sections))
	for _, s := range b.Briefing.Sections {
		if s.Ref != "" {
			ids = append(ids, s.Ref)
		}
	}
	got, err := db.GetMany(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("briefing %q: %w", b.Title, err)
	}
	byID := make(map[string]store.Item, len(got))
	for _, it := range got {
		byID[it.ID] = it
	}
	for n, s := range b.Briefing.Sections {
		if s.Ref == "" {
			h := s.Heading
			if h == "" {
				h = fmt.Sprintf("Section %d", n+1)
			}
			p.Sections = append(p.Sections, Section{Heading: h, Marking: r.name(b.Class), Body: s.Text})
			continue
		}
		it, ok := byID[s.Ref]
		// A section's heading is often its item's title (the composer heads it so), and a
		// title is marked as its item is: a withheld section is named by its number and
		// marking only, and so is an unavailable one whose marking is unknown.
		if ok && ceiling >= 0 && r.rank(it.Class) > ceiling {
			p.Withheld = append(p.Withheld, fmt.Sprintf("Section %d (%s)", n+1, r.name(it.Class)))
			continue
		}
		if !ok || it.Deleted != nil {
			h := s.Heading
			if h == "" || (!ok && ceiling >= 0) {
				h = fmt.Sprintf("Section %d", n+1)
			}
			m := r.name(b.Class)
			if ok && r.rank(it.Class) > r.rank(m) {
				m = r.name(it.Class) // the heading may be the trashed item's title
			}
			if r.rank(m) > r.rank(marking) {
				marking = m
			}
			p.Sections = append(p.Sections, Section{Heading: h, Marking: m,
				Body: "*The item included here is no longer available: it was deleted or moved to the trash.*\n"})
			where := fmt.Sprintf("Section %d", n+1)
			if h != where {
				where += fmt.Sprintf(" (%q)", h)
			}
			p.Notices = append(p.Notices, where+": the included item is no longer available (deleted or in the trash); a placeholder stands in its place.")
			continue
		}
		h := s.Heading
		if h == "" {
			h = it.Title
		}
		namer := &orgNamer{ctx: ctx, db: db, r: r, ceiling: ceiling, top: r.rank(it.Class)}
		body := itemBody(namer, it, s)
		m := r.name(it.Class)
		if len(r) > 0 {
			m = r[namer.top] // higher than the item's for an organisation its card names
		}
		if r.rank(m) > r.rank(marking) {
			marking = m
		}
		p.Sections = append(p.Sections, Section{Heading: h, Kind: it.Kind, Marking: m, Body: body})
	}
	p.Marking = marking
	return p, nil
}

func ranker(classes []string) rankFunc { return rankFunc(classes) }

// rankFunc orders markings by the scheme (lowest first); unmarked and unknown markings count
// as the lowest.
type rankFunc []string

func (r rankFunc) rank(c string) int {
	i := slices.Index(r, strings.ToUpper(strings.TrimSpace(c)))
	return max(i, 0)
}

// name is the marking as printed: unmarked is the scheme's lowest.
func (r rankFunc) name(c string) string {
	if len(r) == 0 {
		return strings.ToUpper(c)
	}
	return r[r.rank(c)]
}

// Export composes briefing id and writes it to w in a format of Formats: what leaves the
// store as a file is always a release copy, up to Options.Ceiling or, when that is empty,
// the scheme's lowest marking. An unknown format is refused before anything is read.
func Export(ctx context.Context, db *store.DB, id, format string, opt Options, w io.Writer) (*Pack, error) {
	if !slices.Contains(Formats, strings.ToLower(strings.TrimPrefix(format, "."))) {
		return nil, fmt.Errorf("a briefing cannot be written as %q; the formats are %s", format, strings.Join(Formats, ", "))
	}
	if strings.TrimSpace(opt.Ceiling) == "" {
		classes, err := db.Classes(ctx)
		if err != nil {
			return nil, err
		}
		if len(classes) == 0 {
			return nil, errors.New("briefing: the knowledge base has no classification scheme to export under")
		}
		opt.Ceiling = classes[0]
	}
	p, err := Compose(ctx, db, id, opt)
	if err != nil {
		return nil, err
	}
	if err := p.Write(w, format); err != nil {
		return nil, err
	}
	return p, nil
}

// Write writes the pack in a format of Formats ("pdf", "docx", "html", "md"). Writing a PDF
// may add to Notices.
func (p *Pack) Write(w io.Writer, format string) (err error) {
	// A writer library that fails on some input (a font it cannot read, a character it
	// cannot measure) must cost the export, not the app.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("briefing: the %s could not be written (%v)", format, r)
		}
	}()
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "pdf":
		return p.writePDF(w)
	case "docx":
		return p.writeDOCX(w)
	case "html", "htm":
		return p.writeHTML(w)
	case "md", "markdown":
		return p.writeMarkdown(w)
	}
	return fmt.Errorf("briefing: cannot write %q; the formats are %s", format, strings.Join(Formats, ", "))
}

// addNotice adds a notice once.
func (p *Pack) addNotice(s string) {
	if !slices.Contains(p.Notices, s) {
		p.Notices = append(p.Notices, s)
	}
}
