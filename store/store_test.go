package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/storetest"
)

func note(title, body string) store.Item {
	return store.Item{Kind: store.KindNote, Title: title, Body: body}
}

func TestSaveAndGetEveryKind(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	last := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	items := []store.Item{
		{Kind: store.KindNote, Title: "Meeting with the commission", Body: "# Notes\nText", Note: &store.Note{Meeting: true, Location: "Geneva"}},
		{Kind: store.KindContact, Title: "Dr Amara Okafor", Contact: &store.Contact{GivenName: "Amara", FamilyName: "Okafor",
			Emails: []store.Labeled{{Label: "work", Value: "a@x.example"}}, LastContact: last}},
		{Kind: store.KindOrganisation, Title: "River Commission", Organisation: &store.Organisation{Acronym: "RC", Type: "international"}},
		{Kind: store.KindDocument, Title: "Convention", Body: "Article 1", Document: &store.Document{FileName: "c.txt", Status: store.StatusOK, Original: []byte("Article 1")}},
		{Kind: store.KindBriefing, Title: "Brief for the minister", Briefing: &store.Briefing{Audience: "Minister",
			Sections: []store.Section{{Heading: "Background", Text: "..."}, {Heading: "Annex", Ref: "x"}}}},
	}
	for _, it := range items {
		saved, err := db.Save(ctx, it)
		if err != nil {
			t.Fatalf("save %s: %v", it.Kind, err)
		}
		got, err := db.Get(ctx, saved.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != it.Title || got.Kind != it.Kind || got.Body != it.Body || got.Rev != 1 || got.Class != "UNCLASSIFIED" {
			t.Errorf("%s: got %+v", it.Kind, got)
		}
		switch it.Kind {
		case store.KindContact:
			if got.Contact.Emails[0].Value != "a@x.example" || !got.Contact.LastContact.Equal(last) {
				t.Errorf("contact fields lost: %+v", got.Contact)
			}
		case store.KindBriefing:
			if len(got.Briefing.Sections) != 2 || got.Briefing.Sections[1].Ref != "x" {
				t.Errorf("sections lost: %+v", got.Briefing)
			}
		case store.KindDocument:
			if got.Document.SHA256 == "" || got.Document.Size != 9 {
				t.Errorf("original not recorded: %+v", got.Document)
			}
			b, err := db.Original(ctx, got.ID)
			if err != nil || string(b) != "Article 1" {
				t.Errorf("Original = %q, %v", b, err)
			}
		case store.KindNote:
			if !got.Note.Meeting || got.Note.Location != "Geneva" {
				t.Errorf("note fields lost: %+v", got.Note)
			}
		}
	}
}

func TestNormalizeAndValidate(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	it, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "  Spill  ", Tags: []string{"Oil Spill", "oil-spill", ""},
		Countries: []string{"ng", "Ghana", "NGA"}, Topics: []string{"Environment"}, Class: "restricted", Reliability: "b2"})
	if err != nil {
		t.Fatal(err)
	}
	if it.Title != "Spill" || !slices.Equal(it.Tags, []string{"oil-spill"}) || !slices.Equal(it.Countries, []string{"GHA", "NGA"}) ||
		!slices.Equal(it.Topics, []string{"environment"}) || it.Class != "RESTRICTED" || it.Reliability != "B2" {
		t.Errorf("not normalized: %+v", it)
	}
	bad := []store.Item{
		{Kind: "memo", Title: "x"},
		{Kind: store.KindNote, Title: "   "},
		{Kind: store.KindNote, Title: "x", Class: "TOP SECRET"},
		{Kind: store.KindNote, Title: "x", Countries: []string{"XX"}},
		{Kind: store.KindNote, Title: "x", Topics: []string{"gardening"}},
		{Kind: store.KindNote, Title: "x", Reliability: "Z9"},
		{Kind: store.KindNote, Title: "x", Contact: &store.Contact{}},
	}
	for _, b := range bad {
		if _, err := db.Save(ctx, b); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Save(%+v) = %v, want ErrInvalid", b, err)
		}
	}
}

