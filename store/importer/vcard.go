package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"

	"chancery/store"
)

// maxContactsFile is the largest vCard or CSV file read.
const maxContactsFile = 32 << 20

// maxCards is the most cards (or CSV rows) read from one file.
const maxCards = 100000

// contact is a contact read from a vCard or a CSV row, before it is saved: the item and the
// name of its organisation (empty when none).
type contact struct {
	item store.Item
	org  string
	// legacy is the key earlier versions gave a record without an ID of its own (its
	// file's name and position), so that what they imported is updated, not duplicated.
	legacy string
}

// RecordError is a card of a vCard file or a row of a CSV file that could not be read.
type RecordError struct {
	Record string // "card 3" or "line 12"
	Err    error
}

func (e RecordError) Error() string { return e.Record + ": " + e.Err.Error() }

// rawCard is one card of a vCard file after normalisation: its lines, unfolded, UTF-8,
// without QUOTED-PRINTABLE, CHARSET or bare 2.1 parameters, and the line it starts at.
type rawCard struct {
	line  int
	lines []string
	err   error // why the card cannot be read (a property too long), when it cannot
}

// maxVCardLine is the longest property (unfolded) read from a vCard file; a card with a
// longer one (other than a photo, logo, sound or key, which are dropped) is refused.
const maxVCardLine = 2 << 20

// splitVCards normalises a vCard file of any version (2.1, 3.0, 4.0) and splits it into
// cards. Outlook's and Android's vCard 2.1 (QUOTED-PRINTABLE values with soft line breaks,
// CHARSET parameters, bare TYPE parameters such as TEL;WORK;VOICE) is rewritten as
// go-vcard reads it; photos, logos, sounds and keys are dropped. Text that is not valid
// UTF-8 and names no charset is read as Windows-1252.
func splitVCards(data []byte) ([]rawCard, []RecordError) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	phys := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	// Unfold into logical lines, each with the number of its first physical line. A line is
	// kept up to maxVCardLine (a photo's may be longer: it is dropped anyway); appending to
	// a byte slice keeps a line folded a million times linear to read.
	type logical struct {
		n    int
		buf  []byte
		long bool // longer than maxVCardLine, cut there
	}
	add := func(l *logical, s string) {
		if left := maxVCardLine - len(l.buf); len(s) > left {
			s, l.long = s[:max(left, 0)], true
		}
		l.buf = append(l.buf, s...)
	}
	var lines []logical
	for i := 0; i < len(phys); i++ {
		l := strings.TrimSuffix(phys[i], "\r")
		if l == "" {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && len(lines) > 0 {
			add(&lines[len(lines)-1], l[1:])
			continue
		}
		cur := logical{n: i + 1}
		add(&cur, l)
		// A quoted-printable value goes on while its line ends with a soft break "=".
		if isQP(l) {
			for bytes.HasSuffix(cur.buf, []byte("=")) && i+1 < len(phys) && !cur.long {
				i++
				cur.buf = cur.buf[:len(cur.buf)-1]
				add(&cur, strings.TrimSuffix(phys[i], "\r"))
			}
		}
		lines = append(lines, cur)
	}
	var cards []rawCard
	var errs []RecordError
	var cur *rawCard
	depth := 0
	for _, ll := range lines {
		l := struct {
			n    int
			text string
		}{ll.n, string(ll.buf)}
		name, params, value, ok := splitProperty(l.text)
		if !ok {
			continue // not a property: ignore, as go-vcard does
		}
		switch name {
		case "BEGIN":
			if !strings.EqualFold(strings.TrimSpace(value), "VCARD") {
				continue
			}
			depth++
			if depth == 1 {
				cur = &rawCard{line: l.n}
			}
			continue
		case "END":
			if !strings.EqualFold(strings.TrimSpace(value), "VCARD") || depth == 0 {
				continue
			}
			depth--
			if depth == 0 && cur != nil {
				cards = append(cards, *cur)
				cur = nil
				if len(cards) >= maxCards {
					errs = append(errs, RecordError{fmt.Sprintf("line %d", l.n), fmt.Errorf("more than %d cards; the rest is not read", maxCards)})
					return cards, errs
				}
			}
			continue
		case "PHOTO", "LOGO", "SOUND", "KEY", "AGENT":
			continue
		}
		if depth != 1 || cur == nil {
			continue // outside a card, or inside a nested one (2.1 AGENT)
		}
		if ll.long {
			if cur.err == nil {
				cur.err = fmt.Errorf("the %s on line %d is longer than %d MB: the card is not read", name, l.n, maxVCardLine>>20)
			}
			continue
		}
		cur.lines = append(cur.lines, normalizeProperty(l.text, name, params, value))
	}
	if cur != nil {
		errs = append(errs, RecordError{fmt.Sprintf("card %d (line %d)", len(cards)+1, cur.line), errors.New("no END:VCARD: the file is cut short")})
	}
	return cards, errs
}

