package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"chancery/store"
)

// SaveAll stores items in one transaction and returns them as stored: with an ID, a
// revision number and, when they had none, the language of their text. Saving an item again
// with the Rev it was read with replaces it; with an older Rev, it is a conflict and nothing
// is saved.
func ExampleDB_SaveAll() {
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

	saved, err := db.SaveAll(ctx, []store.Item{
		{Kind: store.KindNote, Title: "Fuite de pétrole au dépôt", Countries: []string{"NGA"},
			Body: "Le pétrole s'est répandu dans la rivière depuis le réservoir du dépôt, selon les pêcheurs."},
		{Kind: store.KindContact, Title: "Amina Okafor", Body: "Leads the ministry's response to the spill.",
			Contact: &store.Contact{JobTitle: "Director of Water Resources"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range saved {
		fmt.Printf("%s %q: has an ID %v, rev %d, language %q\n", it.Kind, it.Title, it.ID != "", it.Rev, it.Language)
	}

	edit := saved[0]
	edit.Topics = []string{"environment"}
	again, err := db.SaveAll(ctx, []store.Item{edit})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("edited: rev", again[0].Rev, "same ID", again[0].ID == edit.ID)

	_, err = db.SaveAll(ctx, []store.Item{edit}) // read before the edit above
	fmt.Println("saved again with the old rev:", errors.Is(err, store.ErrConflict))
	// Output:
	// note "Fuite de pétrole au dépôt": has an ID true, rev 1, language "fr"
	// contact "Amina Okafor": has an ID true, rev 1, language "en"
	// edited: rev 2 same ID true
	// saved again with the old rev: true
}
