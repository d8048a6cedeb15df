package store

import (
	"errors"
	"time"
)

// Kind names the kind of an item.
type Kind string

// The kinds of item the store holds.
const (
	KindNote         Kind = "note"
	KindContact      Kind = "contact"
	KindOrganisation Kind = "organisation"
	KindDocument     Kind = "document"
	KindBriefing     Kind = "briefing"
)

// Kinds lists every kind, in the order the product presents them.
var Kinds = []Kind{KindNote, KindContact, KindOrganisation, KindDocument, KindBriefing}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Sentinel errors callers branch on.
var (
	// ErrNotFound: no item (or revision, or file) with that ID.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the item was saved by someone else since it was read (Rev mismatch).
	ErrConflict = errors.New("item was changed since it was read")
	// ErrLocked: another process has the knowledge base open.
	ErrLocked = errors.New("knowledge base is in use by another Chancery process")
	// ErrInvalid: the item breaks a rule (unknown kind, bad country code, unknown marking...).
	ErrInvalid = errors.New("invalid item")
	// ErrDamaged: stored data is damaged or was altered behind the store's back (a data
	// folder whose database vanished or was emptied, an original whose bytes no longer match
	// their recorded SHA-256). Nothing is made new over it.
	ErrDamaged = errors.New("damaged")
)

// Item is one thing the store holds: a note, contact, organisation, document or briefing.
// The common fields are in Item; what only one kind has is in the pointer of that kind
// (exactly one is set, matching Kind).
type Item struct {
	ID      string
	Kind    Kind
	Title   string
	Created time.Time
	Updated time.Time
	// Date is the date the item is about: a meeting's date, a document's date, a
	// briefing's date. Zero when it has none; then Created stands in for it. When only the
	// year is known, Date is 1 January of it at 00:00 UTC (see YearOnly).
	Date time.Time

	Tags      []string
	Countries []string // ISO 3166-1 alpha-3 codes, upper case ("NGA"); "EU" is allowed
	Topics    []string // IDs from the topic taxonomy (see DB.Topics)
	Class     string   // classification marking, one of the scheme's (see DB.Classes)
	Source    string   // where the item came from, in words
	// Reliability is an Admiralty-style grade: a letter A-F for the source and an optional
	// digit 1-6 for the information ("B2"), or empty when ungraded.
	Reliability string
	// Language is an ISO 639-1 code ("en", "fr", "ar", ...), empty when unknown.
	Language string

	// Body is the item's main text: a note's Markdown, a document's extracted text, the free
	// notes of a contact or organisation, a briefing's purpose statement.
	Body string

	// Links are the item's outgoing links; they are saved with it. Incoming links are read
	// with DB.Backlinks.
	Links []Link

	// SourceKey identifies an imported item by its origin (a file's hash, a corpus record's
	// ID). Saving an item whose SourceKey is already stored updates that item instead of
	// adding a duplicate.
	SourceKey string

	Note         *Note         `json:",omitempty"`
	Contact      *Contact      `json:",omitempty"`
	Organisation *Organisation `json:",omitempty"`
	Document     *Document     `json:",omitempty"`
	Briefing     *Briefing     `json:",omitempty"`

	// Read-only, set by the store.
	Rev     int        // number of saves; pass it back unchanged on Save to detect conflicts
	Seq     int64      // change sequence of the last save or deletion
	Deleted *time.Time `json:",omitempty"` // when it was moved to the trash; nil when live
}

// Link is a directed link from one item to another.
type Link struct {
	From string
	To   string
	// Rel says what the link means: "mentions", "participant", "member-of", "annex",
	// "about"... Empty means "mentions".
	Rel string
}

// Note is what a note has beyond the common fields. A meeting record is a note with
// participants (also saved as links with Rel "participant") and a Date.
type Note struct {
	Meeting      bool     `json:",omitempty"`
	Location     string   `json:",omitempty"`
	Participants []string `json:",omitempty"` // contact IDs
}

// Labeled is a labelled value: an email, phone or address with its label ("work", "mobile").
type Labeled struct {
	Label string `json:",omitempty"`
	Value string
}

// Contact is a person.
type Contact struct {
	Honorific   string    `json:",omitempty"` // "H.E.", "Dr", "Ms"
	GivenName   string    `json:",omitempty"`
	FamilyName  string    `json:",omitempty"`
	JobTitle    string    `json:",omitempty"`
	OrgID       string    `json:",omitempty"` // the organisation's item ID
	Role        string    `json:",omitempty"`
	Emails      []Labeled `json:",omitempty"`
	Phones      []Labeled `json:",omitempty"`
	Addresses   []Labeled `json:",omitempty"`
	Languages   []string  `json:",omitempty"` // ISO 639-1
	LastContact time.Time `json:",omitzero"`
	// AgeKey is the person's age public key ("age1..."), to which knowledge packs are
	// encrypted for them (store/pack); checked on save.
	AgeKey string `json:",omitempty"`
}

// Organisation is a ministry, embassy, international organisation, NGO or company.
type Organisation struct {
	Type     string `json:",omitempty"` // "ministry", "embassy", "international", "ngo", "company", "agency"
	Acronym  string `json:",omitempty"`
	ParentID string `json:",omitempty"`
	Website  string `json:",omitempty"`
}

// Import statuses of a document.
const (
	StatusOK     = "ok"     // text extracted
	StatusEmpty  = "empty"  // imported, but no text (a scan, an empty file)
	StatusFailed = "failed" // the file could not be read; StatusReason says why
)

// Document is an imported file. Its extracted text is the item's Body.
type Document struct {
	FileName     string `json:",omitempty"`
	MIME         string `json:",omitempty"`
	Size         int64  `json:",omitempty"`
	SHA256       string `json:",omitempty"` // hex digest of the original; empty when none is kept
	Pages        int    `json:",omitempty"`
	Status       string `json:",omitempty"`
	StatusReason string `json:",omitempty"`
	// Original holds the file's bytes on Save only; it is never filled on read (use
	// DB.Original). Saving with Original set stores the bytes and sets SHA256 and Size.
	Original []byte `json:"-"`
}

// Briefing is an ordered pack for a minister or ambassador. Its purpose is the Body.
type Briefing struct {
	Audience string    `json:",omitempty"`
	Sections []Section `json:",omitempty"`
}

// Section is one section of a briefing: its own Markdown text, or a reference to an item.
type Section struct {
	Heading string `json:",omitempty"`
	Text    string `json:",omitempty"`
	Ref     string `json:",omitempty"` // an item ID
}

// DisplayDate is the date shown and filtered on: Date, or Created when Date is zero.
func (it Item) DisplayDate() time.Time {
	if !it.Date.IsZero() {
		return it.Date
	}
	return it.Created
}

// YearOnly reports whether a date stands for a whole year: 1 January at 00:00 UTC, the form
// an item's Date takes when only its year is known (a UN General Debate statement).
func YearOnly(t time.Time) bool {
	t = t.UTC()
	return !t.IsZero() && t.Month() == time.January && t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// FormatDate writes a date as "2006-01-02", or as the year alone when it stands for one.
func FormatDate(t time.Time) string {
	if YearOnly(t) {
		return t.UTC().Format("2006")
	}
	return t.Format("2006-01-02")
}
