package search

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// TestStoredFieldsMatchBleve: the snippet pass's own reading of stored fields (stored.go)
// gives what Bleve's SearchRequest.Fields gives, for every document of an index of several
// segments with replaced documents (deleted ones left in the segments before), a field
// stored several times (countries), a date, bodies in two languages; and it reads every hit
// itself, without falling back to Bleve.
func TestStoredFieldsMatchBleve(t *testing.T) {
	bi := testBleve(t, nil)
	for batch := range 4 {
		b := bi.NewBatch()
		for i := range 6 {
			id := fmt.Sprintf("d%d", (batch*4+i)%13) // later batches replace earlier documents
			doc := map[string]any{
				"kind": "document", "title": fmt.Sprintf("Title %d of batch %d", i, batch), "class": "UNCLASSIFIED",
				"country": []string{"NGA", "GHA", "TGO"}[:1+i%3], "topic": []string{"oil"},
				"date":    time.Date(1990+i, 3, batch+1, 0, 0, 0, 0, time.UTC),
				"body_en": fmt.Sprintf("The oil spill of batch %d, item %d, reached the river.", batch, i),
				"lead":    "The oil spill",
			}
			if i%2 == 1 {
				doc["body_fr"] = "La marée noire a atteint le fleuve."
			}
			if err := b.Index(id, doc); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	names := append(slices.Clone(hitFields), "body_en", "body_fr", leadName)
	for _, f := range names {
		want[f] = true
	}
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	held, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	var searched index.IndexReader
	ctx := context.WithValue(context.Background(), bsearch.MakeDocumentMatchHandlerKey, readerOf(&searched))
	sr, err := bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	if searched != held {
		t.Fatal("the search did not read the snapshot held")
	}
	if n := len(sr.Hits); n != 13 {
		t.Fatalf("%d hits, want 13", n)
	}
	stored := newStoredReader(held, nil)
	if stored == nil || len(stored.segs) < 2 {
		t.Fatalf("want a scorch snapshot of several segments, got %v", stored)
	}
	breq := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100, 0, false)
	breq.Fields = names
	bsr, err := bi.Search(breq)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	for _, h := range bsr.Hits {
		byID[h.ID] = h.Fields
	}
	for _, h := range sr.Hits {
		got, ok := stored.fields(h, want, "")
		if !ok {
			t.Errorf("%s: not read by its number", h.ID)
			continue
		}
		if !reflect.DeepEqual(got, byID[h.ID]) {
			t.Errorf("%s: got %v, Bleve %v", h.ID, got, byID[h.ID])
		}
	}
	// Kept with the snapshot: read, then given again as read, for the same fields only.
	kept := &expansions{stored: map[uint64]storedEntry{}}
	keeping := newStoredReader(held, kept)
	for round := range 2 {
		for _, h := range sr.Hits {
			got, ok := keeping.fields(h, want, "all")
			if !ok || !reflect.DeepEqual(got, byID[h.ID]) {
				t.Errorf("round %d, %s: got %v (%v), Bleve %v", round, h.ID, got, ok, byID[h.ID])
			}
		}
	}
	if len(kept.stored) != len(sr.Hits) {
		t.Errorf("%d documents kept, want %d", len(kept.stored), len(sr.Hits))
	}
	if got, _ := keeping.fields(sr.Hits[0], map[string]bool{"title": true}, "title"); len(got) != 1 {
		t.Errorf("asked for the title alone, got %v", got)
	}
	// A hit whose number is another document's is not read as that document, kept or not.
	h := *sr.Hits[0]
	h.ID = sr.Hits[1].ID
	if _, ok := stored.fields(&h, want, ""); ok {
		t.Error("a hit read by a number that is not its own")
	}
	if _, ok := keeping.fields(&h, want, "all"); ok {
		t.Error("a hit given the kept fields of the document with its number")
	}
}
