package pack

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/store"
)

// TestReleasePerRecordKind: a record of each kind marked above the pack's ceiling leaves
// no trace in the pack's plaintext: not its text, not a report line drafted from it, not
// its ID. The same records with nothing withheld are all there (so the check can fail).
// (Collect never meets such a record under an incident it packs, since an incident is
// marked at least as high as what it holds; release is the second line of defence.)
func TestReleasePerRecordKind(t *testing.T) {
	classes := []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}
	ceiling := func(c string) func(string) bool {
		return func(class string) bool {
			i := slices.Index(classes, class)
			return i >= 0 && i <= slices.Index(classes, c)
		}
	}
	none := func(string) bool { return false }
	at := time.Date(2026, 11, 8, 6, 0, 0, 0, time.UTC)
	inc := store.Item{ID: "inc-1", Kind: store.KindIncident, Title: "Spill", Class: "RESTRICTED", Incident: &store.Incident{}}
	ok := store.TimelineEntry{ID: "e-ok", Incident: inc.ID, At: at, Type: store.EntryEvent, Text: "Slick seen at the border", Class: "RESTRICTED"}
	secrets := map[string]store.IncidentRecords{
		"timeline entry": {Timeline: []store.TimelineEntry{{ID: "e-secret", Incident: inc.ID, At: at, Type: store.EntryEvent,
			Text: "SECRET-ENTRY-TEXT", Class: "SECRET"}}},
		"call sheet row": {CallSheet: []store.CallRow{{ID: "c-secret", Incident: inc.ID, Country: "GHA", Name: "SECRET-ROW-NAME",
			Phone: "+233 SECRET", Class: "SECRET"}}},
		"action":   {Actions: []store.IncidentAction{{ID: "a-secret", Incident: inc.ID, Text: "SECRET-ACTION-TEXT", Class: "SECRET"}}},
		"position": {Positions: []store.Position{{ID: "p-secret", Incident: inc.ID, Country: "TGO", Text: "SECRET-POSITION-TEXT", Class: "SECRET"}}},
		"situation report": {Sitreps: []store.Sitrep{{ID: "s-secret", Incident: inc.ID, Number: 1, AsOf: at, Class: "SECRET",
			Sections: []store.SitrepSection{{Heading: "Summary", Text: "SECRET-REPORT-TEXT"}}}}},
	}
	// A draft report at the ceiling, with a line drafted from each withheld record.
	draft := store.Sitrep{ID: "s-draft", Incident: inc.ID, Number: 2, AsOf: at, Class: "RESTRICTED",
		Sections: []store.SitrepSection{{Heading: "Significant events", Lines: []store.SitrepLine{
			{Text: "Slick seen at the border", Class: "RESTRICTED", Ref: "e-ok"},
			{Text: "line from SECRET-ENTRY-TEXT", Class: "RESTRICTED", Ref: "e-secret"},
			{Text: "line from SECRET-ROW-NAME", Ref: "c-secret"},
			{Text: "line from SECRET-ACTION-TEXT", Class: "SECRET", Ref: "a-secret"},
			{Text: "line from SECRET-POSITION-TEXT", Ref: "p-secret"},
			{Text: "line from SECRET-REPORT-TEXT", Ref: "s-secret"},
		}}}}
	for kind, r := range secrets {
		t.Run(kind, func(t *testing.T) {
			r.Incident = inc.ID
			r.Timeline = append(r.Timeline, ok)
			r.Sitreps = append(r.Sitreps, draft)
			secret := strings.ToUpper(strings.ReplaceAll(kind, " ", "-"))
			secret = map[string]string{"TIMELINE-ENTRY": "SECRET-ENTRY", "CALL-SHEET-ROW": "SECRET-ROW",
				"ACTION": "SECRET-ACTION", "POSITION": "SECRET-POSITION", "SITUATION-REPORT": "SECRET-REPORT"}[secret]
			plain := func(allowed func(string) bool) (string, []string) {
				out, withheld := release(r, allowed, none)
				p := &Pack{Header: Header{Format: Format, Ceiling: "RESTRICTED", Classes: classes},
					Entries: []Entry{{ID: inc.ID, Versions: []Version{{Hash: inc.ContentHash(), Item: inc}}}},
					Records: []store.IncidentRecords{out}, Originals: map[string][]byte{}}
				var buf bytes.Buffer
				if err := p.WritePlain(&buf); err != nil {
					t.Fatal(err)
				}
				if _, err := ReadPlain(bytes.NewReader(buf.Bytes())); err != nil {
					t.Fatal(err)
				}
				return buf.String(), withheld
			}
			got, withheld := plain(ceiling("RESTRICTED"))
			if strings.Contains(got, secret) {
				t.Errorf("the withheld %s's text is in the pack", kind)
			}
			if !strings.Contains(got, "Slick seen at the border") || !strings.Contains(got, `"s-draft"`) {
				t.Errorf("what is releasable is missing")
			}
			if len(withheld) != 1 || !strings.HasPrefix(withheld[0], kind+" ") || !strings.HasSuffix(withheld[0], "(SECRET)") {
				t.Errorf("withheld %q", withheld)
			}
			all, _ := plain(ceiling("SECRET"))
			if !strings.Contains(all, secret) {
				t.Errorf("without a ceiling below SECRET the %s is not in the pack: the check above proves nothing", kind)
			}
		})
	}
}