func TestSaveAllIsAtomic(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	_, err := db.SaveAll(ctx, []store.Item{note("good", ""), {Kind: store.KindNote, Title: "bad", Class: "NOPE"}})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	s, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Live != 0 {
		t.Errorf("a failed batch left %d items", s.Live)
	}
}

func TestRevisionsAndConflicts(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	v1, err := db.Save(ctx, note("Draft", "first"))
	if err != nil {
		t.Fatal(err)
	}
	v2 := v1
	v2.Body = "second"
	v2, err = db.Save(ctx, v2)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Rev != 2 || v2.Seq <= v1.Seq {
		t.Errorf("rev %d seq %d after %d", v2.Rev, v2.Seq, v1.Seq)
	}
	stale := v1
	stale.Body = "third"
	if _, err := db.Save(ctx, stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("saving a stale copy: %v, want ErrConflict", err)
	}
	same, err := db.Save(ctx, v2)
	if err != nil || same.Rev != 2 || same.Seq != v2.Seq {
		t.Errorf("saving unchanged wrote a version: rev %d seq %d err %v", same.Rev, same.Seq, err)
	}
	revs, err := db.Revisions(ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 || revs[0].Rev != 1 || revs[0].Item.Body != "first" {
		t.Fatalf("revisions = %+v", revs)
	}
	back, err := db.RestoreRevision(ctx, v1.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if back.Body != "first" || back.Rev != 3 {
		t.Errorf("restored = rev %d %q", back.Rev, back.Body)
	}
	if revs, _ := db.Revisions(ctx, v1.ID); len(revs) != 2 || revs[0].Item.Body != "second" {
		t.Errorf("after restore, revisions = %+v", revs)
	}
}

func TestTrashRestoreAndEmpty(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	a, _ := db.Save(ctx, note("A", ""))
	b, _ := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "B", Links: []store.Link{{To: a.ID}}})
	if err := db.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	live, _ := db.List(ctx, store.ListOptions{})
	trash, _ := db.List(ctx, store.ListOptions{Trash: true})
	if len(live) != 1 || live[0].ID != b.ID || len(trash) != 1 || trash[0].ID != a.ID || trash[0].Deleted == nil {
		t.Fatalf("live %v trash %v", live, trash)
	}
	if err := db.Restore(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Get(ctx, a.ID); got.Deleted != nil {
		t.Error("restored item still in trash")
	}
	if err := db.Delete(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete missing: %v", err)
	}
	_ = db.Delete(ctx, a.ID)
	before, _ := db.LastSeq(ctx)
	n, err := db.EmptyTrash(ctx)
	if err != nil || n != 1 {
		t.Fatalf("EmptyTrash = %d, %v", n, err)
	}
	if _, err := db.Get(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purged item: %v", err)
	}
	if got, _ := db.Get(ctx, b.ID); len(got.Links) != 0 {
		t.Errorf("link to purged item kept: %v", got.Links)
	}
	var gone []string
	err = db.EachChange(ctx, before, 0, func(c store.Change) error {
		if c.Item == nil {
			gone = append(gone, c.ID)
		}
		return nil
	})
	if err != nil || !slices.Equal(gone, []string{a.ID}) {
		t.Errorf("change feed after purge: %v, %v", gone, err)
	}
}

func TestLinksAndBacklinks(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	c, _ := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "Ms Lee"})
	n1, _ := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Call", Links: []store.Link{{To: c.ID}, {To: c.ID}}})
	n2, _ := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Meeting", Links: []store.Link{{To: c.ID, Rel: "participant"}}})
	if len(n1.Links) != 1 || n1.Links[0].Rel != "mentions" {
		t.Errorf("links not normalized: %v", n1.Links)
	}
	back, err := db.Backlinks(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].From != n1.ID || back[1].From != n2.ID || back[1].Rel != "participant" {
		t.Errorf("backlinks = %v", back)
	}
	_ = db.Delete(ctx, n1.ID)
	if back, _ := db.Backlinks(ctx, c.ID); len(back) != 1 {
		t.Errorf("backlink from a trashed note shown: %v", back)
	}
}

