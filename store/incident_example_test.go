package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"chancery/store"
)

// An incident is an item; its call sheet, timeline and situation reports are records
// written through their own methods. A call logged on the sheet goes on the timeline, and
// the next report is drafted from what changed since the last one was issued.
func ExampleDB_DraftSitrep() {
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

	zero := time.Date(2026, 11, 8, 6, 15, 0, 0, time.UTC)
	inc, err := db.Save(ctx, store.Item{Kind: store.KindIncident, Title: "Kassiba spill",
		Incident: &store.Incident{Type: "oil spill", ZeroHour: zero, Affected: []string{"GHA", "TGO"}}})
	if err != nil {
		log.Fatal(err)
	}
	row, err := db.SaveCallRow(ctx, store.CallRow{Incident: inc.ID, Country: "TGO", Name: "M. Komlan Agbodjan", TimeZone: "Africa/Lome"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.AddEntry(ctx, store.TimelineEntry{Incident: inc.ID, At: zero.Add(time.Hour), Type: store.EntryMessageReceived,
		Text: "Article 9 alert received", Significant: true}); err != nil {
		log.Fatal(err)
	}
	if _, err := db.LogCallWith(ctx, store.CallLog{Incident: inc.ID, Row: row.ID, Status: store.CallConfirmed,
		Text: "Received the alert", At: zero.Add(2 * time.Hour), Significant: true}); err != nil {
		log.Fatal(err)
	}
	draft, err := db.DraftSitrep(ctx, inc.ID, zero.Add(24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(draft.Label())
	for _, heading := range []string{store.SectionEvents, store.SectionContacts} {
		sec, _ := draft.Section(heading)
		for _, l := range sec.Lines {
			fmt.Printf("%s: %s\n", heading, l.Text)
		}
	}
	issued, err := db.IssueSitrep(ctx, draft.ID, zero.Add(24*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("hash recorded:", issued.SHA256 == store.SitrepHash(issued))
	_, err = db.IssueSitrep(ctx, draft.ID, time.Now())
	fmt.Println("issued again:", errors.Is(err, store.ErrIssued))
	// Output:
	// SITREP 1
	// Significant events: 08 Nov 07:15Z — Article 9 alert received
	// Significant events: 08 Nov 08:15Z — M. Komlan Agbodjan (TGO): receipt confirmed. Received the alert
	// Contacts made: TGO — M. Komlan Agbodjan: receipt confirmed. Received the alert
	// hash recorded: true
	// issued again: true
}
