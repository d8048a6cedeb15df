package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/storetest"
)

// TestFieldLengthLimits: a field far longer than any real one (a 31 MB title, a 2,000
// character email) is refused with ErrInvalid, naming the item (shortly) and the field.
func TestFieldLengthLimits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	huge := "Minister " + strings.Repeat("x", 31<<20)
	for _, tc := range []struct {
		name  string
		it    store.Item
		field string
	}{
		{"title", store.Item{Kind: store.KindNote, Title: huge}, "title"},
		{"job title", store.Item{Kind: store.KindContact, Title: "Ada", Contact: &store.Contact{JobTitle: huge}}, "job title"},
		{"given name", store.Item{Kind: store.KindContact, Title: "Ada", Contact: &store.Contact{GivenName: strings.Repeat("a", 5000)}}, "given name"},
		{"email", store.Item{Kind: store.KindContact, Title: "Ada", Contact: &store.Contact{Emails: []store.Labeled{{Value: strings.Repeat("a", 2000) + "@example.org"}}}}, "email"},
		{"emails", store.Item{Kind: store.KindContact, Title: "Ada", Contact: &store.Contact{Emails: make([]store.Labeled, 5000)}}, "emails"},
		{"tag", store.Item{Kind: store.KindNote, Title: "Note", Tags: []string{strings.Repeat("t", 5000)}}, "tag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Save(ctx, tc.it)
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("saved, or failed otherwise: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.field) || len(msg) > 400 {
				t.Errorf("error does not name the field %q shortly: %.400s", tc.field, msg)
			}
			if tc.name == "title" && !strings.Contains(msg, "Minister") {
				t.Errorf("error does not name the item: %.200s", msg)
			}
		})
	}
	// Real values pass.
	if _, err := db.Save(ctx, store.Item{Kind: store.KindContact, Title: "H.E. Ngozi Okafor", Contact: &store.Contact{
		GivenName: "Ngozi", FamilyName: "Okafor", JobTitle: "Director, Department of Multilateral Affairs",
		Emails: []store.Labeled{{Value: "n.okafor@mfa.example"}}}}); err != nil {
		t.Fatal(err)
	}
}