func TestSourceKeyUpsert(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	it := store.Item{Kind: store.KindDocument, Title: "Statement", Body: "v1", SourceKey: "ungd:X_1_1946",
		Document: &store.Document{Original: []byte("same bytes")}}
	first, err := db.Save(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.Save(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.Rev != 1 {
		t.Errorf("re-import made %s rev %d, want %s rev 1", again.ID, again.Rev, first.ID)
	}
	it.Body = "v2"
	changed, _ := db.Save(ctx, it)
	if changed.ID != first.ID || changed.Rev != 2 {
		t.Errorf("changed re-import: %s rev %d", changed.ID, changed.Rev)
	}
	s, _ := db.Stats(ctx)
	if s.Live != 1 || s.Files != 1 {
		t.Errorf("stats = %+v", s)
	}
	ids, err := db.SourceKeyIDs(ctx, []string{"ungd:X_1_1946", "ungd:none"})
	if err != nil || len(ids) != 1 || ids["ungd:X_1_1946"] != first.ID {
		t.Errorf("SourceKeyIDs = %v, %v", ids, err)
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, dir); !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Open: %v, want ErrLocked", err)
	}
	saved, _ := db.Save(ctx, note("kept", ""))
	db.Close()
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	defer db.Close()
	if _, err := db.Get(ctx, saved.ID); err != nil {
		t.Errorf("item lost across reopen: %v", err)
	}
	if p, err := db.Check(ctx); err != nil || len(p) != 0 {
		t.Errorf("Check = %v, %v", p, err)
	}
}

func TestListFilters(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	_, err := db.SaveAll(ctx, []store.Item{
		{Kind: store.KindNote, Title: "b note", Tags: []string{"x"}, Countries: []string{"NGA"}},
		{Kind: store.KindNote, Title: "A note", Topics: []string{"water"}},
		{Kind: store.KindContact, Title: "c contact", Countries: []string{"NGA"}},
		{Kind: store.KindDocument, Title: "d scan", Document: &store.Document{Status: store.StatusEmpty}},
		{Kind: store.KindDocument, Title: "e refused", Document: &store.Document{Status: store.StatusFailed, StatusReason: "encrypted"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	titles := func(o store.ListOptions) []string {
		items, err := db.List(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			out = append(out, it.Title)
		}
		return out
	}
	for _, tc := range []struct {
		opt  store.ListOptions
		want []string
	}{
		{store.ListOptions{}, []string{"A note", "b note", "c contact", "d scan", "e refused"}},
		{store.ListOptions{Kind: store.KindNote}, []string{"A note", "b note"}},
		{store.ListOptions{Country: "NGA"}, []string{"b note", "c contact"}},
		{store.ListOptions{Tag: "x"}, []string{"b note"}},
		{store.ListOptions{Topic: "water"}, []string{"A note"}},
		{store.ListOptions{Limit: 1, Offset: 1}, []string{"b note"}},
		{store.ListOptions{Status: store.StatusEmpty}, []string{"d scan"}},
		{store.ListOptions{Kind: store.KindDocument, Status: store.StatusFailed}, []string{"e refused"}},
		{store.ListOptions{Status: store.StatusOK}, nil},
	} {
		if got := titles(tc.opt); !slices.Equal(got, tc.want) {
			t.Errorf("List(%+v) = %v, want %v", tc.opt, got, tc.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(1957, 1, 1, 0, 0, 0, 0, time.UTC), "1957"},
		{time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), "2026-11-03"},
		{time.Date(2026, 1, 1, 9, 30, 0, 0, time.UTC), "2026-01-01"},
	} {
		if got := store.FormatDate(tc.t); got != tc.want {
			t.Errorf("FormatDate(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}
