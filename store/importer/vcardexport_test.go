package importer_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/storetest"
)

// An export takes a ceiling (the lowest marking when none is given): what is marked above
// it is left out and reported by ID, a contact's organisation above it is not named, and
// a marked card says its marking where a phone shows it, not only in an X- property.
func TestExportVCardsCeiling(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t,
		store.Item{ID: "open-org", Kind: store.KindOrganisation, Title: "Open Org", Organisation: &store.Organisation{}},
		store.Item{ID: "front", Kind: store.KindOrganisation, Title: "Nightjar Front", Class: "SECRET", Organisation: &store.Organisation{}},
		store.Item{ID: "ama", Kind: store.KindContact, Title: "Ama Open", Contact: &store.Contact{GivenName: "Ama", FamilyName: "Open", OrgID: "open-org"}},
		store.Item{ID: "kofi", Kind: store.KindContact, Title: "Kofi Restricted", Class: "RESTRICTED", Body: "Met in Accra.", Contact: &store.Contact{GivenName: "Kofi", FamilyName: "Restricted", OrgID: "front"}},
		store.Item{ID: "agent", Kind: store.KindContact, Title: "Agent Secret", Class: "SECRET", Contact: &store.Contact{GivenName: "Agent", FamilyName: "Secret"}},
	)
	var buf bytes.Buffer
	rep, err := importer.ExportVCards(ctx, db, &buf, importer.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if rep.Ceiling != "UNCLASSIFIED" || rep.Written != 2 || !slices.Equal(rep.Withheld, []string{"agent", "front", "kofi"}) {
		t.Errorf("default export: %+v", rep)
	}
	for _, bad := range []string{"Nightjar", "Kofi", "Agent", "SECRET", "RESTRICTED"} {
		if strings.Contains(out, bad) {
			t.Errorf("the default export carries %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "FN:Ama Open") || !strings.Contains(out, "ORG:Open Org") {
		t.Errorf("the unclassified contact is not exported:\n%s", out)
	}

	buf.Reset()
	rep, err = importer.ExportVCards(ctx, db, &buf, importer.ExportFilter{Ceiling: "restricted"})
	if err != nil {
		t.Fatal(err)
	}
	out = buf.String()
	if rep.Ceiling != "RESTRICTED" || rep.Written != 3 || !slices.Equal(rep.Withheld, []string{"agent", "front"}) || !slices.Equal(rep.OrgWithheld, []string{"kofi"}) {
		t.Errorf("export up to RESTRICTED: %+v", rep)
	}
	if strings.Contains(out, "Nightjar") || strings.Contains(out, "Agent") || strings.Contains(out, "SECRET") {
		t.Errorf("the RESTRICTED export carries something SECRET:\n%s", out)
	}
	if !strings.Contains(out, "NOTE:Marking: RESTRICTED\\n\\nMet in Accra.") {
		t.Errorf("the RESTRICTED card does not show its marking in its note:\n%s", out)
	}

	if _, err := importer.ExportVCards(ctx, db, &buf, importer.ExportFilter{Ceiling: "TOP SECRET"}); err == nil || !strings.Contains(err.Error(), `"TOP SECRET"`) {
		t.Errorf("an unknown ceiling: %v", err)
	}
}
