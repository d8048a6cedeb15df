package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

func person(id, title, given, family string, emails ...string) store.Item {
	c := &store.Contact{GivenName: given, FamilyName: family}
	for _, e := range emails {
		c.Emails = append(c.Emails, store.Labeled{Value: e})
	}
	return store.Item{ID: id, Kind: store.KindContact, Title: title, Contact: c}
}

func TestDuplicateContacts(t *testing.T) {
	tests := []struct {
		name  string
		items []store.Item
		want  [][]string // IDs per group
	}{
		{name: "none", items: []store.Item{person("a", "A", "Ann", "Lee", "ann@x"), person("b", "B", "Bo", "Lee", "bo@x")}},
		{name: "same email, any case", items: []store.Item{person("a", "Ann Lee", "", "", "Ann@X.org"), person("b", "A. Lee", "", "", "ann@x.org")},
			want: [][]string{{"b", "a"}}},
		{name: "same name, spaces and case", items: []store.Item{person("a", "Ann Lee", "Ann", "Lee"), person("b", "ANN  LEE", "ann ", "LEE")},
			want: [][]string{{"b", "a"}}},
		{name: "same name, accents folded", items: []store.Item{person("a", "José Núñez", "José", "Núñez"), person("b", "JOSE NUNEZ", "Jose", "NUNEZ"), person("c", "Søren Łukasz", "Søren", "Łukasz"), person("d", "Soren Lukasz", "Soren", "Lukasz"), person("e", "Jose Nunes", "Jose", "Nunes")},
			want: [][]string{{"b", "a"}, {"d", "c"}}},
		{name: "chain: email then name", items: []store.Item{
			person("a", "Ann Lee", "Ann", "Lee", "ann@x"), person("b", "Lee, Ann", "", "", "ANN@x"),
			person("c", "Dr Ann Lee", "Ann", "Lee"), person("d", "Other", "Bo", "Ng")},
			want: [][]string{{"a", "c", "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := storetest.Open(t, tc.items...)
			groups, err := db.DuplicateContacts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, g := range groups {
				var ids []string
				for _, it := range g.Items {
					ids = append(ids, it.ID)
				}
				if len(g.Reasons) == 0 {
					t.Errorf("group %v without a reason", ids)
				}
				got = append(got, ids)
			}
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("groups = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMergeContacts(t *testing.T) {
	ctx := context.Background()
	a := person("a", "Ann Lee", "Ann", "Lee", "ann@x.org")
	a.Contact.Phones = []store.Labeled{{Label: "work", Value: "+1 1"}}
	a.Tags = []string{"river"}
	b := person("b", "A. Lee", "", "", "ANN@x.org", "ann.lee@home.example")
	b.Contact.Phones = []store.Labeled{{Label: "cell", Value: "+1 2"}}
	b.Contact.JobTitle = "Minister"
	b.Tags = []string{"vip"}
	b.Countries = []string{"NGA"}
	b.Body = "Met in Abuja."
	org := store.Item{ID: "o", Kind: store.KindOrganisation, Title: "Ministry", Organisation: &store.Organisation{}}
	b.Links = []store.Link{{To: "o", Rel: "member-of"}}
	meeting := store.Item{ID: "m", Kind: store.KindNote, Title: "Meeting", Note: &store.Note{Meeting: true, Participants: []string{"b"}},
		Links: []store.Link{{To: "b", Rel: "participant"}, {To: "a", Rel: "participant"}}}
	db := storetest.Open(t, org, a, b, meeting)

	kept, err := db.MergeContacts(ctx, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if kept.ID != "a" {
		t.Fatalf("kept %s, want a", kept.ID)
	}
	got, err := db.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	c := got.Contact
	if len(c.Emails) != 2 || len(c.Phones) != 2 || c.JobTitle != "Minister" || c.GivenName != "Ann" {
		t.Errorf("merged contact = %+v", c)
	}
	if !slices.Equal(got.Tags, []string{"river", "vip"}) || !slices.Equal(got.Countries, []string{"NGA"}) || got.Body != "Met in Abuja." {
		t.Errorf("merged item = tags %v countries %v body %q", got.Tags, got.Countries, got.Body)
	}
	if !slices.Contains(got.Links, store.Link{From: "a", To: "o", Rel: "member-of"}) {
		t.Errorf("outgoing links not moved: %v", got.Links)
	}
	m, err := db.Get(ctx, "m")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Links, []store.Link{{From: "m", To: "a", Rel: "participant"}}) || !slices.Equal(m.Note.Participants, []string{"a"}) {
		t.Errorf("meeting after merge: links %v participants %v", m.Links, m.Note.Participants)
	}
	trashed, err := db.Get(ctx, "b")
	if err != nil || trashed.Deleted == nil {
		t.Errorf("b not in the trash: %v %v", trashed.Deleted, err)
	}
	if groups, _ := db.DuplicateContacts(ctx); len(groups) != 0 {
		t.Errorf("duplicates after merge: %v", groups)
	}

	for _, bad := range [][]string{{"a"}, {"a", "a"}, {"a", "o"}, {"a", "b"}, {"a", "nope"}} {
		if _, err := db.MergeContacts(ctx, bad); err == nil {
			t.Errorf("merge %v: no error", bad)
		} else if len(bad) > 1 && bad[1] == "nope" && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("merge %v: %v, want not found", bad, err)
		}
	}
}

// TestMergeContactsLinkedToEachOther: a link between merged contacts does not become a
// link of the kept one to itself.
func TestMergeContactsLinkedToEachOther(t *testing.T) {
	ctx := context.Background()
	a := person("a", "Ann Lee", "Ann", "Lee")
	b := person("b", "Ann Lee", "Ann", "Lee")
	b.Links = []store.Link{{To: "a", Rel: "mentions"}}
	a.Links = []store.Link{{To: "b", Rel: "mentions"}}
	db := storetest.Open(t, a, b)
	kept, err := db.MergeContacts(ctx, []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.Links) != 0 {
		t.Errorf("links after merge: %v", kept.Links)
	}
}
