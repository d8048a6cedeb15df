package pack

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"chancery/store"
)

// Format and FormatVersion are what a pack's header says it is; Read refuses a higher FormatVersion.
const (
	Format        = "chancery-pack"
	FormatVersion = 2
)

// Errors Read returns, wrapped with what was wrong, in words.
var (
	// ErrPassphrase: no passphrase or identity given opens the pack.
	ErrPassphrase = errors.New("the pack cannot be opened with the passphrase or identity given")
	// ErrDamaged: not a pack, or a pack truncated or altered.
	ErrDamaged = errors.New("the pack is damaged")
	// ErrNewer: the pack is from a newer format than this Chancery reads.
	ErrNewer = errors.New("the pack is from a newer Chancery")
)

// maxRecord bounds one record (a line): an original of up to 512 MB, in base64.
const maxRecord = 700 << 20

// Header is a pack's first record.
type Header struct {
	Type      string    `json:"type"`
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	Created   time.Time `json:"created"`
	From      string    `json:"from"`
	Ceiling   string    `json:"ceiling"`
	Classes   []string  `json:"classes"`
	Selection string    `json:"selection"`
	// Topics are the topics the pack's versions use, with their parents: what another
	// taxonomy may lack.
	Topics []Topic `json:"topics,omitempty"`
}

// Topic is a topic of the taxonomy, as a pack's header carries it.
type Topic struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Parent string `json:"parent,omitempty"`
}

// Version is one version of an item in a pack.
type Version struct {
	Rev    int
	Saved  time.Time // when it was replaced by the next version; zero for the current one
	Hash   string    // Item.ContentHash
	Parent string    // the Hash of the version it was made from; "" for a first version
	// Parents, when set, are all the versions it was made from (a merge or a conflict's
	// resolution names several, and a marker "resolved:C:O"; store.DB.VersionParents);
	// Parent is then the first of them that is a version.
	Parents []string
	// Gen and Deleted, on the current version only: its trash generation
	// (store.TrashMark; odd when deleted, even when restored) and whether the item is in
	// the trash (Options.Trash).
	Gen     int
	Deleted bool
	Item    store.Item
}

// Entry is one item of a pack with its history.
type Entry struct {
	ID       string
	Versions []Version // oldest first; the last is the current version
}

// Pack is a knowledge pack in memory: made by Collect, written by Write, read by Read.
type Pack struct {
	Header    Header
	Entries   []Entry
	Originals map[string][]byte // by SHA-256 (hex)
	// Records are the records of the pack's incidents (format version 2), released up
	// to the ceiling: one per incident that holds any, in the order of Entries.
	Records []store.IncidentRecords

	// Withheld lists the items Collect left out, as "ID (MARKING)", for the person
	// exporting; it is never written into the pack.
	Withheld []string
}

// Options tune Collect.
type Options struct {
	// Ceiling is the highest marking the pack may hold; the scheme's lowest when empty.
	// Callers pass the policy's export ceiling.
	Ceiling string
	// Selection says in words what was selected ("tag:oil-spill"), kept in the header.
	Selection string
	// Trash also packs the items in the trash, their current version marked Deleted (a
	// tombstone, for team sync), and leaves out the items another desk withdrew
	// (store.DB.Withdrawals); without it items in the trash are skipped.
	Trash bool
}

