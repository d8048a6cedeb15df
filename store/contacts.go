package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// DuplicateGroup is a set of live contacts that are likely the same person, and why.
type DuplicateGroup struct {
	Reasons []string // "email a@b.org", "name jane doe"
	Items   []Item   // ordered by title, then ID
}

// DuplicateContacts lists groups of live contacts that share an email address (ignoring
// case) or a given and family name (ignoring case, accents and spaces: see foldName).
// Contacts linked through a chain of such matches form one group. Nothing is changed:
// MergeContacts merges a group on request.
func (db *DB) DuplicateContacts(ctx context.Context) ([]DuplicateGroup, error) {
	items, err := db.List(ctx, ListOptions{Kind: KindContact})
	if err != nil {
		return nil, fmt.Errorf("store: duplicate contacts: %w", err)
	}
	parent := make([]int, len(items))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := map[string]int{}  // key -> first item with it
	shared := map[string]int{} // key -> how many items have it
	for i, it := range items {
		for _, k := range duplicateKeys(it) {
			shared[k]++
			if j, ok := first[k]; ok {
				parent[find(i)] = find(j)
			} else {
				first[k] = i
			}
		}
	}
	groups := map[int]*DuplicateGroup{}
	var roots []int
	for i, it := range items {
		r := find(i)
		g, ok := groups[r]
		if !ok {
			g = &DuplicateGroup{}
			groups[r] = g
			roots = append(roots, r)
		}
		g.Items = append(g.Items, it)
		for _, k := range duplicateKeys(it) {
			if shared[k] > 1 && !slices.Contains(g.Reasons, k) {
				g.Reasons = append(g.Reasons, k)
			}
		}
	}
	var out []DuplicateGroup
	for _, r := range roots {
		if g := groups[r]; len(g.Items) > 1 {
			sort.Strings(g.Reasons)
			out = append(out, *g)
		}
	}
	return out, nil
}

// duplicateKeys are the keys on which two contacts are taken for the same person.
func duplicateKeys(it Item) []string {
	c := it.Contact
	if c == nil {
		return nil
	}
	var keys []string
	for _, e := range c.Emails {
		if v := strings.ToLower(strings.TrimSpace(e.Value)); v != "" {
			keys = append(keys, "email "+v)
		}
	}
	g, f := foldName(c.GivenName), foldName(c.FamilyName)
	if g != "" && f != "" {
		keys = append(keys, "name "+g+" "+f)
	}
	return keys
}

