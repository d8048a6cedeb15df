package pack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/pack"
)

var ctx = context.Background()

const pass = "correct horse battery staple"

func openDB(t *testing.T, maxClass string) *store.DB {
	t.Helper()
	db, err := store.OpenWith(ctx, t.TempDir(), store.Options{MaxClass: maxClass})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// passphrase is a fast scrypt recipient (the work factor of a test, not of a real pack).
func passphrase(t *testing.T, p string) age.Recipient {
	r, err := age.NewScryptRecipient(p)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	return r
}

func identity(t *testing.T, p string) age.Identity {
	id, err := age.NewScryptIdentity(p)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func save(t *testing.T, db *store.DB, it store.Item) store.Item {
	t.Helper()
	saved, err := db.Save(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// export packs ids from db up to ceiling, encrypted with pass.
func export(t *testing.T, db *store.DB, ids []string, ceiling string) ([]byte, *pack.Pack) {
	t.Helper()
	p, err := pack.Collect(ctx, db, ids, pack.Options{Ceiling: ceiling, Selection: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.Write(&buf, passphrase(t, pass)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), p
}

func importPack(t *testing.T, db *store.DB, data []byte, opt store.ApplyOptions) (store.PackResult, error) {
	t.Helper()
	p, err := pack.Read(bytes.NewReader(data), "test.pack", identity(t, pass))
	if err != nil {
		return store.PackResult{}, err
	}
	return db.ApplyPack(ctx, p.Incoming(), p.Originals, p.ApplyOptions(opt))
}

// world is a small knowledge base with every kind, links, an original and history.
type world struct {
	org, contact, note, doc, brief store.Item
	original                       []byte
}

func makeWorld(t *testing.T, db *store.DB) world {
	var w world
	w.org = save(t, db, store.Item{Kind: store.KindOrganisation, Title: "Danube River Commission", Class: "UNCLASSIFIED",
		Organisation: &store.Organisation{Type: "international", Acronym: "DRC"}})
	id, _ := age.GenerateX25519Identity()
	w.contact = save(t, db, store.Item{Kind: store.KindContact, Title: "Ana Popescu", Countries: []string{"ROU"}, Class: "RESTRICTED",
		Contact: &store.Contact{GivenName: "Ana", FamilyName: "Popescu", OrgID: w.org.ID, AgeKey: id.Recipient().String(),
			Phones: []store.Labeled{{Label: "mobile", Value: "+40 700 000 001"}}}})
	w.original = []byte("%PDF-1.4 the depot's permit, as filed\n")
	w.doc = save(t, db, store.Item{Kind: store.KindDocument, Title: "Depot permit", Body: "The depot holds 40,000 tonnes.",
		Tags: []string{"oil-spill"}, Document: &store.Document{FileName: "permit.pdf", MIME: "application/pdf", Original: w.original}})
	w.doc.Title = "Depot permit (2019)"
	w.doc = save(t, db, w.doc)
	w.note = save(t, db, store.Item{Kind: store.KindNote, Title: "Call with Ana", Body: "First draft.", Tags: []string{"oil-spill"},
		Links: []store.Link{{To: w.doc.ID}}, Note: &store.Note{Meeting: true, Participants: []string{w.contact.ID}},
		Date: time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)})
	w.note.Body = "Second draft: the slick reached the border."
	w.note = save(t, db, w.note)
	w.note.Body = "Final: the slick reached the border at 06:00."
	w.note = save(t, db, w.note)
	w.brief = save(t, db, store.Item{Kind: store.KindBriefing, Title: "Oil spill briefing", Body: "Brief the minister.",
		Briefing: &store.Briefing{Audience: "Minister", Sections: []store.Section{
			{Heading: "Background", Text: "A depot upstream."},
			{Heading: "The call", Ref: w.note.ID},
			{Heading: "The permit", Ref: w.doc.ID, Text: "holds 40,000 tonnes"},
		}}})
	return w
}

func (w world) ids() []string {
	return []string{w.org.ID, w.contact.ID, w.note.ID, w.doc.ID, w.brief.ID}
}

// same compares what a person can see of two items, their times and revision number.
func same(t *testing.T, a, b store.Item) {
	t.Helper()
	if a.ContentHash() != b.ContentHash() || a.Rev != b.Rev || !a.Created.Equal(b.Created) || !a.Updated.Equal(b.Updated) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		t.Errorf("item %s differs:\n%s\n%s", a.ID, ja, jb)
	}
}

func sameHistory(t *testing.T, src, dst *store.DB, id string) {
	t.Helper()
	ra, err := src.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := dst.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ra) != len(rb) {
		t.Fatalf("%s: %d revisions, %d after import", id, len(ra), len(rb))
	}
	for i := range ra {
		if ra[i].Rev != rb[i].Rev || !ra[i].Saved.Equal(rb[i].Saved) || ra[i].Item.ContentHash() != rb[i].Item.ContentHash() {
			t.Errorf("%s revision %d differs after import", id, ra[i].Rev)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	data, p := export(t, src, w.ids(), "SECRET")
	if len(p.Withheld) != 0 || p.Items() != 5 || p.Revisions() != 3 {
		t.Fatalf("packed %d items, %d revisions, withheld %v", p.Items(), p.Revisions(), p.Withheld)
	}
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 5 || len(res.Updated)+len(res.Conflicts)+len(res.Refused) != 0 {
		t.Fatalf("result %+v", res)
	}
	for _, id := range w.ids() {
		a, _ := src.Get(ctx, id)
		b, err := dst.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		same(t, a, b)
		sameHistory(t, src, dst, id)
		la, _ := src.Backlinks(ctx, id)
		lb, _ := dst.Backlinks(ctx, id)
		if !slices.Equal(la, lb) {
			t.Errorf("%s: backlinks %v, after import %v", id, la, lb)
		}
	}
	got, err := dst.Original(ctx, w.doc.ID)
	if err != nil || !bytes.Equal(got, w.original) {
		t.Fatalf("original after import: %q, %v", got, err)
	}
	if problems, err := dst.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check after import: %v %v", problems, err)
	}
	// The same pack again changes nothing.
	res, err = importPack(t, dst, data, store.ApplyOptions{})
	if err != nil || len(res.Unchanged) != 5 || res.Seq != 0 {
		t.Fatalf("second import: %+v %v", res, err)
	}
}

func TestRecipients(t *testing.T) {
	src := openDB(t, "")
	w := makeWorld(t, src)
	p, err := pack.Collect(ctx, src, w.ids(), pack.Options{Ceiling: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	alice, _ := age.GenerateX25519Identity()
	eve, _ := age.GenerateX25519Identity()
	var buf bytes.Buffer
	if err := p.Write(&buf, alice.Recipient()); err != nil {
		t.Fatal(err)
	}
	if _, err := pack.Read(bytes.NewReader(buf.Bytes()), "x.pack", eve); !errors.Is(err, pack.ErrPassphrase) {
		t.Fatalf("read with another identity: %v", err)
	}
	q, err := pack.Read(bytes.NewReader(buf.Bytes()), "x.pack", alice)
	if err != nil || q.Items() != 5 {
		t.Fatalf("read: %v", err)
	}
}

func TestNewerRevisionUpdates(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	first, _ := export(t, src, w.ids(), "SECRET")
	if _, err := importPack(t, dst, first, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	n := w.note
	n.Body = "Update: the slick is contained."
	n.Tags = append(n.Tags, "contained")
	n = save(t, src, n)
	n.Title = "Call with Ana (contained)"
	save(t, src, n)
	second, _ := export(t, src, w.ids(), "SECRET")
	res, err := importPack(t, dst, second, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Updated) != 1 || len(res.Unchanged) != 4 || len(res.Conflicts) != 0 {
		t.Fatalf("result %+v", res)
	}
	a, _ := src.Get(ctx, w.note.ID)
	b, _ := dst.Get(ctx, w.note.ID)
	same(t, a, b)
	sameHistory(t, src, dst, w.note.ID)
	// The first pack, older now, changes nothing.
	res, err = importPack(t, dst, first, store.ApplyOptions{})
	if err != nil || len(res.Older) != 1 || res.Seq != 0 {
		t.Fatalf("older pack: %+v %v", res, err)
	}
	b, _ = dst.Get(ctx, w.note.ID)
	same(t, a, b)
}

func TestConflictingEditKept(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	first, _ := export(t, src, w.ids(), "SECRET")
	if _, err := importPack(t, dst, first, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	mine, _ := dst.Get(ctx, w.note.ID)
	mine.Body = "Edited here: Ana called back."
	mine = save(t, dst, mine)
	theirs := w.note
	theirs.Body = "Edited there: the depot's operator called."
	save(t, src, theirs)
	second, _ := export(t, src, w.ids(), "SECRET")
	res, err := importPack(t, dst, second, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], w.note.ID) || len(res.Updated) != 0 {
		t.Fatalf("result %+v", res)
	}
	cur, _ := dst.Get(ctx, w.note.ID)
	if cur.Body != mine.Body {
		t.Fatalf("the edit made here was overwritten: %q", cur.Body)
	}
	revs, _ := dst.Revisions(ctx, w.note.ID)
	var bodies []string
	for _, r := range revs {
		bodies = append(bodies, r.Item.Body)
	}
	if !slices.Contains(bodies, theirs.Body) || !slices.Contains(bodies, mine.Body) {
		t.Fatalf("the pack's version is not kept as a revision: %q", bodies)
	}
	if _, err := dst.RestoreRevision(ctx, w.note.ID, revs[0].Rev); err != nil {
		t.Fatal(err)
	}
}

func TestTrashedStaysTrashed(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	first, _ := export(t, src, w.ids(), "SECRET")
	if _, err := importPack(t, dst, first, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := dst.Delete(ctx, w.note.ID); err != nil {
		t.Fatal(err)
	}
	n := w.note
	n.Body = "Newer"
	save(t, src, n)
	second, _ := export(t, src, w.ids(), "SECRET")
	res, err := importPack(t, dst, second, store.ApplyOptions{})
	if err != nil || len(res.Updated) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := dst.Get(ctx, w.note.ID)
	if got.Deleted == nil || got.Body != "Newer" {
		t.Fatalf("trashed item after update: deleted %v body %q", got.Deleted, got.Body)
	}
}

// unchanged fails when dst holds anything.
func empty(t *testing.T, dst *store.DB) {
	t.Helper()
	n, err := dst.Count(ctx, store.ListOptions{})
	if err != nil || n != 0 {
		t.Fatalf("something was written: %d items (%v)", n, err)
	}
	n, _ = dst.Count(ctx, store.ListOptions{Trash: true})
	if n != 0 {
		t.Fatalf("something was written: %d items in the trash", n)
	}
}

func encryptPlain(t *testing.T, plain []byte) []byte {
	var buf bytes.Buffer
	enc, err := age.Encrypt(&buf, passphrase(t, pass))
	if err != nil {
		t.Fatal(err)
	}
	enc.Write(plain)
	enc.Close()
	return buf.Bytes()
}

func TestBadInput(t *testing.T) {
	src := openDB(t, "")
	w := makeWorld(t, src)
	secret := save(t, src, store.Item{Kind: store.KindNote, Title: "Confidential assessment", Class: "CONFIDENTIAL", Body: "x"})
	data, p := export(t, src, w.ids(), "SECRET")
	var plain bytes.Buffer
	if err := p.WritePlain(&plain); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(plain.String(), "\n")
	edit := func(f func([]string) []string) []byte {
		return encryptPlain(t, []byte(strings.Join(f(slices.Clone(lines)), "")))
	}
	flip := slices.Clone(data)
	flip[len(flip)/2] ^= 0x20
	withSecret, _ := export(t, src, append(w.ids(), secret.ID), "SECRET")
	for _, c := range []struct {
		name   string
		data   []byte
		pass   string
		want   error
		inWord string
	}{
		{"wrong passphrase", data, "wrong", pack.ErrPassphrase, "passphrase is wrong"},
		{"truncated", data[:len(data)-100], pass, pack.ErrDamaged, "truncated"},
		{"truncated header", data[:40], pass, pack.ErrDamaged, "not an encrypted Chancery pack"},
		{"altered", flip, pass, pack.ErrDamaged, "damaged"},
		{"not a pack", []byte("%PDF-1.4 hello"), pass, pack.ErrDamaged, "not an encrypted Chancery pack"},
		{"newer format", edit(func(l []string) []string {
			l[0] = strings.Replace(l[0], `"version":1`, `"version":2`, 1)
			return l
		}), pass, pack.ErrNewer, "version 2"},
		{"records cut, end kept", edit(func(l []string) []string { return append(l[:3], l[len(l)-2:]...) }), pass, pack.ErrDamaged, "end record"},
		{"no end record", edit(func(l []string) []string { return l[:len(l)-2] }), pass, pack.ErrDamaged, "truncated"},
		{"item altered", edit(func(l []string) []string {
			for i, s := range l {
				l[i] = strings.Replace(s, "Final: the slick", "Final: no slick", 1)
			}
			return l
		}), pass, pack.ErrDamaged, "does not match its hash"},
		{"original altered", edit(func(l []string) []string {
			for i, s := range l {
				if strings.Contains(s, `"type":"original"`) {
					l[i] = strings.Replace(s, `"data":"J`, `"data":"K`, 1)
				}
			}
			return l
		}), pass, pack.ErrDamaged, "original file"},
		{"an item twice", edit(func(l []string) []string {
			item, end := l[len(l)-3], l[len(l)-2] // l ends with "" after the last line
			return append(l[:len(l)-2:len(l)-2], item, end)
		}), pass, pack.ErrDamaged, "twice"},
		{"above the ceiling here", withSecret, pass, store.ErrAboveCeiling, "CONFIDENTIAL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst := openDB(t, "RESTRICTED")
			q, err := pack.Read(bytes.NewReader(c.data), "test.pack", identity(t, c.pass))
			if err == nil {
				_, err = dst.ApplyPack(ctx, q.Incoming(), q.Originals, q.ApplyOptions(store.ApplyOptions{}))
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.inWord) {
				t.Fatalf("got %v, want %v saying %q", err, c.want, c.inWord)
			}
			empty(t, dst)
		})
	}
	// Above the ceiling here, skipped on request, and named by ID and marking only.
	dst := openDB(t, "RESTRICTED")
	res, err := importPack(t, dst, withSecret, store.ApplyOptions{SkipAboveCeiling: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Refused) != 1 || res.Refused[0] != secret.ID+" (CONFIDENTIAL)" || len(res.Added) != 5 {
		t.Fatalf("%+v", res)
	}
	if _, err := dst.Get(ctx, secret.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the item above the ceiling got in: %v", err)
	}
}

func TestAgeKeyChecked(t *testing.T) {
	db := openDB(t, "")
	_, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Bad key", Contact: &store.Contact{AgeKey: "age1notakey"}})
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "age key") {
		t.Fatalf("bad key saved: %v", err)
	}
	id, _ := age.GenerateX25519Identity()
	c := save(t, db, store.Item{Kind: store.KindContact, Title: "Good key", Contact: &store.Contact{AgeKey: " " + id.Recipient().String() + "\n"}})
	if c.Contact.AgeKey != id.Recipient().String() {
		t.Fatalf("key kept as %q", c.Contact.AgeKey)
	}
}

func TestSelections(t *testing.T) {
	db := openDB(t, "")
	w := makeWorld(t, db)
	ids, err := pack.TagIDs(ctx, db, "Oil Spill")
	if err != nil || len(ids) != 2 {
		t.Fatalf("tag: %v %v", ids, err)
	}
	ids, err = pack.BriefingIDs(ctx, db, w.brief.ID)
	if err != nil || !slices.Equal(ids, []string{w.brief.ID, w.note.ID, w.doc.ID}) {
		t.Fatalf("briefing: %v %v", ids, err)
	}
	if _, err := pack.BriefingIDs(ctx, db, w.note.ID); err == nil {
		t.Fatal("a note taken for a briefing")
	}
	if _, err := pack.Collect(ctx, db, []string{"nosuchitem"}, pack.Options{}); err == nil || !strings.Contains(err.Error(), "nosuchitem") {
		t.Fatalf("unknown ID: %v", err)
	}
}

// TestLowerCeilingAfterHigher: a machine that holds items in full (from a pack at a high
// ceiling) takes a pack of the same items at a lower ceiling: the same versions are
// unchanged, not conflicts, and a newer one updates without losing what the lower pack
// left out.
func TestLowerCeilingAfterHigher(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	w := makeWorld(t, src)
	secret := save(t, src, store.Item{Kind: store.KindDocument, Title: "Assessment", Class: "SECRET", Body: "secret words", Document: &store.Document{}})
	b := w.brief
	b.Briefing.Sections = append(b.Briefing.Sections, store.Section{Heading: "Assessment", Text: "an excerpt", Ref: secret.ID})
	b.Links = []store.Link{{To: secret.ID, Rel: "annex"}}
	b = save(t, src, b)
	ids := append(w.ids(), secret.ID)
	high, _ := export(t, src, ids, "SECRET")
	if _, err := importPack(t, dst, high, store.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	low, _ := export(t, src, ids, "RESTRICTED")
	res, err := importPack(t, dst, low, store.ApplyOptions{})
	if err != nil || len(res.Unchanged) != 5 || len(res.Conflicts) != 0 || res.Seq != 0 {
		t.Fatalf("the same versions at a lower ceiling: %+v %v", res, err)
	}
	b.Body = "Brief the minister on Monday."
	b = save(t, src, b)
	low, _ = export(t, src, ids, "RESTRICTED")
	res, err = importPack(t, dst, low, store.ApplyOptions{})
	if err != nil || len(res.Updated) != 1 || len(res.Conflicts) != 0 {
		t.Fatalf("a newer version at a lower ceiling: %+v %v", res, err)
	}
	got, _ := dst.Get(ctx, b.ID)
	if got.Body != b.Body || got.ContentHash() != b.ContentHash() {
		t.Fatalf("after the update: %+v, want %+v", got.Briefing, b.Briefing)
	}
}

// TestRevisionAboveCeilingHere: a pack made at SECRET holds an earlier SECRET version of a
// note now marked RESTRICTED; a machine allowed up to RESTRICTED takes the note without
// that revision, and names it.
func TestRevisionAboveCeilingHere(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "RESTRICTED")
	n := save(t, src, store.Item{Kind: store.KindNote, Title: "Assessment", Class: "SECRET", Body: "the source's name"})
	n.Class, n.Body = "RESTRICTED", "Cleared."
	n = save(t, src, n)
	data, p := export(t, src, []string{n.ID}, "SECRET")
	if p.Revisions() != 1 {
		t.Fatalf("packed %d revisions", p.Revisions())
	}
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 1 || len(res.SkippedRevisions) != 1 || res.SkippedRevisions[0] != n.ID+" revision 1 (SECRET)" {
		t.Fatalf("%+v", res)
	}
	revs, _ := dst.Revisions(ctx, n.ID)
	got, _ := dst.Get(ctx, n.ID)
	if len(revs) != 0 || got.Body != "Cleared." || got.Rev != 2 {
		t.Fatalf("after import: %d revisions, %q rev %d", len(revs), got.Body, got.Rev)
	}
}

// TestTopicsTravel: a topic added to one taxonomy comes with the items that use it.
func TestTopicsTravel(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	for _, tp := range []store.Topic{{ID: "oil-depots", Label: "Oil depots", Parent: "energy"}, {ID: "tank-farms", Label: "Tank farms", Parent: "oil-depots"}} {
		if err := src.AddTopic(ctx, tp); err != nil {
			t.Fatal(err)
		}
	}
	n := save(t, src, store.Item{Kind: store.KindNote, Title: "Tank farm survey", Topics: []string{"tank-farms", "water"}})
	data, _ := export(t, src, []string{n.ID}, "")
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.TopicsAdded, []string{"oil-depots (Oil depots)", "tank-farms (Tank farms)"}) || len(res.Added) != 1 {
		t.Fatalf("%+v", res)
	}
	topics, _ := dst.Topics(ctx)
	if !slices.Contains(topics, store.Topic{ID: "tank-farms", Label: "Tank farms", Parent: "oil-depots"}) {
		t.Fatalf("taxonomy after import: %v", topics)
	}
}