// isQP reports whether a property line says its value is quoted-printable.
func isQP(l string) bool {
	i := strings.IndexByte(l, ':')
	if i < 0 {
		return false
	}
	return strings.Contains(strings.ToUpper(l[:i]), "QUOTED-PRINTABLE")
}

// splitProperty splits "group.NAME;p1;p2=v:value" into the upper-case name (without
// group), the raw parameters and the value.
func splitProperty(l string) (name string, params []string, value string, ok bool) {
	colon := -1
	quoted := false
	for i := 0; i < len(l); i++ {
		if l[i] == '"' {
			quoted = !quoted
		} else if l[i] == ':' && !quoted {
			colon = i
			break
		}
	}
	if colon <= 0 {
		return "", nil, "", false
	}
	head := l[:colon]
	parts := strings.Split(head, ";")
	name = parts[0]
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	name = strings.ToUpper(strings.TrimSpace(name))
	if name == "" {
		return "", nil, "", false
	}
	return name, parts[1:], l[colon+1:], true
}

// normalizeProperty rewrites a property line when it needs it: QUOTED-PRINTABLE decoded,
// CHARSET applied, bare parameters made TYPE=, invalid UTF-8 read as Windows-1252.
func normalizeProperty(l, name string, params []string, value string) string {
	var qp, rewrite bool
	charset := ""
	var kept []string
	for _, p := range params {
		k, v, hasEq := strings.Cut(p, "=")
		ku := strings.ToUpper(strings.TrimSpace(k))
		switch {
		case !hasEq && ku == "QUOTED-PRINTABLE", hasEq && ku == "ENCODING" && strings.EqualFold(v, "QUOTED-PRINTABLE"):
			qp, rewrite = true, true
		case hasEq && ku == "ENCODING" && (strings.EqualFold(v, "8BIT") || strings.EqualFold(v, "7BIT")):
			rewrite = true
		case !hasEq && (ku == "8BIT" || ku == "7BIT"):
			rewrite = true
		case hasEq && ku == "CHARSET":
			charset, rewrite = strings.Trim(v, `"`), true
		case !hasEq:
			if ku != "" {
				kept = append(kept, "TYPE="+strings.ToLower(ku))
			}
			rewrite = true
		default:
			kept = append(kept, p)
		}
	}
	raw := []byte(value)
	if qp {
		dec, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err == nil || len(dec) > 0 {
			raw = dec
		}
	}
	text := decodeCharset(raw, charset)
	if !rewrite && text == value {
		return l
	}
	if qp {
		// Real line breaks from the decoded value become vCard's \n escapes.
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
		text = strings.ReplaceAll(text, "\n", `\n`)
	}
	var b strings.Builder
	b.WriteString(name)
	for _, p := range kept {
		b.WriteByte(';')
		b.WriteString(p)
	}
	b.WriteByte(':')
	b.WriteString(text)
	return b.String()
}

