package briefing

import (
	"context"
	"errors"
	"io"
	"time"

	"chancery/store"
)

// Options tune Compose.
type Options struct {
	// Ceiling, when set, makes a release copy: included items marked above it are left out
	// and listed as withheld.
	Ceiling string
	// Now is the date printed on the cover; zero means today.
	Now time.Time
}

// Pack is a briefing ready to write.
type Pack struct {
	Title    string
	Purpose  string // Markdown
	Audience string
	Date     time.Time
	Marking  string // the banner: the highest marking of what is included
	Sections []Section
	Withheld []string // headings of sections left out of a release copy
	Ceiling  string   // the release copy's ceiling; empty for a full copy
	Notices  []string // what could not be rendered properly, in words
}

// Section is one resolved section.
type Section struct {
	Heading string
	Kind    store.Kind // the included item's kind; empty for the briefing's own text
	Marking string
	Body    string // Markdown
}

// Formats lists what a pack can be written as, by file extension.
var Formats = []string{"pdf", "docx", "html", "md"}

// Compose reads the briefing with the given ID and what its sections include.
func Compose(ctx context.Context, db *store.DB, id string, opt Options) (*Pack, error) {
	return nil, errNotYet
}

// Write writes the pack in a format of Formats ("pdf", "docx", "html", "md").
func (p *Pack) Write(w io.Writer, format string) error {
	return errNotYet
}

var errNotYet = errors.New("briefing export is not written yet")