// Collect reads the live items ids (in that order, once each) with their histories and
// originals into a pack, leaving out everything above the ceiling (see the package doc).
// An ID that is not in the knowledge base is an error naming it; items in the trash are
// skipped.
func Collect(ctx context.Context, db *store.DB, ids []string, opt Options) (*Pack, error) {
	classes, err := db.Classes(ctx)
	if err != nil {
		return nil, err
	}
	ceiling := strings.ToUpper(strings.TrimSpace(opt.Ceiling))
	if ceiling == "" && len(classes) > 0 {
		ceiling = classes[0]
	}
	ceil := slices.Index(classes, ceiling)
	if ceil < 0 {
		return nil, fmt.Errorf("pack: the ceiling %q is not a marking of the classification scheme (%s)", opt.Ceiling, strings.Join(classes, ", "))
	}
	allowed := func(class string) bool {
		i := slices.Index(classes, class)
		return i >= 0 && i <= ceil
	}
	var uniq []string
	seen := map[string]bool{}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	items, err := db.GetMany(ctx, uniq)
	if err != nil {
		return nil, err
	}
	if len(items) < len(uniq) {
		found := map[string]bool{}
		for _, it := range items {
			found[it.ID] = true
		}
		for _, id := range uniq {
			if !found[id] {
				return nil, fmt.Errorf("pack: no item %s in the knowledge base", id)
			}
		}
	}
	p := &Pack{
		Header: Header{Type: "header", Format: Format, Version: FormatVersion, Created: time.Now().UTC().Truncate(time.Second),
			From: db.Identity(), Ceiling: ceiling, Classes: classes, Selection: opt.Selection},
		Originals: map[string][]byte{},
	}
	// Items another desk withdrew from the team are not sent again (team sync).
	withdrawn := map[string]bool{}
	if opt.Trash {
		ws, err := db.Withdrawals(ctx)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			withdrawn[w.ID] = true
		}
	}
	type chain struct {
		id   string
		revs []store.Revision // oldest first
		cur  store.Item
	}
	var chains []chain
	refs := map[string]bool{}
	for _, it := range items {
		if it.Deleted != nil && !opt.Trash || withdrawn[it.ID] {
			continue
		}
		if !allowed(it.Class) {
			p.Withheld = append(p.Withheld, fmt.Sprintf("%s (%s)", it.ID, it.Class))
			continue
		}
		revs, err := db.Revisions(ctx, it.ID)
		if err != nil {
			return nil, err
		}
		slices.Reverse(revs)
		c := chain{id: it.ID, revs: revs, cur: it}
		for _, v := range append(revItems(revs), it) {
			for _, r := range v.References() {
				refs[r] = true
			}
		}
		chains = append(chains, c)
	}
	// Which referenced items may be named: those at or below the ceiling, and IDs of
	// nothing (only an ID).
	refIDs := make([]string, 0, len(refs))
	for id := range refs {
		refIDs = append(refIDs, id)
	}
	slices.Sort(refIDs)
	refItems, err := db.GetMany(ctx, refIDs)
	if err != nil {
		return nil, err
	}
	hidden := map[string]bool{}
	for _, it := range refItems {
		if !allowed(it.Class) {
			hidden[it.ID] = true
		}
	}
	for _, c := range chains {
		e := Entry{ID: c.id}
		// The versions each version was made from (by the hashes of the versions as
		// stored; translated to the hashes as packed below).
		stored, err := db.VersionParents(ctx, c.id)
		if err != nil {
			return nil, err
		}
		packed := map[string]string{}
		for _, it := range append(revItems(c.revs), c.cur) {
			packed[it.ContentHash()] = it.Without(func(id string) bool { return hidden[id] }).ContentHash()
		}
		add := func(rev int, saved time.Time, it store.Item) error {
			sh := it.ContentHash()
			it = it.Without(func(id string) bool { return hidden[id] })
			h := it.ContentHash()
			if !allowed(it.Class) {
				return nil // a revision that was above the ceiling: left out, named by its child
			}
			if d := it.Document; d != nil && d.SHA256 != "" {
				if _, ok := p.Originals[d.SHA256]; !ok {
					data, err := db.OriginalBySHA(ctx, d.SHA256)
					if err != nil {
						return fmt.Errorf("pack: the original file of %s (revision %d) cannot be read; run chancery check: %w", c.id, rev, err)
					}
					p.Originals[d.SHA256] = data
				}
			}
			var parents []string
			for _, p := range stored[sh] {
				if q, ok := packed[p]; ok {
					p = q
				}
				parents = append(parents, p)
			}
			v := Version{Rev: rev, Saved: saved, Hash: h, Item: it}
			for _, p := range parents {
				if !strings.HasPrefix(p, "resolved:") {
					v.Parent = p
					break
				}
			}
			if len(parents) > 1 || len(parents) == 1 && parents[0] != v.Parent {
				v.Parents = parents
			}
			e.Versions = append(e.Versions, v)
			return nil
		}
		for _, r := range c.revs {
			if err := add(r.Rev, r.Saved, r.Item); err != nil {
				return nil, err
			}
		}
		if err := add(c.cur.Rev, time.Time{}, c.cur); err != nil {
			return nil, err
		}
		if n := len(e.Versions); n > 0 && e.Versions[n-1].Rev == c.cur.Rev {
			gen, err := db.TrashGen(ctx, c.id, c.cur.ContentHash())
			if err != nil {
				return nil, err
			}
			e.Versions[n-1].Gen, e.Versions[n-1].Deleted = gen, c.cur.Deleted != nil
			e.Versions[n-1].Item.Deleted = nil
		}
		p.Entries = append(p.Entries, e)
	}
	if err := p.collectRecords(ctx, db, allowed); err != nil {
		return nil, err
	}
	if err := p.addTopics(ctx, db); err != nil {
		return nil, err
	}
	return p, nil
}