// decodeCharset returns b as UTF-8: decoded from charset when one is named and known,
// else as is when valid UTF-8, else as Windows-1252.
func decodeCharset(b []byte, charset string) string {
	if charset != "" && !strings.EqualFold(charset, "utf-8") {
		if enc, err := htmlindex.Get(charset); err == nil {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				return strings.ToValidUTF8(string(out), "\uFFFD")
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// readVCards reads the cards of a vCard file. A card without a UID is known by its content
// (see contentKey). A card that cannot be read is an
// error naming it; the others are returned.
func readVCards(name string, data []byte) ([]contact, []RecordError) {
	raws, errs := splitVCards(data)
	var out []contact
	for i, rc := range raws {
		var buf strings.Builder
		buf.WriteString("BEGIN:VCARD\r\n")
		for _, l := range rc.lines {
			buf.WriteString(l)
			buf.WriteString("\r\n")
		}
		buf.WriteString("END:VCARD\r\n")
		card, err := vcard.NewDecoder(strings.NewReader(buf.String())).Decode()
		rec := fmt.Sprintf("card %d (line %d)", i+1, rc.line)
		if rc.err != nil {
			err = rc.err
		}
		if err != nil {
			errs = append(errs, RecordError{rec, err})
			continue
		}
		c, err := cardContact(name, i, card)
		if err != nil {
			errs = append(errs, RecordError{rec, err})
			continue
		}
		out = append(out, c)
	}
	return out, errs
}

// cardContact maps the i-th card of the file name to a contact with its SourceKey: the
// card's UID, else its content (contentKey), never the file's name: two files named alike
// ("contacts.vcf" from two phones) hold different people.
func cardContact(name string, i int, card vcard.Card) (contact, error) {
	c, err := cardToContact(card)
	if err != nil {
		return c, err
	}
	if err := c.item.CheckLengths(); err != nil {
		return c, err
	}
	if uid := strings.TrimSpace(card.Value(vcard.FieldUID)); uid != "" {
		c.item.SourceKey = "vcard:" + uid
	} else {
		c.item.SourceKey = contentKey(c.item)
		c.legacy = "vcard:" + recordHash(name, i)
	}
	c.item.Source = "vCard file " + name
	return c, nil
}

// contentKey is the SourceKey of a contact or organisation read without an ID of its own:
// a contact by its first email, else its name; an organisation by its name (the key an
// organisation named by a contact's company has). ImportContacts tells apart records of one
// import that share a key.
func contentKey(it store.Item) string {
	if it.Kind == store.KindOrganisation {
		return "org:" + strings.ToLower(it.Title)
	}
	what := "name\x00" + strings.ToLower(strings.Join(strings.Fields(it.Title), " "))
	if ct := it.Contact; ct != nil && len(ct.Emails) > 0 {
		what = "email\x00" + strings.ToLower(strings.TrimSpace(ct.Emails[0].Value))
	}
	sum := sha256.Sum256([]byte(what))
	return "contact:" + hex.EncodeToString(sum[:16])
}

// recordHash named the i-th record of a file without an ID of its own, before records were
// known by their content (see contact.legacy).
func recordHash(name string, i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s#%d", filepath.Base(name), i)))
	return hex.EncodeToString(sum[:16])
}

// cardToContact maps a card to a contact (or, for KIND:org, an organisation).
func cardToContact(card vcard.Card) (contact, error) {
	clean := func(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")) }
	var c contact
	it := store.Item{Kind: store.KindContact, Title: clean(card.PreferredValue(vcard.FieldFormattedName))}
	if strings.EqualFold(string(card.Kind()), "org") {
		it.Kind = store.KindOrganisation
		o := &store.Organisation{}
		if f := card.Preferred(vcard.FieldURL); f != nil {
			o.Website = clean(f.Value)
		}
		if it.Title == "" {
			it.Title = clean(strings.Split(card.PreferredValue(vcard.FieldOrganization), ";")[0])
		}
		it.Organisation = o
	} else {
		ct := &store.Contact{}
		if n := card.Name(); n != nil {
			ct.GivenName, ct.FamilyName, ct.Honorific = clean(n.GivenName), clean(n.FamilyName), clean(n.HonorificPrefix)
		}
		ct.JobTitle = clean(card.PreferredValue(vcard.FieldTitle))
		ct.Role = clean(card.PreferredValue(vcard.FieldRole))
		for _, f := range card[vcard.FieldEmail] {
			if v := clean(f.Value); v != "" {
				ct.Emails = appendLabeled(ct.Emails, store.Labeled{Label: vcardLabel(f), Value: v})
			}
		}
		for _, f := range card[vcard.FieldTelephone] {
			if v := clean(strings.TrimPrefix(f.Value, "tel:")); v != "" {
				ct.Phones = appendLabeled(ct.Phones, store.Labeled{Label: vcardLabel(f), Value: v})
			}
		}
		for _, f := range card[vcard.FieldAddress] {
			var parts []string
			for _, p := range strings.Split(f.Value, ";") {
				if p = clean(p); p != "" {
					parts = append(parts, p)
				}
			}
			if len(parts) > 0 {
				ct.Addresses = appendLabeled(ct.Addresses, store.Labeled{Label: vcardLabel(f), Value: strings.Join(parts, ", ")})
			}
		}
		if it.Title == "" {
			it.Title = strings.TrimSpace(strings.Join(nonEmpty(ct.Honorific, ct.GivenName, ct.FamilyName), " "))
		}
		if it.Title == "" && len(ct.Emails) > 0 {
			it.Title = ct.Emails[0].Value
		}
		c.org = clean(strings.Split(card.PreferredValue(vcard.FieldOrganization), ";")[0])
		if it.Title == "" {
			it.Title = c.org
		}
		it.Contact = ct
	}
	if it.Title == "" {
		return c, errors.New("card has no name, email or organisation")
	}
	it.Body = clean(strings.Join(card.Values(vcard.FieldNote), "\n\n"))
	it.Class = clean(card.PreferredValue(fieldClass))
	it.Body = unmarkNote(it.Body, it.Class)
	for _, v := range card.Values(fieldCountry) {
		if c, ok := store.LookupCountry(clean(v)); ok {
			it.Countries = append(it.Countries, c.Alpha3)
		}
	}
	if ct := it.Contact; ct != nil {
		for _, v := range card.Values(vcard.FieldLanguage) {
			// A language tag ("en-GB") is kept as its language ("en").
			if v, _, _ = strings.Cut(strings.ToLower(clean(v)), "-"); v != "" && !slices.Contains(ct.Languages, v) {
				ct.Languages = append(ct.Languages, v)
			}
		}
		if d, err := time.Parse(time.DateOnly, clean(card.PreferredValue(fieldLastContact))); err == nil {
			ct.LastContact = d
		}
	}
	for _, cat := range card.Categories() {
		if cat = clean(cat); cat != "" {
			it.Tags = append(it.Tags, cat)
		}
	}
	c.item = it
	return c, nil
}

// vcardLabel is a field's first meaningful TYPE ("work", "home", "cell"), lower case.
func vcardLabel(f *vcard.Field) string {
	for _, t := range f.Params.Types() {
		switch t = strings.ToLower(t); t {
		case "", "pref", "internet", "voice", "x400", "postal", "parcel", "dom", "intl", "text":
		default:
			return t
		}
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// appendLabeled appends l unless a value equal to it (ignoring case) is there already.
func appendLabeled(ls []store.Labeled, l store.Labeled) []store.Labeled {
	for _, x := range ls {
		if strings.EqualFold(x.Value, l.Value) {
			return ls
		}
	}
	return append(ls, l)
}

// ExportFilter narrows an export to the items with a tag and/or about a country, and
// to what is marked up to a ceiling.
type ExportFilter struct {
	Tag, Country string
	// Ceiling is the highest marking the export may carry (a marking of the scheme, any
	// case); "" is the scheme's lowest. Items marked above it are left out, and an
	// organisation marked above it is not named on a contact's card.
	Ceiling string
}

// ExportReport says what an export wrote and what it left out, by ID (never by title: a
// title is marked as its item is).
type ExportReport struct {
	Ceiling     string   // the ceiling applied, upper case
	Written     int      // cards written
	Withheld    []string // IDs of the items left out, marked above the ceiling; sorted
	OrgWithheld []string // IDs of the contacts written without their organisation, which is marked above the ceiling; sorted
}

// ExportVCards writes the live organisations and contacts of db that pass the filter to w
// as vCard 4.0, and says what it wrote and left out. A contact's ORG names its
// organisation, whether or not that organisation is exported too, unless it is marked
// above the ceiling. A card marked above the scheme's lowest marking says so in its NOTE
// ("Marking: RESTRICTED"), which phones and mail programs show, besides X-CHANCERY-CLASS,
// which they drop.
func ExportVCards(ctx context.Context, db *store.DB, w io.Writer, f ExportFilter) (ExportReport, error) {
	classes, err := db.Classes(ctx)
	if err != nil {
		return ExportReport{}, err
	}
	if len(classes) == 0 {
		return ExportReport{}, errors.New("export: the knowledge base has no classification scheme")
	}
	rank := func(c string) int { return max(slices.Index(classes, strings.ToUpper(strings.TrimSpace(c))), 0) }
	rep := ExportReport{Ceiling: classes[0]}
	if c := strings.ToUpper(strings.TrimSpace(f.Ceiling)); c != "" {
		if !slices.Contains(classes, c) {
			return ExportReport{}, fmt.Errorf("export: ceiling %q is not a marking of the classification scheme (%s)", f.Ceiling, strings.Join(classes, ", "))
		}
		rep.Ceiling = c
	}
	ceiling := rank(rep.Ceiling)
	orgs, err := db.List(ctx, store.ListOptions{Kind: store.KindOrganisation})
	if err != nil {
		return ExportReport{}, err
	}
	orgNames := make(map[string]string, len(orgs))
	orgAbove := map[string]bool{}
	for _, o := range orgs {
		if rank(o.Class) > ceiling {
			orgAbove[o.ID] = true
			continue
		}
		orgNames[o.ID] = o.Title
	}
	var items []store.Item
	for _, k := range []store.Kind{store.KindOrganisation, store.KindContact} {
		its, err := db.List(ctx, store.ListOptions{Kind: k, Tag: f.Tag, Country: f.Country, WithBody: true})
		if err != nil {
			return ExportReport{}, err
		}
		for _, it := range its {
			if rank(it.Class) > ceiling {
				rep.Withheld = append(rep.Withheld, it.ID)
				continue
			}
			if it.Contact != nil && orgAbove[it.Contact.OrgID] {
				rep.OrgWithheld = append(rep.OrgWithheld, it.ID)
			}
			if rank(it.Class) > 0 {
				it.Body = strings.TrimSpace(markingLine(classes[rank(it.Class)]) + "\n\n" + it.Body)
			}
			items = append(items, it)
		}
	}
	slices.Sort(rep.Withheld)
	slices.Sort(rep.OrgWithheld)
	bw := bufio.NewWriter(w)
	rep.Written, err = writeVCards(bw, items, orgNames)
	if err == nil {
		err = bw.Flush()
	}
	return rep, err
}

// markingLine is what an exported card's NOTE starts with when it is marked: the marking
// where people see it. Reading the card back drops it again (unmarkNote).
func markingLine(class string) string { return "Marking: " + class }

// unmarkNote is a card's note without the marking line an export put first, when it names
// the card's own marking.
func unmarkNote(note, class string) string {
	if class == "" {
		return note
	}
	rest, ok := strings.CutPrefix(note, markingLine(strings.ToUpper(class)))
	if !ok || (rest != "" && !strings.HasPrefix(rest, "\n")) {
		return note
	}
	return strings.TrimLeft(rest, "\r\n")
}

// writeVCards writes contacts and organisations as vCard 4.0 (other kinds are skipped).
// orgNames maps organisation IDs to names, for a contact's ORG. It returns how many cards
// were written.
func writeVCards(w io.Writer, items []store.Item, orgNames map[string]string) (int, error) {
	enc := vcard.NewEncoder(w)
	n := 0
	for _, it := range items {
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "4.0")
		card.SetValue(vcard.FieldFormattedName, it.Title)
		uid := strings.TrimPrefix(it.SourceKey, "vcard:")
		if uid == it.SourceKey || uid == "" {
			uid = "urn:chancery:" + it.ID
		}
		card.SetValue(vcard.FieldUID, uid)
		switch {
		case it.Kind == store.KindContact && it.Contact != nil:
			ct := it.Contact
			card.SetName(&vcard.Name{FamilyName: ct.FamilyName, GivenName: ct.GivenName, HonorificPrefix: ct.Honorific})
			if ct.JobTitle != "" {
				card.SetValue(vcard.FieldTitle, ct.JobTitle)
			}
			if ct.Role != "" {
				card.SetValue(vcard.FieldRole, ct.Role)
			}
			if org := orgNames[ct.OrgID]; org != "" {
				card.SetValue(vcard.FieldOrganization, escapeComponent(org))
			}
			add := func(key string, ls []store.Labeled, value func(string) string) {
				for _, l := range ls {
					f := &vcard.Field{Value: value(l.Value), Params: vcard.Params{}}
					if l.Label != "" {
						f.Params.Set(vcard.ParamType, l.Label)
					}
					card.Add(key, f)
				}
			}
			same := func(s string) string { return s }
			add(vcard.FieldEmail, ct.Emails, same)
			add(vcard.FieldTelephone, ct.Phones, same)
			add(vcard.FieldAddress, ct.Addresses, func(s string) string {
				// Kept as one line in the street component: the store holds it unsplit.
				return ";;" + escapeComponent(s) + ";;;;"
			})
		case it.Kind == store.KindOrganisation && it.Organisation != nil:
			card.SetKind(vcard.KindOrganization)
			card.SetValue(vcard.FieldOrganization, escapeComponent(it.Title))
			if it.Organisation.Website != "" {
				card.SetValue(vcard.FieldURL, it.Organisation.Website)
			}
		default:
			continue
		}
		if it.Body != "" {
			card.SetValue(vcard.FieldNote, it.Body)
		}
		if len(it.Tags) > 0 {
			card.SetCategories(it.Tags)
		}
		// What vCard has no property for is kept in Chancery's own, so that a card read
		// back keeps its marking, countries and last contact.
		if it.Class != "" {
			card.SetValue(fieldClass, it.Class)
		}
		for _, c := range it.Countries {
			card.Add(fieldCountry, &vcard.Field{Value: c})
		}
		if ct := it.Contact; ct != nil {
			for _, l := range ct.Languages {
				card.Add(vcard.FieldLanguage, &vcard.Field{Value: l})
			}
			if !ct.LastContact.IsZero() {
				card.SetValue(fieldLastContact, ct.LastContact.Format(time.DateOnly))
			}
		}
		if err := enc.Encode(card); err != nil {
			return n, fmt.Errorf("export vCard %s: %w", it.ID, err)
		}
		n++
	}
	return n, nil
}

// Chancery's own vCard properties, for what vCard has no property for.
const (
	fieldClass       = "X-CHANCERY-CLASS"        // the classification marking
	fieldCountry     = "X-CHANCERY-COUNTRY"      // an ISO 3166-1 alpha-3 code, one per property
	fieldLastContact = "X-CHANCERY-LAST-CONTACT" // a date, YYYY-MM-DD
)

// escapeComponent keeps a structured value's component from splitting: go-vcard's encoder
// escapes commas and backslashes but not semicolons, so a semicolon becomes a comma.
func escapeComponent(s string) string {
	return strings.ReplaceAll(s, ";", ",")
}
