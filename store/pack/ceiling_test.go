package pack_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/pack"
)

// secretItem is an item of kind k marked SECRET whose every text holds mark.
func secretItem(k store.Kind, mark string) store.Item {
	it := store.Item{Kind: k, Title: mark + " title", Body: mark + " body", Class: "SECRET", Source: mark + " source",
		Tags: []string{strings.ToLower(mark) + "-tag"}}
	switch k {
	case store.KindNote:
		it.Note = &store.Note{Location: mark + " location"}
	case store.KindContact:
		it.Contact = &store.Contact{GivenName: mark + "given", FamilyName: mark + "family", JobTitle: mark + " job",
			Emails: []store.Labeled{{Value: strings.ToLower(mark) + "@example.org"}}, Phones: []store.Labeled{{Value: mark + " phone"}}}
	case store.KindOrganisation:
		it.Organisation = &store.Organisation{Acronym: mark + "ACR", Website: "https://" + strings.ToLower(mark) + ".example"}
	case store.KindDocument:
		it.Document = &store.Document{FileName: mark + ".pdf", MIME: "application/pdf", Original: []byte("%PDF " + mark + " original bytes")}
	case store.KindBriefing:
		it.Briefing = &store.Briefing{Audience: mark + " audience", Sections: []store.Section{{Heading: mark + " heading", Text: mark + " text"}}}
	}
	return it
}

// TestCeilingPerKind: for each kind, an item above the pack's ceiling, and items at the
// ceiling that link to it, include it, name it as organisation, parent or participant,
// and a note whose earlier revision was above the ceiling. The withheld text appears
// nowhere in the decrypted pack, nor in its originals; the rest is there.
func TestCeilingPerKind(t *testing.T) {
	for _, k := range store.Kinds {
		t.Run(string(k), func(t *testing.T) {
			db := openDB(t, "")
			mark := "WITHHELD" + strings.ToUpper(string(k))
			hi := save(t, db, secretItem(k, mark))
			lowered := save(t, db, store.Item{Kind: store.KindNote, Title: "Lowered", Class: "SECRET", Body: mark + " in an earlier version"})
			lowered.Class, lowered.Body = "UNCLASSIFIED", "Cleared for release."
			lowered = save(t, db, lowered)
			low := []store.Item{
				save(t, db, store.Item{Kind: store.KindNote, Title: "Links to it", Class: "UNCLASSIFIED", Body: "see the other",
					Links: []store.Link{{To: hi.ID}, {To: lowered.ID}}, Note: &store.Note{Participants: []string{hi.ID}}}),
				save(t, db, store.Item{Kind: store.KindContact, Title: "Low contact", Class: "UNCLASSIFIED", Contact: &store.Contact{OrgID: hi.ID}}),
				save(t, db, store.Item{Kind: store.KindOrganisation, Title: "Low org", Class: "UNCLASSIFIED", Organisation: &store.Organisation{ParentID: hi.ID}}),
				save(t, db, store.Item{Kind: store.KindBriefing, Title: "Low briefing", Class: "UNCLASSIFIED", Briefing: &store.Briefing{Sections: []store.Section{
					{Heading: "Kept", Text: "our own words"},
					{Heading: mark + " title", Text: mark + " excerpt", Ref: hi.ID},
				}}}),
				lowered,
			}
			ids := []string{hi.ID}
			for _, it := range low {
				ids = append(ids, it.ID)
			}
			p, err := pack.Collect(ctx, db, ids, pack.Options{Ceiling: "UNCLASSIFIED"})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Withheld) != 1 || p.Withheld[0] != hi.ID+" (SECRET)" {
				t.Fatalf("withheld %v", p.Withheld)
			}
			var buf bytes.Buffer
			r, _ := age.NewScryptRecipient(pass)
			r.SetWorkFactor(10)
			if err := p.Write(&buf, r); err != nil {
				t.Fatal(err)
			}
			plainR, err := age.Decrypt(bytes.NewReader(buf.Bytes()), identity(t, pass))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(plainR)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{mark, strings.ToLower(mark), hi.ID} {
				if bytes.Contains(plain, []byte(s)) {
					t.Errorf("the pack holds %q", s)
				}
			}
			q, err := pack.ReadPlain(bytes.NewReader(plain))
			if err != nil {
				t.Fatal(err)
			}
			for sum, data := range q.Originals {
				if bytes.Contains(data, []byte(mark)) {
					t.Errorf("original %s holds the withheld text", sum)
				}
			}
			if q.Items() != len(low) || !bytes.Contains(plain, []byte("Cleared for release.")) || !bytes.Contains(plain, []byte("our own words")) ||
				!bytes.Contains(plain, []byte(pack.Placeholder)) {
				t.Fatalf("the pack lost what it may hold: %d items\n%s", q.Items(), plain)
			}
			// The lowered note travels without its SECRET revision, its current version
			// still naming the withheld one as its parent.
			for _, e := range q.Entries {
				if e.ID == lowered.ID && (len(e.Versions) != 1 || e.Versions[0].Parent == "") {
					t.Errorf("lowered note: %d versions, parent %q", len(e.Versions), e.Versions[0].Parent)
				}
			}
		})
	}
}