// addTopics puts in the header the topics the pack's versions use, with their parents.
func (p *Pack) addTopics(ctx context.Context, db *store.DB) error {
	all, err := db.Topics(ctx)
	if err != nil {
		return err
	}
	byID := map[string]store.Topic{}
	for _, t := range all {
		byID[t.ID] = t
	}
	used := map[string]bool{}
	for _, e := range p.Entries {
		for _, v := range e.Versions {
			for _, id := range v.Item.Topics {
				for depth := 0; id != "" && !used[id] && depth < 20; depth++ {
					used[id] = true
					id = byID[id].Parent
				}
			}
		}
	}
	for _, t := range all {
		if used[t.ID] {
			p.Header.Topics = append(p.Header.Topics, Topic{ID: t.ID, Label: t.Label, Parent: t.Parent})
		}
	}
	return nil
}

// Options for store.DB.ApplyPack: the pack's topics, and opt.
func (p *Pack) ApplyOptions(opt store.ApplyOptions) store.ApplyOptions {
	opt.Records = append(opt.Records, p.Records...)
	for _, t := range p.Header.Topics {
		opt.Topics = append(opt.Topics, store.Topic{ID: t.ID, Label: t.Label, Parent: t.Parent})
	}
	return opt
}

func revItems(revs []store.Revision) []store.Item {
	out := make([]store.Item, len(revs))
	for i, r := range revs {
		out[i] = r.Item
	}
	return out
}

// Placeholder is the text of a briefing section whose included item the pack withholds.
const Placeholder = store.WithheldSection

// Incoming is the pack as store.DB.ApplyPack takes it.
func (p *Pack) Incoming() []store.Incoming {
	out := make([]store.Incoming, 0, len(p.Entries))
	for _, e := range p.Entries {
		if len(e.Versions) == 0 {
			continue
		}
		cur := e.Versions[len(e.Versions)-1]
		in := store.Incoming{Item: cur.Item, Parents: map[string][]string{}, Tombstone: cur.Deleted, Gen: cur.Gen}
		for _, v := range e.Versions {
			if v.Parent != "" {
				in.Ancestors = append(in.Ancestors, v.Parent)
			}
			ps := v.Parents
			if ps == nil && v.Parent != "" {
				ps = []string{v.Parent}
			}
			in.Parents[v.Hash] = append(in.Parents[v.Hash], ps...)
		}
		for _, v := range e.Versions[:len(e.Versions)-1] {
			in.Revisions = append(in.Revisions, store.Revision{Rev: v.Rev, Saved: v.Saved, Item: v.Item})
			in.Ancestors = append(in.Ancestors, v.Hash)
		}
		out = append(out, in)
	}
	return out
}

// Items counts the items of the pack, and Revisions their earlier versions.
func (p *Pack) Items() int { return len(p.Entries) }

// Revisions counts the earlier versions the pack holds.
func (p *Pack) Revisions() int {
	n := 0
	for _, e := range p.Entries {
		n += max(len(e.Versions)-1, 0)
	}
	return n
}

