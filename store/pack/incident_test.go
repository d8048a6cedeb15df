package pack_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/pack"
)

const demoIncident = "demo-incident-kassiba-spill"

func records(t *testing.T, db *store.DB, id string) store.IncidentRecords {
	t.Helper()
	r, err := db.Records(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameRecords(t *testing.T, what string, a, b store.IncidentRecords) {
	t.Helper()
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if !bytes.Equal(ja, jb) {
		la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
		for i := range min(len(la), len(lb)) {
			if la[i] != lb[i] {
				t.Fatalf("%s: records differ at line %d:\n%s\n%s", what, i+1, la[i], lb[i])
			}
		}
		t.Fatalf("%s: records differ: %d lines, %d lines", what, len(la), len(lb))
	}
}

// TestIncidentRoundTrip: the example knowledge base's incident, packed from one data folder
// with --incident's selection, imports into another with all its records intact (IDs,
// times, issued reports and their hashes, corrections, last contacts); again, nothing
// changes.
func TestIncidentRoundTrip(t *testing.T) {
	src, dst := openDB(t, ""), openDB(t, "")
	if _, err := importer.LoadDemo(ctx, src); err != nil {
		t.Fatal(err)
	}
	ids, err := pack.IncidentIDs(ctx, src, demoIncident)
	if err != nil {
		t.Fatal(err)
	}
	before := records(t, src, demoIncident)
	data, p := export(t, src, ids, "SECRET")
	if len(p.Withheld) != 0 || len(p.Records) != 1 {
		t.Fatalf("withheld %v, %d incidents' records", p.Withheld, len(p.Records))
	}
	// Every item a record links to travels with it.
	inPack := map[string]bool{}
	for _, e := range p.Entries {
		inPack[e.ID] = true
	}
	for _, e := range before.Timeline {
		for _, r := range e.Refs {
			if !inPack[r] {
				t.Errorf("entry %s links to %s, not in the pack", e.ID, r)
			}
		}
	}
	for _, c := range before.CallSheet {
		if c.Contact != "" && !inPack[c.Contact] {
			t.Errorf("row %s: contact %s not in the pack", c.ID, c.Contact)
		}
	}
	res, err := importPack(t, dst, data, store.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || len(res.RecordConflicts) != 0 {
		t.Fatalf("result: %q %q", res.Records, res.RecordConflicts)
	}
	after := records(t, dst, demoIncident)
	sameRecords(t, "after import", before, after)
	a, _ := src.Get(ctx, demoIncident)
	b, _ := dst.Get(ctx, demoIncident)
	if a.ContentHash() != b.ContentHash() {
		t.Errorf("incident differs after import")
	}
	for _, s := range after.Sitreps {
		if !s.IsIssued() || store.SitrepHash(s) != s.SHA256 {
			t.Errorf("%s: issued %v, hash %s recorded %s", s.Label(), s.Issued, store.SitrepHash(s), s.SHA256)
		}
	}
	if problems, err := dst.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("check after import: %v %v", problems, err)
	}
	// Again: nothing changes.
	res, err = importPack(t, dst, data, store.ApplyOptions{})
	if err != nil || res.Seq != 0 || len(res.RecordConflicts) != 0 {
		t.Fatalf("second import: %+v %v", res, err)
	}
	sameRecords(t, "after the second import", before, records(t, dst, demoIncident))
}
