package search_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"chancery/search"
	"chancery/search/searchtest"
	"chancery/store"
)

// The query language: words, "phrases", -exclusions, OR, and filters, which Parse reads in
// their canonical form (a country by name or code is its ISO 3166 alpha-3 code).
func ExampleParse() {
	q, err := search.Parse(`oil "water intake" -diesel spill OR leak country:nigeria Kind:Notes year:2019..2020 after:2026-01`)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range q.Clauses {
		var terms []string
		for _, t := range c.Any {
			terms = append(terms, t.String())
		}
		not := ""
		if c.Not {
			not = "not "
		}
		fmt.Println(not + strings.Join(terms, " or "))
	}
	// Output:
	// oil
	// "water intake"
	// not diesel
	// spill or leak
	// country:NGA
	// kind:note
	// date:2019..2020
	// after:2026-01
}

// What Parse cannot read is an error that says why, in words.
func ExampleParse_error() {
	_, err := search.Parse("oil country:atlantis")
	fmt.Println(err)
	// Output:
	// country:atlantis: no such country; use an ISO 3166 code such as NGA or NG, or the English name
}

// A query knows its filters as values: whether one is on, however it is written, and how the
// query reads with it turned on or off. The facet chips of the search screen work this way.
func ExampleQuery_Toggle() {
	q, err := search.Parse("oil country:nigeria spill")
	if err != nil {
		log.Fatal(err)
	}
	nga := search.Filter{Field: "country", Value: "NGA"}
	gha := search.Filter{Field: "country", Value: "GHA"}
	fmt.Println(q.Has(nga), q.Has(gha))
	fmt.Println(q.Toggle(nga))
	fmt.Println(q.Toggle(gha))

	// An excluded filter is not on; turned on, the exclusion turns round where it stands.
	q, _ = search.Parse("-country:ng oil")
	fmt.Println(q.Has(nga), q.Toggle(nga))
	// Output:
	// true false
	// oil spill
	// oil country:nigeria spill country:GHA
	// false country:ng oil
}

// Search over a small knowledge base: ranked hits with snippets, and facet counts whose
// terms say which filters the query has on.
func ExampleIndex_Search() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "chancery-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_, err = db.SaveAll(ctx, []store.Item{
		{Kind: store.KindNote, Title: "Oil spill at the Kessa depot", Date: day("2026-11-02"), Countries: []string{"NGA"},
			Body: "Diesel leaked from the depot into the river."},
		{Kind: store.KindDocument, Title: "Depot inspection report", Date: day("2026-10-20"), Countries: []string{"NGA"},
			Body: "The inspectors found no barriers against a spill.", Document: &store.Document{Status: store.StatusOK}},
		{Kind: store.KindNote, Title: "Fisheries talks", Date: day("2025-03-10"), Countries: []string{"GHA"},
			Body: "Quotas in the estuary; no spill was mentioned."},
	})
	if err != nil {
		log.Fatal(err)
	}
	ix, err := searchtest.OpenIndex(ctx, db) // the index, caught up with the store
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	res, err := ix.Search(ctx, "spill country:nigeria", search.Options{Facets: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Total, "items")
	for _, h := range res.Hits {
		fmt.Printf("%s (%s)\n", h.Title, h.Kind)
		for _, s := range h.Snippets {
			fmt.Println("   ", s) // the matches in «guillemets»
		}
	}
	for _, f := range res.Facets {
		for _, t := range f.Terms {
			fmt.Printf("%s %d active=%v\n", t.Filter, t.Count, t.Active)
		}
	}
	// Output:
	// 2 items
	// Oil spill at the Kessa depot (note)
	// Depot inspection report (document)
	//     … inspectors found no barriers against a «spill».
	// kind:document 1 active=false
	// kind:note 1 active=false
	// country:NGA 2 active=true
	// year:2026 2 active=false
}