// Records written and read.
type originalRecord struct {
	Type   string `json:"type"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Data   []byte `json:"data"`
}

type versionRecord struct {
	Type    string      `json:"type"`
	ID      string      `json:"id"`
	Rev     int         `json:"rev,omitempty"`
	Saved   *time.Time  `json:"saved,omitempty"`
	Hash    string      `json:"hash"`
	Parent  string      `json:"parent"`
	Parents []string    `json:"parents,omitempty"`
	Gen     int         `json:"gen,omitempty"`
	Deleted bool        `json:"deleted,omitempty"`
	Item    *store.Item `json:"item"`
}

type recordsRecord struct {
	Type     string                 `json:"type"`
	Incident string                 `json:"incident"`
	Records  *store.IncidentRecords `json:"records"`
}

type endRecord struct {
	Type    string `json:"type"`
	Records int    `json:"records"`
	SHA256  string `json:"sha256"`
}

// Write encrypts the pack with age to the recipients and writes it to w.
func (p *Pack) Write(w io.Writer, recipients ...age.Recipient) error {
	if len(recipients) == 0 {
		return errors.New("pack: give at least one recipient or a passphrase")
	}
	enc, err := age.Encrypt(w, recipients...)
	if err != nil {
		return fmt.Errorf("pack: encrypt: %w", err)
	}
	bw := bufio.NewWriterSize(enc, 1<<16)
	if err := p.WritePlain(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("pack: write: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("pack: write: %w", err)
	}
	return nil
}

// WritePlain writes the pack's records unencrypted: what age encrypts (for tests and
// for a sync that encrypts itself).
func (p *Pack) WritePlain(w io.Writer) error {
	h := sha256.New()
	out := io.MultiWriter(w, h)
	n := 0
	put := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("pack: write: %w", err)
		}
		if _, err := out.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("pack: write: %w", err)
		}
		n++
		return nil
	}
	hdr := p.Header
	hdr.Type, hdr.Format = "header", Format
	// Version 1 when the pack holds no incident records, so older readers open it.
	if hdr.Version == 0 || hdr.Version == FormatVersion {
		hdr.Version = 1
		if len(p.Records) > 0 {
			hdr.Version = FormatVersion
		}
	}
	recs := map[string]*store.IncidentRecords{}
	for i := range p.Records {
		recs[p.Records[i].Incident] = &p.Records[i]
	}
	if err := put(hdr); err != nil {
		return err
	}
	sums := make([]string, 0, len(p.Originals))
	for s := range p.Originals {
		sums = append(sums, s)
	}
	slices.Sort(sums)
	for _, s := range sums {
		data := p.Originals[s]
		if err := put(originalRecord{Type: "original", SHA256: s, Size: int64(len(data)), Data: data}); err != nil {
			return err
		}
	}
	for _, e := range p.Entries {
		for i, v := range e.Versions {
			it := v.Item
			rec := versionRecord{Type: "revision", ID: e.ID, Rev: v.Rev, Hash: v.Hash, Parent: v.Parent, Parents: v.Parents, Item: &it}
			if i == len(e.Versions)-1 {
				rec.Type, rec.Rev, rec.Gen, rec.Deleted = "item", 0, v.Gen, v.Deleted
			} else {
				saved := v.Saved
				rec.Saved = &saved
			}
			if err := put(rec); err != nil {
				return err
			}
		}
		if r := recs[e.ID]; r != nil {
			if err := put(recordsRecord{Type: "records", Incident: e.ID, Records: r}); err != nil {
				return err
			}
			delete(recs, e.ID)
		}
	}
	if len(recs) > 0 {
		return fmt.Errorf("pack: write: records of an incident the pack does not hold")
	}
	b, _ := json.Marshal(endRecord{Type: "end", Records: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("pack: write: %w", err)
	}
	return nil
}

// Read decrypts a pack with the identities (a passphrase is age.NewScryptIdentity) and
// checks all of it: its format and version, every record, every hash, the end record.
// It fails in words with ErrPassphrase, ErrDamaged or ErrNewer; name says which file.
func Read(r io.Reader, name string, identities ...age.Identity) (*Pack, error) {
	if len(identities) == 0 {
		return nil, fmt.Errorf("pack: %s: give the passphrase or an identity to open it", name)
	}
	plain, err := age.Decrypt(r, identities...)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return nil, fmt.Errorf("pack: %s: %w: the passphrase is wrong, or the pack was made for other recipients", name, ErrPassphrase)
		}
		return nil, fmt.Errorf("pack: %s: %w: it is not an encrypted Chancery pack, or its beginning was altered (%v)", name, ErrDamaged, err)
	}
	p, err := ReadPlain(plain)
	if err != nil {
		return nil, fmt.Errorf("pack: %s: %w", name, err)
	}
	return p, nil
}

// ReadPlain reads and checks the records of a decrypted pack (see Read).
func ReadPlain(r io.Reader) (*Pack, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	h := sha256.New()
	n := 0
	damaged := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrDamaged, fmt.Sprintf(format, a...))
	}
	next := func() ([]byte, error) {
		var line []byte
		for {
			chunk, err := br.ReadSlice('\n')
			line = append(line, chunk...)
			if len(line) > maxRecord {
				return nil, damaged("record %d is longer than any a pack holds", n+1)
			}
			switch {
			case err == nil:
				return line, nil
			case errors.Is(err, bufio.ErrBufferFull):
				continue
			case errors.Is(err, io.EOF):
				if len(line) == 0 {
					return nil, io.EOF
				}
				return nil, damaged("it ends in the middle of record %d: truncated", n+1)
			default:
				return nil, damaged("truncated or altered after %d records (%v)", n, err)
			}
		}
	}
	p := &Pack{Originals: map[string][]byte{}}
	var pending []Version
	pendingID := ""
	seen := map[string]bool{}
	for {
		line, err := next()
		if errors.Is(err, io.EOF) {
			return nil, damaged("it ends after %d records without its end record: truncated", n)
		}
		if err != nil {
			return nil, err
		}
		var kind struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(line, &kind); err != nil {
			return nil, damaged("record %d is not readable (%v)", n+1, err)
		}
		if n == 0 && kind.Type != "header" {
			return nil, damaged("it does not begin with a Chancery pack header")
		}
		switch kind.Type {
		case "header":
			if n != 0 {
				return nil, damaged("record %d is a second header", n+1)
			}
			if err := json.Unmarshal(line, &p.Header); err != nil {
				return nil, damaged("its header is not readable (%v)", err)
			}
			if p.Header.Format != Format {
				return nil, damaged("it is not a Chancery pack (format %q)", p.Header.Format)
			}
			if p.Header.Version > FormatVersion {
				return nil, fmt.Errorf("%w: it is pack format version %d, and this Chancery reads up to version %d; use a newer Chancery", ErrNewer, p.Header.Version, FormatVersion)
			}
			if p.Header.Version < 1 {
				return nil, damaged("its header has no format version")
			}
		case "original":
			var o originalRecord
			if err := json.Unmarshal(line, &o); err != nil {
				return nil, damaged("record %d (an original file) is not readable (%v)", n+1, err)
			}
			sum := sha256.Sum256(o.Data)
			if hex.EncodeToString(sum[:]) != o.SHA256 || int64(len(o.Data)) != o.Size {
				return nil, damaged("the original file %s does not match its SHA-256 or size: altered", o.SHA256)
			}
			p.Originals[o.SHA256] = o.Data
		case "revision", "item":
			var v versionRecord
			if err := json.Unmarshal(line, &v); err != nil || v.Item == nil {
				return nil, damaged("record %d (an item) is not readable (%v)", n+1, err)
			}
			if v.ID == "" || v.Item.ID != v.ID {
				return nil, damaged("record %d names item %q but holds %q", n+1, v.ID, v.Item.ID)
			}
			if got := v.Item.ContentHash(); got != v.Hash {
				return nil, damaged("item %s: its version does not match its hash: altered", v.ID)
			}
			if pendingID != "" && pendingID != v.ID {
				return nil, damaged("the history of item %s is not followed by the item", pendingID)
			}
			if len(pending) > 0 && pending[0].Item.Kind != v.Item.Kind {
				return nil, damaged("item %s changes kind within its history", v.ID)
			}
			ver := Version{Rev: v.Rev, Hash: v.Hash, Parent: v.Parent, Parents: v.Parents, Item: *v.Item}
			if v.Saved != nil {
				ver.Saved = *v.Saved
			}
			if kind.Type == "revision" {
				pending, pendingID = append(pending, ver), v.ID
				break
			}
			ver.Rev, ver.Gen, ver.Deleted = v.Item.Rev, v.Gen, v.Deleted
			if seen[v.ID] {
				return nil, damaged("item %s is in it twice", v.ID)
			}
			seen[v.ID] = true
			p.Entries = append(p.Entries, Entry{ID: v.ID, Versions: append(pending, ver)})
			pending, pendingID = nil, ""
		case "records":
			if p.Header.Version < 2 {
				return nil, damaged("record %d holds incident records, which a version %d pack cannot", n+1, p.Header.Version)
			}
			var rr recordsRecord
			if err := json.Unmarshal(line, &rr); err != nil || rr.Records == nil {
				return nil, damaged("record %d (incident records) is not readable (%v)", n+1, err)
			}
			if err := p.addRecords(rr.Incident, *rr.Records); err != nil {
				return nil, damaged("record %d: %v", n+1, err)
			}
		case "end":
			var e endRecord
			if err := json.Unmarshal(line, &e); err != nil {
				return nil, damaged("its end record is not readable (%v)", err)
			}
			if e.Records != n || e.SHA256 != hex.EncodeToString(h.Sum(nil)) {
				return nil, damaged("its records do not match its end record: altered")
			}
			if pendingID != "" {
				return nil, damaged("the history of item %s is not followed by the item", pendingID)
			}
			if _, err := next(); !errors.Is(err, io.EOF) {
				return nil, damaged("there is more after its end record")
			}
			return p, nil
		default:
			return nil, damaged("record %d is of a kind this Chancery does not know (%q)", n+1, kind.Type)
		}
		h.Write(line)
		n++
	}
}

// Passphrase is the age recipient or identity of a passphrase, read from a file's first
// line (the line's end is not part of it).
func Passphrase(data []byte) (string, error) {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	pass := strings.TrimRight(string(line), "\r")
	if pass == "" {
		return "", errors.New("the passphrase file is empty")
	}
	return pass, nil
}