// foldName is a name as duplicates are matched on: spaces collapsed, case and accents
// folded ("José  Núñez" and "JOSE NUNEZ" are the same), and letters that are not
// decomposable mapped by hand (ø, ł, đ, ß...).
func foldName(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if m, ok := unfoldable[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unfoldable maps the lower-case letters that do not decompose into a base letter and
// marks.
var unfoldable = map[rune]string{'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'þ': "th"}

// MergeContacts merges contacts into the first of ids: the kept item gets the union of
// their emails, phones, addresses, tags, countries, topics and outgoing links, empty fields
// filled from the others and their notes appended to its body. Links to the others from any
// item (and meeting participants) are moved to the kept one; the others go to the trash,
// where they can be restored from. All in one transaction. It returns the kept item.
func (db *DB) MergeContacts(ctx context.Context, ids []string) (Item, error) {
	if len(ids) < 2 {
		return Item{}, fmt.Errorf("store: merge contacts: %w: give at least two contacts", ErrInvalid)
	}
	var kept Item
	err := db.tx(ctx, func(tx *sql.Tx) error {
		classes, topics, err := vocabulary(ctx, tx)
		if err != nil {
			return err
		}
		w := &itemWriter{db: db, tx: tx, now: time.Now().UTC().Truncate(time.Millisecond), classes: classes, topics: topics}
		defer w.close()
		var items []Item
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			it, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", id))
			if err != nil {
				return fmt.Errorf("%s: %w", id, notFound(err))
			}
			if it.Kind != KindContact || it.Contact == nil {
				return fmt.Errorf("%w: %s is a %s, not a contact", ErrInvalid, id, it.Kind)
			}
			if it.Deleted != nil {
				return fmt.Errorf("%w: %s is in the trash", ErrInvalid, id)
			}
			items = append(items, it)
		}
		if len(items) < 2 {
			return fmt.Errorf("%w: give at least two different contacts", ErrInvalid)
		}
		keep := items[0]
		c := *keep.Contact
		gone := map[string]bool{}
		for _, o := range items[1:] {
			gone[o.ID] = true
			oc := o.Contact
			c.Emails = unionLabeled(c.Emails, oc.Emails)
			c.Phones = unionLabeled(c.Phones, oc.Phones)
			c.Addresses = unionLabeled(c.Addresses, oc.Addresses)
			c.Languages = unionStrings(c.Languages, oc.Languages)
			fill := func(dst *string, src string) {
				if *dst == "" {
					*dst = src
				}
			}
			fill(&c.Honorific, oc.Honorific)
			fill(&c.GivenName, oc.GivenName)
			fill(&c.FamilyName, oc.FamilyName)
			fill(&c.JobTitle, oc.JobTitle)
			fill(&c.Role, oc.Role)
			fill(&c.OrgID, oc.OrgID)
			fill(&c.AgeKey, oc.AgeKey)
			if oc.LastContact.After(c.LastContact) {
				c.LastContact = oc.LastContact
			}
			keep.Tags = unionStrings(keep.Tags, o.Tags)
			keep.Countries = unionStrings(keep.Countries, o.Countries)
			keep.Topics = unionStrings(keep.Topics, o.Topics)
			if b := strings.TrimSpace(o.Body); b != "" && !strings.Contains(keep.Body, b) {
				if keep.Body != "" {
					keep.Body += "\n\n"
				}
				keep.Body += b
			}
			if classes[o.Class] > classes[keep.Class] {
				keep.Class = o.Class // never lower a marking by merging
			}
			for _, l := range o.Links {
				keep.Links = appendLink(keep.Links, Link{To: l.To, Rel: l.Rel}, keep.ID)
			}
		}
		keep.Contact = &c
		keep.Links = moveLinks(keep.Links, gone, keep.ID, keep.ID)
		saved, err := w.save(ctx, keep)
		if err != nil {
			return err
		}
		// Items linking to the merged ones now link to the kept one.
		var from []string
		for id := range gone {
			rows, err := tx.QueryContext(ctx, "SELECT DISTINCT from_id FROM links WHERE to_id = ?", id)
			if err != nil {
				return err
			}
			for rows.Next() {
				var f string
				if err := rows.Scan(&f); err != nil {
					rows.Close()
					return err
				}
				if !gone[f] && f != keep.ID && !slices.Contains(from, f) {
					from = append(from, f)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		sort.Strings(from)
		for _, f := range from {
			it, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", f))
			if err != nil {
				return err
			}
			it.Links = moveLinks(it.Links, gone, keep.ID, it.ID)
			if it.Note != nil {
				for i, p := range it.Note.Participants {
					if gone[p] {
						it.Note.Participants[i] = keep.ID
					}
				}
				it.Note.Participants = unionStrings(nil, it.Note.Participants)
			}
			wasDeleted := it.Deleted
			if _, err := w.save(ctx, it); err != nil {
				return fmt.Errorf("move links of %s: %w", f, err)
			}
			if wasDeleted != nil { // saving restores; a trashed item stays in the trash
				if _, err := w.exec(ctx, "UPDATE items SET deleted = ? WHERE id = ?", toMillis(*wasDeleted), f); err != nil {
					return err
				}
			}
		}
		seq, err := w.nextSeq(ctx)
		if err != nil {
			return err
		}
		for id := range gone {
			if _, err := w.exec(ctx, "UPDATE items SET deleted = ?, seq = ? WHERE id = ?", toMillis(w.now), seq, id); err != nil {
				return err
			}
		}
		kept = saved
		return nil
	})
	if err != nil {
		return Item{}, fmt.Errorf("store: merge contacts %s: %w", strings.Join(ids, ", "), err)
	}
	return kept, nil
}

// moveLinks points the links of the item self to any of gone at to instead, without
// duplicates or self-links.
func moveLinks(ls []Link, gone map[string]bool, to, self string) []Link {
	var out []Link
	for _, l := range ls {
		if gone[l.To] {
			l.To = to
		}
		out = appendLink(out, l, self)
	}
	return out
}

// appendLink appends l unless it is there already or links self to itself.
func appendLink(ls []Link, l Link, self string) []Link {
	if l.To == self && self != "" {
		return ls
	}
	for _, x := range ls {
		if x.To == l.To && x.Rel == l.Rel {
			return ls
		}
	}
	return append(ls, l)
}

func unionLabeled(a, b []Labeled) []Labeled {
	out := append([]Labeled(nil), a...)
	for _, l := range b {
		dup := false
		for _, x := range out {
			if strings.EqualFold(strings.TrimSpace(x.Value), strings.TrimSpace(l.Value)) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}

func unionStrings(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
