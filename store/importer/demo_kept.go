package importer

import (
	"context"
	"fmt"

	"chancery/store"
)

// demoSearches are the example incidents' standing searches (issue 13): what the desk
// keeps watching for the Kassiba spill.
var demoSearches = []store.KeptSearch{
	{Name: "Kassiba spill: news", Query: "Kassiba OR Ossera", Incident: "demo-incident-kassiba-spill"},
}

// keepDemoSearches keeps the example incidents' standing searches, those an incident does
// not have yet (loading the example again adds none). Kept before the example's items are
// saved, they have never been looked at: what they find of the example is new to them.
func keepDemoSearches(ctx context.Context, db *store.DB) error {
	for _, k := range demoSearches {
		have, err := db.IncidentSearches(ctx, k.Incident)
		if err != nil {
			return fmt.Errorf("load example knowledge base: %w", err)
		}
		if len(have) > 0 {
			continue
		}
		if _, err := db.KeepSearch(ctx, k); err != nil {
			return fmt.Errorf("load example knowledge base: %w", err)
		}
	}
	return nil
}
